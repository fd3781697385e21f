"""Property-based tests of every input format, through the command line.

Each example takes a YAML file of a scratch copy of the project (whatever
`agreements/**/*.yaml` and `programmes/**/*.yaml` hold, so formats yet to come are
covered), mutates it (drops, duplicates, retypes and renames keys; writes random
Unicode, long text, huge and negative numbers, impossible dates, raw control
characters) and runs `check` and the command that builds from that file. Either it
builds, and every text it wrote into a printed field is in both the Word and the PDF,
or it stops with exit 2 and located one-line errors. Never exit 1, never a
traceback, never a file left in output/ by a failed command.

The number of examples is small by default so the suite stays quick; for a longer run:

    AFTALER_FUZZ_EXAMPLES=500 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from extract import docx_text, pdf_text
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from aftaler.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXAMPLES = 25
EXAMPLES = int(os.environ.get("AFTALER_FUZZ_EXAMPLES", DEFAULT_EXAMPLES))
SOURCES = ("agreements", "programmes")

YAML_FILES = sorted(str(p.relative_to(ROOT)) for folder in SOURCES
                    for p in (ROOT / folder).glob("**/*.yaml"))
AGREEMENTS = sorted(p.stem for p in (ROOT / "agreements").glob("*.yaml")
                    if p.stem != "alliance")


def kind_of_file(relative: str) -> str:
    path = Path(relative)
    if re.fullmatch(r"\d{4}", path.stem):
        return "agreement record" if path.parent.name in AGREEMENTS else "programme record"
    if path.parent.name == "agreements" and path.stem in AGREEMENTS:
        return "agreement"
    return "programme"  # the alliance, a programme


def commands_for(relative: str) -> list[list[str]]:
    """The commands that build documents from this file (one is drawn)."""
    path, kind = Path(relative), kind_of_file(relative)
    if kind == "agreement record":
        return [["report", path.stem, "--agreement", path.parent.name]]
    if kind == "programme record":
        return [["report", path.stem]]
    if kind == "agreement":
        return [["agreement", path.stem]]
    # A programme is part of every agreement and every report.
    years = sorted(Path(f).stem for f in YAML_FILES if kind_of_file(f) == "programme record")
    return [["agreement", AGREEMENTS[0]], *(["report", y] for y in years[-1:])]


# Each kind of file is as likely to be picked as any other, however many there are of it.
BY_KIND: dict[str, list[str]] = {}
for _file in YAML_FILES:
    BY_KIND.setdefault(kind_of_file(_file), []).append(_file)


# Keys whose text is printed as it is, in the documents built from that kind of file.
PRINTED = {
    "agreement": {"opening", "preamble", "cooperation", "evaluation", "commitments", "text",
                  "name", "heading", "content_heading", "content_intro", "effort_heading"},
    "report": {"comment", "indicator", "relevance", "next_step", "evaluated_by",
               "organisation"},
}


# --- strategies -------------------------------------------------------------------------

def _font_characters() -> str:
    """Characters the bundled font draws: text of these must come out as it went in."""
    from aftaler.fonts import drawable

    return "".join(sorted(c for c in drawable() if c.isprintable() and c > " "))


DRAWN = _font_characters()
DRAWABLE = set(DRAWN)
# Bidirectional marks and zero widths; the embeddings and isolates among them are refused
# (an example that draws one checks that it is refused in located lines).
MARKS = "\u200e\u200f\u202a\u202c\u2066\u2069\u200b\u200d\ufeff"
COMBINING = "\u0300\u0301\u0302\u0308\u030a\u0327\u0323"
HOSTILE = ["{{ 7*7 }}", "{% if true %}", "<w:t>", "</w:p>", "&amp;", "'", '"', "\\", "#",
           ": ", "- ", "null", "~", "yes", "2014-11-01", "1e3", "0x1F", "!!str", "*a", "&a"]

printable_text = st.text(alphabet=st.sampled_from(DRAWN + MARKS + COMBINING + " "),
                         min_size=1, max_size=60)
# All of Unicode: lone surrogates (written escaped), controls, NUL.
any_text = st.text(alphabet=st.characters(exclude_categories=()), min_size=0, max_size=40)
long_text = st.builds(lambda word, n: (word + " ") * n, st.text(alphabet=DRAWN, min_size=1,
                                                                 max_size=8),
                      st.integers(1_000, 12_000))
texts = st.one_of(printable_text, printable_text, any_text, st.sampled_from(HOSTILE),
                  long_text)
numbers = st.one_of(st.integers(-10**6, 10**6), st.integers(-10**40, 10**40),
                    st.sampled_from([0, -1, 2**31, -2**63, 10**15]),
                    st.floats(allow_nan=True, allow_infinity=True))


class Raw(str):
    """A scalar written into the YAML as it is (e.g. a date no calendar has)."""


dates = st.one_of(
    st.dates(), st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31)]),
    st.sampled_from(["2014-13-45", "0000-01-01", "2014-02-30", "1900-02-29", "99999-01-01",
                     "2014-11-01T25:00:00"]).map(Raw))
values = st.one_of(texts, numbers, dates, st.booleans(), st.none(),
                   st.lists(texts, max_size=3), st.dictionaries(texts, texts, max_size=2))


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Raw, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:timestamp", str(value)))


@dataclass
class Mutated:
    text: str
    data: Any = None
    printed: dict[tuple, str] = field(default_factory=dict)  # path -> text that must show
    what: list[str] = field(default_factory=list)  # for the failure report


def paths_of(data: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out += paths_of(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += paths_of(value, path + (i,))
    return out


def get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def strings_of(data: Any) -> list[str]:
    """Every string in `data`, keys included."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in strings_of(k) + strings_of(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings_of(v)]
    return []


def is_printed(path: tuple, kind: str | None) -> bool:
    keys = [p for p in path if isinstance(p, str)]
    if kind is None or not keys:
        return False
    return keys[-1] in PRINTED[kind] or (len(keys) >= 2 and keys[-2] == "commitments"
                                         and kind == "agreement")


@st.composite
def mutated(draw, relative: str) -> Mutated:
    """The file's text after one to three mutations."""
    original = (ROOT / relative).read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    kind = {"agreement": "agreement", "agreement record": "report",
            "programme record": "report"}.get(kind_of_file(relative))
    result = Mutated(original, data)
    for _ in range(draw(st.sampled_from([1, 1, 2, 3]))):
        paths = [p for p in paths_of(data) if p]
        if not paths:  # a small file whose every key was dropped: nothing left to change
            break
        printed = [p for p in paths if isinstance(get(data, p), str) and is_printed(p, kind)]
        action = draw(st.sampled_from(["printed", "printed", "printed", "text", "value",
                                       "drop", "duplicate", "rename"]))
        if action == "printed" and printed:  # new text where it must show, as it is
            path = draw(st.sampled_from(printed))
            new = draw(st.one_of(printable_text, st.sampled_from(HOSTILE)))
            get(data, path[:-1])[path[-1]] = new
            result.printed[path] = new
            result.what.append(f"printed {new!r} at {path}")
            continue
        path = draw(st.sampled_from(paths))
        parent, last = get(data, path[:-1]), path[-1]
        result.what.append(f"{action} at {path}")
        if action == "text" and isinstance(parent[last], str):
            new = draw(texts)
            parent[last] = new
            if is_printed(path, kind):
                result.printed[path] = new
        elif action in ("value", "text", "printed"):
            parent[last] = draw(values)
        elif action == "drop":
            del parent[last]
        elif action == "duplicate":
            if isinstance(parent, list):
                parent.insert(last, parent[last])
            else:
                result.what[-1] += " (as a duplicated line)"
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(texts)] = parent.pop(last)
        if action == "duplicate" and isinstance(parent, dict):
            # YAML data cannot hold a duplicate key: write the line twice instead.
            text = _dump(data)
            line = draw(st.sampled_from(text.splitlines() or [""]))
            result.text = text.replace(line, f"{line}\n{line}", 1)
            result.printed = {}
            return result
    result.text = _dump(data)
    result.data = data
    # A later mutation may have replaced or moved a printed text: keep those still there.
    result.printed = {p: t for p, t in result.printed.items() if _holds(data, p, t)}
    if draw(st.booleans()) and draw(st.booleans()):  # a raw character, anywhere
        at = draw(st.integers(0, len(result.text)))
        char = draw(st.one_of(st.characters(max_codepoint=0x9F), st.characters()))
        result.text = result.text[:at] + char + result.text[at:]
        result.what.append(f"raw {char!r} at {at}")
        result.printed = {}  # the character may have landed in a printed text
    return result


def _holds(data: Any, path: tuple, text: str) -> bool:
    try:
        return get(data, path) == text
    except (KeyError, IndexError, TypeError):
        return False


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


# --- what every outcome must satisfy --------------------------------------------------

def visible(text: str) -> str:
    """What of a text can be seen: composed, without invisible format characters or
    spacing (line breaks and spaces fall where the layout puts them)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


# What may come between two words of a text in the PDF's reading order: at a page break
# the footer, the next page's header and a repeated table header.
PAGE_BREAK = 400


def in_pdf_order(text: str, extracted: str) -> bool:
    """Whether the words of `text` are in `extracted` (visible forms), one after the
    other; where `text` has a space, a page break's furniture may come between."""
    words = [w for w in (visible(w) for w in text.split()) if w]
    if not words:
        return True
    pattern = f".{{0,{PAGE_BREAK}}}?".join(re.escape(w) for w in words)
    return re.search(pattern, extracted, re.DOTALL) is not None


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


LOCATED = re.compile(r"^(Error: )?(?P<file>[^:]+\.yaml)(:\d+)?: .+$")


def assert_outcome(project: Path, args: list[str], what: Mutated) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--project", str(project), *args])
    context = f"{args} after {what.what}:\n{result.output}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{context}\nunexpected {result.exception!r}") \
            from result.exception
    assert result.exit_code in (0, 2), context
    assert "Traceback" not in result.output, context
    output = project / "output"
    assert not [p for p in files_in(output) if p.name.endswith(".part")], context
    if result.exit_code == 2:
        assert files_in(output) == [], context
        for line in result.output.splitlines():
            if line.startswith("Warning: ") or re.fullmatch(r"Error: \d+ problem\(s\) found",
                                                             line):
                continue
            match = LOCATED.match(line)
            assert match and (project / match["file"]).is_file(), context
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A scratch copy of the project, restored after every example."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "templates", root / "templates")
    for folder in SOURCES:
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, root / folder)
    return root


def test_every_yaml_file_is_found():
    assert any(f.startswith("agreements/") and Path(f).stem in AGREEMENTS for f in YAML_FILES)
    assert any(re.search(r"/\d{4}\.yaml$", f) for f in YAML_FILES)


@settings(max_examples=EXAMPLES, deadline=None,
          # Shrinking reruns builds for minutes: the default run reports the example as
          # drawn (its `what` says what was changed); a longer run shrinks it.
          phases=[p for p in Phase if p is not Phase.shrink or EXAMPLES > DEFAULT_EXAMPLES],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture,
                                 HealthCheck.large_base_example])
@given(data=st.data())
def test_any_mutated_input_builds_or_is_refused_in_located_lines(base, hang_guard, data):
    kind = data.draw(st.sampled_from(sorted(BY_KIND)), label="kind")
    relative = data.draw(st.sampled_from(BY_KIND[kind]), label="file")
    what = data.draw(mutated(relative), label="mutation")
    path = base / relative
    original = path.read_bytes()
    try:
        path.write_bytes(what.text.encode("utf-8", "surrogatepass"))
        with hang_guard(60):
            assert_outcome(base, ["check"], what)
            args = data.draw(st.sampled_from(commands_for(relative)), label="command")
            status, _ = assert_outcome(base, args, what)
        event(f"{args[0]}: exit {status}")  # --hypothesis-show-statistics shows the mix
        if status == 0 and what.printed:
            built = files_in(base / "output")
            [docx] = [p for p in built if p.suffix == ".docx" and p.parent.name != "udkast"]
            [pdf] = [p for p in built if p.suffix == ".pdf"]
            in_word, in_pdf = visible(docx_text(docx.read_bytes())), None
            # A character the font lacks is drawn as a blank box, and the PDF's text is
            # then more than its extraction here reads back: the PDF is checked when
            # every text in the file can be drawn.
            if all(set(visible(t)) <= DRAWABLE for t in strings_of(what.data)):
                in_pdf = visible(pdf_text(pdf.read_bytes()))
            event("printed texts checked in the Word file" + (" and the PDF" if in_pdf else ""))
            for text in what.printed.values():
                assert visible(text) in in_word, f"{text!r} not in the Word file ({what.what})"
                if in_pdf is not None:
                    assert in_pdf_order(text, in_pdf), f"{text!r} not in the PDF ({what.what})"
    finally:
        path.write_bytes(original)
        shutil.rmtree(base / "output", ignore_errors=True)


# --- found by these tests ----------------------------------------------------------------

def test_a_period_starting_ten_million_years_ago_is_refused_at_once(scratch, hang_guard):
    """The report reads a programme's results year by year since its period began: a
    period's years are bounded, so a start ten million years ago is a located error,
    not minutes of reading (as it was when the goal had a start_year of its own)."""
    from conftest import Hung

    path = scratch.root / "programmes" / "alliance.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  - start: 2014\n" in text, "the alliance's first period has moved: update this"
    path.write_text(text.replace("  - start: 2014\n", "  - start: -10000000\n"),
                    encoding="utf-8")
    try:
        with hang_guard(3):
            result = CliRunner().invoke(cli, ["--project", str(scratch.root), "report", "2016"])
    except Hung:
        result = None
    assert result is not None and result.exit_code == 2
    assert "programmes/alliance.yaml:" in result.output
    assert "periods[0].start: input should be greater than or equal to 1900" in result.output
