"""Validating plain YAML data against a format, with every problem located and worded.

Each format is a pydantic model (`Strict`: an unknown key is an error). A format's own
checks beyond types are functions yielding (path, message); paths are as in the YAML, so
every problem becomes one line: file, line, field, message.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
)

from .. import formatting
from ..errors import DefinitionError, Problem
from . import yamlsource

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Ids of parties, goals and marks: what a definition refers to them by.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$")]
ID_RULE = "ids are lower-case letters, digits, '-' and '_', starting with a letter"

Check = Iterator[tuple[tuple, str]]


def _date(value: Any) -> Any:
    """A date as YAML reads 2014-11-01, or text written as Danes write dates."""
    if value is None or isinstance(value, dt.date):  # pydantic says what is wrong with
        return value                                  # a datetime, or with nothing
    if isinstance(value, str):
        try:
            return formatting.parse_date(value)
        except formatting.NotADate:
            pass
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a day that exists ({exc})") from None
    shown = repr(value) if isinstance(value, str) else str(value)
    raise ValueError(f"{shown} is not a date: write it as {formatting.DATE_EXAMPLES}")


_DATE_PATTERN = (r"^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2} ?([./-]) ?\d{1,2} ?\2 ?\d{4}|"
                 r"\d{1,2}\.? [A-Za-zæøåÆØÅ]{3,}\.? \d{4})\s*$")
# A day: 2014-11-01, or as Danes write it (1.11.2014, 01.11.2014, 1. november 2014).
Date = Annotated[dt.date, BeforeValidator(_date), WithJsonSchema({
    "type": "string", "pattern": _DATE_PATTERN,
    "description": f"A date: {formatting.DATE_EXAMPLES}."})]


class Strict(BaseModel):
    # An unknown key is an error: a typo must never pass silently.
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Loaded:
    """A validated definition with where it came from."""

    name: str
    path: Path
    model: Any


def validate(model: type[Strict], data: Any, lines: dict, display: str,
             checks: Callable[[Any], Check] | None = None) -> Any:
    """Validate plain data against `model`; raise DefinitionError listing every problem.

    After the types, `checks` run (the format's own checks, or checks that need more
    than the file itself, such as an evaluation against its agreement).
    """
    if not isinstance(data, dict):
        raise DefinitionError([Problem(display, 1, "", "expected a mapping of keys to values")])
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        errors = _one_per_misspelling(model, exc.errors())
        problems = [_problem(model, err, lines, display) for err in errors]
        raise DefinitionError(sorted(set(problems), key=_by_line)) from None
    problems = [locate(display, lines, path, msg) for path, msg in (checks(obj) if checks else ())]
    if problems:
        raise DefinitionError(sorted(problems, key=_by_line))
    return obj


def locate(display: str, lines: dict, path: tuple, message: str) -> Problem:
    """A problem at `path` of a file: its line is that of the path (or its nearest parent)."""
    return Problem(display, yamlsource.line_of(lines, path), yamlsource.dotted(path), message)


def load_file(path: Path, model: type[Strict], display: str | None = None,
              checks: Callable[[Any], Check] | None = None) -> Any:
    """Read, parse and validate one YAML file; raise DefinitionError on any problem."""
    display = display or str(path)
    try:
        data, lines = yamlsource.load(path, display)
    except yamlsource.YamlProblem as exc:
        raise DefinitionError([exc.problem]) from None
    return validate(model, data, lines, display, checks)


def _by_line(problem: Problem) -> tuple[int, str]:
    return problem.line or 0, problem.field


def _meant(model: type[BaseModel], loc: tuple) -> str | None:
    """The allowed key an unknown key at `loc` is most likely a misspelling of."""
    allowed = _fields(_walk(model, loc[:-1])[1])
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    return close[0] if close else None


def _one_per_misspelling(model: type[BaseModel], errors: list[dict]) -> list[dict]:
    """A misspelt required key is one mistake: its 'unknown key' says what it is meant
    to be, so the 'missing' of the key meant is left out."""
    meant = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(err["loc"])
            key = _meant(model, loc)
            if key is not None:
                meant.add(loc[:-1] + (key,))
    return [err for err in errors
            if not (err["type"] == "missing" and tuple(err["loc"]) in meant)]


def _problem(model: type[BaseModel], err: dict, lines: dict, display: str) -> Problem:
    loc, target = _walk(model, tuple(err["loc"]))
    kind = err["type"]
    if kind == "missing":
        message = "required field is missing"
    elif "input" in err and err["input"] is None:  # `key:` with nothing after it
        description = _description(model, tuple(err["loc"]))
        message = "empty: fill it in" + (f" ({description})" if description else "")
    elif kind == "extra_forbidden":
        allowed = _fields(_walk(model, tuple(err["loc"])[:-1])[1])
        message = "unknown key"
        close = _meant(model, tuple(err["loc"]))
        if close:
            message += f"; did you mean {close!r}?"
        if allowed:
            message += f" (allowed: {', '.join(allowed)})"
    elif kind in ("union_tag_not_found", "union_tag_invalid"):
        tags = ", ".join(_union_members(target))
        loc = loc + (err.get("ctx", {}).get("discriminator", "kind").strip("'"),)
        message = (f"required field is missing ({tags})" if kind == "union_tag_not_found"
                   else f"must be one of {tags}, not {err['ctx'].get('tag')!r}")
    else:
        message = err["msg"].removeprefix("Value error, ")
        message = message[0].lower() + message[1:]
        if kind == "string_pattern_mismatch" and loc and loc[-1] == "[key]":
            loc = loc[:-1]
            message = ID_RULE
    loc = tuple(part for part in loc if part != "[key]")
    return locate(display, lines, loc, message)


def _description(model: Any, loc: tuple) -> str | None:
    """What the field at `loc` holds, in the words of its format: its own description, or
    that of the list or mapping it is an entry of. Lower-case, without its full stop."""
    for end in range(len(loc), 0, -1):
        parent = _walk(model, loc[:end - 1])[1]
        if isinstance(parent, type) and issubclass(parent, BaseModel):
            field = parent.model_fields.get(str(loc[end - 1]))
            text = field.description if field is not None else None
            return text[0].lower() + text[1:].rstrip(".") if text else None
    return None


def _walk(model: Any, loc: tuple) -> tuple[tuple, Any]:
    """Follow pydantic's error location `loc` through `model`'s types.

    Returns the location as it is in the YAML (without the tags pydantic adds for a
    tagged union, such as a goal's kind) and the type found at its end.
    """
    shown: list = []
    tp = model
    for part in loc:
        tp = _bare(tp)
        members = _union_members(tp)
        if members and part in members:  # a tagged union's tag: not a key in the YAML
            tp = members[part]
            continue
        shown.append(part)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            tp = field.annotation if field else None
        elif typing.get_origin(tp) in (list, dict):
            tp = typing.get_args(tp)[-1]
        else:
            tp = None
    return tuple(shown), _bare(tp)


def _union_members(tp: Any) -> dict[str, Any]:
    """Tag -> model, for a union of models told apart by a literal `kind`."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return {}
    members = {}
    for arg in typing.get_args(tp):
        arg = _bare(arg)
        if isinstance(arg, type) and issubclass(arg, BaseModel) and "kind" in arg.model_fields:
            for tag in typing.get_args(arg.model_fields["kind"].annotation):
                members[tag] = arg
    return members


def _fields(model: Any) -> list[str]:
    """The keys allowed in `model` (for 'unknown key' messages)."""
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
