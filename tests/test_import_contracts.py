"""The import contracts in pyproject.toml hold, and a wrong import breaks them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _copy_of_the_packages(tmp_path: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "templates", "modules", "builtin_policies")
    for package in ("generator", "runtime"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_every_import_contract() -> None:
    """`lint-imports` on the tree as committed: every contract kept."""
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "broken"),
    [
        ("generator/errors.py", "import generator.cli.main", "one direction"),
        ("runtime/core/logs.py", "import generator.errors", "the runtime never imports"),
        ("generator/render/stack.py", "import generator.kinds.ingestion.render", "no stage names"),
    ],
)
def test_a_deliberately_wrong_import_breaks_its_contract(
    tmp_path: Path, module: str, bad_import: str, broken: str
) -> None:
    """An upward, runtime→generator or kind-naming import makes `lint-imports` fail."""
    root = _copy_of_the_packages(tmp_path)
    path = root / module
    path.write_text(path.read_text() + f"\n{bad_import}  # deliberately wrong\n")
    result = _lint_imports(root)
    assert result.returncode != 0, result.stdout
    broken_section = result.stdout.split("Broken contracts", 1)[-1]
    assert broken in broken_section, result.stdout
