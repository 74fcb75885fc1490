"""Retrieval resumes where it stopped, the stop switch halts it, telemetry is emitted."""

from __future__ import annotations

import contextlib
import io
import json
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest

from runtime.ingest import retrieve
from runtime.ingest.exceptions import RunIncompleteError
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
def pipeline(moto_endpoint: str) -> Pipeline:
    """A fresh pipeline."""
    return create_pipeline()


def _control(pipeline: Pipeline) -> dict[str, str]:
    base = f"/trellis/dev/{pipeline.name}"
    return {
        "TRELLIS_CHECKPOINT_PARAMETER": f"{base}/checkpoint",
        "TRELLIS_STOP_PARAMETER": f"{base}/stop",
    }


def run(
    pipeline: Pipeline, source: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """Invoke the retrieval handler once (a cold start); an incomplete run's summary too."""
    for key, value in {**pipeline.retrieval_env(source), **_control(pipeline)}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(retrieve, "_wiring", None)
    context = FakeContext(aws_request_id=str(uuid.uuid4()))
    context.memory_limit_in_mb = 256  # type: ignore[attr-defined]
    lines = io.StringIO()
    with contextlib.redirect_stdout(lines):
        try:
            summary = retrieve.handler({}, context)
        except RunIncompleteError:
            summary = None
    if summary is not None:
        print(lines.getvalue(), end="")
        return summary
    print(lines.getvalue(), end="")  # what Lambda would log, for capsys
    finished = [
        line for line in json_lines(lines.getvalue()) if line.get("message") == "run finished"
    ]
    return finished[-1]


def _pages(behaviour: SourceBehaviour) -> list[int]:
    return [int(parse_qs(urlsplit(r).query)["page"][0]) for r in behaviour.requests]


def _checkpoint(pipeline: Pipeline) -> dict[str, Any]:
    name = _control(pipeline)["TRELLIS_CHECKPOINT_PARAMETER"]
    value = boto3.client("ssm").get_parameter(Name=name)["Parameter"]["Value"]
    data: dict[str, Any] = json.loads(value)
    return data


def test_failure_on_page_7_of_10_resumes_at_page_7(
    pipeline: Pipeline, source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run 1 fails page 7 and saves it; run 2 starts at page 7; run 3 from page 1 again."""
    first = source_server.reset(SourceBehaviour(total=100, faults={7: ["404"]}))
    summary = run(pipeline, page_source(source_server.url, max_pages=12), monkeypatch)
    assert (summary["pages_failed"], summary["records_enqueued"]) == (1, 90)
    assert 7 in _pages(first)
    assert _checkpoint(pipeline)["page"] == 7
    drain(pipeline.queue_url)

    second = source_server.reset(SourceBehaviour(total=100))
    summary = run(pipeline, page_source(source_server.url, max_pages=12), monkeypatch)
    assert min(_pages(second)) == 7
    assert summary["resumed_from"] == "page 7"
    assert summary["pages_failed"] == 0
    ids = sorted(json.loads(m["Body"])["record"]["id"] for m in drain(pipeline.queue_url))
    assert ids == [f"A-{n:05d}" for n in range(60, 100)]
    assert _checkpoint(pipeline) == {}

    third = source_server.reset(SourceBehaviour(total=100))
    summary = run(pipeline, page_source(source_server.url, max_pages=12), monkeypatch)
    assert min(_pages(third)) == 1
    assert summary["resumed_from"] is None


def test_cursor_walk_resumes_at_the_failed_cursor(
    pipeline: Pipeline, source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cursor walk that fails at cursor 3 continues from cursor 3 in the next run."""
    source = page_source(source_server.url) | {
        "url": f"{source_server.url}/cursor",
        "pagination": {"cursor": {"param": "cursor", "response_path": "meta.next_cursor"}},
    }
    source_server.reset(SourceBehaviour(total=60, faults={3: ["404"]}))
    summary = run(pipeline, source, monkeypatch)
    assert (summary["pages_fetched"], summary["pages_failed"]) == (3, 1)
    assert _checkpoint(pipeline)["cursor"] == "3"
    second = source_server.reset(SourceBehaviour(total=60))
    summary = run(pipeline, source, monkeypatch)
    assert "cursor=3" in second.requests[0]
    assert (summary["pages_fetched"], summary["resumed_from"]) == (3, "cursor 3")


def test_stop_switch_halts_a_run_and_resume_lets_it_go(
    pipeline: Pipeline, source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the stop parameter at 'paused' no page is requested and nothing is enqueued."""
    ssm = boto3.client("ssm")
    stop = _control(pipeline)["TRELLIS_STOP_PARAMETER"]
    ssm.put_parameter(Name=stop, Value="paused", Type="String", Overwrite=True)
    behaviour = source_server.reset(SourceBehaviour(total=30))
    summary = run(pipeline, page_source(source_server.url), monkeypatch)
    assert summary["paused"] is True
    assert behaviour.requests == []
    assert drain(pipeline.queue_url) == []
    ssm.put_parameter(Name=stop, Value="running", Type="String", Overwrite=True)
    summary = run(pipeline, page_source(source_server.url), monkeypatch)
    assert (summary["paused"], summary["records_enqueued"]) == (False, 30)


def test_telemetry_line_reports_memory_and_http_429(
    pipeline: Pipeline,
    source_server: SourceServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One EMF line per invocation: peak memory against the limit, and each 429 counted."""
    source_server.reset(SourceBehaviour(total=25, faults={2: ["429", "429"]}))
    capsys.readouterr()
    run(pipeline, page_source(source_server.url), monkeypatch)
    lines = [line for line in json_lines(capsys.readouterr().out) if "MemoryLimitMB" in line]
    assert len(lines) == 1
    line = lines[0]
    assert line["Http429"] == 2 and line["ThrottledCalls"] == 0
    assert line["MemoryLimitMB"] == 256
    assert line["MaxMemoryUsedMB"] > 0
    assert line["MemoryUtilization"] == round(100 * line["MaxMemoryUsedMB"] / 256, 1)
    names = {m["Name"] for m in line["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    assert names == {
        "MaxMemoryUsedMB",
        "MemoryLimitMB",
        "MemoryUtilization",
        "ThrottledCalls",
        "Http429",
    }
