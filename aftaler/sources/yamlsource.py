"""YAML reading that remembers the line of every value, for error messages.

Every YAML file the program reads (definitions, the alliance, yearly records) comes
through `load`, which also keeps hostile input from hanging or crashing the program:
anchors and aliases are refused (nested aliases expand exponentially), as are nesting
beyond MAX_DEPTH, files over MAX_BYTES, text over MAX_TEXT characters, control
characters, tags other than the plain scalar types, values YAML cannot construct, and
numbers that are not finite or have over MAX_DIGITS digits. Each is one located problem.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem

try:  # libyaml is an order of magnitude faster where it is built in
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

Path_ = tuple[str | int, ...]

# A definition is a few kB and nests about six levels deep: these are far beyond any real
# one, and small enough that reading a file at the limit takes well under a second.
MAX_BYTES = 1_000_000
MAX_DEPTH = 64
MAX_DIGITS = 30
MAX_TEXT = 10_000  # characters in one value: a long paragraph is 2,000
LIBYAML_DEPTH_LIMIT = "exceeded maximum nesting depth"

# What may not appear in text: C0 and C1 controls (but tab and line breaks), DEL, and the
# non-characters U+FFFE/U+FFFF. Neither Word nor XML can hold most of them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_CONTROL_NAMES = {"\x00": "NUL", "\x08": "backspace", "\x0b": "vertical tab",
                  "\x0c": "form feed", "\x1b": "escape", "\x7f": "delete"}

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML}{t}": t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {f"{_YAML}map", f"{_YAML}seq", "!"}
_KINDS = {"int": "a whole number", "float": "a number", "bool": "true or false",
          "null": "null", "timestamp": "a date", "str": "text"}


class YamlProblem(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def load(path: Path, display: str) -> tuple[Any, dict[Path_, int]]:
    """Parse a YAML file into plain data plus a map from each value's path to its line.

    Duplicate keys are an error (YAML would silently keep the last one).
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YamlProblem(Problem(display, None, "", f"too large ({size:,} bytes; a "
                                      f"definition is a few kB, at most {MAX_BYTES:,}): "
                                      "is it the right file?"))
        data = path.read_bytes()
    except OSError as exc:
        raise YamlProblem(Problem(display, None, "", f"cannot read: {exc.strerror}")) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlProblem(Problem(display, line, "", "not UTF-8 text: save the file as "
                                  "UTF-8 (the encoding every editor offers)")) from None
    return parse(text, display)


def parse(text: str, display: str) -> tuple[Any, dict[Path_, int]]:
    """`load` for text already read: `display` names it in problems."""
    _refuse_control_characters(text, display)
    lines: dict[Path_, int] = {}
    try:
        try:
            data = _Builder(display, lines).build(yaml.parse(text, Loader=_Loader))
        except yaml.MarkedYAMLError as exc:
            if exc.problem != LIBYAML_DEPTH_LIMIT:
                raise
            # libyaml 0.2.6 (in PyYAML 6.0.4's wheels) refuses 1,000 levels while scanning,
            # before the builder has seen MAX_DEPTH of them; older ones do not. The pure
            # Python parser yields events as it goes, so the builder stops it at MAX_DEPTH
            # and names the field, whichever PyYAML is installed.
            lines.clear()
            data = _Builder(display, lines).build(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        from .yamlhints import explain

        line, message = explain(exc, text)
        raise YamlProblem(Problem(display, line, "", f"invalid YAML: {message}")) from None
    except yaml.YAMLError as exc:  # pragma: no cover - the text was checked above
        raise YamlProblem(Problem(display, None, "", f"invalid YAML: {exc}")) from None
    return data, lines


def _refuse_control_characters(text: str, display: str) -> None:
    match = _CONTROL.search(text)
    if match is None:
        return
    start = text.rfind("\n", 0, match.start()) + 1
    line, column = text.count("\n", 0, match.start()) + 1, match.start() - start + 1
    others = len(_CONTROL.findall(text)) - 1
    more = f"; {others} more in the file" if others else ""
    raise YamlProblem(Problem(display, line, "", f"{_describe(match.group())} at column "
                              f"{column}: remove it (text pasted from Word or a PDF can "
                              f"carry such invisible characters){more}"))


def _describe(char: str) -> str:
    name = _CONTROL_NAMES.get(char)
    code = f"U+{ord(char):04X}"
    return f"control character {code} ({name})" if name else f"control character {code}"


class _Builder:
    """Plain data from the parser's events: no recursion, no aliases, every value checked."""

    def __init__(self, display: str, lines: dict[Path_, int]):
        self.display = display
        self.lines = lines
        self.loader = _Loader("")  # only its resolver and scalar constructors are used

    def problem(self, event: yaml.Event, path: Path_, message: str) -> YamlProblem:
        field = dotted(path)
        if len(field) > 60:  # e.g. forty levels of brackets
            field = field[:60] + "…"
        return YamlProblem(Problem(self.display, event.start_mark.line + 1, field, message))

    def build(self, events) -> Any:
        # The collections being filled, innermost last: [container, path, pending key];
        # a mapping waiting for its next key has _KEY as its pending key.
        stack: list[list] = []
        root: Any = None
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.problem(event, (), "more than one document (a second '---'): "
                                       "one file holds one definition")
            if not isinstance(event, yaml.NodeEvent | yaml.CollectionEndEvent):
                continue  # stream and document boundaries
            if isinstance(event, yaml.CollectionEndEvent):
                value = stack.pop()[0]
            else:
                value = self.node(event, stack)
                if isinstance(event, yaml.CollectionStartEvent):
                    continue
            if stack:
                self.store(stack[-1], event, value)
            else:
                root = value
        return root

    def node(self, event: yaml.NodeEvent, stack: list[list]) -> Any:
        """A scalar's value; a collection's start pushes its (empty) container."""
        at_key = bool(stack) and stack[-1][2] is _KEY
        path = _path_here(stack)
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            raise self.problem(event, path, "anchors and aliases (&name, *name) are not "
                               "supported: write the value out in full")
        if len(stack) >= MAX_DEPTH:  # named by where the nesting starts
            raise self.problem(event, path[:1], f"nested more than {MAX_DEPTH} levels deep: "
                               "check the brackets and the indentation")
        if not at_key:  # a key's own line is recorded by store
            self.lines.setdefault(path, event.start_mark.line + 1)
        if isinstance(event, yaml.CollectionStartEvent):
            if at_key:
                raise self.problem(event, path, "keys must be plain words")
            if event.tag is not None and event.tag not in _COLLECTION_TAGS:
                raise self.problem(event, path, _unsupported(event.tag))
            is_map = isinstance(event, yaml.MappingStartEvent)
            stack.append([{} if is_map else [], path, _KEY if is_map else None])
            return None
        return self.scalar(event, path)

    def store(self, frame: list, event: yaml.Event, value: Any) -> None:
        container, path, key = frame
        if isinstance(container, list):
            container.append(value)
        elif key is _KEY:
            if value in container:
                raise self.problem(event, path + (value,), "duplicate key")
            self.lines[path + (value,)] = event.start_mark.line + 1
            frame[2] = value
        else:
            container[key] = value
            frame[2] = _KEY

    def scalar(self, event: yaml.ScalarEvent, path: Path_) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag not in _SCALAR_TAGS:  # '<<' and '=' resolve to YAML 1.1 oddities
                tag = f"{_YAML}str"
        kind = _SCALAR_TAGS.get(tag)
        if kind is None:
            raise self.problem(event, path, _unsupported(tag))
        if kind in ("int", "float") and len(event.value) > MAX_DIGITS:
            raise self.problem(event, path, f"{_shorten(event.value)} has more than "
                               f"{MAX_DIGITS} digits: no figure in a definition is that long")
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                               style=event.style)
        try:
            value = self.loader.construct_object(node)
        except Exception as exc:  # PyYAML's constructors fail in many ways on bad text
            # The calendar's reasons are words ('month must be in 1..12'); others are not.
            reason = f" ({exc})" if kind == "timestamp" and isinstance(exc, ValueError) else ""
            raise self.problem(event, path, f"{_shorten(event.value)} is not "
                               f"{_KINDS[kind]}{reason}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self.problem(event, path, f"{_shorten(event.value)} is not a finite number")
        if isinstance(value, str):
            match = _CONTROL.search(value)
            if match:
                raise self.problem(event, path, f"{_describe(match.group())} (written as an "
                                   "escape in quotes): remove it")
            if len(value) > MAX_TEXT:
                raise self.problem(event, path, f"{len(value):,} characters long; one value "
                                   f"holds at most {MAX_TEXT:,}: was something pasted in by "
                                   "mistake?")
        return value


def _path_here(stack: list[list]) -> Path_:
    """The path of the next value: the next item of a list, or a mapping's pending key."""
    if not stack:
        return ()
    container, path, key = stack[-1]
    if isinstance(container, list):
        return path + (len(container),)
    return path if key is _KEY else path + (key,)


def _unsupported(tag: str) -> str:
    shown = "!!" + tag[len(_YAML):] if tag.startswith(_YAML) else tag
    return f"the tag {shown} is not supported: write plain YAML"


_KEY = object()  # a mapping's frame waits for its next key


def _shorten(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def dotted(path: Path_) -> str:
    """('efforts', 2, 'name') -> 'efforts[2].name', the way errors name a field.

    A key that is not printable text (a line break, an invisible character) is shown
    escaped, a very long one shortened: an error stays one readable line."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        text = str(part)
        if not text.isprintable():
            text = text.encode("unicode_escape").decode("ascii")
        if len(text) > 40:
            text = text[:40] + "…"
        out += f".{text}" if out else text
    return out


def line_of(lines: dict[Path_, int], path: Path_) -> int | None:
    """The line of `path`, or of its nearest ancestor that is in the file."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
