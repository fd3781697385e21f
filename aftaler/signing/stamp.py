"""The visible signature stamp: who signed and when, in Danish, aligned with its block.

    Underskrevet digitalt af
    Peter Sørensen
    Tidspunkt: 1. december 2026 kl. 08.30

The time is the signature's own signing time shown as Danish local time (Europe/
Copenhagen); the exact moment, with its offset, stays in the signature (the CMS signing
time is UTC, the signature dictionary's /M has the offset).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from ..formatting import moment_long

STAMP_TEXT = "Underskrevet digitalt af\n%(signer)s\nTidspunkt: %(ts)s"
# pyHanko writes the signing time into the stamp with this format; the stamp reads it
# back (ISO 8601 with the offset, to the second) and shows it in Danish.
MACHINE_TIME = "%Y-%m-%dT%H:%M:%S%z"
FONT_SIZE = 9
GAP_ABOVE_LINE_PT = 7  # between the stamp's last line and the signature line below it

# A ToUnicode CMap as Adobe's ToUnicode Mapping File Tutorial (technical note 5411)
# writes it, and as the maps of the PDF's own fonts do.
_CMAP_HEAD = (
    "/CIDInit /ProcSet findresource begin\n"
    "12 dict begin\n"
    "begincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n"
    "/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
_CMAP_TAIL = (
    "endcmap\n"
    "CMapName currentdict /CMap defineresource pop\n"
    "end\n"
    "end\n")
_BLOCK = 100  # mappings per beginbfchar block at most (Adobe technical note 5014)


def danish_time(machine_time: str) -> str:
    """'2026-12-01T07:30:28+0000' -> '1. december 2026 kl. 08.30'"""
    return moment_long(dt.datetime.strptime(machine_time, MACHINE_TIME))


def tounicode_cmap(cid_to_text: dict[int, str]) -> bytes:
    """A ToUnicode CMap for two-byte CIDs: one bfchar line per CID.

    pyHanko's own map puts runs of consecutive CIDs into `beginbfrange` lines with an
    array of destinations (`<0014> <0016> [<0053> <0054> <0055>]`). ISO 32000-1 9.10.3
    allows that form, but page-validation's CMap reader splits the map at whitespace and
    takes three `<hex>` tokens per bfrange entry, so at `[<0053>` it calls the whole map
    malformed (and with it the signed PDF not PDF/A or PDF/UA). bfchar lines are the
    form every reader parses, and the one the maps of the PDF's own fonts use (which
    pass); the stamp has a few dozen glyphs. The header and trailer are written as
    technical note 5411 writes them (lopdf's CMap reader, for one, wants `CMapName
    currentdict /CMap defineresource pop` on one line, where pyHanko breaks it in four).
    """
    lines = [f"<{cid:04x}> <{text.encode('utf-16-be').hex()}>"
             for cid, text in sorted(cid_to_text.items()) if text]
    blocks = [lines[i:i + _BLOCK] for i in range(0, len(lines), _BLOCK)]
    body = "".join(f"{len(block)} beginbfchar\n" + "\n".join(block) + "\nendbfchar\n"
                   for block in blocks)
    return (_CMAP_HEAD + body + _CMAP_TAIL).encode("ascii")


def stamp_style(font_path: Path):
    """pyHanko's text stamp, in Danish, left-aligned with its block above the line."""
    from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle

    font, style = _classes()
    # The field is the signature block's width, over its signature line: the stamp
    # starts where the block's name and title start (pyHanko's text box would indent
    # it by 10 pt and centre it), and sits on the line.
    corner = SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MIN,
                                 y_align=AxisAlignment.ALIGN_MIN, margins=Margins())
    return style(
        stamp_text=STAMP_TEXT, timestamp_format=MACHINE_TIME,
        text_box_style=TextBoxStyle(font=font(str(font_path), font_size=FONT_SIZE),
                                    font_size=FONT_SIZE, box_layout_rule=corner),
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MIN,
            margins=Margins(bottom=GAP_ABOVE_LINE_PT)),
        border_width=0, background=None)


@cache
def _classes():
    """pyHanko classes for the stamp's font and style (made on first use: pyHanko is
    slow to import and only signing needs it)."""
    from dataclasses import dataclass

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
    from pyhanko.stamp import TextStampStyle

    class Accumulator(GlyphAccumulator):
        def _format_tounicode_cmap(self):
            stream = generic.StreamObject(
                stream_data=tounicode_cmap(self._cid_to_unicode))
            stream.compress()
            return stream

    @dataclass(frozen=True)
    class Font(GlyphAccumulatorFactory):
        """An embedded subset whose ToUnicode every reader parses (see tounicode_cmap)."""

        def create_font_engine(self, writer, obj_stream=None):
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return Accumulator(
                writer=writer, font_handle=open(self.font_file, "rb"),  # noqa: SIM115
                font_size=self.font_size, ot_script_tag=self.ot_script_tag,
                ot_language_tag=self.ot_language_tag,
                writing_direction=self.writing_direction,
                bcp47_lang_code=self.bcp47_lang_code, obj_stream=obj_stream)

    @dataclass(frozen=True)
    class Style(TextStampStyle):
        """The signing time, which pyHanko writes as MACHINE_TIME, shown in Danish."""

        def create_stamp(self, writer, box, text_params):
            params = dict(text_params)
            params["ts"] = danish_time(params["ts"])
            return super().create_stamp(writer, box, params)

    return Font, Style
