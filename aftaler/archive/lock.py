"""One archive command at a time: an exclusive lock on the archive folder.

The lock is the operating system's (flock, or msvcrt on Windows) on the file `.lock` in
the archive, so it is released when its process ends in any way, killed included: a
lock is never left behind. Network file systems that forward locks (NFS, SMB) carry it
between machines.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import AftalerError

LOCK = ".lock"
NOTICE_AFTER = 1.0  # seconds of waiting before the caller is told


class Busy(AftalerError):
    """Another archive command held the archive for longer than we would wait."""


@contextlib.contextmanager
def exclusive(folder: Path, *, timeout: float,
              on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the folder's lock, waiting up to `timeout` seconds for it.

    `on_wait` is called once if the lock is not had within a second. A folder that
    cannot be written to (a read-only copy of the archive) is used without the lock:
    nobody can be changing it through this program either.
    """
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise
        yield
        return
    try:
        started = time.monotonic()
        told = False
        while not _try_lock(fd):
            waited = time.monotonic() - started
            if waited >= timeout:
                raise Busy(f"{folder} is in use by another archive command (waited "
                           f"{timeout:g} s): try again when it has finished")
            if on_wait is not None and not told and waited >= NOTICE_AFTER:
                on_wait()
                told = True
            time.sleep(0.05)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
