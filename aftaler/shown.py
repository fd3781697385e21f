"""Text that comes from a file, shown as data: whatever it holds, it prints as one line of
visible characters.

A certificate's name, a PDF's title, a field name, a spreadsheet's cell, a file name: any
of them can hold line breaks, terminal escape sequences or bidirectional controls, which
printed as they are would forge lines of output (a fake `intact: yes`), recolour or clear
the terminal, or show text in another order than it has. Every such text the program
prints goes through `shown` (and only once: an escape is itself visible text).
"""

from __future__ import annotations

import unicodedata

# Controls (C0, C1, DEL), format characters (bidirectional controls, zero widths, the
# byte order mark), lone surrogates and the line and paragraph separators.
_HIDDEN = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text: object) -> str:
    """`text` with every control or invisible format character written as an escape
    (`\\n`, `\\x1b`, `\\u202e`): one line, nothing a terminal acts on."""
    value = str(text)
    if value.isprintable():  # the common case, and quick
        return value
    return "".join(_escape(c) if unicodedata.category(c) in _HIDDEN else c for c in value)


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
