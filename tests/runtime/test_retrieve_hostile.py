"""Retrieval against hostile and broken sources: nothing truncated silently, nothing leaked.

Regression cases of issue 22, items 5 (bad characters on retrieval), 6 (silent
truncation), 8 (credentials on redirects, response size, whole-request timeout) and 11
(what is logged). The source is the local paginated API of ``support.py``.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from runtime.ingest import http_source, retrieve
from runtime.ingest.exceptions import PageError, RunIncompleteError
from runtime.ingest.http_source import redact_url, redirect_is_safe
from tests.runtime.support import (
    FakeContext,
    Pipeline,
    SourceBehaviour,
    SourceServer,
    create_pipeline,
    drain,
    json_lines,
    page_source,
)


@pytest.fixture
def pipeline(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pipeline]:
    """A fresh pipeline; each test sets its own TRELLIS_SOURCE."""
    monkeypatch.setattr(retrieve, "_wiring", None)
    yield create_pipeline()


@pytest.fixture
def other_origin() -> Iterator[SourceServer]:
    """A second source on another port: another origin for redirects."""
    server = SourceServer()
    yield server
    server.stop()


def run(
    pipeline: Pipeline, source: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """Invoke the retrieval handler once; returns the summary, raised or not."""
    for key, value in pipeline.retrieval_env(source).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(retrieve, "_wiring", None)
    try:
        return retrieve.handler({}, FakeContext(aws_request_id="req-h"))
    except RunIncompleteError as error:
        return {"raised": str(error)}


def finished(output: str) -> dict[str, Any]:
    """The ``run finished`` line of the captured output."""
    return next(line for line in json_lines(output) if line.get("message") == "run finished")


def cursor_source(url: str, **extra: Any) -> dict[str, Any]:
    """A TRELLIS_SOURCE for the /cursor endpoint."""
    return page_source(url) | {
        "url": f"{url}/cursor",
        "pagination": {"cursor": {"param": "cursor", "response_path": "meta.next_cursor"}},
        **extra,
    }


def test_a_short_page_does_not_end_the_walk(
    pipeline: Pipeline, source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Page 2 comes back half full; the walk goes on to the first empty page (item 6)."""
    source_server.reset(SourceBehaviour(total=45, faults={2: ["short"]}))
    summary = run(pipeline, page_source(source_server.url), monkeypatch)
    assert summary["records_enqueued"] == 40  # 45 minus the 5 page 2 did not return
    ids = {json.loads(m["Body"])["record"]["id"] for m in drain(pipeline.queue_url)}
    assert "A-00044" in ids


def test_max_pages_is_logged_counted_and_fails_the_run(
    pipeline: Pipeline,
    source_server: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Stopping at max_pages with pages left is a warning, MaxPagesReached and an error."""
    source_server.reset(SourceBehaviour(total=95))
    result = run(pipeline, page_source(source_server.url, max_pages=3), monkeypatch)
    assert "max_pages reached: True" in result["raised"]
    lines = json_lines(capsys.readouterr().out)
    assert any(line.get("message", "").startswith("max_pages reached") for line in lines)
    emf = next(line for line in lines if "_aws" in line)
    assert emf["MaxPagesReached"] == 1
    assert emf["RecordsEnqueued"] == 30


def test_a_repeated_cursor_stops_the_walk_as_a_failure(
    pipeline: Pipeline,
    source_server: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A cursor naming itself again stops at once instead of looping to max_pages."""
    behaviour = source_server.reset(SourceBehaviour(total=95, faults={2: ["loop"]}))
    result = run(pipeline, cursor_source(source_server.url), monkeypatch)
    assert "1 pages failed" in result["raised"]
    assert len(behaviour.requests) == 3
    reasons = [
        line["reason"]
        for line in json_lines(capsys.readouterr().out)
        if line.get("message") == "page failed"
    ]
    assert any("names cursor '2' again" in reason for reason in reasons)


def test_nan_and_surrogates_fail_their_records_only(
    pipeline: Pipeline,
    source_server: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A NaN and a lone surrogate on page 1 fail two records; the cursor walk goes on (item 5)."""
    source_server.reset(SourceBehaviour(total=35, faults={0: ["hostile"]}))
    result = run(pipeline, cursor_source(source_server.url), monkeypatch)
    assert "2 records not enqueued" in result["raised"]
    summary = finished(capsys.readouterr().out)
    assert summary["pages_fetched"] == 4
    assert summary["records_enqueued"] == 33
    assert len(drain(pipeline.queue_url)) == 33


def test_a_record_over_256_kib_fails_the_run(
    pipeline: Pipeline,
    source_server: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An oversized record is logged, counted in RecordsFailed and fails the invocation."""
    source_server.reset(SourceBehaviour(total=15, faults={1: ["huge"]}))
    result = run(pipeline, page_source(source_server.url), monkeypatch)
    assert "1 records not enqueued" in result["raised"]
    lines = json_lines(capsys.readouterr().out)
    assert next(line for line in lines if "_aws" in line)["RecordsFailed"] == 1
    failed = next(line for line in lines if line.get("message") == "record not enqueued")
    assert "exceeds the queue's" in failed["reason"]


def test_credentials_are_not_sent_to_another_origin(
    pipeline: Pipeline,
    source_server: SourceServer,
    other_origin: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A redirect to another port keeps the request but drops Authorization (item 8)."""
    boto3.client("ssm").put_parameter(
        Name=f"/{pipeline.name}/t", Value="s3cret", Type="SecureString"
    )
    source_server.reset(
        SourceBehaviour(total=5, faults={1: ["redirect"]}, redirect_to=other_origin.url)
    )
    elsewhere = other_origin.reset(SourceBehaviour(total=5))
    source = page_source(source_server.url) | {
        "auth": {"bearer_token_parameter": f"/{pipeline.name}/t"},
        "headers": {"Accept": "application/json", "X-Tenant-Key": "k"},
    }
    summary = run(pipeline, source, monkeypatch)
    assert summary["records_enqueued"] == 5
    assert source_server.behaviour.headers_seen[0]["Authorization"] == "Bearer s3cret"
    assert len(elsewhere.headers_seen) == 1
    forwarded = {name.lower() for name in elsewhere.headers_seen[0]}
    assert "authorization" not in forwarded
    assert "x-tenant-key" not in forwarded
    assert "accept" in forwarded


def test_a_same_origin_redirect_keeps_credentials() -> None:
    """Within one origin the headers follow; https to http is refused outright."""
    handler = http_source._redirect_handler(frozenset({"authorization"}))
    request = urllib.request.Request(
        "https://api.example.com/v1/a", headers={"Authorization": "Bearer t"}
    )
    same = handler.redirect_request(request, None, 302, "Found", {}, "https://api.example.com/b")
    assert same.get_header("Authorization") == "Bearer t"
    other = handler.redirect_request(request, None, 302, "Found", {}, "https://evil.example/b")
    assert other.get_header("Authorization") is None
    with pytest.raises(PageError, match="clear text"):
        handler.redirect_request(request, None, 302, "Found", {}, "http://api.example.com/b")
    assert redirect_is_safe("http://a/x", "https://b/y")


def test_responses_over_the_size_cap_fail_the_page(
    pipeline: Pipeline,
    source_server: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A body over MAX_RESPONSE_BYTES fails the page without retrying."""
    monkeypatch.setattr(http_source, "MAX_RESPONSE_BYTES", 200)
    behaviour = source_server.reset(SourceBehaviour(total=5))
    result = run(pipeline, page_source(source_server.url), monkeypatch)
    assert "1 pages failed" in result["raised"]
    assert sum("?page=1&" in path for path in behaviour.requests) == 1  # not retried
    assert "over 200 bytes" in capsys.readouterr().out


def test_a_dripping_response_hits_the_whole_request_timeout(
    pipeline: Pipeline, source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A body trickling in for longer than timeout_seconds is abandoned and retried."""
    behaviour = source_server.reset(SourceBehaviour(total=5, faults={1: ["drip"]}))
    summary = run(pipeline, page_source(source_server.url) | {"timeout_seconds": 0.3}, monkeypatch)
    assert summary["records_enqueued"] == 5
    assert sum("?page=1&" in path for path in behaviour.requests) == 2


def test_logs_carry_no_query_strings_and_no_body_bytes(
    pipeline: Pipeline,
    source_server: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A key in the URL's query and a non-JSON body never reach the logs (item 11)."""
    source_server.reset(SourceBehaviour(total=5, faults={1: ["malformed"]}))
    source = page_source(source_server.url)
    source["url"] += "?api_key=TOPSECRET"
    run(pipeline, source, monkeypatch)
    output = capsys.readouterr().out
    assert "TOPSECRET" not in output
    assert '"id": "A-1"' not in output and "A-1" not in output
    assert redact_url("https://u:p@h.example:8443/p?k=v#f") == "https://h.example:8443/p"
