"""YAML reading that remembers the line of every value, for error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem

try:  # libyaml is an order of magnitude faster where it is built in
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

Path_ = tuple[str | int, ...]


class YamlProblem(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def load(path: Path, display: str) -> tuple[Any, dict[Path_, int]]:
    """Parse a YAML file into plain data plus a map from each value's path to its line.

    Duplicate keys are an error (YAML would silently keep the last one).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(Problem(display, None, "", f"not UTF-8 text ({exc.reason})")) from None
    except OSError as exc:
        raise YamlProblem(Problem(display, None, "", f"cannot read: {exc.strerror}")) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlProblem(Problem(display, line, "", f"invalid YAML: {exc.problem}")) from None
    lines: dict[Path_, int] = {}
    if node is None:
        return None, lines
    constructor = _Loader("")  # only its scalar constructors are used
    return _build(node, (), lines, constructor, display), lines


def _build(node: yaml.Node, path: Path_, lines: dict, constructor, display: str) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(Problem(display, key_node.start_mark.line + 1,
                                          dotted(path), "keys must be plain words"))
            key = constructor.construct_object(key_node)
            if key in result:
                raise YamlProblem(Problem(display, key_node.start_mark.line + 1,
                                          dotted(path + (key,)), "duplicate key"))
            lines[path + (key,)] = key_node.start_mark.line + 1
            result[key] = _build(value_node, path + (key,), lines, constructor, display)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), lines, constructor, display)
                for i, item in enumerate(node.value)]
    return constructor.construct_object(node)


def dotted(path: Path_) -> str:
    """('efforts', 2, 'name') -> 'efforts[2].name', the way errors name a field."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out




def line_of(lines: dict[Path_, int], path: Path_) -> int | None:
    """The line of `path`, or of its nearest ancestor that is in the file."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
