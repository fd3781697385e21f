"""A Word file's ZIP, written once: every part stamped with the document's date, each
compressed once, and the template's large parts compressed once per process.

python-docx compresses every part as it saves; stamping the entries with a fixed date
afterwards meant reading the ZIP back and compressing it all again. The parts a template
brings (its styles: 350 kB; styles with effects: 440 kB) are the same in every document,
so their compressed form is remembered by their content: the same bytes in, the same bytes
out, whatever was built before.
"""

from __future__ import annotations

import hashlib
import io
import struct
import threading
import zlib
from datetime import datetime

REMEMBERED_FROM = 16 * 1024  # bytes: smaller parts are the document's own, seldom repeated
_lock = threading.Lock()
_compressed: dict[bytes, tuple[int, bytes]] = {}


def _deflated(data: bytes) -> tuple[int, bytes]:
    """(CRC-32, raw deflate at zlib's default level) of `data`, as zipfile makes them."""
    key = hashlib.sha256(data).digest() if len(data) >= REMEMBERED_FROM else None
    if key is not None:
        with _lock:
            found = _compressed.get(key)
        if found is not None:
            return found
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    result = zlib.crc32(data), compressor.compress(data) + compressor.flush()
    if key is not None:
        with _lock:
            _compressed[key] = result
    return result


def zip_bytes(entries: list[tuple[str, bytes]], when: datetime) -> bytes:
    """A ZIP of `entries` (name, data), in order, every entry deflated and dated `when`."""
    stamp = (max(when.year, 1980), when.month, when.day)
    dos_time, dos_date = 0, (stamp[0] - 1980) << 9 | stamp[1] << 5 | stamp[2]
    out, central = io.BytesIO(), []
    for name, data in entries:
        crc, packed = _deflated(data)
        encoded = name.encode("utf-8")
        flags = 0x800 if not encoded.isascii() else 0  # the name is UTF-8
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, dos_time, dos_date,
                              crc, len(packed), len(data), len(encoded), 0))
        out.write(encoded)
        out.write(packed)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, flags, 8,
                                   dos_time, dos_date, crc, len(packed), len(data),
                                   len(encoded), 0, 0, 0, 0, 0o100644 << 16, offset)
                       + encoded)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                          len(directory), start, 0))
    return out.getvalue()


class _Writer:
    """python-docx's physical package writer, collecting the parts instead."""

    def __init__(self, pkg_file, when: datetime):
        self.pkg_file = pkg_file
        self.when = when
        self.entries: list[tuple[str, bytes]] = []

    def write(self, pack_uri, blob: bytes) -> None:
        self.entries.append((pack_uri.membername, blob))

    def close(self) -> None:
        self.pkg_file.write(zip_bytes(self.entries, self.when))


_saving = threading.Lock()


def saved(tpl, when: datetime) -> bytes:
    """The rendered docxtpl template as the bytes of its .docx, every entry dated `when`."""
    import docx.opc.pkgwriter as pkgwriter

    out = io.BytesIO()
    with _saving:  # python-docx looks its writer up in its module: one save at a time
        original = pkgwriter.PhysPkgWriter
        pkgwriter.PhysPkgWriter = lambda pkg_file: _Writer(pkg_file, when)
        try:
            tpl.save(out)
        finally:
            pkgwriter.PhysPkgWriter = original
    return out.getvalue()
