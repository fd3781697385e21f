"""PDF/A and PDF/UA as page-validation, an independent validator, judges a file."""

from __future__ import annotations

from pathlib import Path


def failed_rules(path: str | Path, profile: str) -> list[str]:
    """The ids of the rules the PDF at `path` fails under `profile` ("3a", "ua1", …);
    an empty list when it conforms."""
    import page

    report = page.validate_pdf(str(path), profile=profile)
    return sorted({failure.rule_id for failure in report.failures})
