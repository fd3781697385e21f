"""Word-level differences between two texts, shown the way `git diff --word-diff`
shows them: `[-removed-]{+added+}`, with a few words of context around each change."""

from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
CONTEXT = 5  # words kept on either side of a change


def tokens(text: str) -> list[str]:
    """Words, single marks and the spaces between them: joined, the text again."""
    return _TOKEN.findall(text)


def normalise(text: str) -> str:
    """One space for every run of white space (a no-break space too), none at the ends:
    how a definition's text compares with what a word processor kept of it."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, two changes with only a space between them made one."""
    merged: list[tuple[str, int, int, int, int]] = []
    codes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for number, code in enumerate(codes):
        op, i1, i2, j1, j2 = code
        between = (op == "equal" and 0 < number < len(codes) - 1
                   and all(t.isspace() for t in old[i1:i2]))
        if merged and merged[-1][0] != "equal" and (op != "equal" or between):
            _, k1, _, l1, _ = merged[-1]
            merged[-1] = ("replace", k1, i2, l1, j2)
        else:
            merged.append(code)
    return merged


def _shorten(parts: list[str], keep: str) -> str:
    """Unchanged text as context: whole if short, else CONTEXT words at the end (before
    a change), at the start (after one), or both (between two)."""
    text = "".join(parts)
    words = [m.span() for m in re.finditer(r"\S+", text)]
    if len(words) <= 2 * CONTEXT:
        return text
    head = text[:words[CONTEXT - 1][1]] + "…"
    tail = "…" + text[words[-CONTEXT][0]:]
    return {"end": tail, "start": head}.get(keep, head + " " + tail)


def shown(old: str, new: str) -> str:
    """`old` → `new` as one line: unchanged stretches shortened to their edges."""
    a, b = tokens(old), tokens(new)
    codes = opcodes(a, b)
    out = []
    for number, (op, i1, i2, j1, j2) in enumerate(codes):
        if op == "equal":
            keep = ("end" if number == 0 else "start" if number == len(codes) - 1
                    else "both")
            out.append(_shorten(a[i1:i2], keep))
            continue
        if i2 > i1:
            out.append(f"[-{''.join(a[i1:i2])}-]")
        if j2 > j1:
            out.append(f"{{+{''.join(b[j1:j2])}+}}")
    return "".join(out)
