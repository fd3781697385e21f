"""What a reader of the documents would trip over in the definitions: warnings, never errors.

`check` lists them after the problems. The sources' spelling is kept in the definitions
(they are transcriptions); a warning only lets the secretariat decide:

- one organisation spelt two ways in a programme ("LO Horsens Hedensted" and
  "LO Horsens-Hedensted"): among its periods' members, its agreements' parties and the
  organisations its yearly records award marks to;
- titles in mixed case across the members of a period, or across an agreement's
  signatories ("Formand" and "næstformand");
- an internal note in text that is printed ("seed 003", "TODO", a path to a folder of
  the project's sources).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem
from . import yamlsource
from .validation import locate

# Words and marks that are notes to the writer, not text for the reader.
INTERNAL = re.compile(r"\b(seeds?|todo|fixme|xxx|tbd)\b|\bshared/|\?\?\?|\[\[", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """A text in a definition file: where it is and what it says."""

    file: Path
    display: str
    path: tuple
    text: str


def _texts(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string value of plain YAML data, with its path (keys are ids, not text)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, (*path, i))
    elif isinstance(data, str):
        yield path, data


class Files:
    """The definition files read once, with their lines, for warnings to point at."""

    def __init__(self, display):
        self.display = display
        self._read: dict[Path, tuple[Any, dict]] = {}

    def data(self, file: Path) -> tuple[Any, dict]:
        if file not in self._read:
            try:
                self._read[file] = yamlsource.load(file, self.display(file))
            except (yamlsource.YamlProblem, OSError):
                self._read[file] = (None, {})  # its problem is reported by the checks
        return self._read[file]

    def at(self, file: Path, path: tuple, message: str) -> Problem:
        return locate(self.display(file), self.data(file)[1], path, message)

    def places(self, file: Path, where) -> list[Place]:
        """The texts of `file` at the paths `where(path)` accepts."""
        data, _ = self.data(file)
        return [Place(file, self.display(file), path, text)
                for path, text in _texts(data) if where(path)]


def _key(name: str) -> str:
    """A name as it reads aloud: case, spaces, hyphens and dots do not matter."""
    return re.sub(r"[\W_]+", "", name.casefold())


def _where(place: Place, files: Files) -> str:
    line = yamlsource.line_of(files.data(place.file)[1], place.path)
    return f"{place.display}:{line}" if line else place.display


def spellings(name: str, places: list[Place], files: Files) -> Iterator[Problem]:
    """One organisation spelt more than one way among `places`: a warning at each place
    of a spelling other than the most used one."""
    groups: dict[str, dict[str, list[Place]]] = {}
    for place in places:
        groups.setdefault(_key(place.text), {}).setdefault(place.text.strip(), []).append(place)
    for spelt in groups.values():
        if len(spelt) < 2:
            continue
        ranked = sorted(spelt, key=lambda text: (-len(spelt[text]), text))
        usual = ranked[0]
        others = ", ".join(_where(p, files) for p in spelt[usual][:3])
        for text in ranked[1:]:
            for place in spelt[text]:
                yield files.at(place.file, place.path, (
                    f"{text!r} is spelt {usual!r} elsewhere in {name} ({others}): one "
                    "organisation, two spellings? The documents print each as written"))


def title_case(what: str, places: list[Place], files: Files) -> Iterator[Problem]:
    """Titles that start with a small letter where most start with a capital, or the
    other way round: a warning at each of the fewer."""
    titles = [p for p in places if p.text[:1].isalpha()]
    upper = [p for p in titles if p.text[:1].isupper()]
    lower = [p for p in titles if p.text[:1].islower()]
    if not upper or not lower:
        return
    fewer, more, kind = (lower, upper, "a capital") if len(lower) <= len(upper) \
        else (upper, lower, "a small letter")
    for place in fewer:
        yield files.at(place.file, place.path, (
            f"{place.text!r}: {len(more)} of the {len(titles)} titles of {what} start with "
            f"{kind}; the documents print each as written"))


def internal_notes(places: list[Place], files: Files) -> Iterator[Problem]:
    for place in places:
        found = INTERNAL.search(place.text)
        if found:
            yield files.at(place.file, place.path, (
                f"{found.group(0)!r} reads as an internal note, and this text is printed"))


def _is(*pattern):
    """A path matcher: `pattern`'s parts, None matching any key or index."""
    def match(path: tuple) -> bool:
        return len(path) == len(pattern) and all(p is None or p == q
                                                 for p, q in zip(pattern, path, strict=True))
    return match


def warnings(programmes: dict, agreements: dict, folders, files: Files) -> list[Problem]:
    """Every warning about the definitions that passed their checks.

    `programmes`, `agreements`: id or name -> validated model; `folders`: the
    Definitions, for the files' paths."""
    out: list[Problem] = []
    every_file = [folders.programme_path(pid) for pid in programmes] + \
        [folders.agreements_folder / f"{name}.yaml" for name in agreements]
    every_file += [record for folder, names in ((folders.programmes_folder, programmes),
                                                (folders.agreements_folder, agreements))
                   for name in names for record in sorted((folder / name).glob("*.yaml"))]
    for pid, programme in programmes.items():
        programme_file = folders.programme_path(pid)
        places = files.places(programme_file, _is("periods", None, "members", None,
                                                  "organisation"))
        for name, agreement in agreements.items():
            if agreement.programme == pid:
                places += files.places(folders.agreements_folder / f"{name}.yaml",
                                       _is("parties", None, "name"))
        for record in sorted((folders.programmes_folder / pid).glob("*.yaml")):
            places += files.places(record, _is("marks", None, "organisation"))
        out += spellings(programme.name, places, files)
        for i, period in enumerate(programme.periods):
            out += title_case(f"the members of {period.years}", files.places(
                programme_file, _is("periods", i, "members", None, "title")), files)
    for name in agreements:
        out += title_case("its signatories", files.places(
            folders.agreements_folder / f"{name}.yaml",
            _is("parties", None, "signatories", None, "title")), files)
    for file in every_file:
        out += internal_notes(files.places(file, lambda path: True), files)
    return out
