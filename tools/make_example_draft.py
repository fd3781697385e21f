"""Make examples/aftale-hospital-retur.docx: the hospital agreement's Word draft as the
hospital sends it back, for the README's negotiation round.

    python tools/make_example_draft.py

Edited as Word saves a partner's edits (with the editing functions of tests/drafts.py):
a commitment rewritten, a tracked insertion in another cell, a comment on the
evaluation clause, a paragraph added outside every field. Run it again when
agreements/hospital.yaml changes: a test fails while the example is no longer a draft of
the agreement as it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import drafts  # noqa: E402

from aftaler.pipeline.steps import build_agreement  # noqa: E402
from aftaler.project import Project  # noqa: E402

TARGET = ROOT / "examples" / "aftale-hospital-retur.docx"
AUTHOR = "Lise Hansen"


def main() -> None:
    project = Project(ROOT)
    definitions = project.definitions
    hospital = definitions.agreement("hospital").model
    files = build_agreement("hospital", hospital, definitions.programme("alliance").model,
                            project.templates)
    draft = drafts.Draft(files.docx)
    drafts.rewrite(draft, "efforts[0].commitments.hospital",
                   "Hospitalsenheden Horsens forpligter sig på at tilbyde mindst to "
                   "rotationsforløb om året")
    drafts.track_insertion(draft, "efforts[1].commitments.municipality",
                           " og løbende opfølgning", author=AUTHOR,
                           date="2014-10-20T09:30:00Z")
    drafts.comment(draft, "evaluation", "Kan evalueringen ligge i januar, før budgettet?",
                   author=AUTHOR, date="2014-10-20T09:35:00Z")
    drafts.add_paragraph_after(draft, draft.paragraph_of("cooperation[0]"),
                               "Parterne mødes hvert kvartal og gør status.")
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_bytes(draft.save())
    print(TARGET.relative_to(ROOT))


if __name__ == "__main__":
    main()
