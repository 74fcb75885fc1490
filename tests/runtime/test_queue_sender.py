"""The queue sender: batches of 10 within 256 KiB; failed entries retried or reported."""

from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse

from runtime.core.retry import Retrier
from runtime.core.settings import RetryPolicy
from runtime.ingest.queue_sender import MAX_BATCH_BYTES, QueueSender
from tests.runtime.faults import _Raw
from tests.runtime.support import create_pipeline, drain


class PartialFailures:
    """Answers the first SendMessageBatch calls itself with scripted per-entry failures."""

    def __init__(self, script: list[dict[str, tuple[bool, str]]]) -> None:
        self.script = script
        self.sent_ids: list[list[str]] = []

    def __call__(self, request: Any, **_: Any) -> AWSResponse | None:
        entries = json.loads(request.body)["Entries"]
        self.sent_ids.append([e["Id"] for e in entries])
        if not self.script:
            return None
        failures = self.script.pop(0)
        body = {
            "Successful": [
                {"Id": e["Id"], "MessageId": f"m-{e['Id']}", "MD5OfMessageBody": "x"}
                for e in entries
                if e["Id"] not in failures
            ],
            "Failed": [
                {"Id": i, "SenderFault": sender, "Code": code, "Message": "scripted"}
                for i, (sender, code) in failures.items()
                if any(e["Id"] == i for e in entries)
            ],
        }
        headers = {"Content-Type": "application/x-amz-json-1.0"}
        return AWSResponse(request.url, 200, headers, _Raw(json.dumps(body).encode()))


def sender_with(hook: PartialFailures | None, queue_url: str) -> QueueSender:
    """A sender whose client passes through ``hook``."""
    client = boto3.client("sqs")
    if hook is not None:
        client.meta.events.register("before-send.sqs.SendMessageBatch", hook)
    return QueueSender(client, queue_url, Retrier(RetryPolicy(3, 0, 0)))


def test_bodies_go_out_in_batches_of_ten_within_the_size_limit(moto_endpoint: str) -> None:
    """25 small bodies take 3 calls; bodies of 100 KiB go two per call."""
    pipeline = create_pipeline()
    hook = PartialFailures([])
    sender = sender_with(hook, pipeline.queue_url)
    assert sender.send([json.dumps({"n": n}) for n in range(25)], "c").sent == 25
    assert [len(ids) for ids in hook.sent_ids] == [10, 10, 5]
    hook.sent_ids.clear()
    big = "x" * (100 * 1024)
    assert sender.send([big] * 5, "c").sent == 5
    assert [len(ids) for ids in hook.sent_ids] == [2, 2, 1]
    assert len(drain(pipeline.queue_url)) == 30


def test_entries_failed_on_aws_side_are_resent_alone(moto_endpoint: str) -> None:
    """Only the entries that failed with SenderFault false are sent again, then succeed."""
    pipeline = create_pipeline()
    hook = PartialFailures([{"3": (False, "InternalError"), "7": (False, "ServiceUnavailable")}])
    result = sender_with(hook, pipeline.queue_url).send([str(n) for n in range(10)], "c")
    assert result.failed == []
    assert result.sent == 10
    assert hook.sent_ids == [[str(n) for n in range(10)], ["3", "7"]]


def test_sender_faults_and_oversized_bodies_are_reported_never_dropped(moto_endpoint: str) -> None:
    """A sender-fault entry and a body over 256 KiB come back as failures with reasons."""
    pipeline = create_pipeline()
    hook = PartialFailures([{"1": (True, "InvalidMessageContents")}])
    bodies = ["a", "b", "x" * (MAX_BATCH_BYTES + 1)]
    result = sender_with(hook, pipeline.queue_url).send(bodies, "c")
    assert result.sent == 1
    reasons = dict(result.failed)
    assert reasons[1].startswith("InvalidMessageContents")
    assert "exceeds the queue's" in reasons[2]


def test_entries_still_failing_after_retries_are_reported(moto_endpoint: str) -> None:
    """An entry that fails on every attempt is returned with the exhausted-retries reason."""
    pipeline = create_pipeline()
    hook = PartialFailures([{"0": (False, "InternalError")}] * 3)
    result = sender_with(hook, pipeline.queue_url).send(["a", "b"], "c")
    assert result.sent == 1
    assert [i for i, _ in result.failed] == [0]
    assert "failed after 3 attempts" in result.failed[0][1]
