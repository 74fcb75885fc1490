"""The review file: ``build/<env>/<blueprint>/iam/<function>.json``, byte-stable.

Keys sorted, two-space indent, a trailing newline, no timestamps or absolute paths, so
the file diffs cleanly in a pull request and the manifest's sha256 only changes when a
grant does.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from generator.iam.derive import DerivedRole


def dumps(document: object) -> str:
    """Pretty JSON with sorted keys and a final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def review_file(role: DerivedRole, env: str, blueprint: str) -> tuple[PurePosixPath, bytes]:
    """The review file's path (relative to ``build/``) and bytes for one derived role."""
    path = PurePosixPath(env, blueprint, "iam", f"{role.function_name}.json")
    return path, dumps(role.to_json()).encode("utf-8")
