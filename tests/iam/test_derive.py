"""Derivation: exact grants per resource, stable layout, platform grants with reasons."""

from __future__ import annotations

import pytest

from generator.iam import (
    UnlistedWildcardError,
    WildcardAllowList,
    WiringError,
    derive_role,
    dumps,
    load_wildcard_allowlist,
)
from tests.iam.wirings import KEY, REGION, Cap, process_wiring, retrieve_wiring


def _by_sid(wiring_role: object) -> dict[str, dict[str, object]]:
    document = wiring_role.policy.to_json()  # type: ignore[attr-defined]
    return {s["Sid"]: s for s in document["Statement"]}


def test_process_policy_is_exactly_its_resources() -> None:
    """Process: consume only its queue, its table, objects under its prefix, KMS via service.

    S3 needs kms:GenerateDataKey for the backup store's PutObject (it reads nothing back);
    the function itself changes the visibility of the messages it failed.
    """
    statements = _by_sid(derive_role(process_wiring(), load_wildcard_allowlist()))
    assert sorted(statements) == [
        "BackupObjects",
        "KmsViaDynamodb",
        "KmsViaS3",
        "KmsViaSqs",
        "Logs",
        "Queue",
        "Table",
        "XrayAnyResource",
    ]
    assert statements["Queue"]["Action"] == [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
    ]
    assert statements["BackupObjects"]["Resource"] == ["arn:aws:s3:::orders-dev-backup/raw/*"]
    assert statements["Logs"]["Resource"] == [
        f"arn:aws:logs:{REGION}:111111111111:log-group:/aws/lambda/orders-dev-process:*"
    ]
    assert statements["KmsViaS3"] == {
        "Sid": "KmsViaS3",
        "Effect": "Allow",
        "Action": ["kms:GenerateDataKey"],
        "Resource": [KEY],
        "Condition": {"StringEquals": {"kms:ViaService": [f"s3.{REGION}.amazonaws.com"]}},
    }
    assert statements["XrayAnyResource"]["Resource"] == ["*"]


def test_retrieve_sends_only_and_reads_exact_parameter() -> None:
    """Retrieve: SendMessage (no consume) and the parameter ARN without a double slash."""
    statements = _by_sid(derive_role(retrieve_wiring(), load_wildcard_allowlist()))
    assert statements["Queue"]["Action"] == ["sqs:SendMessage"]
    assert statements["Parameters"]["Resource"] == [
        f"arn:aws:ssm:{REGION}:111111111111:parameter/commerce/orders/api-token"
    ]
    assert statements["KmsViaSqs"]["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert "Table" not in statements


def test_failed_scheduled_runs_may_be_sent_to_the_dead_letter_queue_only() -> None:
    """dead_letter_config: sqs:SendMessage on exactly the DLQ, and no grant without one."""
    statements = _by_sid(derive_role(retrieve_wiring(), load_wildcard_allowlist()))
    assert statements["DeadLetterQueue"]["Action"] == ["sqs:SendMessage"]
    assert statements["DeadLetterQueue"]["Resource"] == [
        f"arn:aws:sqs:{REGION}:111111111111:orders-dev-dlq"
    ]
    without = _by_sid(derive_role(retrieve_wiring(dead_letter=False), load_wildcard_allowlist()))
    assert "DeadLetterQueue" not in without


def test_without_customer_keys_there_is_no_kms_statement() -> None:
    """Resources on AWS owned/managed keys need no KMS grant in the function's policy."""
    statements = _by_sid(derive_role(process_wiring(kms=False), load_wildcard_allowlist()))
    assert not any(sid.startswith("Kms") for sid in statements)


def test_trust_and_boundary() -> None:
    """Trust is lambda.amazonaws.com with aws:SourceAccount; the boundary is carried."""
    boundary = "arn:aws:iam::111111111111:policy/workload-boundary"
    role = derive_role(retrieve_wiring(boundary=boundary), load_wildcard_allowlist())
    (statement,) = role.trust.to_json()["Statement"]  # type: ignore[index]
    assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ["111111111111"]}}
    assert role.to_json()["PermissionsBoundary"] == boundary


def test_output_is_byte_stable_and_order_independent() -> None:
    """The same wiring gives the same bytes, whatever order capabilities are declared in."""
    allowlist = load_wildcard_allowlist()
    first = process_wiring()
    reordered = process_wiring(capabilities=tuple(reversed(first.capabilities)))
    assert dumps(derive_role(first, allowlist).to_json()) == dumps(
        derive_role(reordered, allowlist).to_json()
    )


def test_unlisted_wildcard_is_refused() -> None:
    """Without X-Ray on the reviewed list, tracing cannot be granted on '*'."""
    with pytest.raises(UnlistedWildcardError, match="xray:PutTelemetryRecords"):
        derive_role(retrieve_wiring(), WildcardAllowList({}))


@pytest.mark.parametrize(
    ("capability", "message"),
    [
        (Cap("x", "queue", ("sqs:*",)), "without wildcards"),
        (Cap("x", "topic", ("sns:Publish",)), "unknown resource role"),
    ],
)
def test_inconsistent_wiring_is_an_internal_error(capability: Cap, message: str) -> None:
    """A wildcard action or an unknown resource role is refused."""
    with pytest.raises(WiringError, match=message):
        derive_role(retrieve_wiring(capabilities=(capability,)), load_wildcard_allowlist())


def test_hcl_blocks_carry_the_same_statements() -> None:
    """The renderer's statement blocks hold the same values as the JSON, conditions nested."""
    role = derive_role(retrieve_wiring(), load_wildcard_allowlist())
    blocks = {b["sid"]: b for b in (s.to_hcl_block() for s in role.statements)}
    assert blocks["KmsViaSqs"] == {
        "sid": "KmsViaSqs",
        "effect": "Allow",
        "actions": ["kms:Decrypt", "kms:GenerateDataKey"],
        "resources": [KEY],
        "condition": [
            {
                "test": "StringEquals",
                "variable": "kms:ViaService",
                "values": [f"sqs.{REGION}.amazonaws.com"],
            }
        ],
    }
    assert role.trust.to_hcl_block()["principals"] == [
        {"type": "Service", "identifiers": ["lambda.amazonaws.com"]}
    ]


def test_capability_on_an_unwired_role_grants_nothing() -> None:
    """A component not used in this configuration (no table wired) adds no statement."""
    capabilities = (*retrieve_wiring().capabilities, Cap("x", "table", ("dynamodb:PutItem",)))
    role = derive_role(retrieve_wiring(capabilities=capabilities), load_wildcard_allowlist())
    assert "Table" not in {s.sid for s in role.statements}
