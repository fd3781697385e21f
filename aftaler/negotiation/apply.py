"""Writing a returned draft's changes into its definition, `agreements/NAME.yaml`.

The file is edited in place with ruamel.yaml's round trip: comments, the order of keys,
quoting and every line outside the changed values stay as they were; a changed value
keeps its style (a folded `>-` text is folded again at the file's own width). The result
is checked as `check` checks it, the yearly records of the agreement included, before
anything is written; any problem, and nothing is.

A field is written only where the draft is the one that changed it: one changed in the
definition too since the draft was sent is a conflict, to be settled by hand. A field
whose text is gone from the draft is removed where the definition may do without it (a
preamble paragraph, a party's commitment, an effort whose row was deleted).
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from ..documents.fields import field_id, parse_field_id
from ..errors import BadInput, DefinitionError
from ..output import write_atomic
from ..sources import yamlsource
from ..sources.agreement import Agreement
from ..sources.validation import validate
from .compare import FieldChange, Negotiated
from .values import NotAValue, value_of
from .worddiff import shown

# Keys that may go when their text is gone from the draft: without them nothing is
# printed there (a subtitle or a column heading gone would print its default instead).
OPTIONAL = {"content_intro"}
# Where a key that was not in the file goes: after the first of these that is there.
ORDER = ("programme", "example", "title", "subtitle", "parties", "opening",
         "include_alliance_goal", "preamble", "cooperation", "content_heading",
         "content_intro", "effort_heading", "efforts", "evaluation", "term")


class NotApplied(BadInput):
    """Nothing was written; `problems` says why, one line each."""

    def __init__(self, problems: list[str], path: str):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s): nothing was written to {path}")


@dataclass
class Applied:
    path: Path
    written: list[tuple[str, str]] = field(default_factory=list)  # field id, the change
    left_out: list[FieldChange] = field(default_factory=list)  # pending tracked changes
    already: list[str] = field(default_factory=list)  # fields the definition has already
    reformatted: int = 0  # lines outside the changed values the writer could not keep


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # folding is done here, value by value
    return yaml


def _load(text: str, display: str) -> tuple[YAML, CommentedMap, str]:
    """The file as a round-trip tree, with the indentation it is written in (the one
    that writes it back as it is, or nearest to it), and the file as that writes it."""
    best: tuple[int, YAML, CommentedMap, str] | None = None
    for mapping, sequence, offset in _INDENTS:
        yaml = _yaml()
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        try:
            tree = yaml.load(text)
        except YAMLError as exc:
            raise BadInput(f"{display}: not readable YAML ({exc})") from None
        if not isinstance(tree, CommentedMap):
            raise BadInput(f"{display}: not a definition (a mapping of keys to values)")
        again = _dump(yaml, tree)
        differing = _reformatted(text, again)
        if best is None or differing < best[0]:
            best = (differing, yaml, tree, again)
        if not differing:
            break
    assert best is not None
    return best[1], best[2], best[3]


# (mapping, sequence, offset): this project's style first, then the common others.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 3, 1), (4, 2, 0))


def _dump(yaml: YAML, tree) -> str:
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


def _folds(text: str, indent: int, width: int) -> list[int]:
    """Where to fold `text` so that no line runs past `width` (a word longer than the
    line stays whole): the positions of the spaces to break at."""
    folds, start, last_space = [], 0, None
    for position, char in enumerate(text):
        if char == " " and text[position - 1:position] != " " and \
                text[position + 1:position + 2] not in (" ", ""):
            if indent + position - start > width and last_space is not None:
                folds.append(last_space)
                start = last_space + 1
            last_space = position
    if indent + len(text) - start > width and last_space is not None and last_space >= start:
        folds.append(last_space)
    return folds


def _styled(old: object, text: str, indent: int, width: int) -> object:
    """`text` written the way the value it replaces was."""
    if isinstance(old, FoldedScalarString):
        new = FoldedScalarString(text)
        new.fold_pos = _folds(text, indent, width)
        return new
    for style in (LiteralScalarString, SingleQuotedScalarString, DoubleQuotedScalarString):
        if isinstance(old, style):
            return style(text)
    return text


def _content_indent(lines: list[str], line: int) -> int:
    """The indentation of a block value's text: that of the line after its indicator."""
    for following in lines[line + 1:]:
        if following.strip():
            return len(following) - len(following.lstrip(" "))
    return 0


def _position(container, key) -> tuple[int, int] | None:
    try:
        if isinstance(container, CommentedSeq):
            return container.lc.item(key)
        return container.lc.value(key)
    except (AttributeError, KeyError, IndexError, TypeError):
        return None


def _insert(container: CommentedMap, key: str, value: object, order: tuple[str, ...]) -> None:
    """A key that was not there, after the keys that come before it in `order`."""
    before = order[:order.index(key)] if key in order else order
    position = 0
    for number, existing in enumerate(container):
        if existing in before:
            position = number + 1
    container.insert(position, key, value)


class _Editor:
    def __init__(self, text: str, display: str):
        self.yaml, self.tree, self.unchanged = _load(text, display)
        self.lines = text.splitlines()
        self.width = min(max((len(line) for line in self.lines), default=80), 120)
        self.width = max(self.width, 60)
        self.display = display

    def parent(self, path: tuple):
        node = self.tree
        for step in path[:-1]:
            node = node[step]
        return node

    def set(self, path: tuple, value: object) -> None:
        parent, key = self.parent(path), path[-1]
        if isinstance(value, str):
            old = parent[key] if (isinstance(parent, CommentedSeq) and key < len(parent)) \
                or (isinstance(parent, CommentedMap) and key in parent) else None
            where = _position(parent, key) if old is not None else None
            indent = (_content_indent(self.lines, where[0]) if where and
                      isinstance(old, FoldedScalarString) else 2 * len(path))
            value = _styled(old, value, indent, self.width)
        if isinstance(parent, CommentedMap) and key not in parent:
            order = ORDER if len(path) == 1 else ("name", "heading", "signatories") \
                if path[0] == "parties" else ()
            if path[-2:-1] == ("commitments",):
                order = tuple(self.tree["parties"])
            _insert(parent, key, value, order)
        else:
            parent[key] = value

    def remove(self, path: tuple) -> None:
        parent = self.parent(path)
        del parent[path[-1]]

    def text(self) -> str:
        return _dump(self.yaml, self.tree)


def _plan(negotiated: Negotiated, accept_tracked: bool,
          display: str) -> tuple[list[tuple[FieldChange, str | None]], list[str], list[str]]:
    """What to write (a field and its new text; None: gone), the problems, and the
    fields the definition already has as the draft has them."""
    writes, problems, already = [], [], []
    for change in negotiated.fields:
        new = change.new(accept_tracked)
        if new == change.sent:
            continue
        where = f"{display}: {change.field.described}"
        if change.problem:
            problems.append(f"{where}: {change.problem}: settle it in the draft")
            continue
        if new is not None and change.current == new:
            already.append(change.field.id)
            continue
        if change.current is None and new is None:
            already.append(change.field.id)
            continue
        if change.changed_in_definition:
            now = f'"{change.current}"' if change.current is not None else "no longer there"
            problems.append(f"{where}: changed in the draft and, since the draft was sent, "
                            f"in the definition too (now {now}): settle it by hand")
            continue
        writes.append((change, new))
    return writes, problems, already


def _removals(fields: list[FieldChange], writes, accept_tracked: bool,
              problems: list[str], display: str) -> list[tuple]:
    """The paths to remove for the fields whose text is gone (an effort whose every
    field is gone goes whole); a problem for each that the definition cannot do without."""
    def gone(change: FieldChange) -> bool:
        return change.new(accept_tracked) in (None, "")

    out: list[tuple] = []
    whole: set[int] = set()
    for change, _ in writes:
        path = parse_field_id(change.field.id)
        if not gone(change):
            continue
        if path[0] == "efforts" and path[1] not in whole:
            mine = [c for c in fields if parse_field_id(c.field.id)[:2] == path[:2]]
            if all(gone(c) for c in mine):
                whole.add(path[1])
                out.append(path[:2])
                continue
        if path[0] == "efforts" and path[1] in whole:
            continue
        if path[0] in ("preamble", "cooperation") or path[-2:-1] == ("commitments",) or \
                path[-1] in OPTIONAL:
            out.append(path)
        else:
            problems.append(f"{display}: {change.field.described}: its text is gone from the "
                            "draft, and the definition needs one")
    return sorted(out, key=lambda path: [(0, -p) if isinstance(p, int) else (1, p)
                                         for p in path])


def apply(project, negotiated: Negotiated, *, accept_tracked: bool = False) -> Applied:
    """Write the draft's changes into its definition; NotApplied if any cannot be."""
    name = negotiated.returned.sent.agreement
    definitions = project.definitions
    path = definitions.path_of(name)
    display = definitions.display(path)
    applied = Applied(path)
    applied.left_out = [] if accept_tracked else [c for c in negotiated.fields if c.pending]
    writes, problems, applied.already = _plan(negotiated, accept_tracked, display)
    if not writes and not problems:
        return applied
    original = definitions.files.text_as_parsed(path)
    editor = _Editor(original, display)
    removals = _removals(negotiated.fields, writes, accept_tracked, problems, display)
    for change, new in writes:
        field_path = parse_field_id(change.field.id)
        if new in (None, ""):
            continue
        try:
            editor.set(field_path, value_of(field_path, new))
        except NotAValue as exc:
            problems.append(f"{display}: {change.field.described}: {exc}")
            continue
        except (KeyError, IndexError, TypeError):
            problems.append(f"{display}: {change.field.described}: not where the draft says "
                            "it is in the definition: settle it by hand")
            continue
        applied.written.append((change.field.id, _shown_change(change.sent, new)))
    for removal in removals:
        try:
            editor.remove(removal)
        except (KeyError, IndexError, TypeError):
            problems.append(f"{display}: {field_id(removal)}: gone from the draft, and not "
                            "where the draft says it is in the definition: settle it by hand")
            continue
        applied.written.append((field_id(removal), "removed"))
    if problems:
        raise NotApplied(problems, display)
    text = editor.text()
    _check(definitions, name, text, display)
    applied.reformatted = _reformatted(original, editor.unchanged)
    write_atomic(path, text.encode("utf-8"))
    return applied


def _shown_change(old: str, new: str) -> str:
    if old and len(old.split()) <= 4 and len(new.split()) <= 4:
        return f"{old} → {new}"
    return shown(old, new)


def _reformatted(original: str, unchanged: str) -> int:
    """How many lines the YAML writer changes in a file without any change made."""
    if original == unchanged:
        return 0
    matcher = difflib.SequenceMatcher(None, original.splitlines(), unchanged.splitlines())
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes()
               if op != "equal")


def _check(definitions, name: str, text: str, display: str) -> None:
    """The new definition as `check` checks it; NotApplied with its problems."""
    try:
        data, lines = yamlsource.parse(text, display)
        model = validate(Agreement, data, lines, display, definitions.agreement_checks)
    except yamlsource.YamlProblem as exc:
        raise NotApplied([str(exc.problem)], display) from None
    except DefinitionError as exc:
        raise NotApplied([str(p) for p in exc.problems], display) from None
    problems = definitions.records.check_all({}, {name: model})
    if problems:
        raise NotApplied([str(p) for p in problems], display)
