"""The archive under concurrent and killed commands: complete and verifiable after each.

Real processes: `build.py` subprocesses started together, and forked children (the
modules already imported, so a kill can land anywhere in an addition) killed with
SIGKILL at random moments.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from aftaler.archive.lock import exclusive
from aftaler.archive.store import JOURNAL, Archive
from aftaler.cli import cli

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX processes")


def small_pdf(label: str) -> bytes:
    """A one-page PDF with its own bytes (archiving it is fast: no fonts, no fields)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Title"] = label
    pdf.docinfo["/CreationDate"] = "D:20160101000000Z"
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdfs(folder: Path, count: int, prefix: str = "notat") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"{prefix}-{i}.pdf"
        path.write_bytes(small_pdf(f"{prefix} {i}"))
        paths.append(path)
    return paths


def assert_sound(arch: Path) -> list:
    """`archive verify` finds nothing wrong; sha256sum agrees; return the records."""
    problems, _ = Archive(arch).verify()
    assert problems == []
    records = Archive(arch).records()
    if records:
        check = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=arch,
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    return records


# --- processes: forked after the imports, so they start at once -------------------------

class Child:
    """`archive add FILES` in a forked process, its output collected through a pipe."""

    def __init__(self, arch: Path, files: list[Path], go: tuple[int, int] | None = None):
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            try:
                os.close(read_end)
                if go is not None:  # wait for the start signal: the pipe's closing
                    os.close(go[1])
                    os.read(go[0], 1)
                out = os.fdopen(write_end, "w", buffering=1)  # line by line
                sys.stdout = sys.stderr = out
                os.dup2(write_end, 1)
                os.dup2(write_end, 2)
                cli.main(["--project", str(arch.parent), "archive", "--archive", str(arch),
                          "add", *[str(f) for f in files]], standalone_mode=False)
                out.flush()
                os._exit(0)
            except BaseException:
                os._exit(3)
        os.close(write_end)
        self.read_end = read_end

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> tuple[str, int | None]:
        """(output, exit status), status None if it was killed."""
        with os.fdopen(self.read_end) as pipe:
            output = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        return output, None if os.WIFSIGNALED(status) else os.waitstatus_to_exitcode(status)


# --- commands at the same time ----------------------------------------------------------

def test_processes_adding_different_files_at_once_all_get_archived(tmp_path):
    arch = tmp_path / "archive"
    Archive(arch).add(small_pdf("first"), "first.pdf")  # the imports, before forking
    files = pdfs(tmp_path / "in", 8 * 3)
    go_read, go_write = os.pipe()
    children = [Child(arch, files[3 * i:3 * i + 3], (go_read, go_write)) for i in range(8)]
    os.close(go_write)  # all start now
    os.close(go_read)
    for child in children:
        output, status = child.wait()
        assert status == 0, output
        assert output.count("archived: ") == 3, output
    records = assert_sound(arch)
    assert sorted(r.original_name for r in records) == sorted(
        ["first.pdf", *(f.name for f in files)])
    for f in files:
        [record] = [r for r in records if r.original_name == f.name]
        assert (arch / record.path).read_bytes() == f.read_bytes()


def test_build_py_processes_started_together_all_archive(tmp_path):
    """The same through the command line itself, as a secretary and a scheduled job."""
    files = pdfs(tmp_path / "in", 3)
    arch = tmp_path / "archive"
    command = [sys.executable, str(ROOT / "build.py"), "--project", str(tmp_path),
               "archive", "--archive", str(arch), "add"]
    processes = [subprocess.Popen([*command, str(f)], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True) for f in files]
    for process in processes:
        output = process.communicate(timeout=120)[0]
        assert process.returncode == 0, output
        assert "archived: " in output
    records = assert_sound(arch)
    assert sorted(r.original_name for r in records) == sorted(f.name for f in files)


class Holder:
    """Another command holding the archive's lock, in a thread, until released."""

    def __init__(self, arch: Path):
        held, self.released = threading.Event(), threading.Event()

        def hold() -> None:
            with exclusive(arch, timeout=1):
                held.set()
                self.released.wait()

        self.thread = threading.Thread(target=hold, daemon=True)
        self.thread.start()
        held.wait()

    def release(self, after: float = 0) -> None:
        threading.Timer(after, self.released.set).start()

    def join(self) -> None:
        self.released.set()
        self.thread.join()


def archive_command(project, arch: Path, *args: str, wait: str | None = None):
    return CliRunner().invoke(cli, ["--project", str(project.root), "archive", "--archive",
                                    str(arch), *args],
                              env={"AFTALER_ARCHIVE_WAIT": wait} if wait else {})


def test_a_command_waits_for_the_archive_and_says_so(project, tmp_path):
    arch = tmp_path / "archive"
    arch.mkdir()
    [pdf] = pdfs(tmp_path / "in", 1)
    holder = Holder(arch)
    holder.release(after=2.0)  # well after the command's notice at one second
    result = archive_command(project, arch, "add", str(pdf))
    assert holder.released.is_set()  # it went on only once the lock was released
    holder.join()
    assert result.exit_code == 0, result.output
    assert result.output.startswith("waiting for another archive command to finish with ")
    assert "archived: " in result.output


@pytest.mark.parametrize("command", ["add", "verify"])
def test_a_command_gives_up_after_the_timeout_with_a_clear_error(project, tmp_path, command):
    arch = tmp_path / "archive"
    arch.mkdir()
    (arch / "manifest.json").write_text('{"format": 1, "documents": []}')
    [pdf] = pdfs(tmp_path / "in", 1)
    holder = Holder(arch)
    result = archive_command(project, arch, command, *([str(pdf)] if command == "add" else []),
                             wait="1.2")
    holder.join()
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"waiting for another archive command to finish with {arch}/ …",
        f"Error: {arch} is in use by another archive command (waited 1.2 s): try again "
        "when it has finished"]
    assert sorted(p.name for p in arch.iterdir()) == [".lock", "manifest.json"]


def test_recovery_never_touches_the_work_of_a_command_still_running(project, tmp_path):
    """A child is halfway through an addition (journaled, index not yet written) when a
    second command starts: the second waits; neither's work is lost."""
    arch = tmp_path / "archive"
    first, second = pdfs(tmp_path / "in", 2)
    Archive(arch).add(small_pdf("before"), "before.pdf")  # imports done before forking
    ready_r, ready_w = os.pipe()

    pid = os.fork()
    if pid == 0:  # the child: pause between the journal and the index
        try:
            real = Archive._write_index

            def paused(self, records):
                os.write(ready_w, b"x")
                time.sleep(1.5)
                real(self, records)

            Archive._write_index = paused
            Archive(arch).add(first.read_bytes(), first.name)
            os._exit(0)
        except BaseException:
            os._exit(3)
    try:
        os.read(ready_r, 1)  # the child holds the lock, its addition journaled
        assert (arch / JOURNAL).exists()
        listing = CliRunner().invoke(cli, ["--project", str(project.root), "archive",
                                           "--archive", str(arch), "list"])
        documents = [line for line in listing.output.splitlines() if not line.startswith(" ")]
        assert len(documents) == 1  # readers see the state before it (rules failed: indented)
        result = CliRunner().invoke(cli, ["--project", str(project.root), "archive",
                                          "--archive", str(arch), "add", str(second)])
    finally:
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert result.exit_code == 0, result.output
    assert "note:" not in result.output  # nothing of the child's was "recovered"
    records = assert_sound(arch)
    assert sorted(r.original_name for r in records) == ["before.pdf", first.name, second.name]


# --- killed at random moments -----------------------------------------------------------

ARCHIVED = re.compile(r"^(?:archived: .* -> |already archived: .* is )(?P<path>\S+)$")


def test_additions_killed_at_random_moments_leave_a_sound_archive(tmp_path):
    """Every run is killed with SIGKILL at a random moment; after each, `verify` passes
    and every file the run reported as archived is there, byte for byte."""
    runs, per_run = int(os.environ.get("AFTALER_KILL_RUNS", "24")), 4
    files = pdfs(tmp_path / "in", (runs + 2) * per_run)
    arch = tmp_path / "archive"
    Archive(tmp_path / "warm").add(small_pdf("warm"), "warm.pdf")  # imports, before forking
    # Whole runs, not killed, say how long a run takes here.
    durations = []
    for warm in (files[:per_run], files[per_run:2 * per_run]):
        started = time.monotonic()
        assert Child(arch, warm).wait()[1] == 0
        durations.append(time.monotonic() - started)
    duration = min(durations)
    files = files[per_run:]
    reported: dict[str, bytes] = {}
    seed = random.randrange(2**32)
    chance = random.Random(seed)
    killed_runs = 0
    for n in range(runs):
        batch = files[per_run * (n + 1):per_run * (n + 2)]
        delay = chance.uniform(0, duration)
        child = Child(arch, batch)
        time.sleep(delay)
        child.kill()
        output, status = child.wait()
        killed_runs += status is None
        assert status in (None, 0), output
        if status == 0:  # finished before the kill: aim earlier from now on
            duration = min(duration, delay)
        by_name = {f"{f}": f.read_bytes() for f in batch}
        for line in output.split("\n")[:-1]:  # whole lines only: a kill may cut the last
            match = ARCHIVED.match(line)
            if match:
                source = line.split(": ", 1)[1].split(" ")[0]
                reported[match["path"]] = by_name[source]
        context = f"run {n}, killed after {delay:.3f} s (seed {seed})"
        problems, notes = Archive(arch).verify()
        assert problems == [], context
        records = {r.path: r for r in Archive(arch).records()}
        for path, data in reported.items():
            assert path in records, context
            assert (arch / path).read_bytes() == data, context
        assert not list(arch.rglob("*.part")), context
    assert killed_runs >= runs // 2  # the kills did land during the runs
    assert_sound(arch)


def test_an_archived_name_cannot_be_mistaken_for_a_temporary(project, tmp_path):
    arch = tmp_path / "archive"
    odd = tmp_path / ".kopi.part"
    odd.write_bytes(small_pdf("odd"))
    result = CliRunner().invoke(cli, ["--project", str(project.root), "archive", "--archive",
                                      str(arch), "add", str(odd)])
    assert result.exit_code == 0, result.output
    [record] = Archive(arch).records()
    assert record.path == "2016/ukendt/kopi.pdf" and record.original_name == ".kopi.part"
    assert Archive(arch).recover() == []
    assert hashlib.sha256((arch / record.path).read_bytes()).hexdigest() == record.sha256


def test_a_journal_pointing_outside_the_archive_is_ignored(project, tmp_path):
    arch = tmp_path / "archive"
    Archive(arch).add(small_pdf("first"), "first.pdf")
    outside = tmp_path / "andet.pdf"
    outside.write_bytes(b"not the archive's")
    record = dict(vars(Archive(arch).records()[0]), path="../andet.pdf")
    (arch / JOURNAL).write_text(json.dumps({"tmp": "../andet.pdf", "record": record}))
    assert Archive(arch).recover() == []
    assert outside.read_bytes() == b"not the archive's"
    assert not (arch / JOURNAL).exists()
    assert_sound(arch)
