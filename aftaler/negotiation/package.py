"""Opening a Word file that came back from outside: only the parts whose text is read,
within bounds, and every way it can be wrong said in one line."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from ..errors import BadInput
from ..shown import shown as printable  # a file's name as one line, as data

MAX_FILE = 100_000_000  # bytes: a draft is tens of kB, with pictures a few MB
MAX_PART = 50_000_000  # bytes of one XML part, uncompressed
MAX_ENTRIES = 10_000
# The parts whose text matters; pictures and fonts are never read.
_READ = re.compile(r"\[Content_Types\]\.xml|_rels/\.rels|docProps/custom\.xml|"
                   r"word/[^/]+\.xml|word/_rels/document\.xml\.rels|customXml/item\d+\.xml")


class BadDraft(BadInput):
    """A file that cannot be read as one of our drafts: exit status 2, one line."""


def read_parts(path: Path) -> dict[str, bytes]:
    """The package's XML parts by name; BadDraft if it is not a Word file or damaged."""
    shown = printable(path.name)
    try:
        if not path.is_file():
            raise BadDraft(f"{printable(str(path))}: no such file" if not path.exists()
                           else f"{printable(str(path))}: not a file")
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise BadDraft(f"{shown}: cannot read: {exc.strerror}") from None
    if size > MAX_FILE:
        raise BadDraft(f"{shown}: too large for a Word draft ({size:,} bytes)")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadDraft(f"{shown}: a password-protected Word file or an old .doc: save it "
                       "as a Word document (.docx) without a password")
    if not head.startswith(b"PK\x03\x04"):
        raise BadDraft(f"{shown}: not a Word document (.docx)")
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            if len(infos) > MAX_ENTRIES:
                raise BadDraft(f"{shown}: damaged: {len(infos):,} parts in one file")
            parts = {}
            for info in infos:
                if not _READ.fullmatch(info.filename):
                    continue
                if info.file_size > MAX_PART:
                    raise BadDraft(f"{shown}: damaged: {info.filename} is "
                                   f"{info.file_size:,} bytes")
                with package.open(info) as member:
                    data = member.read(MAX_PART + 1)
                if len(data) > MAX_PART:
                    raise BadDraft(f"{shown}: damaged: {info.filename} is too large")
                parts[info.filename] = data
    except BadDraft:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError,
            OSError) as exc:
        raise BadDraft(f"{shown}: damaged: cannot be unpacked ({exc})") from None
    if "word/document.xml" not in parts:
        raise BadDraft(f"{shown}: not a Word document (.docx): it has no word/document.xml")
    return parts
