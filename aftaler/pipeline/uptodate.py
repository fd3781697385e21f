"""Up-to-date builds: a document whose inputs have not changed since it was written is
not built again.

Beside each document's files a record (hidden: `.aftale-hospital.build.json`) keeps what
went into them: every file read, with its SHA-256 (and the files looked for but absent, such
as a year without an evaluation); the environment (the versions of the packages that shape
the bytes, and the program's own source); and the SHA-256 of each file written. The
document is up to date while all of that still holds: the builds are reproducible, so
the same inputs would give the same bytes.

What a build parsed is recorded by the digest of the very bytes it parsed (kept when they
were read, sources/files.py), not of the file as it is once the build is done: a
definition saved while its document is being built leaves a record that no longer
matches, so the next build makes the document again with the saved text.

A report also reads every other agreement, to see whether it is in force that year: a
change to one of those rebuilds the report only if the agreement now belongs in it.

Checking a record reads and hashes files but parses nothing, so that `agreement --all`
with nothing changed stays quick; only for a report whose other agreements changed are
those parsed.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..files import NotReadable, read_regular
from ..output import write_atomic

FORMAT = 1
# The packages whose versions shape the bytes of the documents (and the program reading
# the definitions): a new version of any of them rebuilds everything.
PACKAGES = ("typst", "font-source-sans-pro", "pikepdf",
            "docxtpl", "python-docx", "lxml", "jinja2", "babel", "pyyaml",
            "pydantic")


@dataclass
class Inputs:
    """What a document is built from; paths relative to the project folder."""

    root: Path
    files: dict[str, str | None] = field(default_factory=dict)  # None: looked for, absent
    others: dict[str, str] = field(default_factory=dict)  # agreements read, left out
    kind: str = "agreement"
    args: dict = field(default_factory=dict)  # a report's year, programme, agreement

    def add(self, *paths: Path) -> Inputs:
        """Files read by the libraries that render (templates, fonts): hashed now."""
        for path in paths:
            self.files[self.relative(path)] = file_hash(path)
        return self

    def add_read(self, digests: dict[Path, str | None], *paths: Path) -> Inputs:
        """Files this program parsed, each by the digest of the bytes it read then
        (None: it looked for the file and there was none)."""
        for path in paths:
            self.files[self.relative(path)] = digests[path]
        return self

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


# A file changed less than this long before it was hashed may change again within the
# file system's timestamp granularity, keeping its size and time: its hash is not
# remembered (Git's "racy" files).
RACY_SECONDS = 2.0
_remembered: dict[tuple[str, int, int, int], str] = {}


def file_hash(path: Path) -> str | None:
    """SHA-256 of a regular file, or None if there is none (or it is a folder, a pipe:
    anything that cannot be a document's input). Remembered while the file's size and
    modification time stay the same (a long-running `watch` sees every change)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    key = (str(path), info.st_ino, info.st_size, info.st_mtime_ns)
    if key in _remembered:
        return _remembered[key]
    try:
        digest = hashlib.sha256(read_regular(path)).hexdigest()
    except NotReadable:
        return None
    if time.time() - info.st_mtime_ns / 1e9 > RACY_SECONDS:
        _remembered[key] = digest
    return digest


@cache
def environment() -> dict[str, str]:
    """The versions that shape the bytes: the packages', Python's, and this program's own
    source (any edit to it counts, not only a new version number)."""
    from importlib import metadata

    from .. import __version__

    env = {"python": platform.python_version(), "aftaler": __version__}
    for package in PACKAGES:
        try:
            env[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            env[package] = "-"
    source = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(source.rglob("*.py")):
        digest.update(path.relative_to(source).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    env["source"] = digest.hexdigest()
    return env


def record_path(outputs: list[Path]) -> Path:
    """`output/aftaler/.aftale-hospital.build.json` beside `aftale-hospital.docx/.pdf`."""
    first = outputs[0]
    return first.parent / f".{first.stem}.build.json"


def write_record(inputs: Inputs, outputs: dict[Path, bytes],
                 kept: dict[Path, bytes] | None = None) -> Path:
    """Record what went into `outputs` (each path with the bytes written to it), after
    they are written; and the copies `kept` below their folder (an agreement's sent
    draft), which must be there too for the build to be up to date."""
    paths = list(outputs)
    folder = paths[0].parent
    record = {
        "format": FORMAT,
        "kind": inputs.kind,
        "args": inputs.args,
        "environment": environment(),
        "inputs": dict(sorted(inputs.files.items())),
        "others": dict(sorted(inputs.others.items())),
        "outputs": {path.name: hashlib.sha256(data).hexdigest()
                    for path, data in outputs.items()},
    }
    if kept:
        record["kept"] = {path.relative_to(folder).as_posix(): hashlib.sha256(data).hexdigest()
                          for path, data in kept.items()}
    text = json.dumps(record, ensure_ascii=False, indent=1) + "\n"
    return write_atomic(record_path(paths), text.encode())


def recorded_outputs(outputs) -> list[Path]:
    """`outputs` and whatever else their record says was written with them, in the
    record's order (what an up-to-date build prints)."""
    outputs = list(outputs)
    record = read_record(record_path(outputs)) or {}
    names = record.get("outputs")
    if not isinstance(names, dict) or not all(isinstance(n, str) for n in names):
        return outputs
    known = {p.name for p in outputs}
    return outputs + [outputs[0].parent / n for n in names
                      if n not in known and "/" not in n and "\\" not in n]


def read_record(path: Path) -> dict | None:
    try:
        record = json.loads(read_regular(path, limit=16 * 2**20).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("format") == FORMAT else None


def is_current(root: Path, outputs: list[Path], *, still_left_out=None) -> bool:
    """Whether `outputs` are as their record says and nothing that went into them changed.

    The record may list more files than `outputs` (an agreement's edition for a signing
    service): those must be as it says too.

    `still_left_out(relative_path)` answers, for a report, whether an agreement that is
    new or changed would still be left out of it (and so needs no rebuild). A record
    that cannot be read, or was changed by hand into something else, means: build again.
    """
    record = read_record(record_path(outputs))
    if record is None or record.get("environment") != environment():
        return False
    try:
        written = record["outputs"]
        if not {p.name for p in outputs} <= set(written):
            return False
        folder = outputs[0].parent
        if any(file_hash(folder / name) != digest for name, digest in written.items()):
            return False  # changed or removed by hand
        kept = record.get("kept", {})
        if any(Path(name).is_absolute() or ".." in Path(name).parts
               or file_hash(folder / name) != digest
               for name, digest in kept.items()):
            return False  # a sent draft removed: build again to keep it
        if any(file_hash(root / path) != digest
               for path, digest in record["inputs"].items()):
            return False
        return _others_unchanged(root, record, still_left_out)
    except (KeyError, TypeError, AttributeError, ValueError):
        return False


def _others_unchanged(root: Path, record: dict, still_left_out) -> bool:
    others: dict[str, str] = record.get("others", {})
    if not others and still_left_out is None:
        return True
    folder = root / "agreements"
    now = {f"agreements/{p.name}" for p in folder.glob("*.yaml") if not p.name.startswith(".")}
    for path in sorted(now - set(record["inputs"])):
        if others.get(path) == file_hash(root / path):
            continue
        if still_left_out is None or not still_left_out(path):
            return False
    return True


def agreement_inputs(root: Path, definition: Path, programme: Path,
                     templates: Iterable[Path]) -> Inputs:
    """An agreement is built from its definition, its programme, its templates, the font."""
    from ..fonts import font_files

    return Inputs(root).add(definition, programme, *templates, *font_files().values())


def agreement_current(project, name: str, editions: tuple[str, ...] = ()) -> bool:
    """Whether agreement `name`'s files (and the `editions` asked for) are up to date
    (nothing parsed: an edition its signing route names is in its record)."""
    outputs = [*project.agreement_files(name),
               *(project.edition_file(name, e) for e in editions)]
    return is_current(project.root, outputs)


def report_current(project, year: int, programme_id: str | None, only: str | None) -> bool:
    """Whether the report's files are up to date. An agreement new or changed since it
    was built is read, to see whether it now belongs in the report."""
    from ..errors import AftalerError
    from ..names import DEFAULT_PROGRAMME

    def still_left_out(relative: str) -> bool:
        try:
            agreement = project.definitions.agreement(Path(relative).stem).model
        except AftalerError:  # a broken definition: the build will say what is wrong
            return False
        return (agreement.programme != (programme_id or DEFAULT_PROGRAMME)
                or not agreement.term.covers_year(year))

    outputs = list(project.report_files(year, programme_id, only))
    return is_current(project.root, outputs, still_left_out=None if only else still_left_out)
