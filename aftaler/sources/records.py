"""What the secretariat records each year: the evaluation of each agreement and the
alliance's own figures.

They live next to what they belong to, one file per year:

    agreements/hospital.yaml          the agreement
    agreements/hospital/2016.yaml     its evaluation of 2016
    agreements/alliance.yaml          the alliance
    agreements/alliance/2016.yaml     citizens off public support and marks awarded in 2016
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from ..errors import DefinitionError, Problem
from .definitions import (
    ALLIANCE_FILE,
    Agreement,
    Alliance,
    Check,
    Definitions,
    PartyId,
    Strict,
    Text,
    load_file,
)

# The fixed scale of progression, in the order a report lists it.
ASSESSMENTS = ("opfyldt", "delvist opfyldt", "ikke opfyldt", "ikke igangsat")
Assessment = Literal["opfyldt", "delvist opfyldt", "ikke opfyldt", "ikke igangsat"]
MISSING = "mangler evaluering"
YEAR_FILE = re.compile(r"^(\d{4})\.yaml$")


class EffortEvaluation(Strict):
    """The evaluation of one effort in one year."""

    indicator: Text = Field(description="What was measured, in words.")
    result: bool | float = Field(
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
    evaluated_on: dt.date
    comment: Text = Field(description="The evaluator's overall comment.")
    efforts: dict[str, EffortEvaluation] = Field(
        description="One entry per effort of the agreement, keyed by its name.")


class MarkAward(Strict):
    organisation: Text
    mark: PartyId = Field(description="Key of the mark in alliance.yaml, e.g. 'alliance'.")
    criteria: list[int] = Field(
        min_length=1, description="Numbers (from 1) of the mark's criteria it meets.")


class AllianceYear(Strict):
    """The alliance's own figures of one year (the file's name is the year)."""

    example: bool = Field(
        False, description="true: the figures are examples, not official; reports say so.")
    citizens_off_support: int = Field(
        ge=0, description="Citizens lifted off public support that year.")
    marks: list[MarkAward] = Field(default_factory=list,
                                   description="Marks awarded that year.")


def evaluation_checks(agreement: Agreement, year: int) -> callable:
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


def alliance_year_checks(alliance: Alliance) -> callable:
    def checks(y: AllianceYear) -> Check:
        for i, award in enumerate(y.marks):
            mark = alliance.marks.get(award.mark)
            if mark is None:
                yield ("marks", i, "mark"), \
                    f"unknown mark (alliance.yaml has: {', '.join(alliance.marks)})"
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
    """Everything recorded for one year."""

    year: int
    alliance: AllianceYear | None
    series: dict[int, int | None]  # citizens off support, each year of the goal so far
    evaluations: dict[str, Evaluation]  # agreement name -> its evaluation

    @property
    def cumulative(self) -> int | None:
        """Citizens off support from the goal's first year to this one (None when a
        year has no figures: then no total can be given)."""
        values = list(self.series.values())
        return None if not values or None in values else sum(values)


class Records:
    """The yearly records beside the definitions."""

    def __init__(self, definitions: Definitions):
        self.definitions = definitions

    def folder_of(self, name: str) -> Path:
        return self.definitions.folder / name

    def path(self, name: str, year: int) -> Path:
        return self.folder_of(name) / f"{year}.yaml"

    def evaluation(self, name: str, agreement: Agreement, year: int) -> Evaluation | None:
        path = self.path(name, year)
        if not path.is_file():
            return None
        return load_file(path, Evaluation, self.definitions.display(path),
                         evaluation_checks(agreement, year))

    def alliance_year(self, alliance: Alliance, year: int) -> AllianceYear | None:
        path = self.path(Path(ALLIANCE_FILE).stem, year)
        if not path.is_file():
            return None
        return load_file(path, AllianceYear, self.definitions.display(path),
                         alliance_year_checks(alliance))

    def year(self, year: int, alliance: Alliance,
             agreements: dict[str, Agreement]) -> YearData:
        """Load every record of `year`; raise DefinitionError listing every problem."""
        problems: list[Problem] = []
        evaluations = {}
        alliance_year = None
        series: dict[int, int | None] = {}
        try:
            alliance_year = self.alliance_year(alliance, year)
            for y in range(alliance.goal.start_year, year + 1):
                record = alliance_year if y == year else self.alliance_year(alliance, y)
                series[y] = record.citizens_off_support if record else None
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
        return YearData(year, alliance_year, series, evaluations)

    def stray_files(self) -> list[Problem]:
        """Files in a record folder whose name is not a year, or whose owner is unknown."""
        problems = []
        owners = set(self.definitions.names()) | {Path(ALLIANCE_FILE).stem}
        for folder in sorted(p for p in self.definitions.folder.iterdir() if p.is_dir()):
            display = self.definitions.display(folder)
            if folder.name not in owners:
                problems.append(Problem(display, None, "", (
                    "a folder of yearly records needs a definition of the same name "
                    f"({folder.name}.yaml)")))
                continue
            for path in sorted(folder.glob("*.yaml")):
                if not YEAR_FILE.match(path.name):
                    problems.append(Problem(self.definitions.display(path), None, "",
                                            "a yearly record is named after its year, "
                                            "e.g. 2016.yaml"))
        return problems

    def check_all(self, alliance: Alliance, agreements: dict[str, Agreement]) -> list[Problem]:
        """Validate every yearly record; return every problem."""
        problems = self.stray_files()
        stem = Path(ALLIANCE_FILE).stem
        for name in [stem, *agreements]:
            folder = self.folder_of(name)
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.yaml")):
                match = YEAR_FILE.match(path.name)
                if not match:
                    continue
                year = int(match.group(1))
                try:
                    if name == stem:
                        self.alliance_year(alliance, year)
                    else:
                        self.evaluation(name, agreements[name], year)
                except DefinitionError as exc:
                    problems += exc.problems
        return problems

