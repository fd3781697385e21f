"""The agreement as a document: every sentence and cell, ready for either template.

Word and PDF are rendered from this one model, so they say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import formatting
from ..sources.definitions import Agreement, Alliance, signature_field_name

LANG = "da"


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1


@dataclass(frozen=True)
class Row:
    effort: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Signature:
    field: str
    name: str
    title: str
    organisation: str

    @property
    def anchor(self) -> str:
        return "sig-" + self.field


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    created: dt.datetime
    lang: str = LANG


@dataclass(frozen=True)
class AgreementDocument:
    name: str
    title: str
    partner: str
    paragraphs: tuple[str, ...]
    content_heading: str
    content_intro: str | None
    effort_heading: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    evaluation: str
    term: str
    signatures: tuple[Signature, ...]
    footer: str
    metadata: Metadata


def goal_paragraphs(alliance: Alliance) -> list[str]:
    """The alliance's goal, worded as the agreements state it (seed 002)."""
    goal = alliance.goal
    years = goal.end_year - goal.start_year + 1
    relief = goal.tax_relief
    amount = formatting.mio_kr_range(relief.min_mio_kr, relief.max_mio_kr)
    return [
        f"{alliance.name} skal hvert år de næste {formatting.count_word(years)} år løfte "
        f"{formatting.number(goal.citizens_per_year)} ekstra {alliance.citizens} væk fra "
        "offentlig forsørgelse. De midler, som kommunen sparer ved at ledige kommer i jobs, "
        "skal forbedre vilkårene for erhvervslivet.",
        _sentence(
            f"Målet er, at {alliance.municipality} ved udgangen af {goal.end_year} har "
            f"{formatting.number(goal.citizens_total)} færre borgere på offentlig forsørgelse "
            f"målt i forhold til {goal.measured_against}, og dermed have fjernet "
            f"{relief.name} svarende til {amount}"),
    ]


def _sentence(text: str) -> str:
    """End with one full stop, also after an abbreviation such as 'kr.'."""
    return text if text.endswith(".") else text + "."


def term_sentence(agreement: Agreement) -> str:
    return (f"Aftalen træder i kraft den {formatting.date_long(agreement.term.start)} "
            f"og løber frem til den {formatting.date_long(agreement.term.end)}.")


def partner_of(agreement: Agreement, alliance: Alliance) -> str:
    """The partner's name: the first party that is not the alliance's municipality."""
    for party in agreement.parties.values():
        if party.name != alliance.municipality:
            return party.name
    return next(iter(agreement.parties.values())).name


def document_date(agreement: Agreement) -> dt.datetime:
    """The date stamped into the files: fixed by the definition, so rebuilds are identical."""
    return dt.datetime.combine(agreement.term.start, dt.time(), tzinfo=dt.UTC)


def build(name: str, agreement: Agreement, alliance: Alliance) -> AgreementDocument:
    party_ids = list(agreement.parties)
    rows = []
    for effort in agreement.efforts:
        if effort.joint:
            cells: tuple[Cell, ...] = (Cell(effort.joint.text, len(party_ids)),)
        else:
            cells = tuple(Cell(effort.commitments.get(pid, "")) for pid in party_ids)
        rows.append(Row(effort.name, cells))

    paragraphs = [agreement.opening]
    if agreement.include_alliance_goal:
        paragraphs += goal_paragraphs(alliance)
    paragraphs += agreement.preamble + agreement.cooperation

    signatures = tuple(
        Signature(signature_field_name(s.name), s.name, s.title, party.name)
        for party in agreement.parties.values() for s in party.signatories)
    partner = partner_of(agreement, alliance)
    period = (f"{formatting.date_long(agreement.term.start)} – "
              f"{formatting.date_long(agreement.term.end)}")
    party_names = [p.name for p in agreement.parties.values()]
    metadata = Metadata(
        title=f"{agreement.title} – {partner}",
        author=alliance.name,
        subject=f"Forpligtende samarbejde mellem {_join(party_names)}, {period}",
        keywords=(alliance.name, agreement.title, *party_names,
                  *(e.name for e in agreement.efforts)),
        created=document_date(agreement),
    )
    return AgreementDocument(
        name=name,
        title=agreement.title,
        partner=partner,
        paragraphs=tuple(paragraphs),
        content_heading=agreement.content_heading,
        content_intro=agreement.content_intro,
        effort_heading=agreement.effort_heading,
        columns=tuple(p.column_heading for p in agreement.parties.values()),
        rows=tuple(rows),
        evaluation=agreement.evaluation,
        term=term_sentence(agreement),
        signatures=signatures,
        footer=f"{agreement.title} · {partner} · {period}",
        metadata=metadata,
    )


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]
