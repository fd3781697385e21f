"""A project folder: definitions, templates and output side by side."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .names import DEFAULT_PROGRAMME
from .render.templates import TemplateFolder
from .sources.definitions import Definitions


@dataclass(frozen=True)
class Project:
    root: Path

    @cached_property
    def definitions(self) -> Definitions:
        """The definitions, each read and validated once in this Project's life."""
        return Definitions(self.root)

    @property
    def templates(self) -> TemplateFolder:
        return TemplateFolder(self.root / "templates")

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def agreements_output(self) -> Path:
        return self.output / "aftaler"

    @property
    def reports_output(self) -> Path:
        return self.output / "rapporter"

    @property
    def forms_output(self) -> Path:
        """Where the evaluation forms go: output/skemaer/"""
        return self.output / "skemaer"

    def final_pdfs(self) -> list[Path]:
        """Every PDF the builds have written: the agreements', then the reports'."""
        return [*sorted(self.agreements_output.glob("*.pdf")),
                *sorted(self.reports_output.glob("*.pdf"))]

    def agreement_files(self, name: str) -> tuple[Path, Path]:
        """Where an agreement's Word and PDF files go: output/aftaler/aftale-NAME.*"""
        folder = self.agreements_output
        return folder / f"aftale-{name}.docx", folder / f"aftale-{name}.pdf"

    def edition_file(self, name: str, edition: str) -> Path:
        """Where an agreement's edition for a signing service goes:
        output/aftaler/aftale-NAME-nemlogin.pdf"""
        return self.agreements_output / f"aftale-{name}-{edition}.pdf"

    @property
    def sent_drafts(self) -> Path:
        """Where every Word draft built is kept as it was, by the version of its
        definition: what a returned draft is read against (`changes`)."""
        return self.agreements_output / "udkast"

    def sent_draft(self, name: str, fingerprint: str) -> Path:
        """output/aftaler/udkast/aftale-NAME-FINGERPRINT.docx"""
        return self.sent_drafts / f"aftale-{name}-{fingerprint}.docx"

    def report_files(self, year: int, programme_id: str | None = None,
                     only: str | None = None) -> tuple[Path, Path]:
        """Where a report's Word and PDF files go: output/rapporter/evaluering-2016.*
        (HORSENS ALLIANCEN), evaluering-2023-vaekstalliancen.* (another programme),
        evaluering-2016-hospital.* (one agreement alone)."""
        base = f"evaluering-{year}"
        if only:
            base += f"-{only}"
        elif programme_id and programme_id != DEFAULT_PROGRAMME:
            base += f"-{programme_id}"
        folder = self.reports_output
        return folder / f"{base}.docx", folder / f"{base}.pdf"
