"""Where each agreement stands on a given day, from what its files say (facts.py).

Pure: facts and today in, the status (model.py) out, with everything that needs doing
ranked (context.py): errors first, then what is overdue, what is due soon, and what is
left to do. Signatures and the archive: signatures.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from ..documents.agreement import subtitle_of
from ..names import DEFAULT_PROGRAMME
from ..sources.agreement import Agreement
from ..sources.deadlines import DEFAULT_EVALUATIONS_DUE
from ..sources.programme import DEFAULT_AGREEMENT_TITLE, Programme
from . import model, signatures
from .context import PROGRAM, SOON, Context, ranked
from .facts import AgreementFacts, Facts, ProgrammeFacts, RecordFacts

ENDING = 90  # days before its end an agreement without a notice period is "ending"


def compute(facts: Facts, today: dt.date, program: str = PROGRAM,
            command_path: Callable[[str], str] | None = None) -> model.Status:
    """The status of every agreement and programme on `today`. Its commands begin with
    `program`; the files they name are as `command_path` gives them (default: relative to
    the project folder, where they are run)."""
    c = Context(facts, today, program, command_path)
    attention: list[model.Attention] = []
    agreements = []
    for a in facts.agreements:
        status = agreement_status(c, a)
        agreements.append(status)
        attention += status.attention
    programmes = []
    for p in facts.programmes:
        status, items = programme_status(c, p, facts)
        programmes.append(status)
        attention += items
    invalid = [model.Invalid(name=i.name, kind=i.kind, path=c.path(i.path),
                             problems=list(i.problems)) for i in facts.invalid]
    for i in invalid:
        attention.append(c.item("error", "invalid_definition",
                                f"{i.path}: {len(i.problems)} problem(s)",
                                command=c.command("check"), path=i.path,
                                **{i.kind: i.name}))
    if facts.archive_problem:
        attention.append(c.item("error", "archive_unreadable",
                                f"the archive's {facts.archive_problem}",
                                command=c.command("archive", "verify"),
                                path=c.path(facts.archive)))
    agreements.sort(key=lambda a: (_rank(a.attention), a.name))
    return model.Status(today=today, attention=ranked(attention), agreements=agreements,
                        programmes=programmes, invalid=invalid)


def _rank(items: list[model.Attention]) -> tuple:
    """Agreements needing attention first, the most urgent at the top."""
    if not items:
        return (len(model.SEVERITIES), dt.date.max)
    first = ranked(items)[0]
    return (model.SEVERITIES.index(first.severity), first.date or dt.date.max)


# --- the term ---------------------------------------------------------------------------


def term_status(agreement: Agreement, today: dt.date) -> model.Term:
    """Not begun, in force, ending (within its notice period, or the last ENDING days
    without one), or ended."""
    start, end = agreement.term.start, agreement.term.end
    notice_date = agreement.notice_date
    if today < start:
        state = "not_begun"
    elif today > end:
        state = "ended"
    elif (today > notice_date) if notice_date else ((end - today).days < ENDING):
        state = "ending"
    else:
        state = "in_force"
    return model.Term(
        start=start, end=end, state=state,
        days_left=(end - today).days if today <= end else None,
        days_to_start=(start - today).days if today < start else None,
        notice=str(agreement.notice) if agreement.notice else None, notice_date=notice_date)


def _term_attention(c: Context, name: str, term: model.Term) -> list[model.Attention]:
    items = []
    if term.state == "ending":
        told = (f"; the decision on renewal or notice was due {term.notice_date}"
                if term.notice_date else "")
        items.append(c.item("soon", "ending", f"{name}: ends in {term.days_left} day(s), "
                            f"on {term.end}{told}", date=term.end, agreement=name))
    if (term.notice_date and term.state in ("not_begun", "in_force")
            and 0 <= (term.notice_date - c.today).days <= SOON):
        items.append(c.item("soon", "notice_soon",
                            f"{name}: decide on renewal or notice by {term.notice_date} "
                            f"({term.notice} before it ends on {term.end})",
                            date=term.notice_date, agreement=name))
    return items


# --- evaluations ------------------------------------------------------------------------


def year_state(record: RecordFacts, form: Path | None, year: int, due: dt.date,
               today: dt.date) -> model.EvaluationState:
    """Recorded (or invalid), else overdue once its due date has passed, else exported
    if its form went out, else missing once the year is over, else pending."""
    if record.exists:
        return "invalid" if record.problems else "recorded"
    if today > due:
        return "overdue"
    if form is not None:
        return "exported"
    return "missing" if today.year > year else "pending"


def _evaluation_attention(c: Context, what: str, state: str, year: int, due: dt.date,
                          form: str | None, record: str, export: str, imports: str,
                          kind: str, **about) -> list[model.Attention]:
    """What a year's evaluation (or a programme's results) asks for, if anything."""
    days = (due - c.today).days
    if state == "invalid":
        return [c.item("error", "invalid_record", f"{record}: has problems",
                       command=c.command("check"), year=year, path=record, **about)]
    if state == "overdue":
        told = "; its form was exported, not returned" if form else ""
        return [c.item("overdue", f"{kind}_overdue", f"{what} of {year} overdue since {due}{told}",
                       date=due, command=imports if form else export, year=year, path=form,
                       **about)]
    if state == "missing":
        return [c.item("soon" if days <= SOON else "todo", f"{kind}_due",
                       f"{what} of {year} due {due}: export its form", date=due,
                       command=export, year=year, **about)]
    if state == "exported" and days <= SOON:
        return [c.item("soon", f"{kind}_due",
                       f"{what} of {year} due {due}; its form was exported, not returned",
                       date=due, command=imports, year=year, path=form, **about)]
    return []


def _import(c: Context, year: int, form: Path | None) -> str:
    """Importing the filled form: it comes back under the name it was sent with."""
    return c.command("form", "import", "--year", str(year), form.name if form else "FILE.xlsx")


def agreement_status(c: Context, a: AgreementFacts) -> model.Agreement:
    agreement, name = a.agreement, a.name
    programme = a.programme
    term = term_status(agreement, c.today)
    people = signatures.signatories(agreement)
    pdfs = [signatures.pdf_status(c, pdf, people) for pdf in a.pdfs]
    sigs = signatures.of(c, agreement, pdfs, a.archived, c.archive)
    attention = _term_attention(c, name, term)
    attention += signatures.attention(c, a, term, pdfs, sigs,
                                    {str(r.get("sha256")) for r in a.archived})
    years = []
    for year, record in a.records.items():
        due = _evaluations_due(programme, year)
        form = a.forms.get(year)
        state = year_state(record, form, year, due, c.today)
        years.append(model.EvaluationYear(year=year, state=state, due=due,
                                          record=c.path(record.path) if record.exists else None,
                                          form=c.path(form)))
        attention += _evaluation_attention(
            c, f"{name}: evaluation", state, year, due, c.path(form),
            c.path(record.path), c.command("form", "export", name, str(year)),
            _import(c, year, form), "evaluation", agreement=name)
    return model.Agreement(
        name=name, programme=agreement.programme,
        title=agreement.title or (programme.agreement_title if programme
                                  else DEFAULT_AGREEMENT_TITLE),
        subtitle=subtitle_of(agreement),
        parties=[p.name for p in agreement.parties.values()], example=agreement.example,
        term=term,
        documents=model.Documents(built=a.built, up_to_date=a.up_to_date,
                                  word=c.path(a.word) if a.built else None,
                                  pdf=c.path(a.pdf) if a.built else None),
        pdfs=pdfs, signatures=sigs, archived=signatures.archived_status(c, a),
        evaluations={str(y.year): y.state for y in years}, evaluation_years=years,
        attention=ranked(attention))


def _evaluations_due(programme: Programme | None, year: int) -> dt.date:
    if programme is None:  # its programme has problems: the default rule
        return DEFAULT_EVALUATIONS_DUE.in_year(year + 1)
    return programme.evaluations_due_on(year)


# --- programmes -------------------------------------------------------------------------


def report_state(built: bool, current: bool, archived: bool, year: int, due: dt.date,
                 today: dt.date) -> model.ReportState:
    """Built (and up to date, or stale), else archived (built elsewhere or before, and
    kept), else overdue, missing once the year is over, or pending."""
    if built:
        return "built" if current else "stale"
    if archived:
        return "archived"
    if today > due:
        return "overdue"
    return "missing" if today.year > year else "pending"


def programme_status(c: Context, p: ProgrammeFacts,
                     facts: Facts) -> tuple[model.Programme, list[model.Attention]]:
    programme = p.programme
    mine = [a for a in facts.agreements if a.agreement.programme == p.id]
    years, items = [], []
    for year, y in p.years.items():
        period = programme.period_of(year)
        in_force = [a.name for a in mine if a.agreement.term.covers_year(year)]
        recorded = sum(1 for a in mine if year in a.records and a.records[year].exists
                       and not a.records[year].problems)
        due = programme.evaluations_due_on(year)
        if period is None and not y.record.exists:
            results = "not_expected"
        else:
            results = year_state(y.record, y.form, year, due, c.today)
            items += _evaluation_attention(
                c, f"{programme.name}: results", results, year, due, c.path(y.form),
                c.path(y.record.path),
                c.command("form", "export", "--programme", p.id, str(year)),
                _import(c, year, y.form), "results", programme=p.id)
        report_due = programme.report_due_on(year)
        report = report_state(y.report_built, y.report_current, y.report_archived, year,
                              report_due, c.today)
        items += _report_attention(c, programme, p.id, year, report, report_due)
        years.append(model.ProgrammeYear(
            year=year, period=period.years if period else None, agreements=in_force,
            evaluations_recorded=recorded, results=results, results_due=due,
            results_record=c.path(y.record.path) if y.record.exists else None,
            results_form=c.path(y.form),
            report=model.Report(state=report, due=report_due,
                                path=c.path(y.report) if y.report_built else None,
                                up_to_date=y.report_current, archived=y.report_archived)))
    return model.Programme(id=p.id, name=programme.name,
                           evaluations_due=str(programme.evaluations_due
                                               or DEFAULT_EVALUATIONS_DUE),
                           years=years), items


def _report_attention(c: Context, programme: Programme, pid: str, year: int, state: str,
                      due: dt.date) -> list[model.Attention]:
    words = ["report", str(year)] + ([] if pid == DEFAULT_PROGRAMME else ["--programme", pid])
    command = c.command(*words)
    what = f"{programme.name}: report of {year}"
    if state == "overdue":
        return [c.item("overdue", "report_overdue", f"{what} overdue since {due}", date=due,
                       command=command, programme=pid, year=year)]
    if state == "missing" and (due - c.today).days <= SOON:
        return [c.item("soon", "report_due", f"{what} due {due}", date=due,
                       command=command, programme=pid, year=year)]
    if state == "stale":
        return [c.item("todo", "report_stale", f"{what} older than what it is built from",
                       command=command, programme=pid, year=year)]
    return []
