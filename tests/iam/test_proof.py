"""The proof: the runtime's real handlers against moto server use exactly what is granted.

The retrieval and processing handlers of ``runtime.ingest`` run unmodified, configured by
environment variables as Lambda would configure them, against moto in server mode and a
local HTTP source. Every botocore call is recorded per function kind; the policies are
derived from the runtime's own ``CAPABILITIES``; then recorded ⊆ granted and
granted ⊆ recorded + declared platform are checked, and removing any single action from
either policy must break the proof.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from generator.check.iam.catalogue import bundled_catalogue
from generator.iam import DerivedRole, FunctionWiring, arns, derive_role, load_wildcard_allowlist
from tests.iam.conftest import RECORDS, TOKEN
from tests.iam.proof import prove
from tests.plugins.aws_calls import CallRecorder, RecordedCall

ACCOUNT = "123456789012"  # moto's default account
REGION = "ap-southeast-1"
QUEUE = "orders-dev"
TABLE = "orders-dev"
BUCKET = "orders-dev-backup"
PREFIX = "raw"
PARAMETER = "/commerce/orders/api-token"
KEY = arns.kms_key_arn("aws", REGION, ACCOUNT, "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0")
SHAPE = {
    "key": "order_id",
    "fields": {
        "order_id": "id",
        "status": "status",
        "total": "amount.total",
        "updated_at": "updated_at",
    },
    "ignore_for_change": ["updated_at"],
}


@dataclass(frozen=True)
class _LambdaContext:
    aws_request_id: str


@dataclass(frozen=True)
class Scenario:
    """What ran: the derived roles per function kind and every recorded call."""

    roles: dict[str, DerivedRole]
    calls: tuple[RecordedCall, ...]


def _common_env(function: str) -> dict[str, str]:
    return {
        "TRELLIS_BLUEPRINT": "orders",
        "TRELLIS_ENV": "dev",
        "TRELLIS_FUNCTION": function,
        "TRELLIS_LOG_LEVEL": "WARNING",
        "TRELLIS_RETRY": json.dumps({"max_attempts": 1, "base_delay_ms": 0, "max_delay_ms": 0}),
        "TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES": "3",
    }


def _wirings() -> tuple[FunctionWiring, FunctionWiring]:
    from runtime.ingest import process, retrieve

    queue = arns.queue_arn("aws", REGION, ACCOUNT, QUEUE)
    common: dict[str, Any] = {"account_id": ACCOUNT, "region": REGION}
    return (
        FunctionWiring(
            function_name="orders-dev-retrieve",
            kind="ingest.retrieve",
            role_name="orders-dev-retrieve",
            log_group_name="/aws/lambda/orders-dev-retrieve",
            capabilities=retrieve.CAPABILITIES,
            resources={
                "queue": (queue,),
                "parameter": (arns.parameter_arn("aws", REGION, ACCOUNT, PARAMETER),),
            },
            kms_keys={"queue": KEY, "parameter": KEY},
            **common,
        ),
        FunctionWiring(
            function_name="orders-dev-process",
            kind="ingest.process",
            role_name="orders-dev-process",
            log_group_name="/aws/lambda/orders-dev-process",
            capabilities=process.CAPABILITIES,
            resources={
                "queue": (queue,),
                "table": (arns.table_arn("aws", REGION, ACCOUNT, TABLE),),
                "backup_objects": (arns.object_prefix_arn("aws", BUCKET, PREFIX),),
            },
            event_source="queue",
            kms_keys={"queue": KEY, "table": KEY, "backup_objects": KEY},
            **common,
        ),
    )


def _lambda_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """An SQS message as the event source mapping hands it to the function."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {
            name: {"stringValue": value.get("StringValue"), "dataType": value["DataType"]}
            for name, value in (message.get("MessageAttributes") or {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


@pytest.fixture(scope="module")
def scenario(moto_endpoint: str, orders_source: str) -> Iterator[Scenario]:
    """Run retrieve, then two deliveries to process; record every AWS call."""
    from runtime.ingest import process, retrieve

    patch = pytest.MonkeyPatch()
    for name, value in {
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        patch.setenv(name, value)
    setup = boto3.session.Session(region_name=REGION)
    sqs = setup.client("sqs")
    queue_url = sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
    setup.client("dynamodb").create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "order_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "order_id", "AttributeType": "S"}],
    )
    s3 = setup.client("s3")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    setup.client("ssm").put_parameter(Name=PARAMETER, Value=TOKEN, Type="SecureString")

    retrieve_env = _common_env("retrieve") | {
        "TRELLIS_QUEUE_URL": queue_url,
        "TRELLIS_CONCURRENCY": "2",
        "TRELLIS_SOURCE": json.dumps(
            {
                "url": orders_source,
                "records_path": "data.items",
                "max_pages": 1,
                "auth": {"bearer_token_parameter": PARAMETER},
            }
        ),
    }
    process_env = _common_env("process") | {
        "TRELLIS_TABLE_NAME": TABLE,
        "TRELLIS_BACKUP_BUCKET": BUCKET,
        "TRELLIS_BACKUP_PREFIX": f"{PREFIX}/",
        "TRELLIS_SHAPE": json.dumps(SHAPE),
    }
    runtime_calls = CallRecorder(account=ACCOUNT, test="runtime handler")
    poller_calls = CallRecorder(account=ACCOUNT, test="event source poll (test)")
    try:
        for name, value in retrieve_env.items():
            patch.setenv(name, value)
        retrieve._wiring = None
        with runtime_calls.as_function("ingest.retrieve"):
            summary = retrieve.handler({}, _LambdaContext("0" * 32))
        assert summary["records_enqueued"] == len(RECORDS), summary

        queue_arn = arns.queue_arn("aws", REGION, ACCOUNT, QUEUE)
        for name, value in process_env.items():
            patch.setenv(name, value)
        process._wiring = None
        # Two deliveries of the same batch. Between them the first delivery's table items
        # are removed: that stands for an invocation that timed out after its backups and
        # before its table writes. The redelivery (ApproximateReceiveCount 2) then finds its
        # content-addressed backups already written (PutObject answers 412).
        for delivery in (1, 2):
            if delivery == 2:
                table = setup.client("dynamodb")
                for record in RECORDS:
                    table.delete_item(TableName=TABLE, Key={"order_id": {"S": record["id"]}})
            with poller_calls.as_function("ingest.process"):
                sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])
                received = sqs.receive_message(
                    QueueUrl=queue_url,
                    MaxNumberOfMessages=10,
                    AttributeNames=["All"],
                    MessageAttributeNames=["All"],
                    VisibilityTimeout=0,
                )["Messages"]
            assert len(received) == len(RECORDS)
            assert {m["Attributes"]["ApproximateReceiveCount"] for m in received} == {str(delivery)}
            event = {"Records": [_lambda_record(m, queue_arn) for m in received]}
            with runtime_calls.as_function("ingest.process"):
                response = process.handler(event, _LambdaContext(f"{delivery}" * 32))
            assert response == {"batchItemFailures": []}
        with poller_calls.as_function("ingest.process"):
            sqs.delete_message_batch(
                QueueUrl=queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                    for i, m in enumerate(received)
                ],
            )
        # A third delivery: the first record observed again, unchanged (its stored position
        # moves forward: UpdateItem), and a malformed message (made visible again at once:
        # ChangeMessageVisibility).
        newer = {"trellis": 1, "observed_at": int(time.time() * 1000), "record": RECORDS[0]}
        for body in (json.dumps(newer), "not json"):
            sqs.send_message(QueueUrl=queue_url, MessageBody=body)
        with poller_calls.as_function("ingest.process"):
            received = sqs.receive_message(
                QueueUrl=queue_url,
                MaxNumberOfMessages=10,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
                VisibilityTimeout=30,
            )["Messages"]
        event = {"Records": [_lambda_record(m, queue_arn) for m in received]}
        with runtime_calls.as_function("ingest.process"):
            response = process.handler(event, _LambdaContext("3" * 32))
        assert len(response["batchItemFailures"]) == 1
    finally:
        retrieve._wiring = None
        process._wiring = None
        patch.undo()
    allowlist = load_wildcard_allowlist()
    roles = {w.kind: derive_role(w, allowlist) for w in _wirings()}
    yield Scenario(roles, tuple(sorted(runtime_calls.calls + poller_calls.calls)))


KINDS = ["ingest.retrieve", "ingest.process"]


@pytest.mark.parametrize("kind", KINDS)
def test_policy_is_exactly_what_the_function_uses(scenario: Scenario, kind: str) -> None:
    """recorded ⊆ granted and granted ⊆ recorded + declared platform, with the table."""
    role = scenario.roles[kind]
    result = prove(role, role.policy.to_json(), scenario.calls)
    print(f"\n{result.table()}\n")
    assert result.denied == ()
    assert result.unexercised == ()
    assert any(row.exercised_by.startswith("recorded") for row in result.rows)


@pytest.mark.parametrize("kind", KINDS)
def test_removing_any_granted_action_breaks_the_proof(scenario: Scenario, kind: str) -> None:
    """Mutation check: dropping any one action from any statement makes the proof fail."""
    role = scenario.roles[kind]
    document = role.policy.to_json()
    statements: list[dict[str, Any]] = document["Statement"]  # type: ignore[assignment]
    survivors = []
    mutations = 0
    for index, statement in enumerate(statements):
        for action in statement["Action"]:
            mutated = json.loads(json.dumps(document))
            remaining = [a for a in statement["Action"] if a != action]
            if remaining:
                mutated["Statement"][index]["Action"] = remaining
            else:
                del mutated["Statement"][index]
            mutations += 1
            if prove(role, mutated, scenario.calls).ok:
                survivors.append(f"{statement['Sid']}: {action}")
    assert mutations >= 5
    assert survivors == []


@pytest.mark.parametrize("kind", KINDS)
def test_an_extra_grant_is_reported_as_unexercised(scenario: Scenario, kind: str) -> None:
    """A grant no test exercises and no platform capability declares fails the proof."""
    role = scenario.roles[kind]
    document = role.policy.to_json()
    document["Statement"].append(  # type: ignore[attr-defined]
        {
            "Sid": "Extra",
            "Effect": "Allow",
            "Action": ["sqs:PurgeQueue"],
            "Resource": [arns.queue_arn("aws", REGION, ACCOUNT, QUEUE)],
        }
    )
    result = prove(role, document, scenario.calls)
    assert result.unexercised == (
        f"{kind}: statement Extra grants sqs:PurgeQueue on "
        f"arn:aws:sqs:{REGION}:{ACCOUNT}:{QUEUE} but no test exercises it and no platform "
        "capability declares it",
    )


def test_recorded_calls_are_real_iam_actions_on_derived_arns(scenario: Scenario) -> None:
    """Every recorded call maps to a catalogue action and to an ARN built from its params."""
    catalogue = bundled_catalogue()
    assert scenario.calls
    for call in scenario.calls:
        assert catalogue.lookup(call.action) is not None, call
        assert call.derived, call


def test_each_function_touches_only_its_own_resources(scenario: Scenario) -> None:
    """retrieve never touches the table or bucket; process never reads the parameter."""
    by_kind: dict[str, set[str]] = {}
    for call in scenario.calls:
        by_kind.setdefault(call.function, set()).add(call.resource.split(":")[2])
    assert by_kind == {
        "ingest.retrieve": {"sqs", "ssm"},
        "ingest.process": {"sqs", "dynamodb", "s3"},
    }


def test_the_runtime_calls_no_ecr_so_image_functions_get_no_ecr_grant(scenario: Scenario) -> None:
    """No recorded call is ECR and no derived grant is: Lambda pulls a package: image
    function's image with its own service access (bootstrap's repository policy)."""
    assert not [c for c in scenario.calls if c.service == "ecr"]
    for role in scenario.roles.values():
        document: Any = role.policy.to_json()
        actions = {a for s in document["Statement"] for a in _actions(s)}
        assert not {a for a in actions if a.lower().startswith("ecr:")}, role.function_name


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement.get("Action", [])
    return [action] if isinstance(action, str) else list(action)
