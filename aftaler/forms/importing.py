"""A filled form made into its yearly record, checked exactly as the YAML record would be.

For each form: open it, read what it is for (agreement or programme, year, fingerprint),
check that against the definitions, read its cells, validate the data with the record's
own model and checks, and render the YAML. Problems are located by sheet and cell:

    evaluering-2017-hospital.xlsx: Skema!F9: Vurdering: 'fint' is not one of opfyldt, …

Nothing is written here: `plan` returns what to write, or every problem found.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import BadInput, DefinitionError
from ..sources.definitions import Definitions
from ..sources.programme import QuantitativeGoal
from ..sources.records import Evaluation, ProgrammeYear, evaluation_checks, programme_year_checks
from ..sources.validation import validate
from . import identity, reading, records
from .export import goal_labels
from .identity import FormIdentity, NotAForm
from .layout import SHEET

# What the export names a form, wherever it stands in the file's name (people add `kopi
# af `, `_svar`, ` (1)` when they save): a renamed copy of another form is caught by it.
_EXPORTED_NAME = re.compile(r"(evaluering|resultater)-(\d{4})-([a-z0-9][a-z0-9_-]*)")
_KIND_OF_PREFIX = {"evaluering": identity.AGREEMENT, "resultater": identity.PROGRAMME}


@dataclass
class Plan:
    """One form's record, ready to write (or the reasons it is not)."""

    source: str  # the form, as the user named it
    identity: FormIdentity | None = None
    target: Path | None = None
    target_shown: str = ""
    text: str = ""
    changes: list[str] | None = None  # field by field, when an existing record is replaced
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _missing(message: str) -> str:
    return "empty: fill it in" if message == "required field is missing" else message


def _cell_problems(source: str, filled: reading.Filled, error: DefinitionError | None,
                   order: list[tuple]) -> list[str]:
    """The problems of a form, each at its cell, in the order of the sheet; a cell that
    could not be read is reported once (not again as missing)."""
    found: list[tuple[tuple[int, int], str]] = []
    seen: set[str] = set()

    def where(place: reading.Place) -> str:
        if not place.cell:  # the form as a whole
            return f"{source}: "
        label = f"{place.label}: " if place.label else ""
        return f"{source}: {SHEET}!{place.cell}: {label}"

    def position(cell: str) -> tuple[int, int]:
        m = re.match(r"([A-Z]+)(\d+)", cell)
        return (int(m.group(2)), len(m.group(1)) * 100 + ord(m.group(1)[-1])) if m else (0, 0)

    for place, message in filled.problems:
        seen.add(place.cell)
        found.append((position(place.cell), where(place) + message))
    for problem in (error.problems if error else ()):
        place = filled.places[order[problem.line or 0]]
        if place.cell in seen and place.cell:
            continue
        found.append((position(place.cell), where(place) + _missing(problem.message)))
    return [line for _, line in sorted(found, key=lambda item: item[0])]


def _validated(source: str, filled: reading.Filled, model: type, checks) -> tuple[Any, list]:
    # validate() locates a problem by the 'line' of its path: here, a path's index in
    # `order`, which is turned back into its cell.
    order = list(filled.places)
    lines = {path: i for i, path in enumerate(order)}
    try:
        obj = validate(model, filled.data, lines, source, checks)
        error = None
    except DefinitionError as exc:
        obj, error = None, exc
    problems = _cell_problems(source, filled, error, order)
    return (None if problems else obj), problems


def _name_check(path: Path, source: str, ident: FormIdentity, known: list[str]) -> str | None:
    """A form whose file name says another agreement or year than the form itself (a copy
    of last year's form, renamed) is refused. The file name says which of the `known`
    names (agreements', or programmes') is the longest it begins with, whatever was added
    after it; one that names none of them says nothing, and the form itself decides."""
    m = _EXPORTED_NAME.search(path.stem.lower())
    if not m:
        return None
    kind, year, rest = _KIND_OF_PREFIX[m.group(1)], int(m.group(2)), m.group(3)
    named = max((n for n in {*known, ident.name} if rest.startswith(n)), key=len, default=None)
    if kind == ident.kind and year == ident.year and named in (None, ident.name):
        return None
    return (f"{source}: the form is for {ident.described}, but its file name says otherwise "
            f"(a renamed copy of another form?): export the form for the right agreement and "
            f"year with `form export`")


def _stamp(source: Path, now: dt.datetime, ident: FormIdentity) -> list[str]:
    notes = []
    if ident.example:
        notes.append("EKSEMPELTAL – not official figures.")
    notes += [f"Imported from the form {source.name} on {now:%Y-%m-%d at %H:%M} (made on "
              f"{ident.made.isoformat()}) with `form import`.",
              "Correct it in the form and import it again with --replace, or edit it here."]
    return notes


def _existing(target: Path, defaults: dict[str, Any]) -> tuple[Any, str | None]:
    """The record being replaced, as plain data (it need not be valid)."""
    try:
        old = yaml.safe_load(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return None, f"the record it replaces cannot be read ({exc.__class__.__name__})"
    if not isinstance(old, dict):
        return None, "the record it replaces is not a mapping of keys to values"
    return {**defaults, **old}, None


def plan(definitions: Definitions, path: Path, source: str, *, replace: bool = False,
         year: int | None = None, now: dt.datetime | None = None) -> Plan:
    """What importing the form at `path` would write; its problems, if any."""
    result = Plan(source)
    now = now or dt.datetime.now()
    try:
        book = reading.open_book(path)
        ident = identity.read(book.values)
        book.sheet()
    except (reading.Unopenable, NotAForm) as exc:
        result.problems.append(f"{source}: {exc}")
        return result
    result.identity = ident
    known = (definitions.names() if ident.kind == identity.AGREEMENT
             else definitions.programme_ids())
    refusal = _name_check(path, source, ident, known)
    if refusal:
        result.problems.append(refusal)
        return result
    if year is not None and ident.year != year:
        result.problems.append(f"{source}: the form is for {ident.described}, not {year} "
                               f"(--year {year}): import it without --year, or send the "
                               f"partner the form for {year}")
        return result
    try:
        if ident.kind == identity.AGREEMENT:
            filled, obj, text, target = _agreement(definitions, book, ident, source, path,
                                                   now, result)
        else:
            filled, obj, text, target = _programme(definitions, book, ident, source, path,
                                                   now, result)
    except reading.Unopenable as exc:
        result.problems.append(f"{source}: {exc}")
        return result
    except DefinitionError as exc:
        result.problems.append(f"{source}: the form is for {ident.described}, whose "
                               f"definition has problems ({len(exc.problems)}): run `check`, "
                               f"fix them, then import again")
        return result
    except BadInput as exc:
        result.problems.append(f"{source}: the form is for {ident.described}, but {exc}")
        return result
    if obj is None:
        return result
    result.target, result.text = target, text
    result.target_shown = definitions.display(target)
    if target.exists():
        if not replace:
            result.problems.append(
                f"{source}: {result.target_shown} exists already: give --replace to "
                "overwrite it (the changes are then listed field by field)")
            return result
        defaults = ({"example": False} if ident.kind == identity.AGREEMENT else
                    {"example": False, "goals": {}, "marks": []})
        old, trouble = _existing(target, defaults)
        new = {**defaults, **yaml.safe_load(text)}
        result.changes = records.changes(old, new) if old is not None else [trouble]
    return result


def _checked_yaml(text: str, model: type, checks, display: str) -> None:
    """The YAML about to be written reads back as a record `check` accepts: a bug here
    must never put a record on disk that the rest of the program refuses."""
    data = yaml.safe_load(text)
    try:
        validate(model, data, {}, display, checks)
    except DefinitionError as exc:  # pragma: no cover - a bug in records.py
        raise AssertionError(f"the record written from the form does not validate: {exc}") \
            from None


def _agreement(definitions: Definitions, book, ident: FormIdentity, source: str, path: Path,
               now: dt.datetime, result: Plan):
    agreement = definitions.agreement(ident.name).model
    if identity.agreement_fingerprint(agreement) != ident.fingerprint:
        result.warnings.append(
            f"{source}: the agreement {ident.name} has changed since the form was made on "
            f"{ident.made.isoformat()}: its answers are checked against the agreement as it "
            "is now")
    filled = reading.read_agreement_form(book)
    if ident.example:
        filled.data["example"] = True
    checks = evaluation_checks(agreement, ident.year)
    obj, problems = _validated(source, filled, Evaluation, checks)
    result.problems += problems
    if obj is None:
        return filled, None, "", None
    target = definitions.records.evaluation_path(ident.name, ident.year)
    data = obj.model_dump(exclude_none=True)
    text = records.evaluation_yaml(data, _stamp(path, now, ident))
    _checked_yaml(text, Evaluation, checks, definitions.display(target))
    return filled, obj, text, target


def _programme(definitions: Definitions, book, ident: FormIdentity, source: str, path: Path,
               now: dt.datetime, result: Plan):
    programme = definitions.programme(ident.name).model
    period = programme.period_of(ident.year)
    if identity.programme_fingerprint(programme, period) != ident.fingerprint:
        result.warnings.append(
            f"{source}: the goals or marks of {programme.name} have changed since the form "
            f"was made on {ident.made.isoformat()}: its answers are checked against them as "
            "they are now")
    labels = goal_labels(period)
    known = ", ".join(labels.values()) or "none"
    marks = {mark.name: mark_id for mark_id, mark in programme.marks.items()}
    figures = {goal_id for goal_id, goal in (period.goals.items() if period else ())
               if isinstance(goal, QuantitativeGoal)}
    filled = reading.read_programme_form(book, {v: k for k, v in labels.items()}, known, marks,
                                         figures)
    if ident.example:
        filled.data["example"] = True
    checks = programme_year_checks(programme, ident.year)
    obj, problems = _validated(source, filled, ProgrammeYear, checks)
    result.problems += problems
    if obj is None:
        return filled, None, "", None
    target = definitions.records.programme_path(ident.name, ident.year)
    data = obj.model_dump(exclude_none=True)
    notes = {goal_id: goal.measure for goal_id, goal in (period.goals.items() if period else ())
             if isinstance(goal, QuantitativeGoal)}
    text = records.programme_year_yaml(data, _stamp(path, now, ident), notes)
    _checked_yaml(text, ProgrammeYear, checks, definitions.display(target))
    return filled, obj, text, target

