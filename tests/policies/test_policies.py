"""Each CKV_TRL_ policy passes and fails exactly the resources its folder says.

Every folder ``tests/policies/<CHECK_ID>/`` holds resources named ``pass_*`` / ``fail_*``
(and, for CKV_TRL_1, one module called twice). Assertions are on the check's subject
resource type; YAML connection checks also report the connected resources, which checkov
does by design.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

EXPECTED: dict[str, tuple[str, set[str], set[str]]] = {
    "CKV_TRL_1": (
        "aws_lambda_function",
        {
            "aws_lambda_function.pass_dlq",
            "aws_lambda_function.pass_destination",
            "aws_lambda_function.pass_sqs_redrive",
            "module.second.aws_lambda_function.this",
        },
        {
            "aws_lambda_function.fail_nothing",
            "aws_lambda_function.fail_config_without_destination",
            "aws_lambda_function.fail_sqs_no_redrive",
            "module.first.aws_lambda_function.this",
        },
    ),
    "CKV_TRL_2": (
        "aws_lambda_event_source_mapping",
        {
            "aws_lambda_event_source_mapping.pass_reports_failures",
            "aws_lambda_event_source_mapping.pass_not_sqs",
        },
        {
            "aws_lambda_event_source_mapping.fail_reference",
            "aws_lambda_event_source_mapping.fail_literal_arn",
        },
    ),
    "CKV_TRL_3": (
        "aws_sqs_queue",
        {"aws_sqs_queue.pass_six_times", "aws_sqs_queue.pass_defaults"},
        {"aws_sqs_queue.fail_too_short", "aws_sqs_queue.fail_default_visibility"},
    ),
    "CKV_TRL_4": (
        "aws_cloudwatch_log_group",
        {"aws_cloudwatch_log_group.pass_retention_and_key"},
        {
            "aws_cloudwatch_log_group.fail_no_retention",
            "aws_cloudwatch_log_group.fail_never_expires",
            "aws_cloudwatch_log_group.fail_no_key",
        },
    ),
    "CKV_TRL_5": (
        "aws_lambda_function",
        {"aws_lambda_function.pass_json_info"},
        {
            "aws_lambda_function.fail_text",
            "aws_lambda_function.fail_json_without_level",
            "aws_lambda_function.fail_no_logging_config",
        },
    ),
    "CKV_TRL_6": (
        "aws_s3_bucket",
        {"aws_s3_bucket.pass_backup"},
        {
            "aws_s3_bucket.fail_unversioned",
            "aws_s3_bucket.fail_suspended",
            "aws_s3_bucket.fail_no_expiration",
        },
    ),
    "CKV_TRL_7": (
        "aws_dynamodb_table",
        {"aws_dynamodb_table.pass_dev_no_approval", "aws_dynamodb_table.pass_prd_protected"},
        {
            "aws_dynamodb_table.fail_no_pitr",
            "aws_dynamodb_table.fail_prd_unprotected",
            "aws_dynamodb_table.fail_untagged_unprotected",
        },
    ),
    "CKV_TRL_8": (
        "aws",
        {"aws.default"},
        {"aws.missing_env", "aws.no_default_tags", "aws.empty_team"},
    ),
    "CKV_TRL_9": (
        "aws_lambda_function_event_invoke_config",
        {
            "aws_lambda_function_event_invoke_config.pass_one_retry_capped_age",
            "aws_lambda_function_event_invoke_config.pass_no_retry",
        },
        {
            "aws_lambda_function_event_invoke_config.fail_default_retries",
            "aws_lambda_function_event_invoke_config.fail_two_retries",
            "aws_lambda_function_event_invoke_config.fail_default_age",
        },
    ),
    "CKV_TRL_10": (
        "aws_cloudfront_distribution",
        {
            "aws_cloudfront_distribution.pass_function_rewrite",
            "aws_cloudfront_distribution.pass_error_page_keeps_status",
        },
        {
            "aws_cloudfront_distribution.fail_errors_become_index",
            "aws_cloudfront_distribution.fail_dynamic_rewrite",
        },
    ),
    "CKV_TRL_11": (
        "aws_lambda_function",
        {"aws_lambda_function.pass_lambda_key"},
        {"aws_lambda_function.fail_customer_key"},
    ),
    "CKV_TRL_13": (
        "aws_scheduler_schedule",
        {"aws_scheduler_schedule.pass_capped_function"},
        {"aws_scheduler_schedule.fail_lambda_defaults"},
    ),
    "CKV_TRL_12": (
        "aws_sqs_queue",
        {"aws_sqs_queue.pass_records_only"},
        {
            "aws_sqs_queue.fail_shared_with_function",
            "aws_sqs_queue.fail_shared_with_schedule",
        },
    ),
}


def _type_of(address: str) -> str:
    parts = address.split(".")
    while len(parts) > 2 and parts[0] == "module":
        parts = parts[2:]
    return parts[0]


def test_every_policy_has_a_test_folder_and_expectations() -> None:
    """Each CKV_TRL_ id declared in policies/checkov has a folder here and an entry above."""
    policies = Path(__file__).parents[2] / "policies" / "checkov"
    declared = set()
    for path in policies.iterdir():
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        for token in text.replace('"', " ").replace("'", " ").split():
            if token.startswith("CKV_TRL_") and token[8:].isdigit():
                declared.add(token)
    folders = {p.name for p in Path(__file__).parent.iterdir() if p.name.startswith("CKV_TRL_")}
    assert declared == folders == set(EXPECTED)


@pytest.mark.parametrize("check_id", sorted(EXPECTED))
def test_policy_passes_and_fails_exactly_its_resources(
    check_id: str, policy_results: list[dict[str, Any]]
) -> None:
    """The check's pass and fail sets in its own folder are exactly the expected addresses."""
    subject, want_passed, want_failed = EXPECTED[check_id]
    mine = [
        r
        for r in policy_results
        if r["check_id"] == check_id
        and r["folder"] == check_id
        and _type_of(r["resource"]) == subject
    ]
    passed = {r["resource"] for r in mine if r["outcome"] == "passed"}
    failed = {r["resource"] for r in mine if r["outcome"] == "failed"}
    assert (passed, failed) == (want_passed, want_failed)
