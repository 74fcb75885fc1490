"""Reading a script's Python shebang, and asking its interpreter a package's version."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from generator.tools.versions import python_package_version, python_shebang


def _script(path: Path, first_line: str) -> Path:
    path.write_text(f"{first_line}\nprint('ran')\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_a_venv_shebang_and_an_env_shebang_are_both_commands(tmp_path: Path) -> None:
    venv = _script(tmp_path / "a", f"#!{sys.executable}")
    env = _script(tmp_path / "b", "#!/usr/bin/env python3 -u")
    assert python_shebang(venv) == [sys.executable]
    assert python_shebang(env) == ["/usr/bin/env", "python3", "-u"]


def test_no_python_shebang_is_none(tmp_path: Path) -> None:
    assert python_shebang(_script(tmp_path / "sh", "#!/bin/sh")) is None
    assert python_shebang(_script(tmp_path / "none", "print(1)")) is None
    (tmp_path / "binary").write_bytes(b"\x7fELF\xff\xfe")
    assert python_shebang(tmp_path / "binary") is None
    assert python_shebang(tmp_path / "missing") is None


def test_the_version_is_asked_of_an_env_shebangs_interpreter(tmp_path: Path) -> None:
    """``#!/usr/bin/env <python>`` runs ``env <python> -c …``, not ``env -c …``."""
    script = _script(tmp_path / "tool", f"#!/usr/bin/env {sys.executable}")
    assert python_package_version(script, "click") == metadata.version("click")
