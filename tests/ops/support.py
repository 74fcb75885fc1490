"""Seeding a pipeline on the local endpoint through its real handlers.

The pipeline's resources are created from the deployment model of the example
repository's ``orders`` blueprint (dev) by the same code ``trellis run`` uses; messages
go through the real processing handler (so the DLQ, the logs and the backups are what
production would hold), invoked as :mod:`generator.local.invoke` invokes it.
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.local.aws import LocalAws
from generator.local.event_source import DrainStats, drain
from generator.local.invoke import LocalFunction
from generator.local.resources import LocalResources, create_resources
from generator.ops.target import AwsOptions, PipelineTarget, resolve_pipeline


@contextmanager
def local_credentials(aws: LocalAws) -> Iterator[None]:
    """Point the default credential chain at the local endpoint's placeholders."""
    saved = {k: os.environ.get(k) for k in aws.environment()}
    os.environ.update(aws.environment())
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def reset(aws: LocalAws) -> None:
    """Empty every service on the endpoint (moto's reset API)."""
    request = urllib.request.Request(f"{aws.endpoint_url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request) as response:
        response.read()


class Seeded:
    """The ``orders`` pipeline (dev) on the endpoint, with helpers to feed it."""

    def __init__(self, root: Path, aws: LocalAws, blueprint: str = "orders") -> None:
        self.aws = aws
        self.root = root
        self.target: PipelineTarget = resolve_pipeline(
            root, blueprint, "dev", AwsOptions(endpoint_url=aws.endpoint_url)
        )
        self.created: LocalResources = create_resources(self.target.deployment, self.target.client)

    def send(self, bodies: list[str], correlation_id: str = "seed-run") -> None:
        """Put raw message bodies on the source queue, with a correlation id attribute."""
        sqs = self.target.client("sqs")
        for body in bodies:
            sqs.send_message(
                QueueUrl=self.created.queue_url,
                MessageBody=body,
                MessageAttributes={
                    "correlation_id": {"DataType": "String", "StringValue": correlation_id}
                },
            )

    def process_all(self) -> DrainStats:
        """Drain the source queue through the real processing handler."""
        process = LocalFunction(
            self.target.resources.process,
            environment=self.aws.environment(),
            logs_client=self.target.client("logs"),
        )
        return drain(
            self.target.client("sqs"),
            queue_url=self.created.queue_url,
            queue_arn=self.created.queue_arn,
            region=self.aws.region,
            batch_size=25,
            invoke=process.invoke,
        )

    def queue_bodies(self, url: str) -> list[str]:
        """Every body on queue ``url`` (received, then released)."""
        from generator.ops.dlq import read_dead_letters, release

        sqs = self.target.client("sqs")
        letters = read_dead_letters(sqs, url)
        release(sqs, url, letters)
        return sorted(letter.body for letter in letters)

    def items(self) -> dict[str, dict[str, Any]]:
        """Every item of the table by its key."""
        ddb = self.target.client("dynamodb")
        found: dict[str, dict[str, Any]] = {}
        for page in ddb.get_paginator("scan").paginate(TableName=self.created.table_name):
            for item in page["Items"]:
                found[item["order_id"]["S"]] = item
        return found


def order(number: int, *, status: str = "paid", total: float = 10.5) -> dict[str, Any]:
    """A raw record as the commerce API returns it."""
    return {
        "id": f"A-{number:05d}",
        "status": status,
        "amount": {"total": total, "currency": "SGD"},
        "updated_at": "2026-12-01T08:00:00Z",
    }


def envelope(record: object, observed_at: int = 1_000) -> str:
    """The body the retrieval function sends."""
    return json.dumps({"trellis": 1, "observed_at": observed_at, "record": record})
