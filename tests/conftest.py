"""Shared fixtures: the real project, scratch copies of it, and the hospital build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aftaler.build.pipeline import build_agreement
from aftaler.project import Project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project() -> Project:
    """The repository itself: its agreements/ and templates/."""
    return Project(ROOT)


@pytest.fixture(scope="session")
def hospital(project):
    """The hospital agreement's validated definition."""
    return project.definitions.agreement("hospital").model


@pytest.fixture(scope="session")
def alliance(project):
    return project.definitions.alliance().model


@pytest.fixture(scope="session")
def built(project, hospital, alliance):
    """The hospital agreement built once, in memory: .docx, .pdf and .document."""
    return build_agreement("hospital", hospital, alliance, project.templates)


@pytest.fixture
def scratch(tmp_path) -> Project:
    """A copy of the project in a temporary folder, safe to change and build into."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "agreements", tmp_path / "agreements")
    return Project(tmp_path)


@pytest.fixture
def hospital_yaml() -> str:
    return (ROOT / "agreements" / "hospital.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True, scope="session")
def _font_cache(tmp_path_factory):
    """Keep the tests' font subset cache out of the user's home folder."""
    import os

    folder = tmp_path_factory.mktemp("font-cache")
    old = os.environ.get("AFTALER_CACHE_DIR")
    os.environ["AFTALER_CACHE_DIR"] = str(folder)
    yield folder
    if old is None:
        del os.environ["AFTALER_CACHE_DIR"]
    else:
        os.environ["AFTALER_CACHE_DIR"] = old


class Hung(Exception):
    """A command ran past its hang guard."""


@pytest.fixture
def hang_guard():
    """`with hang_guard(seconds):` fails the test instead of hanging the suite.

    A guard against endless loops, set far above any real run: speed itself is measured
    in benchmarks/, never asserted.
    """
    import contextlib
    import signal

    @contextlib.contextmanager
    def guard(seconds: float):
        def expired(signum, frame):
            raise Hung(f"still running after {seconds} s")

        previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    return guard
