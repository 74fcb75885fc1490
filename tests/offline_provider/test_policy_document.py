"""aws_iam_policy_document computed offline, laid out exactly as the real provider does.

Expected documents are the outputs printed in the provider's documentation for the same
configurations, with one documented correction: since provider v5.0.0 (pull request
28539, "Omit Sid in aws_iam_policy_document data source when empty") a statement without
a ``sid`` has no ``"Sid": ""`` key; the documentation pages still show the old key.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest

from generator.offline_provider.iam_policy_document import PolicyDocumentError, render
from generator.offline_provider.runner import plan_stack
from generator.offline_provider.session import OfflineSession

DOCUMENTED_MULTIPLE_CONDITION_KEYS = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "kms:GenerateDataKey",
        "kms:Decrypt"
      ],
      "Resource": "*",
      "Condition": {
        "ForAnyValue:StringEquals": {
          "kms:EncryptionContext:aws:pi:service": "rds",
          "kms:EncryptionContext:service": "pi"
        }
      }
    }
  ]
}"""

DOCUMENTED_SOURCE_EXAMPLE = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:*",
      "Resource": "*"
    },
    {
      "Sid": "SidToOverride",
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": [
        "arn:aws:s3:::somebucket/*",
        "arn:aws:s3:::somebucket"
      ]
    }
  ]
}"""

DOCUMENTED_OVERRIDE_EXAMPLE = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:*",
      "Resource": "*"
    },
    {
      "Sid": "SidToOverride",
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "*"
    }
  ]
}"""

# Several statements, conditions and principals: statement keys in the provider's order
# (Sid, Effect, Action, NotAction, Resource, NotResource, Principal, NotPrincipal,
# Condition), lists sorted descending, single values collapsed to strings, principal types
# and condition operators and keys sorted, condition values in configuration order,
# "*"/"*" as the bare "*", &{...} as ${...}, <, > and & escaped as Go's encoder does.
QUEUE_ACCESS = """{
  "Version": "2012-10-17",
  "Id": "QueueAccess",
  "Statement": [
    {
      "Sid": "ProducersSend",
      "Effect": "Allow",
      "Action": [
        "sqs:SendMessage",
        "sqs:GetQueueUrl",
        "sqs:GetQueueAttributes"
      ],
      "Resource": "arn:aws:sqs:ap-southeast-1:111122223333:orders-intake",
      "Principal": {
        "AWS": [
          "arn:aws:iam::111122223333:role/orders-batch",
          "arn:aws:iam::111122223333:role/orders-api"
        ],
        "Service": "sns.amazonaws.com"
      },
      "Condition": {
        "ArnLike": {
          "aws:SourceArn": "arn:aws:sns:ap-southeast-1:111122223333:orders-*"
        },
        "StringEquals": {
          "aws:SourceAccount": "111122223333"
        }
      }
    },
    {
      "Sid": "DenyInsecureTransport",
      "Effect": "Deny",
      "Action": "sqs:*",
      "Resource": "arn:aws:sqs:ap-southeast-1:111122223333:orders-intake",
      "Principal": "*",
      "Condition": {
        "Bool": {
          "aws:SecureTransport": "false"
        }
      }
    },
    {
      "Sid": "NoOneElse",
      "Effect": "Deny",
      "NotAction": [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage"
      ],
      "NotResource": "arn:aws:sqs:ap-southeast-1:111122223333:orders-intake",
      "NotPrincipal": {
        "AWS": "arn:aws:iam::111122223333:root"
      },
      "Condition": {
        "StringLike": {
          "aws:PrincipalTag/team": [
            "orders",
            "payments",
            "\\u003cops \\u0026 support\\u003e"
          ]
        },
        "StringNotEquals": {
          "aws:userid": "${aws:username}"
        }
      }
    }
  ]
}"""


@pytest.fixture(scope="module")
def outputs(
    session: OfflineSession, build_tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """The outputs of the dev/policies stack, planned through Terraform."""
    written = plan_stack(
        build_tree / "dev/policies",
        tmp_path_factory.mktemp("policies"),
        session=session,
        build_dir=build_tree,
    )
    planned = json.loads(written.read_text())["planned_values"]["outputs"]
    return {name: output["value"] for name, output in planned.items()}


def test_documented_multiple_condition_keys_layout(outputs: dict[str, Any]) -> None:
    """Two condition keys under one operator render as the documentation shows."""
    assert outputs["multiple_condition_keys"] == DOCUMENTED_MULTIPLE_CONDITION_KEYS


def test_documented_source_document_layout(outputs: dict[str, Any]) -> None:
    """source_policy_documents merge with Sid override as documented."""
    assert outputs["source_document_example"] == DOCUMENTED_SOURCE_EXAMPLE


def test_documented_override_document_layout(outputs: dict[str, Any]) -> None:
    """override_policy_documents replace the same Sid as documented."""
    assert outputs["override_policy_document_example"] == DOCUMENTED_OVERRIDE_EXAMPLE


def test_several_statements_conditions_and_principals(outputs: dict[str, Any]) -> None:
    """json, minified_json and id of a many-part policy match the provider's layout."""
    assert outputs["queue_access"] == QUEUE_ACCESS
    assert outputs["queue_access_minified"] == json.dumps(
        json.loads(QUEUE_ACCESS), separators=(",", ":")
    ).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    assert outputs["queue_access_id"] == str(zlib.crc32(QUEUE_ACCESS.encode()))


def test_duplicate_sid_is_refused() -> None:
    """Two statements with one Sid fail like the provider does."""
    config = {
        "statement": [
            {"sid": "A", "actions": ["s3:GetObject"]},
            {"sid": "A", "actions": ["s3:PutObject"]},
        ]
    }
    with pytest.raises(PolicyDocumentError, match="duplicate Sid"):
        render(config)


def test_policy_variables_need_the_2012_version() -> None:
    """&{...} in a 2008-10-17 document is refused."""
    config = {
        "version": "2008-10-17",
        "statement": [
            {"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::b/&{aws:username}"]}
        ],
    }
    with pytest.raises(PolicyDocumentError, match="2008-10-17"):
        render(config)


def test_same_principal_type_in_two_blocks_appends_identifiers() -> None:
    """Two principals blocks of one type merge into one list under that type."""
    config = {
        "statement": [
            {
                "actions": ["sts:AssumeRole"],
                "principals": [
                    {"type": "AWS", "identifiers": ["arn:aws:iam::1:root"]},
                    {"type": "AWS", "identifiers": ["arn:aws:iam::2:root", "arn:aws:iam::3:root"]},
                ],
            }
        ]
    }
    document = json.loads(render(config)[0])
    assert document["Statement"][0]["Principal"] == {
        "AWS": ["arn:aws:iam::1:root", "arn:aws:iam::3:root", "arn:aws:iam::2:root"]
    }
