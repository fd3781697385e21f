"""PDF/A and PDF/UA as page-validation, an independent validator, judges a file.

It runs in a process of its own: page-validation starts a thread pool the first time it
validates, and a process forked after that (the archive's concurrency tests fork) hangs
as soon as it validates.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

_VALIDATE = ("import json, sys, page; report = page.validate_pdf(sys.argv[1], "
             "profile=sys.argv[2]); print(json.dumps(sorted({f.rule_id for f in "
             "report.failures})))")


def failed_rules(pdf: str | Path | bytes, profile: str) -> list[str]:
    """The ids of the rules the PDF (at a path, or its bytes) fails under `profile`
    ("3a", "ua1", …); an empty list when it conforms."""
    if isinstance(pdf, bytes):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "document.pdf"
            path.write_bytes(pdf)
            return failed_rules(path, profile)
    done = subprocess.run([sys.executable, "-c", _VALIDATE, str(pdf), profile],
                          capture_output=True, text=True, check=True, timeout=300)
    return json.loads(done.stdout)
