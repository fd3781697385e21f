"""Writing files so that a file that exists is always whole.

Every file is written to a hidden temporary name beside its final one (`.NAME.xxxxxxxx.part`),
flushed to disk and renamed. While it is being written the temporary file is locked
(flock), so that a later build can tell the temporary files of a build killed halfway
(SIGKILL, a power cut) from those of a build still running: the first write into a folder
removes the stale ones, and only those.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path

from .errors import BadInput

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows, where an open file cannot be removed
    fcntl = None

PART = ".part"  # the suffix of a file still being written
# Ours: `.NAME.` + mkstemp's eight random characters + `.part`.
_OURS = re.compile(r"^\..+\.[a-z0-9_]{8}" + re.escape(PART) + "$")
# A temporary file younger than this may belong to a write that has created it but not
# yet locked it; older and unlocked, its writer is gone.
STALE_AFTER = 30.0
_swept: set[str] = set()


def _write_locked(path: Path, data: bytes, mode: int) -> tuple[Path, int]:
    """`data`, flushed to disk, in a locked temporary file beside `path`: (name, fd)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=PART)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new file: never held
        with os.fdopen(os.dup(fd), "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        os.close(fd)
        raise
    return Path(tmp), fd


def write_temporary(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """Write `data`, flushed to disk, to a temporary name beside `path`; return that name.

    The caller renames it into place (or removes it); a temporary file is hidden and
    ends in PART, so a sweep can tell it from a finished one.
    """
    tmp, fd = _write_locked(path, data, mode)
    os.close(fd)
    return tmp


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
    tmp, fd = _write_locked(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)  # the lock goes with it, once the temporary name is gone
    if durable:
        fsync_folder(path.parent)
    return path


def write_new(path: Path, data: bytes, *, mode: int = 0o644) -> Path:
    """Like write_atomic, but only if there is no file at `path`: FileExistsError if there
    is one, even one written a moment ago by another process. Checking and writing are
    one step (the whole file is linked to its name, which fails if the name is taken)."""
    tmp, fd = _write_locked(path, data, mode)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                                 errno.EMLINK, errno.ENOSYS):
                raise
            # No hard links here (FAT, some network shares): take the name, then fill it.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        os.close(fd)
    return path


def remove_stale_parts(folder: Path) -> list[Path]:
    """Remove the temporary files of writes into `folder` that were killed halfway: ours
    (by name), old enough, and not locked by a write still going on. Done once per folder
    in a process (by the first write into it); returns what was removed."""
    key = os.path.realpath(folder)
    if key in _swept:
        return []
    _swept.add(key)
    removed = []
    try:
        names = [n for n in os.listdir(folder) if _OURS.match(n)]
    except OSError:
        return []
    for name in names:
        path = folder / name
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue  # gone meanwhile, or a link: not ours
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or time.time() - info.st_mtime < STALE_AFTER:
                continue
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises while written
            path.unlink()
            removed.append(path)
        except OSError:
            continue  # being written, or not ours to remove
        finally:
            os.close(fd)
    return removed


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
    # (Between being written and renamed the temporary files are not locked; they are
    # younger than STALE_AFTER then, so no other build's sweep removes them.)
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
