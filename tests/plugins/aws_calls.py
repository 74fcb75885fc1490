"""pytest plugin: record every AWS call made through botocore, as IAM (action, ARN).

How it hooks in: botocore emits ``provide-client-params.<service>.<operation>`` with the
caller's parameters and ``before-call.<service>.<operation>`` just before the request is
sent. :func:`install` registers handlers for both on every botocore session created from
then on (through ``botocore.handlers.BUILTIN_HANDLERS``) and on boto3's default session
if it already exists, so clients created inside the code under test are seen too.
Nothing is patched or stubbed: requests still go to the endpoint (moto server in tests).

What is recorded: while a :class:`CallRecorder` is active and tagged with a function kind
(``with recorder.as_function("ingest.process"):``, or the ``aws_function`` marker for a
whole test), each call becomes one :class:`RecordedCall` per resource it touches: the IAM
action (the operation name, or the action IAM authorises it under, see
:data:`ACTION_FOR_OPERATION`) and the ARN built from the parameters (``QueueUrl`` ->
queue ARN, ``TableName``/``RequestItems`` -> table ARNs, ``Bucket``+``Key`` -> object
ARN, ``Name``/``Names`` -> parameter ARNs). Operations whose resource cannot be derived
are recorded with resource ``*`` and ``derived=False`` so the proof can refuse them.

To prove a whole suite, ``--aws-calls-handlers=runtime.ingest.retrieve,runtime.ingest.process``
records, for the whole session, every call made by those handlers' code (see
:class:`HandlerAttributingRecorder`), untouched by fixture and assertion calls.

Use in a test suite: ``pytest_plugins = ["tests.plugins.aws_calls"]`` in the root
``conftest.py`` (or ``-p tests.plugins.aws_calls``); then the ``aws_calls`` fixture and
the ``@pytest.mark.aws_function("ingest.process")`` marker are available, and
``--aws-calls-out=FILE`` writes every recorded call as JSON at the end of the session
(one file per xdist worker: ``FILE.<worker>``).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

#: Where IAM authorises an operation under another action's name.
ACTION_FOR_OPERATION: dict[tuple[str, str], str] = {
    ("sqs", "SendMessageBatch"): "sqs:SendMessage",
    ("sqs", "DeleteMessageBatch"): "sqs:DeleteMessage",
    ("sqs", "ChangeMessageVisibilityBatch"): "sqs:ChangeMessageVisibility",
    ("s3", "HeadObject"): "s3:GetObject",
    ("s3", "HeadBucket"): "s3:ListBucket",
    ("s3", "ListObjects"): "s3:ListBucket",
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("s3", "ListObjectVersions"): "s3:ListBucketVersions",
    ("s3", "CreateMultipartUpload"): "s3:PutObject",
    ("s3", "UploadPart"): "s3:PutObject",
    ("s3", "CompleteMultipartUpload"): "s3:PutObject",
    ("s3", "AbortMultipartUpload"): "s3:AbortMultipartUpload",
    ("s3", "CopyObject"): "s3:PutObject",
    ("s3", "DeleteObjects"): "s3:DeleteObject",
    ("s3", "GetBucketVersioning"): "s3:GetBucketVersioning",
}


@dataclass(frozen=True, order=True)
class RecordedCall:
    """One (action, resource) a function kind exercised, and the test that did it."""

    function: str
    action: str
    resource: str
    service: str
    operation: str
    test: str
    derived: bool = True
    environment: str = ""


def iam_action(service_prefix: str, service: str, operation: str, params: Mapping[str, Any]) -> str:
    """The IAM action botocore's ``operation`` is authorised under."""
    if service == "s3" and operation in ("GetObject", "HeadObject") and params.get("VersionId"):
        return "s3:GetObjectVersion"
    return ACTION_FOR_OPERATION.get((service, operation), f"{service_prefix}:{operation}")


def _parameter_arn(partition: str, region: str, account: str, name: str) -> str:
    if name.startswith("arn:"):
        return name
    return f"arn:{partition}:ssm:{region}:{account}:parameter/{name.lstrip('/')}"


def resource_arns(
    service: str, params: Mapping[str, Any], *, partition: str, region: str, account: str
) -> tuple[str, ...]:
    """The ARNs a call touches, derived from its parameters; ``()`` when unknown."""
    if service == "sqs":
        if "QueueUrl" in params:
            path = urlparse(str(params["QueueUrl"])).path.strip("/").split("/")
            owner, name = (path[-2], path[-1]) if len(path) >= 2 else (account, path[-1])
            return (f"arn:{partition}:sqs:{region}:{owner}:{name}",)
        if "QueueName" in params:
            return (f"arn:{partition}:sqs:{region}:{account}:{params['QueueName']}",)
    if service == "dynamodb":
        names: list[str] = []
        if "TableName" in params:
            names.append(str(params["TableName"]))
        names.extend(str(name) for name in params.get("RequestItems", {}) or {})
        for item in params.get("TransactItems", []) or []:
            for part in item.values():
                if isinstance(part, dict) and "TableName" in part:
                    names.append(str(part["TableName"]))
        return tuple(
            sorted(
                {
                    n
                    if n.startswith("arn:")
                    else f"arn:{partition}:dynamodb:{region}:{account}:table/{n}"
                    for n in names
                }
            )
        )
    if service == "s3" and "Bucket" in params:
        bucket = str(params["Bucket"])
        if "Key" in params:
            return (f"arn:{partition}:s3:::{bucket}/{params['Key']}",)
        return (f"arn:{partition}:s3:::{bucket}",)
    if service == "ssm":
        if "Name" in params:
            return (_parameter_arn(partition, region, account, str(params["Name"])),)
        if "Names" in params:
            return tuple(
                _parameter_arn(partition, region, account, str(n)) for n in params["Names"]
            )
    if service == "logs" and "logGroupName" in params:
        group = f"arn:{partition}:logs:{region}:{account}:log-group:{params['logGroupName']}"
        if "logStreamName" in params:
            return (f"{group}:log-stream:{params['logStreamName']}",)
        return (group,)
    if service == "kms" and "KeyId" in params:
        key = str(params["KeyId"])
        return (
            key if key.startswith("arn:") else f"arn:{partition}:kms:{region}:{account}:key/{key}",
        )
    return ()


class CallRecorder:
    """Collects :class:`RecordedCall` values while tagged with a function kind.

    ``account`` is the account the local endpoint answers for (moto's default
    ``123456789012`` unless configured) and fills ARNs whose parameters carry no account.
    """

    def __init__(
        self, *, account: str = "123456789012", partition: str = "aws", test: str = ""
    ) -> None:
        self.account = account
        self.partition = partition
        self.test = test
        self.calls: list[RecordedCall] = []
        self._function: str | None = None
        self._lock = threading.Lock()

    @contextmanager
    def as_function(self, kind: str) -> Iterator[CallRecorder]:
        """Attribute every call made inside the block to the function kind ``kind``."""
        install()
        previous = self._function
        self._function = kind
        _ACTIVE.append(self)
        try:
            yield self
        finally:
            _ACTIVE.remove(self)
            self._function = previous

    def _kind(self) -> str | None:
        return self._function

    def _record(
        self, service_model: Any, operation: str, params: Mapping[str, Any], region: str
    ) -> None:
        function = self._kind()
        if function is None:
            return
        service = str(service_model.service_name)
        prefix = str(service_model.signing_name or service_model.endpoint_prefix)
        action = iam_action(prefix, service, operation, params)
        found = resource_arns(
            service, params, partition=self.partition, region=region, account=self.account
        )
        with self._lock:
            for arn in found or ("*",):
                self.calls.append(
                    RecordedCall(
                        function=function,
                        action=action,
                        resource=arn,
                        service=service,
                        operation=operation,
                        test=self.test,
                        derived=bool(found),
                        environment=self._environment(),
                    )
                )

    def _environment(self) -> str:
        return ""


class HandlerAttributingRecorder(CallRecorder):
    """Records the calls made by runtime code anywhere in a session, per function kind.

    A call belongs to a function kind when the calling thread's stack runs the kind's
    handler module (``runtime.ingest.process`` -> ``ingest.process``), or, for work handed
    to a thread pool, a component module that exactly one handler declares in its
    ``CAPABILITIES`` (``runtime.ingest.queue_sender`` -> ``ingest.retrieve``). Calls made
    by test code (fixtures creating resources, assertions reading them back) are not
    recorded; calls from runtime code that no handler claims are recorded as
    ``unattributed:<module>`` so the proof refuses them. Each call keeps the function's
    ``TRELLIS_*`` and ``AWS_REGION`` variables: the wiring the generator configured.
    """

    def __init__(self, handler_modules: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.handlers: dict[str, str] = {}
        claims: dict[str, set[str]] = {}
        for name in handler_modules:
            module = importlib.import_module(name)
            kind = name.removeprefix("runtime.")
            self.handlers[name] = kind
            for capability in getattr(module, "CAPABILITIES", ()):
                claims.setdefault(f"runtime.{capability.component}", set()).add(kind)
        self.components = {m: next(iter(k)) for m, k in claims.items() if len(k) == 1}

    def _kind(self) -> str | None:
        frame = sys._getframe(1)
        modules: list[str] = []
        while frame is not None:
            name = str(frame.f_globals.get("__name__", ""))
            if name.startswith("runtime."):
                modules.append(name)
            frame = frame.f_back  # type: ignore[assignment]
        if not modules:
            return None
        for name in modules:
            if name in self.handlers:
                return self.handlers[name]
        for name in modules:
            if name in self.components:
                return self.components[name]
        return f"unattributed:{modules[0]}"

    def _environment(self) -> str:
        keep = {k: v for k, v in os.environ.items() if k.startswith("TRELLIS_")}
        keep["AWS_REGION"] = os.environ.get("AWS_REGION", "")
        return json.dumps(keep, sort_keys=True)


_ACTIVE: list[CallRecorder] = []
_PARAMS_KEY = "trellis_aws_calls_params"
_INSTALLED = False


def _on_provide_params(params: Mapping[str, Any], context: dict[str, Any], **_: Any) -> None:
    context[_PARAMS_KEY] = dict(params)


def _on_before_call(
    model: Any, context: dict[str, Any], request_signer: Any = None, **_: Any
) -> None:
    if not _ACTIVE:
        return
    params = context.get(_PARAMS_KEY, {})
    region = str(getattr(request_signer, "region_name", "") or "")
    for recorder in list(_ACTIVE):
        recorder._record(model.service_model, model.name, params, region)


def install() -> None:
    """Register the handlers on every botocore session (idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import boto3
    import botocore.handlers

    handlers = [
        ("provide-client-params", _on_provide_params),
        ("before-call", _on_before_call),
    ]
    botocore.handlers.BUILTIN_HANDLERS.extend(handlers)
    if boto3.DEFAULT_SESSION is not None:
        for event, handler in handlers:
            boto3.DEFAULT_SESSION._session.register(event, handler)
    _INSTALLED = True


# -- pytest integration ---------------------------------------------------------------------

_STASH = pytest.StashKey[list[RecordedCall]]()
_SESSION = pytest.StashKey[HandlerAttributingRecorder]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Name the running test on the session recorder (the "exercised by" column)."""
    recorder = item.config.stash.get(_SESSION, None)
    if recorder is not None:
        recorder.test = item.nodeid


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--aws-calls-out``: where to write the session's recorded calls."""
    parser.addoption("--aws-calls-out", default=None, help="write recorded AWS calls as JSON")
    parser.addoption(
        "--aws-calls-handlers",
        default=None,
        help="comma-separated runtime handler modules: record every call their code makes",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Install the botocore hooks and declare the marker."""
    install()
    config.stash[_STASH] = []
    handlers = config.getoption("--aws-calls-handlers", default=None)
    if handlers:
        recorder = HandlerAttributingRecorder(tuple(handlers.split(",")))
        config.stash[_SESSION] = recorder
        _ACTIVE.append(recorder)
    config.addinivalue_line(
        "markers", "aws_function(kind): attribute the test's AWS calls to a function kind"
    )


@pytest.fixture
def aws_calls(request: pytest.FixtureRequest) -> Iterator[CallRecorder]:
    """A recorder for this test; its calls are also kept for ``--aws-calls-out``."""
    recorder = CallRecorder(test=request.node.nodeid)
    yield recorder
    request.config.stash[_STASH].extend(recorder.calls)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """With ``@pytest.mark.aws_function(kind)``, record the whole call phase as ``kind``."""
    marker = item.get_closest_marker("aws_function")
    if marker is None:
        yield
        return
    recorder = CallRecorder(test=item.nodeid)
    with recorder.as_function(str(marker.args[0])):
        yield
    item.config.stash[_STASH].extend(recorder.calls)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the recorded calls when ``--aws-calls-out`` is given."""
    out = session.config.getoption("--aws-calls-out")
    if not out:
        return
    worker = getattr(session.config, "workerinput", {}).get("workerid")
    path = Path(f"{out}.{worker}" if worker else out)
    recorder = session.config.stash.get(_SESSION, None)
    if recorder is not None:
        session.config.stash[_STASH].extend(recorder.calls)
    calls = sorted(session.config.stash[_STASH])
    path.write_text(json.dumps([asdict(c) for c in calls], indent=2) + "\n", encoding="utf-8")
