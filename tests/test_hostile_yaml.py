"""Hostile YAML: every file the program reads is refused with one located line, exit 2,
quickly, writing nothing. Never a hang, a traceback or exit 1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from aftaler.cli import cli

# Ten aliases to a list of ten aliases, eight levels deep: 10^8 strings once expanded.
LAUGHS = 'lol0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"lol{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 9))

# The YAML files the commands read, found by what they are rather than where they live
# (so these tests keep working as the folders change).
AGREEMENT = "agreements/hospital.yaml"


def alliance_file(root: Path) -> Path:
    [path] = [p for p in root.rglob("alliance.yaml") if "output" not in p.parts]
    return path


def yearly_record(root: Path) -> Path:
    [path] = root.rglob("alliance/2016.yaml")
    return path


FILES = {
    "agreement": lambda root: root / AGREEMENT,
    "alliance": alliance_file,
    "yearly record": yearly_record,
}
# Each command that reads the file, with what it reads.
COMMANDS = {
    "agreement": [["check"], ["agreement", "hospital"], ["report", "2016"]],
    "alliance": [["check"], ["agreement", "hospital"], ["report", "2016"]],
    "yearly record": [["check"], ["report", "2016"]],
}
CASES = [(kind, command) for kind, commands in COMMANDS.items() for command in commands]


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def refused(project, args, path: Path, *fragments: str) -> str:
    """Exit 2, one located line naming the file, nothing written, within the guard."""
    result = run(project, *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert result.exit_code == 2, result.output
    shown = str(path.relative_to(project.root))
    problem_lines = [line for line in result.output.splitlines() if shown in line]
    assert len(problem_lines) == 1, result.output
    assert re.search(re.escape(shown) + r":\d+: ", problem_lines[0]), result.output
    for fragment in fragments:
        assert fragment in problem_lines[0]
    assert "Traceback" not in result.output
    assert not project.output.exists() or not any(
        p.is_file() for p in project.output.rglob("*"))
    return problem_lines[0]


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


@pytest.mark.parametrize(("kind", "command"), CASES, ids=[f"{k}-{c[0]}" for k, c in CASES])
def test_nested_aliases_are_refused_at_once(scratch, hang_guard, kind, command):
    path = FILES[kind](scratch.root)
    append(path, LAUGHS)
    assert len(LAUGHS) < 500  # the pattern is tiny; expanded it is 10^8 strings
    with hang_guard(30):
        refused(scratch, command, path, "anchors and aliases", "write the value out in full")


def test_a_single_alias_is_refused_too(scratch):
    path = scratch.root / AGREEMENT
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: borgmester", "title: &titel borgmester", 1)
    path.write_text(text + "\nx: *titel\n", encoding="utf-8")
    line = refused(scratch, ["agreement", "hospital"], path, "anchors and aliases")
    assert "parties.municipality.signatories[0].title" in line


@pytest.mark.parametrize(("char", "described"), [
    ("\x0b", "U+000B (vertical tab)"), ("\x01", "U+0001"), ("\x00", "U+0000 (NUL)"),
    ("\x7f", "U+007F (delete)"), ("\x1b", "U+001B (escape)"),
])
def test_a_control_character_names_file_line_column_and_what_to_remove(scratch, char,
                                                                       described):
    path = scratch.root / AGREEMENT
    text = path.read_text(encoding="utf-8")
    field = "    name: Hospitalsenheden Horsens"
    path.write_text(text.replace(field, field.replace("Hospitals", f"Hospitals{char}"), 1),
                    encoding="utf-8")
    line_no = text[:text.index(field)].count("\n") + 1
    for command in (["agreement", "hospital"], ["check"]):
        line = refused(scratch, command, path, f"control character {described}",
                       "remove it")
        assert f"{AGREEMENT}:{line_no}: " in line and "column 20" in line


@pytest.mark.parametrize("escape", ["\\x01", "\\0", "\\e", "\\uFFFE"])
def test_a_control_character_written_as_an_escape_is_refused(scratch, escape):
    path = scratch.root / AGREEMENT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    name: Horsens Kommune",
                                 f'    name: "Horsens{escape} Kommune"', 1), encoding="utf-8")
    refused(scratch, ["agreement", "hospital"], path, "parties.municipality.name",
            "control character", "remove it")


@pytest.mark.parametrize("kind", list(FILES))
def test_deep_nesting_is_refused_without_a_recursion_error(scratch, kind):
    path = FILES[kind](scratch.root)
    append(path, "deep: " + "[" * 5000 + "]" * 5000 + "\n")
    refused(scratch, COMMANDS[kind][-1], path, ": deep: nested more than 64 levels deep")


@pytest.mark.parametrize(("old", "new", "fragments"), [
    ("  start: 2014-11-01", "  start: 2014-13-45", ["term.start", "is not a date",
                                                     "month must be in 1..12"]),
    ("  start: 2014-11-01", "  start: 0000-01-01", ["term.start", "is not a date"]),
    ("title: HORSENS ALLIANCE AFTALE", "title: !!python/object:os.system ls",
     ["title", "the tag !!python/object:os.system is not supported"]),
    ("title: HORSENS ALLIANCE AFTALE", "title: !!binary aGVq", ["the tag !!binary"]),
    ("  start: 2014-11-01", "  start: !!timestamp 'i morgen'", ["term.start",
                                                                "'i morgen' is not a date"]),
    ("    value: 2", "    value: !!int ''", ["efforts[3].target.value",
                                            "'' is not a whole number"]),
    ("title: HORSENS ALLIANCE AFTALE", "title: HORSENS ALLIANCE AFTALE\n"
     "include_alliance_goal: !!bool 'ja'", ["'ja' is not true or false"]),
    ("title: HORSENS ALLIANCE AFTALE", "title: !!set {a, b}", ["the tag !!set"]),
    ("title: HORSENS ALLIANCE AFTALE", "title: " + "9" * 5000, ["title", "digits"]),
    ("    value: 2", "    value: .inf", ["efforts[3].target.value", "not a finite number"]),
    ("title: HORSENS ALLIANCE AFTALE", "title: x\n---\ntitle: y", ["more than one document"]),
])
def test_values_yaml_cannot_make_are_located_errors(scratch, old, new, fragments):
    path = scratch.root / AGREEMENT
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    refused(scratch, ["agreement", "hospital"], path, *fragments)


def test_a_file_too_large_to_be_a_definition_is_refused_unread(scratch):
    from aftaler.sources.yamlsource import MAX_BYTES

    path = scratch.root / AGREEMENT
    append(path, "# " + "x" * MAX_BYTES + "\n")
    result = run(scratch, "agreement", "hospital")
    assert result.exit_code == 2
    assert result.output.startswith(f"{AGREEMENT}: too large (")
    assert result.output.endswith("\nError: 1 problem(s) found\n")
    assert result.output.count("\n") == 2


def test_a_text_of_100_kb_is_refused_with_its_field(scratch):
    path = scratch.root / AGREEMENT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("opening: >-", f"opening: {'ord ' * 25_000}\nx: >-", 1),
                    encoding="utf-8")
    line = refused(scratch, ["agreement", "hospital"], path, "opening: 99,999 characters "
                   "long; one value holds at most 10,000")
    assert len(line) < 200


def test_a_key_with_a_line_break_keeps_the_error_on_one_line(scratch):
    path = scratch.root / AGREEMENT
    append(path, '"kom\\nmentar": x\n')
    line = refused(scratch, ["agreement", "hospital"], path, "kom\\nmentar: unknown key")
    assert "\n" not in line


def test_a_file_saved_in_another_encoding_names_the_line(scratch):
    path = scratch.root / AGREEMENT
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1252"))  # Notepad's 'ANSI': æ, ø, å as single bytes
    first = next(i for i, line in enumerate(text.splitlines(), 1)
                 if any(c in line for c in "æøåÆØÅ–"))
    line = refused(scratch, ["agreement", "hospital"], path, "not UTF-8 text")
    assert f"{AGREEMENT}:{first}: " in line
