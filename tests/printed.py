"""Every text a document model says its documents print, in reading order.

This is the specification both formats are held to: the Word file's paragraphs (table
cells included) are exactly these, in this order (tests/test_same_content.py), and so will
the PDF's be once it is set by Typst from the same model. Header and footer are apart:
they repeat on every page.
"""

from __future__ import annotations

from aftaler.documents.agreement import AgreementDocument
from aftaler.documents.report import ReportDocument


def furniture(doc: AgreementDocument | ReportDocument) -> tuple[str, str]:
    """The running header and the footer's text (beside 'Side X af Y')."""
    return doc.header, doc.footer


def agreement(doc: AgreementDocument) -> list[str]:
    out = [doc.title, doc.subtitle]
    out += [doc.notice] if doc.notice else []
    if doc.parties:
        out.append(doc.parties_heading)
        for party in doc.parties:
            out += [party.numbered, party.represented_by]
    out += [*doc.paragraphs, doc.content_heading]
    out += [doc.content_intro] if doc.content_intro else []
    if doc.layout == "columns":
        out += [doc.effort_heading, *doc.columns]
        for row in doc.rows:
            out += [row.effort, *(cell.text for cell in row.cells)]
            out += [row.target] if row.target else []
    else:
        out += list(doc.group_header)
        for group in doc.groups:
            out.append(group.heading)
            for line in group.lines:
                out += [*line.who, line.text]
            out += [group.target] if group.target else []
    out += [doc.evaluation, doc.term]
    for row in doc.signature_rows:
        for sig in row:
            out += [doc.date_label, sig.name, *sig.title_lines]
    return [text for text in out if text]


def report(doc: ReportDocument) -> list[str]:
    out = [doc.title, doc.subtitle]
    out += [doc.notice] if doc.notice else []
    out.append(doc.status_heading)
    if doc.dashboard:
        out += doc.dashboard.columns
        for line in doc.dashboard.lines:
            out += [*line.cells, line.status.label]
        out.append(doc.dashboard.key)
    if doc.bar:
        out += [doc.bar.heading, *(s.inline for s in doc.bar.segments),
                " ".join(doc.bar.legend)]
    out += doc.notes
    if doc.period:
        out += _period(doc)
    if doc.overview_heading:
        out += [doc.overview_heading, *doc.overview_columns]
        for row in doc.overview:
            out += [row.agreement, *map(str, row.counts)]
    for s in doc.sections:
        out += [s.title] if doc.whole else []
        out.append(s.meta)
        if s.missing:
            out.append(" ".join(s.missing_text))
            continue
        out += s.scorecard_columns
        for e in s.efforts:
            out += [e.name, e.target, e.measured, e.status.label, e.next_step]
        out += [s.comment_heading, s.comment, s.efforts_heading]
        for e in s.efforts:
            out += [e.name, *(c.printed for c in e.commitments), e.relevance_text]
    if doc.marks_heading:
        out += [doc.marks_heading, doc.marks_none]
        for m in doc.marks:
            out += [m.heading, m.criteria_lead, *m.criteria]
    if doc.period and doc.period.members:
        out += [doc.period.members_heading, *doc.period.members_columns]
        for m in doc.period.members:
            out += [m.name, m.title, m.organisation]
    return [text for text in out if text]


def _period(doc: ReportDocument) -> list[str]:
    period = doc.period
    out = [period.heading, period.mission_text, period.source_text, period.fora_text,
           period.unserved]
    for goal in period.goals:
        out += [goal.heading, goal.description_text, goal.target_text, goal.baseline]
        out += [goal.chart.printed] if goal.chart else []
        out += ["".join(goal.narrative_text), goal.comment_text, goal.served_lead,
                *goal.served]
    return out
