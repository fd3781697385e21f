"""`overview` and `calendar`: the page and the calendar as files, read back with lxml and
icalendar; and how they are kept current. In a real browser: test_overview_browser.py."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import icalendar
import pytest
from lxml import html
from overview_project import TODAY, copy
from test_overview import run

from aftaler.overview import page as overview_page

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def changed(every_state, tmp_path) -> Path:
    return copy(every_state.root, tmp_path / "projekt")


@pytest.fixture(scope="module")
def page(every_state, tmp_path_factory) -> tuple[Path, html.HtmlElement]:
    """The overview page of the project with agreements in every state."""
    root = copy(every_state.root, tmp_path_factory.mktemp("page") / "projekt")
    result = run(root, "overview")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("output/oversigt.html")
    path = root / "output" / "oversigt.html"
    return path, html.fromstring(path.read_bytes())


def section(tree, name: str) -> str:
    """The text of an agreement's section, its spaces collapsed."""
    [found] = tree.xpath(f"//section[contains(@class, 'agreement')][.//h3[@id='aftale-{name}']]")
    return " ".join(found.text_content().split())


def texts(tree, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


# --- the page -----------------------------------------------------------------------------

def test_the_page_is_danish_and_needs_nothing_from_outside(page):
    path, tree = page
    assert tree.get("lang") == "da"
    assert tree.xpath("//script") == []
    assert tree.xpath("//link[@rel='stylesheet']") == []
    sources = tree.xpath("//@src | //link/@href")
    assert all(s.startswith("data:") for s in sources)
    assert b"http://" not in path.read_bytes() and b"https://" not in path.read_bytes()


def test_what_needs_doing_now_comes_first(page):
    _, tree = page
    assert texts(tree, "//h1") == ["Aftaleoversigt"]
    assert texts(tree, "//h2")[0] == "Det skal gøres nu"
    rows = tree.xpath("//section[h2[@id='nu']]//tbody/tr")
    assert len(rows) == 10
    first = " ".join(rows[0].text_content().split())
    assert first.startswith("For sent Aftalen varsel trådte i kraft 1. maj 2022, men mangler "
                            "underskrift fra Lisbeth Holsteen Jessen")
    assert "python build.py" not in first  # run with --project: the commands say so
    assert "--project" in first and "sign output/aftaler/aftale-varsel.pdf" in first


def test_dates_are_written_the_danish_way(page):
    _, tree = page
    text = tree.text_content()
    assert "Status pr. 15. januar 2026" in text
    assert "Evalueringen af 2024 for aftalen udloeber mangler; fristen var 31. januar 2025." in text
    assert "Aftalen udloeber udløber om 75 dage, 31. marts 2026." in text
    assert "Beslut senest 31. januar 2026, om aftalen varsel skal forlænges eller opsiges" in text


def test_tables_have_header_cells(page):
    _, tree = page
    tables = tree.xpath("//table")
    assert len(tables) >= 10
    for table in tables:
        assert table.xpath("thead/tr/th[@scope='col']"), html.tostring(table)[:200]


def test_each_programme_lists_its_agreements_with_their_state(page):
    _, tree = page
    assert texts(tree, "//h2[@id='program-alliance']") == ["HORSENS ALLIANCEN"]
    rows = tree.xpath("(//section[h2[@id='program-alliance']]//table)[1]/tbody/tr")
    states = {r.xpath("th//a")[0].text: " ".join(r.xpath("td[2]")[0].text_content().split())
              for r in rows}
    assert states == {"varsel": "i kraft", "udloeber": "udløber om 75 dage",
                      "igang": "i kraft", "kommende": "ikke begyndt (begynder om 45 dage)",
                      "slut": "udløbet"}


def test_states_are_words_not_only_colours(page):
    _, tree = page
    tags = tree.xpath("//*[contains(@class, 'tag')]")
    assert tags and all(t.text_content().strip() for t in tags)


def test_an_agreement_shows_its_signatures_archive_and_evaluations(page):
    _, tree = page
    igang = section(tree, "igang")
    assert "2 af 2: underskrevet af alle" in igang
    assert "2024/igang/aftale-igang-underskrevet-2.pdf" in igang
    assert "PDF/UA-1: 1 regel fejler (7.18.1-1)" in igang
    assert "2025 skema sendt 31. januar 2026 evaluering-2025-igang.xlsx" in igang
    slut = section(tree, "slut")
    assert "ikke valideret" in slut


def test_signing_times_are_danish_local_time(page):
    _, tree = page
    times = [t for t in texts(tree, "//td[@data-label='Tidspunkt']") if t != "–"]
    assert times
    moment = r"\d{1,2}\. [a-zæøå]+ \d{4} kl\. \d{2}\.\d{2}"
    assert all(re.fullmatch(moment, t) for t in times), times


def test_a_moment_is_shown_on_the_day_and_hour_it_was_in_denmark():
    assert overview_page._moment("2026-12-31T23:30:00+00:00") == "1. januar 2027\xa0kl.\xa000.30"
    assert overview_page._moment("2026-07-01T10:00:00+00:00") == "1. juli 2026\xa0kl.\xa012.00"
    assert overview_page._isodate("2026-12-31T23:30:00+00:00") == "1. januar 2027"


def test_every_link_leads_to_a_file_or_a_place_on_the_page(page):
    path, tree = page
    ids = set(tree.xpath("//@id"))
    links = tree.xpath("//a/@href")
    files = [h for h in links if not h.startswith("#")]
    assert len(files) > 20
    for href in links:
        if href.startswith("#"):
            assert href[1:] in ids, href
        else:
            assert (path.parent / unquote(href)).resolve().is_file(), href
    assert "aftaler/aftale-igang-underskrevet-2.pdf" in files
    assert "../archive/2024/igang/aftale-igang-underskrevet-2.pdf" in files
    assert "../agreements/igang/2024.yaml" in files


def test_definition_text_is_shown_as_text_on_the_page_and_in_the_calendar(changed):
    hostile = "<script>alert(1)</script> & {{ 7*7 }} \"'"
    path = changed / "agreements" / "kommende.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "name: Hospitalsenheden Horsens", f"name: '{hostile.replace(chr(39), chr(39) * 2)}'", 1),
        encoding="utf-8")
    assert run(changed, "overview").exit_code == 0
    tree = html.fromstring((changed / "output" / "oversigt.html").read_bytes())
    assert tree.xpath("//script") == []
    assert hostile in section(tree, "kommende")
    event = events(calendar_of(changed))["udloeb-kommende@horsens-aftaler"]
    assert hostile in str(event["DESCRIPTION"])
    terminal = run(changed, "status")
    assert terminal.exit_code == 0


def test_the_page_of_the_shipped_definitions(project, tmp_path):
    root = tmp_path / "projekt"
    for folder in ("agreements", "programmes"):
        __import__("shutil").copytree(project.root / folder, root / folder)
    result = run(root, "overview", today=dt.date(2017, 11, 15))
    assert result.exit_code == 0, result.output
    tree = html.fromstring((root / "output" / "oversigt.html").read_bytes())
    assert texts(tree, "//h2")[1:3] == ["HORSENS ALLIANCEN", "Vækstalliancen"]
    assert "Aftalen hospital udløber om 46 dage, 31. december 2017." in tree.text_content()


# --- the calendar ---------------------------------------------------------------------------

def calendar_of(root: Path, today: dt.date = TODAY) -> icalendar.Calendar:
    result = run(root, "calendar", today=today)
    assert result.exit_code == 0, result.output
    return icalendar.Calendar.from_ical((root / "output" / "kalender.ics").read_bytes())


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_calendar_has_an_event_per_date_that_matters(changed):
    found = events(calendar_of(changed))
    day = {uid.split("@")[0]: e.decoded("DTSTART") for uid, e in found.items()}
    assert day["varsel-varsel"] == dt.date(2026, 1, 31)
    assert day["varsel-udloeber"] == dt.date(2025, 12, 31)
    assert day["udloeb-igang"] == dt.date(2027, 12, 31)
    assert day["evalueringer-alliance-2025"] == dt.date(2026, 1, 31)
    assert day["rapport-alliance-2025"] == dt.date(2026, 2, 28)
    assert "varsel-igang" not in day  # no notice period, no notice date
    assert len(found) == 5 + 2 + 8 + 8  # ends, notices, evaluations and reports 2022-2029


def test_each_event_says_what_to_do_and_reminds_ahead(changed):
    for event in calendar_of(changed).walk("VEVENT"):
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(days=1)
        description = str(event["DESCRIPTION"])
        assert f"--project {changed} " in description, description  # a command to run
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") < dt.timedelta(0)
    report = events(calendar_of(changed))["rapport-alliance-2024@horsens-aftaler"]
    assert "report 2024" in str(report["DESCRIPTION"])
    assert "Status pr. 15. januar 2026: for sent." in str(report["DESCRIPTION"])
    evaluations = events(calendar_of(changed))["evalueringer-alliance-2025@horsens-aftaler"]
    assert "form export --all 2025" in str(evaluations["DESCRIPTION"])
    assert [a.decoded("TRIGGER") for a in evaluations.walk("VALARM")] == [
        -dt.timedelta(days=13, hours=15)]  # 09:00 two weeks before


def test_uids_stay_the_same_from_one_build_to_the_next(changed):
    first = calendar_of(changed)
    (changed / "output" / "skemaer" / "evaluering-2025-igang.xlsx").unlink()
    second = calendar_of(changed, today=TODAY + dt.timedelta(days=3))
    assert set(events(first)) == set(events(second))
    assert len(set(events(first))) == len(first.walk("VEVENT"))
    for uid, event in events(first).items():
        assert events(second)[uid].decoded("DTSTART") == event.decoded("DTSTART")


def test_the_same_day_gives_the_same_calendar(changed):
    calendar_of(changed)
    once = (changed / "output" / "kalender.ics").read_bytes()
    calendar_of(changed)
    assert (changed / "output" / "kalender.ics").read_bytes() == once


# --- kept current ---------------------------------------------------------------------------

def test_commands_that_change_what_it_shows_refresh_the_page(changed):
    assert run(changed, "overview").exit_code == 0
    assert run(changed, "calendar").exit_code == 0
    page, calendar = changed / "output" / "oversigt.html", changed / "output" / "kalender.ics"
    before, before_calendar = page.read_bytes(), calendar.read_bytes()
    result = run(changed, "form", "export", "udloeber", "2025")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("evaluering-2025-udloeber.xlsx")  # and only that
    assert page.read_bytes() != before
    assert ("Evalueringen af 2025 for aftalen udloeber skal være modtaget 31. januar 2026. "
            "Skemaet er sendt") in html.fromstring(page.read_bytes()).text_content()
    assert calendar.read_bytes() != before_calendar


def test_a_page_never_made_is_not_made_by_other_commands(changed):
    assert run(changed, "form", "export", "udloeber", "2025").exit_code == 0
    assert not (changed / "output" / "oversigt.html").exists()
    assert not (changed / "output" / "kalender.ics").exists()


def test_a_refresh_remembers_the_archive_the_page_was_made_with(changed, tmp_path):
    moved = tmp_path / "arkiv"
    (changed / "archive").rename(moved)
    assert run(changed, "overview", "--archive", moved).exit_code == 0
    assert run(changed, "form", "export", "udloeber", "2025").exit_code == 0
    text = (changed / "output" / "oversigt.html").read_text(encoding="utf-8")
    assert "2024/igang/aftale-igang-underskrevet-2.pdf" in text


def test_a_command_stopped_by_bad_input_still_refreshes_what_it_did(changed, tmp_path):
    assert run(changed, "overview").exit_code == 0
    (tmp_path / "ikke.pdf").write_bytes(b"not a pdf")
    signed = changed / "output/aftaler/aftale-udloeber-underskrevet-1.pdf"
    from overview_project import set_validation

    set_validation(changed / "archive", {"igang": None})  # a manifest any version reads
    result = run(changed, "archive", "add", signed, tmp_path / "ikke.pdf")
    assert result.exit_code == 2
    tree = html.fromstring((changed / "output" / "oversigt.html").read_bytes())
    assert "arkiveret " in section(tree, "udloeber")
    assert "1 af 2 underskrevet" in section(tree, "udloeber")


def test_watch_keeps_the_page_current(changed):
    assert run(changed, "overview").exit_code == 0
    page = changed / "output" / "oversigt.html"
    before = page.read_bytes()
    env = {**os.environ, "AFTALER_TODAY": TODAY.isoformat()}
    watching = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--project",
                                 str(changed), "watch"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert _wait_for(lambda: b"udloeber" in before and watching.poll() is None, 5)
        time.sleep(3)  # the watch's first round, and its folders watched
        record = changed / "agreements" / "udloeber" / "2024.yaml"
        record.write_text((changed / "agreements" / "udloeber" / "2023.yaml").read_text(
            encoding="utf-8").replace("evaluated_on: 2024-01-10", "evaluated_on: 2025-01-10"),
            encoding="utf-8")
        refreshed = _wait_for(lambda: page.read_bytes() != before, 90)
    finally:
        os.killpg(watching.pid, signal.SIGINT)
        out, err = watching.communicate(timeout=30)
    assert refreshed, f"the page was not refreshed: {out!r} {err!r}"
    assert "output/oversigt.html" in out, (out, err)
    text = " ".join(html.fromstring(page.read_bytes()).text_content().split())
    assert "Evalueringen af 2024 for aftalen udloeber mangler" not in text


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
