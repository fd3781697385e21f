"""A place where the files cannot go is bad input: one line, exit 2, and a document's files
are written together or not at all (never a new Word file beside an old PDF)."""

from __future__ import annotations

import errno

import pytest
from click.testing import CliRunner

from aftaler import output
from aftaler.cli import cli


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def files_in(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.is_dir() else []


@pytest.mark.parametrize(("args", "first"), [
    (["agreement", "hospital"], "aftaler/aftale-hospital.docx"),
    (["agreement", "--all"], "aftaler/aftale-hospital.docx"),
    (["report", "2016", "--agreement", "hospital"], "rapporter/evaluering-2016-hospital.docx"),
    (["form", "export", "hospital", "2017"], "skemaer/evaluering-2017-hospital.xlsx"),
], ids=["agreement", "all", "report", "form"])
def test_an_output_that_is_a_file_is_one_line_and_exit_2(scratch, args, first):
    scratch.output.write_text("not a folder")
    result = run(scratch, *args)
    assert result.exit_code == 2
    assert result.output == (f"Error: cannot write {scratch.output / first}: "
                             f"{scratch.output} is a file, not a folder: move it away or "
                             "remove it\n")
    assert scratch.output.read_text() == "not a folder"


def test_a_folder_where_the_pdf_goes_leaves_the_word_file_unwritten_too(scratch):
    docx, pdf = scratch.agreement_files("hospital")
    pdf.mkdir(parents=True)
    result = run(scratch, "agreement", "hospital")
    assert result.exit_code == 2
    assert result.output == (f"Error: cannot write {pdf}: there is a folder of that name: "
                             "move it away or remove it\n")
    assert files_in(scratch.agreements_output) == ["aftale-hospital.pdf"]


def test_a_failure_writing_the_second_file_leaves_neither(tmp_path, monkeypatch):
    first, second = tmp_path / "a.docx", tmp_path / "a.pdf"
    first.write_bytes(b"old")
    real = output.write_temporary
    calls = []

    def full_disk(path, data, mode=0o644):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data, mode)

    monkeypatch.setattr(output, "write_temporary", full_disk)
    with pytest.raises(output.Unwritable) as caught:
        output.write_together([(first, b"new"), (second, b"new")])
    assert str(caught.value.message).endswith("a.pdf: No space left on device")
    assert first.read_bytes() == b"old"
    assert files_in(tmp_path) == ["a.docx"]
