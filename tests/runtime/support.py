"""Real parts for the runtime tests: moto server, pipeline resources, an HTTP source.

Nothing here mocks runtime code: AWS calls go to moto in server mode on 127.0.0.1, HTTP
calls to a small threaded server that plays a paginated API with latency and faults.
"""

from __future__ import annotations

import copy
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3

EVENTS = Path(__file__).parent / "events"
REGION = "us-east-1"

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
RETRY = {"max_attempts": 5, "base_delay_ms": 0, "max_delay_ms": 0}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def aws_environment(endpoint: str) -> dict[str, str]:
    """Variables that point boto3 at the moto server with fake credentials."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
    }


def load_event(name: str) -> dict[str, Any]:
    """A sample event from tests/runtime/events/."""
    data: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return data


@dataclass(frozen=True)
class Pipeline:
    """The AWS resources of one ingestion pipeline, created fresh on the moto server."""

    name: str
    queue_url: str
    dlq_url: str
    table_name: str
    bucket: str
    prefix: str = "raw/"

    def processing_env(self, **overrides: str) -> dict[str, str]:
        """The processing function's variables, as the generator sets them."""
        env = {
            "TRELLIS_BLUEPRINT": self.name,
            "TRELLIS_ENV": "dev",
            "TRELLIS_FUNCTION": "process",
            "TRELLIS_LOG_LEVEL": "INFO",
            "TRELLIS_RETRY": json.dumps(RETRY),
            "TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES": "10",
            "TRELLIS_TABLE_NAME": self.table_name,
            "TRELLIS_BACKUP_BUCKET": self.bucket,
            "TRELLIS_BACKUP_PREFIX": self.prefix,
            "TRELLIS_SHAPE": json.dumps(SHAPE),
            "TRELLIS_TTL_DAYS": "",
        }
        env.update(overrides)
        return env

    def retrieval_env(self, source: Mapping[str, Any], **overrides: str) -> dict[str, str]:
        """The retrieval function's variables, as the generator sets them."""
        env = {
            "TRELLIS_BLUEPRINT": self.name,
            "TRELLIS_ENV": "dev",
            "TRELLIS_FUNCTION": "retrieve",
            "TRELLIS_LOG_LEVEL": "INFO",
            "TRELLIS_RETRY": json.dumps(RETRY),
            "TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES": "5",
            "TRELLIS_QUEUE_URL": self.queue_url,
            "TRELLIS_CONCURRENCY": "4",
            "TRELLIS_SOURCE": json.dumps(source),
        }
        env.update(overrides)
        return env


def create_pipeline(max_receive_count: int = 3, key: str = "order_id") -> Pipeline:
    """Queue with a DLQ redrive, table keyed by ``key``, versioned bucket (uses env creds)."""
    name = "p" + uuid.uuid4().hex[:10]
    sqs = boto3.client("sqs")
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    queue_url = sqs.create_queue(
        QueueName=f"{name}-records",
        Attributes={
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count)}
            ),
            "VisibilityTimeout": "0",
        },
    )["QueueUrl"]
    ddb = boto3.client("dynamodb")
    ddb.create_table(
        TableName=f"{name}-records",
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=f"{name}-backup")
    s3.put_bucket_versioning(Bucket=f"{name}-backup", VersioningConfiguration={"Status": "Enabled"})
    return Pipeline(
        name=name,
        queue_url=queue_url,
        dlq_url=dlq_url,
        table_name=f"{name}-records",
        bucket=f"{name}-backup",
    )


def order(
    number: int, *, status: str = "paid", total: float = 10.0, updated: str = "t0"
) -> dict[str, Any]:
    """A raw source record as the commerce API would return it."""
    return {
        "id": f"A-{number:05d}",
        "status": status,
        "amount": {"total": total, "currency": "SGD"},
        "updated_at": updated,
        "noise": {"etag": uuid.uuid4().hex},
    }


def sqs_event(
    bodies: Sequence[str],
    *,
    receive_count: int = 1,
    correlation_id: str | None = "run-1",
    ids: Sequence[str] | None = None,
) -> dict[str, Any]:
    """An SQS event like the Lambda poller delivers, built on the sample in events/."""
    template = load_event("sqs_batch.json")["Records"][0]
    records = []
    for index, body in enumerate(bodies):
        record = copy.deepcopy(template)
        record["messageId"] = ids[index] if ids else str(uuid.uuid4())
        record["body"] = body
        record["attributes"]["ApproximateReceiveCount"] = str(receive_count)
        if correlation_id is None:
            record["messageAttributes"] = {}
        else:
            record["messageAttributes"]["correlation_id"]["stringValue"] = correlation_id
        records.append(record)
    return {"Records": records}


def envelope(record: object, observed_at: int = 1_000) -> str:
    """The message body the retrieval function sends for ``record``."""
    return json.dumps({"trellis": 1, "observed_at": observed_at, "record": record})


@dataclass
class FakeContext:
    """The few attributes of the Lambda context object the handlers read."""

    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_name: str = "trellis-test"


def versions(bucket: str, prefix: str = "") -> dict[str, list[bytes]]:
    """Every object version's body under ``prefix``, oldest first, by key."""
    s3 = boto3.client("s3")
    found: dict[str, list[bytes]] = {}
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        for version in page.get("Versions", []):  # S3 lists each key's versions newest first
            body = s3.get_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])
            found.setdefault(version["Key"], []).append(body["Body"].read())
    return {key: bodies[::-1] for key, bodies in found.items()}


def table_items(table: str) -> dict[str, dict[str, Any]]:
    """Every item of ``table`` by its ``order_id``."""
    ddb = boto3.client("dynamodb")
    items: dict[str, dict[str, Any]] = {}
    for page in ddb.get_paginator("scan").paginate(TableName=table):
        for item in page["Items"]:
            items[item["order_id"]["S"]] = item
    return items


def json_lines(text: str) -> list[dict[str, Any]]:
    """The JSON objects among captured output lines."""
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


# -- the HTTP source ----------------------------------------------------------------------


@dataclass
class SourceBehaviour:
    """How the fake API answers: size, latency and scripted faults per page."""

    total: int = 95
    latency: float = 0.0
    #: page number (or cursor index) -> responses served before the real one:
    #: "429", "503", "500", "404", "timeout", "malformed", "drip" (the real page, slowly);
    #: or in place of the real one: "short" (half the page), "hostile" (a NaN and a lone
    #: surrogate in its first two records), "huge" (a 300 KiB first record), "loop" (the
    #: cursor names itself again), "redirect" (302 to ``redirect_to`` with the query)
    faults: dict[int, list[str]] = field(default_factory=dict)
    redirect_to: str = ""
    requests: list[str] = field(default_factory=list)
    headers_seen: list[dict[str, str]] = field(default_factory=list)
    timeout_sleep: float = 0.3
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _SourceServer

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default stderr access log."""

    def _send(self, status: int, body: bytes, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        """Serve the same pages with the parameters in a JSON body."""
        length = int(self.headers.get("Content-Length", "0"))
        params = json.loads(self.rfile.read(length) or b"{}")
        self._serve({k: str(v) for k, v in params.items()})

    def do_GET(self) -> None:
        """Serve /pages (page pagination) and /cursor (cursor pagination)."""
        self._serve({k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()})

    def _serve(self, query: dict[str, str]) -> None:
        behaviour = self.server.behaviour
        parts = urlsplit(self.path)
        with behaviour.lock:
            behaviour.requests.append(self.path)
            behaviour.headers_seen.append(dict(self.headers.items()))
        if parts.path == "/pages":
            number = int(query.get("page", "1"))
            size = int(query.get("per_page", "10"))
            start = (number - 1) * size
        elif parts.path == "/cursor":
            number = int(query.get("cursor", "0"))
            size = 10
            start = number * size
        else:
            self._send(404, b'{"error":"not found"}')
            return
        with behaviour.lock:
            pending = behaviour.faults.get(number, [])
            fault = pending.pop(0) if pending else None
            if fault in ("short", "hostile", "huge", "loop"):
                pending.insert(0, fault)  # the page itself is like that, every time
        if behaviour.latency:
            time.sleep(behaviour.latency)
        if fault in ("429", "503"):
            self._send(int(fault), b'{"error":"slow down"}', {"Retry-After": "0"})
            return
        if fault in ("500", "404"):
            self._send(int(fault), b'{"error":"boom"}')
            return
        if fault == "timeout":
            time.sleep(behaviour.timeout_sleep)
        if fault == "malformed":
            self._send(200, b'{"data": {"items": [ {"id": "A-1"')
            return
        if fault == "redirect":
            self.send_response(302)
            self.send_header("Location", behaviour.redirect_to + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        items = [order(n) | {"noise": {}} for n in range(start, min(start + size, behaviour.total))]
        if fault == "short":
            items = items[: len(items) // 2]
        if fault == "hostile" and len(items) >= 2:
            items[0]["amount"]["total"] = float("nan")
            items[1]["status"] = "\ud800"
        if fault == "huge" and items:
            items[0]["blob"] = "x" * (300 * 1024)
        body: dict[str, Any] = {"data": {"items": items}}
        if parts.path == "/cursor":
            following = number if fault == "loop" else number + 1
            body["meta"] = {
                "next_cursor": str(following) if start + size < behaviour.total else None
            }
        payload = json.dumps(body).encode()
        if fault == "drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            step = max(1, len(payload) // 8)
            for begin in range(0, len(payload), step):
                self.wfile.write(payload[begin : begin + step])
                self.wfile.flush()
                time.sleep(0.08)
            return
        self._send(200, payload)


class _SourceServer(ThreadingHTTPServer):
    daemon_threads = True
    behaviour: SourceBehaviour


class SourceServer:
    """A paginated JSON API on 127.0.0.1 with scripted latency and faults."""

    def __init__(self) -> None:
        self.httpd = _SourceServer(("127.0.0.1", 0), _Handler)
        self.httpd.behaviour = SourceBehaviour()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def behaviour(self) -> SourceBehaviour:
        """The current behaviour (replace it per test)."""
        return self.httpd.behaviour

    def reset(self, behaviour: SourceBehaviour) -> SourceBehaviour:
        """Serve ``behaviour`` from now on."""
        self.httpd.behaviour = behaviour
        return behaviour

    def stop(self) -> None:
        """Shut the server down."""
        self.httpd.shutdown()
        self.httpd.server_close()


def page_source(url: str, *, size: int = 10, max_pages: int = 100, **extra: Any) -> dict[str, Any]:
    """A TRELLIS_SOURCE for the /pages endpoint."""
    return {
        "url": f"{url}/pages",
        "method": "GET",
        "headers": {"Accept": "application/json"},
        "auth": None,
        "records_path": "data.items",
        "pagination": {
            "page": {"param": "page", "start": 1, "size_param": "per_page", "size": size}
        },
        "max_pages": max_pages,
        "timeout_seconds": 5,
        **extra,
    }


def drain(queue_url: str) -> list[dict[str, Any]]:
    """Receive and delete everything on a queue (visibility timeout 0 queues)."""
    sqs = boto3.client("sqs")
    messages: list[dict[str, Any]] = []
    seen: set[str] = set()
    while True:
        batch = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=10,
            MessageAttributeNames=["All"],
            AttributeNames=["All"],
            VisibilityTimeout=60,
        ).get("Messages", [])
        if not batch:
            return messages
        for message in batch:
            if message["MessageId"] not in seen:
                seen.add(message["MessageId"])
                messages.append(message)
        sqs.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)
            ],
        )


def iter_chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``items`` in consecutive chunks of ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
