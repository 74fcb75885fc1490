"""The declared capabilities are exactly the AWS actions the handlers call.

Every request the handlers send to the moto endpoint is recorded (a ``before-send`` hook
on boto3's default session, which the runtime's clients are created from), mapped to
the IAM action that authorises it, and compared with the handler's ``CAPABILITIES``:
recorded ⊆ declared (nothing would be denied) and declared ⊆ recorded (nothing is
granted that the code does not use).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from runtime.ingest import process, retrieve
from tests.runtime.api_source import (
    ApiBehaviour,
    ApiSource,
    api_source,
    create_state_table,
    incremental_env,
)
from tests.runtime.support import (
    FakeContext,
    SourceBehaviour,
    SourceServer,
    create_pipeline,
    envelope,
    order,
    page_source,
    sqs_event,
)

#: API operation -> the IAM action that authorises it, where the names differ.
AUTHORISED_BY = {
    "sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
    "sqs:SendMessageBatch": "sqs:SendMessage",
}
PREFIX = {"dynamodb": "dynamodb", "s3": "s3", "sqs": "sqs", "ssm": "ssm"}


@pytest.fixture
def recorded(moto_endpoint: str) -> Iterator[set[str]]:
    """IAM actions of every request sent by clients created during the test."""
    actions: set[str] = set()
    boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    assert session is not None

    def record(**kwargs: Any) -> None:
        _, service, operation = kwargs["event_name"].split(".")
        action = f"{PREFIX.get(service, service)}:{operation}"
        actions.add(AUTHORISED_BY.get(action, action))

    session.events.register("before-send", record)
    yield actions
    boto3.setup_default_session()


def declared(capabilities: tuple[Any, ...]) -> set[str]:
    """The flat set of declared actions."""
    return {action for capability in capabilities for action in capability.actions}


def test_processing_calls_exactly_its_declared_actions(
    recorded: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """New, changed, unchanged-newer and malformed records exercise every declared action."""
    pipeline = create_pipeline()
    for key, value in pipeline.processing_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(process, "_wiring", None)
    recorded.clear()
    process.handler(sqs_event([envelope(order(1, status="open"), observed_at=1)]), FakeContext())
    process.handler(sqs_event([envelope(order(1, status="paid"), observed_at=2)]), FakeContext())
    process.handler(sqs_event([envelope(order(1, status="paid"), observed_at=3)]), FakeContext())
    process.handler(sqs_event(["not json"]), FakeContext())
    assert recorded == declared(process.CAPABILITIES)


def test_retrieval_calls_exactly_its_declared_actions(
    recorded: set[str], source_server: SourceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run with SSM auth, a stop switch and a checkpoint to clear, then an incremental
    run, exercise every declared action of retrieval."""
    pipeline = create_pipeline()
    state = create_state_table(pipeline.name)
    ssm = boto3.client("ssm")
    ssm.put_parameter(Name=f"/{pipeline.name}/t", Value="x", Type="SecureString")
    ssm.put_parameter(Name=f"/{pipeline.name}/checkpoint", Value='{"page": 1}', Type="String")
    monkeypatch.setenv("TRELLIS_CHECKPOINT_PARAMETER", f"/{pipeline.name}/checkpoint")
    monkeypatch.setenv("TRELLIS_STOP_PARAMETER", f"/{pipeline.name}/stop")
    source_server.reset(SourceBehaviour(total=15))
    source = page_source(source_server.url) | {
        "auth": {"bearer_token_parameter": f"/{pipeline.name}/t"}
    }
    for key, value in pipeline.retrieval_env(source).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(retrieve, "_wiring", None)
    recorded.clear()
    retrieve.handler({}, FakeContext())
    monkeypatch.delenv("TRELLIS_CHECKPOINT_PARAMETER")
    monkeypatch.delenv("TRELLIS_STOP_PARAMETER")
    api = ApiSource()
    try:
        api.reset(ApiBehaviour(auth=("bearer", "x")))
        source = api_source(api.url, "/github", {"link_header": {}}) | {
            "auth": {"bearer_token_parameter": f"/{pipeline.name}/t"}
        }
        env = pipeline.retrieval_env(source, **incremental_env(state))
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        monkeypatch.setattr(retrieve, "_wiring", None)
        summary = retrieve.handler({}, FakeContext())
    finally:
        api.stop()
    assert summary["high_water_mark"] == "2024-01-01T00:00:44Z"
    assert recorded == declared(retrieve.CAPABILITIES)
