"""What a function may do, as data: the runtime's declarations and the platform's.

The runtime declares, per component, the AWS actions its own code calls and on which
kind of resource (``runtime.core.capabilities.Capability``). The generator does not
import the runtime's type: anything with ``component``, ``resource`` and ``actions``
attributes is accepted (:class:`CapabilityLike`), so the derivation can be tested and
reused without the runtime installed.

What the Lambda *service* does with the function's role (write the function's logs, send
trace segments, poll the event source, call KMS on the caller's behalf when SQS, S3,
DynamoDB or SSM encrypt or decrypt) is not in the runtime's code. Those grants are
:class:`PlatformCapability` values declared in :mod:`generator.iam.platform`, each with
the reason it is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

ResourceRole = Literal["queue", "table", "backup_objects", "parameter", "checkpoint", "stop_switch"]
"""The resources a runtime component is wired to (mirrors ``runtime.core.capabilities``)."""

RESOURCE_ROLES: tuple[ResourceRole, ...] = (
    "queue",
    "table",
    "backup_objects",
    "parameter",
    "checkpoint",
    "stop_switch",
)

PlatformTarget = Literal["log_group", "queue", "dead_letter", "kms_key", "none"]
"""Where a platform grant applies: the function's own log group, its event-source queue,
the KMS key of a resource role, or no resource at all (AWS defines the action on none)."""


class CapabilityLike(Protocol):
    """A runtime component's declaration: it calls ``actions`` on its ``resource``."""

    @property
    def component(self) -> str:
        """Dotted name of the component (``ingest.dedup``)."""
        ...

    @property
    def resource(self) -> str:
        """The resource role (one of :data:`RESOURCE_ROLES`)."""
        ...

    @property
    def actions(self) -> tuple[str, ...]:
        """IAM actions (``service:Action``) the component's code calls."""
        ...


@dataclass(frozen=True, order=True)
class PlatformCapability:
    """A grant the Lambda service or another AWS service needs on the function's behalf.

    ``component`` names who makes the call (``lambda.logs``), ``target`` where it applies,
    ``reason`` why (it is printed in the proof table and the docs). ``via_service`` is the
    service prefix (``sqs``) for KMS calls a service makes on the caller's behalf; the
    derived statement then carries a ``kms:ViaService`` condition, and ``key_role`` names
    the resource role whose key it is (the wiring maps roles to key ARNs).
    """

    component: str
    target: PlatformTarget
    actions: tuple[str, ...]
    reason: str
    via_service: str | None = None
    key_role: str | None = None
