"""Regenerate ``generator/offline_provider/proto/*_pb2.py`` from the ``.proto`` files here.

Run ``python -m tools.proto.regenerate`` from the repository root after editing a
``.proto``; it needs ``grpcio-tools`` (a dev dependency) and writes ``*_pb2.py`` and
``*_pb2.pyi`` (typed message classes) into the package. The ``.proto`` sources live here,
outside the wheel: only the generated modules are needed at run time. gRPC service stubs
are not generated: the server registers its handlers generically, so only the message
classes are needed.

What can go wrong: ``grpcio-tools`` missing (install the dev extra), or a protoc error in
an edited ``.proto`` (printed, exit code non-zero).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "generator" / "offline_provider" / "proto"
PROTOS = ("tfplugin6.proto", "goplugin.proto")


def main() -> int:
    """Run protoc over the protos; returns protoc's exit code."""
    from grpc_tools import protoc  # type: ignore[import-untyped]  # dev-only tool

    args = [
        "protoc",
        f"--proto_path={HERE}",
        f"--python_out={OUT}",
        f"--pyi_out={OUT}",
        *(str(HERE / name) for name in PROTOS),
    ]
    code: int = protoc.main(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
