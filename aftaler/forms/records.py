"""A yearly record as YAML that reads like the hand-written ones, and what changed.

The schema line first, a comment saying where the record came from, the keys in the order
of the format, long texts folded at the line length of the shipped files. Every value is
checked to read back as itself (else it is quoted), so the YAML says exactly what the form
said.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import yaml

from ..sources.yamlsource import dotted

WIDTH = 88  # the line length of the hand-written records
EVALUATION_SCHEMA = "../../schema/evaluation.schema.json"
PROGRAMME_YEAR_SCHEMA = "../../schema/programme-year.schema.json"
EFFORT_KEYS = ("indicator", "result", "assessment", "relevance", "next_step")
GOAL_KEYS = ("result", "assessment", "narrative", "comment")
MARK_KEYS = ("organisation", "mark", "criteria")


def _reads_back(text: str, value: Any) -> bool:
    try:
        return yaml.safe_load("k: " + text) == {"k": value}
    except yaml.YAMLError:
        return False


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def key(text: str) -> str:
    plain = str(text)
    if plain and plain == plain.strip() and "\n" not in plain and _reads_back(plain, plain) \
            and yaml.safe_load(f"{plain}: 1") == {plain: 1}:
        return plain
    return _quoted(plain)


def scalar(value: Any, indent: int, used: int) -> str:
    """`value` as it follows 'key: ' on a line where `used` characters are taken; a long
    text becomes a folded block (`>-`) indented by `indent` + 2."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        return yaml.safe_dump(float(value)).split("\n")[0]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v, indent, used) for v in value) + "]"
    text = str(value)
    pad = " " * (indent + 2)
    if "\n" not in text and used + len(text) <= WIDTH and _reads_back(text, text):
        return text
    if "\n" not in text and "  " not in text and "\t" not in text and text == text.strip():
        block = ">-\n" + "\n".join(pad + line for line in _wrap(text, WIDTH - len(pad)))
        if _reads_back(block, text):
            return block
    if "\n" in text and "\t" not in text and text == text.strip():
        block = "|-\n" + "\n".join((pad + line) if line else "" for line in text.split("\n"))
        if _reads_back(block, text):
            return block
    return _quoted(text)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines


def _entry(name: str, value: Any, indent: int, note: str = "") -> str:
    head = " " * indent + key(name) + ":"
    if isinstance(value, dict):
        return head + (f"  # {note}" if note else "")
    return f"{head} {scalar(value, indent, len(head) + 1)}"


def _header(schema: str, notes: list[str]) -> list[str]:
    lines = [line for note in notes for line in _wrap(note, WIDTH - 2)]
    return [f"# yaml-language-server: $schema={schema}", "#", *[f"# {n}" for n in lines]]


def evaluation_yaml(data: dict[str, Any], notes: list[str]) -> str:
    """An Evaluation's data (as validated) as the YAML of `agreements/NAME/YEAR.yaml`."""
    out = _header(EVALUATION_SCHEMA, notes)
    if data.get("example"):
        out.append("example: true")
    for name in ("evaluated_by", "evaluated_on", "comment"):
        out.append(_entry(name, data[name], 0))
    out.append("efforts:")
    for effort, answers in data["efforts"].items():
        out.append(_entry(effort, {}, 2))
        out += [_entry(k, answers[k], 4) for k in EFFORT_KEYS if k in answers]
    return "\n".join(out) + "\n"


def programme_year_yaml(data: dict[str, Any], notes: list[str],
                        goal_notes: dict[str, str]) -> str:
    """A ProgrammeYear's data as the YAML of `programmes/ID/YEAR.yaml`; `goal_notes` are
    comments after a goal's id (what its figure measures)."""
    out = _header(PROGRAMME_YEAR_SCHEMA, notes)
    if data.get("example"):
        out.append("example: true")
    goals = data.get("goals") or {}
    out.append("goals:" if goals else "goals: {}")
    for goal_id, answers in goals.items():
        out.append(_entry(goal_id, {}, 2, goal_notes.get(goal_id, "")))
        out += [_entry(k, answers[k], 4) for k in GOAL_KEYS if k in answers]
    marks = data.get("marks") or []
    out.append("marks:" if marks else "marks: []")
    for award in marks:
        lines = [_entry(k, award[k], 4) for k in MARK_KEYS if k in award]
        out += ["  - " + lines[0].lstrip(), *lines[1:]]
    return "\n".join(out) + "\n"


def changes(old: Any, new: Any, path: tuple = ()) -> list[str]:
    """What differs between two records' data, one line per field:
    'efforts.JOBROTATION.result: 3 → 4'."""
    if isinstance(old, dict) and isinstance(new, dict):
        lines = []
        for k in [*new, *(k for k in old if k not in new)]:
            lines += changes(old.get(k, _NONE), new.get(k, _NONE), path + (k,))
        return lines
    if _is_records(old) and _is_records(new) and (old or new):
        lines = []
        for i in range(max(len(old), len(new))):
            lines += changes(old[i] if i < len(old) else _NONE,
                             new[i] if i < len(new) else _NONE, path + (i,))
        return lines
    if isinstance(old, dict) and new is _NONE or old is _NONE and isinstance(new, dict):
        entries = old if isinstance(old, dict) else new
        return [line for k, v in entries.items()
                for line in (changes(v, _NONE, path + (k,)) if old is not _NONE
                             else changes(_NONE, v, path + (k,)))]
    if _same(old, new):
        return []
    return [f"{dotted(path)}: {shown(old)} → {shown(new)}"]


class _None:
    def __repr__(self) -> str:
        return "(none)"


_NONE = _None()


def _is_records(value: Any) -> bool:
    """A list of mappings (such as the marks awarded): compared entry by entry."""
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    return old == new


def shown(value: Any) -> str:
    """A value as a change line shows it: text quoted, the rest as YAML writes it."""
    if value is _NONE:
        return "(none)"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{…}"
    return scalar(value, 0, 0)
