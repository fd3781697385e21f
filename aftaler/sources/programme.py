"""The programme format (`programmes/ID.yaml`): an alliance, its strategy periods and goals.

HORSENS ALLIANCEN (id `alliance`) is the programme every agreement belongs to unless it
names another with `programme: ID`. A programme works in periods (2014–2017, 2018–2021,
…) that do not overlap; each has an optional mission, its members and fora, and its
goals. A goal is quantitative (a measured figure against a yearly target and/or a target
by the period's end) or qualitative (assessed each year on the scale of the efforts, with
a short narrative).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AllowInfNan, BeforeValidator, Field

from .. import formatting
from ..names import DEFAULT_PROGRAMME
from .deadlines import DEFAULT_EVALUATIONS_DUE, DayAndMonth, absent, shift_months
from .validation import Check, Id, Name, Strict, Text

__all__ = ["DEFAULT_PROGRAMME", "Programme", "Period", "programme_checks"]
DEFAULT_AGREEMENT_TITLE = "AFTALE"


def _only_numbers(value: object) -> object:
    # YAML's `yes` and "150" are not numbers, whatever Python would make of them.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number")
    return value


Number = Annotated[float, BeforeValidator(_only_numbers), AllowInfNan(False)]
Year = Annotated[int, Field(ge=1900, le=2999)]


class Member(Strict):
    """A member of the programme in a period: a person, with title and organisation."""

    name: Name = Field(description="Full name, exactly as in the source.")
    title: Text = Field(description="Title, e.g. 'Borgmester'.")
    organisation: Name = Field(description="Organisation, e.g. 'Horsens Kommune'.")


class Mark(Strict):
    """A mark the programme awards to companies meeting several of its criteria."""

    name: Text = Field(description="E.g. 'ALLIANCE-mærket'.")
    description: Text
    criteria: list[Text] = Field(min_length=1, description="Numbered from 1 in yearly records.")


class Baseline(Strict):
    """Where a measured figure stood before the period: its value in a year."""

    year: Year
    value: Number


QUOTED = Field(False, description=(
    "true: the description is the source's own words (its grammar and spelling kept), "
    "printed as a quotation."))


class QuantitativeGoal(Strict):
    """A goal measured by a figure each year, against a yearly target and/or a target by
    the period's end."""

    kind: Literal["quantitative"]
    title: Text = Field(description="The goal in words, as its source states it.")
    description: Text | None = None
    quoted: bool = QUOTED
    measure: Text = Field(description=(
        "What is measured, as a label: e.g. 'Borgere løftet væk fra offentlig forsørgelse'."))
    unit: Text = Field(description="The unit of the figure, e.g. 'borgere', 'arbejdspladser'.")
    per_year: Annotated[Number, Field(gt=0)] | None = Field(
        None, description="The target of each year, e.g. 150.")
    by_end: Annotated[Number, Field(gt=0)] | None = Field(
        None, description="The target by the period's end, e.g. 600.")
    cumulative: bool = Field(True, description=(
        "true: the years add up, and the total since the period began is measured against "
        "the targets; false: each year's figure stands alone (a level, not a count)."))
    measured_against: Text | None = Field(
        None, description="What the figure is measured against, e.g. 'landsgennemsnittet'.")
    baseline: Baseline | None = Field(None, description="The figure before the period.")


class QualitativeGoal(Strict):
    """A goal assessed each year on the scale of the efforts, with a short narrative."""

    kind: Literal["qualitative"]
    title: Text = Field(description="The goal in words, as its source states it.")
    description: Text | None = None
    quoted: bool = QUOTED


Goal = Annotated[QuantitativeGoal | QualitativeGoal, Field(discriminator="kind")]


class Period(Strict):
    """A strategy period: whole years from `start` to `end` (open-ended without `end`)."""

    start: Year = Field(description="First year of the period.")
    end: Year | None = Field(None, description="Last year of the period (none: open-ended).")
    source: Text | None = Field(None, description="Where the period's goals are from.")
    mission: Text | None = None
    agreement_text: list[Text] | None = Field(None, description=(
        "Paragraphs that agreements of the period print about its goals (default: the "
        "mission and the goals, listed)."))
    members: list[Member] = Field(default_factory=list)
    fora: list[Text] = Field(default_factory=list, description="E.g. 'Jobtaskforce'.")
    goals: dict[Id, Goal] = Field(default_factory=dict, description="The goals, by id.")

    def covers(self, year: int) -> bool:
        return self.start <= year and (self.end is None or year <= self.end)

    def overlaps(self, first: int, last: int) -> bool:
        """Whether the period shares a year with the years `first` to `last`."""
        return self.start <= last and (self.end is None or first <= self.end)

    @property
    def years(self) -> str:
        """'2018–2021', '2022' for one year, 'fra 2022' when open-ended."""
        if self.end is None:
            return f"fra {self.start}"
        return str(self.start) if self.end == self.start else f"{self.start}–{self.end}"


# How an agreement is signed: what, besides the Word file and the PDF, it is built as.
SigningRoute = Literal["nemlogin", "pdf"]
SIGNING = ("How its agreements are signed: 'nemlogin' (NemLog-in: also build the signing "
           "edition, aftale-NAME-nemlogin.pdf) or 'pdf' (the PDF with signature fields: "
           "signed here with `sign`, or by Penneo or Visma Addo). Default: 'pdf'.")


class Programme(Strict):
    """An alliance (e.g. HORSENS ALLIANCEN, Vækstalliancen) and its strategy periods."""

    name: Text = Field(description="Shown in headers, footers, metadata and report titles.")
    description: Text
    founded: Year | None = None
    agreement_title: Text = Field(
        DEFAULT_AGREEMENT_TITLE,
        description="Title of its agreements that give none, e.g. 'HORSENS ALLIANCE AFTALE'.")
    marks: dict[Id, Mark] = Field(default_factory=dict)
    periods: list[Period] = Field(default_factory=list, description="In order; never overlapping.")
    signing: SigningRoute | None = Field(None, exclude_if=absent, description=SIGNING)
    # Left out of model_dump when not given, like an agreement's notice.
    evaluations_due: DayAndMonth | None = Field(None, exclude_if=absent, description=(
        "When a year's evaluations (and the programme's results) are due, in the year after "
        "it: e.g. '31. januar' (the default). The year's report is due a month later."))

    def evaluations_due_on(self, year: int) -> dt.date:
        """When the evaluations of `year` are due: by default 31 January of the next."""
        return (self.evaluations_due or DEFAULT_EVALUATIONS_DUE).in_year(year + 1)

    def report_due_on(self, year: int) -> dt.date:
        """When the report of `year` is due: a month after its evaluations."""
        return shift_months(self.evaluations_due_on(year), 1)

    def period_of(self, year: int) -> Period | None:
        return next((p for p in self.periods if p.covers(year)), None)

    def periods_overlapping(self, first: int, last: int) -> list[Period]:
        return [p for p in self.periods if p.overlaps(first, last)]

    def goal_ids(self) -> list[str]:
        return [goal_id for period in self.periods for goal_id in period.goals]

    @property
    def began(self) -> int | None:
        """The year the programme began: `founded`, or else its first period's start."""
        return self.founded or (self.periods[0].start if self.periods else None)

    def before_it_began(self, year: int) -> str | None:
        """Why there is nothing of the programme in `year`, if it began later: the one
        rule for its reports, its forms and its yearly records."""
        if self.began is None or year >= self.began:
            return None
        return f"{self.name} began in {self.began}: there is nothing of it in {year}"


def programme_checks(programme: Programme) -> Check:
    previous: tuple[int, Period] | None = None
    first_use: dict[str, int] = {}
    for i, period in enumerate(programme.periods):
        if period.end is not None and period.end < period.start:
            yield ("periods", i, "end"), f"must not be before start ({period.start})"
        if previous is not None:
            j, before = previous
            if before.end is None or period.start <= before.end:
                yield ("periods", i, "start"), (
                    f"overlaps periods[{j}] ({before.years}): periods follow one another")
        previous = (i, period)
        for goal_id, goal in period.goals.items():
            path = ("periods", i, "goals", goal_id)
            if goal_id in first_use:
                yield path, (f"the id is also a goal of periods[{first_use[goal_id]}]: "
                             "an id names one goal")
            first_use.setdefault(goal_id, i)
            if isinstance(goal, QuantitativeGoal):
                if goal.per_year is None and goal.by_end is None:
                    yield path, "give its target: per_year, by_end or both"
                if goal.by_end is not None and period.end is None:
                    yield path + ("by_end",), "the period has no end: give it an end year"
                yield from _stated(period, i, goal_id, goal)


def _stated(period: Period, index: int, goal_id: str, goal: QuantitativeGoal) -> Check:
    """A period's own wording for agreements must state its goals' targets: one source
    for the figures, even where the wording is the signed text."""
    if not period.agreement_text:
        return
    text = " ".join(period.agreement_text)
    for key in ("per_year", "by_end"):
        value = getattr(goal, key)
        if value is not None and formatting.number(value) not in text:
            yield ("periods", index, "agreement_text"), (
                f"does not state {formatting.number(value)}, the target {key} of the goal "
                f"{goal_id!r}: the wording and the goal must agree")
