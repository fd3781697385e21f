"""The yearly evaluation report as a document: figures, shares, tables and sentences.

Pure: from validated definitions and a year's records to a model that both the Word
and the PDF template render, so the two carry the same figures.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .. import formatting
from ..sources.definitions import Agreement, Alliance, Effort
from ..sources.evaluations import ASSESSMENTS, MISSING, Evaluation, YearData
from .agreement import Metadata, partner_of

SHORT = 160  # characters of a commitment quoted in the report


@dataclass(frozen=True)
class EffortStatus:
    name: str
    commitment: str  # short: what was committed, by whom
    target: str  # '2 pladser', or '–'
    indicator: str
    result: str
    assessment: str
    relevance: str
    next_step: str


@dataclass(frozen=True)
class Section:
    """One agreement in the report."""

    name: str
    title: str
    partner: str
    term: str
    missing: bool
    evaluated_by: str = ""
    evaluated_on: str = ""
    comment: str = ""
    efforts: tuple[EffortStatus, ...] = ()


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    share: float

    @property
    def percent(self) -> str:
        return formatting.percent(self.share)


@dataclass(frozen=True)
class Figure:
    """A headline figure: a result against its target."""

    label: str
    result: int | None
    target: int | None

    @property
    def result_text(self) -> str:
        return "ingen tal" if self.result is None else formatting.number(self.result)

    @property
    def target_text(self) -> str:
        return "–" if self.target is None else formatting.number(self.target)

    @property
    def share_text(self) -> str:
        if self.result is None or not self.target:
            return "–"
        return formatting.percent(self.result / self.target)


@dataclass(frozen=True)
class MarkAwarded:
    organisation: str
    mark: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class OverviewRow:
    agreement: str
    effort: str
    status: str


@dataclass(frozen=True)
class ReportDocument:
    year: int
    title: str
    subtitle: str
    example: bool
    figures: tuple[Figure, ...]  # empty in a report of one agreement
    shares: tuple[Share, ...]
    efforts_total: int
    summary: tuple[str, ...]
    overview: tuple[OverviewRow, ...]
    sections: tuple[Section, ...]
    marks: tuple[MarkAwarded, ...]
    marks_shown: bool
    missing: tuple[str, ...]  # names of active agreements without an evaluation
    footer: str
    metadata: Metadata
    series: dict[int, int | None] = field(default_factory=dict)  # year -> citizens


def short(text: str, limit: int = SHORT) -> str:
    """The first sentence of `text`, cut at a word before `limit` characters."""
    first = re.split(r"(?<=[a-zæøå0-9])\. (?=[A-ZÆØÅ])", text, maxsplit=1)[0]
    if len(first) <= limit:
        return first if first.endswith(".") or first == text else first + "."
    return first[: first.rfind(" ", 0, limit)].rstrip(",;:") + " …"


def result_text(value: bool | float) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return formatting.number(value)


def target_text(effort: Effort) -> str:
    if effort.target is None:
        return "–"
    return f"{formatting.number(effort.target.value)} {effort.target.unit}"


def commitment_text(effort: Effort) -> str:
    if effort.joint:
        return short(effort.joint.text)
    return " / ".join(short(text) for text in effort.commitments.values())


def section(name: str, agreement: Agreement, alliance: Alliance,
            evaluation: Evaluation | None) -> Section:
    partner = partner_of(agreement, alliance)
    term = (f"{formatting.date_long(agreement.term.start)} – "
            f"{formatting.date_long(agreement.term.end)}")
    title = f"{agreement.title} – {partner}"
    if evaluation is None:
        return Section(name, title, partner, term, missing=True)
    efforts = []
    for effort in agreement.efforts:
        ev = evaluation.efforts[effort.name]
        efforts.append(EffortStatus(
            name=effort.name, commitment=commitment_text(effort),
            target=target_text(effort), indicator=ev.indicator,
            result=result_text(ev.result), assessment=ev.assessment,
            relevance=ev.relevance, next_step=ev.next_step))
    return Section(name, title, partner, term, missing=False,
                   evaluated_by=evaluation.evaluated_by,
                   evaluated_on=formatting.date_long(evaluation.evaluated_on),
                   comment=evaluation.comment, efforts=tuple(efforts))


def shares(sections: list[Section], agreements: dict[str, Agreement]) -> tuple[Share, ...]:
    """How many efforts fall in each assessment; efforts of agreements without an
    evaluation count as 'mangler evaluering', so the shares cover every effort."""
    counts = dict.fromkeys((*ASSESSMENTS, MISSING), 0)
    for s in sections:
        if s.missing:
            counts[MISSING] += len(agreements[s.name].efforts)
        else:
            for effort in s.efforts:
                counts[effort.assessment] += 1
    total = sum(counts.values())
    return tuple(Share(label, n, n / total if total else 0.0)
                 for label, n in counts.items() if n or label != MISSING)


def build(year: int, alliance: Alliance, agreements: dict[str, Agreement], data: YearData,
          only: str | None = None) -> ReportDocument:
    """The report of `year` over the agreements active that year (or just `only`).

    A report of one agreement leaves the alliance's own figures and marks out.
    """
    active = {n: a for n, a in agreements.items()
              if a.term.covers_year(year) and (only is None or n == only)}
    evaluations = {n: e for n, e in data.evaluations.items() if n in active}
    sections = [section(n, a, alliance, evaluations.get(n)) for n, a in active.items()]
    missing = tuple(s.name for s in sections if s.missing)
    share_list = shares(sections, active)
    efforts_total = sum(s.count for s in share_list)
    whole = only is None
    figures = _figures(year, alliance, data) if whole else ()

    overview = tuple(OverviewRow(s.title, e.name, e.assessment)
                     for s in sections for e in s.efforts)
    overview += tuple(OverviewRow(s.title, "alle indsatser", MISSING)
                      for s in sections if s.missing)
    order = [s.title for s in sections]
    overview = tuple(sorted(overview, key=lambda row: order.index(row.agreement)))

    marks: tuple[MarkAwarded, ...] = ()
    if whole and data.alliance:
        marks = tuple(
            MarkAwarded(award.organisation, alliance.marks[award.mark].name,
                        tuple(alliance.marks[award.mark].criteria[i - 1]
                              for i in award.criteria))
            for award in data.alliance.marks)

    example = any(e.example for e in evaluations.values()) or bool(
        whole and data.alliance and data.alliance.example)
    title = f"Evaluering {year}"
    if whole:
        scope = alliance.name
        subtitle = (f"{alliance.name} · {_count(len(sections), 'aftale', 'aftaler')} i kraft "
                    f"i {year} · {_count(efforts_total, 'indsats', 'indsatser')}")
    else:
        scope = sections[0].title
        subtitle = scope
    dates = [e.evaluated_on for e in evaluations.values()]
    created = dt.datetime.combine(max(dates) if dates else dt.date(year, 12, 31), dt.time(),
                                  tzinfo=dt.UTC)
    metadata = Metadata(
        title=f"{title} – {scope}",
        author=alliance.name,
        subject=f"Årlig evaluering af progression og relevans: {scope}, {year}",
        keywords=(alliance.name, "evaluering", str(year), *(s.partner for s in sections)),
        created=created,
    )
    return ReportDocument(
        year=year, title=title, subtitle=subtitle, example=example, figures=figures,
        shares=share_list, efforts_total=efforts_total,
        summary=_summary(year, alliance, figures, share_list, efforts_total, missing),
        overview=overview, sections=tuple(sections), marks=marks, marks_shown=whole,
        missing=missing, footer=f"{title} · {scope}", metadata=metadata,
        series=data.series if whole else {})


def _count(n: int, one: str, many: str) -> str:
    return f"{formatting.number(n)} {one if n == 1 else many}"


def _figures(year: int, alliance: Alliance, data: YearData) -> tuple[Figure, ...]:
    goal = alliance.goal
    in_goal = goal.start_year <= year <= goal.end_year
    this_year = data.alliance.citizens_off_support if data.alliance else None
    return (
        Figure(f"Borgere løftet væk fra offentlig forsørgelse i {year}", this_year,
               goal.citizens_per_year if in_goal else None),
        Figure(f"I alt siden {goal.start_year}, mod målet for {goal.start_year}-{year}",
               data.cumulative,
               goal.citizens_per_year * (year - goal.start_year + 1) if in_goal else None),
        Figure(f"I alt siden {goal.start_year}, mod målet ved udgangen af {goal.end_year}",
               data.cumulative, goal.citizens_total),
    )


def _summary(year: int, alliance: Alliance, figures: tuple[Figure, ...],
             share_list: tuple[Share, ...], efforts_total: int,
             missing: tuple[str, ...]) -> tuple[str, ...]:
    goal = alliance.goal
    lines = []
    if figures:
        this_year, _, total = figures
        if this_year.result is None:
            lines.append("Der er ikke registreret tal for borgere løftet væk fra offentlig "
                         f"forsørgelse i {year}.")
        elif this_year.target:
            lines.append(f"I {year} blev {this_year.result_text} borgere løftet væk fra "
                         f"offentlig forsørgelse mod et mål på {this_year.target_text} "
                         f"({this_year.share_text}).")
        else:
            lines.append(f"I {year} blev {this_year.result_text} borgere løftet væk fra "
                         "offentlig forsørgelse.")
        if total.result is not None:
            lines.append(f"I alt er {total.result_text} borgere løftet væk siden "
                         f"{goal.start_year} mod målet på {total.target_text} ved udgangen "
                         f"af {goal.end_year} ({total.share_text}).")
    parts = ", ".join(f"{s.count} {s.label}" for s in share_list
                      if s.count and s.label != MISSING)
    if efforts_total:
        lines.append(f"Af {_count(efforts_total, 'indsats', 'indsatser')} er "
                     f"{parts or 'ingen evalueret'}.")
    if missing:
        lines.append(f"{_count(len(missing), 'aftale', 'aftaler')} i kraft i {year} "
                     "mangler evaluering.")
    return tuple(lines)
