"""The definition format: pydantic models, their checks, and loading with located errors.

An agreement definition (`agreements/NAME.yaml`) describes one HORSENS ALLIANCE AFTALE;
`agreements/alliance.yaml` describes the alliance every agreement belongs to.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ..errors import BadInput, DefinitionError, Problem
from ..names import not_a_name, unknown_name
from . import yamlsource

ALLIANCE_FILE = "alliance.yaml"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
PartyId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$")]
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class Strict(BaseModel):
    # An unknown key is an error: a typo must never pass silently.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Signatory(Strict):
    """A person who signs for a party."""

    name: Text = Field(description="Full name, exactly as it is to be printed.")
    title: Text = Field(description="Title as printed under the name, e.g. 'borgmester'.")


class Party(Strict):
    """One party to the agreement; its key in `parties` is its id."""

    name: Text = Field(description="The organisation's name, e.g. 'Horsens Kommune'.")
    heading: Text | None = Field(
        None, description="Column heading in the content table (default: the name in capitals).")
    signatories: list[Signatory] = Field(
        default_factory=list, description="Who signs for this party (at least one).")

    @property
    def column_heading(self) -> str:
        return self.heading or self.name.upper()


class Target(Strict):
    """A measurable target of an effort, used by the yearly evaluation."""

    indicator: Text = Field(description="What is measured, in words.")
    value: float = Field(gt=0, description="The target value, e.g. 2.")
    unit: Text = Field(description="Unit of the value, e.g. 'pladser'.")


class Joint(Strict):
    """One commitment shared by several parties (one text for all of them)."""

    parties: list[PartyId] = Field(min_length=2, description="Ids of the committed parties.")
    text: Text


class Effort(Strict):
    """One row of AFTALENS INDHOLD: an effort (INDSATS) and what each party commits to."""

    name: Text = Field(description="The effort's name, e.g. 'JOBROTATION'.")
    commitments: dict[str, Text] = Field(
        default_factory=dict,
        description="Each party's commitment, keyed by party id; a party may have none.")
    joint: Joint | None = Field(None, description="A commitment shared by several parties.")
    target: Target | None = None


class Term(Strict):
    start: dt.date = Field(description="First day the agreement is in force.")
    end: dt.date = Field(description="Last day the agreement is in force.")

    def covers_year(self, year: int) -> bool:
        return self.start.year <= year <= self.end.year


class Agreement(Strict):
    """A HORSENS ALLIANCE AFTALE between the alliance's municipality and a partner."""

    title: Text = "HORSENS ALLIANCE AFTALE"
    parties: dict[PartyId, Party] = Field(
        min_length=2, description="The parties in column order, keyed by a short id.")
    opening: Text = Field(description="First paragraph: who agrees with whom, about what.")
    include_alliance_goal: bool = Field(
        True, description="Print the alliance's goal (from alliance.yaml) after the opening.")
    preamble: list[Text] = Field(
        default_factory=list, description="Paragraphs after the alliance's goal.")
    cooperation: list[Text] = Field(
        default_factory=list, description="Extra paragraphs specific to this partner.")
    content_heading: Text = "AFTALENS INDHOLD"
    content_intro: Text | None = None
    effort_heading: Text = "INDSATS"
    efforts: list[Effort] = Field(min_length=1)
    evaluation: Text = Field(description="The evaluation clause.")
    term: Term


class TaxRelief(Strict):
    name: Text = Field(description="The tax phased out, e.g. 'dækningsafgiften'.")
    min_mio_kr: float = Field(ge=0)
    max_mio_kr: float = Field(ge=0)


class Goal(Strict):
    citizens_per_year: int = Field(gt=0, description="Extra citizens off public support a year.")
    citizens_total: int = Field(gt=0, description="Fewer citizens on public support by the end.")
    start_year: int
    end_year: int
    measured_against: Text = Field(description="E.g. 'landsgennemsnittet'.")
    tax_relief: TaxRelief


class Mark(Strict):
    name: Text
    description: Text
    criteria: list[Text] = Field(min_length=1)


class Alliance(Strict):
    """HORSENS ALLIANCEN itself."""

    name: Text
    description: Text
    founded: int
    municipality: Text = Field(description="The municipality, e.g. 'Horsens Kommune'.")
    citizens: Text = Field(description="What its citizens are called, e.g. 'Horsensborgere'.")
    partners: list[Text] = Field(min_length=1)
    goal: Goal
    marks: dict[PartyId, Mark] = Field(default_factory=dict)


# ---------------------------------------------------------------------------
# Checks beyond types. Each yields (path, message); paths are as in the YAML.

Check = Iterator[tuple[tuple, str]]


def _agreement_checks(a: Agreement) -> Check:
    if a.term.end <= a.term.start:
        yield ("term", "end"), f"must be after term.start ({a.term.start.isoformat()})"
    declared = ", ".join(a.parties)
    for pid, party in a.parties.items():
        if not party.signatories:
            yield ("parties", pid, "signatories"), "every party needs at least one signatory"
    seen_fields: dict[str, tuple] = {}
    for pid, party in a.parties.items():
        for i, s in enumerate(party.signatories):
            path = ("parties", pid, "signatories", i, "name")
            field = signature_field_name(s.name)
            if field in seen_fields:
                yield path, "two signatories with the same name cannot both have a signature field"
            seen_fields[field] = path
    names: dict[str, int] = {}
    for i, effort in enumerate(a.efforts):
        key = effort.name.casefold()
        if key in names:
            yield ("efforts", i, "name"), f"duplicate effort name (also efforts[{names[key]}])"
        names.setdefault(key, i)
        for pid in effort.commitments:
            if pid not in a.parties:
                yield ("efforts", i, "commitments", pid), f"unknown party (declared: {declared})"
        if effort.joint:
            for j, pid in enumerate(effort.joint.parties):
                if pid not in a.parties:
                    yield ("efforts", i, "joint", "parties", j), \
                        f"unknown party {pid!r} (declared: {declared})"
            if len(set(effort.joint.parties)) != len(effort.joint.parties):
                yield ("efforts", i, "joint", "parties"), "a party is listed twice"
            if effort.commitments:
                yield ("efforts", i, "joint"), \
                    "give either commitments or joint, not both (a joint text spans every column)"
        elif not effort.commitments:
            yield ("efforts", i), "no commitment: give commitments (per party) or joint"


def _alliance_checks(a: Alliance) -> Check:
    if a.goal.end_year < a.goal.start_year:
        yield ("goal", "end_year"), f"must not be before goal.start_year ({a.goal.start_year})"
    if a.goal.tax_relief.max_mio_kr < a.goal.tax_relief.min_mio_kr:
        yield ("goal", "tax_relief", "max_mio_kr"), "must not be below min_mio_kr"


CHECKS = {Agreement: _agreement_checks, Alliance: _alliance_checks}


def signature_field_name(person: str) -> str:
    """The PDF signature field name for a signatory: ASCII, so every signing service takes it."""
    folded = person.translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa",
                                             "Æ": "Ae", "Ø": "Oe", "Å": "Aa"}))
    ascii_ = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return "Underskrift_" + "_".join(re.findall(r"[A-Za-z0-9]+", ascii_))


# ---------------------------------------------------------------------------
# Loading


@dataclass(frozen=True)
class Loaded:
    """A validated definition with where it came from."""

    name: str
    path: Path
    model: Any


def validate(model: type[Strict], data: Any, lines: dict, display: str,
             checks: Callable[[Any], Check] | None = None) -> Any:
    """Validate plain data against `model`; raise DefinitionError listing every problem.

    After the types, the model's own checks run (or `checks`, for checks that need
    more than the file itself, such as an evaluation against its agreement).
    """
    if not isinstance(data, dict):
        raise DefinitionError([Problem(display, 1, "", "expected a mapping of keys to values")])
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(model, err, lines, display) for err in exc.errors()]
        raise DefinitionError(sorted(problems, key=_by_line)) from None
    problems = [Problem(display, yamlsource.line_of(lines, path), yamlsource.dotted(path), msg)
                for path, msg in (checks or CHECKS[model])(obj)]
    if problems:
        raise DefinitionError(sorted(problems, key=_by_line))
    return obj


def _by_line(problem: Problem) -> int:
    return problem.line or 0


def load_file(path: Path, model: type[Strict], display: str | None = None,
              checks: Callable[[Any], Check] | None = None) -> Any:
    display = display or str(path)
    try:
        data, lines = yamlsource.load(path, display)
    except yamlsource.YamlProblem as exc:
        raise DefinitionError([exc.problem]) from None
    return validate(model, data, lines, display, checks)


def _problem(model: type[BaseModel], err: dict, lines: dict, display: str) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "missing":
        message = "required field is missing"
    elif kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        message = "unknown key"
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if close:
            message += f"; did you mean {close[0]!r}?"
        if allowed:
            message += f" (allowed: {', '.join(allowed)})"
    else:
        message = err["msg"]
        message = message[0].lower() + message[1:]
        if kind == "string_pattern_mismatch" and loc and loc[-1] == "[key]":
            loc = loc[:-1]
            message = "ids are lower-case letters, digits, '-' and '_', starting with a letter"
    return Problem(display, yamlsource.line_of(lines, loc), yamlsource.dotted(loc), message)


def _fields_at(model: Any, loc: tuple) -> list[str]:
    """The keys allowed at `loc` inside `model` (for 'unknown key' messages)."""
    for part in loc:
        model = _bare(model)
        if isinstance(model, type) and issubclass(model, BaseModel):
            field = model.model_fields.get(str(part))
            if field is None:
                return []
            model = field.annotation
        elif typing.get_origin(model) in (list, dict):
            model = typing.get_args(model)[-1]
        else:
            return []
    model = _bare(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or n for n, f in model.model_fields.items()]
    return []


def _bare(tp: Any) -> Any:
    """`X | None` and `Annotated[X, ...]` -> X."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        non_none = [a for a in args if a is not type(None)]
        return _bare(non_none[0]) if len(non_none) == 1 else tp
    if origin is Annotated:
        return _bare(args[0])
    return tp


# ---------------------------------------------------------------------------
# The project's definitions folder


class Definitions:
    """The `agreements/` folder: the alliance and one file per agreement."""

    def __init__(self, folder: Path, root: Path | None = None):
        self.folder = folder
        self.root = root or folder.parent

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def names(self) -> list[str]:
        """Every agreement's name (its file name without .yaml), sorted."""
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.yaml")
                      if p.name != ALLIANCE_FILE and not p.name.startswith("."))

    def path_of(self, name: str) -> Path:
        if not name or "/" in name or "\\" in name or ".." in name or not NAME_PATTERN.match(name):
            raise BadInput(not_a_name(name, self.names()))
        path = self.folder / f"{name}.yaml"
        if name == Path(ALLIANCE_FILE).stem or not path.is_file():
            raise BadInput(unknown_name(name, self.names(), self.display(self.folder)))
        return path

    def agreement(self, name: str) -> Loaded:
        path = self.path_of(name)
        return Loaded(name, path, load_file(path, Agreement, self.display(path)))

    def alliance(self) -> Loaded:
        path = self.folder / ALLIANCE_FILE
        if not path.is_file():
            raise BadInput(f"{self.display(path)}: missing (the alliance every agreement "
                           "belongs to is defined there)")
        return Loaded("alliance", path, load_file(path, Alliance, self.display(path)))

    def check_all(self) -> tuple[list[Loaded], list[Problem]]:
        """Validate every definition; return the good ones and every problem found."""
        loaded: list[Loaded] = []
        problems: list[Problem] = []
        loaders = [self.alliance] + [lambda n=n: self.agreement(n) for n in self.names()]
        for load in loaders:
            try:
                loaded.append(load())
            except DefinitionError as exc:
                problems.extend(exc.problems)
            except BadInput as exc:
                problems.append(Problem(self.display(self.folder), None, "", exc.message))
        return loaded, problems
