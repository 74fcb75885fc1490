"""End to end: the built zip, unzipped, invoked in a separate Python process as Lambda would.

The child process runs with ``-S`` (no site-packages) and ``sys.path`` = the unzipped bundle
plus a directory holding only boto3 and its dependencies (what the Lambda runtime
provides), so a module missing from the zip fails the test.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import boto3
import botocore
import pytest

from generator.bundle import HANDLERS, Bundle
from tests.runtime.support import (
    SourceBehaviour,
    SourceServer,
    create_pipeline,
    drain,
    envelope,
    load_event,
    order,
    page_source,
    sqs_event,
    table_items,
    versions,
)

_SDK = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")

_CHILD = """
import json, sys
bundle, sdk, handler_path = sys.argv[1:4]
sys.path[:0] = [bundle, sdk]
module_name, _, function = handler_path.rpartition(".")
import importlib
module = importlib.import_module(module_name)
import runtime, stamina
assert runtime.__file__.startswith(bundle), runtime.__file__
assert stamina.__file__.startswith(bundle), stamina.__file__
class Context:
    aws_request_id = "e2e-request"
    function_name = "e2e"
event = json.load(sys.stdin)
result = getattr(module, function)(event, Context())
print("RESULT " + json.dumps(result))
"""


@pytest.fixture(scope="module")
def lambda_dirs(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The unzipped bundle, and a directory with only the SDK the Lambda runtime provides."""
    task = tmp_path_factory.mktemp("task")
    zipfile.ZipFile(io.BytesIO(bundle.data)).extractall(task)
    sdk = tmp_path_factory.mktemp("sdk")
    site = Path(botocore.__file__).parent.parent
    assert Path(boto3.__file__).parent.parent == site
    for name in _SDK:
        (sdk / name).symlink_to(site / name)
    return task, sdk


def invoke(
    lambda_dirs: tuple[Path, Path], handler: str, event: dict[str, Any], env: dict[str, str]
) -> tuple[Any, list[dict[str, Any]]]:
    """Run ``handler`` in a fresh ``python -S`` process; returns its result and JSON lines."""
    task, sdk = lambda_dirs
    child_env = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
    child_env.update(env, PATH="/usr/bin:/bin", LAMBDA_TASK_ROOT=str(task))
    completed = subprocess.run(
        [sys.executable, "-S", "-c", _CHILD, str(task), str(sdk), handler],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        env=child_env,
        cwd=task,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    lines = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
    result = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(result.removeprefix("RESULT ")), lines


def test_processing_handler_from_the_zip_stores_records(
    moto_endpoint: str, lambda_dirs: tuple[Path, Path]
) -> None:
    """The zip's process handler, given a real SQS event, stores, backs up and reports failures."""
    pipeline = create_pipeline()
    event = sqs_event([envelope(order(n)) for n in range(30)] + ["{broken"])
    result, lines = invoke(lambda_dirs, HANDLERS["process"], event, pipeline.processing_env())
    assert result == {"batchItemFailures": [{"itemIdentifier": event["Records"][-1]["messageId"]}]}
    assert len(table_items(pipeline.table_name)) == 30
    assert len(versions(pipeline.bucket, "raw/")) == 30
    emf = next(line for line in lines if "_aws" in line)
    assert (emf["RecordsChanged"], emf["RecordsFailed"]) == (30, 1)
    # replay: nothing new is written
    result, lines = invoke(lambda_dirs, HANDLERS["process"], event, pipeline.processing_env())
    emf = next(line for line in lines if "_aws" in line)
    assert (emf["RecordsChanged"], emf["RecordsUnchanged"]) == (0, 30)


def test_sample_event_through_the_zip(moto_endpoint: str, lambda_dirs: tuple[Path, Path]) -> None:
    """The checked-in SQS sample event runs through the zipped handler."""
    pipeline = create_pipeline()
    result, _ = invoke(
        lambda_dirs, HANDLERS["process"], load_event("sqs_batch.json"), pipeline.processing_env()
    )
    assert len(result["batchItemFailures"]) == 1
    assert sorted(table_items(pipeline.table_name)) == ["A-1001", "A-1002"]


def test_retrieval_handler_from_the_zip_enqueues_pages(
    moto_endpoint: str, lambda_dirs: tuple[Path, Path], source_server: SourceServer
) -> None:
    """The zip's retrieve handler fetches the local source and fills the queue."""
    pipeline = create_pipeline()
    source_server.reset(SourceBehaviour(total=37))
    env = pipeline.retrieval_env(page_source(source_server.url))
    result, lines = invoke(
        lambda_dirs, HANDLERS["retrieve"], load_event("scheduler_event.json"), env
    )
    assert result["records_enqueued"] == 37
    assert result["correlation_id"] == "e2e-request"
    assert len(drain(pipeline.queue_url)) == 37
    assert any(line.get("message") == "run finished" for line in lines)


def test_a_bad_setting_fails_the_cold_start_naming_the_variable(
    moto_endpoint: str, lambda_dirs: tuple[Path, Path]
) -> None:
    """A malformed TRELLIS_SHAPE stops the function at cold start with the variable's name."""
    task, sdk = lambda_dirs
    env = create_pipeline().processing_env(TRELLIS_SHAPE='{"key": "id"}')
    completed = subprocess.run(
        [sys.executable, "-S", "-c", _CHILD, str(task), str(sdk), HANDLERS["process"]],
        input=json.dumps(sqs_event([envelope(order(1))])),
        capture_output=True,
        text=True,
        env={**{k: v for k, v in os.environ.items() if k.startswith("AWS_")}, **env},
        check=False,
        timeout=120,
    )
    assert completed.returncode != 0
    assert "SettingsError: environment variable TRELLIS_SHAPE: fields" in completed.stderr
