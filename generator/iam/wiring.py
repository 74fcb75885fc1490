"""The derivation's input: one function, what its code calls and what it is wired to.

The deployment model builds one :class:`FunctionWiring` per function; the derivation
needs nothing else. All ARNs are final (built with :mod:`generator.iam.arns`): the
derivation never guesses a name.

Example (the processing function of the ``orders`` pipeline in ``dev``)::

    FunctionWiring(
        function_name="orders-dev-process",
        kind="ingest.process",
        role_name="orders-dev-process",
        account_id="111111111111",
        region="ap-southeast-1",
        partition="aws",
        log_group_name="/aws/lambda/orders-dev-process",
        capabilities=runtime.ingest.process.CAPABILITIES,
        resources={
            "queue": (queue_arn(...),),
            "table": (table_arn(...),),
            "backup_objects": (object_prefix_arn("aws", "orders-dev-backup", "raw"),),
        },
        event_source="queue",
        kms_keys={"queue": key, "table": key, "backup_objects": key},
        tracing=True,
        permissions_boundary="arn:aws:iam::111111111111:policy/workload-boundary",
    )
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.iam.capabilities import RESOURCE_ROLES, CapabilityLike, ResourceRole

_ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9]+$")


class WiringError(ValueError):
    """The wiring contradicts itself: a bug in the code that built it, not user input."""


@dataclass(frozen=True)
class FunctionWiring:
    """Everything the IAM derivation needs to know about one function.

    ``kind`` names the function kind (``ingest.retrieve``) for the proof table.
    ``capabilities`` are the runtime's declarations for the handler. ``resources`` maps
    each resource role to the ARNs of the resources of that role the function is wired to
    (S3 object roles as ``arn:aws:s3:::bucket/prefix/*``). ``event_source`` is the role
    whose resource the Lambda service polls for this function (``"queue"`` for an SQS
    event source mapping), ``None`` for functions invoked otherwise. ``kms_keys`` maps a
    role to the customer managed key that encrypts its resource; roles absent from it use
    AWS owned or AWS managed keys, which need no grant in the function's policy.
    ``dead_letter_arn`` is the SQS queue the Lambda service sends failed asynchronous
    invocations to (``dead_letter_config``); it is encrypted with the ``queue`` key.

    A capability whose role has no ARNs here grants nothing: the component is not used in
    this configuration (the secret store of a source without ``auth``). If the code calls
    it anyway, the proof's recorded calls show the denial.
    """

    function_name: str
    kind: str
    role_name: str
    account_id: str
    region: str
    log_group_name: str
    capabilities: tuple[CapabilityLike, ...]
    resources: Mapping[ResourceRole, tuple[str, ...]] = field(default_factory=dict)
    partition: str = "aws"
    event_source: ResourceRole | None = None
    kms_keys: Mapping[ResourceRole, str] = field(default_factory=dict)
    tracing: bool = True
    permissions_boundary: str | None = None
    dead_letter_arn: str | None = None

    def validate(self) -> None:
        """Raise :class:`WiringError` when the wiring cannot produce a sound policy.

        Checked: every capability names a known role; every action is
        ``service:Action`` with no wildcard; the event source's role has ARNs; no ARN is
        ``*`` or contains a wildcard other than the trailing ``/*`` of an object prefix;
        the account id is 12 digits.
        """
        if not re.fullmatch(r"\d{12}", self.account_id):
            raise WiringError(
                f"{self.function_name}: account id {self.account_id!r} is not 12 digits"
            )
        for capability in self.capabilities:
            if capability.resource not in RESOURCE_ROLES:
                raise WiringError(
                    f"{self.function_name}: {capability.component} declares unknown resource "
                    f"role {capability.resource!r}; known: {', '.join(RESOURCE_ROLES)}"
                )
            for action in capability.actions:
                if not _ACTION.fullmatch(action):
                    raise WiringError(
                        f"{self.function_name}: {capability.component} declares {action!r}; "
                        "actions must be service:Action without wildcards"
                    )
        if self.event_source is not None and not self.resources.get(self.event_source):
            raise WiringError(f"{self.function_name}: event source {self.event_source} has no ARN")
        for role, arns in self.resources.items():
            for arn in arns:
                body = arn[:-2] if role == "backup_objects" and arn.endswith("/*") else arn
                if not arn.startswith("arn:") or "*" in body or "?" in body:
                    raise WiringError(f"{self.function_name}: {role} ARN {arn!r} is not exact")
