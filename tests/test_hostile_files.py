"""Files that are not what they seem: every definition and record is read only as a
regular file inside the project. A link leading out of the project is refused without
being read (nothing of what it leads to is shown); a named pipe, a folder or a device
where a file should be is named as what it is. Exit 2, one line, never a hang."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from aftaler.cli import cli

SECRET = "root:$6$hemmeligt-salt$hash-der-ikke-maa-ses:19000:0:99999:7:::"

# Where a file is read from, and the commands that read it.
PLACES = {
    "agreement": ("agreements/hospital.yaml", [["check"], ["agreement", "hospital"]]),
    "programme": ("programmes/alliance.yaml", [["check"], ["agreement", "hospital"]]),
    "evaluation": ("agreements/hospital/2016.yaml", [["check"], ["report", "2016"]]),
    "programme's results": ("programmes/alliance/2016.yaml", [["check"], ["report", "2016"]]),
}
CASES = [(place, command) for place, (_, commands) in PLACES.items() for command in commands]
IDS = [f"{place}-{command[0]}" for place, command in CASES]


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def refused(project, args, relative: str, *fragments: str) -> str:
    result = run(project, *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if relative in line]
    assert len(lines) == 1, result.output
    for fragment in fragments:
        assert fragment in lines[0], result.output
    assert "Traceback" not in result.output
    assert not project.output.exists() or not any(
        p.is_file() for p in project.output.rglob("*"))
    return result.output


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the project (the scratch project is tmp_path itself)."""
    folder = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(("place", "command"), CASES, ids=IDS)
def test_a_link_to_a_secret_outside_the_project_is_refused_unread(scratch, outside, place,
                                                                  command):
    relative = PLACES[place][0]
    secret = outside / "shadow"
    secret.write_text(f"{SECRET}\nbin:*:18000:0:99999:7:::\n", encoding="utf-8")
    path = scratch.root / relative
    path.unlink()
    path.symlink_to(secret)
    output = refused(scratch, command, relative, "a link to a file outside the project")
    assert "root" not in output and "hemmeligt" not in output and "bin:" not in output


@pytest.mark.parametrize("place", list(PLACES))
def test_a_link_outside_to_a_valid_copy_is_refused_all_the_same(scratch, outside, place):
    relative, commands = PLACES[place]
    path = scratch.root / relative
    copy = outside / path.name
    copy.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(copy)
    refused(scratch, commands[-1], relative, "outside the project")


def test_a_link_through_a_folder_that_leads_outside_is_refused(scratch, outside):
    records = scratch.root / "agreements" / "hospital"
    moved = outside / "hospital"
    records.rename(moved)
    records.symlink_to(moved, target_is_directory=True)
    refused(scratch, ["report", "2016"], "agreements/hospital/2016.yaml", "outside the project")


def test_a_link_inside_the_project_is_read_like_the_file(scratch):
    (scratch.root / "agreements" / "kopi.yaml").symlink_to("hospital.yaml")
    result = run(scratch, "agreement", "kopi")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("place", "command"), CASES, ids=IDS)
def test_a_named_pipe_is_named_and_refused_without_waiting_for_a_writer(scratch, hang_guard,
                                                                         place, command):
    relative = PLACES[place][0]
    path = scratch.root / relative
    path.unlink()
    os.mkfifo(path)
    with hang_guard(60):
        refused(scratch, command, relative, "a named pipe (FIFO), not a file")


@pytest.mark.parametrize(("place", "command"), CASES, ids=IDS)
def test_a_folder_where_a_file_should_be_is_named_and_refused(scratch, place, command):
    relative = PLACES[place][0]
    path = scratch.root / relative
    path.unlink()
    path.mkdir()
    refused(scratch, command, relative, "a folder, not a file")


@pytest.mark.parametrize("make", ["folder", "pipe"])
def test_an_agreement_that_is_not_a_file_is_not_an_unknown_name(scratch, hang_guard, make):
    path = scratch.root / "agreements" / "mappe.yaml"
    path.mkdir() if make == "folder" else os.mkfifo(path)
    with hang_guard(60):
        output = refused(scratch, ["agreement", "mappe"], "agreements/mappe.yaml",
                         "not a file")
    assert "no agreement named" not in output and "did you mean" not in output


def test_a_device_where_a_record_should_be_is_refused(scratch, hang_guard):
    path = scratch.root / "agreements" / "hospital" / "2016.yaml"
    path.unlink()
    path.symlink_to("/dev/zero")  # outside the project, and endless: refused unread
    with hang_guard(60):
        refused(scratch, ["report", "2016"], "agreements/hospital/2016.yaml",
                "outside the project")


# --- files a command is given -----------------------------------------------------------

GIVEN = {
    "verify": lambda pipe, tmp: ["verify", pipe],
    "verify --trust": lambda pipe, tmp: ["verify", tmp / "a.pdf", "--trust", pipe],
    "sign": lambda pipe, tmp: ["sign", pipe, "--field", "F", "--p12", tmp / "a.p12"],
    "sign --p12": lambda pipe, tmp: ["sign", tmp / "a.pdf", "--field", "F", "--p12", pipe],
    "archive add": lambda pipe, tmp: ["archive", "--archive", tmp / "arkiv", "add", pipe],
    "preflight": lambda pipe, tmp: ["preflight", pipe],
}


@pytest.mark.parametrize("command", list(GIVEN))
def test_a_named_pipe_given_to_a_command_is_refused_at_once(built, tmp_path, hang_guard,
                                                            command):
    pipe = tmp_path / "aftale.pdf"
    os.mkfifo(pipe)
    (tmp_path / "a.pdf").write_bytes(built.pdf)
    (tmp_path / "a.p12").write_bytes(b"not read before the PDF")
    args = [str(a) for a in GIVEN[command](pipe, tmp_path)]
    with hang_guard(60):
        result = CliRunner().invoke(cli, args, env={"AFTALER_P12_PASSPHRASE": "x"})
    assert result.exit_code == 2, result.output
    assert "a named pipe (FIFO), not a file" in result.output
    assert "Traceback" not in result.output
