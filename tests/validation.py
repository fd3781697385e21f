"""PDF/A and PDF/UA, judged by an independent validator (page-validation, which passes
the veraPDF corpus and the Isartor suite; see /work/shared/RECEIVERS.md)."""

from __future__ import annotations

import tempfile
from pathlib import Path


def failed_rules(pdf: Path | bytes, profile: str) -> list[str]:
    """The ids of the rules of `profile` ("3a", "ua1", ...) that the PDF fails, sorted;
    [] for a conforming file."""
    import page

    if isinstance(pdf, bytes):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "document.pdf"
            path.write_bytes(pdf)
            return failed_rules(path, profile)
    report = page.validate_pdf(str(pdf), profile=profile)
    return sorted({failure.rule_id for failure in report.failures})
