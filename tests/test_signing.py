"""sign and verify: PAdES signatures in the agreement's fields, and their checking."""

from __future__ import annotations

import http.server
import io
import os
import re
import sys
import threading
from pathlib import Path

import pikepdf
import pytest
from certs import issue, make_ca
from click.testing import CliRunner
from extract import pdf_pieces, pdf_text, signature_fields
from terminal import run_in_terminal, screen

from aftaler.cli import cli

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "k0rrekt hest batteri"
PETER, LISBETH = "Underskrift_Peter_Soerensen", "Underskrift_Lisbeth_Holsteen_Jessen"


@pytest.fixture(scope="module")
def ca():
    return make_ca()


@pytest.fixture
def workdir(tmp_path, built, ca):
    (tmp_path / "aftale.pdf").write_bytes(built.pdf)
    peter = issue(ca, "Peter Sørensen", "Horsens Kommune")
    (tmp_path / "peter.p12").write_bytes(peter.p12(PASSPHRASE.encode(), [ca.cert]))
    lisbeth = issue(ca, "Lisbeth Holsteen Jessen", "Hospitalsenheden Horsens")
    (tmp_path / "lisbeth.p12").write_bytes(lisbeth.p12(PASSPHRASE.encode(), [ca.cert]))
    (tmp_path / "ca.pem").write_bytes(ca.pem())
    return tmp_path


def run(*args, passphrase: str | None = PASSPHRASE, input: str | None = None):
    env = {} if passphrase is None else {"AFTALER_P12_PASSPHRASE": passphrase}
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, input=input)


def sign(workdir, pdf, field, *extra, p12=None, **kwargs):
    """Sign `field` with the certificate of the person it is for (or `p12`)."""
    p12 = p12 or ("lisbeth.p12" if field == LISBETH else "peter.p12")
    return run("sign", workdir / pdf, "--field", field, "--p12", workdir / p12,
               *extra, **kwargs)


def test_both_fields_signed_one_after_the_other_are_both_valid(workdir):
    first = sign(workdir, "aftale.pdf", PETER)
    assert first.exit_code == 0, first.output
    assert first.output.strip().endswith("aftale-underskrevet-1.pdf")
    second = sign(workdir, "aftale-underskrevet-1.pdf", LISBETH)
    assert second.exit_code == 0, second.output
    assert second.output.strip().endswith("aftale-underskrevet-2.pdf")
    result = run("verify", workdir / "aftale-underskrevet-2.pdf", "--trust", workdir / "ca.pem")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{LISBETH}: signed by Lisbeth Holsteen Jessen "
                               "(Hospitalsenheden Horsens) at ")
    assert lines[1] == "  intact: yes; changed after signing: none; trusted: yes"
    assert lines[2].startswith(f"{PETER}: signed by Peter Sørensen (Horsens Kommune) at ")
    assert lines[3] == "  intact: yes; changed after signing: form filling; trusted: yes"


def test_signing_leaves_the_original_as_it_was(workdir, built):
    assert sign(workdir, "aftale.pdf", PETER).exit_code == 0
    assert (workdir / "aftale.pdf").read_bytes() == built.pdf


def test_verify_lists_unsigned_fields_and_untrusted_signers(workdir):
    sign(workdir, "aftale.pdf", PETER)
    result = run("verify", workdir / "aftale-underskrevet-1.pdf")
    assert result.exit_code == 0
    assert f"{LISBETH}: not signed" in result.output
    assert "trusted: no (no --trust given)" in result.output


def test_one_flipped_byte_after_signing_is_caught(workdir):
    sign(workdir, "aftale.pdf", PETER)
    data = bytearray((workdir / "aftale-underskrevet-1.pdf").read_bytes())
    data[len(data) // 3] ^= 0x01
    (workdir / "tampered.pdf").write_bytes(bytes(data))
    result = run("verify", workdir / "tampered.pdf", "--trust", workdir / "ca.pem")
    assert result.exit_code == 1
    assert "intact: NO" in result.output
    assert result.output.splitlines()[-1] == f"Error: broken signature(s): {PETER}"


def test_content_added_after_signing_beyond_form_filling_is_broken(workdir):
    sign(workdir, "aftale.pdf", PETER)
    signed = (workdir / "aftale-underskrevet-1.pdf").read_bytes()
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    # an incremental update that draws a box on page 1, after the signature
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    stream = generic.StreamObject(stream_data=b"q 0 0 1 rg 100 100 200 200 re f Q")
    contents = page["/Contents"]
    page["/Contents"] = generic.ArrayObject([contents, writer.add_object(stream)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    (workdir / "changed.pdf").write_bytes(out.getvalue())
    result = run("verify", workdir / "changed.pdf")
    assert result.exit_code == 1
    assert "changed after signing: other" in result.output


def test_pdfa_markers_fonts_and_metadata_hold_after_signing(workdir):
    sign(workdir, "aftale.pdf", PETER)
    sign(workdir, "aftale-underskrevet-1.pdf", LISBETH)
    with pikepdf.open(workdir / "aftale-underskrevet-2.pdf") as pdf:
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "A")
        assert str(pdf.docinfo["/Producer"]) == meta["pdf:Producer"]
        assert str(pdf.docinfo["/Title"]) == meta["dc:title"]
        info_date = str(pdf.docinfo["/ModDate"])  # D:YYYYMMDDHHMMSSZ
        xmp_date = meta["xmp:ModifyDate"]  # YYYY-MM-DDTHH:MM:SS+00:00
        assert re.sub(r"\D", "", xmp_date)[:14] == info_date[2:16]
        assert xmp_date.endswith("+00:00") and info_date.endswith("Z")
        for page in pdf.pages:
            for xobject_font in _fonts(page):
                assert any(k in xobject_font.FontDescriptor
                           for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert [f["signed"] for f in signature_fields(
        (workdir / "aftale-underskrevet-2.pdf").read_bytes())] == [True, True]


def _fonts(page):
    """Every font the page and its annotation appearances use, descendants included."""
    found = []

    def collect(resources):
        if resources is None:
            return
        for font in resources.get("/Font", {}).values():
            found.extend(font.get("/DescendantFonts", [font]))
        for xobject in resources.get("/XObject", {}).values():
            collect(xobject.get("/Resources"))

    collect(page.Resources)
    for annot in page.get("/Annots", []):
        appearance = annot.get("/AP")
        if appearance is not None and "/N" in appearance:
            collect(appearance.N.get("/Resources"))
    return found


def test_the_visible_stamp_says_who_signed_and_when_in_danish(workdir):
    sign(workdir, "aftale.pdf", PETER)
    with pikepdf.open(workdir / "aftale-underskrevet-1.pdf") as pdf:
        pdf.flatten_annotations("all")  # the stamp's appearance becomes page content
        out = io.BytesIO()
        pdf.save(out)
    text = pdf_text(out.getvalue())
    assert re.search(r"Underskrevet digitalt af Peter Sørensen Tidspunkt: "
                     r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d UTC", text), text[-300:]


def test_the_stamp_is_three_lines_name_between_heading_and_time(workdir):
    sign(workdir, "aftale.pdf", PETER)
    with pikepdf.open(workdir / "aftale-underskrevet-1.pdf") as pdf:
        pdf.flatten_annotations("all")
        out = io.BytesIO()
        pdf.save(out)
    pieces = [(y, text) for _, _, y, text in pdf_pieces(out.getvalue())]
    heading = next(i for i, (_, text) in enumerate(pieces)
                   if text == "Underskrevet digitalt af")
    stamp = pieces[heading:heading + 3]
    assert [text for _, text in stamp[:2]] == ["Underskrevet digitalt af", "Peter Sørensen"]
    assert re.fullmatch(r"Tidspunkt: \d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d UTC", stamp[2][1])
    heights = [y for y, _ in stamp]
    assert heights[0] > heights[1] > heights[2]  # one under the other


# --- errors: one line, exit != 0, nothing written ------------------------------------------

def files(workdir):
    return sorted(p.name for p in workdir.iterdir())


def test_wrong_passphrase(workdir):
    before = files(workdir)
    result = sign(workdir, "aftale.pdf", PETER, passphrase="forkert")
    assert result.exit_code == 2
    assert result.output.endswith("peter.p12: cannot open: wrong passphrase, or not a "
                                  "PKCS#12 (.p12/.pfx) file\n")
    assert "forkert" not in result.output
    assert files(workdir) == before


def test_expired_certificate(workdir, ca):
    old = issue(ca, "Gammel Nøgle", "Horsens Kommune", start_days_ago=400, days_valid=365)
    (workdir / "peter.p12").write_bytes(old.p12(PASSPHRASE.encode()))
    before = files(workdir)
    result = sign(workdir, "aftale.pdf", PETER)
    assert result.exit_code == 2
    assert "the certificate of Gammel Nøgle expired on" in result.output
    assert files(workdir) == before


def test_field_that_does_not_exist(workdir):
    result = sign(workdir, "aftale.pdf", "Underskrift_Nogen")
    assert result.exit_code == 2
    assert result.output == (f"Error: no signature field named 'Underskrift_Nogen' "
                             f"(fields: {LISBETH}, {PETER})\n")


def test_a_misspelt_field_is_given_the_field_meant(workdir):
    result = sign(workdir, "aftale.pdf", "underskrift_peter_sorensen")
    assert result.exit_code == 2
    assert result.output == (f"Error: no signature field named 'underskrift_peter_sorensen'; "
                             f"did you mean {PETER!r}? (fields: {LISBETH}, {PETER})\n")


def test_field_already_signed(workdir):
    sign(workdir, "aftale.pdf", PETER)
    before = files(workdir)
    result = sign(workdir, "aftale-underskrevet-1.pdf", PETER)
    assert result.exit_code == 2
    assert result.output == f"Error: the field '{PETER}' is already signed\n"
    assert files(workdir) == before


def test_passphrase_is_asked_for_on_a_terminal_and_not_shown(workdir):
    env = {k: v for k, v in os.environ.items() if k != "AFTALER_P12_PASSPHRASE"}
    status, received = run_in_terminal(
        [sys.executable, str(ROOT / "build.py"), "sign", "aftale.pdf", "--field", PETER,
         "--p12", "peter.p12"], env=env, cwd=str(workdir),
        answers={"Passphrase for peter.p12: ": PASSPHRASE})
    assert status == 0, received
    assert PASSPHRASE not in received
    assert screen(received) == ["Passphrase for peter.p12:", "aftale-underskrevet-1.pdf"]


def test_without_passphrase_or_terminal_says_how_to_give_it(workdir):
    result = sign(workdir, "aftale.pdf", PETER, passphrase=None)  # CliRunner: no terminal
    assert result.exit_code == 2
    assert result.output == (f"Error: no passphrase for {workdir / 'peter.p12'}: there is no "
                             "terminal to ask on; set AFTALER_P12_PASSPHRASE\n")
    assert files(workdir) == ["aftale.pdf", "ca.pem", "lisbeth.p12", "peter.p12"]


def test_passphrase_is_no_command_line_option():
    result = CliRunner().invoke(cli, ["sign", "--help"])
    assert "--passphrase" not in result.output and "AFTALER_P12_PASSPHRASE" in result.output


def test_existing_target_is_never_overwritten(workdir):
    sign(workdir, "aftale.pdf", PETER)
    first = (workdir / "aftale-underskrevet-1.pdf").read_bytes()
    result = sign(workdir, "aftale.pdf", PETER)
    assert result.exit_code == 2
    assert "aftale-underskrevet-1.pdf exists" in result.output
    assert (workdir / "aftale-underskrevet-1.pdf").read_bytes() == first


# --- who signs: the certificate's name against the field's signatory ------------------------

def test_a_field_signed_with_someone_elses_certificate_is_refused_naming_both(workdir):
    before = files(workdir)
    result = sign(workdir, "aftale.pdf", LISBETH, p12="peter.p12")
    assert result.exit_code == 2
    assert result.output == (
        f"Error: the field {LISBETH} is for Lisbeth Holsteen Jessen, but "
        f"{workdir / 'peter.p12'} is the certificate of Peter Sørensen: sign it with "
        "Lisbeth Holsteen Jessen's certificate, or give --signer-mismatch-ok to sign it "
        "with this one anyway\n")
    assert files(workdir) == before


def test_signer_mismatch_ok_signs_with_the_certificate_given(workdir):
    result = sign(workdir, "aftale.pdf", LISBETH, "--signer-mismatch-ok", p12="peter.p12")
    assert result.exit_code == 0, result.output
    check = run("verify", workdir / "aftale-underskrevet-1.pdf")
    assert check.output.startswith(f"{LISBETH}: signed by Peter Sørensen (Horsens Kommune)")


def test_the_certificates_name_may_differ_in_case_and_danish_spelling(workdir, ca):
    other = issue(ca, "PETER  SOERENSEN", "Horsens Kommune")
    (workdir / "peter.p12").write_bytes(other.p12(PASSPHRASE.encode()))
    result = sign(workdir, "aftale.pdf", PETER)
    assert result.exit_code == 0, result.output


def test_without_a_tooltip_the_field_name_says_whom_it_is_for(workdir):
    with pikepdf.open(workdir / "aftale.pdf") as pdf:
        for field in pdf.Root.AcroForm.Fields:
            del field["/TU"]
        pdf.save(workdir / "uden-tooltip.pdf")
    assert sign(workdir, "uden-tooltip.pdf", PETER).exit_code == 0
    refused = sign(workdir, "uden-tooltip.pdf", LISBETH, p12="peter.p12")
    assert refused.exit_code == 2
    assert f"the field {LISBETH} is for Lisbeth Holsteen Jessen, but" in refused.output


def test_a_field_that_names_no_one_is_signed_without_the_check(workdir):
    with pikepdf.open(workdir / "aftale.pdf") as pdf:
        for field in pdf.Root.AcroForm.Fields:
            del field["/TU"]
            if str(field.T) == LISBETH:
                field.T = pikepdf.String("Signature1")
        pdf.save(workdir / "fremmed.pdf")
    result = sign(workdir, "fremmed.pdf", "Signature1", p12="peter.p12")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("field", "certificate", "same"), [
    ("Peter Sørensen", "Peter Sørensen", True),
    ("Peter Sørensen", "peter sørensen", True),
    ("Peter Sørensen", "Peter Soerensen", True),
    ("Peter Sørensen", "Peter Sorensen", True),
    ("Åse Lærke", "Aase Laerke", True),
    ("Lisbeth Holsteen Jessen", "Lisbeth Holsteen-Jessen", True),
    ("Lisbeth Holsteen Jessen", " Lisbeth  Holsteen Jessen ", True),
    ("René Ærø", "Rene Aeroe", True),
    ("Lisbeth Holsteen Jessen", "Lisbeth Jessen", False),
    ("Peter Sørensen", "P. Sørensen", False),
    ("Peter Sørensen", "Sørensen Peter", False),
    ("Peter Sørensen", "Peter Sørensen Test", False),
    ("Peter Sørensen", "Lisbeth Holsteen Jessen", False),
])
def test_which_written_names_are_the_same_name(field, certificate, same):
    from aftaler.signing.sign import same_person

    assert same_person(field, certificate) is same


# --- what --trust is given -----------------------------------------------------------------

def test_trust_given_a_private_key_says_so_in_words(workdir):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(65537, 2048)
    (workdir / "test.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    result = run("verify", workdir / "aftale.pdf", "--trust", workdir / "test.key")
    assert result.exit_code == 2
    assert result.output == (
        f"Error: --trust {workdir / 'test.key'} holds a private key, not a certificate; give "
        "a certificate file (PEM or DER: .crt, .pem, .cer) of a signer or of its CA\n")


@pytest.mark.parametrize(("name", "what"), [
    ("peter.p12", "is a PKCS#12 bundle (.p12/.pfx) with a private key, not a certificate"),
    ("aftale.pdf", "is a PDF, not a certificate"),
])
def test_trust_given_another_kind_of_file_names_it(workdir, name, what):
    result = run("verify", workdir / "aftale.pdf", "--trust", workdir / name)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: --trust {workdir / name} {what}; give ")


def test_trust_accepts_der_and_several_pem_certificates_in_one_file(workdir, ca):
    from cryptography.hazmat.primitives import serialization

    assert sign(workdir, "aftale.pdf", PETER).exit_code == 0
    (workdir / "ca.cer").write_bytes(ca.cert.public_bytes(serialization.Encoding.DER))
    (workdir / "bundle.pem").write_bytes(make_ca("Andet CA").pem() + ca.pem())
    for trust in ("ca.cer", "bundle.pem"):
        result = run("verify", workdir / "aftale-underskrevet-1.pdf", "--trust", workdir / trust)
        assert result.exit_code == 0, result.output
        assert "trusted: yes" in result.output


# --- PAdES B-T with a timestamp authority on loopback ---------------------------------------

@pytest.fixture
def tsa(ca):
    """An RFC 3161 timestamp authority on 127.0.0.1, signing with a test certificate."""
    from asn1crypto import keys, tsp
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    issued = issue(ca, "Test-TSA", "Testcenter", tsa=True)
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(issued.cert.public_bytes(
            serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(issued.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def test_timestamp_url_gives_a_timestamped_signature(workdir, tsa):
    result = sign(workdir, "aftale.pdf", PETER, "--timestamp-url", tsa)
    assert result.exit_code == 0, result.output
    check = run("verify", workdir / "aftale-underskrevet-1.pdf", "--trust", workdir / "ca.pem")
    assert check.exit_code == 0, check.output
    assert "(timestamped)" in check.output


def test_unreachable_timestamp_authority_is_one_line_and_writes_nothing(workdir):
    before = files(workdir)
    result = sign(workdir, "aftale.pdf", PETER, "--timestamp-url", "http://127.0.0.1:9/")
    assert result.exit_code != 0
    assert result.output.startswith("Error: the timestamp authority http://127.0.0.1:9/ ")
    assert files(workdir) == before


def test_a_file_that_is_not_a_pdf_is_one_clear_line(workdir):
    (workdir / "notat.pdf").write_bytes(b"Kaere Peter")
    result = sign(workdir, "notat.pdf", PETER)
    assert result.exit_code == 2
    assert result.output == f"Error: {workdir / 'notat.pdf'}: not a PDF\n"
    assert "Traceback" not in result.output
