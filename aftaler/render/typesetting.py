"""Typst, the typesetter of every PDF (and of the report's pictures for Word).

A template (`templates/*.typ`) gets its document as data: the document model as JSON in
`sys.inputs.doc`, read with `json(bytes(...))`, never spliced into markup, so no text of
a definition can be read as Typst code (a `#`, `$`, `<label>` or `//` prints as it is).
The compiler sees only the project's templates folder (its root) and only the documents'
font: system fonts and the fonts built into Typst are both left out, so a character the
font lacks can never be drawn by some other font (the definitions are checked for such
characters before anything is built: aftaler/sources/validation.py).

One compiler per template and process, made on first use: its fonts are loaded once, and
Typst keeps what it laid out for the next document.

Fork hazard: once a process has compiled with Typst, a child forked from it hangs when
it compiles. Compile in the parent, or in workers started with `spawn`
(aftaler/pipeline/batch.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import AftalerError
from ..fonts import font_folder

PDF_STANDARDS = ["a-3a", "ua-1"]  # PDF/A-3 may carry attachments; level A and UA: tagged
_lock = threading.Lock()  # one compile at a time per compiler


class TypesettingError(AftalerError):
    """Typst refused a template or a document: Typst's message, with where in the
    template (exit status 1: the documents' texts are checked before, so this is a
    template that was changed, or a bug)."""


@cache
def fonts():
    """The documents' faces, loaded once per process."""
    import typst

    with font_folder() as folder:
        # Typst keeps the files' real paths (the links resolved), so the folder may go.
        return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                           font_paths=[str(folder)])


@cache
def _compiler(template: Path):
    import typst

    return typst.Compiler(str(template), root=str(template.parent), font_paths=fonts(),
                          ignore_system_fonts=True)


def compiler_version() -> str:
    import typst

    return typst.__version__


@dataclass(frozen=True)
class Typeset:
    data: bytes
    queried: dict[str, list[Any]]  # label -> the `value`s of its metadata elements


def as_data(value: Any) -> Any:
    """A document model as plain data for a template: each dataclass as a dictionary of
    its fields and its properties (what a template may show), dates as ISO text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: as_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name, member in vars(type(value)).items():
            if isinstance(member, property):
                out[name] = as_data(getattr(value, name))
        return out
    if isinstance(value, dict):
        return {str(k): as_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_data(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def as_json(value: Any) -> str:
    return json.dumps(as_data(value), ensure_ascii=False, separators=(",", ":"))


def inputs(doc: Any, **extra: str) -> dict[str, str]:
    """A template's sys.inputs: the document as JSON, and any other strings."""
    return {"doc": as_json(doc), **extra}


def compile_pdf(template: Path, sys_inputs: dict[str, str], *,
                query: tuple[str, ...] = ()) -> Typeset:
    """The template set as PDF/A-3a and PDF/UA-1; and, for each label in `query`, the
    values of the `metadata` elements labelled so, from the same layout."""
    compiler = _compiler(template)
    with _lock:
        data = _run(compiler.compile, format="pdf", sys_inputs=sys_inputs,
                    pdf_standards=PDF_STANDARDS)
        queried = {label: [item["value"] for item in json.loads(_run(
            compiler.query, f"<{label}>", format="json"))] for label in query}
    return Typeset(data, queried)


def compile_png(template: Path, sys_inputs: dict[str, str], ppi: float) -> list[bytes]:
    """The template's pages as PNG pictures."""
    compiler = _compiler(template)
    with _lock:
        pages = _run(compiler.compile, format="png", ppi=ppi, sys_inputs=sys_inputs)
    return pages if isinstance(pages, list) else [pages]


def _run(call, *args, **kwargs):
    import typst

    try:
        return call(*args, **kwargs)
    except typst.TypstError as exc:
        raise TypesettingError(_message(exc)) from None


def _message(exc) -> str:
    message = getattr(exc, "message", "") or str(exc)
    trace = getattr(exc, "trace", None) or []
    where = f" ({'; '.join(trace[:2])})" if trace else ""
    return " ".join(message.split()) + where
