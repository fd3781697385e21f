"""Two speed-ups of the PDF writer under WeasyPrint (pydyf) that change no byte.

- A stream is compressed (zlib, level 9) each time a document is written. The large ones
  repeat from document to document (the shared font subsets, the colour profile), so
  their compressed form is remembered by content: the same bytes in, the same bytes out.
- Tagging asks for the page references once per structure element, and pydyf builds the
  tuple of every page's reference each time: a report of 50 pages built it thousands of
  times. It is built once per number of pages.
"""

from __future__ import annotations

import hashlib
import threading
import zlib

REMEMBERED_FROM = 16 * 1024  # bytes: smaller streams are page content, seldom repeated
_lock = threading.Lock()
_compressed: dict[bytes, bytes] = {}


def install(pydyf) -> None:
    if getattr(pydyf.Stream, "remembers_compression", False):
        return
    original_data = pydyf.Stream.data

    def data(self):
        if not self.compress:
            return original_data.fget(self)
        stream = b"\n".join(pydyf._to_bytes(item) for item in self.stream)
        if len(stream) < REMEMBERED_FROM:
            return original_data.fget(self)
        key = hashlib.sha256(stream).digest()
        with _lock:
            compressed = _compressed.get(key)
        if compressed is None:
            compressor = zlib.compressobj(level=9)  # as pydyf does
            compressed = compressor.compress(stream) + compressor.flush()
            with _lock:
                _compressed[key] = compressed
        extra = pydyf.Dictionary(self.extra.copy())
        extra["Filter"] = "/FlateDecode"
        extra["Length"] = len(compressed)
        return b"\n".join((extra.data, b"stream", compressed, b"endstream"))

    pydyf.Stream.data = property(data)
    pydyf.Stream.remembers_compression = True

    def page_references(self):
        kids = self.pages["Kids"]
        cached = getattr(self, "_page_references", None)
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), tuple(f"{number} 0 R".encode("ascii")
                                       for number in kids[::3]))
            self._page_references = cached
        return cached[1]

    pydyf.PDF.page_references = property(page_references)
