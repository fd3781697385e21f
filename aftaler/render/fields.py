"""Signature fields: one empty, printable field per signatory, over its signature block."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """A rectangle on a page, in PDF points with the origin bottom-left (PDF user space)."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float


PRINT, LOCKED = 4, 128  # annotation flags: printed (PDF/A requires it), not movable


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the field's /T: what a signing service asks for
    label: str  # the field's /TU: tooltip and accessible name
    box: Box


def add_signature_fields(doc, fields: list[FieldSpec]) -> None:
    """Add an empty signature field for each spec to the open pikepdf document `doc`.

    Each field is a widget with an (empty) appearance stream and the print flag, as
    PDF/A requires, and is tagged as a /Form structure element so that the document
    stays accessible.
    """
    from pikepdf import Array, Dictionary, Name, String

    root = doc.Root
    if "/AcroForm" not in root:
        root.AcroForm = doc.make_indirect(Dictionary(Fields=Array()))
    form = root.AcroForm
    form.SigFlags = 1  # SignaturesExist
    tree = root.get("/StructTreeRoot")
    for field in fields:
        page = doc.pages[field.box.page]
        # Whole points: signing tools (pyHanko among them) lay out their stamp in
        # integer box dimensions.
        x1, y1, x2, y2 = (round(v) for v in (field.box.x1, field.box.y1, field.box.x2,
                                              field.box.y2))
        appearance = doc.make_stream(b"% unsigned\n", Type=Name.XObject, Subtype=Name.Form,
                                     BBox=Array([0, 0, x2 - x1, y2 - y1]),
                                     Resources=Dictionary())
        widget = doc.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Sig,
            T=String(field.name), TU=String(field.label),
            Rect=Array([x1, y1, x2, y2]), F=PRINT | LOCKED,
            P=page.obj, AP=Dictionary(N=appearance)))
        if "/Annots" not in page.obj:
            page.obj.Annots = Array()
        page.obj.Tabs = Name.S  # PDF/UA: the tab order of annotations is the structure's
        page.obj.Annots.append(widget)
        form.Fields.append(widget)
        if tree is not None:
            _tag(doc, tree, page, widget, field.label)


def _tag(doc, tree, page, widget, label: str) -> None:
    """Put the widget in the structure tree: a /Form element at the end of the document,
    where the signature blocks are, in the order of the fields."""
    from pikepdf import Array, Dictionary, Name, String

    parent = tree.K[0] if isinstance(tree.K, Array) else tree.K
    nums = tree.ParentTree.Nums
    key = max(int(nums[i]) for i in range(0, len(nums), 2)) + 1 if len(nums) else 0
    element = doc.make_indirect(Dictionary(
        Type=Name.StructElem, S=Name.Form, P=parent, Alt=String(label), Pg=page.obj,
        K=Dictionary(Type=Name.OBJR, Obj=widget, Pg=page.obj)))
    if not isinstance(parent.get("/K"), Array):
        parent.K = Array([parent.K]) if "/K" in parent else Array()
    parent.K.append(element)
    widget.StructParent = key
    nums.append(key)
    nums.append(element)
    tree.ParentTreeNextKey = key + 1
