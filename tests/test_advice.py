"""`check` warns, never fails, about what a reader of the documents would trip over."""

from __future__ import annotations

from click.testing import CliRunner

from aftaler.cli import cli


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def warnings(project) -> list[str]:
    result = run(project, "check")
    assert result.exit_code == 0, result.output  # warnings never fail
    assert result.stdout.startswith("ok: ")
    return result.stderr.splitlines()


def test_one_organisation_spelt_two_ways_in_a_programme_is_named_where_it_is(project):
    [lo] = [w for w in warnings(project) if "two spellings" in w]
    assert lo == (
        "Warning: programmes/alliance.yaml:87: periods[1].members[5].organisation: "
        "'LO Horsens Hedensted' is spelt 'LO Horsens-Hedensted' elsewhere in HORSENS "
        "ALLIANCEN (programmes/alliance.yaml:86, agreements/samarbejde-2018.yaml:32): one "
        "organisation, two spellings? The documents print each as written")


def test_titles_in_mixed_case_across_members_are_warned_about_at_the_fewer(project):
    titles = [w.split(": ")[1:3] for w in warnings(project) if "titles of" in w]
    assert titles == [
        ["programmes/alliance.yaml:87", "periods[1].members[5].title"],
        ["programmes/alliance.yaml:104", "periods[1].members[18].title"],
        ["agreements/samarbejde-2018.yaml:35", "parties.lo.signatories[1].title"],
        ["agreements/samarbejde-2018.yaml:68", "parties.casa.signatories[0].title"]]


def test_an_internal_note_in_printed_text_is_warned_about(scratch):
    path = scratch.root / "programmes" / "vaekstalliancen.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    source: >-\n", "    source: >-\n      (seed 003)\n", 1),
                    encoding="utf-8")
    [note] = [w for w in warnings(scratch) if "internal note" in w]
    assert note.startswith("Warning: programmes/vaekstalliancen.yaml:")
    assert note.endswith("periods[0].source: 'seed' reads as an internal note, and this "
                         "text is printed")


def test_spellings_that_differ_by_case_or_spaces_are_one_organisation(scratch,
                                                                     hospital_yaml):
    (scratch.root / "agreements" / "other.yaml").write_text(
        hospital_yaml.replace("name: Hospitalsenheden Horsens",
                              "name: Hospitalsenheden  horsens"), encoding="utf-8")
    found = [w for w in warnings(scratch) if "'Hospitalsenheden  horsens'" in w]
    assert len(found) == 1 and found[0].startswith("Warning: agreements/other.yaml:13: "
                                                   "parties.hospital.name:")


def test_the_shipped_definitions_carry_no_internal_note(project):
    assert [w for w in warnings(project) if "internal note" in w] == []
