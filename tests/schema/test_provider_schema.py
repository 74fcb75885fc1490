"""The provider-schema validator over a rendered tree: seeded defects found, correct HCL quiet."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from generator.check.context import CheckContext, StackRef
from generator.check.provider_schema import VALIDATOR, check_text, run
from generator.check.sources import SourceFiles
from generator.policy.findings import Severity

STACKS = Path(__file__).parent / "fixtures" / "stacks"

MODULE_TF = """\
resource "aws_sqs_queue" "this" {
  name                       = var.name
  visibility_timeout_seconds = var.timeout * 6
  sqs_managed_sse_enabled    = true
}

resource "aws_sqs_queue_redrive_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  redrive_policy = jsonencode({
    deadLetterTargetArn = var.dlq_arn
    maxReceiveCount     = 5
  })
}
"""


def _context(tmp_path: Path) -> CheckContext:
    build = tmp_path / "build"
    stacks = []
    for env, name, fixture in (("dev", "orders", "correct.tf"), ("dev", "broken", "defects.tf")):
        stack_dir = build / env / name
        stack_dir.mkdir(parents=True)
        shutil.copy(STACKS / fixture, stack_dir / "main.tf")
        stacks.append(StackRef(env=env, name=name, path=stack_dir))
    module = build / "modules" / "queue"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(MODULE_TF)
    return CheckContext(
        repo_root=tmp_path,
        build_dir=build,
        stacks=tuple(stacks),
        policy_dirs=(),
        cache_dir=tmp_path / "cache",
    )


def test_seeded_defects_are_found_with_file_line_and_address(tmp_path: Path) -> None:
    """Each seeded defect is reported once, at its file and line, with its address."""
    findings = run(_context(tmp_path))
    got = {(f.check_id, f.file, f.line, f.resource, f.stack) for f in findings}
    broken = "dev/broken/main.tf"
    assert got == {
        ("TRL_SCHEMA_UNKNOWN_ARG", broken, 3, "aws_s3_bucket.typo_arg", "dev/broken"),
        (
            "TRL_SCHEMA_MISSING_REQUIRED",
            broken,
            6,
            "aws_s3_bucket_versioning.missing_required",
            "dev/broken",
        ),
        ("TRL_SCHEMA_UNKNOWN_BLOCK", broken, 16, "aws_lambda_function.typo_block", "dev/broken"),
        (
            "TRL_SCHEMA_TOO_MANY_BLOCKS",
            broken,
            29,
            "aws_lambda_function.two_single_blocks",
            "dev/broken",
        ),
        ("TRL_SCHEMA_TYPE", broken, 36, "aws_sqs_queue.wrong_type", "dev/broken"),
        ("TRL_SCHEMA_COMPUTED_ONLY", broken, 41, "aws_sqs_queue.computed_only", "dev/broken"),
        ("TRL_SCHEMA_UNKNOWN_TYPE", broken, 44, "aws_s3_buckets.unknown_type", "dev/broken"),
    }
    assert all(f.severity is Severity.ERROR and f.validator == VALIDATOR for f in findings)


def test_fixes_suggest_the_near_miss(tmp_path: Path) -> None:
    """Typos get a difflib "did you mean" in the fix; messages name type and field."""
    by_id = {f.check_id: f for f in run(_context(tmp_path))}
    assert 'did you mean "force_destroy"' in by_id["TRL_SCHEMA_UNKNOWN_ARG"].fix
    assert 'did you mean "logging_config"' in by_id["TRL_SCHEMA_UNKNOWN_BLOCK"].fix
    assert 'did you mean "aws_s3_bucket"' in by_id["TRL_SCHEMA_UNKNOWN_TYPE"].fix
    assert '"bucket"' in by_id["TRL_SCHEMA_MISSING_REQUIRED"].message
    assert "expected number" in by_id["TRL_SCHEMA_TYPE"].message
    assert "six minutes" in by_id["TRL_SCHEMA_TYPE"].message


def test_correct_stack_and_module_are_quiet(tmp_path: Path) -> None:
    """The realistic stack (S3, SQS, Lambda, DynamoDB, KMS, alarms, scheduler, CloudFront...) and
    the module raise nothing."""
    findings = run(_context(tmp_path))
    assert [f for f in findings if f.file != "dev/broken/main.tf"] == []


def test_module_findings_have_no_stack(tmp_path: Path) -> None:
    """A defect in build/modules is reported against the module file with no stack."""
    context = _context(tmp_path)
    (context.build_dir / "modules" / "queue" / "extra.tf").write_text(
        'resource "aws_sqs_queue" "x" {\n  fifo_queue = "maybe"\n}\n'
    )
    module_findings = [f for f in run(context) if f.file and f.file.startswith("modules/")]
    assert [(f.check_id, f.file, f.line, f.stack) for f in module_findings] == [
        ("TRL_SCHEMA_TYPE", "modules/queue/extra.tf", 2, None)
    ]


CASES = [
    pytest.param(
        """resource "aws_cloudfront_distribution" "d" {
  enabled = true
  default_cache_behavior {
    allowed_methods        = ["GET"]
    cached_methods         = ["GET"]
    target_origin_id       = "s3"
    viewer_protocol_policy = "allow-all"
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    cloudfront_default_certificate = true
  }
  dynamic "origin" {
    for_each = var.origins
    content {
      domain_name = origin.value
      origin_id   = origin.key
      orign_path  = "/x"
    }
  }
}
""",
        {("TRL_SCHEMA_UNKNOWN_ARG", 22)},
        id="typo-inside-dynamic-content",
    ),
    pytest.param(
        """resource "aws_s3_bucket_versioning" "v" {
  for_each = toset(var.buckets)
  bucket   = each.value
  provider = aws.replica
  dynamic "versioning_configuration" {
    for_each = [1]
    content {
      status = "Enabled"
    }
  }
  lifecycle {
    create_before_destroy = true
  }
}
""",
        set(),
        id="required-block-from-dynamic-and-meta-arguments",
    ),
    pytest.param(
        """resource "aws_s3_bucket_versioning" "v" {
  bucket = "b"
  versioning_configuration = { status = "Enabled" }
}
""",
        {("TRL_SCHEMA_BLOCK_AS_ARG", 3), ("TRL_SCHEMA_MISSING_REQUIRED", 1)},
        id="block-written-as-argument",
    ),
    pytest.param(
        """resource "aws_s3_bucket" "b" {
  tags {
    team = "x"
  }
}
""",
        {("TRL_SCHEMA_ARG_AS_BLOCK", 2)},
        id="argument-written-as-block",
    ),
    pytest.param(
        """resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = var.role
  timeout       = "30"
  memory_size   = var.memory
  publish       = "true"
  description   = 42
  architectures = "arm64"
}
""",
        {("TRL_SCHEMA_TYPE", 8)},
        id="only-literals-that-cannot-convert",
    ),
    pytest.param(
        """resource "aws_lambda_event_source_mapping" "m" {
  function_name    = "f"
  event_source_arn = "arn"
  batch_size       = [10]
  scaling_config {
    maximum_concurrency = "lots"
  }
}
""",
        {("TRL_SCHEMA_TYPE", 4), ("TRL_SCHEMA_TYPE", 6)},
        id="list-for-number-and-nested-block-literal",
    ),
    pytest.param(
        """data "aws_iam_policy_documents" "p" {
}

resource "random_id" "r" {
  byte_lenght = 4
}

resource "terraform_data" "t" {
  input = 1
}
""",
        {("TRL_SCHEMA_UNKNOWN_TYPE", 1)},
        id="unknown-data-source-other-providers-ignored",
    ),
    pytest.param(
        """data "aws_iam_policy_document" "p" {
  statement {
    actions = ["s3:GetObject"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
    }
  }
}
""",
        {("TRL_SCHEMA_MISSING_REQUIRED", 8)},
        id="missing-required-argument-in-nested-block",
    ),
    pytest.param(
        'resource "aws_s3_bucket" "b" {\n  bucket = \n', set(), id="unparsable-file-skipped"
    ),
    pytest.param(
        """resource "aws_sqs_queue" "q" {
  arn = null
  url = var.url
}
""",
        {("TRL_SCHEMA_COMPUTED_ONLY", 3)},
        id="computed-only-null-is-unset-expression-is-not",
    ),
    pytest.param(
        'module "queue" {\n  source = "../../modules/queue"\n  name   = "q"\n}\n',
        set(),
        id="module-calls-only",
    ),
    pytest.param(
        "resource aws_s3_bucket b {\n  bucket_prefix = 1\n  acl_typo = 2\n}\n",
        {("TRL_SCHEMA_UNKNOWN_ARG", 3)},
        id="unquoted-labels",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_table(text: str, expected: set[tuple[str, int]]) -> None:
    """Each snippet yields exactly the expected (check id, line) pairs."""
    findings = check_text(text, "dev/x/main.tf", "dev/x")
    assert {(f.check_id, f.line) for f in findings} == expected


def test_results_are_cached_by_content(tmp_path: Path) -> None:
    """A second run reads stored results instead of parsing; a corrupt entry is redone."""
    context = _context(tmp_path)
    first = run(context)
    entries = sorted((context.cache_dir / "tf-files").rglob("*.json"))
    assert len(entries) == 3  # correct.tf, defects.tf, the module's main.tf
    marker = {
        "check_id": "TRL_SCHEMA_FROM_CACHE",
        "line": 1,
        "message": "m",
        "fix": "f",
        "resource": "aws_x.y",
    }
    quiet = next(e for e in entries if json.loads(e.read_text())[VALIDATOR]["result"] == [])
    entry = json.loads(quiet.read_text())
    entry[VALIDATOR]["result"] = [marker]
    quiet.write_text(json.dumps(entry))
    again = dataclasses.replace(context, sources=SourceFiles())
    assert "TRL_SCHEMA_FROM_CACHE" in {f.check_id for f in run(again)}
    assert again.sources.parses == 0
    quiet.write_text("{not json")
    assert run(dataclasses.replace(context, sources=SourceFiles())) == first
    assert json.loads(quiet.read_text())[VALIDATOR]["result"] == []


def test_identical_files_in_two_stacks_are_both_reported(tmp_path: Path) -> None:
    """The same content in two stacks is parsed once but reported for each file."""
    context = _context(tmp_path)
    twin = context.build_dir / "prod" / "broken"
    twin.mkdir(parents=True)
    shutil.copy(STACKS / "defects.tf", twin / "main.tf")
    stacks = (*context.stacks, StackRef(env="prod", name="broken", path=twin))
    findings = run(
        CheckContext(
            repo_root=context.repo_root,
            build_dir=context.build_dir,
            stacks=stacks,
            policy_dirs=(),
            cache_dir=context.cache_dir,
        )
    )
    per_stack = {(f.stack, f.check_id) for f in findings if f.stack}
    assert ("prod/broken", "TRL_SCHEMA_UNKNOWN_TYPE") in per_stack
    assert ("dev/broken", "TRL_SCHEMA_UNKNOWN_TYPE") in per_stack
