"""The agreement format (`agreements/NAME.yaml`): one agreement of a programme, between two
or more parties, effort by effort."""

from __future__ import annotations

import re
import unicodedata

from pydantic import Field

from .programme import DEFAULT_PROGRAMME, Number
from .validation import Check, Date, Id, Strict, Text


class Signatory(Strict):
    """A person who signs for a party."""

    name: Text = Field(description="Full name, exactly as it is to be printed.")
    title: Text = Field(description="Title as printed under the name, e.g. 'borgmester'.")


class Party(Strict):
    """One party to the agreement; its key in `parties` is its id."""

    name: Text = Field(description="The organisation's name, e.g. 'Horsens Kommune'.")
    heading: Text | None = Field(
        None, description="Column heading in the content table (default: the name in capitals).")
    signatories: list[Signatory] = Field(
        default_factory=list, description="Who signs for this party (at least one).")

    @property
    def column_heading(self) -> str:
        return self.heading or self.name.upper()


class Target(Strict):
    """A measurable target of an effort, used by the yearly evaluation."""

    indicator: Text = Field(description="What is measured, in words.")
    value: Number = Field(gt=0, description="The target value, e.g. 2.")
    unit: Text = Field(description="Unit of the value, e.g. 'pladser'.")


class Joint(Strict):
    """One commitment shared by several parties (one text for all of them)."""

    parties: list[Id] | None = Field(
        None, min_length=2, description="Ids of the committed parties (default: every party).")
    text: Text


class Effort(Strict):
    """One effort (INDSATS) and what each party commits to."""

    name: Text = Field(description="The effort's name, e.g. 'JOBROTATION'.")
    commitments: dict[str, Text] = Field(
        default_factory=dict,
        description="Each party's commitment, keyed by party id; a party may have none.")
    joint: Joint | None = Field(None, description="A commitment shared by several parties.")
    target: Target | None = None
    serves: list[Id] = Field(default_factory=list, description=(
        "Ids of the programme's goals this effort serves (goals of a period that the "
        "agreement's term overlaps)."))


class Term(Strict):
    start: Date = Field(description="First day the agreement is in force: 2014-11-01, "
                                    "1.11.2014 or 1. november 2014.")
    end: Date = Field(description="Last day the agreement is in force: 2017-12-31, "
                                  "31.12.2017 or 31. december 2017.")

    def covers_year(self, year: int) -> bool:
        return self.start.year <= year <= self.end.year


class Agreement(Strict):
    """An agreement of a programme (by default HORSENS ALLIANCEN) between its parties."""

    programme: Id = Field(
        DEFAULT_PROGRAMME, description="Id of the programme (programmes/ID.yaml) it belongs to.")
    example: bool = Field(
        False, description="true: an example, not an agreement entered into; documents say so.")
    title: Text | None = Field(
        None, description="Default: the programme's agreement_title (HORSENS ALLIANCE AFTALE).")
    subtitle: Text | None = Field(
        None, description="Default: the parties' names (with many parties: their number).")
    parties: dict[Id, Party] = Field(
        min_length=2, description="The parties in column order, keyed by a short id.")
    opening: Text = Field(description="First paragraph: who agrees with whom, about what.")
    include_alliance_goal: bool = Field(True, description=(
        "Print the programme's goals (of the periods the term overlaps) after the opening."))
    preamble: list[Text] = Field(
        default_factory=list, description="Paragraphs after the programme's goals.")
    cooperation: list[Text] = Field(
        default_factory=list, description="Extra paragraphs specific to this partner.")
    content_heading: Text = "AFTALENS INDHOLD"
    content_intro: Text | None = None
    effort_heading: Text = "INDSATS"
    efforts: list[Effort] = Field(min_length=1)
    evaluation: Text = Field(description="The evaluation clause.")
    term: Term


def agreement_checks(a: Agreement) -> Check:
    """The checks one agreement file allows on its own (see definitions for the rest)."""
    if a.term.end <= a.term.start:
        yield ("term", "end"), f"must be after term.start ({a.term.start.isoformat()})"
    declared = ", ".join(a.parties)
    for pid, party in a.parties.items():
        if not party.signatories:
            yield ("parties", pid, "signatories"), "every party needs at least one signatory"
    seen_fields: dict[str, tuple] = {}
    for pid, party in a.parties.items():
        for i, s in enumerate(party.signatories):
            path = ("parties", pid, "signatories", i, "name")
            field = signature_field_name(s.name)
            if field in seen_fields:
                yield path, "two signatories with the same name cannot both have a signature field"
            seen_fields[field] = path
    names: dict[str, int] = {}
    for i, effort in enumerate(a.efforts):
        key = effort.name.casefold()
        if key in names:
            yield ("efforts", i, "name"), f"duplicate effort name (also efforts[{names[key]}])"
        names.setdefault(key, i)
        for pid in effort.commitments:
            if pid not in a.parties:
                yield ("efforts", i, "commitments", pid), f"unknown party (declared: {declared})"
        if effort.joint:
            for j, pid in enumerate(effort.joint.parties or ()):
                if pid not in a.parties:
                    yield ("efforts", i, "joint", "parties", j), \
                        f"unknown party {pid!r} (declared: {declared})"
            joint = effort.joint.parties or []
            if len(set(joint)) != len(joint):
                yield ("efforts", i, "joint", "parties"), "a party is listed twice"
            if effort.commitments:
                yield ("efforts", i, "joint"), \
                    "give either commitments or joint, not both (a joint text spans every column)"
        elif not effort.commitments:
            yield ("efforts", i), "no commitment: give commitments (per party) or joint"
        if len(set(effort.serves)) != len(effort.serves):
            yield ("efforts", i, "serves"), "a goal is listed twice"


def signature_field_name(person: str) -> str:
    """The PDF signature field name for a signatory: ASCII, so every signing service takes it."""
    folded = person.translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa",
                                             "Æ": "Ae", "Ø": "Oe", "Å": "Aa"}))
    ascii_ = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return "Underskrift_" + "_".join(re.findall(r"[A-Za-z0-9]+", ascii_))
