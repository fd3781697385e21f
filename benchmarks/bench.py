"""Benchmarks: median times of building agreements, reported with the machine.

    python benchmarks/bench.py            # all measurements
    python benchmarks/bench.py --quick    # fewer repetitions

Numbers go in the README's "Speed" section. Nothing here is asserted: speed depends on
the machine, so it is measured and reported, never tested.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def median_of(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_in_process(runs: int) -> float:
    """One agreement, DOCX + PDF/A + signature fields, in a warm process (no file I/O)."""
    from aftaler.pipeline import build_agreement
    from aftaler.project import Project

    project = Project(ROOT)
    agreement = project.definitions.agreement("hospital").model
    alliance = project.definitions.alliance().model
    build_agreement("hospital", agreement, alliance, project.templates)  # warm-up
    return median_of(lambda: build_agreement("hospital", agreement, alliance,
                                             project.templates), runs)


def bench_command(runs: int) -> float:
    """The whole `python build.py agreement hospital`, a fresh process each time."""
    cmd = [sys.executable, str(ROOT / "build.py"), "agreement", "hospital"]
    subprocess.run(cmd, check=True, capture_output=True)  # compile caches
    return median_of(lambda: subprocess.run(cmd, check=True, capture_output=True), runs)


def make_copies(count: int) -> Path:
    """A scratch project with `count` agreements made from the hospital definition."""
    scratch = Path(tempfile.mkdtemp(prefix="aftaler-bench-"))
    shutil.copytree(ROOT / "templates", scratch / "templates")
    (scratch / "agreements").mkdir()
    shutil.copy(ROOT / "agreements" / "alliance.yaml", scratch / "agreements")
    source = (ROOT / "agreements" / "hospital.yaml").read_text(encoding="utf-8")
    for i in range(count):
        text = source.replace("Hospitalsenheden Horsens", f"Partner {i:03d} Horsens")
        (scratch / "agreements" / f"partner-{i:03d}.yaml").write_text(text, encoding="utf-8")
    return scratch


def bench_batch(count: int, jobs: int) -> float:
    """`build.py --project SCRATCH agreement --all -j JOBS` over `count` agreements."""
    scratch = make_copies(count)
    try:
        cmd = [sys.executable, str(ROOT / "build.py"), "--project", str(scratch),
               "agreement", "--all", "--jobs", str(jobs)]
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        return time.perf_counter() - start
    finally:
        shutil.rmtree(scratch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    runs = 5 if args.quick else 15
    print(f"machine: {machine()}")
    print(f"one agreement in-process (DOCX + PDF/A + fields), median of {runs}: "
          f"{bench_in_process(runs):.3f} s")
    print(f"`python build.py agreement hospital`, median of {runs}: "
          f"{bench_command(runs):.3f} s")
    batch_runs = 1 if args.quick else 3
    times = [bench_batch(100, 2) for _ in range(batch_runs)]
    print(f"100 agreements, `agreement --all -j 2`, median of {batch_runs}: "
          f"{statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
