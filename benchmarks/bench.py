"""Benchmarks: this project side by side with LibreOffice, in the same run.

    python benchmarks/bench.py            # everything (a few minutes)
    python benchmarks/bench.py --quick    # fewer repetitions

The alternative a municipality already has is Word plus LibreOffice turning DOCX into PDF,
so each measurement of ours is set beside LibreOffice converting the same documents' DOCX
(`soffice --headless --convert-to pdf`, its profile warmed up first), and the ratio is
printed: shared machines vary by half from one minute to the next, ratios much less. A
calibration line says how fast the machine was. Nothing here is asserted: speed is
measured and reported (README, "Speed"), never tested.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = [sys.executable, str(ROOT / "build.py")]


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


def calibration() -> float:
    """Seconds for a fixed pure-Python loop, best of 3: how fast the machine is now."""
    times = []
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for i in range(10_000_000):
            total += i
        times.append(time.perf_counter() - start)
    return min(times)


class Timed:
    """Wall time and the CPU time of the child processes run meanwhile."""

    def __enter__(self):
        self.wall = time.perf_counter()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = usage.ru_utime + usage.ru_stime
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = usage.ru_utime + usage.ru_stime - self.cpu


def run(cmd: list[str], **kwargs) -> Timed:
    with Timed() as timed:
        subprocess.run(cmd, check=True, capture_output=True, **kwargs)
    return timed


def median_run(cmd: list[str], runs: int) -> Timed:
    results = sorted((run(cmd) for _ in range(runs)), key=lambda t: t.wall)
    return results[len(results) // 2]


class LibreOffice:
    """`soffice` converting DOCX to PDF, with a profile of its own, warmed up."""

    def __init__(self, folder: Path):
        self.binary = shutil.which("soffice") or shutil.which("libreoffice")
        self.profile = (folder / "lo-profile").as_uri()
        self.out = folder / "lo-out"

    def convert(self, files: list[Path]) -> Timed:
        return run([self.binary, f"-env:UserInstallation={self.profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(self.out), *map(str, files)])


def scratch_project(count: int, *, evaluations: bool = False) -> Path:
    """A copy of the project with `count` agreements made from the hospital's definition
    (and their evaluations of 2016)."""
    root = Path(tempfile.mkdtemp(prefix="aftaler-bench-"))
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "programmes", root / "programmes")
    agreements = root / "agreements"
    agreements.mkdir()
    source = (ROOT / "agreements" / "hospital.yaml").read_text(encoding="utf-8")
    evaluation = (ROOT / "agreements" / "hospital" / "2016.yaml").read_text(encoding="utf-8")
    for i in range(count):
        name = f"partner-{i:03d}"
        text = source.replace("Hospitalsenheden Horsens", f"Partner {i:03d} Horsens")
        (agreements / f"{name}.yaml").write_text(text, encoding="utf-8")
        if evaluations:
            (agreements / name).mkdir()
            (agreements / name / "2016.yaml").write_text(evaluation, encoding="utf-8")
    return root


def ratio(ours: float, theirs: float | None) -> str:
    return f"{ours / theirs:5.2f}" if theirs else "    –"


def line(what: str, ours: float, theirs: float | None, target: str = "") -> None:
    lo = f"{theirs:7.2f} s" if theirs is not None else "      –  "
    print(f"  {what:58s} {ours:7.2f} s  {lo}  {ratio(ours, theirs)}  {target}", flush=True)


def bench_one(lo: LibreOffice | None, runs: int) -> None:
    project = scratch_project(1)
    try:
        cmd = [*BUILD, "--project", str(project), "agreement", "partner-000", "--force"]
        run(cmd)  # compile caches, font subsets
        ours = median_run(cmd, runs)
        theirs = None
        if lo:
            docx = project / "output" / "aftaler" / "aftale-partner-000.docx"
            lo.convert([docx])  # warm the profile
            theirs = statistics.median(lo.convert([docx]).wall for _ in range(runs))
        line("one agreement, whole command (ours DOCX+PDF/A+fields)", ours.wall, theirs,
             "target <= 0.4")
    finally:
        shutil.rmtree(project)


def bench_batch(lo: LibreOffice | None, count: int) -> None:
    project = scratch_project(count)
    try:
        first = run([*BUILD, "--project", str(project), "agreement", "--all", "-j", "2"])
        theirs = None
        if lo:
            files = sorted((project / "output" / "aftaler").glob("*.docx"))
            converted = lo.convert(files)
            theirs = converted
        line(f"{count} agreements, first build (ours --all -j 2; LO one batch)", first.wall,
             theirs.wall if theirs else None, "target <= 0.4")
        line("  CPU time per document", first.cpu / count,
             theirs.cpu / count if theirs else None, "target <= 0.6")
        again = median_run([*BUILD, "--project", str(project), "agreement", "--all"], 3)
        line(f"{count} agreements again, nothing changed", again.wall, None,
             f"target <= 0.5 s; {again.wall / first.wall:.1%} of the first build "
             "(target <= 5 %)")
    finally:
        shutil.rmtree(project)


def bench_report(lo: LibreOffice | None, count: int, runs: int) -> None:
    project = scratch_project(count, evaluations=True)
    try:
        cmd = [*BUILD, "--project", str(project), "report", "2016", "--force"]
        run(cmd)
        ours = median_run(cmd, runs)
        theirs = None
        if lo:
            docx = project / "output" / "rapporter" / "evaluering-2016.docx"
            lo.convert([docx])
            theirs = statistics.median(lo.convert([docx]).wall for _ in range(runs))
        pages = _pages(project / "output" / "rapporter" / "evaluering-2016.pdf")
        line(f"report over {count} agreements ({pages} pages), whole command", ours.wall,
             theirs, "target <= 0.5")
    finally:
        shutil.rmtree(project)


def _pages(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as document:
        return len(document.pages)


def bench_watch(saves: int) -> None:
    """From saving hospital.yaml (as editors do: a new file renamed over it) to its new
    PDF, with `watch` running."""
    project = scratch_project(0)
    shutil.copy(ROOT / "agreements" / "hospital.yaml", project / "agreements")
    try:
        subprocess.run([*BUILD, "--project", str(project), "agreement", "hospital"],
                       check=True, capture_output=True)
        watcher = subprocess.Popen([*BUILD, "--project", str(project), "watch"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        time.sleep(5)  # imports, the first round
        definition = project / "agreements" / "hospital.yaml"
        pdf = project / "output" / "aftaler" / "aftale-hospital.pdf"
        text = definition.read_text(encoding="utf-8")
        latencies = []
        for i in range(saves):
            before = pdf.stat().st_mtime_ns
            temporary = definition.with_name(".hospital.yaml.tmp")
            temporary.write_text(text.replace("forpligtende samarbejde",
                                              f"forpligtende samarbejde {i}"), "utf-8")
            start = time.perf_counter()
            os.replace(temporary, definition)
            while pdf.stat().st_mtime_ns == before:
                time.sleep(0.002)
                if time.perf_counter() - start > 30:
                    raise RuntimeError("watch did not rebuild")
            latencies.append(time.perf_counter() - start)
            time.sleep(0.5)
        watcher.terminate()
        watcher.wait(10)
        line(f"watch: a saved agreement to its new PDF (median of {saves})",
             statistics.median(latencies), None, "target <= 0.15 s on a calm machine")
    finally:
        shutil.rmtree(project)


def _cpu(fn, runs: int) -> float:
    """Median CPU seconds of `fn()`, after one run to warm up."""
    fn()
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def bench_in_process(runs: int) -> None:
    """Where a warm process spends an agreement's time, and the report's pictures for Word
    (each made anew: Typst keeps what it laid out, so the definition changes every run)."""
    sys.path.insert(0, str(ROOT))
    from aftaler.documents import agreement as document_model
    from aftaler.pipeline.steps import build_agreement, render_pdf
    from aftaler.project import Project
    from aftaler.render import reportfiles, word

    project = Project(ROOT)
    agreement = project.definitions.agreement("hospital").model
    programme = project.definitions.programme("alliance").model
    counter = iter(range(10**9))

    def changed():
        return agreement.model_copy(update={"opening": f"{agreement.opening} {next(counter)}"})

    line("one agreement in a warm process (CPU, for reference)", _cpu(
        lambda: build_agreement("hospital", changed(), programme, project.templates), runs),
         None)

    def pdf_only():
        a = changed()
        render_pdf(document_model.build("hospital", a, programme), a, project.templates)

    line("  its PDF (Typst, fields, metadata)", _cpu(pdf_only, runs), None)
    doc = document_model.build("hospital", agreement, programme)
    line("  its Word file (docxtpl)", _cpu(lambda: word.render(doc, project.templates), runs),
         None)
    from aftaler.pipeline.steps import build_report

    report = build_report(project, 2016).document
    charts = reportfiles.make_charts(report)
    line(f"the report's {len(charts)} charts as pictures for Word (Typst -> PNG)",
         _cpu(lambda: reportfiles.pictures(charts, project.templates), runs), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    print(f"machine: {machine()}")
    print(f"calibration: 10 million additions in a Python loop: {calibration():.2f} s "
          "(0.27 s on a calm day)")
    # Byte-compile this program's modules, as a first run does on a user's machine: where
    # PYTHONDONTWRITEBYTECODE is set (as on these machines), every run would compile its
    # changed modules again, and the figures would measure the compiler.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "aftaler")],
                   check=True)
    folder = Path(tempfile.mkdtemp(prefix="aftaler-lo-"))
    lo = LibreOffice(folder)
    if lo.binary is None:
        print("LibreOffice (soffice) is not installed: no side-by-side figures")
        lo = None
    print(f"  {'what':58s} {'ours':>9s}  {'LibreOffice':>9s}  ratio")
    try:
        bench_one(lo, runs)
        bench_batch(lo, 100)
        bench_report(lo, 20, 3 if args.quick else 5)
        bench_watch(5 if args.quick else 11)
        bench_in_process(10 if args.quick else 30)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
