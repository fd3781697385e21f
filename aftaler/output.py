"""Writing files so that a file that exists is always whole."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

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
