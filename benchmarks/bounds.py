"""Time and memory of hostile input: what reading a form costs at worst.

    python benchmarks/bounds.py              # ours, each case in a fresh process
    python benchmarks/bounds.py --before     # also openpyxl reading the file as it is,
                                             # the way forms were read before (capped)

Forms arrive as mail attachments. Each case is a form as a careless user or an attacker
might send it; `form import` runs on it in its own process (in a scratch copy of the
project), and its wall time and peak memory (the process's maximum resident set) are
printed. Nothing is asserted: the tests check what is answered (tests/test_hostile_forms.py),
this measures what it costs. `--before` reads each file with a plain
`openpyxl.load_workbook` and walks the sheet's rows, as the import did before its reading
was bounded, under a memory cap of CAP_MB and a time cap of CAP_S (so that a shared
machine survives it): the row says where it hit the cap.
"""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = [sys.executable, str(ROOT / "build.py")]
SHEET = "xl/worksheets/sheet1.xml"
CAP_MB, CAP_S = 1500, 120


# The hospital's form for 2017 as a partner filled it in and LibreOffice Calc saved it.
FILLED = ROOT / "examples" / "evaluering-2017-hospital-udfyldt.xlsx"


def rewritten(form: bytes, change, *, padding: int = 0) -> bytes:
    """The form with `change(name, data) -> data` applied to each member, and `padding`
    bytes of blanks streamed into its sheet (a zip bomb, made without holding it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(form)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = change(item.filename, source.read(item))
            if item.filename != SHEET or not padding:
                target.writestr(item, data)
                continue
            head, tail = data.split(b"<sheetData>", 1)
            with target.open(SHEET, "w", force_zip64=True) as member:
                member.write(head + b"<sheetData>")
                blank = b" " * (1 << 20)
                for _ in range(padding >> 20):
                    member.write(blank)
                member.write(tail)
    return out.getvalue()


def in_sheet(xml: bytes):
    return lambda name, data: (data.replace(b"</sheetData>", xml + b"</sheetData>")
                               if name == SHEET else data)


def unchanged(name: str, data: bytes) -> bytes:
    return data


def cases(form: bytes) -> dict[str, bytes]:
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    wide = b'<row r="30"><c r="XFD30" t="inlineStr"><is><t>x</t></is></c></row>'
    dense = b"".join(
        b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>1</v></c>' % (bytes([64 + c]), r)
                                       for c in range(1, 27)) + b"</row>"
        for r in range(30, 2000))
    strays = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r)
                      for r in range(3000, 32_000))
    styles = b'<xf numFmtId="0" fontId="0"/>' * 16_500
    return {
        "the form as filled in (the example)": form,
        "a value in row 1,048,576": rewritten(form, in_sheet(far)),
        "a value in column XFD": rewritten(form, in_sheet(wide)),
        "zip bomb: 2 GB of blanks in the sheet": rewritten(form, unchanged, padding=2 << 30),
        "2 MB of cell styles": rewritten(form, lambda name, data: data.replace(
            b"</cellXfs>", styles * 4 + b"</cellXfs>", 1) if name == "xl/styles.xml" else data),
        "every cell of the read range filled (2,000 x 26)": rewritten(form, in_sheet(dense)),
        "29,000 values beyond the read range (2 MB)": rewritten(form, in_sheet(strays)),
        "500 kB of cell styles (16,500)": rewritten(form, lambda name, data: data.replace(
            b"</cellXfs>", styles + b"</cellXfs>", 1) if name == "xl/styles.xml" else data),
    }


# Runs a command and reports its wall time and peak memory: a process of its own, so
# that each measurement's peak is its own (a process's children's peak is the largest
# of any child it has had).
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
try:
    done = subprocess.run(sys.argv[2:], capture_output=True, text=True,
                          timeout=float(sys.argv[1]) or None)
    code, out = done.returncode, (done.stdout + done.stderr).strip()
except subprocess.TimeoutExpired:
    code, out = "timeout", ""
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(seconds, peak, code, out.splitlines()[-1][:100] if out else "", sep="\\t")
"""


def measure(command: list[str], *, cap: bool = False) -> tuple[float, float, str]:
    """(seconds, peak MB, how it ended) of `command` in a process of its own."""
    def limit() -> None:
        if cap:  # inherited by the command: a plain openpyxl read can take gigabytes
            resource.setrlimit(resource.RLIMIT_AS, (CAP_MB << 20, CAP_MB << 20))

    done = subprocess.run([sys.executable, "-c", MEASURE, str(CAP_S if cap else 0), *command],
                          capture_output=True, text=True, preexec_fn=limit, check=True)
    seconds, peak, code, last = done.stdout.rstrip("\n").split("\t")
    if code == "timeout":
        ended = f"stopped after {CAP_S} s"
    elif code != "0" and "MemoryError" in last:
        ended = f"out of memory (over {CAP_MB} MB)"
    else:
        ended = f"exit {code}" + (f": {last}" if code != "0" else "")
    return float(seconds), int(peak) / 1024, ended


OPENPYXL_BEFORE = """
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
ws = wb["Skema"]
for row in range(1, ws.max_row + 1):
    for col in range(1, 9):
        ws.cell(row, col).value
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", action="store_true",
                        help="also plain openpyxl, as forms were read before (capped)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        for folder in ("templates", "agreements", "programmes"):
            shutil.copytree(ROOT / folder, project / folder)
        form = FILLED.read_bytes()
        print(f"{'case':<50} {'file':>9} {'ours':>8} {'peak':>8}  answer")
        for name, data in cases(form).items():
            path = Path(tmp) / FILLED.name
            path.write_bytes(data)
            seconds, peak, ended = measure([*BUILD, "--project", str(project), "form",
                                            "import", "--replace", str(path)])
            print(f"{name:<50} {len(data) / 1024:>7.0f}kB {seconds:>7.2f}s {peak:>6.0f}MB  "
                  f"{ended}")
            if args.before:
                seconds, peak, ended = measure(
                    [sys.executable, "-c", OPENPYXL_BEFORE, str(path)], cap=True)
                print(f"{'  before: openpyxl as it is':<50} {'':>9} {seconds:>7.2f}s "
                      f"{peak:>6.0f}MB  {ended}")


if __name__ == "__main__":
    main()
