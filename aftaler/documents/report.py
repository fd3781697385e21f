"""The yearly evaluation report as a document: figures, shares, tables and sentences.

Pure: from validated definitions and a year's records to a model that both the Word
and the PDF template render, so the two carry the same figures and words (headings,
labels and column names included). The year is measured against the goals of the
programme's period that covers it.

Page 1 is a dashboard: a line per goal (the year against its yearly target, the running
total against the target so far, one verdict) and one stacked bar of how the efforts
were assessed. Each agreement then has a scorecard (an effort a row: Mål, Målt,
Vurdering, Næste skridt) and its efforts' commitments, whole, with their parties.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from .. import formatting
from ..fonts import text_width_mm
from ..sources.agreement import Agreement, Effort
from ..sources.programme import Period, Programme, QuantitativeGoal
from ..sources.records import ASSESSMENTS, MISSING, Evaluation, YearData
from .agreement import (
    Commitment,
    Metadata,
    commitments,
    goal_targets,
    subtitle_of,
    term_span,
    title_of,
)
from .text import count, join_names, lower_first, quoted, upper_first

NOT_ASSESSED = "ikke vurderet"
EXAMPLE_NOTICE = "EKSEMPELTAL – rapporten bygger på eksempeldata, ikke på officielle tal."

# The verdict of a goal with figures: reached, on track, behind (or no figures).
REACHED, ON_TRACK, BEHIND, NO_FIGURES = "nået", "på sporet", "bagud", "ingen tal"
# On track: at least this share of the target so far. The years' figures vary (118, 164
# and 157 against 150 a year): 98 % of the way after three years is on track, not behind.
ON_TRACK_SHARE = 0.9
VERDICT_KEY = ("Nået: målet for hele perioden er nået. På sporet: mindst 90 % af målet "
               "indtil nu. Bagud: under 90 % af målet indtil nu.")
SCORECARD_COLUMNS = ("Indsats", "Mål", "Målt", "Vurdering", "Næste skridt")
MEMBER_COLUMNS = ("Navn", "Titel", "Organisation")
INLINE_SHARE = 0.06  # a bar's segment this wide or wider has its count written in it
# Tables, in mm (A4 less 22 mm margins), their cells' text in 9.5 pt: columns are made as
# wide as their widest word (bold names, chips) or cell (figures), so nothing breaks
# inside a word, in the PDF's font (wider than Word's Calibri).
TABLE_MM = 166.0
CELL = {"size_pt": 9.5}
PADDING_MM = 4.0


@dataclass(frozen=True)
class Status:
    """A status word and the colour of its chip (fill, and the ink written on it): the
    word is always printed, so the report reads the same in black and white."""

    word: str  # as in running text: 'på sporet', 'delvist opfyldt'
    fill: str
    ink: str

    @property
    def label(self) -> str:
        """As a heading, a chip or a table's column: 'Delvist opfyldt'."""
        return upper_first(self.word)


_DARK, _LIGHT = "FFFFFF", "111111"
STATUSES = {s.word: s for s in (
    Status(REACHED, "2E7D32", _DARK), Status(ON_TRACK, "A5D6A7", _LIGHT),
    Status(BEHIND, "C62828", _DARK), Status(NO_FIGURES, "D0D0D0", _LIGHT),
    Status("opfyldt", "2E7D32", _DARK), Status("delvist opfyldt", "E0A100", _LIGHT),
    Status("ikke opfyldt", "C62828", _DARK), Status("ikke igangsat", "8A8A8A", _DARK),
    Status(MISSING, "D0D0D0", _LIGHT), Status(NOT_ASSESSED, "D0D0D0", _LIGHT))}


@dataclass(frozen=True)
class EffortStatus:
    name: str
    target: str  # '2 pladser', or '–'
    indicator: str
    result: str
    assessment: str
    relevance: str
    next_step: str
    commitments: tuple[Commitment, ...] = ()  # whole, each with its party

    @property
    def measured(self) -> str:
        """'antal rotationsforløb: 1'"""
        return f"{self.indicator}: {self.result}"

    @property
    def status(self) -> Status:
        return STATUSES[self.assessment]

    @property
    def relevance_text(self) -> str:
        return f"Relevans: {self.relevance}"


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
    year: int = 0

    @property
    def meta(self) -> str:
        """'Aftalens løbetid: … . Evalueret af …, 26. januar 2017.'"""
        text = f"Aftalens løbetid: {self.term}."
        return text if self.missing else \
            f"{text} Evalueret af {self.evaluated_by}, {self.evaluated_on}."

    @property
    def missing_text(self) -> tuple[str, str]:
        """The notice of a missing evaluation: its lead in bold, then the sentence."""
        return ("Mangler evaluering.", f"Aftalen er i kraft i {self.year}, men der er ikke "
                "registreret en evaluering.")

    # Properties, not class attributes: a template sees a model's fields and properties.
    @property
    def comment_heading(self) -> str:
        return "Samlet vurdering"

    @property
    def efforts_heading(self) -> str:
        return "Indsatsernes forpligtelser"

    @property
    def scorecard_columns(self) -> tuple[str, ...]:
        return SCORECARD_COLUMNS

    @property
    def scorecard_widths_mm(self) -> tuple[float, ...]:
        """Indsats and Vurdering as wide as their widest word, Mål as its widest; Målt
        and Næste skridt share the rest."""
        effort = _fit(_words(e.name for e in self.efforts), bold=True, least=28, most=46)
        target = _fit(_words(e.target for e in self.efforts), least=18, most=30)
        status = _fit((e.status.label for e in self.efforts), bold=True, least=22, most=32)
        rest = round((TABLE_MM - effort - target - status) / 2, 1)
        return (effort, target, rest, status, rest)


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

    @property
    def against(self) -> str:
        """'157 mod 150 (105 %)': figure, target and share in one cell."""
        if self.result is None or self.target is None:
            return self.result_text
        return f"{self.result_text} mod {self.target_text} ({self.share_text})"


@dataclass(frozen=True)
class GoalLine:
    """A goal on page 1: the year against its yearly target, the running total against
    the target so far, and one verdict. `cells` are the dashboard's columns."""

    number: int
    goal: str
    year: Figure | None
    so_far: Figure | None
    status: Status
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Dashboard:
    """Page 1's table: a line per goal of the year's period."""

    columns: tuple[str, ...]
    lines: tuple[GoalLine, ...]
    key: str  # what the verdicts mean, where a goal has figures ('' else)
    widths_mm: tuple[float, ...] = ()


def _fit(texts, *, bold: bool = False, least: float, most: float) -> float:
    """A column as wide as the widest of `texts` on one line, within least and most
    (rounded up to 0.1 mm: rounded down, the widest would no longer fit)."""
    widest = max((text_width_mm(text, bold=bold, **CELL) for text in texts), default=0.0)
    return min(most, max(least, math.ceil((widest + PADDING_MM) * 10) / 10))


def _words(texts) -> list[str]:
    return [word for text in texts for word in text.split()]


@dataclass(frozen=True)
class Segment:
    """A part of the efforts' bar: the efforts of one assessment."""

    status: Status
    count: int
    share: float
    inline: str  # written in the bar where it is wide enough: the count, or ''

    @property
    def label(self) -> str:
        """'Opfyldt 4 (67 %)': the legend's entry."""
        return f"{self.status.label} {self.count} ({formatting.percent(self.share)})"


@dataclass(frozen=True)
class EffortBar:
    """How the year's efforts were assessed: one stacked bar, its legend, its lead-in."""

    heading: str  # 'Indsatsernes vurdering i 2016: 6 indsatser i 1 aftale'
    segments: tuple[Segment, ...]

    @property
    def legend(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.segments)


@dataclass(frozen=True)
class ChartText:
    """A chart's number, caption and text alternative (the figures it shows, in words)."""

    number: int
    caption: str
    alt: str

    @property
    def printed(self) -> str:
        return f"Figur {self.number}. {self.caption}"


@dataclass(frozen=True)
class AgreementStatus:
    """How many of an agreement's efforts are in each category (the overview's row)."""

    agreement: str
    counts: tuple[int, ...]  # in the order of the report's status labels


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
    # For the chart of a quantitative goal: its figure each year since the period began.
    measure: str = ""
    unit: str = ""
    series: tuple[tuple[int, float | None], ...] = ()
    per_year: float | None = None
    by_end: float | None = None
    cumulative: bool = True
    start: int = 0
    end: int | None = None
    quoted: bool = False  # the description is the source's own words
    year: int = 0
    chart: ChartText | None = None
    served: tuple[str, ...] = ()  # 'AFTALE – parter: JOBROTATION og FLEKSJOB.', per agreement
    served_lead: str = ""  # 'Indsatser, der tjener målet:', or all of it said in one

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def description_text(self) -> str:
        """The description, marked as a quotation where it is the source's own words."""
        if not self.description:
            return ""
        return quoted(self.description) if self.quoted else self.description

    @property
    def target_text(self) -> str:
        return f"Mål: {self.target}" if self.target else ""

    @property
    def narrative_text(self) -> tuple[str, str]:
        """The year's account of a qualitative goal: its lead in bold, then the text."""
        return (f"I {self.year}: ", self.narrative) if self.narrative else ("", "")

    @property
    def comment_text(self) -> str:
        return f"Bemærkning: {self.comment}" if self.comment else ""


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
    unserved: str = ""  # said once: which goals no effort in force serves

    @property
    def heading(self) -> str:
        return f"Mål {self.years}"

    @property
    def mission_text(self) -> str:
        return f"Mission: {quoted(self.mission)}" if self.mission else ""

    @property
    def source_text(self) -> str:
        return f"Kilde: {self.source}" if self.source else ""

    @property
    def fora_text(self) -> str:
        return f"Fora: {join_names(list(self.fora))}" if self.fora else ""

    @property
    def members_heading(self) -> str:
        return f"Medlemmer {self.years}"

    @property
    def members_columns(self) -> tuple[str, ...]:
        return MEMBER_COLUMNS


@dataclass(frozen=True)
class MarkAwarded:
    organisation: str
    mark: str
    criteria: tuple[str, ...]

    @property
    def heading(self) -> str:
        return f"{self.organisation}: {self.mark}"

    @property
    def criteria_lead(self) -> str:
        return "Opfylder kriterierne:"


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
    status_labels: tuple[str, ...]  # the overview's columns: the scale, and any missing
    overview: tuple[AgreementStatus, ...]
    sections: tuple[Section, ...]
    marks: tuple[MarkAwarded, ...]
    marks_shown: bool
    missing: tuple[str, ...]  # names of active agreements without an evaluation
    footer: str
    metadata: Metadata
    # What the report says, once each, in Word and PDF alike:
    notice: str = ""  # the example's notice, or ''
    status_heading: str = ""  # 'Status 2016': page 1
    dashboard: Dashboard | None = None  # a line per goal (none: no period's goals)
    bar: EffortBar | None = None  # how the efforts were assessed (none: no efforts)
    notes: tuple[str, ...] = ()  # page 1's sentences: no goals set; evaluations missing
    overview_heading: str = ""  # '' where the bar says it all (one agreement, or none)
    overview_columns: tuple[str, ...] = ()
    whole: bool = True  # False: one agreement alone, named by the subtitle
    marks_heading: str = ""
    marks_none: str = ""  # 'Der er ikke tildelt mærker i 2016.'

    @property
    def goals(self) -> tuple[GoalStatus, ...]:
        return self.period.goals if self.period else ()


def result_text(value: bool | float) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return formatting.number(value)


def target_text(effort: Effort) -> str:
    if effort.target is None:
        return "–"
    return f"{formatting.number(effort.target.value)} {effort.target.unit}"


def section(name: str, agreement: Agreement, programme: Programme,
            evaluation: Evaluation | None, year: int = 0) -> Section:
    title = f"{title_of(agreement, programme)} – {subtitle_of(agreement)}"
    parties = tuple(p.name for p in agreement.parties.values())
    term = term_span(agreement)
    if evaluation is None:
        return Section(name, title, parties, term, missing=True, year=year)
    efforts = []
    for effort in agreement.efforts:
        ev = evaluation.efforts[effort.name]
        lines = commitments(agreement, effort)
        efforts.append(EffortStatus(
            name=effort.name,
            target=target_text(effort), indicator=ev.indicator,
            result=result_text(ev.result), assessment=ev.assessment,
            relevance=ev.relevance, next_step=ev.next_step,
            commitments=lines))
    return Section(name, title, parties, term, missing=False,
                   evaluated_by=evaluation.evaluated_by,
                   evaluated_on=formatting.date_long(evaluation.evaluated_on),
                   comment=evaluation.comment, efforts=tuple(efforts), year=year)


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


def so_far_target(goal: QuantitativeGoal, period: Period, year: int) -> float | None:
    """What the running total should have reached by the end of `year`: the yearly
    target times the years so far (never beyond the target by the end), or the way to
    the target by the end, year by year; in the period's last year, that target."""
    if goal.by_end is not None and period.end is not None and year >= period.end:
        return goal.by_end
    years = year - period.start + 1
    if goal.per_year is not None:
        due = goal.per_year * years
        return min(due, goal.by_end) if goal.by_end is not None else due
    if goal.by_end is not None and period.end is not None:
        return goal.by_end * years / (period.end - period.start + 1)
    return None


def verdict(goal: QuantitativeGoal, period: Period, year: int,
            series: dict[int, float | None]) -> tuple[Figure, Figure | None, Status]:
    """The year against its yearly target, the running total against the target so far
    (where the years add up), and the goal's one verdict: reached (the period's target,
    or a level's yearly one), on track (at least ON_TRACK_SHARE of the target so far),
    or behind."""
    this_year = series.get(year)
    year_figure = Figure(str(year), this_year, goal.per_year)
    if goal.cumulative:
        total = _cumulative(series)
        so_far: Figure | None = Figure(f"I alt siden {period.start}", total,
                                       so_far_target(goal, period, year))
        figure, due = total, so_far.target
    else:
        so_far, figure = None, this_year
        due = goal.per_year if goal.per_year is not None else goal.by_end
    final = goal.by_end if goal.by_end is not None else (
        None if goal.cumulative else goal.per_year)
    if figure is None:
        word = NO_FIGURES
    elif final is not None and figure >= final:
        word = REACHED
    elif due is not None and figure >= ON_TRACK_SHARE * due:
        word = ON_TRACK
    else:
        word = BEHIND
    return year_figure, so_far, STATUSES[word]


def dashboard(period: PeriodStatus, source: Period, year: int,
              data: YearData) -> Dashboard | None:
    """Page 1's line per goal: the same columns in every programme's report."""
    if not source.goals:
        return None
    figures = any(isinstance(g, QuantitativeGoal) for g in source.goals.values())
    columns = ("Mål", str(year), f"I alt siden {source.start}", "Status") if figures \
        else ("Mål", "Status")
    lines = []
    for status, goal in zip(period.goals, source.goals.values(), strict=True):
        if isinstance(goal, QuantitativeGoal):
            this_year, so_far, word = verdict(goal, source, year,
                                              data.series.get(status.id, {}))
            cells: tuple[str, ...] = (status.heading, this_year.against,
                                      so_far.against if so_far else "–")
        else:
            this_year, so_far, word = None, None, STATUSES[status.assessment]
            cells = (status.heading, "–", "–") if figures else (status.heading,)
        lines.append(GoalLine(status.number, status.title, this_year, so_far, word, cells))
    status_mm = _fit((line.status.label for line in lines), bold=True, least=22, most=32)
    if figures:
        figure_mm = _fit((cell for line in lines for cell in line.cells[1:]), least=28, most=48)
        widths = (TABLE_MM - 2 * figure_mm - status_mm, figure_mm, figure_mm, status_mm)
    else:
        widths = (TABLE_MM - status_mm, status_mm)
    return Dashboard(columns, tuple(lines), VERDICT_KEY if figures else "",
                     tuple(round(w, 1) for w in widths))


def effort_bar(share_list: tuple[Share, ...], year: int) -> EffortBar | None:
    """The efforts of the year by assessment, as one stacked bar (none without efforts)."""
    if not any(s.count for s in share_list):
        return None
    return EffortBar(f"Indsatsernes vurdering i {year}", tuple(
        Segment(STATUSES[s.label], s.count, s.share,
                formatting.number(s.count) if s.share >= INLINE_SHARE else "")
        for s in share_list if s.count))


def chart_caption(goal: GoalStatus) -> str:
    return (f"{goal.measure} pr. år" + (f" og i alt siden {goal.start}" if _two_panels(goal)
                                        else "") + ", mod målene.")


def _two_panels(goal: GoalStatus) -> bool:
    """A goal's chart shows the running total beside the years where the years add up."""
    return goal.cumulative and (goal.per_year is not None or goal.by_end is not None)


def _values(values) -> str:
    return ", ".join(f"{y}: {formatting.number(v) if v is not None else 'ingen tal'}"
                     for y, v in values)


def running_totals(goal: GoalStatus) -> list[float | None]:
    """The total since the period began, year by year (a year without figures leaves
    every later total unknown)."""
    out: list[float | None] = []
    running: float | None = 0
    for _, value in sorted(goal.series):
        running = None if running is None or value is None else running + value
        out.append(running)
    return out


def target_path(goal: GoalStatus) -> list[float]:
    """The yearly target added up, year by year, never beyond the target by the end."""
    path = [goal.per_year * (y - goal.start + 1) for y, _ in sorted(goal.series)]
    return [min(p, goal.by_end) for p in path] if goal.by_end is not None else path


def chart_alt(goal: GoalStatus) -> str:
    """A goal's chart in words: every figure it draws."""
    series = sorted(goal.series)
    years = [y for y, _ in series]
    alt = (f"Søjlediagram over {lower_first(goal.measure)}. Pr. år"
           + (f", mod et mål på {formatting.number(goal.per_year)}"
              if goal.per_year is not None else "") + f": {_values(series)}.")
    if _two_panels(goal):
        totals = running_totals(goal)
        if goal.per_year is not None:
            alt += (f" I alt siden {goal.start}, mod målet år for år: "
                    + ", ".join(f"{y}: {formatting.number(c) if c is not None else 'ingen tal'}"
                                f" mod {formatting.number(p)}"
                                for y, c, p in zip(years, totals, target_path(goal),
                                                   strict=True)) + ".")
        else:
            alt += f" I alt siden {goal.start}: {_values(zip(years, totals, strict=True))}."
    if goal.by_end is not None:
        alt += f" Målet er {formatting.number(goal.by_end)} ved udgangen af {goal.end}."
    return alt


def _served(goal_id: str, sections: list[Section], agreements: dict[str, Agreement],
            efforts_total: int) -> tuple[str, tuple[str, ...]]:
    """Which efforts serve a goal, named (their assessments are in the scorecards): a
    lead-in and a line per agreement, or one sentence where every effort serves it."""
    lines, serving = [], 0
    for s in sections:
        names = [e.name for e in agreements[s.name].efforts if goal_id in e.serves]
        serving += len(names)
        if names:
            lines.append(f"{s.title}: {join_names(names)}.")
    if not serving:
        return "", ()
    if serving == efforts_total and efforts_total > 1:
        return "Alle indsatser i rapporten tjener målet.", ()
    return "Indsatser, der tjener målet:", tuple(lines)


def _unserved(goals: list[GoalStatus], year: int, any_agreement: bool) -> str:
    """The goals no effort serves, said once (nothing where no agreement is in force:
    the subtitle says so)."""
    unserved = [g for g in goals if not g.served_lead]
    if not any_agreement or not unserved:
        return ""
    which = ("periodens mål" if len(unserved) == len(goals) else
             f"mål {join_names([str(g.number) for g in unserved])}")
    return f"Ingen indsatser i aftaler i kraft i {year} tjener {which}."


def _period_status(period: Period, year: int, data: YearData, sections: list[Section],
                   agreements: dict[str, Agreement], efforts_total: int) -> PeriodStatus:
    goals = []
    charts = 0
    for number, (goal_id, goal) in enumerate(period.goals.items(), start=1):
        recorded = data.result(goal_id)
        lead, lines = _served(goal_id, sections, agreements, efforts_total)
        common = {"id": goal_id, "number": number, "title": goal.title,
                  "description": goal.description or "",
                  "comment": recorded.comment or "" if recorded else "",
                  "quoted": goal.quoted, "year": year, "served": lines, "served_lead": lead}
        if isinstance(goal, QuantitativeGoal):
            series = data.series.get(goal_id, {})
            baseline = (f"Udgangspunkt: {formatting.number(goal.baseline.value)} {goal.unit} "
                        f"i {goal.baseline.year}." if goal.baseline else "")
            status = GoalStatus(
                **common, quantitative=True, target=goal_targets(goal, period.end),
                baseline=baseline, figures=quantitative_figures(goal, period, year, series),
                assessment="", narrative="", measure=goal.measure, unit=goal.unit,
                series=tuple(series.items()), per_year=goal.per_year, by_end=goal.by_end,
                cumulative=goal.cumulative, start=period.start, end=period.end)
            if series:
                charts += 1
                status = replace(status, chart=ChartText(charts, chart_caption(status),
                                                         chart_alt(status)))
            goals.append(status)
        else:
            goals.append(GoalStatus(
                **common, quantitative=False, target="", baseline="", figures=(),
                assessment=recorded.assessment if recorded else NOT_ASSESSED,
                narrative=recorded.narrative or "" if recorded else ""))
    members = tuple(Member(m.name, m.title, m.organisation) for m in period.members)
    return PeriodStatus(period.years, period.mission, period.source, tuple(period.fora),
                        members, tuple(goals), _unserved(goals, year, bool(sections)))


def build(year: int, programme: Programme, agreements: dict[str, Agreement], data: YearData,
          only: str | None = None) -> ReportDocument:
    """The report of `year` over the programme's agreements in force that year (or just
    `only`). A report of one agreement leaves the programme's goals and marks out."""
    active = {n: a for n, a in agreements.items()
              if a.term.covers_year(year) and (only is None or n == only)}
    evaluations = {n: e for n, e in data.evaluations.items() if n in active}
    sections = [section(n, a, programme, evaluations.get(n), year) for n, a in active.items()]
    missing = tuple(s.name for s in sections if s.missing)
    share_list = shares(sections, active)
    efforts_total = sum(s.count for s in share_list)
    whole = only is None
    period = programme.period_of(year) if whole else None
    status = _period_status(period, year, data, sections, active, efforts_total) \
        if period else None
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
    notes = [no_goals] if no_goals else []
    if missing:
        notes.append(f"{upper_first(count(len(missing), 'aftale', 'aftaler'))} i kraft i "
                     f"{year} mangler evaluering.")
    marks_shown = whole and bool(programme.marks)
    return ReportDocument(
        year=year, title=title, subtitle=subtitle, header=programme.name, example=example,
        period=status, no_goals=no_goals, shares=share_list, efforts_total=efforts_total,
        status_labels=labels, overview=overview, sections=tuple(sections), marks=marks,
        marks_shown=marks_shown, missing=missing,
        footer=f"{title} · {scope}", metadata=metadata,
        notice=EXAMPLE_NOTICE if example else "", status_heading=f"Status {year}",
        dashboard=dashboard(status, period, year, data) if status else None,
        bar=effort_bar(share_list, year), notes=tuple(notes),
        overview_heading="Indsatsernes vurdering pr. aftale" if len(sections) > 1 else "",
        overview_columns=("Aftale", *(STATUSES[label].label for label in labels)),
        whole=whole, marks_heading=f"Tildelte mærker {year}" if marks_shown else "",
        marks_none=f"Der er ikke tildelt mærker i {year}." if marks_shown and not marks
        else "")


def _status_counts(s: Section, efforts: int, labels: tuple[str, ...]) -> AgreementStatus:
    """The overview's row of an agreement: its efforts counted by status (all of them
    'mangler evaluering' when it has no evaluation)."""
    if s.missing:
        return AgreementStatus(s.title, tuple(efforts if label == MISSING else 0
                                              for label in labels))
    return AgreementStatus(s.title, tuple(sum(e.assessment == label for e in s.efforts)
                                          for label in labels))

