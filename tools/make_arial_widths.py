"""Regenerate aftaler/forms/arial.py: the advance widths of Arial, regular and bold.

The forms are set in Arial; neither Excel nor Calc grows a row for wrapped text when a
file is opened, so the export sizes each row from its text's width. Liberation Sans has
Arial's metrics (it was made to), so its advance widths are Arial's:

    pip install fonttools && python tools/make_arial_widths.py [FOLDER-WITH-LIBERATION-FONTS]

(Debian and Ubuntu: apt-get install fonts-liberation2.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

CHARS = ("".join(map(chr, range(32, 127))) + "".join(map(chr, range(160, 256)))
         + "–—‘’‚“”„…•€")
FACES = {"REGULAR": "LiberationSans-Regular.ttf", "BOLD": "LiberationSans-Bold.ttf"}


def widths(path: Path) -> dict[str, int]:
    font = TTFont(path)
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    assert font["head"].unitsPerEm == 2048
    return {c: metrics[cmap[ord(c)]][0] for c in CHARS if ord(c) in cmap}


def main(folder: Path) -> None:
    out = ['"""Advance widths of Arial (from Liberation Sans, which has its metrics), in',
           "units of 2048 to the em: made by tools/make_arial_widths.py, not by hand.",
           '"""', "", "UNITS_PER_EM = 2048"]
    for name, file in FACES.items():
        table = widths(folder / file)
        out.append(f"{name} = {{")
        items = [f"{c!r}: {w}," for c, w in table.items()]
        line = "   "
        for item in items:
            if len(line) + 1 + len(item) > 92:
                out.append(line)
                line = "   "
            line += " " + item
        out.append(line)
        out.append("}")
    target = Path(__file__).resolve().parent.parent / "aftaler" / "forms" / "arial.py"
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(target)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else
         Path("/usr/share/fonts/truetype/liberation2"))
