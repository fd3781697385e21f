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
    """HORSENS ALLIANCEN, the programme of the hospital agreement."""
    return project.definitions.programme("alliance").model


@pytest.fixture(scope="session")
def built(project, hospital, alliance):
    """The hospital agreement built once, in memory: .docx, .pdf and .document."""
    return build_agreement("hospital", hospital, alliance, project.templates)


@pytest.fixture
def scratch(tmp_path) -> Project:
    """A copy of the project in a temporary folder, safe to change and build into."""
    for folder in ("templates", "agreements", "programmes"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return Project(tmp_path)


@pytest.fixture
def hospital_yaml() -> str:
    return (ROOT / "agreements" / "hospital.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def soffice_profile(tmp_path_factory) -> Path:
    """A LibreOffice user profile for the tests alone (made on first use)."""
    return tmp_path_factory.mktemp("soffice-profile")


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
