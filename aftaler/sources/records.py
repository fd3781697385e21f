"""What the secretariat records each year: each agreement's evaluation, and each
programme's results against the goals of its period.

They live next to what they belong to, one file per year:

    agreements/hospital.yaml          the agreement
    agreements/hospital/2016.yaml     its evaluation of 2016
    programmes/alliance.yaml          the programme HORSENS ALLIANCEN
    programmes/alliance/2016.yaml     its results of 2016 (goals, marks awarded)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, PlainValidator, WithJsonSchema

from ..errors import DefinitionError, Problem
from .agreement import Agreement
from .programme import Number, Programme, QualitativeGoal, QuantitativeGoal
from .validation import Check, Date, Id, Strict, Text, load_file

# The fixed scale of progression, in the order a report lists it.
ASSESSMENTS = ("opfyldt", "delvist opfyldt", "ikke opfyldt", "ikke igangsat")
Assessment = Literal["opfyldt", "delvist opfyldt", "ikke opfyldt", "ikke igangsat"]
MISSING = "mangler evaluering"
YEAR_FILE = re.compile(r"^(\d{4})\.yaml$")


def _done_or_number(value: object) -> bool | float:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    raise ValueError("expected a number, or true/false for done or not")


DoneOrNumber = Annotated[bool | float, PlainValidator(_done_or_number),
                         WithJsonSchema({"anyOf": [{"type": "boolean"}, {"type": "number"}]})]


class EffortEvaluation(Strict):
    """The evaluation of one effort in one year."""

    indicator: Text = Field(description="What was measured, in words.")
    result: DoneOrNumber = Field(
        description="What was measured: a number, or true/false for done or not.")
    assessment: Assessment = Field(
        description="Progression: opfyldt, delvist opfyldt, ikke opfyldt or ikke igangsat.")
    relevance: Text = Field(description="Is the effort still relevant, and why.")
    next_step: Text = Field(description="What happens next year.")


class Evaluation(Strict):
    """One agreement's evaluation of one year (the file's name is the year)."""

    example: bool = Field(
        False, description="true: the figures are examples, not official; reports say so.")
    evaluated_by: Text = Field(description="Who evaluated (name and organisation).")
    evaluated_on: Date
    comment: Text = Field(description="The evaluator's overall comment.")
    efforts: dict[str, EffortEvaluation] = Field(
        description="One entry per effort of the agreement, keyed by its name.")


class GoalResult(Strict):
    """A goal's result in one year: a figure (quantitative) or an assessment (qualitative)."""

    result: Number | None = Field(None, description="Quantitative goal: the year's figure.")
    assessment: Assessment | None = Field(
        None, description="Qualitative goal: opfyldt, delvist opfyldt, ikke opfyldt or "
                          "ikke igangsat.")
    narrative: Text | None = Field(
        None, description="Qualitative goal: what happened, in a few sentences.")
    comment: Text | None = Field(None, description="Optional remark, shown with the result.")


class MarkAward(Strict):
    organisation: Text
    mark: Id = Field(description="Key of the mark in the programme, e.g. 'alliance'.")
    criteria: list[int] = Field(
        min_length=1, description="Numbers (from 1) of the mark's criteria it meets.")


class ProgrammeYear(Strict):
    """A programme's results of one year (the file's name is the year)."""

    example: bool = Field(
        False, description="true: the figures are examples, not official; reports say so.")
    goals: dict[Id, GoalResult] = Field(
        default_factory=dict, description="Results of the period's goals, by goal id.")
    marks: list[MarkAward] = Field(default_factory=list, description="Marks awarded that year.")


def evaluation_checks(agreement: Agreement, year: int) -> Callable[[Evaluation], Check]:
    def checks(e: Evaluation) -> Check:
        names = [effort.name for effort in agreement.efforts]
        if not agreement.term.covers_year(year):
            yield (), (f"the agreement is in force {agreement.term.start.isoformat()} to "
                       f"{agreement.term.end.isoformat()}, not in {year}")
        if e.evaluated_on.year < year:
            yield ("evaluated_on",), f"must not be before the year evaluated ({year})"
        for name in e.efforts:
            if name not in names:
                yield ("efforts", name), \
                    f"the agreement has no such effort (efforts: {', '.join(names)})"
        for name in names:
            if name not in e.efforts:
                yield ("efforts",), f"missing the evaluation of {name!r}"
        for effort in agreement.efforts:
            ev = e.efforts.get(effort.name)
            if ev and effort.target and isinstance(ev.result, bool):
                yield ("efforts", effort.name, "result"), \
                    f"the effort has a target in {effort.target.unit}: give a number"
    return checks


def programme_year_checks(programme: Programme, year: int) -> Callable[[ProgrammeYear], Check]:
    def checks(y: ProgrammeYear) -> Check:
        if programme.before_it_began(year):
            yield (), f"{programme.before_it_began(year)} (the file is named for the year)"
            return
        period = programme.period_of(year)
        goals = period.goals if period else {}
        for goal_id, result in y.goals.items():
            path = ("goals", goal_id)
            goal = goals.get(goal_id)
            if goal is None:
                where = (f"the period {period.years}" if period
                         else f"{year} (no period of {programme.name} covers it)")
                known = ", ".join(goals) or "none"
                yield path, f"no such goal in {where} (goals: {known})"
            elif isinstance(goal, QuantitativeGoal):
                if result.result is None:
                    yield path, f"a quantitative goal: give its result in {goal.unit}"
                for key in ("assessment", "narrative"):
                    if getattr(result, key) is not None:
                        yield path + (key,), "a quantitative goal has a result, not " + key
            elif isinstance(goal, QualitativeGoal):
                for key in ("assessment", "narrative"):
                    if getattr(result, key) is None:
                        yield path, f"a qualitative goal: give its {key}"
                if result.result is not None:
                    yield path + ("result",), \
                        "a qualitative goal has an assessment and a narrative, not a result"
        for i, award in enumerate(y.marks):
            mark = programme.marks.get(award.mark)
            if mark is None:
                yield ("marks", i, "mark"), \
                    f"unknown mark ({programme.name} has: {', '.join(programme.marks) or 'none'})"
                continue
            for j, number in enumerate(award.criteria):
                if not 1 <= number <= len(mark.criteria):
                    yield ("marks", i, "criteria", j), \
                        f"{mark.name} has criteria 1 to {len(mark.criteria)}"
            if len(set(award.criteria)) < 2:
                yield ("marks", i, "criteria"), \
                    f"{mark.name} is awarded for several criteria met: name at least two"
    return checks


@dataclass(frozen=True)
class YearData:
    """Everything recorded for one year of a programme."""

    year: int
    programme: ProgrammeYear | None
    # Each quantitative goal of the year's period: its figure each year from the
    # period's start to this one (None: not recorded).
    series: dict[str, dict[int, float | None]]
    evaluations: dict[str, Evaluation]  # agreement name -> its evaluation

    def result(self, goal_id: str):
        """The year's recorded result of a goal, or None."""
        return self.programme.goals.get(goal_id) if self.programme else None


class Records:
    """The yearly records beside the definitions: `FOLDER/NAME/YEAR.yaml`."""

    def __init__(self, agreements: Path, programmes: Path, display: Callable[[Path], str]):
        self.agreements = agreements
        self.programmes = programmes
        self.display = display

    def evaluation_path(self, name: str, year: int) -> Path:
        return self.agreements / name / f"{year}.yaml"

    def programme_path(self, programme_id: str, year: int) -> Path:
        return self.programmes / programme_id / f"{year}.yaml"

    def evaluation(self, name: str, agreement: Agreement, year: int) -> Evaluation | None:
        path = self.evaluation_path(name, year)
        if not path.is_file():
            return None
        return load_file(path, Evaluation, self.display(path),
                         evaluation_checks(agreement, year))

    def programme_year(self, programme_id: str, programme: Programme,
                       year: int) -> ProgrammeYear | None:
        path = self.programme_path(programme_id, year)
        if not path.is_file():
            return None
        return load_file(path, ProgrammeYear, self.display(path),
                         programme_year_checks(programme, year))

    def year(self, year: int, programme_id: str, programme: Programme,
             agreements: dict[str, Agreement]) -> YearData:
        """Load every record of `year`; raise DefinitionError listing every problem."""
        problems: list[Problem] = []
        evaluations = {}
        this_year = None
        series: dict[str, dict[int, float | None]] = {}
        try:
            this_year = self.programme_year(programme_id, programme, year)
            period = programme.period_of(year)
            earlier = {y: this_year if y == year else
                       self.programme_year(programme_id, programme, y)
                       for y in range(period.start, year + 1)} if period else {}
            for goal_id, goal in (period.goals.items() if period else ()):
                if isinstance(goal, QuantitativeGoal):
                    series[goal_id] = {
                        y: (record.goals[goal_id].result
                            if record and goal_id in record.goals else None)
                        for y, record in earlier.items()}
        except DefinitionError as exc:
            problems += exc.problems
        for name, agreement in agreements.items():
            try:
                found = self.evaluation(name, agreement, year)
            except DefinitionError as exc:
                problems += exc.problems
                continue
            if found is not None:
                evaluations[name] = found
        if problems:
            raise DefinitionError(problems)
        return YearData(year, this_year, series, evaluations)

    def check_all(self, programmes: dict[str, Programme],
                  agreements: dict[str, Agreement]) -> list[Problem]:
        """Validate every yearly record of every valid definition; return every problem."""
        problems = []
        for name, agreement in agreements.items():
            for year, _ in self._years(self.agreements / name):
                problems += _problems_of(self.evaluation, name, agreement, year)
        for pid, programme in programmes.items():
            for year, _ in self._years(self.programmes / pid):
                problems += _problems_of(self.programme_year, pid, programme, year)
        return problems

    def stray_files(self, owners: dict[Path, set[str]]) -> list[Problem]:
        """Record folders without a definition, and files whose name is not a year.

        `owners`: for each definitions folder, the names of its definitions.
        """
        problems = []
        for folder, names in owners.items():
            if not folder.is_dir():
                continue
            for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
                if sub.name.startswith("."):
                    continue
                if sub.name not in names:
                    problems.append(Problem(self.display(sub), None, "", (
                        "a folder of yearly records needs a definition of the same name "
                        f"({sub.name}.yaml)")))
                    continue
                for path in sorted(sub.glob("*.yaml")):
                    if not YEAR_FILE.match(path.name):
                        problems.append(Problem(self.display(path), None, "",
                                                "a yearly record is named after its year, "
                                                "e.g. 2016.yaml"))
        return problems

    @staticmethod
    def _years(folder: Path) -> list[tuple[int, Path]]:
        if not folder.is_dir():
            return []
        found = ((YEAR_FILE.match(p.name), p) for p in sorted(folder.glob("*.yaml")))
        return [(int(m.group(1)), p) for m, p in found if m]


def _problems_of(load: Callable[..., object], *args: object) -> list[Problem]:
    try:
        load(*args)
    except DefinitionError as exc:
        return exc.problems
    return []
