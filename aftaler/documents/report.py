"""The yearly evaluation report as a document: figures, shares, tables and sentences.

Pure: from validated definitions and a year's records to a model that both the Word
and the PDF template render, so the two carry the same figures. The year is measured
against the goals of the programme's period that covers it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .. import formatting
from ..sources.agreement import Agreement, Effort
from ..sources.programme import Period, Programme, QuantitativeGoal
from ..sources.records import ASSESSMENTS, MISSING, Evaluation, YearData
from .agreement import Metadata, goal_targets, subtitle_of, term_span, title_of
from .text import count, join_names, lower_first

SHORT = 160  # characters of a commitment quoted in the report
NOT_ASSESSED = "ikke vurderet"


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
    parties: tuple[str, ...]
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
    result: float | None
    target: float | None

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
class StatusLine:
    effort: str
    status: str


@dataclass(frozen=True)
class StatusGroup:
    """An agreement's efforts and how each stands this year (its title said once)."""

    agreement: str
    lines: tuple[StatusLine, ...]

    @property
    def text(self) -> str:
        """'JOBROTATION: ikke opfyldt · FLEKSJOB: opfyldt'"""
        return " · ".join(f"{line.effort}: {line.status}" for line in self.lines)


@dataclass(frozen=True)
class AgreementStatus:
    """How many of an agreement's efforts are in each category (the overview's row)."""

    agreement: str
    counts: tuple[int, ...]  # in the order of the report's status labels


def grouped(rows: list[tuple[str, str, str]]) -> tuple[StatusGroup, ...]:
    """(agreement, effort, status) rows -> one group per agreement, in order of appearance."""
    groups: dict[str, list[StatusLine]] = {}
    for agreement, effort, status in rows:
        groups.setdefault(agreement, []).append(StatusLine(effort, status))
    return tuple(StatusGroup(a, tuple(lines)) for a, lines in groups.items())


@dataclass(frozen=True)
class GoalStatus:
    """A goal of the year's period: its figures (quantitative) or assessment (qualitative),
    and the efforts in force that serve it."""

    id: str
    number: int
    title: str
    quantitative: bool
    description: str
    target: str  # in words, e.g. '150 borgere om året og 600 borgere ved udgangen af 2017'
    baseline: str
    figures: tuple[Figure, ...]
    assessment: str
    narrative: str
    comment: str
    served_by: tuple[StatusGroup, ...]
    # For the chart of a quantitative goal: its figure each year since the period began.
    measure: str = ""
    unit: str = ""
    series: tuple[tuple[int, float | None], ...] = ()
    per_year: float | None = None
    by_end: float | None = None
    cumulative: bool = True
    start: int = 0
    end: int | None = None


@dataclass(frozen=True)
class Member:
    name: str
    title: str
    organisation: str


@dataclass(frozen=True)
class PeriodStatus:
    years: str
    mission: str | None
    source: str | None
    fora: tuple[str, ...]
    members: tuple[Member, ...]
    goals: tuple[GoalStatus, ...]


@dataclass(frozen=True)
class MarkAwarded:
    organisation: str
    mark: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class ReportDocument:
    year: int
    title: str
    subtitle: str
    header: str  # the programme's name
    example: bool
    period: PeriodStatus | None  # None: no period covers the year, or one agreement alone
    no_goals: str  # why there are no goals, in a whole report without a period
    shares: tuple[Share, ...]
    efforts_total: int
    summary: tuple[str, ...]
    status_labels: tuple[str, ...]  # the overview's columns: the scale, and any missing
    overview: tuple[AgreementStatus, ...]
    sections: tuple[Section, ...]
    marks: tuple[MarkAwarded, ...]
    marks_shown: bool
    missing: tuple[str, ...]  # names of active agreements without an evaluation
    footer: str
    metadata: Metadata

    @property
    def goals(self) -> tuple[GoalStatus, ...]:
        return self.period.goals if self.period else ()


def short(text: str, limit: int = SHORT) -> str:
    """The first sentence of `text`, cut at a word before `limit` characters."""
    first = re.split(r"(?<=[a-zæøå0-9])\. (?=[A-ZÆØÅ])", text, maxsplit=1)[0]
    if len(first) <= limit:
        return first if first.endswith(".") or first == text else first + "."
    cut = first.rfind(" ", 0, limit)
    return (first[:cut] if cut > 0 else first[:limit]).rstrip(",;:") + " …"


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


def section(name: str, agreement: Agreement, programme: Programme,
            evaluation: Evaluation | None) -> Section:
    title = f"{title_of(agreement, programme)} – {subtitle_of(agreement)}"
    parties = tuple(p.name for p in agreement.parties.values())
    term = term_span(agreement)
    if evaluation is None:
        return Section(name, title, parties, term, missing=True)
    efforts = []
    for effort in agreement.efforts:
        ev = evaluation.efforts[effort.name]
        efforts.append(EffortStatus(
            name=effort.name, commitment=commitment_text(effort),
            target=target_text(effort), indicator=ev.indicator,
            result=result_text(ev.result), assessment=ev.assessment,
            relevance=ev.relevance, next_step=ev.next_step))
    return Section(name, title, parties, term, missing=False,
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


def _span(start: int, year: int) -> str:
    return str(start) if year == start else f"{start}–{year}"


def _cumulative(series: dict[int, float | None]) -> float | None:
    """The sum of the years so far (None when a year has no figure: no total can be given)."""
    values = list(series.values())
    return None if not values or None in values else sum(values)


def quantitative_figures(goal: QuantitativeGoal, period: Period, year: int,
                         series: dict[int, float | None]) -> tuple[Figure, ...]:
    """The year's figure against the yearly target, and (where the years add up) the total
    since the period began against the target so far and the target by its end."""
    this_year = series.get(year)
    figures = [Figure(f"{goal.measure} i {year}", this_year, goal.per_year)]
    total = _cumulative(series)
    if goal.cumulative and goal.per_year is not None:
        figures.append(Figure(
            f"I alt siden {period.start}, mod målet for {_span(period.start, year)}",
            total, goal.per_year * (year - period.start + 1)))
    if goal.by_end is not None:
        label = (f"I alt siden {period.start}, mod målet ved udgangen af {period.end}"
                 if goal.cumulative else f"{goal.measure} i {year}, mod målet ved udgangen "
                                         f"af {period.end}")
        figures.append(Figure(label, total if goal.cumulative else this_year, goal.by_end))
    return tuple(figures)


def _period_status(period: Period, year: int, data: YearData, sections: list[Section],
                   agreements: dict[str, Agreement]) -> PeriodStatus:
    goals = []
    for number, (goal_id, goal) in enumerate(period.goals.items(), start=1):
        recorded = data.result(goal_id)
        served = grouped([
            (s.title, effort.name, MISSING if s.missing else
             next(e.assessment for e in s.efforts if e.name == effort.name))
            for s in sections for effort in agreements[s.name].efforts
            if goal_id in effort.serves])
        common = {"id": goal_id, "number": number, "title": goal.title,
                  "description": goal.description or "", "served_by": served,
                  "comment": recorded.comment or "" if recorded else ""}
        if isinstance(goal, QuantitativeGoal):
            series = data.series.get(goal_id, {})
            baseline = (f"Udgangspunkt: {formatting.number(goal.baseline.value)} {goal.unit} "
                        f"i {goal.baseline.year}." if goal.baseline else "")
            goals.append(GoalStatus(
                **common, quantitative=True, target=goal_targets(goal, period.end),
                baseline=baseline, figures=quantitative_figures(goal, period, year, series),
                assessment="", narrative="", measure=goal.measure, unit=goal.unit,
                series=tuple(series.items()), per_year=goal.per_year, by_end=goal.by_end,
                cumulative=goal.cumulative, start=period.start, end=period.end))
        else:
            goals.append(GoalStatus(
                **common, quantitative=False, target="", baseline="", figures=(),
                assessment=recorded.assessment if recorded else NOT_ASSESSED,
                narrative=recorded.narrative or "" if recorded else ""))
    members = tuple(Member(m.name, m.title, m.organisation) for m in period.members)
    return PeriodStatus(period.years, period.mission, period.source, tuple(period.fora),
                        members, tuple(goals))


def build(year: int, programme: Programme, agreements: dict[str, Agreement], data: YearData,
          only: str | None = None) -> ReportDocument:
    """The report of `year` over the programme's agreements in force that year (or just
    `only`). A report of one agreement leaves the programme's goals and marks out."""
    active = {n: a for n, a in agreements.items()
              if a.term.covers_year(year) and (only is None or n == only)}
    evaluations = {n: e for n, e in data.evaluations.items() if n in active}
    sections = [section(n, a, programme, evaluations.get(n)) for n, a in active.items()]
    missing = tuple(s.name for s in sections if s.missing)
    share_list = shares(sections, active)
    efforts_total = sum(s.count for s in share_list)
    whole = only is None
    period = programme.period_of(year) if whole else None
    status = _period_status(period, year, data, sections, active) if period else None
    no_goals = (f"Der er ikke fastsat mål for {programme.name} i {year}: rapporten viser "
                "indsatserne alene." if whole and period is None else "")

    labels = ASSESSMENTS + ((MISSING,) if missing else ())
    overview = tuple(_status_counts(s, len(active[s.name].efforts), labels)
                     for s in sections)

    marks: tuple[MarkAwarded, ...] = ()
    if whole and data.programme:
        marks = tuple(
            MarkAwarded(award.organisation, programme.marks[award.mark].name,
                        tuple(programme.marks[award.mark].criteria[i - 1]
                              for i in award.criteria))
            for award in data.programme.marks)

    example = any(e.example for e in evaluations.values()) or bool(
        whole and data.programme and data.programme.example)
    title = f"Evaluering {year}"
    if whole:
        scope = programme.name
        in_force = count(len(sections), "aftale", "aftaler")
        subtitle = f"{programme.name} · {in_force} i kraft i {year}"
        if efforts_total:
            subtitle += f" · {count(efforts_total, 'indsats', 'indsatser')}"
    else:
        scope = sections[0].title
        subtitle = scope
    dates = [e.evaluated_on for e in evaluations.values()]
    created = dt.datetime.combine(max(dates) if dates else dt.date(year, 12, 31), dt.time(),
                                  tzinfo=dt.UTC)
    parties = sorted({name for s in sections for name in s.parties})
    metadata = Metadata(
        title=f"{title} – {scope}",
        author=programme.name,
        subject=f"Årlig evaluering af progression og relevans: {scope}, {year}",
        keywords=(programme.name, "evaluering", str(year), *parties),
        created=created,
    )
    return ReportDocument(
        year=year, title=title, subtitle=subtitle, header=programme.name, example=example,
        period=status, no_goals=no_goals, shares=share_list, efforts_total=efforts_total,
        summary=_summary(year, programme, status, no_goals, share_list, efforts_total, missing),
        status_labels=labels, overview=overview, sections=tuple(sections), marks=marks,
        marks_shown=whole and bool(programme.marks), missing=missing,
        footer=f"{title} · {scope}", metadata=metadata)


def _status_counts(s: Section, efforts: int, labels: tuple[str, ...]) -> AgreementStatus:
    """The overview's row of an agreement: its efforts counted by status (all of them
    'mangler evaluering' when it has no evaluation)."""
    if s.missing:
        return AgreementStatus(s.title, tuple(efforts if label == MISSING else 0
                                              for label in labels))
    return AgreementStatus(s.title, tuple(sum(e.assessment == label for e in s.efforts)
                                          for label in labels))


def _summary(year: int, programme: Programme, period: PeriodStatus | None, no_goals: str,
             share_list: tuple[Share, ...], efforts_total: int,
             missing: tuple[str, ...]) -> tuple[str, ...]:
    lines = [no_goals] if no_goals else []
    for goal in period.goals if period else ():
        if not goal.quantitative:
            continue
        this_year = goal.figures[0]
        if this_year.result is None:
            lines.append(f"Der er ikke registreret tal for {lower_first(goal.measure)} "
                         f"i {year}.")
            continue
        elif this_year.target:
            lines.append(f"{goal.measure} i {year}: {this_year.result_text} mod et mål på "
                         f"{this_year.target_text} ({this_year.share_text}).")
        else:
            lines.append(f"{goal.measure} i {year}: {this_year.result_text}.")
        overall = goal.figures[-1]
        if len(goal.figures) == 1 or overall.result is None:
            continue
        towards = (f"ved udgangen af {goal.end}" if goal.by_end is not None
                   else f"for {_span(goal.start, year)}")
        if goal.cumulative:
            lines.append(f"I alt siden {goal.start}: {overall.result_text} mod målet på "
                         f"{overall.target_text} {towards} ({overall.share_text}).")
        else:
            lines.append(f"Mod målet på {overall.target_text} {towards} svarer det til "
                         f"{overall.share_text}.")
    qualitative = [g for g in period.goals if not g.quantitative] if period else []
    if qualitative:
        states = {label: sum(g.assessment == label for g in qualitative)
                  for label in (*ASSESSMENTS, NOT_ASSESSED)}
        parts = [f"{n} {label}" for label, n in states.items() if n]
        lines.append(f"Af {count(len(qualitative), 'mål', 'mål')} for {period.years} "
                     f"er {join_names(parts)}.")
    parts = ", ".join(f"{s.count} {s.label}" for s in share_list
                      if s.count and s.label != MISSING)
    if efforts_total:
        lines.append(f"Af {count(efforts_total, 'indsats', 'indsatser')} er "
                     f"{parts or 'ingen evalueret'}.")
    else:
        lines.append(f"Ingen aftaler i {programme.name} er i kraft i {year}.")
    if missing:
        lines.append(f"{count(len(missing), 'aftale', 'aftaler')} i kraft i {year} "
                     "mangler evaluering.")
    return tuple(lines)
