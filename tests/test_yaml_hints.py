"""YAML mistakes typed by hand are told in words, at the line where they are, with what to
write instead: `check` and `agreement` say the same, exit 2, one line per problem."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aftaler.cli import cli

AGREEMENT = "agreements/hospital.yaml"


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def problem_after(scratch, hospital_yaml: str, old: str, new: str, command=("check",)) -> str:
    assert old in hospital_yaml
    (scratch.root / AGREEMENT).write_text(hospital_yaml.replace(old, new, 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(scratch.root), *command])
    assert result.exit_code == 2
    first, summary = result.output.splitlines()
    assert summary == "Error: 1 problem(s) found"
    return first


def test_an_unclosed_quote_is_told_at_the_line_where_it_begins(scratch, hospital_yaml):
    line = line_of(hospital_yaml, "title: HORSENS")
    assert hospital_yaml.count("\n") > line + 100  # the parser fails at the file's end
    assert problem_after(scratch, hospital_yaml, "title: HORSENS ALLIANCE AFTALE",
                         'title: "HORSENS ALLIANCE AFTALE') == (
        f'{AGREEMENT}:{line}: invalid YAML: the quote " that begins the text here is never '
        'closed: end the text with "')


def test_an_unclosed_single_quote_says_how_to_write_one_inside_a_text(scratch, hospital_yaml):
    line = line_of(hospital_yaml, "title: HORSENS")
    assert problem_after(scratch, hospital_yaml, "title: HORSENS ALLIANCE AFTALE",
                         "title: 'HORSENS ALLIANCE AFTALE") == (
        f"{AGREEMENT}:{line}: invalid YAML: the quote ' that begins the text here is never "
        "closed: end the text with ' (a ' inside a text in '…' is written twice: '')")


def test_a_colon_inside_an_unquoted_text_is_told_to_put_the_text_in_quotes(scratch,
                                                                          hospital_yaml):
    line = line_of(hospital_yaml, "- name: JOBROTATION")
    assert problem_after(scratch, hospital_yaml, "- name: JOBROTATION",
                         "- name: JOBROTATION: ny") == (
        f'{AGREEMENT}:{line}: invalid YAML: a colon and a space inside a text: put the text in '
        'quotes, e.g. name: "JOBROTATION: ny"')


@pytest.mark.parametrize(("old", "new", "example"), [
    ("title: HORSENS ALLIANCE AFTALE", "title HORSENS ALLIANCE AFTALE",
     "title: HORSENS ALLIANCE AFTALE"),
    ("opening: >-", "opening >-", "opening: >-"),
    ("        title: borgmester", "        title borgmester", "title: borgmester"),
    ("  end: 2017-12-31", "  end 2017-12-31", "end: 2017-12-31"),
], ids=["before-a-key", "before-a-block", "last-in-a-list-item", "at-the-end"])
def test_a_missing_colon_is_told_at_its_own_line(scratch, hospital_yaml, old, new, example):
    line = line_of(hospital_yaml, old)
    assert problem_after(scratch, hospital_yaml, old, new) == (
        f"{AGREEMENT}:{line}: invalid YAML: a colon is missing after the key: write the key, "
        f"a colon and a space (`{example}`?)")


def test_agreement_says_it_as_check_does(scratch, hospital_yaml):
    line = line_of(hospital_yaml, "opening: >-")
    assert problem_after(scratch, hospital_yaml, "opening: >-", "opening >-",
                         command=("agreement", "hospital")).startswith(f"{AGREEMENT}:{line}: ")


def test_an_unclosed_list_is_told_where_it_begins(scratch, hospital_yaml):
    old = "    serves: [offentlig-forsoergelse]"
    line = line_of(hospital_yaml, old)
    assert problem_after(scratch, hospital_yaml, old, old[:-1]) == (
        f"{AGREEMENT}:{line}: invalid YAML: the [ begun here is not closed: end it with ] "
        "(and separate its items with commas)")


def test_a_key_out_of_line_is_told_to_line_up(scratch, hospital_yaml):
    line = line_of(hospital_yaml, "        title: borgmester")
    assert problem_after(scratch, hospital_yaml, "        title: borgmester",
                         "       title: borgmester") == (
        f"{AGREEMENT}:{line}: invalid YAML: this line is not indented like the lines above "
        "it: keys of one level start in the same column, a level deeper two spaces further in")


def test_a_tab_is_told_to_be_spaces(scratch, hospital_yaml):
    line = line_of(hospital_yaml, "        title: borgmester")
    assert problem_after(scratch, hospital_yaml, "        title: borgmester",
                         "\ttitle: borgmester") == (
        f"{AGREEMENT}:{line}: invalid YAML: a tab: indent with spaces, not tabs")


def test_text_after_a_closing_quote_is_told_to_quote_it_all(scratch, hospital_yaml):
    line = line_of(hospital_yaml, "        title: borgmester")
    assert problem_after(scratch, hospital_yaml, "        title: borgmester",
                         "        title: 'Hans' bog'") == (
        f"{AGREEMENT}:{line}: invalid YAML: text after the closing quote: put the whole text "
        "in quotes (a ' inside a text in '…' is written twice: '')")
