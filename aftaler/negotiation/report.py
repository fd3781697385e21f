"""What `changes` prints: a returned draft's changes, field by field, as lines."""

from __future__ import annotations

from .align import BY_TEXT
from .apply import Applied
from .compare import CHANGED, REMOVED, UNCHANGED, FieldChange, Negotiated
from .worddiff import shown


def _statuses(change: FieldChange) -> list[str]:
    found = []
    status = change.status()
    if status != UNCHANGED:
        found.append(status)
    if change.pending:
        found.append("tracked change" if len(change.pending) == 1
                     else f"{len(change.pending)} tracked changes")
    if change.comments:
        found.append("comment" if len(change.comments) == 1
                     else f"{len(change.comments)} comments")
    if change.problem:
        found.append("its places disagree")
    if found and change.changed_in_definition:
        found.append("already in the definition" if change.current == change.new()
                     else "changed in the definition too since it was sent")
    return found


def _details(change: FieldChange) -> list[str]:
    out = []
    status = change.status()
    if status == CHANGED:
        out.append("  " + shown(change.sent, change.kept or ""))
    elif status == REMOVED:
        out.append("  its text is no longer in the draft")
    if change.problem:
        out.append(f"  {change.problem}")
    for pending in change.pending:
        out.append(f"  {pending.described}")
    if change.pending and change.accepted is not None and change.accepted != change.kept:
        out.append(f"  accepted: {shown(change.kept or '', change.accepted)}")
    for remark in change.comments:
        out.append(f"  comment by {remark.described}")
    if _statuses(change) and change.changed_in_definition and change.current != change.new():
        now = f'"{change.current}"' if change.current is not None else "no longer there"
        out.append(f"  in the definition now: {now}")
    return out


def lines(negotiated: Negotiated) -> list[str]:
    returned = negotiated.returned
    sent = returned.sent
    version = ("its definition as it is now" if negotiated.same_version else
               "an earlier version of its definition (now "
               f"{negotiated.current_fingerprint})")
    out = [f"{returned.shown}: a draft of {sent.agreement}, version {sent.fingerprint}: "
           f"{version}; what was sent is read from {returned.source}"]
    fields = negotiated.fields
    by_text = [c.field.id for c in fields if c.how == BY_TEXT]
    if by_text:
        found = [c for c in fields if c.how]
        which = "every field" if len(by_text) == len(found) else ", ".join(by_text)
        out.append(f"matched by text, their content controls lost or renamed: {which}")
    for change in fields:
        found = _statuses(change)
        if found:
            out.append(f"{change.field.described}: {', '.join(found)}")
            out += _details(change)
    for item in negotiated.outside:
        out.append(f"not in any field: {item.kind} {item.where}: {item.text}")
    unchanged = sum(1 for c in fields if not _statuses(c))
    if unchanged == len(fields) and not negotiated.outside:
        out.append(f"no changes: all {len(fields)} fields as sent, nothing outside them")
    else:
        out.append(f"unchanged: {unchanged} of {len(fields)} fields")
    return out


def applied_lines(applied: Applied, display: str) -> list[str]:
    out = []
    if applied.written:
        out.append(display)
        out += [f"  {field_id}: {change}" for field_id, change in applied.written]
    else:
        out.append(f"{display}: nothing to write")
    if applied.already:
        out.append(f"already in the definition: {', '.join(applied.already)}")
    if applied.left_out:
        ids = ", ".join(c.field.id for c in applied.left_out)
        out.append(f"left out: the pending tracked changes in {ids} (--accept-tracked "
                   "applies them)")
    if applied.reformatted:
        out.append(f"note: {applied.reformatted} line(s) of {display} outside the changed "
                   "fields are written in the YAML writer's layout")
    return out
