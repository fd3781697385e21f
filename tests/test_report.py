"""The yearly evaluation report: its numbers against the data, both formats, the CLI."""

from __future__ import annotations

import io
import json

import pikepdf
import pytest
from click.testing import CliRunner
from extract import docx_text, normalise, pdf_text

from aftaler.build.pipeline import build_report
from aftaler.cli import cli
from aftaler.sources.evaluations import Records


@pytest.fixture(scope="module")
def report_2016(project):
    return build_report(project, 2016)


@pytest.fixture(scope="module")
def texts(report_2016):
    return docx_text(report_2016.docx), pdf_text(report_2016.pdf)


@pytest.fixture(scope="module")
def data_2016(project, alliance, hospital):
    return Records(project.definitions).year(2016, alliance, {"hospital": hospital})


# --- the numbers -------------------------------------------------------------------------

def test_year_and_cumulative_figures_are_the_recorded_ones_and_their_sum(report_2016,
                                                                         data_2016):
    year, so_far, total = report_2016.document.figures
    assert (year.result, year.target) == (data_2016.alliance.citizens_off_support, 150)
    assert so_far.result == total.result == sum(data_2016.series.values()) == 439
    assert (so_far.target, total.target) == (450, 600)  # 3 years of 150; the goal
    assert total.share_text.replace("\u00a0", " ") == "73 %"


def test_assessment_shares_count_every_effort_of_the_evaluation(report_2016, data_2016):
    evaluated = [e.assessment for e in data_2016.evaluations["hospital"].efforts.values()]
    shares = {s.label: (s.count, s.share) for s in report_2016.document.shares}
    for label in ("opfyldt", "delvist opfyldt", "ikke opfyldt", "ikke igangsat"):
        assert shares[label][0] == evaluated.count(label)
        assert shares[label][1] == pytest.approx(evaluated.count(label) / len(evaluated))
    assert sum(count for count, _ in shares.values()) == report_2016.document.efforts_total == 6


def test_summary_states_the_figures_in_danish(texts):
    for text in texts:
        assert ("I 2016 blev 157 borgere løftet væk fra offentlig forsørgelse mod et mål på "
                "150 (105 %).") in text
        assert ("I alt er 439 borgere løftet væk siden 2014 mod målet på 600 ved udgangen af "
                "2017 (73 %).") in text
        assert "Af 6 indsatser er 4 opfyldt, 1 delvist opfyldt, 1 ikke opfyldt." in text


def test_word_and_pdf_carry_the_same_figures(report_2016, texts):
    doc = report_2016.document
    expected = [f.result_text for f in doc.figures] + [f.share_text for f in doc.figures]
    expected += [s.percent for s in doc.shares] + [s.label for s in doc.shares]
    for section in doc.sections:
        for e in section.efforts:
            expected += [e.name, f"{e.indicator}: {e.result}", e.assessment, e.next_step,
                         e.target]
        expected.append(section.comment)
    for text in texts:
        missing = [s for s in expected if normalise(s) not in text]
        assert missing == []


def test_each_effort_shows_its_target_and_status_as_words(report_2016):
    [section] = report_2016.document.sections
    by_name = {e.name: e for e in section.efforts}
    assert by_name["VIRKSOMHEDSCENTER"].target == "2 pladser"
    assert by_name["VIRKSOMHEDSCENTER"].result == "2"
    assert by_name["JOBORDRE"].result == "ja"
    assert by_name["JOBROTATION"].assessment == "ikke opfyldt"
    assert [r.status for r in report_2016.document.overview] == [
        e.assessment for e in section.efforts]


def test_marks_awarded_that_year_with_the_criteria_met(report_2016, alliance, texts):
    marks = {(m.organisation, m.mark): m.criteria for m in report_2016.document.marks}
    assert marks[("BusinessHorsens", "ALLIANCE-mærket")] == tuple(
        alliance.marks["alliance"].criteria[i - 1] for i in (1, 2, 6, 8))
    for text in texts:
        assert "BusinessHorsens: ALLIANCE-mærket" in text
        assert "Bruger Jobcenter Horsens som rekrutteringsbureau." in text


def test_example_figures_are_marked_as_such_in_both_formats(texts):
    for text in texts:
        assert "EKSEMPELTAL – rapporten bygger på eksempeldata, ikke på officielle tal." in text


# --- missing evaluations -------------------------------------------------------------------

def test_agreement_in_force_without_evaluation_is_shown_as_missing(project, caplog):
    files = build_report(project, 2014)
    doc = files.document
    assert doc.missing == ("hospital",)
    assert [(s.label, s.count) for s in doc.shares if s.count] == [("mangler evaluering", 6)]
    assert "hospital is in force in 2014 but has no evaluation" in caplog.text
    for text in (docx_text(files.docx), pdf_text(files.pdf)):
        assert "Mangler evaluering." in text
        assert "1 aftale i kraft i 2014 mangler evaluering." in text


def test_strict_makes_a_missing_evaluation_an_error(project):
    result = CliRunner().invoke(cli, ["--project", str(project.root), "report", "2014",
                                      "--strict"])
    assert result.exit_code == 2
    assert result.output == ("Error: hospital is in force in 2014 but has no evaluation "
                             "(agreements/hospital/2014.yaml) (--strict)\n")


def test_agreements_not_in_force_are_left_out(scratch, hospital_yaml):
    later = hospital_yaml.replace("  start: 2014-11-01", "  start: 2018-01-01").replace(
        "  end: 2017-12-31", "  end: 2021-12-31")
    (scratch.root / "agreements" / "later.yaml").write_text(later, encoding="utf-8")
    doc = build_report(scratch, 2016).document
    assert [s.name for s in doc.sections] == ["hospital"]


# --- one agreement alone -------------------------------------------------------------------

def test_report_of_one_agreement_leaves_the_alliance_figures_out(project):
    files = build_report(project, 2016, only="hospital")
    doc = files.document
    assert [s.name for s in doc.sections] == ["hospital"]
    assert doc.figures == () and doc.marks == () and doc.series == {}
    text = pdf_text(files.pdf)
    assert "Tildelte mærker" not in text and "borgere løftet" not in text
    assert "HORSENS ALLIANCE AFTALE – Hospitalsenheden Horsens" in text


def test_report_command_writes_both_files_and_prints_their_paths(scratch):
    result = CliRunner().invoke(cli, ["--project", str(scratch.root), "report", "2016",
                                      "--agreement", "hospital"])
    assert result.exit_code == 0, result.output
    docx, pdf = scratch.report_files("evaluering-2016-hospital")
    assert result.output.splitlines() == [str(docx), str(pdf)]
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_report_of_a_year_outside_an_agreements_term_is_refused(project):
    result = CliRunner().invoke(cli, ["--project", str(project.root), "report", "2013",
                                      "--agreement", "hospital"])
    assert result.exit_code == 2
    assert "there is nothing to evaluate in 2013" in result.output


def test_report_with_a_bad_evaluation_names_file_line_field_and_writes_nothing(scratch):
    path = scratch.root / "agreements" / "hospital" / "2016.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "assessment: opfyldt", "assessment: fint", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(scratch.root), "report", "2016"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: agreements/hospital/2016.yaml:")
    assert "efforts.FLEKSJOB.assessment" in result.output
    assert not scratch.output.exists()


# --- the PDF --------------------------------------------------------------------------------

def test_report_pdf_is_pdfa_3a_tagged_danish_with_the_data_attached(report_2016, data_2016):
    with pikepdf.open(io.BytesIO(report_2016.pdf)) as pdf:
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "A")
        assert str(pdf.Root.Lang) == "da"
        title = "Evaluering 2016 – HORSENS ALLIANCEN"
        assert meta["dc:title"] == str(pdf.docinfo["/Title"]) == title
        [spec] = pdf.Root.AF
        assert spec.AFRelationship == "/Source"
        attached = json.loads(pdf.attachments["evaluering-2016.json"].get_file().read_bytes())
    assert attached["year"] == 2016
    assert attached["citizens_by_year"] == {"2014": 118, "2015": 164, "2016": 157}
    assert attached["evaluations"]["hospital"] == \
        data_2016.evaluations["hospital"].model_dump(mode="json")


def test_charts_are_vector_figures_with_text_alternatives(report_2016):
    alts = []
    with pikepdf.open(io.BytesIO(report_2016.pdf)) as pdf:
        for page in pdf.pages:
            for xobject in page.Resources.get("/XObject", {}).values():
                assert xobject.get("/Subtype") != "/Image"  # no raster images

        def walk(element):
            if not isinstance(element, pikepdf.Dictionary):
                return
            if element.get("/S") == "/Figure":
                alts.append(str(element.Alt))
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

        for top in pdf.Root.StructTreeRoot.K:
            walk(top)
    assert len(alts) == 2
    assert "2014: 118, 2015: 164, 2016: 157" in alts[0]
    assert "opfyldt 4 (67 %)" in alts[1].replace("\u00a0", " ")


def test_word_charts_carry_their_text_alternative(report_2016):
    from extract import docx_xml

    xml = docx_xml(report_2016.docx)
    assert xml.count('descr="Søjlediagram') == 2


def test_report_rebuild_is_byte_identical(project, report_2016):
    again = build_report(project, 2016)
    assert (again.docx, again.pdf) == (report_2016.docx, report_2016.pdf)


@pytest.mark.parametrize("year, citizens, total", [(2015, 164, 282), (2017, 173, 612)])
def test_the_shipped_example_years_build(project, year, citizens, total):
    files = build_report(project, year)
    this_year, _, overall = files.document.figures
    assert (this_year.result, overall.result) == (citizens, total)
    assert f"I {year} blev {citizens} borgere løftet væk" in pdf_text(files.pdf)
    assert f"I {year} blev {citizens} borgere løftet væk" in docx_text(files.docx)
