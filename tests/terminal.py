"""Running a command on a real terminal (a pseudo-terminal), and what its screen shows."""

from __future__ import annotations

import os
import pty
import select
import signal
import time


def run_in_terminal(argv: list[str], *, env: dict[str, str], cwd: str,
                    answers: dict[str, str] | None = None,
                    timeout: float = 120) -> tuple[int, str]:
    """Run `argv` with a pseudo-terminal as its controlling terminal, stdin, stdout and
    stderr, as in a terminal window. When the output so far ends with a key of
    `answers`, its value is typed in (with Enter). Returns the exit status and all the
    terminal received (with the terminal's \\r\\n line ends)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: never returns
        try:
            os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    pending = dict(answers or {})
    received = b""
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                raise TimeoutError(f"{argv} still running after {timeout} s: "
                                   f"{received.decode(errors='replace')[-500:]!r}")
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal (Linux: EIO)
                break
            if not chunk:
                break
            received += chunk
            text = received.decode(errors="replace")
            for prompt in [p for p in pending if text.endswith(p)]:
                os.write(fd, (pending.pop(prompt) + "\n").encode())
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), received.decode(errors="replace")


def screen(received: str) -> list[str]:
    """The lines a terminal shows after receiving `received`: a carriage return goes
    back to the start of the line, later characters overwrite earlier ones."""
    lines = [""]
    column = 0
    for char in received:
        if char == "\r":
            column = 0
        elif char == "\n":
            lines.append("")
            column = 0
        else:
            line = lines[-1].ljust(column)
            lines[-1] = line[:column] + char + line[column + 1:]
            column += 1
    shown = [line.rstrip() for line in lines]
    while shown and not shown[-1]:
        shown.pop()
    return shown
