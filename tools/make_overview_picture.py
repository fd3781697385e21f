"""Make docs/oversigt.png, the README's picture of the overview page.

    python tools/make_overview_picture.py

The page is that of the tests' project with agreements in every state
(tests/overview_project.py: built, signed and archived by the program itself in a
temporary folder), on its day, 15 January 2026, as Debian's Chromium shows the top of
it in a window 1100 pixels wide, down to the end of the first programme's table of
agreements. Needs Chromium (AFTALER_CHROMIUM, or `chromium`) and
Playwright (the test dependencies).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from aftaler.overview import files  # noqa: E402
from aftaler.project import Project  # noqa: E402

TARGET = ROOT / "docs" / "oversigt.png"
WIDTH = 1100
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    import overview_project
    from playwright.sync_api import sync_playwright

    logging.disable(logging.WARNING)  # pyHanko on the test certificates' unknown issuer
    chromium = os.environ.get("AFTALER_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        sys.exit("Chromium is not installed: apt-get install chromium")
    with tempfile.TemporaryDirectory() as folder:
        root = overview_project.make(Path(folder) / "projekt")
        page = files.write(Project(root), files.PAGE, overview_project.TODAY)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
            window = browser.new_page(viewport={"width": WIDTH, "height": 900})
            window.goto(page.as_uri())
            table = window.locator("section.programme table").first.bounding_box()
            TARGET.parent.mkdir(exist_ok=True)
            window.screenshot(path=TARGET, full_page=True, clip={
                "x": 0, "y": 0, "width": WIDTH, "height": table["y"] + table["height"] + 24})
            browser.close()
    print(TARGET.relative_to(ROOT))


if __name__ == "__main__":
    main()
