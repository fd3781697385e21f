"""Writing a value into a sheet: text written by this program is text, whatever it says.

A spreadsheet library takes a string that starts with `=` for a formula and `#N/A` or
`#REF!` for an error; a definition's text (a mark named `=HYPERLINK(…)`, a party's name)
would then become a live formula in the form a partner opens. Every sheet (the hidden
list sheet too) is written through `put`.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write `value` into the cell at (row, column); a string stays a string."""
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
