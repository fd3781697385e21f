"""The documents' font, from the pinned font package: its files, and the width of words.

The width of a word decides whether the parties of an agreement fit as columns: a word
must never break in a table cell, in the PDF (Source Sans Pro) or in Word (Calibri, which
is narrower, so Source Sans Pro's widths are the safe side for both).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_FAMILY = "Source Sans Pro"
FONT_FACES = {400: "SourceSansPro-Regular.ttf", 700: "SourceSansPro-Bold.ttf"}
MM_PER_PT = 25.4 / 72


@cache
def font_files() -> dict[int, Path]:
    """The font files (by CSS weight), from the pinned font-source-sans-pro package."""
    import font_source_sans_pro

    folder = Path(font_source_sans_pro.__file__).parent / "files"
    return {weight: folder / file for weight, file in FONT_FACES.items()}


@cache
def _advances(weight: int) -> tuple[dict[int, int], int, int]:
    """(code point -> advance width, units per em, the widest advance) of a face."""
    from fontTools.ttLib import TTFont

    font = TTFont(font_files()[weight], lazy=True)
    metrics = font["hmtx"].metrics
    advances = {cp: metrics[name][0] for cp, name in font.getBestCmap().items()}
    return advances, font["head"].unitsPerEm, max(advances.values())


def text_width_mm(text: str, *, size_pt: float, bold: bool = False,
                  letter_spacing_em: float = 0.0) -> float:
    """The width of `text` on one line, in mm (without kerning, so never too small).

    A character the font lacks counts as its widest glyph.
    """
    advances, units, widest = _advances(700 if bold else 400)
    width = sum(advances.get(ord(c), widest) for c in text) / units
    return (width + letter_spacing_em * len(text)) * size_pt * MM_PER_PT
