"""Functional tests of the retrieval handler: a local HTTP source, moto SQS and SSM."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from runtime.ingest import retrieve
from runtime.ingest.exceptions import RunIncompleteError, RunStoppedError
from tests.runtime.support import (
    FakeContext,
    Pipeline,
    SourceBehaviour,
    SourceServer,
    create_pipeline,
    drain,
    json_lines,
    load_event,
    page_source,
)


@pytest.fixture
def pipeline(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pipeline]:
    """A fresh pipeline; each test sets its own TRELLIS_SOURCE."""
    monkeypatch.setattr(retrieve, "_wiring", None)
    yield create_pipeline()


def run(
    pipeline: Pipeline,
    source: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    event: dict[str, Any] | None = None,
    **env: str,
) -> dict[str, Any]:
    """Set the retrieval environment and invoke the handler once."""
    for key, value in pipeline.retrieval_env(source, **env).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(retrieve, "_wiring", None)
    return retrieve.handler(
        event if event is not None else load_event("scheduler_event.json"),
        FakeContext(aws_request_id="req-1"),
    )


def test_page_pagination_enqueues_every_record_once(
    pipeline: Pipeline, source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """95 records in pages of 10: 95 messages, each with the envelope and the correlation id."""
    source_server.reset(SourceBehaviour(total=95))
    summary = run(pipeline, page_source(source_server.url), monkeypatch)
    assert summary["records_enqueued"] == 95
    assert summary["pages_failed"] == 0
    messages = drain(pipeline.queue_url)
    ids = sorted(json.loads(m["Body"])["record"]["id"] for m in messages)
    assert ids == [f"A-{n:05d}" for n in range(95)]
    first = messages[0]
    assert json.loads(first["Body"])["trellis"] == 1
    assert first["MessageAttributes"]["correlation_id"]["StringValue"] == "req-1"


def test_correlation_id_from_the_event_is_carried_to_messages_and_logs(
    pipeline: Pipeline,
    source_server: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The scheduler input's correlation_id tags every message and log line of the run."""
    source_server.reset(SourceBehaviour(total=5))
    event = load_event("scheduler_input_with_correlation_id.json")
    run(pipeline, page_source(source_server.url), monkeypatch, event=event)
    messages = drain(pipeline.queue_url)
    assert {m["MessageAttributes"]["correlation_id"]["StringValue"] for m in messages} == {
        "backfill-2026-11-25"
    }
    logged = [line for line in json_lines(capsys.readouterr().out) if "message" in line]
    assert {line["correlation_id"] for line in logged} == {"backfill-2026-11-25"}


def test_cursor_pagination_follows_the_cursor_to_the_end(
    pipeline: Pipeline, source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cursor pages are followed until next_cursor is null."""
    behaviour = source_server.reset(SourceBehaviour(total=43))
    source = page_source(source_server.url) | {
        "url": f"{source_server.url}/cursor",
        "pagination": {"cursor": {"param": "cursor", "response_path": "meta.next_cursor"}},
    }
    summary = run(pipeline, source, monkeypatch)
    assert summary["records_enqueued"] == 43
    assert summary["pages_fetched"] == 5
    assert len(behaviour.requests) == 5


def test_429_and_500_are_retried_and_nothing_is_lost(
    pipeline: Pipeline, source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 429 with Retry-After and two 500s on pages are retried to success."""
    source_server.reset(SourceBehaviour(total=50, faults={2: ["429", "500"], 4: ["503", "500"]}))
    summary = run(pipeline, page_source(source_server.url), monkeypatch)
    assert summary["records_enqueued"] == 50
    assert summary["pages_failed"] == 0
    assert len(drain(pipeline.queue_url)) == 50


def test_a_failing_page_never_loses_the_others(
    pipeline: Pipeline,
    source_server: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Malformed JSON on page 2 and a 404 on page 4 fail those pages only (and the run)."""
    source_server.reset(SourceBehaviour(total=60, faults={2: ["malformed"], 4: ["404"]}))
    with pytest.raises(RunIncompleteError, match="2 pages failed"):
        run(pipeline, page_source(source_server.url), monkeypatch)
    lines = json_lines(capsys.readouterr().out)
    summary = next(line for line in lines if line.get("message") == "run finished")
    assert summary["pages_failed"] == 2
    assert summary["records_enqueued"] == 40
    assert summary["level"] == "ERROR"
    failures = [line for line in lines if line.get("message") == "page failed"]
    reasons = {line["page"]: line["reason"] for line in failures}
    assert "not JSON" in reasons[2]
    assert "HTTP 404" in reasons[4]


def test_timeouts_are_retried(
    pipeline: Pipeline, source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request slower than timeout_seconds is abandoned and tried again."""
    source_server.reset(SourceBehaviour(total=20, faults={1: ["timeout"]}, timeout_sleep=0.5))
    source = page_source(source_server.url) | {"timeout_seconds": 0.2}
    summary = run(pipeline, source, monkeypatch)
    assert summary["records_enqueued"] == 20
    assert summary["pages_failed"] == 0


def test_breaker_stops_the_run_and_the_invocation_fails(
    pipeline: Pipeline,
    source_server: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Consecutive failing pages trip the breaker: no new pages, RunStoppedError raised."""
    faults = {n: ["500"] * 10 for n in range(1, 101)}
    behaviour = source_server.reset(SourceBehaviour(total=1000, faults=faults))
    with pytest.raises(RunStoppedError):
        run(
            pipeline,
            page_source(source_server.url),
            monkeypatch,
            TRELLIS_CONCURRENCY="1",
            TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES="3",
        )
    assert len(behaviour.requests) == 3 * 5  # three pages, five attempts each
    emf = next(line for line in json_lines(capsys.readouterr().out) if "_aws" in line)
    assert emf["BreakerTrips"] == 1
    assert emf["PagesFailed"] == 3
    assert emf["Retries"] == 12


def test_bearer_token_comes_from_ssm(
    pipeline: Pipeline, source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """auth.bearer_token_parameter is read from SSM (decrypted) and sent as a bearer token."""
    name = f"/{pipeline.name}/token"
    boto3.client("ssm").put_parameter(Name=name, Value="s3cr3t", Type="SecureString")
    behaviour = source_server.reset(SourceBehaviour(total=25))
    source = page_source(source_server.url) | {"auth": {"bearer_token_parameter": name}}
    run(pipeline, source, monkeypatch)
    assert {h.get("Authorization") for h in behaviour.headers_seen} == {"Bearer s3cr3t"}


def test_api_key_header_comes_from_ssm(
    pipeline: Pipeline, source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """auth.api_key_parameter sends the parameter's value in the named header."""
    name = f"/{pipeline.name}/key"
    boto3.client("ssm").put_parameter(Name=name, Value="k-1", Type="SecureString")
    behaviour = source_server.reset(SourceBehaviour(total=5))
    source = page_source(source_server.url) | {
        "auth": {"api_key_parameter": {"name": name, "header": "X-Api-Key"}}
    }
    run(pipeline, source, monkeypatch)
    assert {h.get("X-Api-Key") for h in behaviour.headers_seen} == {"k-1"}


def test_concurrency_stays_within_the_bound_and_stops_after_the_last_page(
    pipeline: Pipeline, source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With concurrency 4, at most 3 requests go beyond the last page."""
    behaviour = source_server.reset(SourceBehaviour(total=100, latency=0.01))
    summary = run(pipeline, page_source(source_server.url, size=10), monkeypatch)
    assert summary["records_enqueued"] == 100
    assert 11 <= len(behaviour.requests) <= 14


def test_post_sources_send_pagination_in_a_json_body(
    pipeline: Pipeline, source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With method POST the page parameters travel as a JSON body, not the query string."""
    behaviour = source_server.reset(SourceBehaviour(total=25))
    summary = run(pipeline, page_source(source_server.url) | {"method": "POST"}, monkeypatch)
    assert summary["records_enqueued"] == 25
    assert all(path == "/pages" for path in behaviour.requests)
