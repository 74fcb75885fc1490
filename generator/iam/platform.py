"""Grants the function's role needs for what AWS services do on its behalf.

These calls are not made by trellis' runtime code, so the runtime cannot declare them:

- the Lambda service writes the function's logs to its own log group;
- with active tracing, the function's environment sends X-Ray segments and telemetry;
- an SQS event source mapping polls, deletes and inspects messages with the function's role;
- a function invoked asynchronously (by the scheduler) sends its failed invocations to its
  dead-letter queue with the function's role;
- SQS, S3, DynamoDB and SSM call KMS with the caller's permissions when the resource is
  encrypted with a customer managed key (these grants carry ``kms:ViaService``).

:func:`platform_capabilities` picks the ones a given wiring needs. Each has a reason that
the proof table and the review docs print. The KMS grants follow the services' own key
documentation: SQS producers need ``kms:GenerateDataKey`` and ``kms:Decrypt``, consumers
``kms:Decrypt``; S3 ``PutObject`` with SSE-KMS needs ``kms:GenerateDataKey``, ``GetObject``
``kms:Decrypt``; DynamoDB decrypts the table key with ``kms:Decrypt``; SSM decrypts
``SecureString`` values with ``kms:Decrypt``.
"""

from __future__ import annotations

from generator.iam.capabilities import PlatformCapability, ResourceRole
from generator.iam.wiring import FunctionWiring

LOGS = PlatformCapability(
    component="lambda.logs",
    target="log_group",
    actions=("logs:CreateLogStream", "logs:PutLogEvents"),
    reason="The Lambda service writes the function's output to its own log group "
    "(created by Terraform, so logs:CreateLogGroup is not granted).",
)

TRACING = PlatformCapability(
    component="lambda.xray",
    target="none",
    actions=("xray:PutTelemetryRecords", "xray:PutTraceSegments"),
    reason="Active tracing: the function's environment sends trace segments and telemetry "
    "with the function's role; X-Ray defines these actions on no resource.",
)

SQS_EVENT_SOURCE = PlatformCapability(
    component="lambda.event-source-mapping",
    target="queue",
    actions=("sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"),
    reason="The SQS event source mapping polls the queue, deletes processed messages and "
    "reads the queue's attributes with the function's role.",
)

ASYNC_DEAD_LETTER = PlatformCapability(
    component="lambda.dead-letter",
    target="dead_letter",
    actions=("sqs:SendMessage",),
    reason="The Lambda service sends an asynchronous invocation that failed every attempt "
    "to the function's dead-letter queue (dead_letter_config) with the function's role.",
)

_SERVICE_NAME = {"sqs": "SQS", "dynamodb": "DynamoDB", "s3": "S3", "ssm": "SSM"}

_KMS_SERVICE: dict[ResourceRole, str] = {
    "queue": "sqs",
    "table": "dynamodb",
    "backup_objects": "s3",
    "parameter": "ssm",
}

# (role, action the caller makes on the resource) -> KMS actions the service then makes.
_KMS_FOR_ACTION: dict[tuple[ResourceRole, str], tuple[str, ...]] = {
    ("queue", "sqs:SendMessage"): ("kms:Decrypt", "kms:GenerateDataKey"),
    ("queue", "sqs:ReceiveMessage"): ("kms:Decrypt",),
    ("backup_objects", "s3:PutObject"): ("kms:GenerateDataKey",),
    ("backup_objects", "s3:GetObject"): ("kms:Decrypt",),
    ("parameter", "ssm:GetParameter"): ("kms:Decrypt",),
    ("parameter", "ssm:GetParameters"): ("kms:Decrypt",),
    ("parameter", "ssm:GetParametersByPath"): ("kms:Decrypt",),
}
_KMS_ANY_TABLE_ACTION = ("kms:Decrypt",)


def _kms_actions(role: ResourceRole, actions: set[str]) -> tuple[str, ...]:
    if role == "table":
        return _KMS_ANY_TABLE_ACTION if actions else ()
    found: set[str] = set()
    for action in actions:
        found.update(_KMS_FOR_ACTION.get((role, action), ()))
    return tuple(sorted(found))


def platform_capabilities(wiring: FunctionWiring) -> tuple[PlatformCapability, ...]:
    """The platform grants ``wiring`` needs, sorted by component and target."""
    found: list[PlatformCapability] = [LOGS]
    if wiring.tracing:
        found.append(TRACING)
    calls: dict[ResourceRole, set[str]] = {}
    for capability in wiring.capabilities:
        role: ResourceRole = capability.resource  # type: ignore[assignment]
        if wiring.resources.get(role):  # an unwired component makes no calls
            calls.setdefault(role, set()).update(capability.actions)
    if wiring.event_source == "queue":
        found.append(SQS_EVENT_SOURCE)
        calls.setdefault("queue", set()).update(SQS_EVENT_SOURCE.actions)
    if wiring.dead_letter_arn:
        found.append(ASYNC_DEAD_LETTER)
        # The dead-letter queue shares the queue's key: sending to it needs the same KMS
        # grants as sending to the queue.
        calls.setdefault("queue", set()).update(ASYNC_DEAD_LETTER.actions)
    for role, key in sorted(wiring.kms_keys.items()):
        actions = _kms_actions(role, calls.get(role, set()))
        if not actions or not key:
            continue
        service = _KMS_SERVICE[role]
        found.append(
            PlatformCapability(
                component=f"{service}.kms",
                target="kms_key",
                actions=actions,
                reason=f"{_SERVICE_NAME[service]} calls KMS with the function's permissions "
                f"for its {role.replace('_', ' ')} encrypted with the customer managed key; "
                "allowed only through that service (kms:ViaService).",
                via_service=service,
                key_role=role,
            )
        )
    return tuple(sorted(found, key=lambda c: (c.component, c.target, c.actions)))
