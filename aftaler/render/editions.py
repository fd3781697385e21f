"""Editions of the agreement PDF for the services that collect the signatures.

NemLog-in (MitID signing for public bodies) refuses a PDF with any PDF name off its
SDK's whitelist (aftaler/receivers/nemlogin.py ports that check). Its edition has the same
pages and text as the PDF with signature fields, tagged PDF/A-3a and PDF/UA-1 with every
font embedded, but no form fields (NemLog-in adds its own signature) and no attachment:
the template leaves the attachment out (`edition: "nemlogin"`), no fields are added, and
one pass here renames what else Typst writes off the list:

- the structure tree's role map (/Strong, /Em, /Datetime, /Terms mapped to standard
  types): each element of such a type gets the standard type it is mapped to, and the
  role map goes. The tagging keeps its meaning (a role map only says what a type means).
"""

from __future__ import annotations

import io

from .pdf import saved

NEMLOGIN = "nemlogin"
EDITIONS = (NEMLOGIN,)


def nemlogin(data: bytes) -> bytes:
    """The NemLog-in edition of a PDF set without attachment or fields."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as doc:
        tree = doc.Root.get("/StructTreeRoot")
        if tree is not None and "/RoleMap" in tree:
            _apply_role_map(tree, {str(k): v for k, v in tree.RoleMap.items()})
            del tree["/RoleMap"]
        return saved(doc)


def _apply_role_map(tree, roles: dict) -> None:
    """Give every structure element whose type the role map maps its standard type."""
    import pikepdf

    stack = [tree.get("/K")]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") != "/OBJR":
            kind = item.get("/S")
            seen = set()
            while kind is not None and str(kind) in roles and str(kind) not in seen:
                seen.add(str(kind))
                kind = roles[str(kind)]
            if kind is not None:
                item.S = kind
            if "/K" in item:
                stack.append(item.K)
