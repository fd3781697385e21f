"""A filled form's workbook, read within bounds: forms arrive as mail attachments.

An .xlsx file is a ZIP archive of XML: 2 MB of it can unpack to gigabytes (a zip bomb),
and a 10 kB file can claim a value in row 1,048,576, which a spreadsheet library then
reads as a million rows. So before any XML is parsed, the archive's declared sizes are
checked (Python's zipfile never unpacks more than a member declares), and only the cells
of the form's own range are read, streamed: a value beyond it is one problem of the form,
found without building the rows in between.

Both views of the sheet are kept: the values as saved (computed) and as typed (formulas),
for the cells whose value a program other than a spreadsheet wrote without computing it.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .identity import DATA_SHEET, KEYS
from .layout import SHEET

MAX_FILE = 10 * 2**20  # bytes; a form is some 10-20 kB
MAX_UNPACKED = 2 * 2**20  # bytes of XML in all: fifty times what a form unpacks to (40 kB)
MAX_MEMBERS = 200  # files in the archive; a form has a dozen
# Every cell style is made into objects before the first cell is read (some 100 µs each):
# a form's styles are some 10 kB; this bounds them to about a second.
MAX_STYLES = 512 * 2**10
STYLES = "xl/styles.xml"
# The range of the form's sheet that is read: far beyond any form's (an agreement with a
# hundred efforts ends at row 108, column H), far within what takes a moment.
MAX_ROWS, MAX_COLUMNS = 2000, 26
# The identity on the data sheet: its keys and values (A1:B7); the drop-downs' lists
# beside it are not read.
RANGES = {SHEET: (MAX_ROWS, MAX_COLUMNS), DATA_SHEET: (len(KEYS), 2)}


EXTENSIONS = (".xlsx", ".xlsm", ".xltx", ".xltm")  # what openpyxl opens
RESAVE = "save it in Excel or Calc as 'Excel 2007-365 (.xlsx)'"


class Unopenable(ValueError):
    """The file is not a workbook this program can read."""


@dataclass(frozen=True)
class CellError:
    """A cell holding a spreadsheet's error (#VALUE!, #N/A), not text."""

    code: str


@dataclass(frozen=True)
class Cell:
    value: Any
    coordinate: str


@dataclass
class Grid:
    """The cells of a sheet within its range (row, column -> value), and where the first
    value outside it is, with how many there are."""

    rows: int
    columns: int
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    first_outside: str | None = None  # the coordinate of the first value beyond the range
    outside: int = 0  # how many values there are beyond it

    @property
    def max_row(self) -> int:
        return max((row for row, _ in self.cells), default=0)

    def cell(self, row: int, column: int) -> Cell:
        return Cell(self.cells.get((row, column)), _coordinate(row, column))

    def __getitem__(self, ref: str) -> Cell:
        from openpyxl.utils.cell import coordinate_to_tuple

        return self.cell(*coordinate_to_tuple(ref))


@dataclass(frozen=True)
class View:
    """A workbook as the readers see it: the sheets read, the document properties."""

    grids: dict[str, Grid]
    custom_doc_props: Any
    epoch: Any

    @property
    def sheetnames(self) -> list[str]:
        return list(self.grids)

    def __getitem__(self, name: str) -> Grid:
        return self.grids[name]


@dataclass(frozen=True)
class Book:
    values: View
    formulas: View

    @property
    def epoch(self):
        return self.values.epoch

    def sheet(self) -> tuple[Grid, Grid]:
        if SHEET not in self.values.grids:
            raise Unopenable(f"it has no sheet named {SHEET!r}: it is not a form made by "
                             "this program, or the sheet was renamed")
        return self.values[SHEET], self.formulas[SHEET]


def open_book(path: Path) -> Book:
    """Both views of the workbook at `path`, read within bounds; Unopenable if it is not
    an .xlsx workbook or is far larger than a form."""
    from ..files import NotReadable, read_regular

    if path.suffix.lower() not in EXTENSIONS:
        kind = f"a {path.suffix} file" if path.suffix else "a file without an extension"
        raise Unopenable(f"{kind}, not an Excel workbook (.xlsx): {RESAVE}")
    try:
        data = read_regular(path, limit=MAX_FILE)
    except NotReadable as exc:
        reason = str(exc)
        if reason.startswith("too large"):
            reason += ": a form is some 20 kB: is it the right file?"
        raise Unopenable(reason) from None
    _check_archive(data, path)
    return _views(data)


def _check_archive(data: bytes, path: Path) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise Unopenable(f"not an Excel workbook (.xlsx), or damaged ({exc}): {RESAVE}") \
            from None
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED:
        raise Unopenable(f"it unpacks to {len(members):,} files of {unpacked:,} bytes, far "
                         f"more than a form (some 40 kB; at most {MAX_UNPACKED:,} bytes are "
                         "read): it is not a form from this program")
    styles = sum(m.file_size for m in members if m.filename == STYLES)
    if styles > MAX_STYLES:
        raise Unopenable(f"its cell styles take {styles:,} bytes, far more than a form's "
                         f"(some 10 kB; at most {MAX_STYLES:,} are read): it is not a form "
                         "from this program, or another program added them")
    if any(m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
           for m in members):
        raise Unopenable(f"it is compressed in a way Excel and Calc do not use: {RESAVE}")


def _views(data: bytes) -> Book:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # Excel's own extensions (x14 validations) are dropped on reading: we only read.
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                grids = {name: _grids(wb, wb[name], *RANGES[name])
                         for name in wb.sheetnames if name in RANGES}
            finally:
                wb.close()
    except Unopenable:
        raise
    except Exception as exc:  # openpyxl's many ways to say a file is not what it reads
        raise Unopenable(f"cannot read it as an Excel workbook (.xlsx) ({type(exc).__name__}): "
                         f"{RESAVE}") from None
    return Book(View({name: pair[0] for name, pair in grids.items()}, wb.custom_doc_props,
                     wb.epoch),
                View({name: pair[1] for name, pair in grids.items()}, wb.custom_doc_props,
                     wb.epoch))


def _grids(wb, ws, rows: int, columns: int) -> tuple[Grid, Grid]:
    """The values of `ws` within rows x columns as saved, and the formulas typed there,
    in one pass over its XML. Rows are taken off the tree as soon as they are read, and a
    cell outside the range is only looked at, never made into a value."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import coordinate_to_tuple

    # openpyxl is pinned exactly: its cell parser reads values as the workbook has them
    # (shared strings, dates by their number formats).
    from openpyxl.worksheet._reader import (
        CELL_TAG,
        FORMULA_TAG,
        ROW_TAG,
        VALUE_TAG,
        WorkSheetParser,
    )

    parser = WorkSheetParser(None, ws._shared_strings, data_only=True, epoch=wb.epoch,
                             date_formats=wb._date_formats,
                             timedelta_formats=wb._timedelta_formats)
    values, formulas = Grid(rows, columns), Grid(rows, columns)
    path: list = []  # the elements being read, outermost first
    row = 0
    with ws._get_source() as source:
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                path.append(element)
                continue
            path.pop()
            if element.tag != ROW_TAG:
                if len(path) == 1:  # a part of the sheet other than its rows: done with
                    path[0].remove(element)
                continue
            row = int(float(element.get("r") or row + 1))
            column = 0
            for cell in element.iter(CELL_TAG):
                ref = cell.get("r")
                column = coordinate_to_tuple(ref)[1] if ref else column + 1
                if row > rows or column > columns:
                    if cell.find(VALUE_TAG) is not None or cell.get("t") == "inlineStr":
                        values.first_outside = values.first_outside or _coordinate(row, column)
                        values.outside += 1
                    continue
                parser.row_counter, parser.col_counter = row, column - 1
                value = parser.parse_cell(cell)
                if value["data_type"] == "e":  # '#VALUE!' computed, not text typed
                    values.cells[(row, column)] = CellError(value["value"])
                elif value["value"] not in (None, ""):
                    values.cells[(row, column)] = value["value"]
                typed = cell.find(FORMULA_TAG)
                if typed is not None:
                    formulas.cells[(row, column)] = "=" + (typed.text or "")
            path[-1].remove(element)  # the rows read so far are not kept
    return values, formulas


def _coordinate(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"
