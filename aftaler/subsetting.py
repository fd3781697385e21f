"""One Latin subset of each font for every document, made once per process.

WeasyPrint subsets every font of every PDF it writes to the glyphs that document uses,
with fontTools: about 70 ms a face, most of a document's write time. Documents of this
project use (nearly) the same glyphs, so a document whose glyphs all lie in a fixed
Latin character set embeds the subset of that whole set instead, made once and reused.
A document with any other glyph (Greek, an emoji, a ligature) is subset as usual. Either
way the bytes depend only on the document, never on what was built before it.
"""

from __future__ import annotations

import hashlib
import io
import threading

# Basic Latin, Latin-1, Latin Extended-A, and the punctuation Danish text uses.
CHARSET = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x180), 0x2010, 0x2011, 0x2013, 0x2014, 0x2018,
     0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x2022, 0x2026, 0x2030, 0x2039, 0x203A, 0x20AC,
     0x2212, 0x2032, 0x2033])

_lock = threading.Lock()
_fixed_glyphs: dict[bytes, frozenset[int]] = {}
_subsets: dict[tuple, bytes] = {}


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def fixed_glyphs(font_data: bytes, index: int = 0) -> frozenset[int]:
    """Glyph ids of CHARSET in the font (and .notdef)."""
    from fontTools.ttLib import TTFont

    key = _digest(font_data) + bytes([index])
    with _lock:
        if key not in _fixed_glyphs:
            font = TTFont(io.BytesIO(font_data), fontNumber=index, lazy=True)
            cmap = font.getBestCmap() or {}
            order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
            _fixed_glyphs[key] = frozenset(
                {0} | {order[cmap[cp]] for cp in CHARSET if cp in cmap})
        return _fixed_glyphs[key]


def install(font_class) -> None:
    """Make WeasyPrint's `Font` embed the shared subset where a document allows it."""
    original = font_class._fonttools_subset
    if getattr(original, "shared_subset", False):
        return

    def subset(self, to_unicode, hinting):
        if self.missing or "fvar" in self.tables or self.png or self.svg or self.colr:
            return original(self, to_unicode, hinting)
        fixed = fixed_glyphs(self.file_content, self.index)
        if not set(to_unicode) <= fixed:
            return original(self, to_unicode, hinting)
        key = (_digest(self.file_content), self.index, bool(hinting))
        with _lock:
            cached = _subsets.get(key)
        if cached is None:
            original(self, dict.fromkeys(sorted(fixed)), hinting)
            with _lock:
                _subsets[key] = self.file_content
        else:
            self.file_content = cached

    subset.shared_subset = True
    font_class._fonttools_subset = subset
