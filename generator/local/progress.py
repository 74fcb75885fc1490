"""A one-line progress display on standard error.

On a terminal the line is rewritten in place; otherwise (CI logs, pipes) only the final
state of each phase is printed, so logs stay readable.
"""

from __future__ import annotations

import sys
from typing import IO

__all__ = ["Progress"]


class Progress:
    """Shows ``phase: detail`` while work runs; :meth:`done` ends the phase's line."""

    def __init__(self, stream: IO[str] | None = None, *, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.live = enabled and self.stream.isatty()
        self._last = ""

    def update(self, phase: str, detail: str) -> None:
        """Replace the current line (terminals only)."""
        self._last = f"{phase:<11} {detail}"
        if self.live:
            self.stream.write("\r\x1b[2K" + self._last)
            self.stream.flush()

    def done(self, phase: str, detail: str) -> None:
        """Print the phase's final line."""
        if not self.enabled:
            return
        line = f"{phase:<11} {detail}"
        self.stream.write(("\r\x1b[2K" if self.live else "") + line + "\n")
        self.stream.flush()
        self._last = ""
