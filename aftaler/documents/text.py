"""Small pieces of Danish prose shared by the documents."""

from __future__ import annotations


def join_names(names: list[str]) -> str:
    """['A', 'B', 'C'] -> 'A, B og C'."""
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def sentence(text: str) -> str:
    """End with one full stop, unless it ends with its own mark (also after 'kr.')."""
    return text if text.endswith((".", "!", "?")) else text + "."


def lower_first(text: str) -> str:
    """'Borgere løftet …' -> 'borgere løftet …' (to run on in a sentence); a name in
    capitals, such as HORSENS ALLIANCEN, stays as it is."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def count(n: int, one: str, many: str) -> str:
    """1, 'aftale', 'aftaler' -> '1 aftale'; 3 -> '3 aftaler'; 0 -> 'ingen aftaler'."""
    from ..formatting import number

    if n == 0:
        return f"ingen {many}"
    return f"{number(n)} {one if n == 1 else many}"
