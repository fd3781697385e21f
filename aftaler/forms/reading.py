"""A filled form read back into plain record data, each value with the cell it came from.

The reader finds the form's parts by their labels (the header row, the heading's labels),
not by fixed rows, so a form whose protection was lifted and rows moved still reads. A
value that cannot be what belongs in its cell is a problem of that cell; an empty cell is
simply left out, and the record's own validation says what is missing, at that cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from ..sources.records import ASSESSMENTS
from ..sources.yamlsource import forbidden_character
from . import cells
from .export import (
    AGREEMENT_COLUMNS,
    CRITERIA_HEADING,
    GOAL_COLUMNS,
    HEADING_LABELS,
    MARK_COLUMNS,
    MARKS_HEADING,
)
from .layout import SHEET, Column
from .workbook import Book, CellError, Unopenable, open_book

__all__ = ["Book", "Filled", "Place", "Unopenable", "open_book", "read_agreement_form",
           "read_programme_form"]

# Reads a cell's value as what belongs there, or raises cells.Unreadable.
Reader = Callable[[Any], Any]


@dataclass(frozen=True)
class Place:
    cell: str  # 'F9'; '' for the form as a whole
    label: str  # 'Vurdering'


WHOLE = Place("", "")


@dataclass
class Filled:
    """What a form holds: the record's data, where each value is, what could not be read."""

    data: dict[str, Any]
    places: dict[tuple, Place] = field(default_factory=dict)
    problems: list[tuple[Place, str]] = field(default_factory=list)


class _Sheet:
    """The form's sheet, read cell by cell."""

    def __init__(self, book: Book, filled: Filled):
        self.values, self.formulas = book.sheet()
        self.epoch = book.epoch
        self.filled = filled
        grid = self.values
        if grid.first_outside:  # nothing of it is read: say so rather than drop it
            more = f" (and {grid.outside - 1:,} more beyond)" if grid.outside > 1 else ""
            filled.problems.append((Place(grid.first_outside, ""), (
                f"a value far outside the form{more}: only rows 1 to {grid.rows:,} and "
                f"columns A to {get_column_letter(grid.columns)} are read; move it into the "
                "form, or remove it")))

    def raw(self, ref: str) -> Any:
        value = self.values[ref].value
        if value is None:
            typed = self.formulas[ref].value
            if isinstance(typed, str) and typed.startswith("="):
                answer = cells.yes_no(typed)
                if answer is None:
                    raise cells.Unreadable(f"holds a formula ({typed}) without a computed "
                                           "value: type the value itself")
                return answer
        if isinstance(value, CellError):  # '#VALUE!' and the like (text may start with #)
            raise cells.Unreadable(f"holds an error ({value.code}): type the value itself")
        if isinstance(value, str) and (wrong := forbidden_character(value)):
            # What a definition may not hold, a record from a form may not either: the
            # record would be refused by `check`, or show its text reordered on the page.
            raise cells.Unreadable(f"holds a {wrong}: remove it (text pasted from elsewhere "
                                   "can carry such invisible characters)")
        return value

    def text(self, ref: str) -> str | None:
        try:
            return cells.text(self.raw(ref))
        except cells.Unreadable:
            return None

    def read(self, target: dict, key: str, path: tuple, ref: str, label: str,
             reader: Reader) -> None:
        """Put the value of cell `ref` at `target[key]` (the record's `path`), read with
        `reader`; an empty cell is left out, an unreadable one is a problem."""
        place = Place(ref, label)
        self.filled.places[path] = place
        try:
            value = self.raw(ref)
            if cells.is_empty(value):
                return
            target[key] = reader(value)
        except cells.Unreadable as exc:
            self.filled.problems.append((place, str(exc)))

    def find_row(self, first_label: str, columns: tuple[Column, ...], after: int = 0) -> int:
        """The row of a table's header: the first after `after` whose column A reads
        `first_label`; its other labels must be as exported."""
        for row in range(after + 1, self.values.max_row + 1):
            if self.text(f"A{row}") == first_label:
                found = [self.text(self.values.cell(row, i).coordinate)
                         for i in range(1, len(columns) + 1)]
                if found != [c.label for c in columns]:
                    raise Unopenable(f"{SHEET}!A{row}: the table's header row was changed "
                                     f"(expected {', '.join(c.label for c in columns)}): "
                                     "export a new form")
                return row
        raise Unopenable(f"{SHEET}: no table with the header {first_label!r}: it is not "
                         "a form made by this program, or its table was removed")

    def row_is_empty(self, row: int, width: int) -> bool:
        return all(cells.is_empty(self.values.cell(row, col).value) and
                   cells.is_empty(self.formulas.cell(row, col).value)
                   for col in range(1, width + 1))


def _text(value: Any) -> str | None:
    return cells.text(value)


def read_agreement_form(book: Book) -> Filled:
    """An agreement's filled form as the data of an Evaluation."""
    data: dict[str, Any] = {}
    filled = Filled(data, {(): WHOLE})
    sheet = _Sheet(book, filled)
    header = sheet.find_row(AGREEMENT_COLUMNS[0].label, AGREEMENT_COLUMNS)
    labels = {label: key for key, label in HEADING_LABELS.items()}
    for row in range(1, header):
        key = labels.get(sheet.text(f"A{row}") or "")
        if key:
            reader: Reader = ((lambda v: cells.date(v, sheet.epoch))
                              if key == "evaluated_on" else _text)
            sheet.read(data, key, (key,), f"B{row}", HEADING_LABELS[key], reader)
    for key, label in HEADING_LABELS.items():
        if (key,) not in filled.places:
            filled.problems.append((WHOLE, f"the label {label!r} was removed from "
                                                     "the form: export a new form"))
    efforts: dict[str, dict] = {}
    data["efforts"] = efforts
    filled.places[("efforts",)] = Place(f"A{header}", AGREEMENT_COLUMNS[0].label)
    readers: dict[str, Reader] = {"indicator": _text, "result": cells.result,
                                  "assessment": lambda v: cells.choice(v, ASSESSMENTS),
                                  "relevance": _text, "next_step": _text}
    rows: dict[str, int] = {}
    for row in range(header + 1, sheet.values.max_row + 1):
        if sheet.row_is_empty(row, len(AGREEMENT_COLUMNS)):
            continue
        name = sheet.text(f"A{row}")
        place = Place(f"A{row}", AGREEMENT_COLUMNS[0].label)
        if not name:
            filled.problems.append((place, "a row without an effort: the form lists the "
                                           "agreement's efforts; answer in their rows"))
            continue
        if name in rows:
            filled.problems.append((place, f"{name!r} is in the form twice (also row "
                                           f"{rows[name]}): keep one row per effort"))
            continue
        rows[name] = row
        answers: dict[str, Any] = {}
        efforts[name] = answers
        filled.places[("efforts", name)] = place
        for col, column in enumerate(AGREEMENT_COLUMNS, start=1):
            if column.key:
                ref = sheet.values.cell(row, col).coordinate
                sheet.read(answers, column.key, ("efforts", name, column.key), ref,
                           column.label, readers[column.key])
    return filled


def read_programme_form(book: Book, goals: dict[str, str], known: str,
                        marks: dict[str, str], figures: set[str]) -> Filled:
    """A programme's filled form as the data of a ProgrammeYear.

    `goals`: the label of each goal in the form -> its id (`known` lists them for a
    message); `marks`: each mark's name -> its id; `figures`: the ids of the goals
    measured by a figure (their row asks for a result, the others' for an assessment
    and a narrative).
    """
    data: dict[str, Any] = {}
    filled = Filled(data, {(): WHOLE})
    sheet = _Sheet(book, filled)
    goal_data: dict[str, dict] = {}
    mark_data: list[dict] = []
    marks_header = None
    try:
        marks_header = sheet.find_row(MARK_COLUMNS[0].label, MARK_COLUMNS)
    except Unopenable:
        if marks:
            raise
    try:
        goals_header = sheet.find_row(GOAL_COLUMNS[0].label, GOAL_COLUMNS)
    except Unopenable:
        if goals:
            raise
        goals_header = None
    if goals_header:
        filled.places[("goals",)] = Place(f"A{goals_header}", GOAL_COLUMNS[0].label)
        end = marks_header or sheet.values.max_row + 1
        readers: dict[str, Reader] = {
            "result": cells.number, "assessment": lambda v: cells.choice(v, ASSESSMENTS),
            "narrative": _text, "comment": _text}
        for row in range(goals_header + 1, end):
            label = sheet.text(f"A{row}")
            if not label:
                continue
            place = Place(f"A{row}", GOAL_COLUMNS[0].label)
            if label not in goals:
                if label.startswith(MARKS_HEADING) or label == CRITERIA_HEADING:
                    break
                filled.problems.append((place, f"{label!r} is not a goal of the form's "
                                               f"period (goals: {known})"))
                continue
            goal_id = goals[label]
            answers: dict[str, Any] = {}
            before = len(filled.problems)
            filled.places[("goals", goal_id)] = place
            asked = ("result", "comment") if goal_id in figures else (
                "assessment", "narrative", "comment")
            for col, column in enumerate(GOAL_COLUMNS, start=1):
                if column.key in asked:
                    ref = sheet.values.cell(row, col).coordinate
                    sheet.read(answers, column.key, ("goals", goal_id, column.key), ref,
                               column.label, readers[column.key])
            if answers or len(filled.problems) > before:  # a row left empty: not assessed
                goal_data[goal_id] = answers
    if marks_header:
        filled.places[("marks",)] = Place(f"A{marks_header}", MARK_COLUMNS[0].label)

        def mark_id(value: Any) -> str:
            typed = (cells.text(value) or "").casefold()
            for name, key in marks.items():
                if typed in (name.casefold(), key.casefold()):
                    return key
            raise cells.Unreadable(f"{cells.text(value)!r} is not one of "
                                   f"{', '.join(marks)}")

        readers = {"organisation": _text, "mark": mark_id, "criteria": cells.whole_numbers}
        for row in range(marks_header + 1, sheet.values.max_row + 1):
            if sheet.text(f"A{row}") == CRITERIA_HEADING:
                break
            if sheet.row_is_empty(row, len(MARK_COLUMNS)):
                continue
            i = len(mark_data)
            award: dict[str, Any] = {}
            mark_data.append(award)
            filled.places[("marks", i)] = Place(f"A{row}", MARK_COLUMNS[0].label)
            for col, column in enumerate(MARK_COLUMNS, start=1):
                ref = sheet.values.cell(row, col).coordinate
                sheet.read(award, column.key, ("marks", i, column.key), ref, column.label,
                           readers[column.key])
    if goal_data:
        data["goals"] = goal_data
    if mark_data:
        data["marks"] = mark_data
    return filled
