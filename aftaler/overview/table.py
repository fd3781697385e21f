"""The status as text for the terminal: a line per agreement (those needing attention
first, with how urgent their first thing to do is), a line per programme, then
everything to do, most urgent first, each with its command.

In English, like the rest of the command line; the page and the calendar are Danish.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from . import model

# The order in which a row counts its years: what needs doing first.
_YEAR_ORDER = ("invalid", "overdue", "missing", "exported", "pending", "recorded",
               "stale", "archived", "built")


def text(status: model.Status) -> str:
    """The whole status, as printed by `status`."""
    lines = [_headline(status), ""]
    if status.agreements:
        lines += _table(["AGREEMENT", "PROGRAMME", "TERM", "STATE", "DOCUMENTS", "SIGNED",
                         "ARCHIVED", "EVALUATIONS", "FIRST"],
                        [_agreement_row(a) for a in status.agreements])
    else:
        lines.append("no agreements")
    for invalid in status.invalid:
        lines.append(f"{invalid.name}: invalid {invalid.kind} ({len(invalid.problems)} "
                     f"problem(s) in {invalid.path})")
    if status.programmes:
        lines += ["", *_table(["PROGRAMME", "YEARS", "RESULTS", "REPORTS"],
                              [_programme_row(p) for p in status.programmes])]
    lines.append("")
    if not status.attention:
        lines.append("Nothing needs attention.")
    else:
        lines.append("Needs attention, most urgent first:")
        width = max(len(i.severity) for i in status.attention)
        for item in status.attention:
            when = str(item.date) if item.date else " " * 10
            lines.append(f"  {item.severity:<{width}}  {when}  {_safe(item.message)}")
            if item.command:
                lines.append(f"  {'':<{width}}  {'':10}  {_safe(item.command)}")
    return "\n".join(lines) + "\n"


def _headline(status: model.Status) -> str:
    count = len(status.attention)
    return (f"Status on {status.today}: {len(status.agreements)} agreement(s), "
            f"{len(status.programmes)} programme(s); "
            f"{count or 'nothing'} {'needs' if count <= 1 else 'need'} attention")


def term_words(term: model.Term) -> str:
    if term.state == "not_begun":
        return f"begins in {term.days_to_start} day(s)"
    if term.state == "ending":
        return "ends today" if term.days_left == 0 else f"ends in {term.days_left} day(s)"
    return term.state.replace("_", " ")


def _agreement_row(a: model.Agreement) -> list[str]:
    docs = ("up to date" if a.documents.up_to_date else "stale") if a.documents.built \
        else "not built"
    signed = f"{a.signatures.signed}/{a.signatures.fields}"
    if not a.signatures.intact:
        signed += " BROKEN"
    first = "-"
    if a.attention:  # how urgent its most urgent thing to do is (the list below says what)
        item = a.attention[0]
        first = f"{item.severity} {item.date}" if item.date else item.severity
    return [a.name, a.programme, f"{a.term.start} – {a.term.end}", term_words(a.term), docs,
            signed, _archived(a.archived), _counted(a.evaluations.values()) or "-", first]


def _archived(archived: model.Archived | None) -> str:
    if archived is None:
        return "no"
    verdict = "not validated"
    if archived.validation is not None:
        verdict = ", ".join(f"{model.profile_label(k)} {'fails' if rules else 'ok'}"
                            for k, rules in archived.validation.profiles.items())
    return f"{archived.signed}/{archived.fields} signed, {verdict or 'validated'}"


def _programme_row(p: model.Programme) -> list[str]:
    years = f"{p.years[0].year}–{p.years[-1].year}" if p.years else "-"
    results = _counted(y.results for y in p.years if y.results != "not_expected")
    return [p.id, years, results or "-", _counted(y.report.state for y in p.years) or "-"]


def _counted(states) -> str:
    counts = Counter(states)
    return ", ".join(f"{counts[s]} {s}" for s in _YEAR_ORDER if counts[s])


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    rows = [[_safe(cell) for cell in row] for row in rows]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in [header, *rows]]


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _safe(value: str) -> str:
    """Text from definitions, printed so that it cannot move the cursor or turn text
    around on the terminal: control and bidirectional format characters become �."""
    value = _CONTROL.sub("\ufffd", value)
    return "".join("\ufffd" if unicodedata.category(ch) == "Cf" else ch for ch in value)
