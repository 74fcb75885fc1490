"""The progress line on stderr while validators run."""

from __future__ import annotations

import io
import time

from generator.check.progress import Progress


def test_progress_draws_running_validators_and_erases_itself() -> None:
    """On a terminal the line names the running validators, then clears itself."""
    stream = io.StringIO()
    with Progress(stream, enabled=True) as progress:
        progress("checkov", "start")
        deadline = time.monotonic() + 5
        while "checkov" not in stream.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        progress("checkov", "done")
    text = stream.getvalue()
    assert "trellis check: checkov (" in text
    assert text.endswith("\r\x1b[K")


def test_progress_is_silent_off_a_terminal() -> None:
    """Not on a terminal (CI logs, captured output) nothing is written."""
    stream = io.StringIO()
    with Progress(stream) as progress:
        progress("checkov", "start")
        progress("checkov", "done")
    assert stream.getvalue() == ""
