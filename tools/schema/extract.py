"""Regenerate the committed compact AWS provider schema from ``cdktn-provider-aws`` on PyPI.

Run from the repository root::

    python -m tools.schema.extract --out generator/schema/aws-provider.json.gz

It downloads the pinned wheel with ``pip download --no-deps`` (the only step that uses the
network; tests and normal runs never do), builds the schema from the jsii assembly and the
generated JavaScript (:mod:`tools.schema.cdktn`), cross-checks and merges it with the
exact 6.47.0 schema (:mod:`tools.schema.crosscheck`), and writes:

* ``--out``: gzipped JSON, sorted keys, gzip mtime 0, so the same inputs give the same bytes;
  header fields ``provider_version``, ``sources`` and ``cross_check`` (agreement figures);
* ``--report`` (default: ``tools/schema/aws-provider-crosscheck.json``, beside this
  module, so the maintainers' report stays out of the wheel): every disagreement between
  the two sources, for review.

Exit status 2 with a one-line message when the wheel or the exact schema cannot be read.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from generator.schema.layout import SchemaLayoutError, to_compact
from tools.schema.cdktn import SchemaBuildError, build_schema
from tools.schema.crosscheck import merge
from tools.schema.package import PackageError, read_wheel

PACKAGE = "cdktn-provider-aws"
PACKAGE_VERSION = "25.8.1"
PROVIDER_VERSION = "6.69.1"
REPO_ROOT = Path(__file__).resolve().parents[2]
EXACT_DEFAULT = REPO_ROOT / "../shared/data/aws-provider-schema-6.47.0.json.gz"
EXACT_VERSION = "6.47.0"
DEFAULT_OUT = "generator/schema/aws-provider.json.gz"
REPORT_DEFAULT = Path(__file__).with_name("aws-provider-crosscheck.json")
"""The disagreement report: for maintainers, so kept beside this tool, not in the wheel."""


def deterministic_gzip(document: Any) -> bytes:
    """JSON with sorted keys, compact separators, gzipped with mtime 0 and no file name."""
    payload = json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(payload)
    return buffer.getvalue()


def download_wheel(directory: Path) -> Path:
    """``pip download`` the pinned wheel into ``directory`` and return its path."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            f"{PACKAGE}=={PACKAGE_VERSION}",
            "-d",
            str(directory),
        ],
        check=True,
    )
    wheels = sorted(directory.glob("*.whl"))
    if len(wheels) != 1:
        raise PackageError(f"pip download left {len(wheels)} wheels in {directory}")
    return wheels[0]


def load_exact(path: Path) -> dict[str, Any]:
    """The exact schema (gzipped or plain JSON) in the compact layout."""
    raw = path.read_bytes()
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    return to_compact(json.loads(data), provider_version=EXACT_VERSION)


def build(
    wheel: Path, exact_path: Path, *, prefer_exact: bool = False
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The merged compact document with its header, and the disagreement records."""
    exact = load_exact(exact_path)
    package = read_wheel(wheel)
    cdktn = build_schema(package.types, package.modules).to_compact()
    if cdktn["provider_version"] != PROVIDER_VERSION:
        raise SchemaBuildError(
            f"{wheel.name} documents provider {cdktn['provider_version']}, "
            f"expected {PROVIDER_VERSION}"
        )
    merged, agreement, disagreements = merge(cdktn, exact, prefer_exact=prefer_exact)
    merged["sources"] = {
        "cdktn": f"{PACKAGE}=={PACKAGE_VERSION} (jsii assembly and generated JavaScript)",
        "exact": f"{exact_path.name} (hashicorp/aws {EXACT_VERSION})",
        "flags_from": "exact" if prefer_exact else "cdktn",
        "regenerate": f"python -m tools.schema.extract --out {DEFAULT_OUT}",
    }
    merged["cross_check"] = agreement.to_record()
    records = [
        {
            "kind": d.kind,
            "type": d.type_name,
            "path": d.path,
            "field": d.field,
            "cdktn": d.cdktn,
            "exact": d.exact,
        }
        for d in disagreements
    ]
    return merged, records


def _summary(document: dict[str, Any], disagreements: int) -> str:
    check = document["cross_check"]
    return (
        f"provider {document['provider_version']}: "
        f"{len(document['resource_schemas'])} resources, "
        f"{len(document['data_source_schemas'])} data sources; "
        f"types in both sources {check['types_both']} "
        f"(identical {check['types_identical']}), cdktn only {check['types_cdktn_only']}, "
        f"6.47.0 only {check['types_exact_only']}; shared attributes agreeing "
        f"{check['attributes_agreeing']}/{check['attributes_compared']}, blocks agreeing "
        f"{check['blocks_agreeing']}/{check['blocks_compared']}; "
        f"{disagreements} disagreements listed"
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.schema.extract",
        description="Regenerate the compact AWS provider schema from cdktn-provider-aws "
        f"{PACKAGE_VERSION} (provider {PROVIDER_VERSION}), cross-checked with {EXACT_VERSION}.",
    )
    parser.add_argument("--out", type=Path, required=True, help="compact schema to write (.gz)")
    parser.add_argument(
        "--exact",
        type=Path,
        default=EXACT_DEFAULT,
        help="exact 6.47.0 schema (default: ../shared/data/ beside the repository root)",
    )
    parser.add_argument("--wheel", type=Path, help="use this wheel instead of downloading")
    parser.add_argument(
        "--report",
        type=Path,
        help="where to write the disagreement list (default: tools/schema/)",
    )
    parser.add_argument(
        "--prefer-exact-flags",
        action="store_true",
        help="take required/optional/computed/type/nesting from 6.47.0 where both have them",
    )
    args = parser.parse_args(argv)
    report = args.report or REPORT_DEFAULT
    try:
        if not args.exact.is_file():
            raise FileNotFoundError(f"exact schema not found: {args.exact} (pass --exact)")
        with tempfile.TemporaryDirectory(prefix="trellis-cdktn-") as tmp:
            wheel = args.wheel or download_wheel(Path(tmp))
            document, records = build(wheel, args.exact, prefer_exact=args.prefer_exact_flags)
    except (OSError, PackageError, SchemaBuildError, SchemaLayoutError) as error:
        print(f"extract: {error}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        print(f"extract: pip download failed with exit code {error.returncode}", file=sys.stderr)
        return 2
    args.out.write_bytes(deterministic_gzip(document))
    report.write_text(
        json.dumps(
            {"cross_check": document["cross_check"], "disagreements": records},
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )
    print(_summary(document, len(records)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
