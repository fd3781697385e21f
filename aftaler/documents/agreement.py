"""The agreement as a document: every sentence and cell, ready for either template.

Word and PDF are rendered from this one model, so they say the same thing and lay the
content out the same way: with a few parties, one column per party; with more than fit
side by side, one row per committed party under each effort (one row for a joint
commitment). Every word either format prints comes from here, headings and labels
included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from .. import formatting
from ..fonts import text_width_mm
from ..sources.agreement import Agreement, Effort, fingerprint, signature_field_name
from ..sources.programme import Programme, QuantitativeGoal
from .fields import compose, field
from .text import join_names, names_its_party, sentence

LANG = "da"

# The content table, in mm (A4 less 22 mm margins), and the type of its cells: both
# renderers use these, so the choice of layout holds for both.
TABLE_MM = 166.0
EFFORT_MM = 41.0  # the effort column with parties as columns, at its narrowest ...
EFFORT_MAX_MM = 56.0  # ... and widest (a long effort name), leaving the parties room
PARTY_MM = 50.0  # the party column with parties as rows
CELL_PADDING_MM = 4.4  # left + right
HEADING = {"size_pt": 8.5, "bold": True, "letter_spacing_em": 0.05}
EFFORT = {"size_pt": 8.5, "bold": True, "letter_spacing_em": 0.03}
BODY = {"size_pt": 9.5}
# More than three columns of commitments read as a ribbon of three-word lines, even
# where every word fits: chosen by looking at the pages of three and four parties.
MAX_COLUMNS = 3
# Up to this many parties, the subtitle names them all; beyond, it counts them.
NAMED_IN_SUBTITLE = 4
# More parties than this, or a name with a comma of its own, and page 1 lists the parties,
# numbered, one a line: "A, B, C og D" cannot be read when B has a comma in its name.
NAMED_IN_LINE = 2
# A signature block's text, in mm: the narrower of the PDF's block and Word's cell less
# its indent; title and organisation share a line when they fit it.
SIGNATURE_MM = 70.0
SIGNATURE_TITLE = {"size_pt": 9.5}

EXAMPLE_NOTICE = "EKSEMPEL – denne aftale er et eksempel, ikke en indgået aftale."
PARTIES_HEADING = "AFTALENS PARTER"
PARTY, COMMITMENT = "PART", "FORPLIGTELSE"
DATE_LABEL = "Dato:"
TARGET_LABEL = "Mål"
# The footer's text shares its line with "Side 10 af 12" (8 pt) on the right.
FOOTER = {"size_pt": 8.0}
FOOTER_MM = TABLE_MM - 20.0  # "Side 10 af 12" is 15 mm, and a gap


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1


@dataclass(frozen=True)
class Row:
    """An effort with parties as columns: one cell per party (or one spanning cell),
    and under them its target, if it has one."""

    effort: str
    cells: tuple[Cell, ...]
    target: str = ""  # 'Mål: 2 pladser (indikator: …)'


@dataclass(frozen=True)
class Line:
    """A party's commitment, with parties as rows (or one commitment of several)."""

    party: str  # 'Horsens Kommune'; 'Alle parter'; 'A, B og C'
    text: str
    names: tuple[str, ...] = ()  # each committed party, to print one a line (default: party)

    @property
    def who(self) -> tuple[str, ...]:
        return self.names or (self.party,)


@dataclass(frozen=True)
class Commitment:
    """A commitment, whole, with the party it is of; `party` is '' where the text names
    its party in its first words ('Horsens Kommune forpligter sig …')."""

    party: str
    text: str

    @property
    def printed(self) -> str:
        return f"{self.party}: {self.text}" if self.party else self.text


@dataclass(frozen=True)
class Group:
    """An effort with parties as rows: a line per committed party (one if joint)."""

    effort: str
    lines: tuple[Line, ...]
    target: str = ""  # 'Mål: 2 pladser (indikator: …)', under the lines
    heading: str = ""  # 'INDSATS: JOBROTATION', the group's first row


@dataclass(frozen=True)
class PartyEntry:
    """A party in the numbered list on page 1: '1. Horsens Kommune', and who represents it."""

    number: int
    name: str
    representatives: str

    @property
    def numbered(self) -> str:
        return compose(f"{self.number}. ", self.name)

    @property
    def represented_by(self) -> str:
        return compose("Repræsenteret ved ", self.representatives)


@dataclass(frozen=True)
class Signature:
    field: str
    name: str
    title: str
    organisation: str

    @property
    def anchor(self) -> str:
        return "sig-" + self.field

    @property
    def title_lines(self) -> tuple[str, ...]:
        """Title and organisation under the name: on one line where they fit it and the
        organisation has no comma of its own, else one line each."""
        one = compose(self.title, ", ", self.organisation)
        if "," in self.organisation or text_width_mm(one, **SIGNATURE_TITLE) > SIGNATURE_MM:
            return (self.title, self.organisation)
        return (one,)


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
    subtitle: str
    header: str  # the programme's name, at the top of every page
    notice: str  # that it is an example, not an agreement entered into; or '' if it is not
    parties_heading: str
    parties: tuple[PartyEntry, ...]  # listed on page 1, numbered (or none: the subtitle names them)
    paragraphs: tuple[str, ...]
    content_heading: str
    content_intro: str | None
    effort_heading: str
    layout: Literal["columns", "rows"]
    widths_mm: tuple[float, ...]  # the content table's columns
    columns: tuple[str, ...]  # "columns": one heading per party
    rows: tuple[Row, ...]  # "columns"
    groups: tuple[Group, ...]  # "rows"
    group_header: tuple[str, ...]  # "rows": the content table's header, PART | FORPLIGTELSE
    evaluation: str
    term: str
    signatures: tuple[Signature, ...]
    date_label: str  # over each signature block's date line
    footer: str
    metadata: Metadata
    fingerprint: str = ""  # of the definition it was made from (sources.agreement)

    @property
    def signature_rows(self) -> tuple[tuple[Signature, ...], ...]:
        """Two signature blocks side by side; the first row stays with the term."""
        sigs = self.signatures
        return tuple(sigs[i:i + 2] for i in range(0, len(sigs), 2))

    @property
    def signature_groups(self) -> tuple[tuple[tuple[Signature, ...], ...], ...]:
        """The signature rows, grouped as they must stay together on a page: each row
        alone, except that a last row of one block stays with the row before it, so no
        page holds a single signature block by itself. (The first group also carries
        the term.)"""
        groups = [[row] for row in self.signature_rows]
        if len(groups) > 1 and len(groups[-1][0]) == 1:
            groups[-2:] = [groups[-2] + groups[-1]]
        return tuple(tuple(group) for group in groups)


def goal_targets(goal: QuantitativeGoal, end: int | None) -> str:
    """'150 borgere om året og 600 borgere ved udgangen af 2017, målt i forhold til …'"""
    parts = []
    if goal.per_year is not None:
        parts.append(f"{formatting.number(goal.per_year)} {goal.unit} om året")
    if goal.by_end is not None:
        parts.append(f"{formatting.number(goal.by_end)} {goal.unit} ved udgangen af {end}")
    text = " og ".join(parts)
    if goal.measured_against:
        text += f", målt i forhold til {goal.measured_against}"
    return text


def programme_paragraphs(programme: Programme, agreement: Agreement) -> list[str]:
    """What the agreement says of its programme's goals, period by period: the period's
    own wording where it has one (the signed text of 2014–2017), else its mission and
    goals, listed."""
    out: list[str] = []
    for period in programme.periods_overlapping(agreement.term.start.year,
                                                agreement.term.end.year):
        if period.agreement_text:
            out += period.agreement_text
            continue
        if period.mission:
            out.append(f"Missionen for perioden {period.years} er: ”{period.mission}”.")
        if period.goals:
            out.append(f"{programme.name} arbejder i perioden {period.years} for at nå "
                       f"{'dette mål' if len(period.goals) == 1 else 'disse mål'}:")
            for number, goal in enumerate(period.goals.values(), start=1):
                line = goal.title
                if isinstance(goal, QuantitativeGoal):
                    line = f"{line.rstrip('.')}: {goal_targets(goal, period.end)}"
                out.append(f"{number}. {sentence(line)}")
    return out


def term_sentence(agreement: Agreement) -> str:
    """The term, its two dates fields of the definition and the words around them not."""
    start, end = agreement.term.start, agreement.term.end
    return compose("Aftalen træder i kraft den ",
                   field(formatting.date_long(start), ("term", "start"), data=start.isoformat()),
                   " og løber frem til den ",
                   field(formatting.date_long(end), ("term", "end"), data=end.isoformat()), ".")


def term_span(agreement: Agreement) -> str:
    return (f"{formatting.date_long(agreement.term.start)} – "
            f"{formatting.date_long(agreement.term.end)}")


def title_of(agreement: Agreement, programme: Programme) -> str:
    return field(agreement.title or programme.agreement_title, ("title",))


def subtitle_of(agreement: Agreement) -> str:
    """The agreement named for all its parties (or counted, when there are many): in
    its metadata and footer, and where the report names it."""
    if agreement.subtitle:
        return field(agreement.subtitle, ("subtitle",))
    names = [party_name(agreement, pid) for pid in agreement.parties]
    if len(names) <= NAMED_IN_SUBTITLE:
        return joined(names)
    return _counted(len(names))


def _counted(parties: int) -> str:
    return f"Aftale mellem {formatting.number(parties)} parter"


def lists_parties(agreement: Agreement) -> bool:
    """Whether page 1 lists the parties, numbered: more than two, or a name with a comma."""
    names = [p.name for p in agreement.parties.values()]
    return len(names) > NAMED_IN_LINE or any("," in name for name in names)


def printed_subtitle(agreement: Agreement) -> str:
    """The subtitle under the title: where the parties are listed below it, they are
    counted in it, not named twice."""
    if agreement.subtitle or not lists_parties(agreement):
        return subtitle_of(agreement)
    return _counted(len(agreement.parties))


def target_line(effort: Effort, number: int) -> str:
    """'Mål: 2 pladser (indikator: …)': an effort's target, under its commitments, its
    value, unit and indicator each a field."""
    if effort.target is None:
        return ""
    t, path = effort.target, ("efforts", number, "target")
    value = formatting.number(t.value)
    return compose(f"{TARGET_LABEL}: ",
                   field(value, (*path, "value"), effort.name,
                         data="" if value == str(t.value) else str(t.value)),
                   " ", field(t.unit, (*path, "unit"), effort.name),
                   " (indikator: ", field(t.indicator, (*path, "indicator"), effort.name), ")")


def party_name(agreement: Agreement, pid: str) -> str:
    return field(agreement.parties[pid].name, ("parties", pid, "name"))


def joined(names: list[str]) -> str:
    """join_names, keeping each name a field: 'A, B og C' ('A, B; C og D' where a name
    holds a comma of its own)."""
    between = "; " if any("," in name for name in names) else ", "
    pieces: list[str] = []
    for number, name in enumerate(names):
        if number:
            pieces.append(" og " if number == len(names) - 1 else between)
        pieces.append(name)
    return compose(*pieces)


def footer(title: str, subtitle: str, parties: int, period: str) -> str:
    """The footer's line: title, the parties (counted if named too long) and the term,
    as much as fits beside the page number."""
    candidates = (f"{title} · {subtitle} · {period}",
                  f"{title} · {formatting.number(parties)} parter · {period}",
                  f"{title} · {period}")
    return next((c for c in candidates if text_width_mm(c, **FOOTER) <= FOOTER_MM),
                candidates[-1])


def document_date(agreement: Agreement) -> dt.datetime:
    """The date stamped into the files: fixed by the definition, so rebuilds are identical."""
    return dt.datetime.combine(agreement.term.start, dt.time(), tzinfo=dt.UTC)


def _words_fit(texts, width_mm: float, style: dict) -> bool:
    room = width_mm - CELL_PADDING_MM
    return all(text_width_mm(word, **style) <= room
               for text in texts for word in text.split())


def effort_column_mm(agreement: Agreement) -> float:
    """The effort column, with parties as columns: as wide as its longest word needs
    (ERHVERVSGRUNDUDDANNELSE), between EFFORT_MM and EFFORT_MAX_MM."""
    widest = max((text_width_mm(word, **EFFORT) for e in agreement.efforts
                  for word in e.name.split()), default=0.0)
    return round(min(max(EFFORT_MM, widest + CELL_PADDING_MM), EFFORT_MAX_MM), 1)


def fits_as_columns(agreement: Agreement) -> bool:
    """Whether the parties stand side by side, a column each.

    Two parties always do, as in the signed original: a long effort name widens its
    column, and a word too long for its column even then wraps inside it. Three (at
    most MAX_COLUMNS) do when every word of every heading, effort name and commitment
    fits its column without breaking.
    """
    parties = agreement.parties.values()
    if len(parties) > MAX_COLUMNS:
        return False
    if len(parties) == 2:
        return True
    effort = effort_column_mm(agreement)
    column = (TABLE_MM - effort) / len(parties)
    return (_words_fit((p.column_heading for p in parties), column, HEADING)
            and _words_fit((e.name for e in agreement.efforts), effort, EFFORT)
            and _words_fit((t for e in agreement.efforts for t in e.commitments.values()),
                           column, BODY))


def effort_name(effort: Effort, number: int) -> str:
    return field(effort.name, ("efforts", number, "name"))


def commitment(agreement: Agreement, effort: Effort, number: int, pid: str) -> str:
    """A party's commitment (empty where it has none: a field still, to be written in)."""
    return field(effort.commitments.get(pid, ""), ("efforts", number, "commitments", pid),
                 f"{effort.name}, {agreement.parties[pid].name}")


def joint_text(effort: Effort, number: int) -> str:
    return field(effort.joint.text, ("efforts", number, "joint", "text"), effort.name)


def _columns(agreement: Agreement) -> tuple[tuple[float, ...], tuple[Row, ...]]:
    party_ids = list(agreement.parties)
    effort = effort_column_mm(agreement)
    widths = (effort, *[round((TABLE_MM - effort) / len(party_ids), 2)] * len(party_ids))
    rows = []
    for number, effort in enumerate(agreement.efforts):
        if effort.joint:
            cells: tuple[Cell, ...] = (Cell(joint_text(effort, number), len(party_ids)),)
        else:
            cells = tuple(Cell(commitment(agreement, effort, number, pid))
                          for pid in party_ids)
        rows.append(Row(effort_name(effort, number), cells, target_line(effort, number)))
    return widths, tuple(rows)


def commitment_lines(agreement: Agreement, effort: Effort) -> tuple[Line, ...]:
    """Who commits to what in an effort: a line per committed party, or one line for a
    joint commitment ('Alle parter', or the parties named)."""
    number = agreement.efforts.index(effort)  # names are unique: it is this one
    if effort.joint:
        ids = effort.joint.parties or list(agreement.parties)  # none named: every party
        if len(ids) == len(agreement.parties):
            return (Line("Alle parter", joint_text(effort, number)),)
        names = tuple(party_name(agreement, pid) for pid in ids)
        return (Line(joined(list(names)), joint_text(effort, number), names),)
    return tuple(Line(party_name(agreement, pid), commitment(agreement, effort, number, pid))
                 for pid in effort.commitments)


def commitments(agreement: Agreement, effort: Effort) -> tuple[Commitment, ...]:
    """Each commitment of an effort, whole, with its party where the text does not name
    it: a joint one with 'Alle parter' or the parties named."""
    names = {pid: p.name for pid, p in agreement.parties.items()}
    if effort.joint:
        ids = effort.joint.parties or list(agreement.parties)
        who = [names[pid] for pid in ids]
        party = "Alle parter" if len(ids) == len(names) else join_names(who)
        if any(names_its_party(effort.joint.text, name, [n for n in names.values() if n != name])
               for name in who):
            party = ""
        return (Commitment(party, effort.joint.text),)
    out = []
    for pid, text in effort.commitments.items():
        others = [name for other, name in names.items() if other != pid]
        out.append(Commitment("" if names_its_party(text, names[pid], others) else names[pid],
                              text))
    return tuple(out)


def _groups(agreement: Agreement) -> tuple[Group, ...]:
    return tuple(Group(effort_name(effort, number), commitment_lines(agreement, effort),
                       target_line(effort, number),
                       compose(agreement.effort_heading, ": ", effort_name(effort, number)))
                 for number, effort in enumerate(agreement.efforts))


def _representatives(agreement: Agreement, pid: str) -> str:
    """'Name, title; Name, title': who signs for the party, each a field."""
    pieces: list[str] = []
    for k, s in enumerate(agreement.parties[pid].signatories):
        path = ("parties", pid, "signatories", k)
        pieces += ["; " if k else "", field(s.name, (*path, "name")), ", ",
                   field(s.title, (*path, "title"), s.name)]
    return compose(*pieces)


def build(name: str, agreement: Agreement, programme: Programme) -> AgreementDocument:
    paragraphs = [field(agreement.opening, ("opening",))]
    if agreement.include_alliance_goal:
        paragraphs += programme_paragraphs(programme, agreement)
    paragraphs += [field(text, ("preamble", i)) for i, text in enumerate(agreement.preamble)]
    paragraphs += [field(text, ("cooperation", i))
                   for i, text in enumerate(agreement.cooperation)]

    parties = list(agreement.parties.values())
    signatures = tuple(
        Signature(signature_field_name(s.name),
                  field(s.name, ("parties", pid, "signatories", k, "name")),
                  field(s.title, ("parties", pid, "signatories", k, "title"), s.name),
                  party_name(agreement, pid))
        for pid, party in agreement.parties.items() for k, s in enumerate(party.signatories))
    title, named = title_of(agreement, programme), subtitle_of(agreement)
    period = term_span(agreement)
    party_names = [p.name for p in parties]
    metadata = Metadata(
        title=f"{title} – {named}",
        author=programme.name,
        subject=f"Forpligtende samarbejde mellem {join_names(party_names)}, {period}",
        keywords=(programme.name, title, *party_names, *(e.name for e in agreement.efforts)),
        created=document_date(agreement),
    )
    listed = tuple(PartyEntry(number, party_name(agreement, pid),
                              _representatives(agreement, pid))
                   for number, pid in enumerate(agreement.parties, start=1)) \
        if lists_parties(agreement) else ()
    if fits_as_columns(agreement):
        layout, (widths, rows) = "columns", _columns(agreement)
        columns = tuple(field(p.column_heading, ("parties", pid, "heading"))
                        for pid, p in agreement.parties.items())
        groups: tuple[Group, ...] = ()
    else:
        layout, widths, rows, columns = "rows", (PARTY_MM, TABLE_MM - PARTY_MM), (), ()
        groups = _groups(agreement)
    intro = agreement.content_intro
    return AgreementDocument(
        name=name, title=title, subtitle=printed_subtitle(agreement), header=programme.name,
        notice=EXAMPLE_NOTICE if agreement.example else "",
        parties_heading=PARTIES_HEADING, parties=listed, paragraphs=tuple(paragraphs),
        content_heading=field(agreement.content_heading, ("content_heading",)),
        content_intro=field(intro, ("content_intro",)) if intro else None,
        effort_heading=field(agreement.effort_heading, ("effort_heading",)),
        layout=layout, widths_mm=widths, columns=columns, rows=rows, groups=groups,
        group_header=(PARTY, COMMITMENT),
        evaluation=field(agreement.evaluation, ("evaluation",)), term=term_sentence(agreement),
        signatures=signatures, date_label=DATE_LABEL,
        footer=footer(title, named, len(parties), period), metadata=metadata,
        fingerprint=fingerprint(agreement),
    )
