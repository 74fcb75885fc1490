"""Where trellis's own reviewed policies live: ``policies/`` of this repository.

In a wheel they are package data at ``generator/builtin_policies/`` (hatch copies the
repository's ``policies/`` there); in a checkout or an editable install they are read
from the repository itself. Either way there is exactly one reviewed copy.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "builtin_policies"
_CHECKOUT = Path(__file__).resolve().parents[1] / "policies"


def builtin_policies_dir() -> Path:
    """The directory holding ``checkov/``, ``iam/`` and ``skips.yaml``."""
    return _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT
