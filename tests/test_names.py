"""Names of agreements and programmes: one rule for files and for names typed, what breaks
it said in words, a valid name to use instead, and every other agreement still working."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from aftaler import names
from aftaler.cli import cli


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def add_agreement(project, file_name: str) -> None:
    folder = project.root / "agreements"
    (folder / file_name).write_text((folder / "hospital.yaml").read_text(encoding="utf-8"),
                                    encoding="utf-8")


RULE_PARTS = "only lower-case letters a-z, digits, '-' and '_'"
BADLY_NAMED = [
    ("velux danmark.yaml", f"a space cannot be in a name, {RULE_PARTS}", "velux-danmark"),
    ("sønderborg.yaml", f"'ø' cannot be in a name, {RULE_PARTS}", "soenderborg"),
    ("Velux.yaml", "names are lower-case", "velux"),
    ("velux.2026.yaml", f"'.' cannot be in a name, {RULE_PARTS}", "velux-2026"),
    ("-rf.yaml", "it starts with '-'; a name starts with a lower-case letter or a digit", "rf"),
    ("x" * 240 + ".yaml", "it is 240 characters long; a name has at most 64 (it becomes part "
     "of file names)", "x" * 64),
]
IDS = [case[0][:20] for case in BADLY_NAMED]


@pytest.mark.parametrize(("file_name", "why", "valid"), BADLY_NAMED, ids=IDS)
def test_check_names_a_badly_named_file_and_the_name_to_rename_it_to(scratch, file_name,
                                                                     why, valid):
    add_agreement(scratch, file_name)
    result = run(scratch, "check")
    assert result.exit_code == 2
    assert result.output == (f"agreements/{file_name}: the file name is not an agreement "
                             f"name: {why}: rename it to {valid}.yaml\n"
                             "Error: 1 problem(s) found\n")


@pytest.mark.parametrize(("file_name", "why", "valid"), BADLY_NAMED, ids=IDS)
def test_list_shows_every_other_agreement_and_what_to_rename_the_file_to(scratch, file_name,
                                                                         why, valid):
    add_agreement(scratch, file_name)
    result = run(scratch, "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines if "HORSENS ALLIANCEN" in line] == [
        "hospital", "samarbejde-2018"]
    [row] = [line for line in lines if line.startswith(file_name)]
    assert row.split("  ", 1)[1].strip() == (
        f"not read: the file name is not an agreement name (rename it to {valid}.yaml; "
        "`aftaler check` says why)")


def test_agreement_all_builds_every_other_agreement_then_names_the_file(scratch):
    add_agreement(scratch, "velux danmark.yaml")
    result = run(scratch, "agreement", "--all")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        str(p) for name in ("hospital", "samarbejde-2018") for p in scratch.agreement_files(name)]
    assert result.stderr == (
        "agreements/velux danmark.yaml: the file name is not an agreement name: a space "
        f"cannot be in a name, {RULE_PARTS}: rename it to velux-danmark.yaml\n"
        "Error: 1 file(s) in agreements/ not built: rename them, then build again\n")


def test_the_name_of_a_badly_named_file_typed_says_to_rename_the_file(scratch):
    add_agreement(scratch, "velux danmark.yaml")
    (scratch.root / "agreements" / "velux danmark").mkdir()
    result = run(scratch, "agreement", "velux danmark")
    assert result.exit_code == 2
    assert result.output == (
        "Error: agreements/velux danmark.yaml: the file name is not an agreement name: a space "
        f"cannot be in a name, {RULE_PARTS}: rename it to velux-danmark.yaml, and its folder "
        "of yearly records velux danmark/ to velux-danmark/\n")


def test_a_suggested_name_is_never_one_that_is_taken(scratch):
    add_agreement(scratch, "Hospital.yaml")
    assert "rename it to hospital-2.yaml" in run(scratch, "check").output


def test_a_badly_named_programme_file_is_named_too(scratch):
    folder = scratch.root / "programmes"
    (folder / "Vækst.yaml").write_text((folder / "vaekstalliancen.yaml").read_text("utf-8"),
                                       encoding="utf-8")
    result = run(scratch, "check")
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        "programmes/Vækst.yaml: the file name is not a programme name: capitals and 'æ' cannot "
        f"be in a name, {RULE_PARTS}: rename it to vaekst.yaml")


# --- names typed ---------------------------------------------------------------------------

def test_a_name_starting_with_a_dash_is_told_the_rule_it_breaks(scratch):
    result = run(scratch, "agreement", "--", "-rf")
    assert result.exit_code == 2
    assert result.output == ("Error: '-rf' is not an agreement name: it starts with '-'; a "
                             "name starts with a lower-case letter or a digit (known: "
                             "hospital, samarbejde-2018)\n")


def test_a_name_too_long_for_a_file_is_refused_before_any_build(scratch):
    result = run(scratch, "agreement", "h" * 240)
    assert result.exit_code == 2
    assert result.output.startswith("Error: 'hhhh")
    assert ("is not an agreement name: it is 240 characters long; a name has at most 64 (it "
            "becomes part of file names) (known: hospital, samarbejde-2018)\n") in result.output
    assert not scratch.output.exists()


def test_a_programme_typed_short_is_suggested_in_full(scratch):
    result = run(scratch, "report", "2023", "--programme", "vaekst")
    assert result.exit_code == 2
    assert result.output == ("Error: no programme named 'vaekst' in programmes/; did you mean "
                             "'vaekstalliancen'? (known: alliance, vaekstalliancen)\n")


def test_form_export_suggests_the_programme_too(scratch):
    result = run(scratch, "form", "export", "--programme", "aliance", "2019")
    assert result.exit_code == 2
    assert "did you mean 'alliance'?" in result.output


def test_archive_list_of_a_misspelt_agreement_suggests_the_archived_one(scratch, tmp_path):
    assert run(scratch, "agreement", "hospital").exit_code == 0
    assert run(scratch, "archive", "add").exit_code == 0
    result = run(scratch, "archive", "list", "--agreement", "hospitel")
    assert result.exit_code == 2
    assert result.output == ("Error: no agreement named 'hospitel' in the archive or the "
                             "project; did you mean 'hospital'? (archived: hospital)\n")


def test_archive_list_of_an_agreement_not_archived_yet_is_no_error(scratch):
    assert run(scratch, "agreement", "hospital").exit_code == 0
    assert run(scratch, "archive", "add").exit_code == 0
    result = run(scratch, "archive", "list", "--agreement", "samarbejde-2018")
    assert result.exit_code == 0
    assert result.output == "no documents match\n"


# --- the rule itself -------------------------------------------------------------------------

@given(st.text(max_size=100))
def test_a_suggested_name_is_valid_and_never_the_bad_name_again(text):
    suggestion = names.valid_form(text)
    if suggestion is not None:
        assert names.is_name(suggestion)
        assert suggestion != text or names.is_name(text)


@given(st.text(max_size=100))
def test_a_name_breaks_the_rule_exactly_when_a_breach_is_stated(text):
    assert (names.breach(text) == "") == names.is_name(text)


def test_every_file_made_from_the_longest_name_fits_the_file_system(scratch):
    import shutil

    name = "x" * names.MAX_LENGTH
    add_agreement(scratch, f"{name}.yaml")
    shutil.copytree(scratch.root / "agreements" / "hospital", scratch.root / "agreements" / name)
    assert run(scratch, "check").exit_code == 0
    for args in (["agreement", name], ["report", "2016", "--agreement", name],
                 ["form", "export", name, "2017"]):
        result = run(scratch, *args)
        assert result.exit_code == 0, result.output
    assert (scratch.reports_output / f".evaluering-2016-{name}.build.json").is_file()


def test_a_pdf_whose_file_name_is_too_long_to_store_is_archived_under_a_shorter_one(scratch):
    import json

    assert run(scratch, "agreement", "hospital").exit_code == 0
    long_name = "underskrevet-aftale-" + "ø" * 110 + ".pdf"  # 243 bytes of UTF-8
    assert len(long_name.encode()) > 240
    inbox = scratch.root / "fra-penneo"
    inbox.mkdir()
    (inbox / long_name).write_bytes(scratch.agreement_files("hospital")[1].read_bytes())
    result = run(scratch, "archive", "add", str(inbox / long_name))
    assert result.exit_code == 0, result.output
    [record] = json.loads((scratch.root / "archive" / "manifest.json").read_text())["documents"]
    assert record["original_name"] == long_name
    stored = scratch.root / "archive" / record["path"]
    assert stored.is_file() and len(stored.name.encode()) <= 204
    assert stored.name.startswith("underskrevet-aftale-øøø") and stored.suffix == ".pdf"
    assert run(scratch, "archive", "verify").exit_code == 0
