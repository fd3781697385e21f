"""The look every form shares, and the labels the import reads back.

A form is one visible sheet, `Skema`: a heading block (title, parties, instruction, a few
labelled input cells) above a table with a header row. Cells to fill in are pale yellow and
unlocked; everything else is locked, and the sheet is protected without a password (so a
partner can still unprotect it on purpose, and the import checks every value again). Each
input cell has an input message that says what goes in it. Rows are made tall enough for
their text, since neither Excel nor Calc grows a row for wrapped text on opening a file.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.cell import Cell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from . import arial
from .identity import DATA_SHEET
from .sheetvalues import put

SHEET = "Skema"
FONT = "Arial"
SIZE = 10
NAVY = "1F3864"
HEADER_FILL = "1F4E79"
LOCKED_FILL = "F2F2F2"
INPUT_FILL = "FFF2CC"
BORDER = "A6A6A6"
LINE_PT = 12.75  # a line of 10 pt Arial, as Excel and Calc set it
PADDING_PT = 4.0
TEXT_FORMAT = "@"  # typed as text: no '1. marts' turned into a date, no '1,2' into 1.2
DATE_FORMAT = "DD.MM.YYYY"
MAX_PROMPT = 255  # Excel's limit on an input message; its title is at most 32
MAX_ROWS_PT = 409  # the tallest row Excel allows
DEFAULT_ROW_PT = 15.0
# A4 landscape within the margins set in `finish` (0.4 in left and right, 0.5 and 0.6 in
# top and bottom), in points.
PAGE_WIDTH_PT = (11.69 - 0.8) * 72
PAGE_HEIGHT_PT = (8.27 - 1.1) * 72

_thin = Side(style="thin", color=BORDER)
_BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    label: str  # in the header row: what the import looks for
    width: float  # in characters of the default font (Excel's unit)
    key: str = ""  # the record's key for an input column


PX_PER_UNIT = SIZE * 96 / 72 / arial.UNITS_PER_EM  # 10 pt at 96 dpi
_WIDEST = max(arial.BOLD.values())


def char_px(char: str, bold: bool = False) -> float:
    """The width of a character of 10 pt Arial at 96 dpi, from Arial's own advance widths
    (a character they lack counts as the widest)."""
    return (arial.BOLD if bold else arial.REGULAR).get(char, _WIDEST) * PX_PER_UNIT


def width_for(words: list[str], bold: bool = False) -> float:
    """The column width (Excel's unit) that the longest of `words` fits in unbroken."""
    return max((sum(char_px(c, bold) for c in word) for word in words), default=0) / 7.0 + 1.5


Runs = list[tuple[str, bool]]  # a cell's text: (text, bold), in order


def lines_needed(text: str | Runs, width: float, bold: bool = False) -> int:
    """How many lines `text` (a string, or runs of bold and plain text) wraps to in a
    cell `width` characters wide.

    Excel makes a unit 7 pixels and keeps a few for the cell's padding; Calc makes it
    wider (about 7.45: measured), so a row sized for Excel has at most a line to spare
    in Calc, and is never too short in either."""
    room = width * 7.0 - 6
    runs = [(str(text), bold)] if isinstance(text, str) else text
    chars = [(c, b) for part, b in runs for c in part]
    total = 0
    for paragraph in _split(chars, "\n"):
        lines, used = 1, 0.0
        for word in _split(paragraph, " "):
            px = sum(char_px(c, b) for c, b in word)
            gap = char_px(" ") if used else 0.0
            if used and used + gap + px > room:
                lines += 1
                used = 0.0
                gap = 0.0
            while px > room:  # a word longer than the column breaks anywhere
                lines += 1
                px -= room
            used += gap + px
        total += lines
    return total


def _split(chars: list[tuple[str, bool]], at: str) -> list[list[tuple[str, bool]]]:
    parts: list[list[tuple[str, bool]]] = [[]]
    for char in chars:
        if char[0] == at:
            parts.append([])
        else:
            parts[-1].append(char)
    return parts


class FormSheet:
    """The visible sheet of a form, written top to bottom."""

    def __init__(self, wb: Workbook, columns: tuple[Column, ...],
                 widths: dict[int, float] | None = None):
        self.wb = wb
        self.ws: Worksheet = wb.active
        self.ws.title = SHEET
        self.columns = columns
        self.lists = wb.create_sheet(DATA_SHEET)
        self.lists.sheet_state = "hidden"
        self.lists.protection.sheet = True
        self._list_column = 4  # the identity takes A:B
        self._lines: dict[int, float] = {}
        self._together: list[tuple[int, int]] = []
        self.widths = [(widths or {}).get(i, c.width) for i, c in enumerate(columns, start=1)]
        for i, width in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width

    @property
    def last_column(self) -> str:
        return get_column_letter(len(self.columns))

    def width(self, first: int, span: int) -> float:
        return sum(self.widths[first - 1:first - 1 + span])

    def _need(self, row: int, text: str | Runs | None, first: int, span: int,
              bold: bool = False, at_least: int = 1, size: int = SIZE) -> None:
        lines = max(at_least, lines_needed(text or "", self.width(first, span) * SIZE / size,
                                           bold))
        self._lines[row] = max(self._lines.get(row, 0.0), lines * size / SIZE)

    def write(self, row: int, column: int, value, *, span: int = 1, bold: bool = False,
              size: int = SIZE, color: str | None = None, fill: str | None = None,
              box: bool = False, wrap: bool = True, at_least: int = 1,
              number_format: str | None = None, locked: bool = True) -> Cell:
        cell = put(self.ws, row, column, value)  # definition text is data, never a formula
        cell.font = Font(name=FONT, size=size, bold=bold, color=color)
        cell.alignment = _WRAP if wrap else Alignment(vertical="top")
        cell.protection = Protection(locked=locked)
        if fill:
            cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
        if number_format:
            cell.number_format = number_format
        if span > 1:
            self.ws.merge_cells(start_row=row, start_column=column, end_row=row,
                                end_column=column + span - 1)
        if box:
            for col in range(column, column + span):
                self.ws.cell(row, col).border = _BOX
        if isinstance(value, CellRichText):  # its bold runs measured as bold
            text: str | Runs | None = [
                (block, False) if isinstance(block, str) else (block.text, bool(block.font.b))
                for block in value]
        else:
            text = None if value is None else str(value)
        self._need(row, text, column, span, bold, at_least, size)
        return cell

    def title(self, row: int, text: str) -> None:
        self.write(row, 1, text, span=len(self.columns), bold=True, size=14, color=NAVY)

    def line(self, row: int, text: str, *, bold: bool = False) -> None:
        self.write(row, 1, text, span=len(self.columns), bold=bold)

    def locked(self, row: int, column: int, value, *, span: int = 1, bold: bool = False) -> Cell:
        return self.write(row, column, value, span=span, bold=bold, fill=LOCKED_FILL, box=True)

    def input(self, row: int, column: int, value=None, *, span: int = 1, at_least: int = 1,
              number_format: str | None = TEXT_FORMAT) -> Cell:
        return self.write(row, column, value, span=span, fill=INPUT_FILL, box=True,
                          at_least=at_least, number_format=number_format, locked=False)

    def label(self, row: int, text: str) -> None:
        self.write(row, 1, text, bold=True)

    def header(self, row: int, columns: tuple[Column, ...] | None = None,
               last_span: int = 1) -> None:
        """The header row; its last label may span several columns."""
        columns = columns or self.columns
        for i, column in enumerate(columns, start=1):
            span = last_span if i == len(columns) else 1
            cell = self.write(row, i, column.label, bold=True, color="FFFFFF",
                              fill=HEADER_FILL, box=True, span=span)
            cell.alignment = Alignment(wrap_text=True, vertical="center")

    def space(self, row: int, lines: float = 0.6) -> None:
        self._lines[row] = lines

    def keep_together(self, first: int, last: int) -> None:
        """Start rows `first` to `last` on a new page if they would straddle two (a
        heading kept with what it heads)."""
        self._together.append((first, last))

    def _page_breaks(self, heights: dict[int, float], last_row: int) -> None:
        # The sheet is printed one page wide: scaled down by its width against the page's.
        width_pt = sum(w * 7 + 5 for w in self.widths) * 0.75
        scale = min(1.0, PAGE_WIDTH_PT / width_pt)
        room = PAGE_HEIGHT_PT / scale
        used = 0.0
        starts = {first: last for first, last in self._together}
        for row in range(1, last_row + 1):
            height = heights.get(row, DEFAULT_ROW_PT)
            if row in starts and used > 0:
                block = sum(heights.get(r, DEFAULT_ROW_PT) for r in range(row, starts[row] + 1))
                if used + block > room and block <= room:
                    self.ws.row_breaks.append(Break(id=row - 1))
                    used = 0.0
            if used + height > room:  # the application breaks the page here itself
                used = 0.0
            used += height

    def list_range(self, values: list[str]) -> str:
        """Put a drop-down's values on the hidden sheet; return the range that names them.
        (An inline list is cut at 255 characters by Excel and a Calc re-save.)"""
        col = self._list_column
        self._list_column += 1
        for row, value in enumerate(values, start=1):
            put(self.lists, row, col, value)
        letter = get_column_letter(col)
        return f"{DATA_SHEET}!${letter}$1:${letter}${len(values)}"

    def prompt(self, cells: list[str], title: str, text: str, *, kind: str | None = None,
               error: str | None = None, warn_only: bool = False, **criteria) -> None:
        """An input message on `cells` and, with `kind`, a check of what is typed.

        The check only helps the person filling in: the import checks every value again
        (a form edited elsewhere may have lost it)."""
        if not cells:
            return
        validation = DataValidation(
            type=kind, allow_blank=True, showInputMessage=True, promptTitle=title[:32],
            prompt=text[:MAX_PROMPT], showErrorMessage=kind is not None,
            errorTitle=title[:32] if error else None, error=error[:MAX_PROMPT] if error else None,
            errorStyle="warning" if warn_only else "stop", **criteria)
        self.ws.add_data_validation(validation)
        for ref in cells:
            validation.add(ref)

    def finish(self, last_row: int, header_row: int | None, footer: str,
               freeze: int | None = None) -> None:
        """Row heights, protection, and printing: A4 landscape, one page wide, the header
        row (if any) repeated on every page, page numbers in the footer. `freeze`: the
        rows down to it stay in view while the rest scrolls (the table's header)."""
        heights = {row: round(min(lines * LINE_PT + PADDING_PT, MAX_ROWS_PT), 2)
                   for row, lines in self._lines.items()}
        for row, height in heights.items():
            self.ws.row_dimensions[row].height = height
        self._page_breaks(heights, last_row)
        ws = self.ws
        ws.protection.sheet = True
        # Rows and columns may still be resized: a long answer needs a taller row.
        ws.protection.formatRows = False
        ws.protection.formatColumns = False
        ws.protection.formatCells = True
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = 0.5
        ws.page_margins.bottom = 0.6
        ws.page_margins.footer = 0.25
        if header_row:
            ws.print_title_rows = f"{header_row}:{header_row}"
        ws.print_area = f"A1:{self.last_column}{last_row}"
        ws.oddFooter.left.text = footer.replace("&", "&&")
        ws.oddFooter.left.size = 8
        ws.oddFooter.left.font = FONT
        ws.oddFooter.right.text = "Side &P af &N"
        ws.oddFooter.right.size = 8
        ws.oddFooter.right.font = FONT
        if freeze:
            ws.freeze_panes = f"A{freeze + 1}"
        ws.sheet_view.showGridLines = False
        ws.sheet_view.zoomScale = 100
