"""An append-only archive of final and signed PDFs, whose integrity can be proven.

    archive/
      SHA256SUMS                 `sha256sum -c SHA256SUMS` checks every document
      manifest.json              one record per document (see Record)
      2014/hospital/aftale-hospital.pdf
      2014/hospital/aftale-hospital-underskrevet-2.pdf
      2016/alliance/evaluering-2016.pdf

Documents are stored byte for byte as received and never overwritten or deleted. Each
addition is journaled: a run killed at any point is completed (or, if the copy itself
was cut short, undone) by the next archive command, so the archive always verifies.
Every change, and that recovery, happens under the archive's exclusive lock (lock.py):
commands run at the same time take turns, and none ever finishes or removes the work
of another that is still running.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import AftalerError
from ..names import fitted
from ..output import PART, fsync_folder, write_atomic, write_temporary
from .inspection import UNKNOWN, Inspection, Refused, inspect
from .lock import LOCK, exclusive

MANIFEST, SUMS, JOURNAL = "manifest.json", "SHA256SUMS", ".journal.json"
FORMAT = 1
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
# The bytes of a stored name's stem: with a version, `.pdf` and the temporary's hidden
# prefix and suffix it stays within the 255 bytes of a file name.
STEM_BYTES = 200
WAIT = 60.0  # seconds an archive command waits for another to finish


@dataclass
class Record:
    """One archived document, as the manifest keeps it."""

    path: str  # relative to the archive, e.g. '2014/hospital/aftale-hospital.pdf'
    sha256: str
    size: int
    pages: int
    title: str
    kind: str
    agreement: str
    parties: list[str]
    year: int | None
    pdfa: str | None
    signatures: list[dict]
    unsigned_fields: list[str]
    source_sha256: str | None
    archived_at: str
    original_name: str
    warnings: list[str] = field(default_factory=list)
    example: bool = False  # built from `example: true` data


@dataclass(frozen=True)
class Added:
    record: Record
    new: bool  # False: the same bytes were already archived
    notes: list[str]
    recovered: list[str] = field(default_factory=list)  # what a killed run left, now done


class ArchiveError(AftalerError):
    """The archive itself is unusable (e.g. its manifest is damaged)."""


def _sums(records: list[Record]) -> str:
    """SHA256SUMS as `sha256sum -c` reads it."""
    return "".join(f"{r.sha256}  {r.path}\n" for r in records)


class Archive:
    def __init__(self, root: Path, *, wait: float = WAIT,
                 on_wait: Callable[[], None] | None = None):
        """`wait`: how long to wait for another archive command; `on_wait` is called
        once if that takes more than a second."""
        self.root = root
        self.wait = wait
        self.on_wait = on_wait

    def exists(self) -> bool:
        """Whether there is an archive here (any file besides the lock)."""
        return self.root.is_dir() and any(
            p.is_file() and p.name != LOCK for p in self.root.rglob("*"))

    @contextlib.contextmanager
    def _changing(self) -> Iterator[list[str]]:
        """Hold the archive's lock; first finish what a killed run left (its messages)."""
        with exclusive(self.root, timeout=self.wait, on_wait=self.on_wait):
            yield self._recover()

    # --- reading -----------------------------------------------------------------------

    def records(self) -> list[Record]:
        path = self.root / MANIFEST
        if not path.exists():
            return []
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return [Record(**r) for r in data["documents"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise ArchiveError(f"{path}: damaged manifest ({type(exc).__name__}: {exc})") \
                from None

    def _write_index(self, records: list[Record]) -> None:
        """The manifest, then SHA256SUMS derived from it: each replaced atomically."""
        manifest = {"format": FORMAT, "documents": [asdict(r) for r in records]}
        write_atomic(self.root / MANIFEST,
                     (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode(),
                     durable=True)
        write_atomic(self.root / SUMS, _sums(records).encode(), durable=True)

    # --- adding --------------------------------------------------------------------------

    def add(self, data: bytes, original_name: str, *, strict: bool = False,
            info: Inspection | None = None) -> Added:
        """Archive `data` (checked first, unless `info` is its inspection already:
        Refused says why not)."""
        info, notes, archived_at = self._admitted(data, info, strict)
        self.root.mkdir(parents=True, exist_ok=True)
        with self._changing() as recovered:
            records = self.records()
            for record in records:
                if record.sha256 == info.sha256:
                    return Added(record, new=False, notes=[], recovered=recovered)
            relative = self._place(info, original_name, records)
            record = self._record(info, relative, original_name, archived_at)
            # 1. the bytes, read-only, under a temporary name in their final folder
            tmp = write_temporary(self.root / relative, data, mode=0o444)
            # 2. the journal: from here on, recovery completes this addition
            journal = {"tmp": str(tmp.relative_to(self.root)), "record": asdict(record)}
            write_atomic(self.root / JOURNAL, json.dumps(journal).encode(), durable=True)
            self._complete(journal, records)
        return Added(record, new=True, notes=notes, recovered=recovered)

    def preview(self, data: bytes, original_name: str, *, strict: bool = False,
                info: Inspection | None = None, planned: list[Record] | None = None) -> Added:
        """What `add` would do, writing nothing: the record it would make (or the one
        already archived). `planned`: records previewed before in the same run, taken
        as archived."""
        info, notes, archived_at = self._admitted(data, info, strict)
        records = [*self.records(), *(planned or [])]
        for record in records:
            if record.sha256 == info.sha256:
                return Added(record, new=False, notes=[])
        relative = self._place(info, original_name, records)
        return Added(self._record(info, relative, original_name, archived_at), new=True,
                     notes=notes)

    @staticmethod
    def _admitted(data: bytes, info: Inspection | None,
                  strict: bool) -> tuple[Inspection, list[str], dt.datetime]:
        info = info or inspect(data)  # the slow part, done before taking the lock
        if strict and info.warnings:
            raise Refused("--strict: " + "; ".join(info.warnings))
        notes = list(info.notes)
        archived_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
        if info.year is None:
            info.year = archived_at.year
            notes.append(f"no date in the document: filed under {info.year}, the year it "
                         "was archived")
        return info, notes, archived_at

    def _complete(self, journal: dict, records: list[Record]) -> None:
        record = Record(**journal["record"])
        tmp, target = self.root / journal["tmp"], self.root / record.path
        if tmp.exists() and not target.exists():
            os.replace(tmp, target)  # 3. the document under its final name
            fsync_folder(target.parent)
        if record.path not in {r.path for r in records}:
            records = [*records, record]
        self._write_index(records)  # 4. manifest and SHA256SUMS list it
        (self.root / JOURNAL).unlink()  # 5. done
        fsync_folder(self.root)

    def recover(self) -> list[str]:
        """Finish what a killed run left (under the lock); say what was done."""
        if not self.root.is_dir():
            return []
        with self._changing() as messages:
            return messages

    def _recover(self) -> list[str]:
        """Finish an addition a killed run left journaled; remove unjournaled temporaries.

        Only ever run under the lock: then no other command is halfway through.
        """
        messages = []
        journal_path = self.root / JOURNAL
        if journal_path.exists():
            try:
                journal = json.loads(journal_path.read_text(encoding="utf-8"))
                record = Record(**journal["record"])
                if not (_within(journal["tmp"]) and _within(record.path)):
                    raise ValueError("a path outside the archive")  # never of our making
            except (ValueError, KeyError, TypeError):
                journal_path.unlink()  # cut short while written: nothing was archived
                journal = None
            if journal is not None:
                tmp, target = self.root / journal["tmp"], self.root / record.path
                source = target if target.exists() else tmp
                if source.exists() and _sha256(source) == record.sha256:
                    self._complete(journal, self.records())
                    messages.append(f"completed the interrupted addition of {record.path}")
                else:
                    tmp.unlink(missing_ok=True)
                    journal_path.unlink()
                    messages.append(f"undid the interrupted addition of {record.path}")
        if self.root.exists():
            for stray in self.root.rglob(f".*{PART}"):
                stray.unlink()  # a copy cut short before its journal: never archived
        return messages

    def _place(self, info: Inspection, original_name: str, records: list[Record]) -> str:
        """Where a new document goes: YEAR/AGREEMENT/NAME, a new version if NAME is taken."""
        folder = Path(str(info.year)) / (info.agreement or UNKNOWN)
        # Never hidden (recovery sweeps hidden temporaries), never a character that
        # breaks SHA256SUMS' lines or a Windows share: the original name is recorded.
        stem = fitted(_UNSAFE.sub("_", Path(original_name).stem).strip(" ."),
                      STEM_BYTES) or "dokument"
        suffix = ".pdf"
        taken = {r.path for r in records}
        candidate, version = folder / f"{stem}{suffix}", 1
        while str(candidate) in taken or (self.root / candidate).exists():
            version += 1
            candidate = folder / f"{stem}.v{version}{suffix}"
        return str(candidate)

    @staticmethod
    def _record(info: Inspection, relative: str, original_name: str,
                archived_at: dt.datetime) -> Record:
        return Record(
            path=relative, sha256=info.sha256, size=info.size, pages=info.pages,
            title=info.title, kind=info.kind, agreement=info.agreement, parties=info.parties,
            year=info.year, pdfa=info.pdfa, signatures=info.signatures,
            unsigned_fields=info.unsigned_fields, source_sha256=info.source_sha256,
            archived_at=archived_at.isoformat(), original_name=Path(original_name).name,
            warnings=info.warnings, example=info.example)

    # --- verifying -------------------------------------------------------------------------

    def verify(self) -> tuple[list[str], list[str]]:
        """(problems, notes): every listed file re-hashed and its signatures re-validated,
        every unlisted file reported, SHA256SUMS checked against the manifest."""
        if not self.root.is_dir():
            return [], []
        with self._changing() as notes:
            return self._verify(notes), notes

    def _verify(self, notes: list[str]) -> list[str]:
        from ..signing import pdffile
        from ..signing import verify as verification

        problems: list[str] = []
        records = self.records()
        listed = {r.path for r in records}
        for r in records:
            path = self.root / r.path
            if not path.exists():
                problems.append(f"{r.path}: missing")
                continue
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != r.sha256:
                problems.append(f"{r.path}: altered (its SHA-256 is not the archived one)")
                continue
            try:
                broken = [f.name for f in verification.verify(data) if f.broken]
            except pdffile.Unreadable as exc:
                # Accepted before today's checks; its bytes are as archived, which is what
                # this proves. Its signatures are left unread rather than parsed unsafely.
                notes.append(f"{r.path}: unchanged, but would be refused today ({exc}); "
                             "its signatures were not re-validated")
                continue
            if broken:
                problems.append(f"{r.path}: signature not intact: {', '.join(broken)}")
        for path in sorted(self.root.rglob("*")) if self.root.exists() else []:
            relative = str(path.relative_to(self.root))
            if path.is_file() and relative not in listed | {MANIFEST, SUMS, LOCK}:
                problems.append(f"{relative}: present but not listed in the manifest")
        sums_path = self.root / SUMS
        if records and (not sums_path.exists() or
                        sums_path.read_text(encoding="utf-8") != _sums(records)):
            problems.append(f"{SUMS}: does not match the manifest")
        return problems


def _within(relative: str) -> bool:
    """Whether a path from the journal stays inside the archive."""
    path = Path(relative)
    return not path.is_absolute() and ".." not in path.parts


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
