"""What changed in a returned draft, field by field, and outside every field.

Each field is compared as sent with the draft's text of it in two readings: with the
pending tracked changes rejected (what the partner changed outright) and accepted. A
field printed in several places (a party's name) takes the one new text its places
agree on. Text added, removed or changed outside every field, tracked changes and
comments there too, are listed as such, so that nothing is silently dropped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..render.draftpart import SentField, SentParagraph
from ..render.wordtext import Comment, Paragraph, Piece, Reading, Where
from . import align
from .draft import Returned
from .worddiff import normalise, shown

UNCHANGED, CHANGED, REMOVED = "unchanged", "changed", "removed"


@dataclass(frozen=True)
class Pending:
    """A tracked change not yet accepted or rejected."""

    kind: str
    author: str
    date: str
    text: str

    @property
    def described(self) -> str:
        who = f" by {self.author}" if self.author else ""
        when = f" ({self.date})" if self.date else ""
        what = f': "{self.text}"' if self.text else ""
        return f"{self.kind}{who}{when}{what}"


@dataclass(frozen=True)
class Remark:
    """A comment, by its author."""

    author: str
    date: str
    text: str

    @property
    def described(self) -> str:
        who = self.author or "someone"
        when = f" ({self.date})" if self.date else ""
        return f'{who}{when}: "{self.text}"'


@dataclass
class _Place:
    kept: str  # with the pending changes rejected
    accepted: str
    how: str
    pending: list[Pending]
    comments: set[str]


@dataclass
class FieldChange:
    """One field: as sent, in the returned draft, and in the definition now."""

    field: SentField
    kept: str | None = None  # None: no longer in the draft
    accepted: str | None = None
    how: str = ""  # found by its control or by text ("": not found)
    pending: list[Pending] = field(default_factory=list)
    comments: list[Remark] = field(default_factory=list)
    current: str | None = None  # what the definition prints there now (None: nothing)
    problem: str | None = None  # its places in the draft disagree

    @property
    def sent(self) -> str:
        return normalise(self.field.value)

    def new(self, accept_tracked: bool = False) -> str | None:
        return self.accepted if accept_tracked else self.kept

    def status(self, accept_tracked: bool = False) -> str:
        value = self.new(accept_tracked) or ""
        if value == self.sent:
            return UNCHANGED
        return CHANGED if value else REMOVED  # emptied or gone: its text is not there

    def to_write(self, accept_tracked: bool = False) -> bool:
        """Whether `--apply` has something to write here (or to refuse)."""
        new = self.new(accept_tracked)
        return new != self.sent and new != self.current

    @property
    def changed_in_definition(self) -> bool:
        return self.current != self.sent

    @property
    def noteworthy(self) -> bool:
        return bool(self.status() != UNCHANGED or self.pending or self.comments or
                    self.problem or self.how == align.BY_TEXT)


@dataclass(frozen=True)
class Outside:
    """Text added, removed or changed outside every field; a tracked change or a
    comment there."""

    kind: str  # added, removed, changed, tracked, comment
    where: str
    text: str


@dataclass
class Negotiated:
    returned: Returned
    fields: list[FieldChange]
    outside: list[Outside]
    current_fingerprint: str

    @property
    def same_version(self) -> bool:
        return self.current_fingerprint == self.returned.sent.fingerprint


def _pending(reading: Reading, pieces: list[Piece]) -> list[Pending]:
    """The tracked changes among `pieces`, each with its text."""
    texts: dict[int, str] = {}
    for piece in pieces:
        if piece.revision is not None and (piece.inserted or piece.deleted):
            texts[piece.revision] = texts.get(piece.revision, "") + piece.text
    out = []
    for number, text in texts.items():
        revision = reading.revisions[number]
        out.append(Pending(revision.kind, revision.author, revision.date, normalise(text)))
    return out


def _text(pieces: list[Piece], *, accepted: bool) -> str:
    return normalise("".join(p.text for p in pieces
                             if not (p.deleted if accepted else p.inserted)))


def _shape(segments: list[tuple[str | None, str]]) -> str:
    """The paragraph's fixed text, each field a placeholder."""
    out, last = [], object()
    for tag, text in segments:
        if tag is None:
            out.append(text)
        elif tag != last:
            out.append(f"⟨{tag}⟩")
        last = tag
    return normalise("".join(out))


_PARTS = {"header": "in the header", "footer": "in the footer", "footnotes": "in a footnote",
          "endnotes": "in an endnote"}


def _where(where: Where, before: str = "", inside: str | None = None) -> str:
    """Where a paragraph is, for people: 'after "…of kursusaktivitet."' (`before`: the
    text before it), 'in "Aftalen træder i kraft …"' (`inside`: its own text), either in
    a table cell; 'in the footer'."""
    if where.part != "body":
        return _PARTS.get(where.part, f"in the {where.part}")
    if inside is not None:
        words = normalise(inside).split()
        near = ('in "' + " ".join(words[:6]) + ("…" if len(words) > 6 else "") + '"'
                if words else "in an empty paragraph")
    else:
        words = before.split()
        near = ('after "' + ("…" if len(words) > 6 else "") + " ".join(words[-6:]) + '"'
                if words else "at the start")
    return f"in a table cell, {near}" if where.in_table else near


class _Comparison:
    def __init__(self, returned: Returned):
        self.returned = returned
        self.reading = returned.reading
        self.sent = returned.sent
        self.known = set(self.sent.fields)
        self.places: dict[str, list[_Place]] = defaultdict(list)
        self.outside: list[Outside] = []
        self.comment_tags: dict[str, set[str]] = defaultdict(set)
        self.comment_places: dict[str, str] = {}  # a comment outside every field: where
        self.seen_revisions: set[int] = set()
        self.before = ""  # the last text passed, to say where something is

    def run(self) -> None:
        paragraphs = self.reading.paragraphs
        for i, j in align.pair(self.sent.paragraphs, paragraphs):
            sent = self.sent.paragraphs[i] if i is not None else None
            returned = paragraphs[j] if j is not None else None
            if sent is not None and returned is not None:
                assigned, how = align.assign(sent, returned, self.known)
                self.paired(sent, returned, assigned, how)
            elif returned is not None:
                self.added(returned)
            else:
                self.removed(sent)
            text = returned.text() if returned is not None else sent.text
            if normalise(text):
                self.before = normalise(text)

    def _fields(self, assigned: align.Assigned, how: str, returned: Paragraph) -> None:
        by_tag: dict[str, list[Piece]] = defaultdict(list)
        for tag, piece in assigned:
            if tag is not None:
                by_tag[tag].append(piece)
        for tag, pieces in by_tag.items():
            comments = set().union(*(p.comments for p in pieces))
            for comment in comments:
                self.comment_tags[comment].add(tag)
            self.places[tag].append(_Place(_text(pieces, accepted=False),
                                           _text(pieces, accepted=True), how,
                                           _pending(self.reading, pieces), comments))
        self._paragraph_revisions(returned)
        literal = [p for tag, p in assigned if tag is None]
        where = _where(returned.where, inside=returned.text(accepted=False))
        for pending in _pending(self.reading, literal):
            self.outside.append(Outside("tracked", where, pending.described))
        for piece in literal:
            for comment in piece.comments:
                self.comment_places.setdefault(comment, where)

    def _paragraph_revisions(self, returned: Paragraph) -> None:
        for number in returned.revisions:
            if number in self.seen_revisions:
                continue
            self.seen_revisions.add(number)
            revision = self.reading.revisions[number]
            pending = Pending(revision.kind, revision.author, revision.date, "")
            self.outside.append(Outside("tracked", _where(returned.where, inside=returned.text()),
                                        pending.described))

    def paired(self, sent: SentParagraph, returned: Paragraph, assigned: align.Assigned,
               how: str) -> None:
        self._fields(assigned, how, returned)
        kept = [(tag, p.text) for tag, p in assigned if not p.inserted]
        old, new = _shape(list(sent.segments)), _shape(kept)
        if old != new:
            self.outside.append(Outside("changed", _where(returned.where, inside=sent.text),
                                        shown(old, new)))

    def added(self, returned: Paragraph) -> None:
        assigned = align.by_controls(returned, self.known)
        self._fields(assigned, align.BY_CONTROL, returned)
        literal = [p for tag, p in assigned if tag is None]
        text = _text(literal, accepted=False)
        if text:
            self.outside.append(Outside("added", _where(returned.where, self.before),
                                        f'"{text}"'))

    def removed(self, sent: SentParagraph) -> None:
        text = normalise("".join(t for tag, t in sent.segments if tag is None))
        if text:
            self.outside.append(Outside("removed", _where(sent.where, self.before),
                                        f'"{text}"'))

    def field_changes(self, current: dict[str, str]) -> list[FieldChange]:
        comments = self.reading.comments
        out = []
        for tag, sent_field in self.sent.fields.items():
            change = FieldChange(sent_field, current=current.get(sent_field.id))
            places = self.places.get(tag, [])
            if not places and not change.sent:  # empty as sent (a party without a
                change.kept = change.accepted = ""  # commitment), and still empty
            elif places:
                change.kept, problem_kept = _agreed([p.kept for p in places], change.sent)
                change.accepted, problem_accepted = _agreed([p.accepted for p in places],
                                                            change.sent)
                change.problem = problem_kept or problem_accepted
                change.how = (align.BY_CONTROL if all(p.how == align.BY_CONTROL
                                                      for p in places) else align.BY_TEXT)
                change.pending = [x for p in places for x in p.pending]
                ids = sorted(set().union(*(p.comments for p in places)), key=_number)
                change.comments = [_remark(comments[i]) for i in ids if i in comments]
            out.append(change)
        return out

    def stray_comments(self) -> None:
        """Comments on no field: on fixed text, or on nothing we read."""
        for number, comment in sorted(self.reading.comments.items(), key=lambda c: _number(c[0])):
            if self.comment_tags.get(number):
                continue
            where = self.comment_places.get(number, "on no text")
            self.outside.append(Outside("comment", where, _remark(comment).described))


def _number(text: str) -> tuple[int, str]:
    return (int(text), "") if text.isdigit() else (1 << 30, text)


def _remark(comment: Comment) -> Remark:
    return Remark(comment.author, comment.date, normalise(comment.text))


def _agreed(values: list[str], sent: str) -> tuple[str, str | None]:
    """The field's new text from its places: the one they changed it to (unchanged
    places agree with any); a problem if they changed it to different texts."""
    changed = list(dict.fromkeys(v for v in values if v != sent))
    if not changed:
        return sent, None
    if len(changed) == 1:
        return changed[0], None
    listed = " / ".join(f'"{v}"' for v in changed)
    return changed[0], f"its {len(values)} places in the draft say different things: {listed}"


def compare(returned: Returned, current: dict[str, str],
            current_fingerprint: str) -> Negotiated:
    """`current`: every field id the definition prints now, with its text."""
    comparison = _Comparison(returned)
    comparison.run()
    fields = comparison.field_changes({k: normalise(v) for k, v in current.items()})
    comparison.stray_comments()
    return Negotiated(returned, fields, comparison.outside, current_fingerprint)


def read(project, path) -> Negotiated:
    """The returned draft at `path`, compared with what was sent and with its
    agreement's definition as it is now."""
    from ..documents import agreement as document_model
    from ..documents.fields import fields_in
    from .draft import open_returned

    returned = open_returned(project, path)
    name = returned.sent.agreement
    definitions = project.definitions
    agreement = definitions.agreement(name).model
    programme = definitions.programme(agreement.programme).model
    doc = document_model.build(name, agreement, programme)
    current = {f.field: str(f) for f in fields_in(doc)}
    return compare(returned, current, doc.fingerprint)
