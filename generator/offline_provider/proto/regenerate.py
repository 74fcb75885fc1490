"""Regenerate the protobuf modules beside this file from the two ``.proto`` files.

Run ``python -m generator.offline_provider.proto.regenerate`` after editing a ``.proto``;
it needs ``grpcio-tools`` (a dev dependency) and writes ``*_pb2.py`` and ``*_pb2.pyi``
(typed message classes). gRPC service stubs are not generated: the server registers its
handlers generically, so only the message classes are needed.

What can go wrong: ``grpcio-tools`` missing (install the dev extra), or a protoc error in
an edited ``.proto`` (printed, exit code non-zero).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROTOS = ("tfplugin6.proto", "goplugin.proto")


def main() -> int:
    """Run protoc over the protos; returns protoc's exit code."""
    from grpc_tools import protoc  # type: ignore[import-untyped]  # dev-only tool

    args = [
        "protoc",
        f"--proto_path={HERE}",
        f"--python_out={HERE}",
        f"--pyi_out={HERE}",
        *(str(HERE / name) for name in PROTOS),
    ]
    code: int = protoc.main(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
