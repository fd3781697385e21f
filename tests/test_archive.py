"""The archive: append-only, bytes kept exactly, integrity provable, crash-safe."""

from __future__ import annotations

import io
import json
import os
import subprocess

import pikepdf
import pytest
from certs import issue, make_ca
from click.testing import CliRunner
from validation import failed_rules

from aftaler.archive.store import JOURNAL, Archive
from aftaler.cli import cli


@pytest.fixture
def arch(tmp_path):
    return tmp_path / "archive"


def run(project, arch, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), "archive", "--archive",
                                    str(arch), *[str(a) for a in args]])


def put(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def signed_pdf(built):
    """The hospital agreement with both fields signed (certificate made here)."""
    from aftaler.signing.sign import load_signer, sign

    ca = make_ca()
    person = issue(ca, "Peter Sørensen", "Horsens Kommune")
    signer = load_signer(person.p12(b"pw", [ca.cert]), b"pw", "test.p12")
    once = sign(built.pdf, "Underskrift_Peter_Soerensen", signer)
    return sign(once, "Underskrift_Lisbeth_Holsteen_Jessen", signer)


def flip(path, offset=None):
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2 if offset is None else offset] ^= 0x01
    path.write_bytes(bytes(data))


# --- adding ---------------------------------------------------------------------------------

def test_add_files_by_year_and_agreement_with_sums_and_manifest(project, arch, tmp_path,
                                                              built):
    pdf = put(tmp_path, "aftale-hospital.pdf", built.pdf)
    result = run(project, arch, "add", pdf)
    assert result.exit_code == 0, result.output
    assert "-> 2014/hospital/aftale-hospital.pdf" in result.output
    stored = arch / "2014" / "hospital" / "aftale-hospital.pdf"
    assert stored.read_bytes() == built.pdf
    [record] = json.loads((arch / "manifest.json").read_text())["documents"]
    assert record["agreement"] == "hospital" and record["year"] == 2014
    assert record["parties"] == ["Hospitalsenheden Horsens", "Horsens Kommune"]
    assert record["pdfa"] == "3A" and record["pages"] == 2 and record["size"] == len(built.pdf)
    assert record["title"] == ("HORSENS ALLIANCE AFTALE – Hospitalsenheden Horsens og "
                               "Horsens Kommune")
    assert record["unsigned_fields"] == ["Underskrift_Lisbeth_Holsteen_Jessen",
                                         "Underskrift_Peter_Soerensen"]
    import hashlib

    from aftaler.pipeline.steps import definition_json
    assert record["source_sha256"] == hashlib.sha256(
        definition_json(project.definitions.agreement("hospital").model)).hexdigest()
    assert record["archived_at"].endswith("+00:00")


def test_sha256sum_accepts_the_sums_file_as_it_is(project, arch, tmp_path, built):
    run(project, arch, "add", put(tmp_path, "aftale-hospital.pdf", built.pdf))
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=arch, capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout == "2014/hospital/aftale-hospital.pdf: OK\n"


def test_the_same_bytes_twice_is_a_no_op_that_says_so(project, arch, tmp_path, built):
    pdf = put(tmp_path, "aftale-hospital.pdf", built.pdf)
    run(project, arch, "add", pdf)
    before = (arch / "manifest.json").read_bytes()
    again = run(project, arch, "add", put(tmp_path, "kopi.pdf", built.pdf))
    assert again.exit_code == 0
    assert "already archived" in again.output and "2014/hospital/aftale-hospital.pdf" in \
        again.output
    assert (arch / "manifest.json").read_bytes() == before


def test_other_bytes_under_a_taken_name_become_a_new_version(project, arch, tmp_path, built,
                                                             signed_pdf):
    run(project, arch, "add", put(tmp_path, "aftale-hospital.pdf", built.pdf))
    other = tmp_path / "nyt"
    other.mkdir()
    result = run(project, arch, "add", put(other, "aftale-hospital.pdf", signed_pdf))
    assert result.exit_code == 0, result.output
    folder = arch / "2014" / "hospital"
    assert (folder / "aftale-hospital.pdf").read_bytes() == built.pdf
    assert (folder / "aftale-hospital.v2.pdf").read_bytes() == signed_pdf


def test_a_signed_pdf_is_kept_byte_for_byte_and_its_signatures_intact(project, arch,
                                                                      tmp_path, signed_pdf):
    from aftaler.signing.verify import verify

    result = run(project, arch, "add", put(tmp_path, "underskrevet.pdf", signed_pdf))
    assert result.exit_code == 0, result.output
    stored = (arch / "2014" / "hospital" / "underskrevet.pdf").read_bytes()
    assert stored == signed_pdf
    reports = verify(stored)
    assert [(r.signed, r.intact, r.broken) for r in reports] == [(True, True, False)] * 2
    listing = run(project, arch, "list")
    assert "signed (2)" in listing.output


def test_add_without_files_archives_the_final_pdfs_in_output(scratch, arch):
    assert CliRunner().invoke(cli, ["--project", str(scratch.root), "agreement",
                                    "hospital"]).exit_code == 0
    result = run(scratch, arch, "add")
    assert result.exit_code == 0, result.output
    assert "archived: " in result.output and "aftale-hospital.pdf" in result.output
    assert "unsigned signature fields" in result.output
    assert "already archived" in run(scratch, arch, "add").output


def test_a_folder_is_archived_file_by_file(project, arch, tmp_path, built, signed_pdf):
    folder = tmp_path / "fra-signeringstjenesten"
    folder.mkdir()
    put(folder, "a.pdf", built.pdf)
    put(folder, "b.pdf", signed_pdf)
    result = run(project, arch, "add", folder)
    assert result.exit_code == 0
    assert len(Archive(arch).records()) == 2


def test_list_filters_by_year_and_agreement_and_shows_unsigned(project, arch, tmp_path, built):
    run(project, arch, "add", put(tmp_path, "aftale-hospital.pdf", built.pdf))
    shown = run(project, arch, "list", "--agreement", "hospital", "--year", "2014")
    assert shown.output.startswith("2014/hospital/aftale-hospital.pdf  hospital  2014  "
                                   "unsigned (0 of 2 signed)")
    assert run(project, arch, "list", "--year", "2016").output == "no documents match\n"


# --- refusals: one line each, the file left where it was -----------------------------------

def refused(project, arch, path) -> str:
    before = path.read_bytes()
    result = run(project, arch, "add", path)
    assert result.exit_code == 2
    assert path.read_bytes() == before
    assert not (arch / "manifest.json").exists()
    lines = [line for line in result.output.splitlines() if line.startswith("refused: ")]
    assert len(lines) == 1
    return lines[0]


def test_refuses_what_is_not_a_pdf(project, arch, tmp_path):
    line = refused(project, arch, put(tmp_path, "notat.pdf", b"Kaere Lisbeth ..."))
    assert line.endswith("notat.pdf: not a PDF")


def test_refuses_an_unreadable_pdf(project, arch, tmp_path):
    line = refused(project, arch, put(tmp_path, "odelagt.pdf", b"%PDF-1.7\n%garbage\n"))
    assert "odelagt.pdf: incomplete: it does not end the way a PDF ends" in line


def test_refuses_an_encrypted_pdf(project, arch, tmp_path, built):
    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="ejer", user=""))
    line = refused(project, arch, put(tmp_path, "krypteret.pdf", out.getvalue()))
    assert line.endswith("krypteret.pdf: encrypted: archive the unencrypted original")


def test_refuses_a_password_protected_pdf(project, arch, tmp_path, built):
    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="ejer", user="bruger"))
    assert "encrypted (password protected)" in refused(
        project, arch, put(tmp_path, "kode.pdf", out.getvalue()))


def test_refuses_javascript(project, arch, tmp_path, built):
    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hej')")))
        out = io.BytesIO()
        pdf.save(out)
    assert refused(project, arch, put(tmp_path, "js.pdf", out.getvalue())).endswith(
        "js.pdf: contains JavaScript: a document to keep must not run code")


def test_refuses_a_launch_action(project, arch, tmp_path, built):
    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        link = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 50, 50],
            A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))))
        page = pdf.pages[0].obj
        if "/Annots" not in page:
            page.Annots = pikepdf.Array()
        page.Annots.append(link)
        out = io.BytesIO()
        pdf.save(out)
    assert "launch.pdf: contains a launch action" in refused(
        project, arch, put(tmp_path, "launch.pdf", out.getvalue()))


def test_refuses_a_signature_that_is_not_intact(project, arch, tmp_path, signed_pdf):
    path = put(tmp_path, "brudt.pdf", signed_pdf)
    flip(path, len(signed_pdf) // 3)
    assert "brudt.pdf: signature not intact" in refused(project, arch, path)


# --- archival weaknesses: recorded, refused only with --strict -------------------------------

@pytest.fixture
def weak_pdf():
    """No PDF/A identification, a font not embedded."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page = pdf.add_blank_page()
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Notat) Tj ET")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_weaknesses_are_warnings_recorded_in_the_manifest(project, arch, tmp_path, weak_pdf):
    result = run(project, arch, "add", put(tmp_path, "notat.pdf", weak_pdf))
    assert result.exit_code == 0, result.output
    assert "warning: no PDF/A identification in XMP" in result.output
    assert "warning: font not embedded: Helvetica" in result.output
    [record] = Archive(arch).records()
    assert record.warnings == ["no PDF/A identification in XMP",
                               "font not embedded: Helvetica"]
    assert record.path.endswith("/ukendt/notat.pdf")


def test_info_and_xmp_disagreeing_is_a_warning(project, arch, tmp_path, built):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(built.pdf))
    writer.add_metadata({"/Title": "En anden titel"})  # Info only: XMP keeps the old title
    out = io.BytesIO()
    writer.write(out)
    result = run(project, arch, "add", put(tmp_path, "uens.pdf", out.getvalue()))
    assert result.exit_code == 0, result.output
    assert "warning: Info Title and XMP dc:title disagree" in result.output


def test_strict_refuses_weaknesses(project, arch, tmp_path, weak_pdf):
    path = put(tmp_path, "notat.pdf", weak_pdf)
    result = run(project, arch, "add", "--strict", path)
    assert result.exit_code == 2
    assert "refused: " in result.output and "--strict: no PDF/A identification" in result.output
    assert not arch.joinpath("manifest.json").exists()


def test_strict_still_accepts_a_sound_unsigned_agreement(project, arch, tmp_path, built):
    result = run(project, arch, "add", "--strict", put(tmp_path, "a.pdf", built.pdf))
    assert result.exit_code == 0, result.output


# --- verify ---------------------------------------------------------------------------------

@pytest.fixture
def filled(project, arch, tmp_path, built, signed_pdf):
    run(project, arch, "add", put(tmp_path, "aftale-hospital.pdf", built.pdf))
    run(project, arch, "add", put(tmp_path, "underskrevet.pdf", signed_pdf))
    return arch


def test_verify_passes_a_sound_archive(project, filled):
    result = run(project, filled, "verify")
    assert result.exit_code == 0, result.output
    assert result.output == ("ok: 2 document(s) verified (SHA-256 and signatures)\n"
                             "PDF/A-3a and PDF/UA-1 as archived: 2 pass, 0 fail, "
                             "0 not validated\n")


@pytest.mark.parametrize("name", ["aftale-hospital.pdf", "underskrevet.pdf"])
@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_one_flipped_byte_in_any_archived_file_is_reported(project, filled, name, where):
    path = filled / "2014" / "hospital" / name
    flip(path, int(len(path.read_bytes()) * where))
    result = run(project, filled, "verify")
    assert result.exit_code == 1
    assert f"2014/hospital/{name}: altered" in result.output


def test_a_deleted_file_is_reported_missing(project, filled):
    (filled / "2014" / "hospital" / "aftale-hospital.pdf").unlink()
    result = run(project, filled, "verify")
    assert result.exit_code == 1
    assert "2014/hospital/aftale-hospital.pdf: missing" in result.output


def test_an_extra_file_is_reported(project, filled):
    (filled / "2014" / "hospital" / "sneget-ind.pdf").write_bytes(b"%PDF-1.7")
    result = run(project, filled, "verify")
    assert result.exit_code == 1
    assert "2014/hospital/sneget-ind.pdf: present but not listed in the manifest" in \
        result.output


def test_an_edited_sums_file_is_reported(project, filled):
    sums = filled / "SHA256SUMS"
    sums.write_text(sums.read_text().replace("a", "b", 1))
    result = run(project, filled, "verify")
    assert result.exit_code == 1
    assert "SHA256SUMS: does not match the manifest" in result.output


def test_a_damaged_manifest_is_one_clear_error(project, filled):
    (filled / "manifest.json").write_text("{ broken")
    result = run(project, filled, "verify")
    assert result.exit_code == 1
    assert "damaged manifest" in result.output and "Traceback" not in result.output


# --- what is kept must be a file, in the archive ---------------------------------------------

def outside_copy(filled, tmp_path, name="aftale-hospital.pdf"):
    """An archived document moved out of the archive, with a link left in its place."""
    path = filled / "2014" / "hospital" / name
    copy = tmp_path / "elsewhere" / name
    copy.parent.mkdir(exist_ok=True)
    os.replace(path, copy)
    return path, copy


def test_a_document_replaced_by_a_link_to_an_identical_copy_fails(project, filled, tmp_path):
    path, copy = outside_copy(filled, tmp_path)
    path.symlink_to(copy)  # the same bytes: sha256sum -c still passes
    result = run(project, filled, "verify")
    assert result.exit_code == 1
    assert ("2014/hospital/aftale-hospital.pdf: a symbolic link, not the archived file: "
            "the document must be kept in the archive itself") in result.output


def test_a_link_to_a_copy_inside_the_archive_fails_too(project, filled):
    path = filled / "2014" / "hospital" / "aftale-hospital.pdf"
    inside = filled / "2014" / "kopi.pdf"
    os.replace(path, inside)
    path.symlink_to(inside)
    result = run(project, filled, "verify")
    assert result.exit_code == 1
    assert "2014/hospital/aftale-hospital.pdf: a symbolic link" in result.output
    assert "2014/kopi.pdf: present but not listed" in result.output


def test_a_folder_replaced_by_a_link_puts_its_documents_outside(project, filled, tmp_path):
    folder = filled / "2014"
    os.replace(folder, tmp_path / "2014")
    folder.symlink_to(tmp_path / "2014", target_is_directory=True)
    result = run(project, filled, "verify")
    assert result.exit_code == 1
    assert "2014/hospital/aftale-hospital.pdf: outside the archive (a folder on its way is " \
           "a link)" in result.output
    assert "2014: a symbolic link" in result.output


@pytest.mark.parametrize("make", ["pipe", "link"])
def test_anything_in_the_archive_but_files_and_folders_fails(project, filled, hang_guard,
                                                              make):
    stray = filled / "2016" / "mystisk.pdf"
    stray.parent.mkdir()
    os.mkfifo(stray) if make == "pipe" else stray.symlink_to("/dev/zero")
    with hang_guard(60):
        result = run(project, filled, "verify")
    assert result.exit_code == 1
    what = "a named pipe (FIFO), not the archived file" if make == "pipe" else \
        "a symbolic link, not the archived file"
    assert f"2016/mystisk.pdf: {what}" in result.output


def test_a_manifest_that_is_a_link_is_not_read(project, filled, tmp_path):
    manifest = filled / "manifest.json"
    copy = tmp_path / "manifest.json"
    os.replace(manifest, copy)
    manifest.symlink_to(copy)
    result = run(project, filled, "verify")
    assert result.exit_code == 1
    assert "manifest.json: a link to a file outside the archive" in result.output


# --- crashes ----------------------------------------------------------------------------------

class Killed(BaseException):
    """Stands for the process being killed: nothing after it runs."""


@pytest.fixture(scope="module")
def report_pdf(project) -> bytes:
    from aftaler.pipeline.steps import build_report

    return build_report(project, 2016).pdf


def test_killed_between_copy_and_manifest_update_leaves_a_consistent_archive(
        project, filled, tmp_path, report_pdf, monkeypatch):
    extra = put(tmp_path, "rapport.pdf", report_pdf)

    def killed(self, records):
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(Archive, "_write_index", killed)
        with pytest.raises(Killed):
            Archive(filled).add(extra.read_bytes(), extra.name)
    assert (filled / JOURNAL).exists()  # the run died mid-way
    result = run(project, filled, "verify")
    assert result.exit_code == 0, result.output
    assert "note: completed the interrupted addition of 2016/alliance/rapport.pdf" in \
        result.output
    assert len(Archive(filled).records()) == 3
    check = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=filled)
    assert check.returncode == 0


def test_killed_while_copying_leaves_nothing_behind(project, filled, tmp_path, report_pdf,
                                                     monkeypatch):
    extra = put(tmp_path, "rapport.pdf", report_pdf)
    real_fsync = os.fsync

    def killed(fd):
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", killed)
        with pytest.raises(Killed):
            Archive(filled).add(extra.read_bytes(), extra.name)
    assert os.fsync is real_fsync
    result = run(project, filled, "verify")
    assert result.exit_code == 0, result.output
    assert len(Archive(filled).records()) == 2
    assert not list(filled.rglob("*.part"))


# --- what `add` chooses, and says it skipped -------------------------------------------------

def test_add_without_files_skips_partly_signed_intermediates(scratch, arch, built):
    from aftaler.signing.sign import load_signer, sign

    assert CliRunner().invoke(cli, ["--project", str(scratch.root), "agreement",
                                    "hospital"]).exit_code == 0
    ca = make_ca()
    signer = load_signer(issue(ca, "Peter Sørensen", "Horsens Kommune").p12(b"pw", [ca.cert]),
                         b"pw", "test.p12")
    folder = scratch.agreements_output
    once = sign(built.pdf, "Underskrift_Peter_Soerensen", signer)
    (folder / "aftale-hospital-underskrevet-1.pdf").write_bytes(once)
    (folder / "aftale-hospital-underskrevet-2.pdf").write_bytes(
        sign(once, "Underskrift_Lisbeth_Holsteen_Jessen", signer))
    result = run(scratch, arch, "add")
    assert result.exit_code == 0, result.output
    assert f"skipped: {folder / 'aftale-hospital-underskrevet-1.pdf'}: superseded by " \
           "aftale-hospital-underskrevet-2.pdf\n" in result.output
    assert sorted(r.original_name for r in Archive(arch).records()) == [
        "aftale-hospital-underskrevet-2.pdf", "aftale-hospital.pdf"]


def test_the_latest_partly_signed_file_is_archived_by_default(scratch, arch, signed_pdf):
    folder = scratch.agreements_output
    folder.mkdir(parents=True)
    (folder / "aftale-hospital-underskrevet-1.pdf").write_bytes(signed_pdf)
    result = run(scratch, arch, "add")
    assert result.exit_code == 0, result.output
    assert "skipped" not in result.output
    assert [r.original_name for r in Archive(arch).records()] == [
        "aftale-hospital-underskrevet-1.pdf"]


def test_a_foreign_pdf_without_a_date_is_filed_under_the_year_it_was_archived(
        project, arch, tmp_path, weak_pdf):
    import datetime as dt

    result = run(project, arch, "add", put(tmp_path, "notat.pdf", weak_pdf))
    year = dt.datetime.now(dt.UTC).year
    assert result.exit_code == 0, result.output
    assert f"-> {year}/ukendt/notat.pdf" in result.output
    assert f"warning: no date in the document: filed under {year}, the year it was " \
           "archived" in result.output
    [record] = Archive(arch).records()
    assert (record.path, record.year) == (f"{year}/ukendt/notat.pdf", year)
    assert run(project, arch, "list", "--year", str(year)).output.startswith(record.path)


def test_a_foreign_pdf_with_a_date_is_filed_under_its_year(project, arch, tmp_path, weak_pdf):
    with pikepdf.open(io.BytesIO(weak_pdf)) as pdf:
        pdf.docinfo["/CreationDate"] = "D:20150302120000Z"
        out = io.BytesIO()
        pdf.save(out)
    result = run(project, arch, "add", put(tmp_path, "notat.pdf", out.getvalue()))
    assert "-> 2015/ukendt/notat.pdf" in result.output
    assert "no date" not in result.output


def test_a_folder_says_what_it_skipped(project, arch, tmp_path, built):
    folder = tmp_path / "fra-signeringstjenesten"
    folder.mkdir()
    put(folder, "AFTALE.PDF", built.pdf)
    put(folder, "kvittering.xml", b"<ok/>")
    put(folder, "._AFTALE.PDF", b"\x00\x05\x16\x07")  # a Mac's resource fork on a share
    result = run(project, arch, "add", folder)
    assert result.exit_code == 0, result.output
    assert f"skipped: {folder}/: 2 file(s): ._AFTALE.PDF, kvittering.xml (not PDFs)\n" in \
        result.output
    assert [r.original_name for r in Archive(arch).records()] == ["AFTALE.PDF"]
    assert Archive(arch).records()[0].path == "2014/hospital/AFTALE.pdf"


def test_a_folder_without_pdfs_archives_nothing_and_says_so(project, arch, tmp_path):
    folder = tmp_path / "tom"
    folder.mkdir()
    put(folder, "noter.txt", b"hej")
    result = run(project, arch, "add", folder)
    assert result.exit_code == 2
    assert result.output == (f"skipped: {folder}/: 1 file(s): noter.txt (not PDFs)\n"
                             f"Error: nothing archived: no PDFs in {folder}/\n")
    assert not arch.exists()


def test_verify_without_an_archive_says_there_is_none_and_how_to_point_at_one(project, arch):
    result = run(project, arch, "verify")
    assert result.exit_code == 2
    assert result.output == (f"Error: no archive in {arch}/: nothing to verify; give the "
                             "archive's folder with --archive DIR (python build.py archive "
                             "--archive DIR verify)\n")
    arch.mkdir()
    assert run(project, arch, "verify").exit_code == 2


def test_verify_notes_a_document_todays_checks_would_refuse_without_failing(
        project, arch, tmp_path, built, monkeypatch):
    """A PDF and a ZIP at once, archived before such files were refused: its bytes are
    proven unchanged; it is named, not parsed."""
    import zipfile

    from aftaler.signing import pdffile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("indhold.txt", "skjult")
    polyglot = put(tmp_path, "gammel.pdf", built.pdf + out.getvalue())
    with monkeypatch.context() as patch:
        patch.setattr(pdffile, "check", lambda data: None)  # the checks of an older version
        assert run(project, arch, "add", polyglot).exit_code == 0
    result = run(project, arch, "verify")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "note: 2014/hospital/gammel.pdf: unchanged, but would be refused today (a PDF and a "
        "ZIP archive at once (such a file can carry hidden content): use the PDF as it came "
        "from its source); its signatures were not re-validated",
        "note: 2014/hospital/gammel.pdf: PDF/A-3a: fails PDFA3A-POST-EOF-DATA-001 "
        "(page-validation 0.11.0)",
        "ok: 1 document(s) verified (SHA-256 and signatures)",
        "PDF/A-3a and PDF/UA-1 as archived: 0 pass, 1 fail, 0 not validated"]


# --- PDF/A-3a and PDF/UA-1, as page-validation judges what is archived ----------------------

def test_add_records_page_validations_verdict_per_profile(project, arch, tmp_path, built,
                                                         signed_pdf):
    import page

    run(project, arch, "add", put(tmp_path, "aftale-hospital.pdf", built.pdf))
    run(project, arch, "add", put(tmp_path, "underskrevet.pdf", signed_pdf))
    records = json.loads((arch / "manifest.json").read_text())["documents"]
    assert [r["validation"] for r in records] == [
        {"validator": f"page-validation {page.__version__}",
         "profiles": {"3a": [], "ua1": []}}] * 2
    for record in records:
        assert failed_rules(arch / record["path"], "ua1") == []


@pytest.fixture(scope="module")
def untagged_pdf(built):
    """The agreement saying it is not tagged: neither PDF/A level A nor PDF/UA."""
    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        pdf.Root.MarkInfo.Marked = False
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def test_a_document_that_fails_is_archived_with_its_failed_rules(project, arch, tmp_path,
                                                                untagged_pdf):
    path = put(tmp_path, "aftale-hospital.pdf", untagged_pdf)
    result = run(project, arch, "add", path)
    assert result.exit_code == 0, result.output
    [record] = json.loads((arch / "manifest.json").read_text())["documents"]
    expected = {profile: failed_rules(path, profile) for profile in ("3a", "ua1")}
    assert all(expected.values())  # the independent reader fails both
    assert record["validation"]["profiles"] == expected
    assert (arch / record["path"]).read_bytes() == untagged_pdf
    for profile, name in (("3a", "PDF/A-3a"), ("ua1", "PDF/UA-1")):
        assert f"  {name}: fails {', '.join(expected[profile])} (page-validation " in \
            result.output


def test_list_shows_each_verdict_and_the_rules_a_document_fails(project, arch, tmp_path,
                                                                built, untagged_pdf):
    run(project, arch, "add", put(tmp_path, "aftale-hospital.pdf", built.pdf))
    run(project, arch, "add", put(tmp_path, "umarkeret.pdf", untagged_pdf))
    lines = run(project, arch, "list").output.splitlines()
    assert ", PDF/A-3a and PDF/UA-1  HORSENS" in lines[0]
    assert ", fails PDF/A-3a and PDF/UA-1  HORSENS" in lines[1]
    rules = failed_rules(tmp_path / "umarkeret.pdf", "3a")
    assert lines[2] == f"  PDF/A-3a: fails {', '.join(rules)} (page-validation 0.11.0)"
    assert lines[3].startswith("  PDF/UA-1: fails PDFUA1-")


def test_verify_shows_what_fails_as_a_note_and_still_passes(project, arch, tmp_path,
                                                            untagged_pdf):
    run(project, arch, "add", put(tmp_path, "umarkeret.pdf", untagged_pdf))
    result = run(project, arch, "verify")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("note: 2014/hospital/umarkeret.pdf: PDF/A-3a: fails PDFA3A-")
    assert lines[1].startswith("note: 2014/hospital/umarkeret.pdf: PDF/UA-1: fails PDFUA1-")
    assert lines[-1] == "PDF/A-3a and PDF/UA-1 as archived: 0 pass, 1 fail, 0 not validated"


def test_a_manifest_from_before_validation_still_lists_verifies_and_grows(
        project, arch, tmp_path, built, signed_pdf):
    run(project, arch, "add", put(tmp_path, "aftale-hospital.pdf", built.pdf))
    manifest = arch / "manifest.json"
    data = json.loads(manifest.read_text())
    del data["documents"][0]["validation"]
    os.chmod(manifest, 0o644)
    manifest.write_text(json.dumps(data))
    assert ", not validated  HORSENS" in run(project, arch, "list").output
    result = run(project, arch, "verify")
    assert result.exit_code == 0, result.output
    assert ("note: 2014/hospital/aftale-hospital.pdf: not validated (archived before "
            "documents were validated)") in result.output
    assert result.output.endswith("0 pass, 0 fail, 1 not validated\n")
    assert run(project, arch, "add", put(tmp_path, "b.pdf", signed_pdf)).exit_code == 0
    assert [r.validation is None for r in Archive(arch).records()] == [True, False]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX processes")
def test_a_process_forked_after_archiving_can_still_validate(project, arch, tmp_path, built):
    """page-validation's thread pool, once started, hangs a forked child that validates:
    archiving must leave the process as it found it (the concurrency tests fork)."""
    from aftaler.archive import conformance

    run(project, arch, "add", put(tmp_path, "aftale-hospital.pdf", built.pdf))
    pid = os.fork()
    if pid == 0:  # pragma: no cover - reports by its exit status
        import signal

        signal.alarm(60)  # a hang ends the child with SIGALRM, not the test run
        os._exit(0 if conformance.verdict(built.pdf)["profiles"]["3a"] == [] else 1)
    _, status = os.waitpid(pid, 0)
    assert status == 0
