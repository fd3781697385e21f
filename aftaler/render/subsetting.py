"""One Latin subset of each font for every document, made once and kept.

WeasyPrint subsets every font of every PDF it writes to the glyphs that document uses,
with fontTools: about 70 ms a face, most of a document's write time. Documents of this
project use (nearly) the same glyphs, so a document whose glyphs all lie in a fixed
Latin character set embeds the subset of that whole set instead, made once and reused
(in memory, and on disk in the user's cache folder, so the next command has it too). A
document with any other glyph (Greek, an emoji, a ligature) is subset as usual. Either
way the bytes depend only on the document, never on what was built before it or on
what the cache holds: a cached subset is used only if its checksum is intact.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
import threading
from pathlib import Path

log = logging.getLogger(__name__)
CACHE_ENV = "AFTALER_CACHE_DIR"

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
        key = (_digest(self.file_content), self.index, bool(hinting),
               os.environ.get("SOURCE_DATE_EPOCH", ""))
        with _lock:
            cached = _subsets.get(key)
        if cached is None:
            cached = _read_cache(key)
        if cached is None:
            original(self, dict.fromkeys(sorted(fixed)), hinting)
            cached = self.file_content
            _write_cache(key, cached)
        with _lock:
            _subsets[key] = cached
        self.file_content = cached

    subset.shared_subset = True
    font_class._fonttools_subset = subset


def cache_folder() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "horsens-aftaler" / "fonts"


def _cache_name(key: tuple) -> str:
    """Everything the subset's bytes depend on, hashed."""
    import fontTools
    import weasyprint

    digest, index, hinting, epoch = key
    parts = [digest.hex(), str(index), str(hinting), epoch, fontTools.version,
             weasyprint.__version__, ",".join(map(str, sorted(CHARSET)))]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _read_cache(key: tuple) -> bytes | None:
    try:
        name = _cache_name(key)
        for path in cache_folder().glob(f"{name}-*.ttf"):
            data = path.read_bytes()
            if path.stem.endswith(hashlib.sha256(data).hexdigest()[:16]):
                return data
            log.debug("ignoring damaged cached font subset %s", path)
    except OSError as exc:
        log.debug("font subset cache unreadable: %s", exc)
    return None


def _write_cache(key: tuple, data: bytes) -> None:
    folder = cache_folder()
    path = folder / f"{_cache_name(key)}-{hashlib.sha256(data).hexdigest()[:16]}.ttf"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only home is no reason to fail a build
        log.debug("font subset cache not written: %s", exc)
