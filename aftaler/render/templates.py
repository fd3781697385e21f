"""Where templates come from: the project's folder, one Jinja environment; and the
@font-face rules of the documents' font."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from ..errors import AftalerError
from ..fonts import FONT_FAMILY, font_files


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
        """The template files `names` are made of: each, and every HTML or CSS template it
        extends or includes, recursively (what a change to any of them changes)."""
        seen: dict[str, Path] = {}
        queue = list(names)
        while queue:
            name = queue.pop()
            if name in seen:
                continue
            seen[name] = path = self.path(name)
            if name.endswith((".html", ".css")):
                stat = path.stat()
                queue += _references(self.folder, str(path), stat.st_size, stat.st_mtime_ns)
        return [seen[name] for name in sorted(seen)]

    def html(self, name: str) -> jinja2.Template:
        try:
            return _environment(self.folder).get_template(name)
        except jinja2.TemplateNotFound as exc:
            raise AftalerError(f"template {exc.name!r} not found (searched: {self.folder})") \
                from None


@cache
def _references(folder: Path, path: str, size: int, mtime_ns: int) -> tuple[str, ...]:
    """The templates a template extends or includes (remembered while it is unchanged:
    parsing it is most of the cost)."""
    from jinja2 import meta

    source = Path(path).read_text(encoding="utf-8")
    return tuple(n for n in meta.find_referenced_templates(
        _environment(folder).parse(source)) if n)


@cache
def _environment(folder: Path) -> jinja2.Environment:
    # Autoescape always: definitions are data, and `<`, `&` or `{{` in them are text.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def font_face_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'font-style: normal; src: url("{path.as_uri()}"); }}'
        for weight, path in font_files().items())
