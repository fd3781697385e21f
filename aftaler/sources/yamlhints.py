"""YAML mistakes said in words a secretary understands, at the line to correct.

PyYAML (and libyaml) report where parsing failed, which is often lines after the mistake:
an unclosed quote at the end of the file, a missing colon at the next key. Each mistake
people make when typing a definition by hand is recognised from the parser's two marks
(where it was, `context_mark`, and where it failed, `problem_mark`) and the text there, and
is told at the line where it is, with what to write instead. Anything else keeps the
parser's own words.
"""

from __future__ import annotations

import re

import yaml

_KEY_LINE = re.compile(
    r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s:#'\"][^:#]*?):(?:\s+(?P<value>.*))?$")
_WORD_THEN_TEXT = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<word>[^\s:#'\"-]\S*)\s+(?P<rest>\S.*)$")
_INDENTATION = ("did not find expected key", "expected <block end>",
                "did not find expected '-' indicator")


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """The line (from 1) to correct and what is wrong there, in words."""
    lines = text.splitlines()
    problem, context = exc.problem or "", exc.context or ""
    at = exc.problem_mark.line if exc.problem_mark else None
    begun = exc.context_mark.line if exc.context_mark else None

    def line(number: int | None) -> str:
        return lines[number] if number is not None and number < len(lines) else ""

    if context.startswith("while scanning a quoted scalar") and begun is not None:
        quote = line(begun)[exc.context_mark.column:][:1] or '"'
        twice = " (a ' inside a text in '…' is written twice: '')" if quote == "'" else ""
        return begun + 1, (f"the quote {quote} that begins the text here is never closed: "
                           f"end the text with {quote}{twice}")
    if "could not find expected ':'" in problem and begun is not None:
        return begun + 1, _missing_colon(line(begun))
    if problem.startswith("mapping values are not allowed") and at is not None:
        return _colon(lines, at, exc.problem_mark.column)
    if context.startswith(("while parsing a flow sequence", "while parsing a flow mapping")) \
            and begun is not None:
        opened, closed = ("[", "]") if "sequence" in context else ("{", "}")
        return begun + 1, (f"the {opened} begun here is not closed: end it with {closed} "
                           "(and separate its items with commas)")
    if at is not None and ("tab character" in problem or (
            "cannot start any token" in problem
            and line(at)[exc.problem_mark.column:][:1] == "\t")):
        return at + 1, "a tab: indent with spaces, not tabs"
    if problem.startswith(_INDENTATION) and at is not None:
        before = line(at)[:exc.problem_mark.column]
        if before.strip() and before.rstrip()[-1:] in ("'", '"'):
            return at + 1, ("text after the closing quote: put the whole text in quotes "
                            "(a ' inside a text in '…' is written twice: '')")
        return at + 1, ("this line is not indented like the lines above it: keys of one "
                        "level start in the same column, a level deeper two spaces further in")
    mark = exc.problem_mark or exc.context_mark
    return (mark.line + 1 if mark else None), problem


def _missing_colon(text: str) -> str:
    example = _WORD_THEN_TEXT.match(text)
    shown = f" (`{example['word']}: {example['rest']}`?)" if example else ""
    return f"a colon is missing after the key: write the key, a colon and a space{shown}"


def _colon(lines: list[str], at: int, column: int) -> tuple[int, str]:
    """A ': ' where YAML cannot take one: inside a text on a key's line, in a text
    continued on the next line, or after a key whose line above lacks its colon."""
    here = lines[at] if at < len(lines) else ""
    key = _KEY_LINE.match(here[:column] + ":")
    if key is None or ": " in here[:column]:  # `name: JOBROTATION: ny`
        return at + 1, _quote_it(here)
    above = next((i for i in range(at - 1, -1, -1)
                  if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
    if above is not None and ":" not in lines[above]:
        return above + 1, _missing_colon(lines[above])
    return at + 1, ("this line continues the text above it (it is indented further than "
                    "the key of that text), and a text cannot hold ': ' without quotes: put "
                    "the text in quotes, or line this key up with the keys above it")


def _quote_it(text: str) -> str:
    key = _KEY_LINE.match(text)
    value = (key["value"] or "").strip() if key else ""
    example = (f", e.g. {key['key']}: \"{value}\"" if key and value and '"' not in value
               else "")
    return f"a colon and a space inside a text: put the text in quotes{example}"
