"""Where the trellis-managed tools live: ``$XDG_CACHE_HOME/trellis/tools/<tool>-<version>``."""

from __future__ import annotations

import os
from pathlib import Path

from generator.tools.catalogue import ToolSpec

#: Written last by ``trellis tools install``; a directory without it is an unfinished install.
STAMP = ".trellis-installed"


def tools_home() -> Path:
    """``$XDG_CACHE_HOME/trellis/tools``, with ``~/.cache`` when the variable is unset or empty."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "trellis" / "tools"


def managed_dir(tool: ToolSpec) -> Path:
    """The directory ``trellis tools install`` provisions ``tool`` into."""
    return tools_home() / tool.directory_name


def managed_entry(tool: ToolSpec) -> Path:
    """The executable (or entry point) inside :func:`managed_dir`."""
    return managed_dir(tool) / tool.managed_path


def is_installed(tool: ToolSpec) -> bool:
    """Whether a finished install of the pinned version is in the tools cache."""
    directory = managed_dir(tool)
    stamp = directory / STAMP
    return (
        stamp.is_file()
        and stamp.read_text(encoding="utf-8").strip() == tool.requirement
        and (directory / tool.managed_path).is_file()
    )


def display(path: Path) -> str:
    """``path`` for people: ``~/...`` under the home directory, else as it is."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)
