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


def calibration() -> float:
    """Seconds for a fixed pure-Python loop: how fast this machine is right now.

    Shared machines vary by half from one minute to the next; read every other figure
    against this one.
    """
    def loop():
        total = 0
        for i in range(10_000_000):
            total += i
    return median_of(loop, 3)


FIRST_BUILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from aftaler.build.pipeline import build_agreement
from aftaler.project import Project
from aftaler.render.pdf import import_weasyprint
import docxtpl, pikepdf
import_weasyprint()
project = Project(Path(sys.argv[1]))
agreement = project.definitions.agreement("hospital").model
alliance = project.definitions.alliance().model
start = time.perf_counter()
build_agreement("hospital", agreement, alliance, project.templates)
print(time.perf_counter() - start)
"""


def bench_first_in_process(runs: int) -> float:
    """One agreement, the first in its process (libraries imported, nothing cached)."""
    times = [float(subprocess.run([sys.executable, "-c", FIRST_BUILD, str(ROOT)], check=True,
                                  capture_output=True, text=True).stdout)
             for _ in range(runs)]
    return statistics.median(times)


def bench_in_process(runs: int) -> float:
    """One agreement, DOCX + PDF/A + signature fields, in a warm process (no file I/O)."""
    from aftaler.build.pipeline import build_agreement
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


def make_copies(count: int, with_evaluations: bool = False) -> Path:
    """A scratch project with `count` agreements made from the hospital definition
    (and, if asked, their evaluations of 2016 and the alliance's figures)."""
    scratch = Path(tempfile.mkdtemp(prefix="aftaler-bench-"))
    shutil.copytree(ROOT / "templates", scratch / "templates")
    agreements = scratch / "agreements"
    agreements.mkdir()
    shutil.copy(ROOT / "agreements" / "alliance.yaml", agreements)
    if with_evaluations:
        shutil.copytree(ROOT / "agreements" / "alliance", agreements / "alliance")
    source = (ROOT / "agreements" / "hospital.yaml").read_text(encoding="utf-8")
    evaluation = (ROOT / "agreements" / "hospital" / "2016.yaml").read_text(encoding="utf-8")
    for i in range(count):
        name = f"partner-{i:03d}"
        text = source.replace("Hospitalsenheden Horsens", f"Partner {i:03d} Horsens")
        (agreements / f"{name}.yaml").write_text(text, encoding="utf-8")
        if with_evaluations:
            (agreements / name).mkdir()
            (agreements / name / "2016.yaml").write_text(evaluation, encoding="utf-8")
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


def bench_report(count: int, runs: int) -> float:
    """`build.py --project SCRATCH report 2016` over `count` evaluated agreements."""
    scratch = make_copies(count, with_evaluations=True)
    try:
        cmd = [sys.executable, str(ROOT / "build.py"), "--project", str(scratch),
               "report", "2016"]
        return median_of(lambda: subprocess.run(cmd, check=True, capture_output=True), runs)
    finally:
        shutil.rmtree(scratch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    runs = 5 if args.quick else 15
    print(f"machine: {machine()}")
    print(f"calibration: 10 million additions in a Python loop, median of 3: "
          f"{calibration():.2f} s")
    print(f"one agreement in-process (DOCX + PDF/A + fields), warm process, median of "
          f"{runs}: {bench_in_process(runs):.3f} s")
    first_runs = 3 if args.quick else 7
    print(f"one agreement in-process, the first in its process, median of {first_runs}: "
          f"{bench_first_in_process(first_runs):.3f} s")
    print(f"`python build.py agreement hospital`, median of {runs}: "
          f"{bench_command(runs):.3f} s")
    report_runs = 1 if args.quick else 3
    print(f"`report 2016` over 20 evaluated agreements, median of {report_runs}: "
          f"{bench_report(20, report_runs):.2f} s")
    batch_runs = 1 if args.quick else 3
    times = [bench_batch(100, 2) for _ in range(batch_runs)]
    print(f"100 agreements, `agreement --all -j 2`, median of {batch_runs}: "
          f"{statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
