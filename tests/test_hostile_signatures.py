"""Forged signatures: a document changed after signing so that another signature shows
under the signer's name. Every signature object is validated on its own, whatever its
field is called; a field name used twice, or a signature taken out of the form, is a
finding of its own: `verify` exits 1, `archive add` refuses it, `sign` will not add to it."""

from __future__ import annotations

import io

import pytest
from certs import issue, make_ca
from click.testing import CliRunner

from aftaler.cli import cli

PETER, LISBETH = "Underskrift_Peter_Soerensen", "Underskrift_Lisbeth_Holsteen_Jessen"


@pytest.fixture(scope="module")
def ca():
    return make_ca()


@pytest.fixture(scope="module")
def signed(built, ca) -> bytes:
    """The hospital agreement signed by Peter Sørensen with his real certificate."""
    from aftaler.signing.sign import load_signer, sign

    peter = issue(ca, "Peter Sørensen", "Horsens Kommune")
    return sign(built.pdf, PETER, load_signer(peter.p12(b"pw", [ca.cert]), b"pw", "peter"))


def forge(signed: bytes, *, take_out: bool = False, paint: bool = False) -> bytes:
    """As a forger would: an incremental update adds a second, empty field named like
    Peter's over his (first in the form, so that a signer picks it), optionally paints
    over the page or takes the genuine field out of the form; then that field is signed
    with a self-made certificate in Peter Sørensen's name."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    from aftaler.signing.sign import load_signer

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    form = writer.root["/AcroForm"]
    listed = form["/Fields"]
    [genuine] = [f for f in listed if f.get_object().get("/T") == PETER]
    field = genuine.get_object()
    box = [float(x) for x in field["/Rect"]]
    page_ref = field.raw_get("/P")
    twin = fields.SignatureFormField(PETER, include_on_page=page_ref, box=box)
    twin_ref = writer.add_object(twin)
    twin.register_widget_annotation(writer, twin_ref)
    if take_out:
        form["/Fields"] = generic.ArrayObject([twin_ref, *(f for f in listed if f != genuine)])
        writer.update_container(form)
    else:
        listed.insert(0, twin_ref)
        writer.update_container(listed)
    if paint:  # a white box over Peter's stamp
        page = page_ref.get_object()
        x0, y0, x1, y1 = box
        paint_over = generic.StreamObject(
            stream_data=f"q 1 g {x0} {y0} {x1 - x0} {y1 - y0} re f Q".encode())
        page["/Contents"] = generic.ArrayObject([page["/Contents"],
                                                 writer.add_object(paint_over)])
        writer.update_container(page)
    changed = io.BytesIO()
    writer.write(changed)
    self_made = make_ca("Peter Sørensen")
    forger = issue(self_made, "Peter Sørensen", "Horsens Kommune")
    signer = load_signer(forger.p12(b"pw", [self_made.cert]), b"pw", "forger")
    meta = signers.PdfSignatureMetadata(field_name=PETER, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(changed.getvalue()), strict=False), output=out)
    return out.getvalue()


@pytest.fixture
def trust(tmp_path, ca):
    path = tmp_path / "ca.pem"
    path.write_bytes(ca.pem())
    return path


def verify(tmp_path, data: bytes, trust):
    path = tmp_path / "aftale-underskrevet-1.pdf"
    path.write_bytes(data)
    return CliRunner().invoke(cli, ["verify", str(path), "--trust", str(trust)])


def test_the_genuine_signature_alone_verifies(tmp_path, signed, trust):
    result = verify(tmp_path, signed, trust)
    assert result.exit_code == 0, result.output
    assert "NOT VALID" not in result.output


@pytest.mark.parametrize("paint", [False, True], ids=["field added", "page painted"])
def test_a_second_field_of_the_same_name_shows_both_signatures_and_fails(tmp_path, signed,
                                                                         trust, paint):
    result = verify(tmp_path, forge(signed, paint=paint), trust)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    signers = [i for i, line in enumerate(lines)
               if line.startswith(f"{PETER}: signed by Peter Sørensen")]
    assert len(signers) == 2  # each signature object validated, not one of them twice
    statuses = [lines[i + 1] for i in signers]
    assert sorted(s.rsplit("trusted: ", 1)[1] for s in statuses) == ["no", "yes"]
    assert lines.count("  NOT VALID: 2 signature fields have this name: one was added "
                       "after signing, to show another signature under it") == 2
    assert f"{LISBETH}: not signed" in lines
    assert lines[-1] == f"Error: broken signature(s): {PETER}"


def test_a_signed_field_taken_out_of_the_form_is_still_found(tmp_path, signed, trust):
    result = verify(tmp_path, forge(signed, take_out=True), trust)
    assert result.exit_code == 1, result.output
    assert "(no field): a signature outside every signature field" in result.output
    assert "a signature that no signature field holds: the form was changed after it " \
           "was signed" in result.output
    assert result.output.splitlines()[-1] == "Error: broken signature(s): (no field)"


@pytest.mark.parametrize("take_out", [False, True], ids=["field added", "field taken out"])
def test_archive_add_refuses_the_forgery_and_archives_nothing(tmp_path, signed, take_out):
    path = tmp_path / "aftale-underskrevet-1.pdf"
    path.write_bytes(forge(signed, take_out=take_out))
    archive = tmp_path / "archive"
    result = CliRunner().invoke(cli, ["archive", "--archive", str(archive), "add", str(path)])
    assert result.exit_code == 2, result.output
    [line] = [line for line in result.output.splitlines() if line.startswith("refused: ")]
    assert "signature not intact: " in line
    assert ("2 signature fields have this name" if not take_out
            else "no signature field holds") in line
    assert not (archive / "manifest.json").exists()


def test_sign_refuses_a_document_with_a_field_name_used_twice(tmp_path, signed, ca):
    path = tmp_path / "aftale-underskrevet-1.pdf"
    path.write_bytes(forge(signed))
    lisbeth = issue(ca, "Lisbeth Holsteen Jessen", "Hospitalsenheden Horsens")
    (tmp_path / "lisbeth.p12").write_bytes(lisbeth.p12(b"pw", [ca.cert]))
    result = CliRunner().invoke(cli, ["sign", str(path), "--field", LISBETH,
                                      "--p12", str(tmp_path / "lisbeth.p12")],
                                env={"AFTALER_P12_PASSPHRASE": "pw"})
    assert result.exit_code == 2, result.output
    assert result.output == (f"Error: 2 signature fields are named {PETER}: the document was "
                             "changed after it was made, to show another signature under "
                             "that name; sign the original (`verify` shows what is in "
                             "this one)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aftale-underskrevet-1.pdf",
                                                          "lisbeth.p12"]


def test_verify_of_an_archive_finds_a_forgery_put_in_place_of_a_document(tmp_path, signed):
    """The archive re-validates every signature object too (a file swapped with its
    SHA-256 and the sums edited to match is still caught by its signatures)."""
    from aftaler.signing import verify as verification

    reports = verification.verify(forge(signed))
    assert [r.name for r in reports if r.broken] == [PETER, PETER]
    assert verification.broken_summary(reports).startswith(f"{PETER} (2 signature fields")
