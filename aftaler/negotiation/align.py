"""Which returned paragraph is which sent one, and which of its text is which field.

Paragraphs (table cells' too) are paired in order: equal text first, then, between
those, by what they share: a content control's tag, the same table cell, words. Within
a pair, a field's text is found

1. by its content control, tagged with its field (Word keeps them);
2. by position, when the paragraph has as many content controls as the sent one had
   fields but their tags are gone (LibreOffice keeps the controls, not their tags);
3. by the fixed words around it ("Aftalen træder i kraft den … og løber frem til den …");
4. by a word-level difference against the paragraph as sent, each new word given to the
   field it stands in or next to.

1 is "by its control"; 2-4 are "by text". A paragraph that was one field and nothing
else is that field entirely, also text typed just outside its control.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence

from ..render.draftpart import SentParagraph
from ..render.wordtext import Paragraph, Piece
from .worddiff import normalise, opcodes, tokens

BY_CONTROL, BY_TEXT = "control", "text"
PAIRED = 0.35  # the least a pair of paragraphs must have in common
# Beyond this many comparisons in one stretch of unequal paragraphs (a draft rewritten
# from end to end), each is compared only with the one in its place.
MAX_COMPARISONS = 20_000


def _words(text: str) -> list[str]:
    return normalise(text).split()


def _similarity(sent: SentParagraph, returned: Paragraph, text: str, diagonal: bool) -> float:
    if sent.where.part != returned.where.part:
        return 0.0
    if {t for t, _ in sent.segments if t} & {t for t in returned.controls if t}:
        return 1.0
    where, there = sent.where, returned.where
    bonus = 0.3 if diagonal else 0.0
    if where.in_table and (where.table, where.row, where.cell) == (there.table, there.row,
                                                                     there.cell):
        bonus += 0.5
    a, b = _words(sent.text), _words(text)
    if not a or not b:
        return bonus + (1.0 if not a and not b else 0.0)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() + bonus < PAIRED:
        return bonus
    return matcher.ratio() + bonus


def _pair_gap(sent: Sequence[SentParagraph], returned: Sequence[Paragraph],
              texts: Sequence[str]) -> list[tuple[int | None, int | None]]:
    """The best pairing of a stretch where nothing is equal (dynamic programming)."""
    m, n = len(sent), len(returned)
    if not m or not n:
        return [(i, None) for i in range(m)] + [(None, j) for j in range(n)]
    square = m == n
    if m * n > MAX_COMPARISONS:
        return _in_place(sent, returned, texts)
    score = [[_similarity(sent[i], returned[j], texts[j], square and i == j)
              for j in range(n)] for i in range(m)]
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            best[i][j] = max(best[i - 1][j], best[i][j - 1])
            if score[i - 1][j - 1] >= PAIRED:
                best[i][j] = max(best[i][j], best[i - 1][j - 1] + score[i - 1][j - 1])
    out: list[tuple[int | None, int | None]] = []
    i, j = m, n
    while i or j:
        if i and j and score[i - 1][j - 1] >= PAIRED and \
                best[i][j] == best[i - 1][j - 1] + score[i - 1][j - 1]:
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif j and (not i or best[i][j] == best[i][j - 1]):
            out.append((None, j - 1))
            j -= 1
        else:
            out.append((i - 1, None))
            i -= 1
    return out[::-1]


def _in_place(sent: Sequence[SentParagraph], returned: Sequence[Paragraph],
              texts: Sequence[str]) -> list[tuple[int | None, int | None]]:
    """Each paragraph paired with the one in its place, where they are alike enough."""
    out: list[tuple[int | None, int | None]] = []
    for k in range(max(len(sent), len(returned))):
        if k < len(sent) and k < len(returned) and \
                _similarity(sent[k], returned[k], texts[k], False) >= PAIRED:
            out.append((k, k))
            continue
        if k < len(sent):
            out.append((k, None))
        if k < len(returned):
            out.append((None, k))
    return out


def pair(sent: Sequence[SentParagraph],
         returned: Sequence[Paragraph]) -> list[tuple[int | None, int | None]]:
    """(sent index, returned index) in document order; None on one side: a paragraph
    only the other has (added, or removed)."""
    texts = [r.text() for r in returned]
    out: list[tuple[int | None, int | None]] = []
    for part in dict.fromkeys([*(s.where.part for s in sent), *(r.where.part for r in returned)]):
        si = [i for i, s in enumerate(sent) if s.where.part == part]
        rj = [j for j, r in enumerate(returned) if r.where.part == part]
        keys_s = [normalise(sent[i].text) for i in si]
        keys_r = [normalise(texts[j]) for j in rj]
        for op, a1, a2, b1, b2 in difflib.SequenceMatcher(
                None, keys_s, keys_r, autojunk=False).get_opcodes():
            if op == "equal":
                out += [(si[a], rj[b]) for a, b in zip(range(a1, a2), range(b1, b2),
                                                        strict=True)]
                continue
            gap = _pair_gap([sent[i] for i in si[a1:a2]], [returned[j] for j in rj[b1:b2]],
                            [texts[j] for j in rj[b1:b2]])
            out += [(si[a1 + a] if a is not None else None,
                     rj[b1 + b] if b is not None else None) for a, b in gap]
    return out


Assigned = list[tuple[str | None, Piece]]  # each piece of text with its field's tag


def by_controls(returned: Paragraph, known: set[str]) -> Assigned:
    """Each piece to the field its control is tagged with (None: none we know)."""
    return [(_tag(returned, p) if _tag(returned, p) in known else None, p)
            for p in returned.pieces]


def _tag(paragraph: Paragraph, piece: Piece) -> str | None:
    return paragraph.controls[piece.control] if piece.control is not None else None


def assign(sent: SentParagraph, returned: Paragraph, known: set[str]) -> tuple[Assigned, str]:
    """The returned paragraph's text, piece by piece, to the sent paragraph's fields
    (None: text outside every field); and how it was found."""
    fields = [t for t, _ in sent.segments if t is not None]
    only_field = len(fields) == 1 and not any(t is None and s.strip()
                                              for t, s in sent.segments)
    if not fields:
        return [(None, p) for p in returned.pieces], BY_CONTROL
    tags = returned.controls
    if all(f in tags for f in fields):
        assigned = by_controls(returned, known)
        how = BY_CONTROL
    elif len(tags) == len(fields) and not any(t in known for t in tags):
        assigned = [(fields[p.control] if p.control is not None else None, p)
                    for p in returned.pieces]
        how = BY_TEXT
    else:
        text = returned.text()
        labels = _anchored(sent, text) or _diffed(sent, text)
        return _label(returned.pieces, labels), BY_TEXT
    if only_field:
        assigned = [(fields[0], p) for _, p in assigned]
    return assigned, how


def _anchored(sent: SentParagraph, text: str) -> list[str | None] | None:
    """Labels of `text`'s characters found by the fixed words around the fields, or
    None when they are not all there, in order, or two fields stand side by side."""
    segments = [s for s in sent.segments if s[0] is not None or s[1]]
    if any(segments[k][0] is not None and segments[k + 1][0] is not None
           for k in range(len(segments) - 1)):
        return None
    labels: list[str | None] = []
    position = 0
    for number, (tag, fixed) in enumerate(segments):
        if tag is not None:
            continue
        field = segments[number - 1][0] if number else None
        if field is None:  # fixed words at the start
            if not text.startswith(fixed, position):
                return None
            at = position
        elif number == len(segments) - 1:  # fixed words at the end
            at = len(text) - len(fixed)
            if at < position or not text.endswith(fixed):
                return None
        else:
            at = text.find(fixed, position)
            if at < 0:
                return None
        labels += [field] * (at - position) + [None] * len(fixed)
        position = at + len(fixed)
    if segments and segments[-1][0] is not None:
        labels += [segments[-1][0]] * (len(text) - position)
    elif position != len(text):
        return None
    return labels


def _diffed(sent: SentParagraph, text: str) -> list[str | None]:
    """Labels by a word-level difference: a word kept keeps its field; a new word goes
    to the field it replaces or stands next to."""
    old: list[str] = []
    old_labels: list[str | None] = []
    for tag, segment in sent.segments:
        found = tokens(segment)
        old += found
        old_labels += [tag] * len(found)
    new = tokens(text)
    labels: list[str | None] = []
    for op, i1, i2, j1, j2 in opcodes(old, new):
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                labels += [old_labels[i]] * len(new[j])
            continue
        around = old_labels[i1:i2] or [old_labels[k] for k in (i1 - 1, i1)
                                       if 0 <= k < len(old_labels)]
        chosen = next((tag for tag in around if tag is not None), None)
        labels += [chosen] * sum(len(t) for t in new[j1:j2])
    return labels


def _label(pieces: list[Piece], labels: list[str | None]) -> Assigned:
    """Pieces split where their characters' labels change; a piece not in the text
    (deleted, or a comment's place) goes with its neighbours, a field before fixed text."""
    def at(k: int) -> str | None:
        return labels[k] if 0 <= k < len(labels) else None

    out: Assigned = []
    offset = 0
    for piece in pieces:
        if piece.deleted or not piece.text:
            out.append((at(offset - 1) if at(offset - 1) is not None else at(offset), piece))
            continue
        start = 0
        for k in range(1, len(piece.text) + 1):
            if k == len(piece.text) or at(offset + k) != at(offset + start):
                out.append((at(offset + start),
                            dataclasses.replace(piece, text=piece.text[start:k])))
                start = k
        offset += len(piece.text)
    return out
