"""Seeded defects in rendered Terraform: each caught by offline validate with file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.offline_provider.runner import validate_stack
from generator.offline_provider.session import OfflineSession
from generator.policy.findings import Severity
from tests.offline_provider.conftest import write_tree


@dataclass(frozen=True)
class Defect:
    """One patch to a valid tree and the finding it must produce."""

    name: str
    file: str
    old: str
    new: str
    summary: str
    marker: str  # text on the line the finding must point at (in the patched file)
    stack: str = "dev/orders"
    line_offset: int = 0  # the finding's line relative to the marker's line


DEFECTS = [
    Defect(
        "unknown attribute",
        "modules/queue/main.tf",
        "  sqs_managed_sse_enabled    = true\n",
        "  sqs_managed_sse_enabled    = true\n  visibility_timeout         = 30\n",
        "Unsupported argument",
        "visibility_timeout         = 30",
    ),
    Defect(
        "missing required argument",
        "modules/function/main.tf",
        "  role             = aws_iam_role.this.arn\n",
        "",
        "Missing required argument",
        'resource "aws_lambda_function" "this"',
    ),
    Defect(
        "undeclared variable",
        "dev/orders/main.tf",
        "batch_size              = 10",
        "batch_size              = var.batch_size",
        "Reference to undeclared input variable",
        "var.batch_size",
    ),
    Defect(
        "wrong module input",
        "dev/orders/main.tf",
        '  name = "${local.name}-dedup"\n',
        '  name = "${local.name}-dedup"\n  billing = "PROVISIONED"\n',
        "Unsupported argument",
        'billing = "PROVISIONED"',
    ),
    Defect(
        "missing module input",
        "dev/orders/main.tf",
        '  handler         = "orders.consumer.handler"\n',
        "",
        "Missing required argument",
        'module "consumer"',
    ),
    Defect(
        "wrong module output",
        "dev/orders/main.tf",
        "module.queue.queue_arn",
        "module.queue.queue_arm",
        "Unsupported attribute",
        "module.queue.queue_arm",
    ),
    Defect(
        "type mismatch",
        "modules/table/main.tf",
        'billing_mode = "PAY_PER_REQUEST"',
        'billing_mode = ["PAY_PER_REQUEST"]',
        "Incorrect attribute value type",
        'billing_mode = ["PAY_PER_REQUEST"]',
    ),
    Defect(
        "too many single blocks",
        "modules/function/main.tf",
        '  tracing_config {\n    mode = "Active"\n  }\n',
        '  tracing_config {\n    mode = "Active"\n  }\n\n'
        '  tracing_config {\n    mode = "PassThrough"\n  }\n',
        "Too many tracing_config blocks",
        'mode = "PassThrough"',
        line_offset=-1,
    ),
    Defect(
        "unknown nested block",
        "modules/table/main.tf",
        "  server_side_encryption {\n",
        "  backup_plan {\n    enabled = true\n  }\n\n  server_side_encryption {\n",
        "Unsupported block type",
        "backup_plan {",
    ),
    Defect(
        "unknown resource type",
        "dev/orders/main.tf",
        'data "aws_region" "current" {}\n',
        'data "aws_region" "current" {}\n\nresource "aws_sqs_queue_fifo" "extra" {\n'
        '  name = "extra.fifo"\n}\n',
        "Invalid resource type",
        'resource "aws_sqs_queue_fifo" "extra"',
    ),
    Defect(
        "computed-only attribute set",
        "modules/queue/main.tf",
        "  message_retention_seconds = 1209600\n",
        "  message_retention_seconds = 1209600\n"
        '  url                       = "https://sqs.example/dlq"\n',
        "Computed attribute cannot be set",
        'url                       = "https://sqs.example/dlq"',
    ),
]


def _line_of(text: str, marker: str) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if marker in line]
    assert len(lines) == 1, f"marker {marker!r} must occur once"
    return lines[0]


@pytest.mark.parametrize("defect", DEFECTS, ids=[d.name for d in DEFECTS])
def test_seeded_defect_is_reported_with_file_and_line(
    defect: Defect, session: OfflineSession, tmp_path: Path
) -> None:
    """Each seeded defect yields an error finding at the defect's file and line."""
    tree = write_tree(tmp_path / "build")
    target = tree / defect.file
    original = target.read_text()
    assert defect.old in original, "the patch must apply to the valid tree"
    patched = original.replace(defect.old, defect.new, 1)
    target.write_text(patched)

    findings = validate_stack(tree / defect.stack, session=session, build_dir=tree)

    errors = [f for f in findings if f.severity is Severity.ERROR]
    matching = [f for f in errors if f.message.startswith(defect.summary)]
    assert matching, f"expected {defect.summary!r}, got {[f.message for f in errors]}"
    finding = matching[0]
    assert finding.file == defect.file
    assert finding.line == _line_of(patched, defect.marker) + defect.line_offset
    assert finding.stack == defect.stack
    assert finding.validator == "terraform_validate"


def test_valid_stacks_have_no_findings(session: OfflineSession, build_tree: Path) -> None:
    """The unpatched stacks validate clean: no errors and no warnings."""
    for stack in ("dev/orders", "prd/orders", "dev/policies"):
        assert validate_stack(build_tree / stack, session=session, build_dir=build_tree) == []
