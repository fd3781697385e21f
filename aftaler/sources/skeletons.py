"""New definitions to fill in: an agreement (`new agreement NAME`) and a programme's next
strategy period (`new period ID`), as YAML text in the current format.

Every value to fill in is left empty, with a comment beside it saying what goes there;
`check` then names each one still empty, with its field's description, until all are
filled in. Pure functions from definitions to text: the command writes the files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .programme import Period, Programme
from .yamlsource import parse

# The partner's party id, when the agreement's name cannot be one.
PARTNER = "partner"
_ID = re.compile(r"^[a-z][a-z0-9_-]{0,19}$")
_COMMENT_AT = 26  # the column of the comments beside the values
_WIDTH = 90


def _beside(code: str, comment: str) -> str:
    """`code` with `comment` beside it, lined up with the others."""
    return f"{code.ljust(_COMMENT_AT - 1)} # {comment}"


def _goal_lines(programme_id: str, programme: Programme, year: int) -> list[str]:
    """Comment lines listing the goals an effort may serve: those of the period covering
    `year` and of the periods after it; if there are none, the last period's, and how to
    add one."""
    periods = [p for p in programme.periods if p.end is None or p.end >= year]
    lines = []
    if not periods and programme.periods:
        periods = programme.periods[-1:]
        lines += [f"# No period of {programme.name} covers {year} yet (`new period "
                  f"{programme_id}` adds one);", "# the last one's goals:"]
    for period in periods:
        if not period.goals:
            continue
        lines.append(f"#   {period.years}:")
        for goal_id, goal in period.goals.items():
            line = f"#     {goal_id}: {' '.join(goal.title.split())}"
            lines.append(line if len(line) <= _WIDTH else line[:_WIDTH - 1] + "…")
    return lines


def agreement(name: str, programme_id: str, programme: Programme, year: int,
              command: str) -> str:
    """A new agreement `name` of `programme`, begun in `year`, to fill in. `command` is
    how the user runs this program (`python build.py`), for the comments."""
    partner = name if _ID.match(name) and name != "municipality" else PARTNER
    goals = _goal_lines(programme_id, programme, year)
    serves = (["# The goals an effort may serve (its `serves`), by id: those of the periods "
               "its term", "# overlaps."] + goals if goals else
              [f"# {programme.name} has no goals for an effort to serve (`serves`) yet."])
    lines = [
        "# yaml-language-server: $schema=../schema/agreement.schema.json",
        "#",
        f"# An agreement of {programme.name}, begun with `{command} new agreement {name}`.",
        "# Fill in every empty value: the comment beside it says what goes there, and",
        f"# `{command} check` names each one still empty. Text with ': ' or ' #' in it goes",
        '# in quotes ("…"); a long text may follow `>-` on the lines below its key, indented',
        "# (as in agreements/hospital.yaml). Dates as 1.11.2026 or 2026-11-01.",
        f"programme: {programme_id}",
        "",
        "parties:",
        _beside(f"  {partner}:", "the partner, by a short id used below"),
        _beside("    name:", "its name, exactly as it is to be printed"),
        "    signatories:",
        _beside("      - name:", "who signs for it: full name"),
        _beside("        title:", "and title, e.g. direktør"),
        "  municipality:",
        "    name: Horsens Kommune",
        "    signatories:",
        _beside("      - name:", "the mayor's full name (or whoever signs)"),
        "        title: borgmester",
        "",
        _beside("opening:", "first paragraph: who agrees with whom, about what"),
        "",
        _beside("cooperation: []", "paragraphs on what is particular to this partner:"),
        _beside("", "[Tekst om samarbejdet., Et afsnit mere.]"),
        "",
        *serves,
        _beside("efforts:", "one entry per effort (INDSATS), in order"),
        _beside("  - name:", "e.g. JOBROTATION"),
        _beside("    serves: []", "the goals it serves, by id, e.g. [goal-id]"),
        _beside("    commitments:", "what each party commits to (a party may have none:"),
        _beside(f"      {partner}:", "remove its line), or instead of commitments one"),
        _beside("      municipality:", "text for both: joint: {text: …}"),
        "",
        "evaluation: >-",
        "  Aftalens indhold evalueres årligt med henblik på at sikre, at der er tilstrækkelig",
        "  progression og relevans i målopnåelsen.",
        "",
        "term:",
        _beside("  start:", f"the first day in force, e.g. 1.1.{year}"),
        _beside("  end:", f"the last day in force, e.g. 31.12.{year + 3}"),
        "",
        "# Optional (remove the # to use):",
        _beside("# notice: 3 måneder", "decide on renewal or notice this long before the end"),
        _beside("", "(status, the overview and the calendar remind you)"),
        _beside("# signing: nemlogin", "signed through NemLog-in: every build also makes"),
        _beside("", "its signing edition (default: its programme's, or pdf)"),
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


@dataclass(frozen=True)
class NewPeriod:
    """The programme's text with a period added, and what was done to it."""

    text: str
    start: int
    end: int
    closed: Period | None  # the open-ended period before it, now given an end


class NoRoom(ValueError):
    """The new period cannot follow the programme's periods as asked: the message says why."""


def next_period(programme: Programme, text: str, *, start: int | None = None,
                end: int | None = None, year: int) -> NewPeriod:
    """`text` (the programme's definition) with a period to fill in after its last one:
    from the year after the last one ends (or `start`), as long as the last one (or until
    `end`). An open-ended last period is given an end, the year before `start`."""
    last = programme.periods[-1] if programme.periods else None
    if start is None:
        if last is None:
            start = programme.founded or year
        elif last.end is None:
            raise NoRoom(f"the last period of {programme.name} ({last.years}) has no end: give "
                         "--start YEAR for the new one (the last one then ends the year before)")
        else:
            start = last.end + 1
    if last is not None and start <= (last.end or last.start):
        raise NoRoom(f"a period from {start} would overlap the last period of "
                     f"{programme.name} ({last.years}): start after "
                     f"{last.end or last.start}")
    length = (last.end - last.start + 1) if last is not None and last.end else 4
    end = end if end is not None else start + length - 1
    if end < start:
        raise NoRoom(f"the period would end ({end}) before it starts ({start})")
    _, lines = parse(text, "programme")
    text_lines = text.splitlines()
    closed = None
    if last is not None and last.end is None:
        at = lines[("periods", len(programme.periods) - 1, "start")] - 1
        column = text_lines[at].index("start")
        text_lines.insert(at + 1, " " * column + f"end: {start - 1}")
        closed = last
    text_lines = _with_period(text_lines, _period_lines(start, end, text_lines))
    return NewPeriod("\n".join(text_lines) + "\n", start, end, closed)


def _period_lines(start: int, end: int, text_lines: list[str]) -> list[str]:
    """The new period as an item of the `periods` list, indented as the others are."""
    item = next((line[:len(line) - len(line.lstrip())] for line in text_lines
                 if re.match(r"^\s*- start:", line)), "  ")
    key = item + "  "
    goal = key + "  "
    return [
        f"{item}- start: {start}",
        f"{key}end: {end}",
        _beside(f"{key}source:", "where the period's goals are from"),
        _beside(f"{key}mission:", "optional: the period's mission, in one sentence"),
        f"{key}goals:",
        f"{goal}# Each goal by a short id of its own. kind: qualitative (assessed each year),",
        f"{goal}# or quantitative (a figure each year: then measure, unit, and per_year or",
        f"{goal}# by_end too, as in the periods above).",
        f"{goal}goal-1:",
        f"{goal}  kind: qualitative",
        _beside(f"{goal}  title:", "the goal in words, as its source states it"),
        _beside(f"{key}fora: []", "e.g. [Jobtaskforce]"),
        _beside(f"{key}members: []", "each: name, title, organisation"),
    ]


def _with_period(text_lines: list[str], period: list[str]) -> list[str]:
    """`period` added at the end of the top-level `periods` list (made if there is none),
    before the comments and blank lines that lead to the next top-level key."""
    heading = next((i for i, line in enumerate(text_lines)
                    if re.match(r"^periods:\s*(\[\s*\])?\s*(#.*)?$", line)), None)
    if heading is None:
        return [*text_lines, "", "periods:", *period]
    text_lines = list(text_lines)
    text_lines[heading] = "periods:"
    after = next((i for i in range(heading + 1, len(text_lines))
                  if re.match(r"^[^\s#]", text_lines[i])), len(text_lines))
    while after > heading + 1 and (not text_lines[after - 1].strip()
                                   or text_lines[after - 1].startswith("#")):
        after -= 1
    gap = [""] if after > heading + 1 else []
    return [*text_lines[:after], *gap, *period, *text_lines[after:]]


def described(new: NewPeriod, programme: Programme) -> str:
    """What was added, in a line."""
    closed = (f"; the period {new.closed.years} now ends in {new.start - 1}"
              if new.closed else "")
    return (f"added the period {new.start}–{new.end} of {programme.name}{closed}: fill in "
            "its goals")

