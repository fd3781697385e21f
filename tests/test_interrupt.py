"""Ctrl+C during `agreement --all`: the terminal sends SIGINT to every process of the
command, the workers too. Only `Aborted.` is printed (exit 130), no worker's traceback;
the files written are whole, and no temporary file is left behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COPIES = 8  # agreements: enough for the workers to be busy when the first is printed


@pytest.fixture
def many(scratch) -> Path:
    hospital = scratch.root / "agreements" / "hospital.yaml"
    for i in range(2, COPIES):
        shutil.copy(hospital, scratch.root / "agreements" / f"hospital{i}.yaml")
    return scratch.root


def interrupted(root: Path, after_lines: int) -> subprocess.CompletedProcess:
    """Run `agreement --all -j 2`, and press Ctrl+C once `after_lines` paths are printed:
    SIGINT to the whole process group, as a terminal sends it."""
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project", str(root),
                                "agreement", "--all", "--jobs", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    lines = []
    try:
        while len(lines) < after_lines:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
        try:
            os.killpg(process.pid, signal.SIGINT)
        except ProcessLookupError:
            pass  # it had finished already
        out, err = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(process.args, process.returncode, "".join(lines) + out,
                                       err)


def assert_whole(root: Path) -> None:
    folder = root / "output" / "aftaler"
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".part")]
    for pdf in folder.glob("*.pdf"):
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF"), pdf


def test_ctrl_c_while_the_workers_build_prints_only_aborted(many):
    result = interrupted(many, after_lines=1)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "Aborted."
    assert len(result.stdout.splitlines()) < 2 * COPIES  # it stopped: not everything built
    assert_whole(many)


def test_ctrl_c_near_the_end_prints_no_workers_traceback(many):
    """After the last path the workers are idle, waiting for work: that is where a
    worker's own KeyboardInterrupt traceback was printed."""
    result = interrupted(many, after_lines=2 * COPIES)
    assert result.returncode in (0, 130), result.stderr
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr
    if result.returncode == 130:
        assert result.stderr.strip().splitlines()[-1] == "Aborted."
    assert_whole(many)
