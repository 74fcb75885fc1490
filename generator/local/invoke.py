"""The real handlers, invoked in this process the way Lambda invokes them.

Each :class:`LocalFunction` imports the handler named in the deployment model
(``runtime.ingest.retrieve.handler``), sets the function's ``TRELLIS_*`` variables plus
the local endpoint's while it runs, and passes a Lambda-shaped context. Its first
invocation is a cold start (the handler module's cached wiring is cleared first). What
the handler prints — JSON log lines and the EMF metrics line — is captured, shipped to the
function's log group on the local endpoint (so ``trellis trace`` and ``trellis dlq
inspect`` work against it) and returned.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from generator.model.deployment import Function

__all__ = ["Invocation", "LambdaContext", "LocalFunction"]


@dataclass
class LambdaContext:
    """The attributes of Lambda's context object the handlers may read."""

    function_name: str
    memory_limit_in_mb: int
    timeout_seconds: int
    invoked_function_arn: str
    log_group_name: str
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    started: float = field(default_factory=time.monotonic)

    @property
    def log_stream_name(self) -> str:
        """The stream Lambda would write this invocation to."""
        return time.strftime("%Y/%m/%d/[$LATEST]", time.gmtime()) + self.aws_request_id

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the configured timeout."""
        left = self.timeout_seconds - (time.monotonic() - self.started)
        return max(0, int(left * 1000))


@dataclass(frozen=True)
class Invocation:
    """One invocation's result (or error), log lines and EMF metric documents."""

    result: Any
    error: BaseException | None
    lines: tuple[str, ...]
    metrics: tuple[dict[str, Any], ...]
    request_id: str


class _Lines:
    """A write-only text stream that collects complete lines (thread-safe)."""

    def __init__(self) -> None:
        self._buffer = ""
        self._lines: list[str] = []
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            self._buffer += text
            *complete, self._buffer = self._buffer.split("\n")
            self._lines.extend(line for line in complete if line.strip())
        return len(text)

    def flush(self) -> None:
        """Nothing is buffered beyond an incomplete line."""

    def take(self) -> list[str]:
        with self._lock:
            lines, self._lines = self._lines, []
        return lines


_SINK = _Lines()


@contextlib.contextmanager
def patched_environ(values: Mapping[str, str]) -> Iterator[None]:
    """``os.environ`` with ``values`` set for the block, then put back as it was."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _timestamp_ms(line: str) -> int:
    try:
        document = json.loads(line)
    except json.JSONDecodeError:
        return int(time.time() * 1000)
    if isinstance(document, dict):
        stamp = document.get("timestamp")
        if isinstance(stamp, str):
            with contextlib.suppress(ValueError):
                return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)
        aws = document.get("_aws")
        if isinstance(aws, dict) and isinstance(aws.get("Timestamp"), int):
            return int(aws["Timestamp"])
    return int(time.time() * 1000)


class LocalFunction:
    """One function of the model, runnable in-process against the local endpoint."""

    def __init__(
        self,
        function: Function,
        *,
        environment: Mapping[str, str],
        logs_client: Any | None = None,
    ) -> None:
        self.function = function
        self.environment = {**dict(function.environment), **environment}
        self._logs = logs_client
        module_name, _, attribute = function.handler.rpartition(".")
        self._module = importlib.import_module(module_name)
        self._handler = getattr(self._module, attribute)
        if hasattr(self._module, "_wiring"):
            setattr(self._module, "_wiring", None)  # noqa: B010 - the next invocation is a cold start
        # One sink for every function: the runtime's logger keeps the stream it was given at
        # cold start, and invocations run one after another, so each takes its own lines.
        self._sink = _SINK

    def context(self) -> LambdaContext:
        """A fresh context for one invocation."""
        return LambdaContext(
            function_name=self.function.name,
            memory_limit_in_mb=self.function.memory_mb,
            timeout_seconds=self.function.timeout_seconds,
            invoked_function_arn=self.function.arn,
            log_group_name=self.function.log_group,
        )

    def invoke(self, event: Mapping[str, Any]) -> Invocation:
        """Call the handler once; an exception it raises is returned, not raised."""
        context = self.context()
        result: Any = None
        error: BaseException | None = None
        with patched_environ(self.environment), contextlib.redirect_stdout(self._sink):
            try:
                result = self._handler(dict(event), context)
            except Exception as raised:  # Lambda reports a handler's exception as the result
                error = raised
        lines = self._sink.take()
        self._ship(context, lines)
        metrics = []
        for line in lines:
            if '"_aws"' in line:
                with contextlib.suppress(json.JSONDecodeError):
                    document = json.loads(line)
                    if isinstance(document, dict) and "_aws" in document:
                        metrics.append(document)
        return Invocation(result, error, tuple(lines), tuple(metrics), context.aws_request_id)

    def _ship(self, context: LambdaContext, lines: list[str]) -> None:
        if self._logs is None or not lines:
            return
        stream = context.log_stream_name
        self._logs.create_log_stream(logGroupName=self.function.log_group, logStreamName=stream)
        events = sorted(
            ({"timestamp": _timestamp_ms(line), "message": line} for line in lines),
            key=lambda e: int(e["timestamp"]),  # type: ignore[call-overload]
        )
        for start in range(0, len(events), 1000):
            self._logs.put_log_events(
                logGroupName=self.function.log_group,
                logStreamName=stream,
                logEvents=events[start : start + 1000],
            )
