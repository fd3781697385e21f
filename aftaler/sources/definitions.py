"""The project's definitions, read together: `programmes/` and `agreements/`.

    programmes/alliance.yaml        HORSENS ALLIANCEN: its periods, goals, members, marks
    programmes/alliance/2016.yaml   its results of 2016
    agreements/hospital.yaml        an agreement (of HORSENS ALLIANCEN unless it says
    agreements/hospital/2016.yaml   `programme: ID`), and its evaluation of 2016

An agreement is checked on its own and against its programme: the programme exists, and
every goal an effort serves is a goal of a period that the agreement's term overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BadInput, DefinitionError, Problem
from ..names import is_name, misnamed, not_a_name, unknown_name, unused_form
from .files import SourceFiles

# The formats (pydantic) are imported when a definition is read: finding files, and
# checking whether a document is up to date, need none of them.
if TYPE_CHECKING:
    from .agreement import Agreement
    from .programme import Programme
    from .records import Records
    from .validation import Check, Loaded

AGREEMENTS, PROGRAMMES = "agreements", "programmes"


@dataclass(frozen=True)
class Misnamed:
    """A definition file whose name is not a valid name: it is not read, and is named,
    with the valid name to rename it to, wherever the definitions are listed."""

    path: Path
    suggestion: str | None

    @property
    def stem(self) -> str:
        return self.path.stem


def checks_against_programme(a: Agreement, programme: Programme) -> Check:
    """Every goal an effort serves is a goal of a period the agreement's term overlaps."""
    overlapping = programme.periods_overlapping(a.term.start.year, a.term.end.year)
    reachable = {goal_id for period in overlapping for goal_id in period.goals}
    for i, effort in enumerate(a.efforts):
        for j, goal_id in enumerate(effort.serves):
            if goal_id in reachable:
                continue
            other = next((p for p in programme.periods if goal_id in p.goals), None)
            term = f"{a.term.start.year}–{a.term.end.year}"
            if other is not None:
                message = (f"{goal_id!r} is a goal of the period {other.years}, which the "
                           f"agreement's term ({term}) does not overlap")
            else:
                message = (f"no goal {goal_id!r} in {programme.name} (goals of the periods "
                           f"the term overlaps: {', '.join(sorted(reachable)) or 'none'})")
            yield ("efforts", i, "serves", j), message


@dataclass
class Checked:
    """Every definition that passed its checks, and every problem found anywhere."""

    programmes: dict[str, Programme] = field(default_factory=dict)
    agreements: dict[str, Agreement] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # see advice.py: never failures

    def add(self, problems: list[Problem]) -> None:
        # An agreement reports its programme's problems too: list each once.
        self.problems += [p for p in problems if p not in self.problems]


class Definitions:
    """The definitions of a project folder."""

    def __init__(self, root: Path):
        self.root = root
        self.agreements_folder = root / AGREEMENTS
        self.programmes_folder = root / PROGRAMMES
        self.files = SourceFiles(root)  # what was read, and the digests of what was parsed
        self._programmes: dict[str, Loaded | DefinitionError] = {}

    @cached_property
    def records(self) -> Records:
        """The yearly records beside the definitions."""
        from .records import Records

        return Records(self.agreements_folder, self.programmes_folder, self.files)

    def display(self, path: Path) -> str:
        return self.files.display(path)

    @staticmethod
    def _files(folder: Path) -> tuple[list[str], list[Misnamed]]:
        """The names of the definitions in `folder`, sorted, and the files whose name is
        not a valid name (each with one to rename it to)."""
        if not folder.is_dir():
            return [], []
        stems = sorted(p.stem for p in folder.glob("*.yaml") if not p.name.startswith("."))
        names = [s for s in stems if is_name(s)]
        taken = set(names)
        wrong = []
        for stem in stems:
            if stem not in taken:
                suggestion = unused_form(stem, taken)
                taken.add(suggestion)
                wrong.append(Misnamed(folder / f"{stem}.yaml", suggestion))
        return names, wrong

    def names(self) -> list[str]:
        """Every agreement's name (its file name without .yaml), sorted."""
        return self._files(self.agreements_folder)[0]

    def programme_ids(self) -> list[str]:
        return self._files(self.programmes_folder)[0]

    def misnamed(self, folder: Path | None = None) -> list[Misnamed]:
        """The definition files (of `folder`, or of both) whose name is not a name."""
        folders = [folder] if folder else [self.programmes_folder, self.agreements_folder]
        return [m for f in folders for m in self._files(f)[1]]

    def misnamed_problem(self, wrong: Misnamed) -> Problem:
        """`check`'s line for a badly named file: what is wrong, what to rename it to
        (and its folder of yearly records, if it has one)."""
        kind = "programme" if wrong.path.parent == self.programmes_folder else "agreement"
        message = misnamed(wrong.stem, kind, wrong.suggestion)
        if wrong.suggestion and (wrong.path.parent / wrong.stem).is_dir():
            message += f", and its folder of yearly records {wrong.stem}/ to {wrong.suggestion}/"
        return Problem(self.display(wrong.path), None, "", message)

    def path_of(self, name: str) -> Path:
        """The definition of agreement `name`; BadInput if there is none."""
        if not is_name(name):
            wrong = next((m for m in self.misnamed(self.agreements_folder)
                          if m.stem == name), None)
            if wrong is not None:
                raise BadInput(str(self.misnamed_problem(wrong)))
            raise BadInput(not_a_name(name, self.names()))
        path = self.agreements_folder / f"{name}.yaml"
        if not self.files.exists(path):  # a folder or a pipe is named as such when read
            raise BadInput(unknown_name(name, self.names(),
                                        self.display(self.agreements_folder)))
        return path

    def programme_path(self, programme_id: str) -> Path:
        return self.programmes_folder / f"{programme_id}.yaml"

    def no_programme(self, programme_id: str) -> str:
        return unknown_name(programme_id, self.programme_ids(),
                            self.display(self.programmes_folder), kind="programme")

    def programme(self, programme_id: str) -> Loaded:
        """Programme `programme_id`, validated (once per Definitions)."""
        from .programme import Programme, programme_checks
        from .validation import Loaded

        if programme_id not in self._programmes:
            path = self.programme_path(programme_id)
            if not is_name(programme_id) or not self.files.exists(path):
                raise BadInput(self.no_programme(programme_id))
            try:
                self._programmes[programme_id] = Loaded(
                    programme_id, path, self.files.load(path, Programme, programme_checks))
            except DefinitionError as exc:
                self._programmes[programme_id] = exc
        found = self._programmes[programme_id]
        if isinstance(found, DefinitionError):
            raise DefinitionError(found.problems)
        return found

    def agreement(self, name: str) -> Loaded:
        """Agreement `name`, validated on its own and against its programme.

        A problem in its programme's definition is reported as such.
        """
        from .agreement import Agreement
        from .validation import Loaded

        path = self.path_of(name)
        display = self.display(path)
        if name in self.programme_ids():
            raise DefinitionError([Problem(display, None, "", (
                f"an agreement cannot be named {name!r}: that is the programme defined in "
                f"{self.display(self.programme_path(name))} (rename the file)"))])

        return Loaded(name, path, self.files.load(path, Agreement, self.agreement_checks))

    def agreement_checks(self, a: Agreement) -> Check:
        """An agreement's checks beyond types: on its own, and against its programme."""
        from .agreement import agreement_checks

        yield from agreement_checks(a)
        if not self.files.exists(self.programme_path(a.programme)):
            yield ("programme",), self.no_programme(a.programme)
            return
        if a.term.end > a.term.start:  # else the term's own error says it all
            yield from checks_against_programme(a, self.programme(a.programme).model)

    def check_all(self) -> Checked:
        """Validate every programme, agreement and yearly record; collect every problem."""
        checked = Checked()
        for programme_id in self.programme_ids():
            try:
                checked.programmes[programme_id] = self.programme(programme_id).model
            except DefinitionError as exc:
                checked.add(exc.problems)
        for name in self.names():
            try:
                checked.agreements[name] = self.agreement(name).model
            except DefinitionError as exc:
                checked.add(exc.problems)
            except BadInput as exc:
                checked.add([Problem(self.display(self.agreements_folder), None, "",
                                     exc.message)])
        owners = {}
        for folder in (self.agreements_folder, self.programmes_folder):
            names, wrong = self._files(folder)
            checked.add([self.misnamed_problem(m) for m in wrong])
            # A badly named definition's folder of records is named with it, above.
            owners[folder] = {*names, *(m.stem for m in wrong)}
        checked.add(self.records.stray_files(owners))
        checked.add(self.records.check_all(checked.programmes, checked.agreements))
        from . import advice

        checked.warnings = advice.warnings(checked.programmes, checked.agreements, self,
                                           advice.Files(self.display))
        return checked
