"""What a form is for, carried inside it: which agreement (or programme), which year, and a
fingerprint of the definition it was made from.

Kept twice, so that either survives what an office program does to the file: on a hidden,
protected sheet (`Skemadata`, which also holds the drop-down lists) and in the document's
custom properties. Both hold text only: a re-save turns a number property into a float.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook import Workbook

from ..sources.agreement import Agreement, fingerprint
from ..sources.programme import Period, Programme
from .sheetvalues import put

DATA_SHEET = "Skemadata"
AGREEMENT, PROGRAMME = "aftale", "program"
VERSION = "1"
PROPERTY_PREFIX = "aftaler."
# The keys, in the order they are written: Danish, for whoever unhides the sheet.
KEYS = ("skema", "navn", "år", "fingeraftryk", "lavet", "eksempel", "version")


class NotAForm(ValueError):
    """The workbook is not a form this program made (or its identity was damaged)."""


@dataclass(frozen=True)
class FormIdentity:
    kind: str  # AGREEMENT or PROGRAMME
    name: str  # the agreement's name or the programme's id
    year: int
    fingerprint: str  # of the definition the form was made from
    made: dt.date  # when the form was made
    example: bool = False  # its answers are examples: the record says so

    @property
    def described(self) -> str:
        """'hospital, 2017' / 'the programme alliance, 2019': what the form is for."""
        what = self.name if self.kind == AGREEMENT else f"the programme {self.name}"
        return f"{what}, {self.year}"

    def values(self) -> dict[str, str]:
        return {"skema": self.kind, "navn": self.name, "år": str(self.year),
                "fingeraftryk": self.fingerprint, "lavet": self.made.isoformat(),
                "eksempel": "ja" if self.example else "nej", "version": VERSION}


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def agreement_fingerprint(agreement: Agreement) -> str:
    """Changes whenever anything in the validated definition does (not its comments or
    layout in the YAML file)."""
    return fingerprint(agreement)


def programme_fingerprint(programme: Programme, period: Period | None) -> str:
    """Of what the programme's form asks about: the period's goals and the marks."""
    return _digest({"period": period.model_dump(mode="json") if period else None,
                    "marks": {k: m.model_dump(mode="json") for k, m in programme.marks.items()}})


def write(wb: Workbook, identity: FormIdentity) -> None:
    """Put the identity on the (already created) data sheet and in the properties."""
    sheet = wb[DATA_SHEET]
    for row, (key, value) in enumerate(identity.values().items(), start=1):
        put(sheet, row, 1, key)
        put(sheet, row, 2, value)
    for key, value in identity.values().items():
        wb.custom_doc_props.append(StringProperty(name=PROPERTY_PREFIX + key, value=value))


def read(wb: Workbook) -> FormIdentity:
    """The identity of a filled form; NotAForm if it has none or it is damaged."""
    found: dict[str, Any] = {}
    if DATA_SHEET in wb.sheetnames:
        sheet = wb[DATA_SHEET]
        for row in range(1, len(KEYS) + 1):
            key, value = sheet.cell(row, 1).value, sheet.cell(row, 2).value
            if isinstance(key, str) and key.strip() in KEYS:
                found[key.strip()] = value
    if "skema" not in found:
        for prop in wb.custom_doc_props:
            if prop.name.startswith(PROPERTY_PREFIX):
                found.setdefault(prop.name[len(PROPERTY_PREFIX):], prop.value)
    if "skema" not in found:
        raise NotAForm("not an evaluation form made by this program (it has no "
                       f"{DATA_SHEET} sheet): export one with `form export` and fill that in")
    try:
        kind = str(found["skema"]).strip()
        if kind not in (AGREEMENT, PROGRAMME):
            raise ValueError(kind)
        year = int(float(str(found["år"]).strip()))
        made = found.get("lavet")
        made = made.date() if isinstance(made, dt.datetime) else (
            made if isinstance(made, dt.date) else dt.date.fromisoformat(str(made).strip()))
        return FormIdentity(kind=kind, name=str(found["navn"]).strip(), year=year,
                            fingerprint=str(found["fingeraftryk"]).strip(), made=made,
                            example=str(found.get("eksempel", "nej")).strip() == "ja")
    except (KeyError, ValueError, TypeError):
        raise NotAForm(f"the form's {DATA_SHEET} sheet has been changed, so it cannot tell "
                       "which agreement and year it is for: export a new form") from None
