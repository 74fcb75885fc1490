"""The call recorder: operation → IAM action, parameters → ARN, and the pytest plugin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.check.iam.catalogue import bundled_catalogue
from generator.iam.model import resource_matches_format
from tests.plugins.aws_calls import ACTION_FOR_OPERATION, iam_action, resource_arns

REPO = Path(__file__).parents[2]
WHERE = {"partition": "aws", "region": "ap-southeast-1", "account": "111111111111"}


@pytest.mark.parametrize(
    ("service", "operation", "params", "action"),
    [
        ("sqs", "SendMessageBatch", {}, "sqs:SendMessage"),
        ("sqs", "SendMessage", {}, "sqs:SendMessage"),
        ("s3", "HeadObject", {}, "s3:GetObject"),
        ("s3", "GetObject", {"VersionId": "v1"}, "s3:GetObjectVersion"),
        ("ssm", "GetParameters", {}, "ssm:GetParameters"),
        ("dynamodb", "BatchGetItem", {}, "dynamodb:BatchGetItem"),
    ],
)
def test_iam_action(service: str, operation: str, params: dict[str, str], action: str) -> None:
    """Operations map to the IAM action that authorises them."""
    assert iam_action(service, service, operation, params) == action


def test_every_mapped_action_exists() -> None:
    """Every action in the operation mapping is in the IAM catalogue."""
    catalogue = bundled_catalogue()
    assert all(catalogue.lookup(action) for action in ACTION_FOR_OPERATION.values())


@pytest.mark.parametrize(
    ("service", "params", "arns"),
    [
        (
            "sqs",
            {"QueueUrl": "http://127.0.0.1:5000/222222222222/q"},
            ("arn:aws:sqs:ap-southeast-1:222222222222:q",),
        ),
        (
            "dynamodb",
            {"RequestItems": {"b": {}, "a": {}}},
            (
                "arn:aws:dynamodb:ap-southeast-1:111111111111:table/a",
                "arn:aws:dynamodb:ap-southeast-1:111111111111:table/b",
            ),
        ),
        ("s3", {"Bucket": "bk", "Key": "raw/o.json"}, ("arn:aws:s3:::bk/raw/o.json",)),
        ("s3", {"Bucket": "bk"}, ("arn:aws:s3:::bk",)),
        ("ssm", {"Name": "/a/b"}, ("arn:aws:ssm:ap-southeast-1:111111111111:parameter/a/b",)),
        (
            "ssm",
            {"Names": ["/a", "b"]},
            (
                "arn:aws:ssm:ap-southeast-1:111111111111:parameter/a",
                "arn:aws:ssm:ap-southeast-1:111111111111:parameter/b",
            ),
        ),
        ("sts", {}, ()),
    ],
)
def test_resource_arns(service: str, params: dict[str, object], arns: tuple[str, ...]) -> None:
    """Parameters become the ARNs IAM evaluates; unknown shapes give none."""
    assert resource_arns(service, params, **WHERE) == arns


@pytest.mark.parametrize(
    ("resource", "arn_format", "matches"),
    [
        ("arn:aws:s3:::b/p/*", "arn:${Partition}:s3:::${BucketName}/${ObjectName}", True),
        ("arn:aws:s3:::b", "arn:${Partition}:s3:::${BucketName}/${ObjectName}", False),
        ("arn:aws:s3:::b/p/*", "arn:${Partition}:s3:::${BucketName}", False),
        (
            "arn:aws:logs:r:1:log-group:/aws/lambda/f:*",
            "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:"
            "${LogStreamName}",
            True,
        ),
        (
            "arn:aws:dynamodb:r:1:table/t/index/i",
            "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}",
            False,
        ),
        (
            "arn:aws:ssm:r:1:parameter//a",
            "arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}",
            False,
        ),
        ("*", "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}", True),
    ],
)
def test_resource_matches_format(resource: str, arn_format: str, matches: bool) -> None:
    """A resource matches a type when some ARN satisfies both patterns."""
    assert resource_matches_format(resource, arn_format) is matches


SUITE = """
import boto3, pytest
from moto.server import ThreadedMotoServer

@pytest.fixture(scope="module")
def endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()

@pytest.mark.aws_function("demo.sender")
def test_send(endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    sqs = boto3.client("sqs", region_name="eu-west-1", endpoint_url=endpoint)
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "x"}])
"""


def test_plugin_records_marked_tests_to_a_file(tmp_path: Path) -> None:
    """With -p tests.plugins.aws_calls, a marked test's calls land in --aws-calls-out."""
    (tmp_path / "test_suite.py").write_text(SUITE)
    out = tmp_path / "calls.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.plugins.aws_calls",
            f"--aws-calls-out={out}",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "test_suite.py"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    calls = json.loads(out.read_text())
    assert [(c["function"], c["action"], c["resource"]) for c in calls] == [
        ("demo.sender", "sqs:CreateQueue", "arn:aws:sqs:eu-west-1:123456789012:q"),
        ("demo.sender", "sqs:SendMessage", "arn:aws:sqs:eu-west-1:123456789012:q"),
    ]
