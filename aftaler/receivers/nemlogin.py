"""NemLog-in's PDF check, ported: which names in a PDF its signing service would refuse.

Public bodies collect MitID signatures through NemLog-in's signing service. Before anyone
may sign, its SDK checks the PDF and refuses it (error SDK010) if any name in it is off
a whitelist or a font is neither embedded nor one of the standard 14. This is a port of
that check, read from the SDK's source (github.com/MitID-Digital-Signature/Signing-Server,
commit 97057fa1bea672336d13cff86b64981768da3807, library/nemlogin-signing-pdf-validator:
PdfValidationService, PdfWhitelistValidator, WhiteList, PdfFontValidator,
PdfFontDescriptor), with its three lists copied unchanged into `nemlogin-lists/`:

- every indirect object in the file is visited (those in object streams, and those no
  other object refers to, too);
- in each dictionary (a stream's included), every key must be on the whitelist, unless it
  is one of the excluded keys (`/Font`, `/FontDescriptor`, `/Metadata`), whose entry is
  skipped whole; the value is checked in turn, unless it is an indirect reference (that
  object is visited on its own) or its key is one of the "keys" whose values are not
  descended into (`/Font`, `/XObject`, `/ColorSpace`, ... : resource names there are free);
- in each array, every element that is not an indirect reference is checked;
- a name value must be on the whitelist (or match one of its `{regex}` lines);
- a font dictionary without a descriptor must be Type0, Type3 or a CID font, or else one
  of the standard 14 by its /BaseFont; a font descriptor must carry /FontFile, /FontFile2
  or /FontFile3, or name one of the standard 14.

The SDK parses with PDFBox, not leniently: a file PDFBox cannot parse is refused too; here
a file qpdf cannot open (or opens only by repairing it) is reported as unreadable.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

# WhiteList.PDF_NAME_PATTERN and PDF_REGEX_NAME_PATTERN: a line is one name, or
# '{regex}' and a pattern; anything else (comments, blank lines) is ignored.
_NAME_LINE = re.compile(r"/(?P<name>[a-zA-Z0-9.\-_\\+]+)")
_REGEX_LINE = re.compile(r"\{regex}/(?P<name>[a-zA-Z0-9.\-_\\+]+)")

STANDARD_14 = frozenset({
    "Helvetica", "Helvetica-Oblique", "Helvetica-Bold", "Helvetica-BoldOblique",
    "Times-Roman", "Times-Italic", "Times-Bold", "Times-BoldItalic",
    "Courier", "Courier-Oblique", "Courier-Bold", "Courier-BoldOblique",
    "Symbol", "ZapfDingbats"})
SDK_COMMIT = "97057fa1bea672336d13cff86b64981768da3807"


@dataclass(frozen=True)
class Lists:
    names: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    keys: frozenset[str]  # keys whose values are not descended into
    exclusions: frozenset[str]  # keys skipped whole

    def allows(self, name: str) -> bool:
        return name in self.names or any(p.fullmatch(name) for p in self.patterns)


def _lines(filename: str) -> list[str]:
    text = resources.files(__package__).joinpath("nemlogin-lists", filename).read_text("utf-8")
    return text.splitlines()  # \n, \r\n and \r, as Java's Scanner.nextLine


def _matching(lines: list[str], pattern: re.Pattern[str]) -> list[str]:
    return [m.group("name") for m in map(pattern.fullmatch, lines) if m]


@cache
def lists() -> Lists:
    whitelist = _lines("whitelist.txt")
    return Lists(
        names=frozenset(_matching(whitelist, _NAME_LINE)),
        patterns=tuple(re.compile(p) for p in _matching(whitelist, _REGEX_LINE)),
        keys=frozenset(_matching(_lines("whitelistkeys.txt"), _NAME_LINE)),
        exclusions=frozenset(_matching(_lines("whitelistexclusions.txt"), _NAME_LINE)))


@dataclass(frozen=True)
class Refusal:
    """One name the service would refuse, with the objects it occurs in."""

    name: str  # without the slash, as PDFBox's COSName.getName()
    reason: str  # "not on the whitelist" or "font not embedded"
    objects: tuple[tuple[int, int], ...] = field(default=())

    def __str__(self) -> str:
        where = ", ".join(f"{n} {g}" for n, g in self.objects[:5])
        more = f" and {len(self.objects) - 5} more" if len(self.objects) > 5 else ""
        noun = "object" if len(self.objects) == 1 else "objects"
        return f"/{self.name}: {self.reason} (in {noun} {where}{more})"


class Unreadable(Exception):
    """The file is not a PDF the service could parse."""


def _decoded(name) -> str:
    """A PDF name as PDFBox gives it: without the slash, #xx escapes decoded."""
    text = str(name)[1:]
    if "#" not in text:
        return text
    raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                 text.encode("latin-1", "replace"))
    return raw.decode("utf-8", "replace")


def _names(obj, allowed: Lists, found: list[str]) -> None:
    """PdfWhitelistValidator.whitelistValidation on a direct object: the refused names
    in it, appended to `found` (iteratively: a hostile file may nest deeply)."""
    import pikepdf

    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Name):
            name = _decoded(item)
            if not allowed.allows(name):
                found.append(name)
        elif isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
            for key in item.keys():
                name = _decoded(key)
                if name in allowed.exclusions:
                    continue
                if not allowed.allows(name):
                    found.append(name)
                value = item.get(key)
                if not _indirect(value) and name not in allowed.keys:
                    stack.append(value)
        elif isinstance(item, pikepdf.Array):
            stack.extend(element for element in item if not _indirect(element))


def _indirect(value) -> bool:
    # pikepdf gives numbers, booleans and strings as Python values: never references
    return getattr(value, "is_indirect", False)


def _unembedded_font(obj) -> str | None:
    """PdfFontValidator on one indirect object: the font's name if it is a font (or a
    font descriptor) that is neither embedded nor one of the standard 14."""
    import pikepdf

    if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return None
    kind = obj.get("/Type")
    if not isinstance(kind, pikepdf.Name):
        return None
    if kind == pikepdf.Name.Font and "/FontDescriptor" not in obj:
        base = obj.get("/BaseFont")
        subtype = obj.get("/Subtype")
        subtype = _decoded(subtype) if isinstance(subtype, pikepdf.Name) else None
        # Type0, Type3 and CID fonts count as embedded; Type1/TrueType without a
        # descriptor are not, nor is an unknown subtype.
        embedded = subtype in ("Type0", "Type3", "CIDFontType0", "CIDFontType2")
    elif kind == pikepdf.Name.FontDescriptor:
        base = obj.get("/FontName")
        if not isinstance(base, pikepdf.Name):
            return None  # PdfFontDescriptor.fromFontDescriptor gives null: not checked
        embedded = any(k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    else:
        return None
    name = _decoded(base) if isinstance(base, pikepdf.Name) else None
    if embedded or name in STANDARD_14:
        return None
    return name or "(a font without a name)"


def refusals(data: bytes) -> list[Refusal]:
    """Every name in the PDF `data` that NemLog-in's signing service would refuse, in the
    order of the first object each is in; an empty list if it would accept the file.
    Raises Unreadable."""
    import pikepdf

    allowed = lists()
    refused: dict[tuple[str, str], list[tuple[int, int]]] = {}
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise Unreadable("it is encrypted: the service takes no encrypted PDF") from None
    except (pikepdf.PdfError, ValueError) as exc:
        raise Unreadable(f"it cannot be read as a PDF ({_qpdf_message(exc)})") from None
    with pdf:
        if pdf.is_encrypted:
            raise Unreadable("it is encrypted: the service takes no encrypted PDF")
        for obj in pdf.objects:
            if obj is None:  # a free entry of the cross-reference table
                continue
            found: list[str] = []
            try:
                _names(obj, allowed, found)
                font = _unembedded_font(obj)
            except pikepdf.PdfError as exc:
                raise Unreadable(f"it is damaged ({_qpdf_message(exc)})") from None
            where = tuple(obj.objgen)
            for name in found:
                refused.setdefault((name, "not on the whitelist"), []).append(where)
            if font is not None:
                refused.setdefault((font, "font not embedded"), []).append(where)
        # qpdf rebuilds a broken cross-reference table by scanning the file; PDFBox, not
        # lenient, does not, and refuses the file. (qpdf's milder warnings, such as an
        # xref stream missing from its own table, PDFBox reads past as well.)
        rebuilt = [w for w in pdf.get_warnings() if "reconstruct" in w or "damaged" in w]
        if rebuilt:
            raise Unreadable(f"it is damaged: {_qpdf_message(rebuilt[0])}")
    found = [Refusal(name, reason, tuple(sorted(set(objects))))
             for (name, reason), objects in refused.items()]
    return sorted(found, key=lambda r: (r.objects[0], r.name))


def _qpdf_message(problem) -> str:
    """qpdf's message without the name of the stream it read from (an in-memory buffer)."""
    return re.sub(r"^(stream )?<[^>]*>(: )?", "", str(problem)).strip()
