"""Where templates come from: the project's `templates/` folder."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from ..errors import AftalerError

# `#import "common.typ": *` and `#include "part.typ"`: the files a Typst template reads.
_TYPST_REFERENCE = re.compile(r'#(?:import|include)\s+"([^"]+\.typ)"')


class TemplateFolder:
    """The project's `templates/` folder."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, name: str) -> Path:
        path = self.folder / name
        if not path.is_file():
            raise AftalerError(f"template {name!r} not found (searched: {self.folder})")
        return path

    def closure(self, *names: str) -> list[Path]:
        """The template files `names` are made of: each, and every Typst template it
        imports or includes, recursively (what a change to any of them changes)."""
        seen: dict[str, Path] = {}
        queue = list(names)
        while queue:
            name = queue.pop()
            if name in seen:
                continue
            seen[name] = path = self.path(name)
            if name.endswith(".typ"):
                stat = path.stat()
                queue += _references(str(path), stat.st_size, stat.st_mtime_ns)
        return [seen[name] for name in sorted(seen)]


@cache
def _references(path: str, size: int, mtime_ns: int) -> tuple[str, ...]:
    """The templates a Typst template imports or includes (remembered while it is
    unchanged)."""
    return tuple(_TYPST_REFERENCE.findall(Path(path).read_text(encoding="utf-8")))
