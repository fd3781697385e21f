"""Charts of the yearly report (matplotlib): SVG for the PDF (vector), PNG for Word.

Each chart is drawn in one format at a time, so that the PDF's and the Word file's may be
drawn in two processes at once.

Every chart comes with a text alternative saying what it shows, figure by figure.
Output is deterministic: no dates or versions in the files, fixed SVG ids.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from .. import formatting
from ..documents.report import (
    STATUSES,
    GoalStatus,
    chart_alt,
    chart_caption,
    running_totals,
    target_path,
)
from ..fonts import FONT_FAMILY, font_files

WIDTH_IN, HEIGHT_IN = 6.3, 2.5
PNG_DPI = 200
INK, MUTED, BLUE, LIGHT = "#111111", "#555555", "#1d4f73", "#8aa4b8"
# the status is always written next to its bar: colour is never the only cue
COLOURS = {word: "#" + status.fill.lower() for word, status in STATUSES.items()}


@dataclass(frozen=True)
class Chart:
    image: bytes  # SVG or PNG, as asked for
    alt: str  # the text alternative
    caption: str


@cache
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, pyplot

    for path in font_files().values():
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update({
        "font.family": FONT_FAMILY,
        "font.size": 8.5,
        "axes.edgecolor": LIGHT,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        # Text as text: WeasyPrint sets it in the document's own embedded font, and draws
        # it in 40 % less time than the glyphs as outlines (measured); it can be selected.
        "svg.fonttype": "none",
        "svg.hashsalt": "horsens-aftaler",  # fixed element ids: same chart, same bytes
        "axes.spines.top": False,
        "axes.spines.right": False,
    })
    return pyplot


def _danish_ticks(axis) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: formatting.number(v)))


FORMATS = {"svg": {"metadata": {"Date": None, "Creator": None}},
           "png": {"dpi": PNG_DPI, "metadata": {"Software": None}}}


def _save(fig, fmt: str) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format=fmt, **FORMATS[fmt])
    _pyplot().close(fig)
    return out.getvalue()


def goal(status: GoalStatus, fmt: str) -> Chart:
    """A quantitative goal: its figure each year since the period began against the yearly
    target and, where the years add up, the total against the path to the target by the
    period's end."""
    plt = _pyplot()
    series = dict(status.series)
    years = sorted(series)
    both = status.cumulative and (status.per_year is not None or status.by_end is not None)
    fig, axes = plt.subplots(1, 2 if both else 1, figsize=(WIDTH_IN, HEIGHT_IN),
                             layout="constrained", squeeze=False)
    left = axes[0][0]
    labels = [str(y) for y in years]
    values = [series[y] or 0 for y in years]
    bars = left.bar(labels, values, color=BLUE, width=0.6)
    targets = [v for v in (status.per_year,) if v is not None]
    if status.per_year is not None:
        left.axhline(status.per_year, color=INK, linestyle="--", linewidth=0.9)
        left.annotate(f"mål {formatting.number(status.per_year)} pr. år", (0, status.per_year),
                      xycoords=("axes fraction", "data"), xytext=(2, 3),
                      textcoords="offset points", color=INK, fontsize=7.5)
    if status.by_end is not None and not both:
        targets.append(status.by_end)
        left.axhline(status.by_end, color=MUTED, linestyle=":", linewidth=0.9)
        left.annotate(f"mål {formatting.number(status.by_end)} ved udgangen af {status.end}",
                      (0, status.by_end), xycoords=("axes fraction", "data"), xytext=(2, 3),
                      textcoords="offset points", color=MUTED, fontsize=7.5)
    left.bar_label(bars, labels=[formatting.number(v) if series[y] is not None else "ingen tal"
                                 for y, v in zip(years, values, strict=True)],
                   padding=2, fontsize=7.5)
    left.set_title("Pr. år", loc="left", fontsize=9, fontweight="bold", color=INK)
    _danish_ticks(left.yaxis)
    left.set_ylim(min([*values, 0]) * 1.25, max([*values, *targets, 1]) * 1.25)

    if both:
        right = axes[0][1]
        cumulative = running_totals(status)
        start = status.start
        cum_values = [c or 0 for c in cumulative]
        cbars = right.bar(labels, cum_values, color=BLUE, width=0.6)
        limit = [*cum_values, 1]
        if status.per_year is not None:
            path = target_path(status)
            limit += path
            right.plot(labels, path, color=INK, linestyle="--", marker="o", markersize=3,
                       linewidth=0.9)
        if status.by_end is not None:
            limit.append(status.by_end)
            right.axhline(status.by_end, color=MUTED, linestyle=":", linewidth=0.9)
            right.annotate(f"mål {formatting.number(status.by_end)} ved udgangen af "
                           f"{status.end}", (0, status.by_end),
                           xycoords=("axes fraction", "data"), xytext=(2, 3),
                           textcoords="offset points", color=MUTED, fontsize=7.5)
        # inside the bars, clear of the target line above them; 'ingen tal' above the axis
        right.bar_label(cbars, labels=[formatting.number(c) if c is not None else ""
                                       for c in cumulative], label_type="center",
                        color="white", fontsize=7.5, fontweight="bold")
        for x, c in enumerate(cumulative):
            if c is None:
                right.annotate("ingen tal", (x, 0), xytext=(0, 3), textcoords="offset points",
                               ha="center", fontsize=7.5, color=INK)
        dashed = " (stiplet: målet år for år)" if status.per_year is not None else ""
        right.set_title(f"I alt siden {start}{dashed}", loc="left", fontsize=9,
                        fontweight="bold", color=INK)
        _danish_ticks(right.yaxis)
        right.set_ylim(min([*cum_values, 0]) * 1.2, max(limit) * 1.2)
    image = _save(fig, fmt)
    return Chart(image, chart_alt(status), chart_caption(status))


def assessments(shares, year: int, fmt: str) -> Chart:
    """How the efforts were assessed: one bar per category, count and share written."""
    plt = _pyplot()
    shares = list(shares)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.42 * len(shares) + 0.5),
                           layout="constrained")
    labels = [s.label for s in shares][::-1]
    counts = [s.count for s in shares][::-1]
    bars = ax.barh(labels, counts, color=[COLOURS[s.label] for s in shares][::-1],
                   height=0.6)
    ax.bar_label(bars, labels=[f"{s.count} ({s.percent})" for s in shares][::-1],
                 padding=3, fontsize=8)
    ax.set_xlim(0, max([*counts, 1]) * 1.25)
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    image = _save(fig, fmt)
    listing = ", ".join(f"{s.label} {s.count} ({s.percent})" for s in shares)
    alt = f"Søjlediagram over vurderingen af indsatsernes progression i {year}: {listing}."
    caption = f"Indsatsernes progression i {year}, antal og andel."
    return Chart(image, alt, caption)
