"""The report's charts, as data that Typst draws (templates/charts.typ): vector graphics
in the PDF, and pictures for Word made by the same drawing (templates/chart.typ, to
PNG).

Each chart is honest by construction: bars start at zero, every bar has its figure
written on it, numbers are Danish, and each chart has a caption and a text alternative
saying what it shows, figure by figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import formatting
from ..documents.report import (
    GoalStatus,
    chart_alt,
    chart_caption,
    running_totals,
    target_path,
)

NO_FIGURE = "ingen tal"


@dataclass(frozen=True)
class Bar:
    label: str  # under (or beside) the bar
    value: float  # drawn: 0 where there is no figure
    text: str  # written on it: the figure, or 'ingen tal'
    colour: str = "#1d4f73"


@dataclass(frozen=True)
class Level:
    """A horizontal line across a panel: a target."""

    value: float
    label: str
    style: str  # "dashed" or "dotted"


@dataclass(frozen=True)
class Tick:
    value: float
    text: str


@dataclass(frozen=True)
class Panel:
    title: str
    bars: tuple[Bar, ...]
    low: float  # the value axis, from low (0 or below) to high
    high: float
    ticks: tuple[Tick, ...]
    levels: tuple[Level, ...] = ()
    path: tuple[float, ...] = ()  # a target per bar, drawn as a dashed line with points
    inside: bool = False  # figures written inside the bars (white), not above them


@dataclass(frozen=True)
class Chart:
    kind: str  # "columns": one or two panels of vertical bars
    panels: tuple[Panel, ...]
    alt: str  # the text alternative
    caption: str
    height_mm: float


def _ticks(low: float, high: float, count: int = 5) -> tuple[Tick, ...]:
    """Round steps (1, 2 or 5 times a power of ten) from low to high, zero among them."""
    span = high - low or 1
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= raw)
    first = math.ceil(low / step) * step
    values = []
    value = first
    while value <= high + step / 1e6:
        values.append(round(value, 10))
        value += step
    return tuple(Tick(v, formatting.number(v)) for v in values)


def _axis(values: list[float], room: float) -> tuple[float, float, tuple[Tick, ...]]:
    """The value axis for `values`: from zero (or below it), with `room` to spare on top
    for the figures written above the bars."""
    low = min([*values, 0.0]) * room
    high = max([*values, 1.0]) * room
    return low, high, _ticks(low, high)


def goal(status: GoalStatus) -> Chart:
    """A quantitative goal: its figure each year since the period began against the yearly
    target and, where the years add up, the total against the path to the target by the
    period's end. Its caption and text alternative are the model's (documents.report)."""
    series = dict(status.series)
    years = sorted(series)
    both = status.cumulative and (status.per_year is not None or status.by_end is not None)
    labels = [str(y) for y in years]
    values = [series[y] or 0 for y in years]
    levels = []
    targets = []
    if status.per_year is not None:
        targets.append(status.per_year)
        levels.append(Level(status.per_year,
                            f"mål {formatting.number(status.per_year)} pr. år", "dashed"))
    if status.by_end is not None and not both:
        targets.append(status.by_end)
        levels.append(Level(status.by_end, f"mål {formatting.number(status.by_end)} ved "
                                           f"udgangen af {status.end}", "dotted"))
    low, high, ticks = _axis(values + targets, 1.25)
    panels = [Panel("Pr. år", tuple(
        Bar(label, value, formatting.number(value) if series[y] is not None else NO_FIGURE)
        for label, value, y in zip(labels, values, years, strict=True)),
        low, high, ticks, tuple(levels))]
    if both:
        panels.append(_cumulative(status, years))
    return Chart("columns", tuple(panels), chart_alt(status), chart_caption(status), 58.0)


def _cumulative(status: GoalStatus, years: list[int]) -> Panel:
    """The total since the period began, year by year, against the path to the target."""
    cumulative = running_totals(status)
    values = [c or 0 for c in cumulative]
    limit = list(values)
    path = target_path(status) if status.per_year is not None else []
    limit += path
    levels = ()
    if status.by_end is not None:
        limit.append(status.by_end)
        levels = (Level(status.by_end, f"mål {formatting.number(status.by_end)} ved "
                                       f"udgangen af {status.end}", "dotted"),)
    low, high, ticks = _axis(limit, 1.2)
    dashed = " (stiplet: målet år for år)" if path else ""
    bars = tuple(Bar(str(y), v, formatting.number(c) if c is not None else NO_FIGURE)
                 for y, v, c in zip(years, values, cumulative, strict=True))
    return Panel(f"I alt siden {status.start}{dashed}", bars, low, high, ticks, levels,
                 tuple(path), inside=True)

