"""Write a cache file whole or not at all, safely beside other checks writing the same one.

The text goes to a temporary file of its own in the target's directory (a unique name:
two checks of one repository, or two threads of one check, never share it), which then
replaces the target in one rename, so a reader sees the old file or the new one, never
half of either.

What can go wrong: ``OSError`` from the file system (a full disk, a read-only cache
directory); the temporary file is removed when the write fails.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_json_atomically(path: Path, data: Any) -> None:
    """Write ``data`` as JSON (keys sorted) to ``path``, creating its directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, sort_keys=True)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
