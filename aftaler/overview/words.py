"""The status in Danish words, for the overview page and the calendar.

Dates as "31. januar 2018" (Babel's da_DK), states as the secretariat says them: *ikke
begyndt*, *i kraft*, *udløber om 46 dage*, *udløbet*.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

from ..formatting import date_long, number
from . import model

SEVERITY = {"error": "Fejl", "overdue": "For sent", "soon": "Snart", "todo": "At gøre"}

EVALUATION = {"recorded": "registreret", "exported": "skema sendt", "missing": "mangler",
              "overdue": "for sent", "pending": "året er ikke omme",
              "invalid": "fejl i registreringen", "not_expected": "ingen mål at måle"}

REPORT = {"built": "bygget", "stale": "ikke opdateret", "archived": "arkiveret",
          "missing": "mangler", "overdue": "for sent", "pending": "året er ikke omme"}


def date(day: dt.date | None) -> str:
    return date_long(day) if day else ""


def days(n: int) -> str:
    """1 -> '1 dag', 46 -> '46 dage'."""
    return f"{number(n)} {'dag' if abs(n) == 1 else 'dage'}"


def _span(n: int) -> str:
    """A number of days as people say it: days up to two months, then months, then years."""
    if n >= 730:
        return f"{number(n // 365)} år"
    if n >= 60:
        return f"{number(n // 30)} måneder"
    return days(n)


def until(n: int) -> str:
    """Days from today in words: 'i dag', 'i morgen', 'om 46 dage', 'om 3 måneder',
    'for 2 år siden'."""
    if n == 0:
        return "i dag"
    if n == 1:
        return "i morgen"
    if n == -1:
        return "i går"
    return f"om {_span(n)}" if n > 0 else f"for {_span(-n)} siden"


def ends_in(n: int) -> str:
    """'udløber i dag', 'udløber i morgen', 'udløber om 46 dage': to the day."""
    return "udløber " + (until(n) if n < 2 else f"om {days(n)}")


def term(t: model.Term) -> str:
    """ikke begyndt, i kraft, udløber om N dage, udløbet."""
    if t.state == "not_begun":
        return f"ikke begyndt (begynder {until(t.days_to_start)})"
    if t.state == "ending":
        return ends_in(t.days_left or 0)
    return {"in_force": "i kraft", "ended": "udløbet"}[t.state]


def signatures(s: model.Signatures) -> str:
    if s.fields == 0:
        return "ingen underskriftsfelter"
    if s.signed == 0:
        told = "ikke underskrevet"
    elif s.signed == s.fields:
        told = "underskrevet af alle"
    else:
        told = "delvist underskrevet"
    text = f"{s.signed} af {s.fields}: {told}"
    return text if s.intact else text + " (en underskrift er ikke intakt)"


def validation(v: model.Validation | None) -> str:
    """The archive's verdict on a copy: 'PDF/A-3a og PDF/UA-1 bestået', or which fail."""
    if v is None:
        return "ikke valideret"
    failed = {k: rules for k, rules in v.profiles.items() if rules}
    if not failed:
        checked = " og ".join(model.profile_label(k) for k in v.profiles) or "valideret"
        return f"{checked}: bestået"
    return "; ".join(f"{model.profile_label(k)}: {number(len(r))} "
                     f"{'regel' if len(r) == 1 else 'regler'} fejler "
                     f"({', '.join(r[:3])}{', …' if len(r) > 3 else ''})"
                     for k, r in failed.items())


def names(people: list[str], shown: int = 3) -> str:
    """'A', 'A og B', 'A, B og C', 'A, B og 20 andre'."""
    if len(people) > shown:
        people = [*people[:shown - 1], f"{number(len(people) - shown + 1)} andre"]
    if len(people) <= 1:
        return "".join(people)
    return f"{', '.join(people[:-1])} og {people[-1]}"


def genitive(name: str) -> str:
    """HORSENS ALLIANCEN -> HORSENS ALLIANCENs; a name ending in s, x or z takes '."""
    return name + ("'" if name[-1:].lower() in "sxz" else "s")


def attention(item: model.Attention, status: model.Status) -> str:
    """What to do, in a Danish sentence."""
    agreement = item.agreement or ""
    programme = next((p.name for p in status.programmes if p.id == item.programme),
                     item.programme or "")
    year = str(item.year) if item.year else ""
    when = date(item.date)
    a = next((x for x in status.agreements if x.name == item.agreement), None)
    sent = " Skemaet er sendt, men ikke kommet retur." if item.path else ""
    match item.kind:
        case "invalid_definition":
            return f"{item.path} har fejl, så den kan ikke vises: ret dem."
        case "invalid_record":
            return f"Registreringen {item.path} har fejl: ret dem."
        case "signature_broken":
            return f"Underskriften ({names(item.names)}) i {item.path} er ikke intakt."
        case "archive_unreadable":
            return "Arkivets manifest kan ikke læses."
        case "evaluation_overdue":
            return (f"Evalueringen af {year} for aftalen {agreement} mangler; fristen var "
                    f"{when}.{sent}")
        case "evaluation_due":
            what = sent.strip() or "Send evalueringsskemaet til parterne."
            return (f"Evalueringen af {year} for aftalen {agreement} skal være modtaget "
                    f"{when}. {what}")
        case "results_overdue":
            return (f"{genitive(programme)} resultater for {year} mangler; fristen var "
                    f"{when}.{sent}")
        case "results_due":
            what = sent.strip() or "Udfyld programmets skema."
            return (f"{genitive(programme)} resultater for {year} skal være registreret "
                    f"{when}. {what}")
        case "report_overdue":
            return f"Evalueringsrapporten for {year} ({programme}) mangler; fristen var {when}."
        case "report_due":
            return f"Evalueringsrapporten for {year} ({programme}) skal være klar {when}."
        case "report_stale":
            return (f"Evalueringsrapporten for {year} ({programme}) er ældre end det, den "
                    "bygges af: byg den igen.")
        case "unsigned_in_force":
            return (f"Aftalen {agreement} trådte i kraft {when}, men mangler underskrift fra "
                    f"{names(item.names)}.{_through_nemlogin(item)}")
        case "unsigned":
            return (f"Aftalen {agreement} skal underskrives af {names(item.names)}; den træder i "
                    f"kraft {when}.{_through_nemlogin(item)}")
        case "ending":
            told = ""
            if a is not None and a.term.notice_date:
                told = (f" Fristen for at beslutte forlængelse eller opsigelse var "
                        f"{date(a.term.notice_date)}.")
            return f"Aftalen {agreement} {ends_in(item.days or 0)}, {when}.{told}"
        case "notice_soon":
            notice = f" ({a.term.notice} før udløb {date(a.term.end)})" if a else ""
            return (f"Beslut senest {when}, om aftalen {agreement} skal forlænges eller "
                    f"opsiges{notice}.")
        case "not_built":
            return f"Aftalen {agreement}: Word- og PDF-filen er ikke bygget."
        case "not_up_to_date":
            return (f"Aftalen {agreement}: Word- og PDF-filen er ikke ajour med definitionen og "
                    "skabelonerne: byg dem igen.")
        case "not_archived":
            return f"Aftalen {agreement} er underskrevet af alle, men ikke arkiveret."
    return item.message


def _through_nemlogin(item: model.Attention) -> str:
    """For an agreement signed through NemLog-in (its item is about the edition)."""
    if item.path and item.path.endswith("-nemlogin.pdf"):
        return (f" Den underskrives i NemLog-in: send {PurePosixPath(item.path).name} dertil, "
                "og arkivér den underskrevne PDF, som NemLog-in sender tilbage.")
    return ""
