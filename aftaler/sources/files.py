"""The project's definitions and records as they were read.

Each is read once per build, through `files.read_regular`: a regular file inside the
project folder, or a one-line refusal (a folder, a named pipe, a link leading out of the
project). The SHA-256 of the very bytes parsed is kept, and of a file looked for but
absent, that it was absent: the up-to-date record of a document says what its build read,
even if the file is saved again while the build runs.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .validation import Check, Strict


class SourceFiles:
    def __init__(self, root: Path):
        self.root = root
        self.digests: dict[Path, str | None] = {}  # None: looked for, absent

    def display(self, path: Path) -> str:
        """`path` as messages name it: relative to the project."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def exists(self, path: Path) -> bool:
        """Whether there is anything at `path` (a folder or a pipe too: reading it then
        says what it is); if not, that it was absent is remembered."""
        if os.path.lexists(path):
            return True
        self.digests[path] = None
        return False

    def load(self, path: Path, model: type[Strict], checks: Callable[[Any], Check] | None = None
             ) -> Any:
        """Read, parse and validate one file; DefinitionError on any problem."""
        from .validation import load_data

        raw = self._read(path)
        self.digests[path] = hashlib.sha256(raw).hexdigest()
        return load_data(raw, model, self.display(path), checks)

    def digest(self, path: Path) -> str | None:
        """The SHA-256 of `path` as this build read it (None: absent)."""
        return self.digests[path]

    def text_as_parsed(self, path: Path) -> str:
        """The text of a file already loaded, to write a change into: read again the
        same way, and refused (BadInput) if it is no longer what was parsed, so that a
        change is never written into a text the checks did not see."""
        from ..errors import BadInput

        raw = self._read(path)
        if hashlib.sha256(raw).hexdigest() != self.digests.get(path):
            raise BadInput(f"{self.display(path)}: changed while it was being read: run the "
                           "command again")
        return raw.decode("utf-8")

    def _read(self, path: Path) -> bytes:
        """The bytes of a definition or record (yamlsource.read); DefinitionError if it
        cannot be read as one."""
        from ..errors import DefinitionError
        from . import yamlsource

        try:
            return yamlsource.read(path, self.display(path), within=self.root)
        except yamlsource.YamlProblem as exc:
            raise DefinitionError([exc.problem]) from None
