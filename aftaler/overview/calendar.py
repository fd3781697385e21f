"""The dates that matter as a calendar, output/kalender.ics (RFC 5545, with icalendar).

An all-day event per evaluation due date (a programme's year), per report due date, per
term end and per notice date, each with a reminder ahead of it (a VALARM at 09:00 some
days before) and a description of what to do and with which command. Each event's UID
is made of what it is about (`evalueringer-alliance-2025@horsens-aftaler`), never of
when the file was built, so a calendar application that subscribes to the file updates
its events instead of adding them again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from icalendar import Alarm, Calendar, Event

from ..names import DEFAULT_PROGRAMME
from . import model, words
from .context import PROGRAM

DOMAIN = "horsens-aftaler"
# Days ahead of each kind of date that its reminder comes.
AHEAD = {"evalueringer": 14, "rapport": 14, "varsel": 30, "udloeb": 30}


@dataclass(frozen=True)
class Entry:
    uid: str
    day: dt.date
    summary: str
    description: str
    ahead: int  # days


def entries(status: model.Status, program: str = PROGRAM) -> list[Entry]:
    """Every event of the calendar, in date order."""
    found = [*_programme_entries(status, program), *_agreement_entries(status, program)]
    return sorted(found, key=lambda e: (e.day, e.uid))


def _uid(*parts: object) -> str:
    return "-".join(str(p) for p in parts) + f"@{DOMAIN}"


def _status_line(status: model.Status) -> str:
    return f"Status pr. {words.date(status.today)}"


def _programme_entries(status: model.Status, program: str) -> Iterator[Entry]:
    by_name = {a.name: a for a in status.agreements}
    for p in status.programmes:
        option = "" if p.id == DEFAULT_PROGRAMME else f" --programme {p.id}"
        for y in p.years:
            if y.agreements or y.results != "not_expected":
                states = [f"{name}: {words.EVALUATION[by_name[name].evaluations[str(y.year)]]}"
                          for name in y.agreements if name in by_name]
                lines = [f"Evalueringerne af {y.year} for {p.name} skal være modtaget i dag."]
                if states:
                    lines.append(f"{_status_line(status)}: " + "; ".join(states) + ".")
                if y.results != "not_expected":
                    lines.append(f"Programmets resultater: {words.EVALUATION[y.results]}.")
                lines += ["", "Sådan:"]
                if y.agreements:
                    lines += [f"{program} form export --all {y.year}   (skemaerne til parterne)",
                              f"{program} form import --year {y.year} FIL.xlsx …   "
                              "(de udfyldte skemaer)"]
                if y.results != "not_expected":
                    lines.append(f"{program} form export --programme {p.id} {y.year}   "
                                 "(programmets eget skema)")
                yield Entry(_uid("evalueringer", p.id, y.year), y.results_due,
                            f"Evalueringer af {y.year} skal være modtaget ({p.name})",
                            "\n".join(lines), AHEAD["evalueringer"])
            report = y.report
            yield Entry(
                _uid("rapport", p.id, y.year), report.due,
                f"Evalueringsrapporten for {y.year} skal være klar ({p.name})",
                "\n".join([f"Evalueringsrapporten for {y.year} for {p.name} skal være klar "
                           "i dag.",
                           f"{_status_line(status)}: {words.REPORT[report.state]}.", "",
                           "Sådan:", f"{program} report {y.year}{option}"]),
                AHEAD["rapport"])


def _agreement_entries(status: model.Status, program: str) -> Iterator[Entry]:
    for a in status.agreements:
        named = f"{a.name} ({a.title} – {a.subtitle})"
        check = f"{program} status --programme {a.programme}"
        if a.term.notice_date:
            yield Entry(
                _uid("varsel", a.name), a.term.notice_date,
                f"Frist: forlæng eller opsig aftalen {a.name}",
                "\n".join([f"Sidste dag for at beslutte, om aftalen {named} skal forlænges "
                           f"eller opsiges: varslet er {a.term.notice} før udløb, "
                           f"{words.date(a.term.end)}.",
                           "Aftal forlængelsen med parterne, eller giv dem varsel.", "",
                           f"Aftalens stand: {check}"]),
                AHEAD["varsel"])
        yield Entry(
            _uid("udloeb", a.name), a.term.end, f"Aftalen {a.name} udløber",
            "\n".join([f"Sidste dag, aftalen {named} er i kraft.",
                       "Skal samarbejdet fortsætte, laves en ny aftale; husk årets "
                       "evaluering.", "", f"Aftalens stand: {check}"]),
            AHEAD["udloeb"])


def ics(status: model.Status, program: str = PROGRAM) -> bytes:
    """The calendar as bytes. The same status gives the same bytes: DTSTAMP is the day
    the status is of, not the moment of writing."""
    calendar = Calendar()
    calendar.add("prodid", "-//Horsens Kommune//horsens-aftaler//DA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Aftalernes frister")
    calendar.add("x-wr-caldesc", "Evalueringer, rapporter, varsler og udløb af aftalerne, "
                                 "fra projektets filer.")
    stamp = dt.datetime.combine(status.today, dt.time(0, 0), tzinfo=dt.UTC)
    for entry in entries(status, program):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + dt.timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", entry.summary)
        # at 09:00, `ahead` days before the (all-day) event's midnight
        alarm.add("trigger", -dt.timedelta(days=entry.ahead) + dt.timedelta(hours=9))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
