"""What each runtime component calls on AWS, declared next to its code.

The generator reads these declarations to grant a function exactly the IAM actions of
the components its handler wires in, on exactly the resources they are wired to. A
component that calls an AWS API it has not declared here fails with ``AccessDenied`` in
production, and the IAM tests (recorded calls ⊆ granted actions) catch it first.

Only actions the code itself calls belong here: what the Lambda service does on the
function's behalf (writing logs, X-Ray, polling SQS, KMS for SecureString parameters)
is granted by the generator from one reviewed list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Capability", "ResourceRole", "union"]

ResourceRole = Literal["queue", "table", "backup_objects", "parameter", "checkpoint", "stop_switch"]


@dataclass(frozen=True)
class Capability:
    """IAM actions one component calls on one wired resource.

    ``component`` names the module (``"ingest.dedup_store"``), ``resource`` the role of
    the resource in the pipeline (the generator maps it to an ARN), ``actions`` the IAM
    action names, sorted.
    """

    component: str
    resource: ResourceRole
    actions: tuple[str, ...]


def union(*groups: tuple[Capability, ...]) -> tuple[Capability, ...]:
    """The capabilities of several components, de-duplicated and sorted for stable output."""
    seen = {capability for group in groups for capability in group}
    return tuple(sorted(seen, key=lambda c: (c.component, c.resource, c.actions)))
