"""A returned draft and what was sent: which agreement, which version of its
definition, every field and paragraph as sent.

What was sent is read from the draft itself (its custom XML part); if an editor lost
that, from the draft kept when it was built (`output/aftaler/udkast/`), found by the
custom properties; if those are gone too, the kept draft whose text the file has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..names import NAME_PATTERN
from ..project import Project
from ..render import draftpart, wordtext
from ..render.draftpart import NotADraft, Sent
from ..render.wordtext import Reading
from .package import BadDraft, printable, read_parts
from .worddiff import normalise

SAME_TEXT = 0.5  # the share of a kept draft's paragraphs a file must have to be that draft


@dataclass(frozen=True)
class Returned:
    path: Path
    reading: Reading
    sent: Sent
    source: str  # where what was sent was read from, for people

    @property
    def shown(self) -> str:
        return printable(self.path.name)


def _read(parts: dict[str, bytes], shown: str) -> Reading:
    try:
        return wordtext.read(parts)
    except (ValueError, KeyError) as exc:
        raise BadDraft(f"{shown}: damaged: its text is not readable ({exc})") from None


def _kept(path: Path) -> Sent:
    parts = read_parts(path)
    data = draftpart.find_part(parts)
    if data is None:
        raise NotADraft(f"{path.name} holds no record of what was sent")
    return draftpart.parse_part(data)


def _by_text(project: Project, reading: Reading) -> tuple[Sent, Path] | None:
    """The kept draft most of whose paragraphs the file has, word for word."""
    texts = {normalise(p.text()) for p in reading.paragraphs}
    best: tuple[float, Sent, Path] | None = None
    for path in sorted(project.sent_drafts.glob("aftale-*.docx")):
        try:
            sent = _kept(path)
        except (BadDraft, NotADraft):
            continue
        own = [normalise(p.text) for p in sent.paragraphs if p.where.part == "body"]
        own = [t for t in own if len(t.split()) >= 3]
        if not own:
            continue
        share = sum(t in texts for t in own) / len(own)
        if share >= SAME_TEXT and (best is None or share > best[0]):
            best = (share, sent, path)
    return (best[1], best[2]) if best else None


def open_returned(project: Project, path: Path) -> Returned:
    """The returned draft at `path` and what was sent; BadDraft (one line) if it is no
    draft of ours, is damaged, or is a draft of an agreement that no longer exists."""
    parts = read_parts(path)
    shown = printable(path.name)
    reading = _read(parts, shown)
    display = project.definitions.display
    sent, source, problem = None, "", ""
    data = draftpart.find_part(parts)
    if data is not None:
        try:
            sent, source = draftpart.parse_part(data), "the draft itself"
        except NotADraft as exc:
            problem = f" ({exc})"
    if sent is None:
        props = draftpart.properties(parts)
        name = props.get(draftpart.AGREEMENT_PROPERTY, "")
        fingerprint = props.get(draftpart.FINGERPRINT_PROPERTY, "")
        if NAME_PATTERN.fullmatch(name) and re.fullmatch(r"[0-9a-f]{16}", fingerprint):
            kept = project.sent_draft(name, fingerprint)
            try:
                sent = _kept(kept)
            except (BadDraft, NotADraft):
                raise BadDraft(
                    f"{shown}: a draft of {name} (version {fingerprint}) that has lost its "
                    f"record of what was sent{problem}, and the draft kept when it was "
                    f"built ({display(kept)}) is not there to read it against") from None
            source = f"the draft kept when it was built ({display(kept)})"
    if sent is None:
        found = _by_text(project, reading)
        if found is None:
            raise BadDraft(f"{shown}: not a draft made by this program: it carries no record "
                           f"of one{problem}, and its text is not that of any draft kept in "
                           f"{display(project.sent_drafts)}/")
        sent, kept = found
        source = f"its text, which is that of the draft kept in {display(kept)}"
    definition = project.definitions.agreements_folder / f"{sent.agreement}.yaml"
    if not NAME_PATTERN.fullmatch(sent.agreement) or not definition.is_file():
        raise BadDraft(f"{shown}: a draft of the agreement {printable(sent.agreement)!r}, "
                       f"which no longer exists ({display(definition)} is not there)")
    return Returned(path, reading, sent, source)
