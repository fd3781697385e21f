"""Every PDF is saved so that no stream's data ends in a carriage return: with the line
feed written before `endstream` a validator would read the two as one end-of-line marker
and the stream as a byte shorter than its /Length (PDF/A's rule on stream lengths). About
one compressed stream in 256 ends so; the hospital agreement's second page once did."""

from __future__ import annotations

import io
import zlib

import pikepdf
from validation import failed_rules

from aftaler.render.pdf import saved


def _ending_in_cr(prefix: bytes) -> bytes:
    """`prefix` and white space, its compressed form ending in a carriage return (the
    last byte is the checksum's, which each tab moves by 9)."""
    data = prefix
    while not zlib.compress(data, 9).endswith(b"\r"):
        data += b"\t"
    return data


def _pdf(content: bytes, other: bytes) -> pikepdf.Pdf:
    doc = pikepdf.new()
    doc.add_blank_page()
    doc.pages[0].obj.Contents = doc.make_stream(zlib.compress(content, 9),
                                                Filter=pikepdf.Name.FlateDecode)
    doc.Root.Extra = doc.make_stream(zlib.compress(other, 9), Filter=pikepdf.Name.FlateDecode)
    return doc


def test_no_stream_of_a_saved_pdf_ends_in_a_carriage_return():
    content = _ending_in_cr(b"BT /F1 12 Tf ET")
    other = _ending_in_cr(b"font program")
    with pikepdf.open(io.BytesIO(saved(_pdf(content, other)))) as doc:
        streams = [o for o in doc.objects if isinstance(o, pikepdf.Stream)]
        assert len(streams) == 2
        assert [s.objgen for s in streams if s.read_raw_bytes().endswith(b"\r")] == []
        assert doc.pages[0].obj.Contents.read_bytes() == content  # what they decode to
        assert doc.Root.Extra.read_bytes() == other


def test_a_stream_with_decode_parameters_ending_in_a_carriage_return_is_written_in_hex():
    other = _ending_in_cr(b"image rows")
    doc = pikepdf.new()
    doc.add_blank_page()
    doc.Root.Extra = doc.make_stream(zlib.compress(other, 9), Filter=pikepdf.Name.FlateDecode,
                                     DecodeParms=pikepdf.Dictionary(Columns=1))
    with pikepdf.open(io.BytesIO(saved(doc))) as again:
        extra = again.Root.Extra
        assert not extra.read_raw_bytes().endswith(b"\r")
        assert extra.Filter[0] == pikepdf.Name.ASCIIHexDecode
        assert extra.read_bytes() == other


def test_the_hospital_agreement_passes_pdfas_rule_on_stream_lengths(built):
    with pikepdf.open(io.BytesIO(built.pdf)) as doc:
        assert not any(o.read_raw_bytes().endswith(b"\r") for o in doc.objects
                       if isinstance(o, pikepdf.Stream))
    assert "PDFA3A-STREAM-LENGTH-001" not in failed_rules(built.pdf, "3a")
