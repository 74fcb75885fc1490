"""checkov (the project's pinned version, built-in checks) over the example root stacks.

Every failed built-in check is listed here with the reason it is accepted; the reviewed
skips table (policies/skips.yaml, owned by the check stage) must carry the same reasons.
A new failure, or a listed one that disappears, fails this test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

#: check id -> why it is accepted for these modules (not fixed in the module).
ACCEPTED = {
    "CKV_AWS_109": "KMS key policy: the account-root administration statement needs Resource *",
    "CKV_AWS_111": "KMS key policy: Resource * in a key policy means this key only",
    "CKV_AWS_356": "KMS key policy: Resource * in a key policy means this key only",
    "CKV_AWS_144": "cross-region replication of site, state and log buckets is an org decision",
    "CKV_AWS_145": "log buckets use SSE-S3: S3 server access logging cannot deliver to SSE-KMS",
    "CKV2_AWS_62": "no consumer for S3 event notifications on these buckets",
    "CKV2_AWS_65": "CloudFront standard logging (legacy) needs ACLs on the log bucket",
    "CKV_AWS_310": "single-origin site: origin failover needs a replica bucket in a 2nd region",
    "CKV_AWS_374": "public sites serve every country; geo restriction is a per-site decision",
    "CKV2_AWS_64": "state and ECR keys keep AWS's default key policy (IAM administers them)",
}

#: dev/bootstrap differs from prd/bootstrap only in values; checkov runs are slow.
STACKS = ("dev/portal", "prd/portal", "prd/bootstrap")

EXPECTED: dict[str, dict[str, set[str]]] = {
    "portal": {
        "CKV_AWS_109": {"site_key", "waf_logs_key"},
        "CKV_AWS_111": {"site_key", "waf_logs_key"},
        "CKV_AWS_356": {"site_key", "waf_logs_key"},
        "CKV_AWS_144": {"site", "logs"},
        "CKV_AWS_145": {"logs"},
        "CKV2_AWS_62": {"site", "logs"},
        "CKV2_AWS_65": {"logs"},
        "CKV_AWS_310": {"site"},
        "CKV_AWS_374": {"site"},
    },
    "bootstrap": {
        "CKV_AWS_144": {"state", "logs"},
        "CKV_AWS_145": {"logs"},
        "CKV2_AWS_62": {"state", "logs"},
        "CKV2_AWS_64": {"state", "ecr[0]"},
    },
}


def _checkov() -> str:
    beside = Path(__file__).resolve().parents[2] / ".venv-checkov" / "bin" / "checkov"
    configured = (
        os.environ.get("TRELLIS_CHECKOV")
        or shutil.which("checkov")
        or (str(beside) if beside.is_file() else None)
    )
    if not configured or not Path(configured).is_file():
        pytest.fail("checkov not found: run `make install` (TRELLIS_CHECKOV or PATH)")
    return configured


@pytest.fixture(scope="module")
def checkov_failures(example_stacks: list[Path]) -> dict[str, dict[str, set[str]]]:
    """Failed checks per example stack: {stack key: {check id: {resource names}}}."""
    checkov = _checkov()
    failures: dict[str, dict[str, set[str]]] = {}
    for stack in example_stacks:
        if f"{stack.parent.name}/{stack.name}" not in STACKS:
            continue
        result = subprocess.run(
            [
                checkov,
                "-d",
                str(stack),
                "--framework",
                "terraform",
                "--quiet",
                "--compact",
                "--skip-download",
                "-o",
                "json",
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
        )
        report = json.loads(result.stdout)
        reports = report if isinstance(report, list) else [report]
        found: dict[str, set[str]] = {}
        for entry in reports:
            assert entry["summary"]["parsing_errors"] == 0, stack
            for failed in entry["results"]["failed_checks"]:
                name = failed["resource"].rsplit(".", 1)[-1]
                found.setdefault(failed["check_id"], set()).add(name)
        failures[f"{stack.parent.name}/{stack.name}"] = found
    return failures


@pytest.mark.slow
@pytest.mark.parametrize("stack", STACKS)
def test_only_reviewed_checks_fail(
    checkov_failures: dict[str, dict[str, set[str]]], stack: str
) -> None:
    """checkov fails exactly the accepted checks on exactly the expected resources."""
    expected = EXPECTED[stack.split("/")[1]]
    assert checkov_failures[stack] == expected
    assert set(expected) <= set(ACCEPTED)
