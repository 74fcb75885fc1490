"""The external tools trellis runs (checkov, actionlint): found or provisioned, never assumed.

One place resolves each tool, in one order (flag, environment variable, the project's
copy, the trellis tools cache, PATH: :mod:`generator.tools.resolve`); ``trellis tools
install`` provisions the pinned versions (:mod:`generator.tools.install`); ``trellis
tools`` lists what was found where.
"""

from __future__ import annotations

from generator.tools.catalogue import ACTIONLINT, CHECKOV, TOOLS, ToolSpec
from generator.tools.install import Installed, install
from generator.tools.locations import managed_dir, tools_home
from generator.tools.resolve import Found, Missing, install_fix, locate, require

__all__ = [
    "ACTIONLINT",
    "CHECKOV",
    "TOOLS",
    "Found",
    "Installed",
    "Missing",
    "ToolSpec",
    "install",
    "install_fix",
    "locate",
    "managed_dir",
    "require",
    "tools_home",
]
