"""The two forms, as .xlsx bytes: an agreement's yearly evaluation, and a programme's
results of a year (its period's goals and the marks awarded).

Pure: from validated definitions (and last year's record, for the indicators) to bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from ..documents.agreement import (
    commitments,
    goal_targets,
    subtitle_of,
    term_span,
    title_of,
)
from ..documents.report import target_text
from ..documents.text import join_names
from ..sources.agreement import Agreement
from ..sources.programme import Period, Programme, QuantitativeGoal
from ..sources.records import ASSESSMENTS, Evaluation
from . import identity
from .identity import FormIdentity
from .layout import DATE_FORMAT, FONT, SIZE, Column, FormSheet, width_for

# The agreement form: its heading's input cells and its table, as the import reads them.
EVALUATED_BY, EVALUATED_ON, COMMENT = "Evalueret af", "Dato", "Samlet vurdering"
HEADING_LABELS = {"evaluated_by": EVALUATED_BY, "evaluated_on": EVALUATED_ON,
                  "comment": COMMENT}
AGREEMENT_COLUMNS = (
    Column("Indsats", 20),
    Column("Forpligtelse", 46),
    Column("Mål", 12),
    Column("Indikator", 22, "indicator"),
    Column("Resultat", 11, "result"),
    Column("Vurdering", 16, "assessment"),
    Column("Relevans", 28, "relevance"),
    Column("Næste skridt", 28, "next_step"),
)
AGREEMENT_HEADER_ROW = 8
MAX_EFFORT_WIDTH = 30

# The programme form: the goals table, then the marks awarded, on the same columns.
GOAL_COLUMNS = (
    Column("Mål", 34),
    Column("Måltal", 26),
    Column("Resultat", 12, "result"),
    Column("Vurdering", 16, "assessment"),
    Column("Beskrivelse", 44, "narrative"),
    Column("Bemærkning", 30, "comment"),
)
MARK_COLUMNS = (
    Column("Organisation", 34, "organisation"),
    Column("Mærke", 26, "mark"),
    Column("Kriterier", 12, "criteria"),
)
MARKS_HEADING = "Tildelte mærker"
CRITERIA_HEADING = "Mærkernes kriterier"
MARK_ROWS = 12  # empty rows for the year's awards

_BOLD = InlineFont(rFont=FONT, sz=SIZE, b=True)
_PLAIN = InlineFont(rFont=FONT, sz=SIZE)


@dataclass(frozen=True)
class Form:
    file_name: str
    data: bytes
    identity: FormIdentity


def agreement_file_name(name: str, year: int) -> str:
    return f"evaluering-{year}-{name}.xlsx"


def programme_file_name(programme_id: str, year: int) -> str:
    # Not evaluering-…: an agreement may not share a programme's name, but a person
    # should see at a glance which form is the programme's own.
    return f"resultater-{year}-{programme_id}.xlsx"


def _serial(day: dt.date) -> int:
    """The date as the spreadsheet's number (1900 date system)."""
    return (day - dt.date(1899, 12, 30)).days


def _commitments(agreement: Agreement, effort) -> CellRichText | str:
    """Each commitment whole, a paragraph each, its party in bold before it unless its
    first words name it ('Horsens Kommune forpligter sig …')."""
    blocks: list = []
    for i, c in enumerate(commitments(agreement, effort)):
        if c.party:
            blocks.append(TextBlock(_BOLD, ("\n" if i else "") + c.party + ": "))
        blocks.append(TextBlock(_PLAIN, ("\n" if i and not c.party else "") + c.text))
    return CellRichText(blocks) if blocks else "–"


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _properties(wb: Workbook, title: str, subject: str, author: str, made: dt.date) -> None:
    props = wb.properties
    props.title = title
    props.subject = subject
    props.creator = author
    props.lastModifiedBy = author
    props.language = "da-DK"
    props.keywords = "evaluering"
    stamp = dt.datetime.combine(made, dt.time())
    props.created = props.modified = stamp


def agreement_form(name: str, agreement: Agreement, programme: Programme, year: int,
                   previous: Evaluation | None = None, *, made: dt.date | None = None,
                   example: bool | None = None) -> Form:
    """The evaluation form of agreement `name` for `year`; `previous` (last year's
    evaluation) fills in the indicators."""
    made = made or dt.date.today()
    example = agreement.example if example is None else example
    ident = FormIdentity(identity.AGREEMENT, name, year,
                         identity.agreement_fingerprint(agreement), made, example)
    wb = Workbook()
    # The effort's name is never broken mid-word (SOMMERFERIEAFLØSERE is long).
    words = [w for effort in agreement.efforts for w in effort.name.split()]
    effort_width = min(MAX_EFFORT_WIDTH, max(AGREEMENT_COLUMNS[0].width,
                                             width_for(words, bold=True)))
    sheet = FormSheet(wb, AGREEMENT_COLUMNS, {1: round(effort_width, 1)})
    title = f"Evaluering {year} – {title_of(agreement, programme)}"
    sheet.title(1, title + (" (EKSEMPEL)" if example else ""))
    parties = join_names([p.name for p in agreement.parties.values()])
    sheet.line(2, f"Parter: {parties} · Aftalen gælder {term_span(agreement)}")
    sheet.line(3, (
        f"Vurdér hver indsats i aftalen for {year}, og udfyld de gule felter. Indsats, "
        "forpligtelse og mål står i aftalen og kan ikke ændres. Resultat er et tal (fx 2 eller "
        "2,5) eller ja/nej; en indsats med et mål skal have et tal. Vurdering vælges på "
        "listen. Når et felt vælges, står der, hvad det skal indeholde. Gem skemaet som "
        f".xlsx, og send det tilbage til {programme.name}s sekretariat."))

    sheet.label(4, EVALUATED_BY)
    sheet.input(4, 2, span=3)
    sheet.prompt(["B4"], EVALUATED_BY, "Navn og organisation på den, der har evalueret "
                 "aftalen, fx Jobcenter Horsens, Virksomhedsservice.")
    sheet.label(5, EVALUATED_ON)
    sheet.input(5, 2, span=3, number_format=DATE_FORMAT)  # as wide as Evalueret af
    sheet.prompt(["B5"], EVALUATED_ON, f"Datoen for evalueringen, fx 26.01.{year + 1}.",
                 kind="date", operator="greaterThanOrEqual",
                 formula1=str(_serial(dt.date(year, 1, 1))), warn_only=True,
                 error=f"Skriv en dato, fx 26.01.{year + 1}: evalueringen af {year} kan ikke "
                       f"være dateret før {year}.")
    sheet.label(6, COMMENT)
    sheet.input(6, 2, span=len(AGREEMENT_COLUMNS) - 1, at_least=4)
    sheet.prompt(["B6"], COMMENT, f"Jeres samlede vurdering af aftalen i {year}: hvad er "
                 "lykkedes, og hvad halter? Få sætninger.")
    sheet.space(7)

    row = AGREEMENT_HEADER_ROW
    sheet.header(row)
    assessments = sheet.list_range(list(ASSESSMENTS))
    indicators, assessed, with_target, numbers, texts = [], [], [], [], {}
    for effort in agreement.efforts:
        row += 1
        sheet.locked(row, 1, effort.name, bold=True)
        sheet.locked(row, 2, _commitments(agreement, effort))
        sheet.locked(row, 3, target_text(effort))
        before = previous.efforts.get(effort.name) if previous else None
        indicator = before.indicator if before else (
            effort.target.indicator if effort.target else None)
        sheet.input(row, 4, indicator, at_least=3)
        sheet.input(row, 5, number_format=None)
        sheet.input(row, 6)
        sheet.input(row, 7, at_least=3)
        sheet.input(row, 8, at_least=3)
        indicators.append(f"D{row}")
        assessed.append(f"F{row}")
        if effort.target:
            with_target.append((f"E{row}", effort))
        else:
            numbers.append(f"E{row}")
        texts.setdefault("G", []).append(f"G{row}")
        texts.setdefault("H", []).append(f"H{row}")

    sheet.prompt(indicators, "Indikator", "Hvad er målt, med ord, fx antal rotationsforløb. "
                 "Står der noget fra sidste år, så ret det, hvis I har målt noget andet.")
    sheet.prompt(assessed, "Vurdering", "Vælg på listen: opfyldt, delvist opfyldt, ikke "
                 "opfyldt eller ikke igangsat.", kind="list", formula1=assessments,
                 error="Vælg en af de fire vurderinger på listen.")
    for ref, effort in with_target:
        unit, target = effort.target.unit, target_text(effort)
        sheet.prompt([ref], "Resultat", f"Resultatet som et tal i {unit} (målet er {target}), "
                     "fx 2 eller 2,5.", kind="decimal", operator="between",
                     formula1="-1000000000", formula2="1000000000",
                     error=f"Skriv et tal, fx 2 eller 2,5: indsatsen har et mål i {unit}.")
    for ref in numbers:
        sheet.prompt([ref], "Resultat", "Et tal, fx 2 eller 2,5, eller ja/nej for gennemført "
                     "eller ej.", kind="custom",
                     formula1=(f'OR(ISNUMBER({ref}),ISLOGICAL({ref}),LOWER(TRIM({ref}))="ja",'
                               f'LOWER(TRIM({ref}))="nej")'),
                     error="Skriv et tal (fx 2 eller 2,5), eller ja eller nej.")
    sheet.prompt(texts.get("G", []), "Relevans", "Er indsatsen stadig relevant, og hvorfor?")
    sheet.prompt(texts.get("H", []), "Næste skridt", "Hvad sker der med indsatsen næste år?")

    sheet.finish(row, AGREEMENT_HEADER_ROW, f"{title} · {subtitle_of(agreement)}",
                 freeze=AGREEMENT_HEADER_ROW)
    identity.write(wb, ident)
    _properties(wb, title, f"Årlig evaluering af {name}, {year}", programme.name, made)
    return Form(agreement_file_name(name, year), _bytes(wb), ident)


def goal_labels(period: Period | None) -> dict[str, str]:
    """Goal id -> the label that names it in the form (its title; numbered where two
    goals of the period share one). The import reads the goal back by this label."""
    if period is None:
        return {}
    titles = [g.title for g in period.goals.values()]
    return {goal_id: (goal.title if titles.count(goal.title) == 1
                      else f"{goal.title} ({goal_id})")
            for goal_id, goal in period.goals.items()}


def programme_instruction(year: int, goals: bool, marks: bool) -> list[str]:
    """What to fill in, a short sentence a line."""
    lines = [f"Udfyld de gule felter for {year}:"]
    if goals:
        lines += ["• Et mål med et måltal: skriv årets tal.",
                  "• Et mål, der vurderes: vælg vurderingen på listen, og beskriv kort, hvad "
                  "der er sket.",
                  "• Bemærkning kan udelades. Et mål uden svar står som ikke vurderet."]
    if marks:
        lines += [f"• Mærker tildelt i {year}: én række pr. tildeling, med numrene på de "
                  "kriterier, organisationen opfylder (se listen nederst)."]
    return lines + ["Når et felt vælges, står der, hvad det skal indeholde. Gem skemaet som "
                    ".xlsx."]


def programme_form(programme_id: str, programme: Programme, year: int, *,
                   made: dt.date | None = None, example: bool = False) -> Form:
    """The form of a programme's results of `year`: the goals of the period that covers
    it and the marks awarded. ValueError if there is nothing to ask."""
    made = made or dt.date.today()
    if programme.before_it_began(year):
        raise ValueError(programme.before_it_began(year))
    period = programme.period_of(year)
    goals = period.goals if period else {}
    if not goals and not programme.marks:
        raise ValueError(f"{programme.name} has no goals in {year} and no marks: there is "
                         "nothing to record")
    ident = FormIdentity(identity.PROGRAMME, programme_id, year,
                         identity.programme_fingerprint(programme, period), made, example)
    wb = Workbook()
    sheet = FormSheet(wb, GOAL_COLUMNS)
    title = f"Årets resultater {year} – {programme.name}"
    sheet.title(1, title + (" (EKSEMPEL)" if example else ""))
    sheet.line(2, f"Strategiperiode {period.years}" + (f" · Mission: {period.mission}"
                                                       if period.mission else "")
               if period else f"Ingen strategiperiode dækker {year}: kun tildelte mærker")
    row = 2
    for line in programme_instruction(year, bool(goals), bool(programme.marks)):
        row += 1
        sheet.line(row, line)
    row += 1
    sheet.space(row)
    assessments = sheet.list_range(list(ASSESSMENTS))
    if goals:
        row += 1
        sheet.header(row)
        labels = goal_labels(period)
        for goal_id, goal in goals.items():
            row += 1
            sheet.locked(row, 1, labels[goal_id], bold=True)
            if isinstance(goal, QuantitativeGoal):
                sheet.locked(row, 2, f"{goal.measure}: {goal_targets(goal, period.end)}")
                sheet.input(row, 3, number_format=None)
                sheet.prompt([f"C{row}"], "Resultat", f"{goal.measure} i {year}, som et tal "
                             f"i {goal.unit}.", kind="decimal", operator="between",
                             formula1="-1000000000", formula2="1000000000",
                             error="Skriv et tal, fx 150 eller 2,5.")
                sheet.locked(row, 4, None)
                sheet.locked(row, 5, None)
            else:
                sheet.locked(row, 2, "Vurderes")
                sheet.locked(row, 3, None)
                sheet.input(row, 4)
                sheet.prompt([f"D{row}"], "Vurdering", "Vælg på listen: opfyldt, delvist "
                             "opfyldt, ikke opfyldt eller ikke igangsat.", kind="list",
                             formula1=assessments,
                             error="Vælg en af de fire vurderinger på listen.")
                sheet.input(row, 5, at_least=3)
                sheet.prompt([f"E{row}"], "Beskrivelse", f"Hvad er der sket i {year} for at "
                             "nå målet? Få sætninger.")
            sheet.input(row, 6, at_least=2)
            sheet.prompt([f"F{row}"], "Bemærkning", "Kan udelades: en bemærkning, der vises "
                         "sammen med resultatet.")
    if programme.marks:
        row += 1
        sheet.space(row)
        row += 1
        sheet.line(row, f"{MARKS_HEADING} {year}", bold=True)
        row += 1
        criteria_span = len(GOAL_COLUMNS) - len(MARK_COLUMNS) + 1
        sheet.header(row, MARK_COLUMNS, last_span=criteria_span)
        marks = sheet.list_range([m.name for m in programme.marks.values()])
        first = row + 1
        for _ in range(MARK_ROWS):
            row += 1
            sheet.input(row, 1)
            sheet.input(row, 2)
            sheet.input(row, 3, span=criteria_span)
        names = join_names([m.name for m in programme.marks.values()])
        sheet.prompt([f"A{first}:A{row}"], "Organisation", "Virksomheden eller "
                     "organisationen, der har fået mærket.")
        sheet.prompt([f"B{first}:B{row}"], "Mærke", f"Vælg på listen: {names}.", kind="list",
                     formula1=marks, error=f"Vælg et af mærkerne på listen: {names}.")
        sheet.prompt([f"C{first}:C{row}"], "Kriterier", "Numrene på de kriterier, "
                     "organisationen opfylder (mindst to), fx 1, 2, 6.")
        row += 1
        sheet.space(row)
        row += 1
        sheet.line(row, CRITERIA_HEADING, bold=True)
        sheet.keep_together(row, row + len(programme.marks))
        for mark in programme.marks.values():
            row += 1
            sheet.locked(row, 1, mark.name, bold=True)
            listed = "\n".join(f"{i}. {c}" for i, c in enumerate(mark.criteria, start=1))
            sheet.locked(row, 2, listed, span=len(GOAL_COLUMNS) - 1)
    # The goals' header is not repeated: on a second page it would stand over the marks.
    sheet.finish(row, None, title)
    identity.write(wb, ident)
    _properties(wb, title, f"{programme.name}: årets resultater {year}", programme.name, made)
    return Form(programme_file_name(programme_id, year), _bytes(wb), ident)
