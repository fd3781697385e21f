"""Writing files so that a file that exists is always whole."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import BadInput

PART = ".part"  # the suffix of a file still being written


def write_temporary(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """Write `data`, flushed to disk, to a temporary name beside `path`; return that name.

    The caller renames it into place (or removes it); a temporary file is hidden and
    ends in PART, so a sweep can tell it from a finished one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=PART)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def fsync_folder(path: Path) -> None:
    """Make a rename in `path` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644, durable: bool = False) -> Path:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename.

    An interrupted or failed build leaves either the old file or the new one, never a
    half-written file under the final name. `durable` also flushes the rename itself.
    """
    tmp = write_temporary(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_folder(path.parent)
    return path


class Unwritable(BadInput):
    """A file cannot be written where it goes: a file stands where a folder must be, a
    folder where the file goes, or the system refuses (no permission, disk full)."""


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _obstacle(path: Path) -> str | None:
    """What stands in the way of writing `path`, in words; None if nothing does."""
    if path.is_dir():
        return (f"cannot write {_shown(path)}: there is a folder of that name: move it "
                "away or remove it")
    for folder in path.parents:
        if folder.exists() or folder.is_symlink():
            if not folder.is_dir():
                return (f"cannot write {_shown(path)}: {_shown(folder)} is a file, not a "
                        "folder: move it away or remove it")
            return None
    return None


def check_writable(paths: list[Path]) -> None:
    """Unwritable (bad input, one line) if anything stands where one of `paths` goes:
    checked before the work of making them, as well as when they are written."""
    for path in paths:
        obstacle = _obstacle(path)
        if obstacle:
            raise Unwritable(obstacle)


def write_together(files: list[tuple[Path, bytes]]) -> list[Path]:
    """Write the files of one document (its Word file and its PDF) atomically, all or
    none: every place is checked first, then every file written under a temporary name,
    then each renamed into place. Unwritable (bad input, one line) says what is in the way."""
    check_writable([path for path, _ in files])
    written: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            written.append((write_temporary(path, data), path))
        for tmp, path in written:
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
        raise Unwritable(f"cannot write {_shown(path)}: {exc.strerror or exc}") from None
    return [path for _, path in written]
