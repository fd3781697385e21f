"""Small pieces of Danish prose shared by the documents."""

from __future__ import annotations

from collections.abc import Iterable


def join_names(names: list[str]) -> str:
    """['A', 'B', 'C'] -> 'A, B og C'. Where a name holds a comma of its own ('Region
    Midtjylland, Hospitalsenheden Horsens'), the names are kept apart by semicolons:
    'A, B; C og D'."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    between = "; " if any("," in name for name in names) else ", "
    return between.join(names[:-1]) + " og " + names[-1]


def sentence(text: str) -> str:
    """End with one full stop, unless it ends with its own mark (also after 'kr.')."""
    return text if text.endswith((".", "!", "?")) else text + "."


def lower_first(text: str) -> str:
    """'Borgere løftet …' -> 'borgere løftet …' (to run on in a sentence); a name in
    capitals, such as HORSENS ALLIANCEN, stays as it is."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def upper_first(text: str) -> str:
    """'delvist opfyldt' -> 'Delvist opfyldt': a status word where it stands as a heading
    (a table's column, a verdict's chip)."""
    return text[:1].upper() + text[1:]


def count(n: int, one: str, many: str) -> str:
    """1, 'aftale', 'aftaler' -> '1 aftale'; 3 -> '3 aftaler'; 0 -> 'ingen aftaler'."""
    from ..formatting import number

    if n == 0:
        return f"ingen {many}"
    return f"{number(n)} {one if n == 1 else many}"


def quoted(text: str) -> str:
    """A source's own words, marked as a quotation: ”…”."""
    return f"”{text}”"


def names_its_party(text: str, party: str, others: Iterable[str]) -> bool:
    """Whether a commitment says whose it is in its first words: it begins with its
    party's name ('Horsens Kommune forpligter sig …'), or with the name's first word where
    no other party's name begins with that word ('Hospitalsenheden forpligter sig …' for
    Hospitalsenheden Horsens). Then its party need not be named before it."""
    start = text.casefold()
    if start.startswith(party.casefold()):
        return True
    first = party.split()[0].casefold() if len(party.split()) > 1 else None
    return bool(first and start.split()[:1] == [first] and not any(
        other.split()[:1] and other.split()[0].casefold() == first for other in others))
