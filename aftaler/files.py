"""Reading a file the program is given: a regular file only, from inside a folder, bounded.

Every file read from the project (definitions, yearly records, the inputs of an up-to-date
check) and every file a command is given (a form, a PDF, a certificate) is read here, so
that none of them can hang a command (a named pipe waits for a writer forever), read a
device, or, through a link, read a file from outside the project and echo it back in
error messages. The reason a file is refused is one line in words, without its content.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


class NotReadable(OSError):
    """The file may not or cannot be read; str() says why, in words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def kind(mode: int) -> str:
    """What a file system entry is, in words: 'a folder', 'a named pipe (FIFO)', …"""
    for test, words in _KINDS:
        if test(mode):
            return words
    return "not a regular file"


def outside(path: Path, within: Path) -> bool:
    """Whether `path`, its links followed, leads outside the folder `within`."""
    return not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(within))


def read_regular(path: Path, *, within: Path | None = None, limit: int | None = None,
                 folder: str = "the project folder") -> bytes:
    """The bytes of the regular file `path`; NotReadable if it is anything else.

    `within`: the file, its links followed, must be inside this folder (named `folder` in
    messages); a link that leads out is refused before the file it leads to is opened.
    `limit`: at most this many bytes (NotReadable, saying its size, if it is larger).
    """
    target = Path(os.path.realpath(path))
    if within is not None and outside(target, within):
        raise NotReadable(f"a link to a file outside {folder}: only files inside it are "
                          "read (copy the file in instead)")
    try:
        # Not blocking: a named pipe opens at once instead of waiting for a writer, and
        # is then refused by its type without a byte read. The path checked above is the
        # one opened, and a link put in its place meanwhile is not followed.
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW
                     | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        gone = "a link to a file that does not exist" if os.path.islink(path) else "no such file"
        raise NotReadable(gone) from None
    except OSError as exc:
        raise NotReadable(f"cannot read it: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable(f"{kind(info.st_mode)}, not a file")
        if limit is not None and info.st_size > limit:
            raise NotReadable(f"too large ({info.st_size:,} bytes; at most {limit:,})")
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read() if limit is None else file.read(limit + 1)
    except NotReadable:
        raise
    except OSError as exc:
        raise NotReadable(f"cannot read it: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:  # it grew while being read
        raise NotReadable(f"too large (over {limit:,} bytes; at most {limit:,})")
    return data
