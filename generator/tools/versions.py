"""Asking a found tool which version it is, cheaply.

What can go wrong: the tool does not run (a broken virtual environment, a missing
interpreter); the version is then ``None`` and the resolver reports it as unknown rather
than guessing.
"""

from __future__ import annotations

import functools
import json
import subprocess
from pathlib import Path

_PYTHON_SNIPPET = "import importlib.metadata as m; print(m.version({name!r}))"


def python_package_version(executable: Path, package: str) -> str | None:
    """The version of ``package``, asked of the interpreter in the script's shebang (fast),
    else the executable's own ``--version``.

    ``checkov --version`` imports all of checkov (seconds); the shebang's interpreter
    answers from the package metadata in about 0.1 s, asked once per process for each
    executable as it is now (a reinstalled executable is asked again).
    """
    try:
        stat = executable.stat()
    except OSError:
        return None
    return _asked(executable, package, (stat.st_size, stat.st_mtime_ns, stat.st_ino))


def python_shebang(executable: Path) -> list[str] | None:
    """The command that runs ``executable``'s Python shebang (``["/venv/bin/python"]`` or
    ``["/usr/bin/env", "python3"]``); ``None`` when it has none (a binary, a shell script,
    an unreadable file)."""
    try:
        with executable.open("rb") as script:  # a binary checkov can be large: its head only
            first = script.read(256).split(b"\n", 1)[0].decode()
    except (OSError, UnicodeDecodeError):
        return None
    if not first.startswith("#!") or "python" not in first:
        return None
    command = first[2:].split()
    return command or None


@functools.lru_cache(maxsize=32)
def _asked(executable: Path, package: str, _identity: tuple[int, int, int]) -> str | None:
    interpreter = python_shebang(executable)
    if interpreter is not None:
        try:
            done = subprocess.run(
                [*interpreter, "-c", _PYTHON_SNIPPET.format(name=package)],
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError:
            done = None
        if done is not None and done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    try:
        done = subprocess.run(
            [str(executable), "--version"], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    if done.returncode != 0 or not done.stdout.strip():
        return None
    return done.stdout.strip().splitlines()[0].split()[-1]


def node_package_version(entry: Path) -> str | None:
    """The ``version`` of the npm package ``entry`` (a file under its ``build/``) belongs to."""
    for parent in entry.parents:
        manifest = parent / "package.json"
        if manifest.is_file():
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                return None
            version = data.get("version") if isinstance(data, dict) else None
            return str(version) if version else None
    return None
