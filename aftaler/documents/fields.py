"""Text that comes from a definition, marked with the field it is.

A document model holds strings; those that print a definition's value are `FieldText`
(a `str` that also knows its field), and those put together from several values and
fixed words (the term sentence, a signatory's title and organisation) are `Composed`,
which keeps its pieces. Anything that reads them as strings sees plain text; the Word
renderer puts each field in a content control, so that a returned draft can be read
back into the definition (`aftaler/negotiation/`).

A field is named by its path in the definition, written the way errors name a field:
`efforts[3].commitments.hospital`, `term.end`, `parties.hospital.signatories[0].title`.
Generated text (the programme's goals, "Alle parter", the headings of the parties'
list) is not a field: it is not the definition's to change.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

Path_ = tuple[str | int, ...]


class FieldText(str):
    """A definition's value as printed, with the field it is (`field`, a path), what it
    belongs to (`context`: the effort's and the party's names, for people) and, where
    the definition writes it otherwise than it is printed, its value there (`data`:
    2014-11-01 for "1. november 2014")."""

    field: str
    context: str
    data: str

    def __new__(cls, text: str, field: str, context: str = "", data: str = "") -> FieldText:
        obj = super().__new__(cls, text)
        obj.field = field
        obj.context = context
        obj.data = data
        return obj

    def __getnewargs__(self) -> tuple:  # pickled into the child that writes the Word file
        return str(self), self.field, self.context, self.data


class Composed(str):
    """Text made of pieces, some of them fields: `compose('den ', start, ' til ', end)`."""

    pieces: tuple[str, ...]

    def __new__(cls, pieces: tuple[str, ...]) -> Composed:
        obj = super().__new__(cls, "".join(pieces))
        obj.pieces = pieces
        return obj

    def __getnewargs__(self) -> tuple:
        return (self.pieces,)


def field_id(path: Path_) -> str:
    """('efforts', 3, 'name') -> 'efforts[3].name'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_NAME = r"[a-z_][a-z0-9_-]*"
_FIELD_ID = re.compile(rf"{_NAME}(?:\[\d+\]|\.{_NAME})*")
_PART = re.compile(rf"\[(\d+)\]|\.?({_NAME})")


def parse_field_id(text: str) -> Path_:
    """'efforts[3].name' -> ('efforts', 3, 'name'); ValueError if it is not a field id."""
    if not _FIELD_ID.fullmatch(text):
        raise ValueError(f"not a field id: {text!r}")
    return tuple(int(number) if number else name for number, name in _PART.findall(text))


def field(text: str, path: Path_, context: str = "", data: str = "") -> FieldText:
    return FieldText(text, field_id(path), context, data)


def compose(*pieces: str) -> Composed:
    return Composed(tuple(p for p in pieces if p))


def fields_in(value: object) -> Iterator[FieldText]:
    """Every field text in a document model (dataclasses, tuples, composed text), in
    the order of its attributes."""
    if isinstance(value, FieldText):
        yield value
    elif isinstance(value, Composed):
        for piece in value.pieces:
            yield from fields_in(piece)
    elif isinstance(value, str):
        return
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from fields_in(getattr(value, item.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from fields_in(item)
