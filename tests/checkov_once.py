"""Run a slow external tool once per test session, even across pytest-xdist workers.

The first worker to arrive runs ``produce`` and writes its result under the session's
shared base temp directory; the others wait on a file lock and read it.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CHECKOV = os.environ.get("TRELLIS_CHECKOV") or str(
    Path(__file__).resolve().parents[1] / ".venv-checkov" / "bin" / "checkov"
)


def shared_dir(factory: pytest.TempPathFactory) -> Path:
    """A directory shared by every worker of this session."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(factory: pytest.TempPathFactory, name: str, produce: Callable[[Path], Any]) -> Any:
    """``produce(workdir)`` once per session; its JSON-able result for every caller."""
    root = shared_dir(factory)
    result_file = root / f"{name}.json"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result_file.exists():
            workdir = root / f"{name}.work"
            workdir.mkdir(parents=True, exist_ok=True)
            result_file.write_text(json.dumps(produce(workdir)), encoding="utf-8")
    return json.loads(result_file.read_text(encoding="utf-8"))
