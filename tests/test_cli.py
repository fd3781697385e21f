"""The command line, through click's CliRunner: output, exit status, files written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from aftaler.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) \
        if folder.exists() else []


def test_agreement_writes_word_and_pdf_and_prints_their_paths(scratch):
    result = run(scratch, "agreement", "hospital")
    assert result.exit_code == 0, result.output
    docx, pdf = scratch.agreement_files("hospital")
    assert result.output.splitlines() == [str(docx), str(pdf)]
    assert docx.read_bytes()[:2] == b"PK" and pdf.read_bytes()[:5] == b"%PDF-"
    assert files_under(scratch.output) == ["aftaler/aftale-hospital.docx",
                                           "aftaler/aftale-hospital.pdf"]


def test_unknown_agreement_lists_the_known_ones_and_exits_2(scratch):
    result = run(scratch, "agreement", "hotel")
    assert result.exit_code == 2
    assert result.output == ("Error: no agreement named 'hotel' in agreements/ "
                             "(known: hospital)\n")
    assert files_under(scratch.output) == []


@pytest.mark.parametrize("name", ["../hospital", "agreements/hospital", ".."])
def test_name_with_a_path_separator_or_dotdot_is_refused(scratch, name):
    result = run(scratch, "agreement", name)
    assert result.exit_code == 2
    assert "is not an agreement name" in result.output


def test_bad_definition_gives_one_line_exit_2_and_writes_nothing(scratch, hospital_yaml):
    path = scratch.root / "agreements" / "hospital.yaml"
    path.write_text(hospital_yaml.replace("  end: 2017-12-31", "  end: 2013-12-31"),
                    encoding="utf-8")
    result = run(scratch, "agreement", "hospital")
    assert result.exit_code == 2
    assert re.fullmatch(r"Error: agreements/hospital\.yaml:\d+: term\.end: must be after "
                        r"term\.start \(2014-11-01\)\n", result.output)
    assert "Traceback" not in result.output
    assert files_under(scratch.output) == []


def test_failed_build_keeps_the_previous_files_whole(scratch, monkeypatch):
    assert run(scratch, "agreement", "hospital").exit_code == 0
    docx, pdf = scratch.agreement_files("hospital")
    before = docx.read_bytes(), pdf.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("layout engine crashed")

    monkeypatch.setattr("aftaler.build.pipeline.render_pdf", broken)
    result = run(scratch, "agreement", "hospital")
    assert result.exit_code != 0
    assert (docx.read_bytes(), pdf.read_bytes()) == before
    assert files_under(scratch.output) == ["aftaler/aftale-hospital.docx",
                                           "aftaler/aftale-hospital.pdf"]


def test_all_builds_every_agreement(scratch, hospital_yaml):
    (scratch.root / "agreements" / "second.yaml").write_text(
        hospital_yaml.replace("Hospitalsenheden Horsens", "Regionshospitalet"),
        encoding="utf-8")
    result = run(scratch, "agreement", "--all")
    assert result.exit_code == 0, result.output
    assert files_under(scratch.output) == [
        "aftaler/aftale-hospital.docx", "aftaler/aftale-hospital.pdf",
        "aftaler/aftale-second.docx", "aftaler/aftale-second.pdf"]


def test_all_in_parallel_processes_writes_the_same_files(scratch, hospital_yaml, built):
    for i in range(4):
        (scratch.root / "agreements" / f"copy-{i}.yaml").write_text(hospital_yaml,
                                                                     encoding="utf-8")
    result = run(scratch, "agreement", "--all", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 10  # progress goes to stderr
    docx, pdf = scratch.agreement_files("hospital")
    assert pdf.read_bytes() == built.pdf
    copy_pdf = scratch.agreement_files("copy-3")[1].read_bytes()
    assert len(copy_pdf) > 10_000


def test_all_stops_before_writing_when_any_definition_is_bad(scratch, hospital_yaml):
    (scratch.root / "agreements" / "zz-bad.yaml").write_text(
        hospital_yaml.replace("opening:", "openning:"), encoding="utf-8")
    result = run(scratch, "agreement", "--all")
    assert result.exit_code == 2
    assert "agreements/zz-bad.yaml:" in result.output
    assert files_under(scratch.output) == []


def test_agreement_without_a_name_says_which_exist(scratch):
    result = run(scratch, "agreement")
    assert result.exit_code == 2
    assert "known: hospital" in result.output


def test_check_passes_on_the_shipped_definitions(project):
    result = run(project, "check")
    assert result.exit_code == 0
    assert result.output == "ok: alliance and 1 agreement(s): hospital\n"


def test_check_lists_every_problem_in_every_file_and_exits_2(scratch, hospital_yaml):
    agreements = scratch.root / "agreements"
    (agreements / "a.yaml").write_text(hospital_yaml.replace("opening:", "openning:"),
                                       encoding="utf-8")
    (agreements / "b.yaml").write_text(
        hospital_yaml.replace("  end: 2017-12-31", "  end: 2010-01-01"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(scratch.root), "check"])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert any(line.startswith("agreements/a.yaml:") and "openning: unknown key" in line
               for line in lines)
    assert any(line.startswith("agreements/a.yaml:") and "opening: required" in line
               for line in lines)
    assert any(line.startswith("agreements/b.yaml:") and "term.end" in line for line in lines)
    assert lines[-1] == "Error: 3 problem(s) found"


def test_list_shows_parties_and_term(project):
    result = run(project, "list")
    assert result.exit_code == 0
    assert result.output == ("hospital  Hospitalsenheden Horsens, Horsens Kommune  "
                             "(1. november 2014 – 31. december 2017)\n")


def test_schema_writes_the_json_schemas(scratch):
    import json

    from aftaler.sources.schema import json_schemas

    result = run(scratch, "schema")
    assert result.exit_code == 0
    for name, schema in json_schemas().items():
        assert json.loads((scratch.root / "schema" / name).read_text()) == schema


COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.splitlines()) > 3


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    assert f"python build.py {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


# --- names as people type them -------------------------------------------------------------

def test_a_name_in_capitals_is_told_names_are_lower_case_and_given_the_name(scratch):
    result = run(scratch, "agreement", "Hospital")
    assert result.exit_code == 2
    assert result.output == ("Error: 'Hospital' is not an agreement name: names are "
                             "lower-case; did you mean 'hospital'?\n")


def test_a_near_miss_suggests_the_closest_name(scratch):
    result = run(scratch, "agreement", "hospitl")
    assert result.exit_code == 2
    assert result.output == ("Error: no agreement named 'hospitl' in agreements/; did you "
                             "mean 'hospital'? (known: hospital)\n")


def test_a_file_name_is_told_to_give_the_name_alone(scratch):
    result = run(scratch, "agreement", "agreements/hospital.yaml")
    assert result.exit_code == 2
    assert result.output == ("Error: 'agreements/hospital.yaml' is not an agreement name: "
                             "give the name alone, not a path or file name; did you mean "
                             "'hospital'?\n")


def test_report_for_one_agreement_suggests_its_name_too(scratch):
    result = run(scratch, "report", "2016", "--agreement", "hospitl")
    assert result.exit_code == 2
    assert "did you mean 'hospital'?" in result.output
