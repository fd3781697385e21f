"""sign and verify: PAdES signatures in the agreement's fields, and their checking."""

from __future__ import annotations

import http.server
import io
import re
import threading

import pikepdf
import pytest
from certs import issue, make_ca
from click.testing import CliRunner
from extract import pdf_text, signature_fields

from aftaler.cli import cli

PASSPHRASE = "k0rrekt hest batteri"
PETER, LISBETH = "Underskrift_Peter_Soerensen", "Underskrift_Lisbeth_Holsteen_Jessen"


@pytest.fixture(scope="module")
def ca():
    return make_ca()


@pytest.fixture
def workdir(tmp_path, built, ca):
    (tmp_path / "aftale.pdf").write_bytes(built.pdf)
    signer = issue(ca, "Peter Sørensen", "Horsens Kommune")
    (tmp_path / "peter.p12").write_bytes(signer.p12(PASSPHRASE.encode(), [ca.cert]))
    (tmp_path / "ca.pem").write_bytes(ca.pem())
    return tmp_path


def run(*args, passphrase: str | None = PASSPHRASE, input: str | None = None):
    env = {} if passphrase is None else {"AFTALER_P12_PASSPHRASE": passphrase}
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, input=input)


def sign(workdir, pdf, field, *extra, **kwargs):
    return run("sign", workdir / pdf, "--field", field, "--p12", workdir / "peter.p12",
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
    assert lines[0].startswith(f"{LISBETH}: signed by Peter Sørensen (Horsens Kommune) at ")
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


def test_field_already_signed(workdir):
    sign(workdir, "aftale.pdf", PETER)
    before = files(workdir)
    result = sign(workdir, "aftale-underskrevet-1.pdf", PETER)
    assert result.exit_code == 2
    assert result.output == f"Error: the field '{PETER}' is already signed\n"
    assert files(workdir) == before


def test_passphrase_is_asked_for_when_not_in_the_environment(workdir):
    result = sign(workdir, "aftale.pdf", PETER, passphrase=None, input=PASSPHRASE + "\n")
    assert result.exit_code == 0, result.output
    assert PASSPHRASE not in result.output


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
