"""Files are written whole or not at all."""

from __future__ import annotations

import errno
import os

import pytest

from aftaler.output import write_atomic, write_new


def test_write_atomic_writes_the_bytes(tmp_path):
    path = write_atomic(tmp_path / "sub" / "f.pdf", b"%PDF-1.7 data")
    assert path.read_bytes() == b"%PDF-1.7 data"


def test_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "f.pdf"
    path.write_bytes(b"old")

    def crash(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.pdf"]


def test_failed_write_of_a_new_file_leaves_nothing(tmp_path, monkeypatch):
    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_atomic(tmp_path / "f.pdf", b"new")
    assert list(tmp_path.iterdir()) == []


# --- what a killed build leaves ------------------------------------------------------------

def _old(path, seconds: float = 3600) -> None:
    """Make `path` look written `seconds` ago."""
    import time

    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


def _killed_while_writing(folder, name: str) -> list:
    """A process that dies by SIGKILL while writing `folder/name`: its temporary file
    stays behind, as a build killed halfway leaves it."""
    import multiprocessing
    import signal

    def write_and_die():
        from aftaler import output

        output._write_locked(folder / name, b"halvt skrevet", 0o644)
        os.kill(os.getpid(), signal.SIGKILL)

    child = multiprocessing.get_context("fork").Process(target=write_and_die)
    child.start()
    child.join()
    assert child.exitcode == -signal.SIGKILL
    return sorted(folder.glob(f".{name}.*.part"))


def test_the_next_write_removes_what_a_killed_write_left(tmp_path):
    from aftaler import output

    [left] = _killed_while_writing(tmp_path, "aftale-hospital.pdf")
    _old(left)
    output.write_atomic(tmp_path / "aftale-hospital.docx", b"docx")
    assert not left.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aftale-hospital.docx"]


def test_a_write_still_going_on_keeps_its_temporary_file(tmp_path):
    """Another build writing into the same folder holds its temporary file locked: it is
    left alone, however old it looks, and renamed into place when done."""
    import multiprocessing

    from aftaler import output

    started, finish = multiprocessing.Event(), multiprocessing.Event()

    def slow_writer():
        tmp, fd = output._write_locked(tmp_path / "rapport.pdf", b"hel", 0o644)
        _old(tmp)
        started.set()
        finish.wait(60)
        os.replace(tmp, tmp_path / "rapport.pdf")
        os.close(fd)

    child = multiprocessing.get_context("fork").Process(target=slow_writer)
    child.start()
    try:
        assert started.wait(60)
        [busy] = tmp_path.glob(".rapport.pdf.*.part")
        assert output.remove_stale_parts(tmp_path) == [] and busy.exists()
    finally:
        finish.set()
        child.join(60)
    assert (tmp_path / "rapport.pdf").read_bytes() == b"hel"


@pytest.mark.parametrize("name", [".notes.part", "notes.pdf.abcd1234.part",
                                  ".aftale.pdf.ABCD1234.part.bak"])
def test_only_our_temporary_files_are_removed(tmp_path, name):
    from aftaler import output

    other = tmp_path / name
    other.write_bytes(b"not ours")
    _old(other)
    assert output.remove_stale_parts(tmp_path) == []
    assert other.exists()


def test_a_fresh_temporary_file_is_left_for_its_writer(tmp_path):
    """Between making its temporary file and locking it a writer holds no lock: a file
    younger than STALE_AFTER may be in that moment, and is left alone."""
    from aftaler import output

    [left] = _killed_while_writing(tmp_path, "aftale.pdf")
    assert output.remove_stale_parts(tmp_path) == []
    assert left.exists()


def test_a_build_cleans_its_output_folder_of_a_killed_builds_files(scratch):
    from click.testing import CliRunner

    from aftaler.cli import cli

    folder = scratch.agreements_output
    folder.mkdir(parents=True)
    [left] = _killed_while_writing(folder, "aftale-hospital.pdf")
    _old(left)
    result = CliRunner().invoke(cli, ["--project", str(scratch.root), "agreement", "hospital"])
    assert result.exit_code == 0, result.output
    assert not left.exists()
    assert not list(folder.glob("*.part")) and not list(folder.glob(".*.part"))


def test_write_new_never_replaces_a_file_there(tmp_path):
    path = tmp_path / "skema.xlsx"
    write_new(path, b"first")
    with pytest.raises(FileExistsError):
        write_new(path, b"second")
    assert path.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["skema.xlsx"]


@pytest.mark.parametrize("no_links", [errno.EPERM, errno.ENOTSUP, errno.EXDEV])
def test_write_new_without_hard_links_still_refuses_a_taken_name(tmp_path, monkeypatch,
                                                                 no_links):
    def cannot_link(src, dst):  # FAT, some network shares
        raise OSError(no_links, os.strerror(no_links))

    monkeypatch.setattr(os, "link", cannot_link)
    path = tmp_path / "skema.xlsx"
    write_new(path, b"first")
    assert path.read_bytes() == b"first"
    with pytest.raises(FileExistsError):
        write_new(path, b"second")
    assert path.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["skema.xlsx"]
