"""Shared fixtures: the real project, scratch copies of it, and the hospital build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from aftaler.cli import cli
from aftaler.pipeline.steps import build_agreement
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


FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def examples(tmp_path_factory) -> Project:
    """A copy of the project with the tests' own agreements added: three parties
    (three.yaml), fifteen (fifteen.yaml, of Vækstalliancen), and four with commas in
    their names (akut.yaml, with its evaluation of 2023)."""
    root = tmp_path_factory.mktemp("examples")
    for folder in ("templates", "agreements", "programmes"):
        shutil.copytree(ROOT / folder, root / folder)
    for name in ("three", "fifteen", "akut"):
        shutil.copy(FIXTURES / f"{name}-parties.yaml", root / "agreements" / f"{name}.yaml")
    (root / "agreements" / "akut").mkdir()
    shutil.copy(FIXTURES / "akut-2023.yaml", root / "agreements" / "akut" / "2023.yaml")
    return Project(root)


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice, to see Word files as a user's office suite lays them out.

    Not a dependency of the program. Tests that need it are skipped where it is not
    installed, unless AFTALER_REQUIRE_SOFFICE=1 (CI sets it): then they fail.
    """
    import os

    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    message = "LibreOffice (soffice) is not installed"
    if os.environ.get("AFTALER_REQUIRE_SOFFICE") == "1":
        pytest.fail(f"{message}, and AFTALER_REQUIRE_SOFFICE=1")
    pytest.skip(message)


def convert_with_libreoffice(soffice: str, files: dict[str, bytes], folder: Path,
                             to: str = "pdf") -> dict[str, bytes]:
    """Convert each file (name -> bytes) with one headless LibreOffice run."""
    import subprocess

    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    profile = folder / "profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", to, "--outdir", str(folder / "out"),
                    *[str(folder / name) for name in files]],
                   check=True, capture_output=True, timeout=180)
    return {name: (folder / "out" / (Path(name).stem + "." + to)).read_bytes()
            for name in files}


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


@pytest.fixture(scope="session")
def every_state(tmp_path_factory) -> Project:
    """A project with agreements in every state on overview_project.TODAY, built, signed
    and archived by the program itself (see tests/overview_project.py); its certificates
    in keys/. Copy it (overview_project.copy) to change it."""
    from overview_project import make

    return Project(make(tmp_path_factory.mktemp("every-state")))


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    """The folder the secretary saves the returned forms in, and works in."""
    folder = tmp_path / "indbakke"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def blank(scratch):
    """The hospital's blank form for 2017, exported into the scratch project."""
    result = CliRunner().invoke(cli, ["--project", str(scratch.root), "form", "export",
                                      "hospital", "2017"])
    assert result.exit_code == 0, result.output
    return scratch.forms_output / "evaluering-2017-hospital.xlsx"


@pytest.fixture
def record(scratch):
    """agreements/hospital/2017.yaml, removed: the year is not evaluated yet."""
    path = scratch.definitions.records.evaluation_path("hospital", 2017)
    path.unlink()
    return path


def build_named(project: Project, name: str):
    """Agreement `name` of `project` built in memory, with the programme it names."""
    definitions = project.definitions
    agreement = definitions.agreement(name).model
    return build_agreement(name, agreement, definitions.programme(agreement.programme).model,
                           project.templates)


@pytest.fixture
def saved_after_loading(monkeypatch):
    """`saved_after_loading(path, added)`: once the program has loaded `path`, someone
    saves it again with `added` at its end (before the program writes into it)."""
    from aftaler.sources.files import SourceFiles

    loaded = SourceFiles.load

    def arrange(path: Path, added: str) -> None:
        def load_then_saved_again(self, file, *args, **kwargs):
            found = loaded(self, file, *args, **kwargs)
            if file == path:
                file.write_text(file.read_text(encoding="utf-8") + added, encoding="utf-8")
            return found

        monkeypatch.setattr(SourceFiles, "load", load_then_saved_again)

    return arrange
