"""Every kind of Word file we write has the document properties Word opens without repair.

Read with lxml from the files as the commands write them: docProps/core.xml holds each
property once, in its own namespace (python-docx-template #471: importing docxtpl made
python-docx write keywords, lastModifiedBy, revision and lastPrinted a second time in the
custom-properties namespace, which Word repairs), and docProps/app.xml names this program
and claims no page or word counts.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT
from lxml import etree

from aftaler import __version__
from aftaler.cli import cli

CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC, DCTERMS = "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

# what a user runs -> the Word file it writes
KINDS = {
    "agreement of two parties (a column each)": (
        ["agreement", "hospital"], "aftaler/aftale-hospital.docx"),
    "agreement of fifteen parties (a row each)": (
        ["agreement", "fifteen"], "aftaler/aftale-fifteen.docx"),
    "programme report": (["report", "2016"], "rapporter/evaluering-2016.docx"),
    "one agreement's report": (
        ["report", "2016", "--agreement", "hospital"], "rapporter/evaluering-2016-hospital.docx"),
    "another programme's report": (
        ["report", "2023", "--programme", "vaekstalliancen"],
        "rapporter/evaluering-2023-vaekstalliancen.docx"),
}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """Each kind of Word file, written by its command in a copy of the project."""
    root = tmp_path_factory.mktemp("word-properties")
    for folder in ("templates", "agreements", "programmes"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(FIXTURES / "fifteen-parties.yaml", root / "agreements" / "fifteen.yaml")
    files = {}
    for kind, (args, path) in KINDS.items():
        result = CliRunner().invoke(cli, ["--project", str(root), *args])
        assert result.exit_code == 0, result.output
        files[kind] = root / "output" / path
    return files


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as docx:
        return etree.fromstring(docx.read(name))


@pytest.mark.parametrize("kind", KINDS)
def test_each_core_property_is_there_once_in_its_own_namespace(written, kind):
    core = part(written[kind], "docProps/core.xml")
    assert core.tag == f"{{{CORE}}}coreProperties"
    tags = [etree.QName(child) for child in core]
    assert {tag.namespace for tag in tags} <= {CORE, DC, DCTERMS}
    assert [tag for tag, n in Counter(t.text for t in tags).items() if n > 1] == []


@pytest.mark.parametrize("kind", KINDS)
def test_the_core_properties_python_docx_sets_are_the_documents(written, kind):
    core = part(written[kind], "docProps/core.xml")

    def value(namespace, name):
        [element] = core.findall(f"{{{namespace}}}{name}")
        return element.text

    programme = "Vækstalliancen" if "fifteen" in kind or "another" in kind \
        else "HORSENS ALLIANCEN"
    assert value(DC, "creator") == value(CORE, "lastModifiedBy") == programme
    assert value(CORE, "keywords").startswith(programme)
    assert value(CORE, "revision") == "1"
    assert value(DC, "language") == "da-DK"
    assert value(DC, "title")
    # Never printed, so no date it was last printed.
    assert core.find(f"{{{CORE}}}lastPrinted") is None


@pytest.mark.parametrize("kind", KINDS)
def test_app_xml_names_this_program_and_claims_no_counts(written, kind):
    app = part(written[kind], "docProps/app.xml")
    assert app.tag == f"{{{EXTENDED}}}Properties"
    assert app.findtext(f"{{{EXTENDED}}}Application") == f"horsens-aftaler {__version__}"
    present = {etree.QName(child).localname for child in app}
    # Only a layout knows them (Word counts again on saving); the template's said 1 and 0.
    assert present.isdisjoint({"Pages", "Words", "Characters", "CharactersWithSpaces",
                               "Lines", "Paragraphs", "TotalTime", "Template", "AppVersion"})


@pytest.mark.parametrize("kind", KINDS)
def test_no_thumbnail_of_a_blank_page_and_every_relationship_reaches_a_part(written, kind):
    with zipfile.ZipFile(written[kind]) as docx:
        names = set(docx.namelist())
        rels = etree.fromstring(docx.read("_rels/.rels"))
    assert not any("thumbnail" in name for name in names)
    targets = [rel.get("Target").lstrip("/") for rel in rels.iter(f"{{{RELS}}}Relationship")]
    assert targets and all(target in names for target in targets)


def test_core_properties_are_right_however_docxcompose_left_python_docxs_prefix(
        built, project, monkeypatch):
    """As importing docxtpl leaves python-docx's namespace map: `cp` -> custom properties."""
    import docx.oxml.ns
    from docxcompose.utils import NS

    from aftaler.render import word

    monkeypatch.setitem(docx.oxml.ns.nsmap, "cp", NS["cp"])
    with zipfile.ZipFile(io.BytesIO(word.render(built.document, project.templates))) as docx_:
        core = etree.fromstring(docx_.read("docProps/core.xml"))
    assert [etree.QName(c).namespace for c in core].count(NS["cp"]) == 0
    assert len(core.findall(f"{{{CORE}}}keywords")) == 1
