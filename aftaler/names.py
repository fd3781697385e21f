"""Agreement names as people type them: what is wrong with one, and which they meant."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

# The programme an agreement belongs to unless it names another: HORSENS ALLIANCEN.
DEFAULT_PROGRAMME = "alliance"

# What the name of an agreement (its file name) or of a programme may be.
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

# How alike a typed name and a known one must be (difflib's ratio) to suggest it:
# `hospitl` and `hospital` are 0.93 alike, `hotel` and `hospital` only 0.62.
CLOSE = 0.8


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name `name` most likely means: itself in lower case, the file (or path)
    it names, or the one nearest in spelling; None if no name is near."""
    known = list(known)
    lowered = name.strip().lower()
    stem = re.sub(r"\.ya?ml$", "", re.split(r"[\\/]", lowered)[-1])
    for candidate in (lowered, stem):
        if candidate in known:
            return candidate
    near = difflib.get_close_matches(stem, known, n=1, cutoff=CLOSE)
    return near[0] if near else None


def not_a_name(name: str, known: Iterable[str]) -> str:
    """Why `name` cannot be an agreement name, and what to give instead."""
    if re.search(r"[\\/]|\.\.|\.ya?ml$", name):
        why = "give the name alone, not a path or file name"
    elif NAME_PATTERN.match(name.lower()):
        why = "names are lower-case"
    else:
        why = "names are lower-case letters, digits, '-' and '_'"
    return f"{name!r} is not an agreement name: {why}{_suggestion(name, known)}"


def unknown_name(name: str, known: Iterable[str], folder: str) -> str:
    """No agreement has this name: say which is nearest, and which there are."""
    known = list(known)
    listed = ", ".join(known) or "none"
    return f"no agreement named {name!r} in {folder}/{_suggestion(name, known)} (known: {listed})"


def _suggestion(name: str, known: Iterable[str]) -> str:
    meant = closest(name, known)
    return f"; did you mean {meant!r}?" if meant else ""
