"""The yearly evaluation report: its numbers against the data, both formats, the CLI."""

from __future__ import annotations

import io
import json
import shutil

import pikepdf
import pytest
from click.testing import CliRunner
from docx import Document
from extract import docx_paragraphs, docx_text, normalise, pdf_text

from aftaler.cli import cli
from aftaler.pipeline.steps import build_report

GOAL = "offentlig-forsoergelse"  # HORSENS ALLIANCEN's goal of 2014-2017


@pytest.fixture(scope="module")
def report_2016(project):
    return build_report(project, 2016)


@pytest.fixture(scope="module")
def texts(report_2016):
    return docx_text(report_2016.docx), pdf_text(report_2016.pdf)


@pytest.fixture(scope="module")
def data_2016(project, alliance, hospital):
    return project.definitions.records.year(2016, "alliance", alliance, {"hospital": hospital})


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def both(files) -> tuple[str, str]:
    return docx_text(files.docx), pdf_text(files.pdf)


# --- the numbers of 2016: the goal of 2014-2017 ------------------------------------------

def test_year_and_cumulative_figures_are_the_recorded_ones_and_their_sum(report_2016,
                                                                         data_2016):
    [goal] = report_2016.document.goals
    year, so_far, total = goal.figures
    assert (year.result, year.target) == (data_2016.result(GOAL).result, 150)
    assert so_far.result == total.result == sum(data_2016.series[GOAL].values()) == 439
    assert (so_far.target, total.target) == (450, 600)  # 3 years of 150; the goal
    assert total.share_text.replace("\u00a0", " ") == "73 %"


def test_the_goal_is_measured_from_the_start_of_its_period(report_2016):
    [goal] = report_2016.document.goals
    assert [f.label for f in goal.figures] == [
        "Borgere løftet væk fra offentlig forsørgelse i 2016",
        "I alt siden 2014, mod målet for 2014–2016",
        "I alt siden 2014, mod målet ved udgangen af 2017"]
    assert report_2016.document.period.years == "2014–2017"


def test_the_first_year_of_a_period_is_named_as_one_year(project):
    [goal] = build_report(project, 2014).document.goals
    assert goal.figures[1].label == "I alt siden 2014, mod målet for 2014"


def test_assessment_shares_count_every_effort_of_the_evaluation(report_2016, data_2016):
    evaluated = [e.assessment for e in data_2016.evaluations["hospital"].efforts.values()]
    shares = {s.label: (s.count, s.share) for s in report_2016.document.shares}
    for label in ("opfyldt", "delvist opfyldt", "ikke opfyldt", "ikke igangsat"):
        assert shares[label][0] == evaluated.count(label)
        assert shares[label][1] == pytest.approx(evaluated.count(label) / len(evaluated))
    assert sum(count for count, _ in shares.values()) == report_2016.document.efforts_total == 6


def test_page_1_gives_each_goal_the_year_and_the_total_so_far_against_their_targets(
        report_2016):
    board = report_2016.document.dashboard
    assert board.columns == ("Mål", "2016", "I alt siden 2014", "Status")
    [line] = board.lines
    assert [c.replace("\u00a0", " ") for c in line.cells] == [
        "1. Færre borgere på offentlig forsørgelse", "157 mod 150 (105 %)",
        "439 mod 450 (98 %)"]  # against 3 x 150 so far, not the 600 by the end of 2017
    assert (line.status.word, line.status.label) == ("på sporet", "På sporet")
    words = [normalise(p) for p in docx_paragraphs(report_2016.docx)]
    at = words.index("Status 2016")
    assert words[at + 1:at + 9] == [*board.columns, *map(normalise, line.cells), "På sporet"]


@pytest.mark.parametrize("year, verdict", [(2014, "bagud"), (2015, "på sporet"),
                                           (2016, "på sporet"), (2017, "nået")])
def test_the_verdict_is_reached_on_track_or_behind_by_the_total_against_the_target_so_far(
        project, year, verdict):
    [line] = build_report(project, year).document.dashboard.lines
    # 118 of 150 (79 %); 282 of 300 (94 %); 439 of 450 (98 %); 612 of the 600 by the end
    assert line.status.word == verdict


def test_page_1_shows_the_efforts_assessments_as_one_bar_with_a_legend(report_2016, texts):
    bar = report_2016.document.bar
    assert [(s.status.word, s.count, s.inline) for s in bar.segments] == [
        ("opfyldt", 4, "4"), ("delvist opfyldt", 1, "1"), ("ikke opfyldt", 1, "1")]
    legend = [label.replace("\u00a0", " ") for label in bar.legend]
    assert legend == ["Opfyldt 4 (67 %)", "Delvist opfyldt 1 (17 %)", "Ikke opfyldt 1 (17 %)"]
    for text in texts:  # Word, PDF
        assert normalise(" ".join(bar.legend)) in text
        # the bar, and no table or chart saying the same again
        assert "Indsatsernes progression" not in text and "Antal Andel" not in text


def test_the_goal_and_the_efforts_serving_it_are_in_both_formats(report_2016, texts):
    [goal] = report_2016.document.goals
    for text in texts:
        assert "Mål 2014–2017" in text
        assert "1. Færre borgere på offentlig forsørgelse" in text
        assert ("Mål: 150 borgere om året og 600 borgere ved udgangen af 2017, målt i forhold "
                "til landsgennemsnittet") in text
    # every effort of the report serves the goal: said in one sentence
    assert goal.served_lead == "Alle indsatser i rapporten tjener målet." and goal.served == ()
    assert all(goal.served_lead in text for text in texts)


def test_each_agreement_has_a_scorecard_an_effort_a_row(report_2016):
    [section] = report_2016.document.sections
    assert section.scorecard_columns == ("Indsats", "Mål", "Målt", "Vurdering",
                                         "Næste skridt")
    table = next(t for t in Document(io.BytesIO(report_2016.docx)).tables
                 if t.rows[0].cells[0].text == "Indsats")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert rows[3] == ["VIRKSOMHEDSCENTER", "2 pladser",
                       "pladser besat kontinuerligt i serviceafdelingen: 2", "Opfyldt",
                       "Fastholde de to pladser."]
    assert [r[0] for r in rows] == [e.name for e in section.efforts]


def test_commitments_are_whole_and_say_whose_they_are(report_2016, hospital):
    [section] = report_2016.document.sections
    by_name = {e.name: e for e in section.efforts}
    text = docx_text(report_2016.docx)
    for effort in hospital.efforts:
        for commitment in (*effort.commitments.values(), *([effort.joint.text]
                                                           if effort.joint else [])):
            assert normalise(commitment) in text  # never cut, never joined by " / "
    # each names its party in its first words; one that does not is given its party
    assert all(c.party == "" for c in by_name["JOBROTATION"].commitments)
    assert "…" not in text and " / " not in text


def test_each_effort_shows_its_target_and_status_as_words(report_2016):
    [section] = report_2016.document.sections
    by_name = {e.name: e for e in section.efforts}
    assert by_name["VIRKSOMHEDSCENTER"].target == "2 pladser"
    assert by_name["VIRKSOMHEDSCENTER"].result == "2"
    assert by_name["JOBORDRE"].result == "ja"
    assert by_name["JOBROTATION"].assessment == "ikke opfyldt"
    [row] = report_2016.document.overview
    statuses = [e.assessment for e in section.efforts]
    assert report_2016.document.status_labels == (
        "opfyldt", "delvist opfyldt", "ikke opfyldt", "ikke igangsat")
    assert row.counts == tuple(statuses.count(label)
                               for label in report_2016.document.status_labels) == (4, 1, 1, 0)


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


# --- 2019 and 2023: the periods after 2017 -----------------------------------------------

def test_2019_is_measured_against_the_three_goals_of_2018_to_2021(project):
    files = build_report(project, 2019)
    doc = files.document
    assert doc.period.years == "2018–2021"
    assert [g.title for g in doc.goals] == [
        "Forbedre erhvervslivets vækst- og udviklingsmuligheder",
        "Løfte uddannelsesniveauet i Horsens Kommune",
        "Sikre, at flere kommer i selvforsørgelse"]
    assert all(not g.quantitative and g.assessment != "ikke vurderet" for g in doc.goals)
    for text in both(files):
        assert "Mål 2018–2021" in text
        assert "600" not in text  # nothing of the goal of 2014-2017
        for goal in doc.goals:
            assert f"{goal.number}. {goal.title}" in text
            assert normalise(goal.narrative) in text
        assert "Fora: Erhvervstaskforce, Horsens Uddannelsesråd" in text
        assert "Bo Ulsøe" in text  # the period's members


def test_2019_lists_under_each_goal_the_efforts_that_serve_it(project):
    files = build_report(project, 2019)
    served = {g.id: (g.served_lead, g.served) for g in files.document.goals}
    agreement = "SAMARBEJDSAFTALE – HORSENS ALLIANCEN 2018–2021"
    assert served["vaekst"] == ("Indsatser, der tjener målet:", (
        f"{agreement}: ERHVERVSTASKFORCE og FÆLLES INTERESSER.",))
    assert served["uddannelse"][1][0] == f"{agreement}: HORSENS UDDANNELSESRÅD og FÆLLES " \
        "INTERESSER."
    for text in both(files):  # named: their assessments are in the agreement's scorecard
        assert normalise(served["vaekst"][1][0]) in text


def test_2023_shows_the_mission_and_the_six_goals_of_2022_to_2025(project):
    files = build_report(project, 2023)
    doc = files.document
    assert doc.period.mission == ("Alle fortjener et arbejde. Derfor vil vi et arbejdsmarked "
                                  "for alle")
    assert len(doc.goals) == 6
    for text in both(files):
        assert "Mission: ”Alle fortjener et arbejde. Derfor vil vi et arbejdsmarked for alle”" \
            in text
        assert "1. Vi vil finde nye veje i rekrutteringsindsatsen" in text
        assert "4. Vi vil have endnu flere virksomheder til at tage social ansvar" in text
        assert "6. Vi gør det, der virker!" in text
    assert doc.subtitle == "HORSENS ALLIANCEN · ingen aftaler i kraft i 2023"
    assert [line.status.label for line in doc.dashboard.lines] == [
        "Opfyldt", "Delvist opfyldt", "Opfyldt", "Opfyldt", "Delvist opfyldt",
        "Delvist opfyldt"]
    word = docx_text(files.docx)
    # no agreement is in force: the subtitle says so, once, and nothing says it again
    assert "i kraft i 2023" not in word.replace(doc.subtitle, "", 1)
    assert "tjener målet" not in word


def test_a_year_outside_every_period_reports_the_efforts_alone(scratch, hospital_yaml):
    later = hospital_yaml.replace("  start: 2014-11-01", "  start: 2026-01-01").replace(
        "  end: 2017-12-31", "  end: 2027-12-31").replace(
        "    serves: [offentlig-forsoergelse]\n", "")
    (scratch.root / "agreements" / "later.yaml").write_text(later, encoding="utf-8")
    files = build_report(scratch, 2026)
    assert files.document.period is None
    assert [s.name for s in files.document.sections] == ["later"]
    for text in both(files):
        assert ("Der er ikke fastsat mål for HORSENS ALLIANCEN i 2026: rapporten viser "
                "indsatserne alene.") in text
        assert "Mangler evaluering." in text


def test_a_year_with_nothing_to_report_is_refused(project):
    result = run(project, "report", "2031")
    assert result.exit_code == 2
    assert result.output == (
        "Error: nothing to report for 2031: no agreement of HORSENS ALLIANCEN is in force, "
        "no period of it covers 2031, and programmes/alliance/2031.yaml does not exist: add "
        "the period to programmes/alliance.yaml (`new period alliance`), record the year's "
        "results in programmes/alliance/2031.yaml (`form export --programme alliance 2031`), "
        "or add an agreement in force in 2031 (`new agreement NAME`)\n")


@pytest.mark.parametrize("args", [["report", "1990"], ["form", "export", "--programme",
                                                      "alliance", "1990"]],
                         ids=["report", "form"])
def test_a_year_before_the_programme_began_is_refused_by_report_and_form_alike(project,
                                                                               args):
    result = run(project, *args)
    assert result.exit_code == 2
    assert result.output == ("Error: HORSENS ALLIANCEN began in 2013: there is nothing of it "
                             "in 1990\n")


def test_a_record_of_a_year_before_the_programme_began_is_a_problem_for_check(scratch):
    shutil.copy(scratch.root / "programmes" / "alliance" / "2014.yaml",
                scratch.root / "programmes" / "alliance" / "2012.yaml")
    result = run(scratch, "check")
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        "programmes/alliance/2012.yaml:4: HORSENS ALLIANCEN began in 2013: there is nothing of "
        "it in 2012 (the file is named for the year)")


def test_a_programme_without_founded_began_with_its_first_period(project):
    result = run(project, "report", "2021", "--programme", "vaekstalliancen")
    assert result.exit_code == 2
    assert result.output == ("Error: Vækstalliancen began in 2022: there is nothing of it in "
                             "2021\n")


# --- another programme -------------------------------------------------------------------

@pytest.fixture
def two_programmes(scratch, hospital_yaml):
    """An agreement of each programme in force in 2023."""
    def write(name, text):
        (scratch.root / "agreements" / f"{name}.yaml").write_text(text, encoding="utf-8")
    dated = hospital_yaml.replace("  start: 2014-11-01", "  start: 2023-01-01").replace(
        "  end: 2017-12-31", "  end: 2024-12-31").replace(
        "    serves: [offentlig-forsoergelse]\n", "")
    write("of-alliance", dated)
    write("of-growth", "programme: vaekstalliancen\n" + dated.replace(
        "  - name: JOBROTATION\n", "  - name: JOBROTATION\n    serves: [arbejdspladser]\n"))
    return scratch


def test_programme_option_builds_that_programmes_report(two_programmes):
    result = run(two_programmes, "report", "2023", "--programme", "vaekstalliancen")
    assert result.exit_code == 0, result.output
    docx, pdf = two_programmes.report_files(2023, "vaekstalliancen")
    assert result.stdout.splitlines() == [str(docx), str(pdf)]
    with pikepdf.open(pdf) as document:
        assert str(document.docinfo["/Title"]) == "Evaluering 2023 – Vækstalliancen"
        assert str(document.docinfo["/Author"]) == "Vækstalliancen"


def test_a_programmes_report_leaves_out_agreements_of_other_programmes(two_programmes):
    growth = build_report(two_programmes, 2023, programme_id="vaekstalliancen").document
    alliance = build_report(two_programmes, 2023).document
    assert [s.name for s in growth.sections] == ["of-growth"]
    assert [s.name for s in alliance.sections] == ["of-alliance"]


def test_a_programmes_quantitative_goal_of_jobs_a_year(two_programmes):
    files = build_report(two_programmes, 2023, programme_id="vaekstalliancen")
    [goal] = files.document.goals
    assert [(f.result, f.target) for f in goal.figures] == [(560, 500), (990, 1000)]
    [line] = goal.served
    assert line.endswith(": JOBROTATION.")
    [line] = files.document.dashboard.lines
    assert [c.replace("\u00a0", " ") for c in line.cells[1:]] == [
        "560 mod 500 (112 %)", "990 mod 1.000 (99 %)"]
    assert line.status.word == "på sporet"
    assert "560 mod 500 (112" in docx_text(files.docx)
    for text in both(files):
        assert "HORSENS ALLIANCEN" not in text


def test_an_agreement_alone_with_the_wrong_programme_is_refused(project):
    result = run(project, "report", "2016", "--agreement", "hospital", "--programme",
                 "vaekstalliancen")
    assert result.exit_code == 2
    assert result.output == ("Error: hospital belongs to the programme 'alliance', not "
                             "'vaekstalliancen'\n")


def test_an_unknown_programme_is_named(project):
    result = run(project, "report", "2016", "--programme", "growth")
    assert result.exit_code == 2
    assert result.output == ("Error: no programme named 'growth' in programmes/ "
                             "(known: alliance, vaekstalliancen)\n")


# --- missing evaluations ----------------------------------------------------------------

def test_agreement_in_force_without_evaluation_is_shown_as_missing(project, caplog):
    files = build_report(project, 2014)
    doc = files.document
    assert doc.missing == ("hospital",)
    assert [(s.label, s.count) for s in doc.shares if s.count] == [("mangler evaluering", 6)]
    assert ("hospital is in force in 2014 but has no evaluation (agreements/hospital/2014.yaml): "
            "reported as 'mangler evaluering'; make the partner's form with `form export "
            "hospital 2014`") in caplog.text
    for text in both(files):
        assert "Mangler evaluering." in text
        assert "1 aftale i kraft i 2014 mangler evaluering." in text


def test_strict_makes_a_missing_evaluation_an_error(project):
    result = run(project, "report", "2014", "--strict")
    assert result.exit_code == 2
    assert result.output == ("Error: hospital is in force in 2014 but has no evaluation "
                             "(agreements/hospital/2014.yaml) (--strict): make the partner's "
                             "form with `form export hospital 2014`, and import it filled in\n")


def test_agreements_not_in_force_are_left_out(scratch, hospital_yaml):
    later = hospital_yaml.replace("  start: 2014-11-01", "  start: 2018-01-01").replace(
        "  end: 2017-12-31", "  end: 2021-12-31").replace(
        "    serves: [offentlig-forsoergelse]\n", "")
    (scratch.root / "agreements" / "later.yaml").write_text(later, encoding="utf-8")
    doc = build_report(scratch, 2016).document
    assert [s.name for s in doc.sections] == ["hospital"]


# --- one agreement alone -------------------------------------------------------------------

def test_report_of_one_agreement_leaves_the_programme_figures_out(project):
    files = build_report(project, 2016, only="hospital")
    doc = files.document
    assert [s.name for s in doc.sections] == ["hospital"]
    assert doc.goals == () and doc.marks == ()
    text = pdf_text(files.pdf)
    assert "Tildelte mærker" not in text and "borgere løftet" not in text.lower()
    assert "HORSENS ALLIANCE AFTALE – Hospitalsenheden Horsens og Horsens Kommune" in text


def test_report_command_writes_both_files_and_prints_their_paths(scratch):
    result = run(scratch, "report", "2016", "--agreement", "hospital")
    assert result.exit_code == 0, result.output
    docx, pdf = scratch.report_files(2016, only="hospital")
    assert result.output.splitlines() == [str(docx), str(pdf)]
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_report_of_a_year_outside_an_agreements_term_is_refused(project):
    result = run(project, "report", "2013", "--agreement", "hospital")
    assert result.exit_code == 2
    assert "there is nothing to evaluate in 2013" in result.output


def test_report_with_a_bad_evaluation_names_file_line_field_and_writes_nothing(scratch):
    path = scratch.root / "agreements" / "hospital" / "2016.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "assessment: opfyldt", "assessment: fint", 1), encoding="utf-8")
    result = run(scratch, "report", "2016")
    assert result.exit_code == 2
    assert result.output.startswith("agreements/hospital/2016.yaml:")
    assert result.output.endswith("\nError: 1 problem(s) found\n")
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
    assert (attached["year"], attached["programme"], attached["period"]) == (
        2016, "alliance", "2014–2017")
    assert attached["figures_by_year"] == {GOAL: {"2014": 118, "2015": 164, "2016": 157}}
    assert attached["evaluations"]["hospital"] == \
        data_2016.evaluations["hospital"].model_dump(mode="json")


def _figure_alts(pdf_bytes: bytes) -> list[str]:
    alts = []
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
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
    return alts


def test_charts_are_vector_figures_with_text_alternatives(report_2016):
    [goal] = _figure_alts(report_2016.pdf)  # the efforts' assessments are a bar, in words
    assert goal.startswith("Søjlediagram over borgere løftet væk fra offentlig forsørgelse. "
                           "Pr. år, mod et mål på 150: 2014: 118, 2015: 164, 2016: 157.")
    assert "Målet er 600 ved udgangen af 2017." in goal


def test_word_charts_carry_their_text_alternative(report_2016):
    from extract import docx_xml

    xml = docx_xml(report_2016.docx)
    # the goal's chart; the efforts' assessments are a bar drawn as a table, in words
    assert xml.count('descr="Søjlediagram') == 1


def test_report_rebuild_is_byte_identical(project, report_2016):
    again = build_report(project, 2016)
    assert (again.docx, again.pdf) == (report_2016.docx, report_2016.pdf)


@pytest.mark.parametrize("year, citizens, total", [(2015, 164, 282), (2017, 173, 612)])
def test_the_shipped_example_years_build(project, year, citizens, total):
    files = build_report(project, year)
    [goal] = files.document.goals
    this_year, _, overall = goal.figures
    assert (this_year.result, overall.result) == (citizens, total)
    [line] = files.document.dashboard.lines
    assert line.year.result == citizens and line.so_far.result == total
    assert f"{citizens} mod 150" in docx_text(files.docx)


def test_every_font_is_embedded_also_in_the_charts(report_2016):
    from aftaler.archive.inspection import inspect

    assert [w for w in inspect(report_2016.pdf).warnings if "font" in w] == []
    with pikepdf.open(io.BytesIO(report_2016.pdf)) as pdf:
        names = {str(font.get("/BaseFont")) for page in pdf.pages
                 for font in page.Resources.get("/Font", {}).values()}
    assert names and all(name.split("+")[-1] in ("SourceSansPro-Regular",
                                                  "SourceSansPro-Bold") for name in names)


def test_a_programme_without_marks_has_no_marks_section(two_programmes):
    files = build_report(two_programmes, 2023, programme_id="vaekstalliancen")
    assert files.document.marks_shown is False
    for text in both(files):
        assert "Tildelte mærker" not in text
