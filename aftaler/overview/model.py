"""The status of a project, as `status --json` prints it (`schema/status.schema.json`).

Computed from the files by state.py, never typed in; the terminal table, the overview
page and the calendar are all made from it. Paths are relative to the project folder
(POSIX), or absolute where a file lies outside it (an archive elsewhere).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT = 1

TermState = Literal["not_begun", "in_force", "ending", "ended"]
# A year's evaluation (or a programme's results): recorded; its form exported and not
# returned; missing (the year is over, nothing sent); overdue (its due date has passed);
# pending (the year is not over); invalid (recorded, with problems: run `check`).
EvaluationState = Literal["recorded", "exported", "missing", "overdue", "pending", "invalid"]
ResultsState = Literal["recorded", "exported", "missing", "overdue", "pending", "invalid",
                       "not_expected"]
# A year's report: built (up to date), stale, archived (not in output/, kept in the
# archive), missing (the year is over), overdue, pending (the year is not over).
ReportState = Literal["built", "stale", "archived", "missing", "overdue", "pending"]
Severity = Literal["error", "overdue", "soon", "todo"]
SEVERITIES: tuple[Severity, ...] = ("error", "overdue", "soon", "todo")


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Term(Shape):
    start: dt.date
    end: dt.date
    state: TermState
    days_left: int | None = Field(
        description="Days from today to the term's last day (0: ends today); null once ended.")
    days_to_start: int | None = Field(description="Days until the term begins, if not begun.")
    notice: str | None = Field(description="The agreement's notice period, e.g. '3 måneder'.")
    notice_date: dt.date | None = Field(
        description="The last day to decide on renewal or notice (from `notice`).")


class Documents(Shape):
    built: bool = Field(description="Both the Word file and the PDF exist in output/aftaler/.")
    up_to_date: bool = Field(description="They are as the definition and templates are now.")
    word: str | None
    pdf: str | None


class SignatureField(Shape):
    field: str = Field(description="The signature field, e.g. 'Underskrift_Peter_Soerensen'.")
    signatory: str | None = Field(description="Whom the definition names for it.")
    signed: bool
    signer: str | None = Field(description="Who signed, from the certificate.")
    time: str | None = Field(description="When, ISO 8601.")
    intact: bool | None = Field(description="The signed bytes are unchanged (null: unsigned).")


class Pdf(Shape):
    path: str
    sha256: str | None
    fields: list[SignatureField]
    error: str | None = Field(description="Why its signatures could not be read, if so.")


class Signatures(Shape):
    """Of the most signed copy known: in output/aftaler/ or in the archive."""

    fields: int
    signed: int
    by: list[str] = Field(description="The signers, as their certificates name them, in the "
                                      "order of their fields.")
    missing: list[str] = Field(description="Whom the unsigned fields are for.")
    intact: bool = Field(description="Every signature of that copy is intact.")
    document: str | None = Field(description="The copy counted (none built or archived: null).")


def profile_label(name: str) -> str:
    """A validation profile as people know it: '3a' -> 'PDF/A-3a', 'ua1' -> 'PDF/UA-1'."""
    if name.lower().startswith("ua"):
        return f"PDF/UA-{name[2:]}"
    return f"PDF/A-{name}"


class Validation(Shape):
    validator: str
    profiles: dict[str, list[str]] = Field(description="Profile -> the rules it fails.")
    passed: bool = Field(description="Every profile passed (no failed rule).")


class Archived(Shape):
    """The agreement's copy in the archive that is most signed (then the latest)."""

    path: str = Field(description="Inside the archive, e.g. '2014/hospital/aftale-hospital.pdf'.")
    file: str = Field(description="The same file, as the status gives paths.")
    version: int = Field(description="1, or N for a later version archived as NAME.vN.pdf.")
    at: str = Field(description="When it was archived, ISO 8601.")
    fields: int
    signed: int
    pdfa: str | None = Field(description="Its PDF/A identification, e.g. '3A'.")
    validation: Validation | None = Field(
        description="The archive's validation of it (null: archived before validation).")
    current: bool | None = Field(
        description="Made from the definition as it is now (null: no source embedded).")
    documents: int = Field(description="How many documents of the agreement are archived.")


class EvaluationYear(Shape):
    year: int
    state: EvaluationState
    due: dt.date
    record: str | None = Field(description="The yearly record, if there is one.")
    form: str | None = Field(description="The exported form, if there is one.")


class Attention(Shape):
    """Something to do, most urgent first: errors, overdue, soon, to do."""

    severity: Severity
    kind: Literal[
        "invalid_definition", "invalid_record", "signature_broken", "archive_unreadable",
        "evaluation_overdue", "results_overdue", "report_overdue", "unsigned_in_force",
        "ending", "notice_soon", "evaluation_due", "results_due", "report_due",
        "unsigned", "not_built", "not_up_to_date", "report_stale", "not_archived"]
    date: dt.date | None = Field(description="The date it is about (a due date, an end).")
    agreement: str | None
    programme: str | None
    year: int | None
    path: str | None = Field(description="The file it is about, if one (an exported form, "
                                         "a record, a PDF).")
    names: list[str] = Field(default_factory=list, description=(
        "People it is about: whom unsigned fields are for, or a broken signature's field."))
    days: int | None = Field(None, description="Days until `date` (negative: since).")
    message: str = Field(description="What to do, in a line (English).")
    command: str | None = Field(description="The command that does it, where there is one.")


class Agreement(Shape):
    name: str
    programme: str
    title: str = Field(description="E.g. 'HORSENS ALLIANCE AFTALE'.")
    subtitle: str = Field(description="The parties' names, or the definition's subtitle.")
    parties: list[str]
    example: bool
    term: Term
    documents: Documents
    pdfs: list[Pdf] = Field(description="Each PDF of it in output/aftaler/, signed or not.")
    signatures: Signatures
    archived: Archived | None
    evaluations: dict[str, EvaluationState] = Field(
        description="Year of the term -> the state of its evaluation.")
    evaluation_years: list[EvaluationYear]
    attention: list[Attention]


class Report(Shape):
    state: ReportState
    due: dt.date
    path: str | None
    up_to_date: bool
    archived: bool


class ProgrammeYear(Shape):
    year: int
    period: str | None = Field(description="The strategy period covering it, e.g. '2018–2021'.")
    agreements: list[str] = Field(description="The programme's agreements in force that year.")
    evaluations_recorded: int
    results: ResultsState
    results_due: dt.date
    results_record: str | None
    results_form: str | None
    report: Report


class Programme(Shape):
    id: str
    name: str
    evaluations_due: str = Field(description="Day and month of the following year.")
    years: list[ProgrammeYear]


class Invalid(Shape):
    """A definition that could not be read: `check` lists its problems."""

    name: str
    kind: Literal["agreement", "programme"]
    path: str
    problems: list[str]


class Status(Shape):
    """Where every agreement stands, computed from the files on `today`."""

    format: Literal[1] = FORMAT
    today: dt.date
    attention: list[Attention] = Field(description="Everything to do, most urgent first.")
    agreements: list[Agreement]
    programmes: list[Programme]
    invalid: list[Invalid]


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of `status --json`."""
    schema = Status.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "status.schema.json"
    return schema
