"""`new agreement NAME` and `new period ID`: definitions begun in the current format, with
every value to fill in empty; `check` names each one, with what goes in it, until the
definition is filled in, and then it builds."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from extract import pdf_text

from aftaler.cli import cli
from aftaler.sources import skeletons
from aftaler.sources.yamlsource import parse

FILLED = {  # what a secretary would type, field by field
    "parties.velux.name": "Velux Danmark A/S",
    "parties.velux.signatories[0].name": "Jens Jensen",
    "parties.velux.signatories[0].title": "direktør",
    "parties.municipality.signatories[0].name": "Peter Sørensen",
    "opening": "Med denne aftale indgås et samarbejde mellem Velux og Horsens Kommune.",
    "efforts[0].name": "JOBROTATION",
    "efforts[0].commitments.velux": "Velux forpligter sig på at lave et rotationsforløb",
    "efforts[0].commitments.municipality": "Horsens Kommune finder rotationsvikarer",
    "term.start": "1.1.2027",
    "term.end": "31. december 2029",
}
EMPTY = re.compile(r"^agreements/velux\.yaml:(\d+): (\S+): empty: fill it in \((.+)\)$")


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def empty_values(project) -> list[tuple[int, str, str]]:
    """What `check` says is still to fill in: (line, field, what goes there)."""
    result = run(project, "check")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[-1] == f"Error: {len(lines) - 1} problem(s) found"
    found = [EMPTY.match(line) for line in lines[:-1]]
    assert all(found), lines
    return [(int(m[1]), m[2], m[3]) for m in found]


def fill_in(path, values: dict[str, str], empty: list[tuple[int, str, str]]) -> None:
    """Type each value on the line `check` named for its field."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for line, field, _ in empty:
        lines[line - 1] = re.sub(r":\s*(#.*)?$", f": {values[field]}", lines[line - 1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_new_agreement_writes_a_skeleton_and_prints_its_path(scratch):
    result = run(scratch, "new", "agreement", "velux")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{scratch.root / 'agreements' / 'velux.yaml'}\n"
    assert result.stderr == ("fill in its empty values: `aftaler check` names each one still "
                             "empty\n")
    text = (scratch.root / "agreements" / "velux.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/agreement.schema.json\n")
    assert "begun with `aftaler new agreement velux`" in text


def test_check_names_every_value_to_fill_in_with_what_goes_there(scratch):
    run(scratch, "new", "agreement", "velux")
    empty = empty_values(scratch)
    assert [field for _, field, _ in empty] == list(FILLED)
    assert dict((f, what) for _, f, what in empty)["term.start"] == (
        "first day the agreement is in force: 2014-11-01, 1.11.2014 or 1. november 2014")


def test_the_readme_shows_what_check_says_of_a_new_agreement(scratch):
    from pathlib import Path

    run(scratch, "new", "agreement", "velux")
    result = run(scratch, "check")
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for line in result.output.splitlines()[:3] + result.output.splitlines()[-2:]:
        assert line in readme, line


def test_a_new_agreement_filled_in_where_check_says_passes_check_and_builds(scratch):
    run(scratch, "new", "agreement", "velux")
    path = scratch.root / "agreements" / "velux.yaml"
    fill_in(path, FILLED, empty_values(scratch))
    result = run(scratch, "check")
    assert result.exit_code == 0, result.output
    velux = scratch.definitions.agreement("velux").model
    assert velux.term.start == dt.date(2027, 1, 1)
    assert velux.title is None and velux.programme == "alliance"
    result = run(scratch, "agreement", "velux")
    assert result.exit_code == 0, result.output
    text = pdf_text(scratch.agreement_files("velux")[1].read_bytes())
    assert "Velux Danmark A/S" in text and "Aftalens indhold evalueres årligt" in text


def test_the_skeleton_offers_notice_and_signing_commented_out_and_they_work_uncommented(
        scratch):
    run(scratch, "new", "agreement", "velux")
    path = scratch.root / "agreements" / "velux.yaml"
    fill_in(path, FILLED, empty_values(scratch))
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^# notice: 3 måneder +# ", text, re.MULTILINE)
    assert re.search(r"^# signing: nemlogin +# ", text, re.MULTILINE)
    assert scratch.definitions.agreement("velux").model.notice is None
    path.write_text(text.replace("# notice: 3 måneder", "notice: 3 måneder")
                    .replace("# signing: nemlogin", "signing: nemlogin"), encoding="utf-8")
    assert run(scratch, "check").exit_code == 0
    velux = scratch.definitions.agreement("velux").model
    assert velux.notice_date == dt.date(2029, 9, 30) and velux.signing == "nemlogin"


def test_list_shows_a_new_agreement_as_still_to_fill_in(scratch):
    run(scratch, "new", "agreement", "velux")
    assert "velux            invalid: 10 problem(s), run `aftaler check`" in \
        run(scratch, "list").output


def test_the_skeleton_lists_the_goals_of_the_period_to_come(alliance):
    text = skeletons.agreement("velux", "alliance", alliance, 2023, "python build.py")
    assert "#   2022–2025:\n#     rekruttering: Vi vil finde nye veje i rekrutteringsindsatsen" \
        in text
    assert "offentlig-forsoergelse" not in text and "No period" not in text
    later = skeletons.agreement("velux", "alliance", alliance, 2030, "python build.py")
    assert ("# No period of HORSENS ALLIANCEN covers 2030 yet (`new period alliance` adds "
            "one);\n# the last one's goals:\n#   2022–2025:") in later


def test_new_agreement_of_another_programme(scratch):
    result = run(scratch, "new", "agreement", "vaekst-2027", "--programme", "vaekstalliancen")
    assert result.exit_code == 0, result.output
    text = (scratch.root / "agreements" / "vaekst-2027.yaml").read_text(encoding="utf-8")
    assert "\nprogramme: vaekstalliancen\n" in text
    assert "#     arbejdspladser: Vækst i antallet af arbejdspladser" in text
    assert "\n  vaekst-2027:" in text and "\n      vaekst-2027:" in text


def test_a_name_that_cannot_be_a_party_id_makes_the_partner_partner(scratch):
    assert run(scratch, "new", "agreement", "2027-velux").exit_code == 0
    text = (scratch.root / "agreements" / "2027-velux.yaml").read_text(encoding="utf-8")
    assert "\n  partner:" in text and "\n      partner:" in text


@pytest.mark.parametrize(("args", "message"), [
    (["Velux Danmark"], "Error: 'Velux Danmark' cannot be an agreement's name: capitals and a "
     "space cannot be in a name, only lower-case letters a-z, digits, '-' and '_': give "
     "'velux-danmark' (`aftaler new agreement velux-danmark`)\n"),
    (["--", "-rf"], "Error: '-rf' cannot be an agreement's name: it starts with '-'; a name "
     "starts with a lower-case letter or a digit: give 'rf' (`aftaler new agreement rf`)\n"),
    (["hospital"], "Error: agreements/hospital.yaml exists already: edit it, or give the new "
     "agreement another name\n"),
    (["alliance"], "Error: 'alliance' is the programme defined in programmes/alliance.yaml: "
     "give the agreement another name\n"),
    (["velux", "--programme", "vaekst"], "Error: no programme named 'vaekst' in programmes/; "
     "did you mean 'vaekstalliancen'? (known: alliance, vaekstalliancen)\n"),
], ids=["capitals", "dash", "exists", "programme", "unknown-programme"])
def test_new_agreement_refuses_in_one_line(scratch, args, message):
    before = sorted(p.name for p in (scratch.root / "agreements").iterdir())
    result = run(scratch, "new", "agreement", *args)
    assert result.exit_code == 2
    assert result.output == message
    assert sorted(p.name for p in (scratch.root / "agreements").iterdir()) == before


# --- new period ------------------------------------------------------------------------------

def test_new_period_adds_the_next_period_and_keeps_the_rest_of_the_file(scratch):
    path = scratch.root / "programmes" / "alliance.yaml"
    before = path.read_text(encoding="utf-8")
    result = run(scratch, "new", "period", "alliance")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}\n"
    assert result.stderr == ("added the period 2026–2029 of HORSENS ALLIANCEN: fill in its "
                             "goals: `aftaler check` names each value still empty\n")
    after = path.read_text(encoding="utf-8")
    old, new = before.splitlines(), after.splitlines()
    added = len(new) - len(old)
    at = next(i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b)
    assert new[:at] + new[at + added:] == old  # every line, comments too, as it was
    assert new[at:at + 2] == ["  - start: 2026", "    end: 2029"]
    assert new[at + added] == "marks:"


def test_a_programme_saved_again_while_new_period_reads_it_is_left_as_saved(
        scratch, saved_after_loading):
    path = scratch.root / "programmes" / "alliance.yaml"
    saved_after_loading(path, "# saved\n")
    result = run(scratch, "new", "period", "alliance")
    assert result.exit_code == 2
    assert result.output == ("Error: programmes/alliance.yaml: changed while it was being "
                             "read: run the command again\n")
    assert path.read_text(encoding="utf-8").endswith("# saved\n")


def test_check_names_the_new_periods_goal_until_it_is_filled_in(scratch):
    run(scratch, "new", "period", "alliance")
    result = run(scratch, "check")
    assert result.exit_code == 2
    [problem, summary] = result.output.splitlines()
    line = int(problem.split(":")[1])
    assert problem == (f"programmes/alliance.yaml:{line}: periods[3].goals.goal-1.title: "
                       "empty: fill it in (the goal in words, as its source states it)")
    path = scratch.root / "programmes" / "alliance.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = "        title: Flere i job"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run(scratch, "check").exit_code == 0
    period = scratch.definitions.programme("alliance").model.period_of(2027)
    assert (period.years, list(period.goals)) == ("2026–2029", ["goal-1"])


def test_an_open_ended_last_period_needs_a_start_and_is_then_given_an_end(scratch):
    result = run(scratch, "new", "period", "vaekstalliancen")
    assert result.exit_code == 2
    assert result.output == ("Error: programmes/vaekstalliancen.yaml: the last period of "
                             "Vækstalliancen (fra 2022) has no end: give --start YEAR for the "
                             "new one (the last one then ends the year before)\n")
    result = run(scratch, "new", "period", "vaekstalliancen", "--start", "2027")
    assert result.exit_code == 0, result.output
    assert "the period fra 2022 now ends in 2026" in result.stderr
    path = scratch.root / "programmes" / "vaekstalliancen.yaml"
    periods = parse(path.read_text(encoding="utf-8"), "x")[0]["periods"]
    assert [(p["start"], p["end"]) for p in periods] == [(2022, 2026), (2027, 2030)]


def test_a_new_period_may_not_overlap_the_last(scratch):
    before = (scratch.root / "programmes" / "alliance.yaml").read_bytes()
    result = run(scratch, "new", "period", "alliance", "--start", "2024")
    assert result.exit_code == 2
    assert result.output == ("Error: programmes/alliance.yaml: a period from 2024 would "
                             "overlap the last period of HORSENS ALLIANCEN (2022–2025): start "
                             "after 2025\n")
    assert (scratch.root / "programmes" / "alliance.yaml").read_bytes() == before


@pytest.mark.parametrize("periods", ["periods: []\n", ""])
def test_a_programme_without_periods_gets_its_first(periods):
    from aftaler.sources.programme import Programme

    text = f"name: X\ndescription: Y\nfounded: 2020\n{periods}"
    programme = Programme.model_validate(parse(text, "x")[0])
    new = skeletons.next_period(programme, text, year=2026)
    data = parse(new.text, "x")[0]
    assert [p["start"] for p in data["periods"]] == [2020]
    assert (new.start, new.end) == (2020, 2023)
