"""The overview page in a real browser: Debian's Chromium, driven by Playwright.

Run with `pytest -m browser` (left out of the default run; `.ci/run` runs them).
Playwright cannot download its own browser here: the system's Chromium is used
(AFTALER_CHROMIUM, or `chromium` on the PATH). The screenshots (a wide and a narrow
window, and the printed pages via pdftoppm) go to AFTALER_SCREENSHOTS if it is set,
for a person to look at; the tests assert on the DOM, the layout and the printed PDF.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from overview_project import copy
from test_overview import run

pytestmark = pytest.mark.browser

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
A4 = (595.28, 841.89)  # points


def _chromium() -> str:
    found = os.environ.get("AFTALER_CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    if not found:
        pytest.fail("Chromium is not installed (apt-get install chromium), and the browser "
                    "tests need it: set AFTALER_CHROMIUM to its path")
    return found


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=_chromium(), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def page_file(every_state, tmp_path_factory) -> Path:
    root = copy(every_state.root, tmp_path_factory.mktemp("browser") / "projekt")
    result = run(root, "overview")
    assert result.exit_code == 0, result.output
    return root / "output" / "oversigt.html"


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("AFTALER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def opened(page_file, browser):
    """Open the page in a window of the given size; every request it makes is kept.

    (The page is made before the browser starts: Playwright's event loop in this thread
    would stop pyHanko's, which reads the signatures.)"""
    contexts = []

    def open_(viewport=WIDE, **options):
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        page.goto(page_file.as_uri())
        return page

    yield open_
    for context in contexts:
        context.close()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


# --- what the page is -------------------------------------------------------------------

def test_it_asks_for_nothing_but_itself(opened, page_file):
    page = opened()
    assert page.requests == [page_file.as_uri()]
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("document.documentElement.lang") == "da"


def test_it_reads_the_same_without_scripts(opened):
    page = opened(java_script_enabled=False)
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings[:2] == ["Det skal gøres nu", "HORSENS ALLIANCEN"]


def test_its_headings_give_its_outline(opened):
    page = opened()
    assert page.get_by_role("heading", level=1).all_inner_texts() == ["Aftaleoversigt"]
    agreements = page.get_by_role("heading", level=3).all_inner_texts()
    assert [h.split(":")[0] for h in agreements if ": HORSENS" in h] == [
        "varsel", "udloeber", "igang", "kommende", "slut"]


def test_what_needs_doing_is_a_table_with_header_cells(opened):
    page = opened()
    region = page.get_by_role("region", name="Det skal gøres nu")
    table = region.get_by_role("table")
    assert table.get_by_role("columnheader").all_inner_texts() == [
        "Haster", "Hvad", "Frist", "Sådan"]
    rows = table.get_by_role("row").all()
    assert len(rows) == 1 + 10
    assert rows[1].get_by_role("cell").first.inner_text() == "For sent"


def test_the_agreements_table_names_each_row(opened):
    page = opened()
    headers = page.get_by_role("rowheader").all_inner_texts()
    assert any(h.startswith("udloeber\n") for h in headers), headers


def test_a_state_is_said_in_words_with_enough_contrast(opened):
    page = opened()
    tags = page.eval_on_selector_all(".tag", """tags => tags.map(t => ({
        text: t.innerText.trim(), color: getComputedStyle(t).color,
        background: getComputedStyle(t).backgroundColor}))""")
    assert len(tags) > 50
    for tag in tags:
        assert tag["text"]
        assert contrast(tag["color"], tag["background"]) >= 4.5, tag


def test_a_link_to_an_agreement_leads_to_its_section(opened):
    page = opened()
    page.get_by_role("link", name="Se aftalen").first.click()
    assert page.evaluate("location.hash") == "#aftale-varsel"
    assert page.get_by_role("heading", name=re.compile("^varsel: ")).is_visible()


# --- wide, narrow, printed --------------------------------------------------------------

def test_a_wide_window(opened, shots):
    page = opened(WIDE)
    path = shots / "oversigt-bred.png"
    page.screenshot(path=path, full_page=True)
    width, height = png_size(path)
    assert width == WIDE["width"] and height > WIDE["height"]
    # the four columns of what needs doing side by side
    boxes = [page.get_by_role("columnheader", name=n, exact=True).first.bounding_box()
             for n in ("Haster", "Hvad", "Frist", "Sådan")]
    assert [b["x"] for b in boxes] == sorted(b["x"] for b in boxes)
    assert len({round(b["y"]) for b in boxes}) == 1


def test_a_narrow_window_needs_no_sideways_scrolling(opened, shots):
    page = opened(NARROW)
    path = shots / "oversigt-smal.png"
    page.screenshot(path=path, full_page=True)
    assert png_size(path)[0] == NARROW["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    # each row is a block of labelled cells, and still a table to a screen reader
    cell = page.locator("td[data-label='Frist']").first
    label = page.evaluate("c => getComputedStyle(c, '::before').content", cell.element_handle())
    assert label == '"Frist: "'
    assert page.get_by_role("columnheader", name="Haster").count() == 1
    overflowing = page.evaluate("""() => [...document.querySelectorAll('td, th, code, dd')]
        .filter(e => e.getBoundingClientRect().right > innerWidth + 1).length""")
    assert overflowing == 0


def test_it_prints_on_a4(opened, shots):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    page = opened(WIDE)
    headings = set(page.eval_on_selector_all(
        "h1, h2, h3, h4", "hs => hs.map(h => h.innerText.replace(/\\s+/g, ' ').trim())"))
    pdf = shots / "oversigt-udskrevet.pdf"
    page.pdf(path=pdf, prefer_css_page_size=True, print_background=True)
    pages = list(extract_pages(pdf))
    assert 2 <= len(pages) <= 12
    first_lines = []
    for number, layout in enumerate(pages, start=1):
        assert (round(layout.width, 0), round(layout.height, 0)) == (round(A4[0]), round(A4[1]))
        lines = sorted(((line.y0, " ".join(line.get_text().split()))
                        for box in layout if isinstance(box, LTTextContainer)
                        for line in box if line.get_text().strip()), reverse=True)
        first_lines.append(lines[0][1])
        last = lines[-1][1]
        assert last not in headings, f"page {number} ends with the heading {last!r}"
    assert first_lines[0] == "Aftaleoversigt"
    assert "HORSENS ALLIANCEN" in first_lines  # a programme starts a page
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm (poppler-utils) is needed to see the printed pages")
    subprocess.run([pdftoppm, "-png", "-r", "60", str(pdf), str(shots / "oversigt-side")],
                   check=True, timeout=120)
    assert len(list(shots.glob("oversigt-side-*.png"))) == len(pages)


# --- contrast (WCAG 2) ------------------------------------------------------------------

def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css)[:3])


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(_rgb(foreground)), _luminance(_rgb(background))),
                         reverse=True)
    return (light + 0.05) / (dark + 0.05)
