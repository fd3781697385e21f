"""Forms arrive as mail attachments, and two people may import at once: a form is read
within bounds (a zip bomb, a value in row 1,048,576), its cells may not carry what a
definition may not, two imports of one record never silently overwrite each other, and
everything this program writes into a spreadsheet is text, never a formula."""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile

import pytest
from click.testing import CliRunner
from forms import ANSWERS_2017, HEADING_2017, fill
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook

from aftaler.cli import cli

FORM = "evaluering-2017-hospital.xlsx"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def filled(blank, inbox, name=FORM, heading=None):
    answers = {k: dict(v) for k, v in ANSWERS_2017.items()}
    return fill(blank, inbox / name, heading={**HEADING_2017, **(heading or {})}, rows=answers)


def refused(project, name, *fragments) -> list[str]:
    result = run(project, "form", "import", name)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[-1].startswith("Error: ")
    for fragment in fragments:
        assert any(fragment in line for line in lines), result.output
    return lines


# --- what a cell may not hold ------------------------------------------------------------

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("char", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_a_bidirectional_control_in_a_cell_is_refused_at_its_cell(scratch, blank, inbox,
                                                                  record, char):
    filled(blank, inbox, heading={"Samlet vurdering": f"Resultat: {char}0001 pladser"})
    refused(scratch, FORM, f"{FORM}: Skema!B6: Samlet vurdering: holds a bidirectional "
            f"control U+{ord(char):04X}", "remove it")
    assert not record.exists()


def test_text_starting_with_a_hash_is_text_and_an_error_cell_is_refused(scratch, blank,
                                                                       inbox, record):
    form = filled(blank, inbox, heading={"Samlet vurdering": "#1: et godt år"})
    assert run(scratch, "form", "import", FORM).exit_code == 0
    assert "#1: et godt år" in record.read_text(encoding="utf-8")
    record.unlink()
    wb = load_workbook(form)
    wb["Skema"]["B6"] = "#DIV/0!"  # what a spreadsheet stores for a failed formula
    wb.save(form)
    refused(scratch, FORM, f"{FORM}: Skema!B6: Samlet vurdering: holds an error (#DIV/0!)")


# --- bounds: what is read of a form -------------------------------------------------------

@pytest.mark.parametrize("cells", [["A1048576"], ["XFD1"], ["A1048576", "XFD9", "AA3"]])
def test_a_value_far_outside_the_form_is_one_problem_read_in_a_moment(scratch, blank, inbox,
                                                                      record, hang_guard,
                                                                      cells):
    form = filled(blank, inbox)
    wb = load_workbook(form)
    for ref in cells:
        wb["Skema"][ref] = "x"
    wb.save(form)
    with hang_guard(60):  # it took 40 s and 3.5 GB when the rows in between were built
        lines = refused(scratch, FORM, "a value far outside the form")
    [line] = [line for line in lines if "outside" in line]
    first = sorted(cells, key=lambda ref: (int(re.sub(r"\D", "", ref)), len(ref)))[0]
    assert line.startswith(f"{FORM}: Skema!")
    more = f" (and {len(cells) - 1} more beyond)" if len(cells) > 1 else ""
    assert f"a value far outside the form{more}: only rows 1 to 2,000 and columns A to Z " \
           "are read" in line
    assert any(f"Skema!{ref}:" in line for ref in cells), (first, line)
    assert not record.exists()


def zip_bomb(form_bytes: bytes, megabytes: int) -> bytes:
    """The form with a sheet of `megabytes` MB of blanks: some kB once compressed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(form_bytes)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (megabytes << 20))
            bomb.writestr(item, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(scratch, blank, inbox, record,
                                                     hang_guard):
    form = filled(blank, inbox)
    data = zip_bomb(form.read_bytes(), 200)
    assert len(data) < 2 * 2**20  # 200 MB inside
    form.write_bytes(data)
    with hang_guard(60):
        refused(scratch, FORM, f"{FORM}: it unpacks to ", "far more than a form")


def _declare(data: bytes, member: str, size: int) -> bytes:
    """`data` with the central directory claiming `member` unpacks to `size` bytes."""
    name, at = member.encode(), 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        length = struct.unpack("<H", data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + length] == name:
            return data[:at + 24] + struct.pack("<I", size) + data[at + 28:]
        at += 4


def test_a_member_that_unpacks_to_more_than_it_declares_is_cut_at_its_declared_size(
        scratch, blank, inbox, record, hang_guard):
    """The declared sizes are what is checked: zipfile never unpacks more than that, so
    a lying archive is damaged, not a bomb."""
    form = filled(blank, inbox)
    data = _declare(zip_bomb(form.read_bytes(), 200), "xl/worksheets/sheet1.xml", 4096)
    form.write_bytes(data)
    with hang_guard(60):
        refused(scratch, FORM, f"{FORM}: cannot read it as an Excel workbook (.xlsx) "
                "(BadZipFile)")
    assert not record.exists()


def test_a_form_with_styles_for_a_whole_office_is_refused_before_they_are_read(
        scratch, blank, inbox, record):
    """Every cell style becomes objects before a cell is read: 600 kB of them (a form
    has 10 kB) would take many seconds."""
    form = filled(blank, inbox)
    out = io.BytesIO()
    with zipfile.ZipFile(form) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/styles.xml":
                data = data.replace(b"</cellXfs>",
                                    b'<xf numFmtId="0" fontId="0"/>' * 20_000 + b"</cellXfs>")
            z.writestr(item, data)
    form.write_bytes(out.getvalue())
    refused(scratch, FORM, f"{FORM}: its cell styles take ", "far more than a form's")


def test_a_form_far_larger_than_a_form_is_refused_unread(scratch, blank, inbox, record):
    form = filled(blank, inbox)
    form.write_bytes(form.read_bytes() + os.urandom(11 * 2**20))
    refused(scratch, FORM, f"{FORM}: too large (")


def test_a_named_pipe_given_as_a_form_is_refused_at_once(scratch, inbox, hang_guard):
    os.mkfifo(inbox / FORM)
    with hang_guard(60):
        refused(scratch, FORM, f"{FORM}: a named pipe (FIFO), not a file")


# --- two imports of one record at once --------------------------------------------------

def test_two_imports_of_one_record_at_once_never_overwrite_each_other(scratch, blank, inbox,
                                                                      record, monkeypatch):
    """The second checks that there is no record, then, before it writes, the first
    writes its record: the second writes nothing and says so (exit 2)."""
    from aftaler.forms import importing

    filled(blank, inbox, heading={"Evalueret af": "Lise Hansen"})
    other = filled(blank, inbox, name="evaluering-2017-hospital (Jens).xlsx",
                   heading={"Evalueret af": "Jens Jensen"})
    plan = importing.plan

    def meanwhile(*args, **kwargs):
        planned = plan(*args, **kwargs)
        monkeypatch.setattr(importing, "plan", plan)
        first = run(scratch, "form", "import", other.name)  # the colleague, just now
        assert first.exit_code == 0, first.output
        return planned

    monkeypatch.setattr(importing, "plan", meanwhile)
    lines = refused(scratch, FORM, f"{FORM}: agreements/hospital/2017.yaml was written by "
                    "another import while this one ran: nothing of this form was written")
    assert len(lines) == 1 and lines[0].endswith("; look at it, and import again with "
                                                 "--replace to overwrite it")
    assert "Jens Jensen" in record.read_text(encoding="utf-8")
    assert not [p for p in record.parent.iterdir() if p.name.endswith(".part")]


def test_a_replace_does_not_overwrite_a_record_changed_while_it_ran(scratch, blank, inbox,
                                                                    monkeypatch):
    from aftaler.forms import importing

    filled(blank, inbox)
    record = scratch.definitions.records.evaluation_path("hospital", 2017)
    plan = importing.plan

    def meanwhile(*args, **kwargs):
        planned = plan(*args, **kwargs)
        record.write_text(record.read_text(encoding="utf-8") + "# rettet i hånden\n",
                          encoding="utf-8")
        return planned

    monkeypatch.setattr(importing, "plan", meanwhile)
    result = run(scratch, "form", "import", "--replace", FORM)
    assert result.exit_code == 2, result.output
    assert "was written by another import while this one ran" in result.output
    assert record.read_text(encoding="utf-8").endswith("# rettet i hånden\n")


# --- what this program writes into a spreadsheet is text ---------------------------------

FORMULA_LIKE = ["=HYPERLINK(\"http://x.invalid\",\"Klik\")", "=1+1", "#N/A", "#REF!",
                "+SUM(A1:A2)", "-2+3", "@SUM(1)", "=cmd|'/c calc'!A0", "'=kopi"]
texts = st.one_of(st.sampled_from(FORMULA_LIKE),
                  st.builds(lambda lead, rest: lead + rest,
                            st.sampled_from(["=", "#", "+", "@", "-", "=="]),
                            st.text(alphabet=st.characters(codec="utf-8",
                                                           categories=["L", "N", "P", "S"]),
                                    min_size=1, max_size=20)))


def sheets_xml(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: etree.fromstring(archive.read(name)) for name in archive.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")}


def assert_text_only(data: bytes, expected: list[str]) -> None:
    """No cell of any sheet holds a formula or an error; each text is there as text."""
    sheets = sheets_xml(data)
    assert len(sheets) == 2  # the form, and its hidden list sheet
    for name, root in sheets.items():
        assert root.findall(f".//{MAIN}f") == [], name
        assert [c.get("r") for c in root.iter(f"{MAIN}c") if c.get("t") in ("e", "str")] \
            == [], name
    wb = load_workbook(io.BytesIO(data))
    found = [c.value for ws in wb for row in ws.iter_rows() for c in row
             if c.data_type == "s" and isinstance(c.value, str)]
    for text in expected:
        assert any(text in value for value in found), text


@settings(max_examples=30, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(mark=texts, organisation=texts, effort=texts)
def test_every_text_written_into_a_form_is_text_in_every_sheet(project, mark, organisation,
                                                               effort):
    from aftaler.forms.export import agreement_form, programme_form

    definitions = project.definitions
    alliance = definitions.programme("alliance").model
    hospital = definitions.agreement("hospital").model
    marks = {key: m.model_copy(update={"name": f"{mark} {i}"})
             for i, (key, m) in enumerate(alliance.marks.items())}
    programme = alliance.model_copy(update={"marks": marks})
    form = programme_form("alliance", programme, 2019)
    assert_text_only(form.data, [f"{mark} 0"])
    party = hospital.parties["hospital"].model_copy(update={"name": f"A {organisation}"})
    agreement = hospital.model_copy(update={
        "parties": {**hospital.parties, "hospital": party},
        "efforts": [hospital.efforts[0].model_copy(update={"name": effort}),
                    *hospital.efforts[1:]]})
    form = agreement_form("hospital", agreement, programme, 2017)
    assert_text_only(form.data, [effort])
