"""Nothing hangs: a process that has compiled with Typst must never fork a child that
compiles (the child would hang for ever), so workers are started afresh ("spawn").

Each command runs in a process that has compiled with Typst before, and is stopped
(with every process it started) if it runs past a guard far above a real run: a hang
fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pikepdf
from conftest import ROOT

from aftaler.pipeline import batch

GUARD = 240  # seconds: far above a real run on a loaded machine


# Compile the hospital agreement, then run the command given in the same process.
AFTER_A_COMPILE = """
import sys
from aftaler.cli import main
from aftaler.pipeline.steps import build_agreement
from aftaler.project import Project
project = Project(__import__("pathlib").Path(sys.argv[1]))
agreement = project.definitions.agreement("hospital").model
build_agreement("hospital", agreement, project.definitions.programme("alliance").model,
                project.templates)
sys.argv = ["build.py", "--project", sys.argv[1], *sys.argv[2:]]
main()
"""


def run_after_a_compile(project, *args) -> subprocess.CompletedProcess:
    process = subprocess.Popen([sys.executable, "-c", AFTER_A_COMPILE, str(project.root),
                                *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    try:
        out, err = process.communicate(timeout=GUARD)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the command and the workers it started
        process.communicate()
        raise AssertionError(f"{args} still running after {GUARD} s: hung") from None
    return subprocess.CompletedProcess(args, process.returncode, out, err)


def test_agreement_all_in_parallel_workers_after_a_compile(scratch, hospital_yaml):
    for i in range(batch.PARALLEL_FROM):
        (scratch.root / "agreements" / f"partner-{i}.yaml").write_text(
            hospital_yaml.replace("Hospitalsenheden Horsens", f"Partner {i} Horsens"), "utf-8")
    result = run_after_a_compile(scratch, "agreement", "--all", "-j", "2")
    assert result.returncode == 0, result.stderr
    for name in scratch.definitions.names():
        with pikepdf.open(scratch.agreement_files(name)[1]) as pdf:
            assert len(pdf.pages) >= 1


def test_report_after_a_compile(scratch):
    result = run_after_a_compile(scratch, "report", "2016")
    assert result.returncode == 0, result.stderr
    assert scratch.report_files(2016)[1].is_file()


def test_watch_rebuilds_a_saved_agreement_in_its_own_process(scratch):
    """The command as a user runs it: it builds, then rebuilds on a save, and stops on
    a terminate (Ctrl+C's sibling)."""
    definition = scratch.root / "agreements" / "hospital.yaml"
    pdf = scratch.agreement_files("hospital")[1]
    watcher = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project",
                                str(scratch.root), "watch"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + GUARD
        while not pdf.exists():
            assert time.monotonic() < deadline and watcher.poll() is None, "no first build"
            time.sleep(0.1)
        time.sleep(1.0)  # the first round's other files
        before = pdf.stat().st_mtime_ns
        text = definition.read_text(encoding="utf-8")
        temporary = definition.with_name(".hospital.yaml.tmp")
        temporary.write_text(text.replace("forpligtende samarbejde", "tæt samarbejde"),
                             encoding="utf-8")
        os.replace(temporary, definition)
        while pdf.stat().st_mtime_ns == before:
            assert time.monotonic() < deadline and watcher.poll() is None, "no rebuild"
            time.sleep(0.05)
    finally:
        watcher.terminate()
        assert watcher.wait(GUARD) is not None
