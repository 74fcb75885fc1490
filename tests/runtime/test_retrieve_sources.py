"""The retrieval handler against an API that behaves like real ones (moto SQS, SSM, DynamoDB).

Each style of pagination, each authentication (OAuth2 against oidc-provider), push-back,
hostile next links, loops and incremental retrieval, end to end through the handler.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from runtime.ingest import rate_limit, retrieve
from runtime.ingest.exceptions import RunIncompleteError
from tests.runtime.api_source import (
    ApiBehaviour,
    ApiSource,
    api_source,
    create_state_table,
    incremental_env,
    stamp,
    ticket,
)
from tests.runtime.oauth2_server import (
    BASIC_CLIENT,
    SCOPE,
    AuthorizationServer,
    start_authorization_server,
)
from tests.runtime.support import FakeContext, Pipeline, create_pipeline, drain, json_lines


@pytest.fixture(scope="module")
def api() -> Iterator[ApiSource]:
    """The local API on a free port of 127.0.0.1."""
    server = ApiSource()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def authorization_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuthorizationServer]:
    """oidc-provider with the client credentials grant."""
    server = start_authorization_server(tmp_path_factory.mktemp("oauth2"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def limiter_never_sleeps() -> Iterator[None]:
    """Rate limits and Retry-After holds are computed, never slept."""
    rate_limit.set_test_mode(True)
    yield
    rate_limit.set_test_mode(False)


@pytest.fixture
def pipeline(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Pipeline:
    """A fresh pipeline."""
    monkeypatch.setattr(retrieve, "_wiring", None)
    return create_pipeline()


def run(
    pipeline: Pipeline, source: dict[str, Any], monkeypatch: pytest.MonkeyPatch, **env: str
) -> dict[str, Any]:
    """Invoke the retrieval handler once with ``source`` (a cold start each time)."""
    for key, value in pipeline.retrieval_env(source, **env).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(retrieve, "_wiring", None)
    return retrieve.handler({}, FakeContext())


def ids(pipeline: Pipeline) -> list[str]:
    """The record ids on the queue, in order of their ids."""
    return sorted(json.loads(m["Body"])["record"]["id"] for m in drain(pipeline.queue_url))


ALL = [f"T-{n:05d}" for n in range(45)]


@pytest.mark.parametrize("relative", [False, True])
def test_link_header_pagination(
    pipeline: Pipeline, api: ApiSource, monkeypatch: pytest.MonkeyPatch, relative: bool
) -> None:
    """GitHub-style Link headers, absolute or relative: every record once, five pages."""
    behaviour = api.reset(ApiBehaviour(relative_links=relative))
    source = api_source(api.url, "/github", {"link_header": {}}, query={"per_page": "10"})
    summary = run(pipeline, source, monkeypatch)
    assert summary["pages_fetched"] == 5 and ids(pipeline) == ALL
    assert behaviour.requests[0] == "/github?per_page=10"
    assert behaviour.requests[-1] == "/github?per_page=10&page=5"


def test_next_url_pagination(
    pipeline: Pipeline, api: ApiSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DRF's next URL is followed until it is null."""
    api.reset()
    summary = run(
        pipeline, api_source(api.url, "/drf", {"next_url": {"response_path": "next"}}), monkeypatch
    )
    assert summary["pages_fetched"] == 5 and ids(pipeline) == ALL


@pytest.mark.parametrize(("total_path", "pages"), [("total", 5), (None, 6)])
def test_offset_pagination(
    pipeline: Pipeline,
    api: ApiSource,
    monkeypatch: pytest.MonkeyPatch,
    total_path: str | None,
    pages: int,
) -> None:
    """Offsets stop at the total, or at the first empty page without one."""
    behaviour = api.reset()
    offset = {
        "param": "offset",
        "limit_param": "limit",
        "limit": 10,
        "start": 0,
        "total_path": total_path,
    }
    summary = run(pipeline, api_source(api.url, "/offset", {"offset": offset}), monkeypatch)
    assert summary["pages_fetched"] == pages and ids(pipeline) == ALL
    assert behaviour.requests[1] == "/offset?offset=10&limit=10"


def test_cursor_header_pagination(
    pipeline: Pipeline, api: ApiSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cursor in X-Next-Cursor is sent back as a parameter until it is absent."""
    api.reset()
    cursor = {"header": "X-Next-Cursor", "param": "cursor"}
    summary = run(pipeline, api_source(api.url, "/header", {"cursor_header": cursor}), monkeypatch)
    assert summary["pages_fetched"] == 5 and ids(pipeline) == ALL


def test_a_looping_cursor_stops_the_run_with_an_error(
    pipeline: Pipeline,
    api: ApiSource,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same cursor twice ends the walk as a failed page; the run is reported incomplete."""
    behaviour = api.reset()
    cursor = {"header": "X-Next-Cursor", "param": "cursor"}
    with pytest.raises(RunIncompleteError):
        run(pipeline, api_source(api.url, "/loop", {"cursor_header": cursor}), monkeypatch)
    assert len(behaviour.requests) == 2  # the first page and the cursor once, not max_pages
    failures = [
        line for line in json_lines(capsys.readouterr().out) if line.get("message") == "page failed"
    ]
    assert "already fetched" in failures[0]["reason"]
    assert len(ids(pipeline)) == 20


def test_a_next_link_to_another_host_is_refused(
    pipeline: Pipeline,
    api: ApiSource,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A Link to another host is never requested, so the bearer token stays home."""
    boto3.client("ssm").put_parameter(Name=f"/{pipeline.name}/t", Value="tok", Type="SecureString")
    behaviour = api.reset(ApiBehaviour(auth=("bearer", "tok")))
    source = api_source(
        api.url,
        "/foreign",
        {"link_header": {}},
        auth={"bearer_token_parameter": f"/{pipeline.name}/t"},
    )
    with pytest.raises(RunIncompleteError):
        run(pipeline, source, monkeypatch)
    assert behaviour.requests == ["/foreign"]
    failures = [
        line for line in json_lines(capsys.readouterr().out) if line.get("message") == "page failed"
    ]
    assert "another origin (http://attacker.invalid:8080/collect)" in failures[0]["reason"]


def test_an_allow_listed_origin_is_followed(
    pipeline: Pipeline, api: ApiSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """localhost and 127.0.0.1 are different origins: followed only when allow-listed."""
    api.reset()
    other = api.url.replace("127.0.0.1", "localhost")
    source = api_source(other, "/github", {"link_header": {}}, query={"per_page": "10"})
    with pytest.raises(RunIncompleteError):
        run(pipeline, source, monkeypatch)
    drain(pipeline.queue_url)
    summary = run(pipeline, source | {"allowed_origins": [api.url]}, monkeypatch)
    assert summary["pages_fetched"] == 5 and ids(pipeline) == ALL


def test_max_pages_still_bounds_a_link_walk(
    pipeline: Pipeline, api: ApiSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three pages of five: the run stops there and says records were left behind."""
    api.reset()
    source = api_source(
        api.url, "/github", {"link_header": {}}, query={"per_page": "10"}, max_pages=3
    )
    with pytest.raises(RunIncompleteError, match="max_pages reached: True"):
        run(pipeline, source, monkeypatch)
    assert len(ids(pipeline)) == 30


def test_429_with_retry_after_holds_every_worker_and_succeeds(
    pipeline: Pipeline,
    api: ApiSource,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A 429 and a 503 with Retry-After are retried after a run-wide hold."""
    api.reset(ApiBehaviour(faults={2: 429, 4: 503}, retry_after="7"))
    summary = run(
        pipeline, api_source(api.url, "/drf", {"next_url": {"response_path": "next"}}), monkeypatch
    )
    assert summary["pages_fetched"] == 5 and ids(pipeline) == ALL
    assert retrieve._wiring is not None
    limiter = retrieve._wiring.retriever.source.limiter
    assert limiter.holds == 2 and limiter.waited >= 14
    emf = [line for line in json_lines(capsys.readouterr().out) if "RateLimitHolds" in line]
    assert emf[-1]["RateLimitHolds"] == 2


def test_max_requests_per_second_spaces_the_requests(
    pipeline: Pipeline, api: ApiSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five requests at 2 per second are reserved 0.5 s apart: waits of 0 + 0.5 + 1 + 1.5 + 2 s
    (less the time the requests themselves took, since the test does not sleep)."""
    api.reset()
    source = api_source(
        api.url, "/drf", {"next_url": {"response_path": "next"}}, max_requests_per_second=2
    )
    run(pipeline, source, monkeypatch)
    assert retrieve._wiring is not None
    limiter = retrieve._wiring.retriever.source.limiter
    assert limiter.interval == 0.5
    assert 3.5 < limiter.waited <= 5.0


def test_basic_auth_and_api_key_in_the_query(
    pipeline: Pipeline, api: ApiSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP basic and a query-string key, both from SSM, are what the API accepts."""
    ssm = boto3.client("ssm")
    for name, value in (("u", "svc"), ("p", "pw:1"), ("k", "key-1")):
        ssm.put_parameter(Name=f"/{pipeline.name}/{name}", Value=value, Type="SecureString")
    api.reset(ApiBehaviour(auth=("basic", "svc", "pw:1")))
    basic = {
        "basic": {
            "username_parameter": f"/{pipeline.name}/u",
            "password_parameter": f"/{pipeline.name}/p",
        }
    }
    run(
        pipeline,
        api_source(api.url, "/drf", {"next_url": {"response_path": "next"}}, auth=basic),
        monkeypatch,
    )
    assert ids(pipeline) == ALL
    behaviour = api.reset(ApiBehaviour(auth=("query", "api_key", "key-1")))
    key = {"api_key_parameter": {"name": f"/{pipeline.name}/k", "query": "api_key"}}
    offset = {"offset": {"limit": 10, "total_path": "total"}}
    run(pipeline, api_source(api.url, "/offset", offset, auth=key), monkeypatch)
    assert ids(pipeline) == ALL
    assert behaviour.requests[0] == "/offset?offset=0&limit=10&api_key=key-1"


def test_oauth2_client_credentials_with_a_refresh_on_401(
    pipeline: Pipeline,
    api: ApiSource,
    authorization_server: AuthorizationServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Tokens from oidc-provider, checked by introspection; a 401 fetches one new token."""
    ssm = boto3.client("ssm")
    ssm.put_parameter(Name=f"/{pipeline.name}/id", Value=BASIC_CLIENT[0], Type="SecureString")
    ssm.put_parameter(Name=f"/{pipeline.name}/secret", Value=BASIC_CLIENT[1], Type="SecureString")
    behaviour = api.reset(
        ApiBehaviour(auth=("introspect", authorization_server.introspect), faults={3: 401})
    )
    oauth = {
        "oauth2_client_credentials": {
            "token_url": authorization_server.token_url,
            "client_id_parameter": f"/{pipeline.name}/id",
            "client_secret_parameter": f"/{pipeline.name}/secret",
            "scopes": [SCOPE],
        }
    }
    source = api_source(
        api.url, "/github", {"link_header": {}}, query={"per_page": "10"}, auth=oauth
    )
    summary = run(pipeline, source, monkeypatch)
    assert summary["pages_fetched"] == 5 and ids(pipeline) == ALL
    assert retrieve._wiring is not None
    authenticator = retrieve._wiring.retriever.source.authenticator
    assert authenticator.tokens_fetched == 2  # type: ignore[union-attr]
    tokens = {h["Authorization"] for h in behaviour.headers_seen}
    assert len(tokens) == 2
    output = capsys.readouterr()
    for token in tokens:
        assert token.removeprefix("Bearer ") not in output.out + output.err


def test_incremental_second_run_fetches_only_what_changed(
    pipeline: Pipeline, api: ApiSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run stores the mark; the second asks from it and gets the changed records."""
    behaviour = api.reset()
    state = create_state_table(pipeline.name)
    source = api_source(api.url, "/github", {"link_header": {}}, query={"per_page": "10"})
    env = incremental_env(state)
    first = run(pipeline, source, monkeypatch, **env)
    assert first["high_water_mark"] == stamp(44) and len(ids(pipeline)) == 45
    assert behaviour.requests[0] == "/github?per_page=10&since=2023-12-31T00%3A00%3A00Z"
    behaviour.change([3, 17, 30], status="closed", updated=1000)
    behaviour.requests.clear()
    second = run(pipeline, source, monkeypatch, **env)
    assert second["pages_fetched"] == 1 and second["high_water_mark"] == stamp(1000)
    assert ids(pipeline) == ["T-00003", "T-00017", "T-00030", "T-00044"]  # 44: at the mark
    third = run(pipeline, source, monkeypatch, **env)
    assert third["pages_fetched"] == 1 and third["high_water_mark"] is None
    assert ids(pipeline) == ["T-00003", "T-00017", "T-00030"]


def test_an_incomplete_run_does_not_advance_the_mark(
    pipeline: Pipeline, api: ApiSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that fails for good leaves the mark where it was, so nothing is skipped."""
    api.reset(ApiBehaviour(faults=dict.fromkeys(range(3, 20), 500)))
    state = create_state_table(pipeline.name)
    source = api_source(api.url, "/offset", {"offset": {"limit": 10, "total_path": "total"}})
    with pytest.raises(RunIncompleteError):
        run(pipeline, source, monkeypatch, **incremental_env(state))
    item = boto3.client("dynamodb").get_item(
        TableName=state, Key={"name": {"S": "retrieve.incremental"}}
    )
    assert "Item" not in item


def test_post_body_with_templated_dates(
    pipeline: Pipeline, api: ApiSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """${since} and ${now} are filled in the body, next to the pagination fields, with a lag."""
    behaviour = api.reset(ApiBehaviour(records=[ticket(n) for n in range(5)]))
    state = create_state_table(pipeline.name)
    source = api_source(
        api.url,
        "/offset",
        {"offset": {"limit": 10, "total_path": "total"}},
        method="POST",
        body={"filter": {"updated": {"gte": "${since}", "lt": "${now}"}}, "fields": ["id"]},
    )
    env = incremental_env(state, param=None, initial="2024-01-01T00:10:00Z", lag_seconds=600)
    run(pipeline, source, monkeypatch, **env)
    sent = behaviour.bodies_seen[0]
    assert sent["filter"]["updated"]["gte"] == "2024-01-01T00:00:00Z"
    assert sent["filter"]["updated"]["lt"].endswith("Z") and sent["fields"] == ["id"]
    assert (sent["offset"], sent["limit"]) == (0, 10) or (sent["offset"], sent["limit"]) == (
        "0",
        "10",
    )
