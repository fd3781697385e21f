"""Files are written whole or not at all."""

from __future__ import annotations

import os

import pytest

from aftaler.output import write_atomic


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
