"""The README's commands work as documented: run in order, in a scratch copy of the project.

How the README's fenced (```) blocks are read:

- A **command block** is one whose first word is a command (`COMMANDS` below, or a
  `NAME=value` assignment). Each is run with bash (`set -euo pipefail`) in the scratch
  copy, in the README's order, so that one block builds on the ones before it as it does
  for a reader (the signing example signs the agreement the set-up built). Every command
  in it must succeed: a block meant to show a failure needs `<!-- not run -->`.
- A block that directly follows a command block, in the same section (no heading in
  between, only prose), is that block's **output**: what the block prints on stdout must
  be exactly that, line for line, except that a date-time such as
  2026-11-23T14:43:26+00:00 stands for any date-time.
- Any other block (a folder tree, a sample message) is shown text; it is not run.
- `<!-- not run -->` on the line before a block: the block is neither run nor compared,
  nor is a block after it taken as its output. For commands that cannot run here (the
  test suite itself, the benchmarks) and for shown text that would otherwise be taken
  as the output of the commands before it.

The scratch copy holds the files git tracks, as a fresh clone does (as they are in the
working tree). In it, `python` is the interpreter running the tests and `pip` does
nothing (the package is installed already; its `pip install` is taken as done).
`mktemp` makes its folders in the test's temporary folder. `openssl` must be installed:
without it the test fails rather than leave the signing example untried.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The first words that make a block a command block. Add one when the README starts
# to use another program.
COMMANDS = {"python", "python3", "pip", "aftaler", "openssl", "export", "cd", "(cd", "mkdir",
            "sha256sum", "pytest", "ruff"}
NOT_RUN = "<!-- not run -->"
DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)")


@dataclass
class Block:
    line: int  # of the opening fence, counting from 1
    text: str
    run: bool  # a command block not marked `not run`
    commands: bool  # a command block, run or not
    output: Block | None = None  # the output shown for a command block


def read_blocks(markdown: str) -> list[Block]:
    """The fenced blocks of `markdown`, each command block with the output shown for it."""
    blocks: list[Block] = []
    lines = markdown.splitlines()
    previous: Block | None = None  # the last block, if nothing but prose came after it
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            previous = None
        if not line.startswith("```"):
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), None)
        if end is None:
            raise ValueError(f"README.md:{i + 1}: a ``` block that never ends")
        text = "\n".join(lines[i + 1:end])
        before = next((lines[j].strip() for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        marked = before == NOT_RUN
        commands = _is_commands(text)
        block = Block(i + 1, text, run=commands and not marked, commands=commands)
        if previous is not None and previous.run and not commands and not marked:
            previous.output = block
        blocks.append(block)
        previous = None if marked else block
        i = end + 1
    return blocks


def _is_commands(text: str) -> bool:
    words = text.split(maxsplit=1)
    return bool(words) and (words[0] in COMMANDS or bool(re.match(r"[A-Za-z_]\w*=", words[0])))


def _normalise(text: str) -> list[str]:
    lines = [DATE_TIME.sub("<date-time>", line).rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def test_blocks_are_commands_their_output_shown_text_or_not_run():
    markdown = """# Title

```
python build.py agreement hospital
```

prints:

```
output/aftaler/aftale-hospital.pdf
```

<!-- not run -->
```
pytest
```

```
a tree, not the output of pytest
```

## Next section

```
not the output of the block before the heading
```

```
CERTS=$(mktemp -d)
```

<!-- not run -->
```
a tree that follows commands
```
"""
    blocks = read_blocks(markdown)
    assert [(b.line, b.commands, b.run) for b in blocks] == [
        (3, True, True), (9, False, False), (14, True, False), (18, False, False),
        (24, False, False), (28, True, True), (33, False, False)]
    assert blocks[0].output is blocks[1]
    assert [b.output for b in blocks[2:]] == [None] * 5


def _scratch_clone(folder: Path) -> Path:
    """The files git tracks, copied as they are in the working tree: a fresh clone."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                                check=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.fail(f"cannot list the project's files with git ({exc}): the README test "
                    "runs in a copy of what git tracks")
    clone = folder / "clone"
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    return clone


def _stand_ins(folder: Path) -> Path:
    """`python`: the interpreter running the tests; `pip`: already done, prints nothing."""
    folder.mkdir()
    scripts = {"python": f'#!/bin/sh\nexec "{sys.executable}" "$@"\n',
               "pip": "#!/bin/sh\nexit 0\n"}
    for name, script in scripts.items():
        path = folder / name
        path.write_text(script)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return folder


def test_the_readme_commands_work_and_print_what_it_shows(tmp_path):
    blocks = [b for b in read_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
              if b.run]
    assert blocks, "README.md has no command block to run"
    if shutil.which("bash") is None:
        pytest.fail("bash is not installed: the README's commands are run with it")
    if any(re.search(r"\bopenssl\b", b.text) for b in blocks) and not shutil.which("openssl"):
        pytest.fail("openssl is not installed, and the README's signing example uses it "
                    "(CI has it; on Debian or Ubuntu: apt-get install openssl)")
    clone = _scratch_clone(tmp_path)
    (tmp_path / "tmp").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AFTALER_P12")}
    path = [str(_stand_ins(tmp_path / "bin")), str(Path(sys.executable).parent),
            env.get("PATH", "")]
    env.update(PATH=os.pathsep.join(path), TMPDIR=str(tmp_path / "tmp"))
    for block in blocks:
        result = subprocess.run(["bash", "-c", "set -euo pipefail\n" + block.text], cwd=clone,
                                env=env, capture_output=True, text=True, encoding="utf-8")
        assert result.returncode == 0, (
            f"README.md:{block.line}: a command failed (exit status {result.returncode}):\n"
            f"{block.text}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}")
        if block.output is None:
            continue
        shown, printed = _normalise(block.output.text), _normalise(result.stdout)
        assert printed == shown, (
            f"README.md:{block.output.line}: the output shown is not what the commands at "
            f"line {block.line} print (if it is not meant as their output, put "
            f"{NOT_RUN} before it):\n"
            + "\n".join(difflib.unified_diff(shown, printed, "README.md", "printed",
                                             lineterm="")))
