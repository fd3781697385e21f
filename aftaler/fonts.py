"""The documents' font, from the pinned font package: its files, what it can draw, and the
width of words.

The width of a word decides whether the parties of an agreement fit as columns: a word
must never break in a table cell, in the PDF (Source Sans Pro) or in Word (Calibri, which
is narrower, so Source Sans Pro's widths are the safe side for both).

The few tables needed (`head`, `hhea`, `hmtx`, `cmap`) are read here directly: a
whole font library is not worth its import for them.
"""

from __future__ import annotations

import os
import struct
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FONT_FAMILY = "Source Sans Pro"
FONT_FACES = {400: "SourceSansPro-Regular.ttf", 700: "SourceSansPro-Bold.ttf"}
MM_PER_PT = 25.4 / 72

# Drawn without a glyph of their own: spacing, line breaks, and the invisible joiners and
# marks that Typst lays out as nothing. Measured with Typst 0.15 under PDF/A, which
# refuses any text it cannot display (tests/test_fonts.py checks both lists).
NO_GLYPH_NEEDED = frozenset("\t\n\r\u200b\u200c\u200d\u200e\u200f\u2060")
# In the font's character map, and yet refused by Typst under PDF/A (a disallowed code
# point there).
NOT_DRAWN = frozenset("\ufeff")


@cache
def font_files() -> dict[int, Path]:
    """The font files (by weight), from the pinned font-source-sans-pro package."""
    import font_source_sans_pro

    folder = Path(font_source_sans_pro.__file__).parent / "files"
    return {weight: folder / file for weight, file in FONT_FACES.items()}


@contextmanager
def font_folder() -> Iterator[Path]:
    """A folder holding just the documents' faces, for a typesetter that reads folders.

    The font package holds every face twice (.otf and .ttf, one family name), so its
    own folder would leave the choice between them to the typesetter. The folder links
    to the package's files (copies where links cannot be made) and is removed when
    the block ends.
    """
    with tempfile.TemporaryDirectory(prefix="aftaler-fonts-") as folder:
        for path in font_files().values():
            target = Path(folder) / path.name
            try:
                os.symlink(path, target)
            except OSError:  # e.g. Windows without the right to make links
                target.write_bytes(path.read_bytes())
        yield Path(folder)


@dataclass(frozen=True)
class _Face:
    advances: dict[int, int]  # code point -> advance width, in font units
    units_per_em: int
    widest: int


def _tables(data: bytes) -> dict[bytes, bytes]:
    count = struct.unpack_from(">H", data, 4)[0]
    tables = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = data[offset:offset + length]
    return tables


def _cmap(table: bytes) -> dict[int, int]:
    """Code point -> glyph id, from the best Unicode subtable (format 12, else 4)."""
    count = struct.unpack_from(">H", table, 2)[0]
    subtables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", table, 4 + 8 * i)
        subtables[(platform, encoding)] = offset
    for key in ((3, 10), (0, 4), (3, 1), (0, 3)):
        if key not in subtables:
            continue
        offset = subtables[key]
        kind = struct.unpack_from(">H", table, offset)[0]
        if kind == 12:
            return _cmap12(table, offset)
        if kind == 4:
            return _cmap4(table, offset)
    raise ValueError("the font has no Unicode character map")


def _cmap12(table: bytes, offset: int) -> dict[int, int]:
    groups = struct.unpack_from(">I", table, offset + 12)[0]
    out = {}
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", table, offset + 16 + 12 * i)
        out.update((cp, glyph + cp - start) for cp in range(start, end + 1))
    return out


def _cmap4(table: bytes, offset: int) -> dict[int, int]:
    segments = struct.unpack_from(">H", table, offset + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", table, offset + 14)
    base = offset + 16 + 2 * segments
    starts = struct.unpack_from(f">{segments}H", table, base)
    deltas = struct.unpack_from(f">{segments}h", table, base + 2 * segments)
    range_at = base + 4 * segments
    ranges = struct.unpack_from(f">{segments}H", table, range_at)
    out = {}
    for i, (start, end, delta, rng) in enumerate(zip(starts, ends, deltas, ranges,
                                                     strict=True)):
        for cp in range(start, end + 1):
            if cp == 0xFFFF:
                continue
            if rng == 0:
                glyph = (cp + delta) & 0xFFFF
            else:
                at = range_at + 2 * i + rng + 2 * (cp - start)
                glyph = struct.unpack_from(">H", table, at)[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                out[cp] = glyph
    return out


@cache
def _face(weight: int) -> _Face:
    tables = _tables(font_files()[weight].read_bytes())
    units = struct.unpack_from(">H", tables[b"head"], 18)[0]
    metrics = struct.unpack_from(">H", tables[b"hhea"], 34)[0]
    hmtx = tables[b"hmtx"]
    widths = [struct.unpack_from(">H", hmtx, 4 * i)[0] for i in range(metrics)]
    glyphs = _cmap(tables[b"cmap"])
    advances = {cp: widths[min(g, metrics - 1)] for cp, g in glyphs.items()}
    return _Face(advances, units, max(advances.values()))


def text_width_mm(text: str, *, size_pt: float, bold: bool = False,
                  letter_spacing_em: float = 0.0) -> float:
    """The width of `text` on one line, in mm (without kerning, so never too small).

    A character the font lacks counts as its widest glyph.
    """
    face = _face(700 if bold else 400)
    width = sum(face.advances.get(ord(c), face.widest) for c in text) / face.units_per_em
    return (width + letter_spacing_em * len(text)) * size_pt * MM_PER_PT


@cache
def drawable() -> frozenset[str]:
    """Every character the documents can print: in both faces, or drawn as nothing."""
    regular, bold = _face(400).advances, _face(700).advances
    shared = {chr(cp) for cp in regular.keys() & bold.keys()}
    spaces = {c for c in map(chr, range(0x2000, 0x3001)) if c.isspace()}
    return frozenset((shared - NOT_DRAWN) | NO_GLYPH_NEEDED | spaces)


def undrawable(text: str) -> list[str]:
    """The characters of `text` the font cannot draw, each once, in order."""
    if not text:
        return []
    have = drawable()
    return list(dict.fromkeys(c for c in text if c not in have))


def describe(char: str) -> str:
    """'😀' -> "'😀' (U+1F600 GRINNING FACE)"."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    named = f"{code} {name}" if name else code
    return f"{char!r} ({named})" if char.isprintable() else named
