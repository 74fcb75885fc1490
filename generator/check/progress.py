"""A progress line on stderr while validators run (checkov takes the longest).

Shown only when stderr is a terminal: a spinner, the elapsed seconds and which validators
are still running, redrawn in place and erased when done. In CI logs (not a TTY) it prints
nothing, so captured output stays deterministic.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TextIO

_FRAMES = "|/-\\"


class Progress:
    """Context manager and runner callback: ``progress(name, "start" | "done")``."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.running: list[str] = []
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def __call__(self, name: str, event: str) -> None:
        with self._lock:
            if event == "start" and name not in self.running:
                self.running.append(name)
            elif event == "done" and name in self.running:
                self.running.remove(name)

    def __enter__(self) -> Progress:
        if self.enabled:
            self._thread = threading.Thread(target=self._draw, daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _draw(self) -> None:
        frame = 0
        while not self._stop.wait(0.2):
            with self._lock:
                running = ", ".join(self.running) or "finishing"
            elapsed = time.monotonic() - self._started
            self.stream.write(
                f"\r\033[K{_FRAMES[frame % len(_FRAMES)]} trellis check: {running} ({elapsed:.0f}s)"
            )
            self.stream.flush()
            frame += 1
