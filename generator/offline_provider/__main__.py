"""``python -m generator.offline_provider --selection DIR``: the plugin Terraform starts.

The launcher script that trellis generates execs this with the directory holding the
session's served schema. See :func:`generator.offline_provider.server.serve_managed`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.offline_provider.server import serve_managed


def main(argv: list[str] | None = None) -> int:
    """Parse the one option and serve."""
    parser = argparse.ArgumentParser(prog="python -m generator.offline_provider")
    parser.add_argument(
        "--selection", type=Path, required=True, help="directory with selected.json and schema.pb"
    )
    args, _unknown = parser.parse_known_args(argv)
    return serve_managed(args.selection)


if __name__ == "__main__":
    sys.exit(main())
