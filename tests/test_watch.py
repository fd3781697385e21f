"""`watch`: a saved change rebuilds what it makes out of date; bad input is reported and
the watch goes on."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from extract import pdf_text

from aftaler.pipeline import watch as watching
from aftaler.pipeline.steps import write_report

TIMEOUT = 30  # seconds: generous for a loaded machine; a calm one needs a fraction


class Watching:
    """`watch` running in a thread on a project folder, each round it reports kept."""

    def __init__(self, root: Path):
        self.root = root
        self.rounds: list[watching.Round] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watching.watch, args=(root, self.rounds.append), kwargs={"stop": self.stop},
            daemon=True)

    def __enter__(self):
        self.thread.start()
        self.wait_for(lambda: self.rounds)  # the first round: everything up to date
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(TIMEOUT)

    def wait_for(self, condition):
        deadline = time.monotonic() + TIMEOUT
        while not condition():
            assert time.monotonic() < deadline, "watch did not react in time"
            time.sleep(0.05)

    def next_round(self, after: int) -> watching.Round:
        self.wait_for(lambda: len(self.rounds) > after)
        return self.rounds[after]


def save(path: Path, text: str) -> None:
    """Save as editors do: a temporary file renamed over the original."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def test_a_saved_definition_gives_a_new_pdf(scratch):
    definition = scratch.root / "agreements" / "hospital.yaml"
    text = definition.read_text(encoding="utf-8")
    with Watching(scratch.root) as w:
        seen = len(w.rounds)
        save(definition, text.replace("forpligtende samarbejde", "forpligtende og tæt samarbejde"))
        done = w.next_round(seen)
        assert scratch.agreement_files("hospital")[1] in done.written
        assert scratch.agreement_files("samarbejde-2018")[1] not in done.written
    assert "forpligtende og tæt samarbejde" in pdf_text(
        scratch.agreement_files("hospital")[1].read_bytes())


def test_a_broken_definition_is_reported_and_built_once_mended(scratch):
    definition = scratch.root / "agreements" / "hospital.yaml"
    text = definition.read_text(encoding="utf-8")
    with Watching(scratch.root) as w:
        seen = len(w.rounds)
        save(definition, text.replace("opening:", "openning:"))
        broken = w.next_round(seen)
        assert broken.written == []
        [line] = broken.errors
        assert line.startswith(
            "agreements/hospital.yaml:23: openning: unknown key; did you mean 'opening'?")
        save(definition, text.replace("forpligtende samarbejde", "samarbejde"))
        mended = w.next_round(seen + 1)
        assert mended.errors == []
        assert scratch.agreement_files("hospital")[1] in mended.written


def test_a_mistake_is_one_line_however_many_reports_were_built_before(scratch):
    for year in (2016, 2019, 2023):
        write_report(scratch, year)
    definition = scratch.root / "agreements" / "hospital.yaml"
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("opening:", "openning:"), encoding="utf-8")
    done = watching.rebuild(scratch.root)
    assert [line.split(": ", 1)[0] for line in done.errors] == ["agreements/hospital.yaml:23"]
    assert done.written == list(scratch.agreement_files("samarbejde-2018"))


def test_a_badly_named_file_is_one_line_and_the_others_are_built(scratch):
    definitions = scratch.root / "agreements"
    (definitions / "velux danmark.yaml").write_text(
        (definitions / "hospital.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    done = watching.rebuild(scratch.root)
    assert done.errors == [
        "agreements/velux danmark.yaml: the file name is not an agreement name: a space cannot "
        "be in a name, only lower-case letters a-z, digits, '-' and '_': rename it to "
        "velux-danmark.yaml"]
    assert done.written == [*scratch.agreement_files("hospital"),
                            *scratch.agreement_files("samarbejde-2018")]


def test_a_report_built_before_is_kept_up_to_date(scratch):
    write_report(scratch, 2016)
    evaluation = scratch.root / "agreements" / "hospital" / "2016.yaml"
    text = evaluation.read_text(encoding="utf-8")
    with Watching(scratch.root) as w:
        seen = len(w.rounds)
        save(evaluation, text.replace("Fortsætte som hidtil.", "Fortsætte uændret."))
        done = w.next_round(seen)
        assert done.written == list(scratch.report_files(2016))
    assert "Fortsætte uændret." in pdf_text(scratch.report_files(2016)[1].read_bytes())


@pytest.mark.parametrize("name", ["~$aftale.docx", "~WRL0001.tmp", ".~lock.hospital.yaml#",
                                  ".hospital.yaml.swp", "#hospital.yaml#", ".#hospital.yaml",
                                  "hospital.yaml~", ".hospital.yaml.abc.part"])
def test_editors_lock_and_temporary_files_are_ignored(name):
    assert watching.ignored(name)


@pytest.mark.parametrize("name", ["hospital.yaml", "2016.yaml", "agreement.css",
                                  "report.docx"])
def test_definitions_records_and_templates_are_watched(name):
    assert not watching.ignored(name)
