"""Names of agreements and programmes, as files and as people type them.

A name is the file name of a definition without `.yaml`, and it becomes part of every file
made from it (`aftale-NAME.pdf`, `evaluering-2016-NAME.xlsx`, `NAME/2016.yaml`, their
hidden records and temporaries, the archive's folders). One rule (`NAME_PATTERN`, at most
`MAX_LENGTH` characters, so that every file made from a name fits the 255 bytes a file
system allows) is checked wherever a name comes in: a file in `agreements/` or
`programmes/`, a name typed on the command line, `new agreement NAME`. What breaks the rule
is said in words (`breach`), with a valid name to use instead (`valid_form`) or the known
one meant (`closest`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

# The programme an agreement belongs to unless it names another: HORSENS ALLIANCEN.
DEFAULT_PROGRAMME = "alliance"

# The longest file made from a name is a report's hidden record being written,
# `..evaluering-2016-NAME.build.json.XXXXXXXX.part`: 43 characters besides the name.
MAX_LENGTH = 64
NAME_PATTERN = re.compile(rf"^[a-z0-9][a-z0-9_-]{{0,{MAX_LENGTH - 1}}}$")
RULE = (f"a name is lower-case letters a-z, digits, '-' and '_', starting with a letter or "
        f"a digit, at most {MAX_LENGTH} characters")

# How alike a typed name and a known one must be (difflib's ratio) to suggest it:
# `hospitl` and `hospital` are 0.93 alike, `hotel` and `hospital` only 0.62.
CLOSE = 0.8
# A typed name this long that begins exactly one known name means that one (`vaekst`).
PREFIX = 4

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
_CHARACTER_NAMES = {" ": "a space", "\t": "a tab", ".": "'.'"}


def is_name(name: str) -> bool:
    return bool(NAME_PATTERN.match(name))


def ascii_fold(text: str) -> str:
    """Danish letters as Danes write them without (æ → ae, ø → oe, å → aa), accents
    dropped, anything else outside ASCII left out."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_DANISH))
    return decomposed.encode("ascii", "ignore").decode()


def breach(name: str) -> str:
    """What in `name` breaks the rule, stating the part of the rule it breaks ('' if
    nothing does)."""
    if is_name(name):
        return ""
    if not name.strip():
        return "it is empty: give a name"
    if re.search(r"[\\/]|\.\.|\.ya?ml$", name):
        return "give the name alone, not a path or file name"
    if len(name) > MAX_LENGTH:
        return (f"it is {len(name)} characters long; a name has at most {MAX_LENGTH} "
                "(it becomes part of file names)")
    if is_name(name.lower()):
        return "names are lower-case"
    wrong = sorted(set(re.sub(r"[a-z0-9_-]", "", name)), key=name.index)
    if wrong:
        shown = [_CHARACTER_NAMES.get(c, repr(c)) for c in wrong if not c.isupper()]
        if any(c.isupper() for c in wrong):
            shown.insert(0, "capitals")
        listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
        return (f"{listed} cannot be in a name, only lower-case letters a-z, digits, '-' "
                "and '_'")
    return (f"it starts with {name[0]!r}; a name starts with a lower-case letter or a "
            "digit")


def valid_form(text: str) -> str | None:
    """The valid name nearest to `text`: lower case, Danish letters spelt out, anything
    between words made a '-' (`Velux Danmark` → `velux-danmark`, `sønderborg` →
    `soenderborg`, `-rf` → `rf`); None if nothing of it can be a name."""
    folded = ascii_fold(text).lower()
    folded = re.sub(r"[^a-z0-9_-]+", "-", folded)
    folded = re.sub(r"-{2,}", "-", folded).strip("-_")
    folded = folded[:MAX_LENGTH].rstrip("-_")
    return folded if is_name(folded) else None


def unused_form(text: str, taken: Iterable[str]) -> str | None:
    """`valid_form(text)`, made unique among `taken` with -2, -3, … if need be."""
    base = valid_form(text)
    if base is None:
        return None
    taken = set(taken)
    candidate, count = base, 1
    while candidate in taken:
        count += 1
        suffix = f"-{count}"
        candidate = base[:MAX_LENGTH - len(suffix)].rstrip("-_") + suffix
    return candidate


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name `name` most likely means: itself in lower case or made valid, the
    file (or path) it names, the one it begins, or the one nearest in spelling; None if
    no name is near."""
    known = list(known)
    lowered = name.strip().lower()
    stem = re.sub(r"\.ya?ml$", "", re.split(r"[\\/]", lowered)[-1])
    for candidate in (lowered, stem, valid_form(stem)):
        if candidate in known:
            return candidate
    if len(stem) >= PREFIX:
        begun = [k for k in known if k.startswith(stem)]
        if len(begun) == 1:
            return begun[0]
    return nearest(stem, known)


def nearest(typed: str, known: Iterable[str]) -> str | None:
    """The known name nearest in spelling to `typed`, whatever the case; None if none is
    near (for names that are not agreements', such as signature fields)."""
    by_case = {k.casefold(): k for k in known}
    near = difflib.get_close_matches(typed.casefold(), list(by_case), n=1, cutoff=CLOSE)
    return by_case[near[0]] if near else None


def _an(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def not_a_name(name: str, known: Iterable[str], kind: str = "agreement") -> str:
    """Why `name` cannot be the name of a `kind`, and which known name to give instead."""
    return f"{name!r} is not {_an(kind)} name: {breach(name)}{_suggestion(name, known)}"


def unknown_name(name: str, known: Iterable[str], folder: str,
                 kind: str = "agreement") -> str:
    """No `kind` has this name: say which is nearest, and which there are."""
    known = list(known)
    meant = closest(name, known)
    listed = ", ".join(known) or "none"
    hint = f"; did you mean {meant!r}?" if meant else ""
    return f"no {kind} named {name!r} in {folder}/{hint} (known: {listed})"


def misnamed(stem: str, kind: str, suggestion: str | None) -> str:
    """What to do about a definition file whose name is not a valid name."""
    rename = (f"rename it to {suggestion}.yaml" if suggestion else
              f"rename it ({RULE})")
    return f"the file name is not {_an(kind)} name: {breach(stem)}: {rename}"


def _suggestion(name: str, known: Iterable[str]) -> str:
    known = list(known)
    meant = closest(name, known)
    if meant:
        return f"; did you mean {meant!r}?"
    return f" (known: {', '.join(known)})" if known else ""


def fitted(stem: str, limit: int) -> str:
    """`stem` cut to at most `limit` bytes of UTF-8, at a character's end: a file name
    taken from elsewhere (a PDF to archive) that must leave room for what is added."""
    data = stem.encode("utf-8")
    if len(data) <= limit:
        return stem
    return data[:limit].decode("utf-8", "ignore").rstrip(" .-_")
