"""What a person typed in a cell, as Excel or LibreOffice Calc saved it, made into a value.

A re-saved form changes cell types: a number may come back as text ("2", "2,5" with a
Danish decimal comma), a date as a date, a serial number or text ("26.01.2018",
"2018-01-26"), yes/no as a boolean, a formula (=TRUE()) or words (ja/nej). Each reader
here accepts all of those, strips stray spaces, and otherwise raises `Unreadable` with a
message that says what to write instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

from .. import formatting

YES = ("ja", "sand", "true")
NO = ("nej", "falsk", "false")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # serial 0 of the 1900 date system, as Excel counts
_LAST_SERIAL = 2958465  # 31.12.9999
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_BOOL_FORMULA = re.compile(r"^=\s*(TRUE|FALSE|SAND|FALSK)\s*(\(\s*\))?\s*$", re.IGNORECASE)


class Unreadable(ValueError):
    """The cell holds something that is not what belongs there; the message says why."""


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str | None:
    """Text as typed, without stray spaces; a number or date typed into a text cell is
    written as a Dane reads it. None for an empty cell."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | float):
        return formatting.number(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def number(value: object) -> float:
    """A number: a number cell, or text such as '2', '2,5', '1.234,5', '1 234' or '2.5'."""
    if isinstance(value, bool):
        raise Unreadable(f"{_shown(value)} is not a number")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise Unreadable("is not a finite number")
        return float(value)
    if isinstance(value, str):
        return _number_text(value.strip())
    raise Unreadable(f"{_shown(value)} is not a number")


def _number_text(raw: str) -> float:
    # Spaces group thousands in Danish ('1 234'); a minus may be typed as a dash.
    compact = _SPACES.sub("", raw).replace("\u2212", "-").replace("\u2013", "-")
    hint = f"{raw!r} is not a number: write the number alone, e.g. 2 or 2,5"
    if not re.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*", compact):
        raise Unreadable(hint)
    sign, digits = ("-", compact[1:]) if compact[0] in "+-" else ("", compact)
    if compact[0] == "+":
        sign = ""
    commas, dots = digits.count(","), digits.count(".")
    if commas and dots:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        group = "." if decimal == "," else ","
        whole, _, fraction = digits.rpartition(decimal)
        if digits.count(decimal) != 1 or not _grouped(whole, group):
            raise Unreadable(hint)
        plain = whole.replace(group, "") + "." + fraction
    elif commas == 1:  # the Danish decimal comma
        plain = digits.replace(",", ".")
    elif commas or dots > 1:  # '1.234.567' (Danish) or '1,234,567': thousands grouped
        group = "," if commas else "."
        if not _grouped(digits, group):
            raise Unreadable(hint)
        plain = digits.replace(group, "")
    elif dots == 1 and re.fullmatch(r"\d{1,3}\.\d{3}", digits):
        # '1.234' is 1234 to a Dane and 1.234 to an English reader: do not guess.
        raise Unreadable(f"{raw!r} can be read two ways: write {digits.replace('.', '')} "
                         f"or {digits.replace('.', ',')}")
    else:
        plain = digits
    if plain.startswith(".") or plain.endswith("."):
        raise Unreadable(hint)
    return float(sign + plain)


def _grouped(digits: str, group: str) -> bool:
    return bool(re.fullmatch(rf"\d{{1,3}}(\{group}\d{{3}})+", digits))


def yes_no(value: object) -> bool | None:
    """True/False for a boolean cell or ja/nej (sand/falsk, true/false); else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in YES:
            return True
        if word in NO:
            return False
        match = _BOOL_FORMULA.match(value.strip())
        if match:
            return match.group(1).upper() in ("TRUE", "SAND")
    return None


def result(value: object) -> bool | float:
    """An effort's result: a number, or ja/nej for done or not."""
    answer = yes_no(value)
    if answer is not None:
        return answer
    try:
        return number(value)
    except Unreadable as exc:
        if isinstance(value, str) and "two ways" in str(exc):
            raise
        raise Unreadable(f"{_shown(value)} is not a number, nor ja or nej") from None


def date(value: object, epoch: dt.datetime = _EXCEL_EPOCH) -> dt.date:
    """A date: a date cell, a serial number (the date's number in the spreadsheet's date
    system), or text such as 26.01.2018, 26-1-2018, 2018-01-26 or 26. januar 2018."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value == int(value) and 1 <= value <= _LAST_SERIAL:
            return (epoch + dt.timedelta(days=int(value))).date()
        raise Unreadable(f"{_shown(value)} is not a date: write it as 26.01.2018")
    if isinstance(value, str):
        return _date_text(value.strip())
    raise Unreadable(f"{_shown(value)} is not a date: write it as 26.01.2018")


def _date_text(raw: str) -> dt.date:
    try:
        return formatting.parse_date(raw)
    except formatting.NotADate:
        raise Unreadable(f"{raw!r} is not a date: write it as 26.01.2018") from None
    except ValueError:
        raise Unreadable(f"{raw!r} is not a date that exists") from None


def choice(value: object, options: Sequence[str]) -> str:
    """One of `options`, whatever its case and spacing."""
    typed = text(value) or ""
    wanted = _SPACES.sub(" ", typed).casefold()
    for option in options:
        if option.casefold() == wanted:
            return option
    raise Unreadable(f"{typed!r} is not one of {', '.join(options)}")


def whole_numbers(value: object) -> list[int]:
    """Numbers such as criteria: '1, 2, 6', '1;2;6', '1 2 6', '1, 2 og 6', or one number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value == int(value):
            return [int(value)]
        raise Unreadable(f"{_shown(value)}: write whole numbers separated by commas, "
                         "e.g. 1, 2, 6")
    typed = text(value) or ""
    words = [w for w in re.split(r"\s*(?:[,;/+&]|\bog\b|\s)\s*", typed.casefold()) if w]
    if not words or not all(w.isdigit() for w in words):
        raise Unreadable(f"{typed!r}: write whole numbers separated by commas, e.g. 1, 2, 6")
    return [int(w) for w in words]


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value == int(value):
        return formatting.number(int(value))
    if isinstance(value, int | float):
        return formatting.number(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d.%m.%Y")
    return repr(value)
