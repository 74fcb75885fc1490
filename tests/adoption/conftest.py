"""Session fixtures: trellis as a team gets it (a wheel in a clean venv) and a team repository.

Built once per test session and shared by every xdist worker (a lock file in the
directory all workers share): the wheel (``uv build``), a virtual environment with only
that wheel and its dependencies from the package index, and a repository made by
``trellis init`` plus two environment files and ``trellis.yaml``, rendered, committed.
Nothing of the checkout is on the venv's path: the repository lives in a temporary
directory, and every command runs with an environment cleared of the checkout's venv and
of ``TRELLIS_*`` variables.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

DEV = """\
name: dev
account_id: "111111111111"
region: ap-southeast-1
approval: none
github:
  repository: acme/payments
"""
PRD = """\
name: prd
account_id: "333333333333"
region: ap-southeast-1
approval: required
github:
  repository: acme/payments
"""


@dataclass(frozen=True)
class Installed:
    """The clean venv with trellis from the wheel, and the environment to run it in."""

    venv: Path
    wheel: Path
    env: dict[str, str]
    shared: Path

    @property
    def bin(self) -> Path:
        """The venv's ``bin`` directory."""
        return self.venv / "bin"

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        """A command (``trellis ...``) in ``cwd`` with the clean environment; must exit 0."""
        done = subprocess.run(
            list(args), cwd=cwd, env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            pytest.fail(f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done


def clean_environment(venv_bin: Path, xdg: Path) -> dict[str, str]:
    """os.environ without the checkout: no project venv on PATH, no TRELLIS_*, no test-only
    Terraform settings; the venv first on PATH (what setup-python does); the tools cache
    in ``xdg``."""
    drop = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "TF_CLI_CONFIG_FILE", "TF_IN_AUTOMATION")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in drop and not key.startswith(("TRELLIS_", "PYTEST_", "GITHUB_"))
    }
    checkout = str(ROOT)
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and not p.startswith(checkout)]
    env["PATH"] = os.pathsep.join([str(venv_bin), *path])
    env["XDG_CACHE_HOME"] = str(xdg)
    return env


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory every xdist worker of this run shares (the parent of their basetemps)."""
    root = tmp_path_factory.getbasetemp()
    shared = root.parent if root.name.startswith("popen-gw") else root
    path = shared / "trellis-adoption"
    path.mkdir(exist_ok=True)
    return path


@contextmanager
def _once(shared: Path, name: str) -> Iterator[bool]:
    """Yield True when this worker must do ``name``'s work, under an exclusive lock."""
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield not (shared / f"{name}.done").exists()
            (shared / f"{name}.done").touch()  # not reached when the work failed
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _uv() -> str:
    beside = Path(sys.executable).parent / "uv"
    found = str(beside) if beside.is_file() else shutil.which("uv")
    if found is None:
        pytest.fail("uv is not installed: make install puts it in .venv")
    return found


@pytest.fixture(scope="session")
def installed(shared_dir: Path) -> Installed:
    """The wheel built from this checkout, installed into a fresh venv (once per session)."""
    dist, venv = shared_dir / "dist", shared_dir / "venv"
    with _once(shared_dir, "install") as todo:
        if todo:
            subprocess.run(
                [_uv(), "build", "--wheel", "--out-dir", str(dist), str(ROOT)],
                check=True,
                capture_output=True,
            )
            base = getattr(sys, "_base_executable", sys.executable)
            subprocess.run([base, "-m", "venv", str(venv)], check=True)
            wheel = next(dist.glob("trellis_iac-*.whl"))
            subprocess.run(
                [_uv(), "pip", "install", "--quiet", "--compile-bytecode",
                 "--python", str(venv / "bin" / "python"), str(wheel)],
                check=True,
            )  # fmt: skip
            # --compile-bytecode: what `pip install` does for a team (uv does not by default)
    wheel = next(dist.glob("trellis_iac-*.whl"))
    return Installed(venv, wheel, clean_environment(venv / "bin", shared_dir / "xdg"), shared_dir)


@pytest.fixture(scope="session")
def team_repo(installed: Installed) -> Path:
    """A repository a platform team would make: ``trellis init`` skeleton, dev and prd
    environments, ``trellis.yaml`` installing trellis from a wheel committed to the
    repository, rendered and committed with git."""
    repo = installed.shared / "team-repo"
    with _once(installed.shared, "team-repo") as todo:
        if todo:
            if repo.exists():
                shutil.rmtree(repo)
            repo.mkdir()
            installed.run("trellis", "init", "IngestionPipeline", "payments", "--team", "billing",
                          cwd=repo)  # fmt: skip
            (repo / "environments").mkdir()
            (repo / "environments" / "dev.yaml").write_text(DEV, encoding="utf-8")
            (repo / "environments" / "prd.yaml").write_text(PRD, encoding="utf-8")
            (repo / "dist").mkdir()
            shutil.copy2(installed.wheel, repo / "dist" / installed.wheel.name)
            (repo / "trellis.yaml").write_text(
                f"ci:\n  trellis:\n    wheel: dist/{installed.wheel.name}\n", encoding="utf-8"
            )
            (repo / ".gitignore").write_text(".trellis/\n", encoding="utf-8")
            installed.run("trellis", "validate", cwd=repo)
            installed.run("trellis", "render", cwd=repo)
            git = ["git", "-c", "user.name=team", "-c", "user.email=team@example.com"]
            installed.run("git", "init", "--quiet", "--initial-branch", "main", cwd=repo)
            installed.run("git", "add", "--all", cwd=repo)
            installed.run(*git, "commit", "--quiet", "--message", "trellis repository", cwd=repo)
    return repo
