"""The stop switch, flipped by an operator: ``trellis pause`` and ``trellis resume``.

The parameter's name comes from the retrieval function's ``TRELLIS_STOP_PARAMETER`` in the
deployment model, so the command writes exactly what the function reads. Pausing takes
effect at the start of the next retrieval run (a run in progress finishes); records
already queued are still processed. This command writes (``ssm:PutParameter``).

What can go wrong: a queue-triggered pipeline has no retrieval to pause (a user error
naming the fix: disable the producer); AWS errors become user errors as elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import UserError
from generator.ops.target import PipelineTarget

__all__ = ["SwitchState", "read_switch", "set_switch"]

PAUSED = "paused"
RUNNING = "running"


@dataclass(frozen=True)
class SwitchState:
    """The stop parameter's name and value after the command."""

    parameter: str
    value: str
    previous: str | None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return dict(self.__dict__)


def stop_parameter(target: PipelineTarget) -> str:
    """The stop switch's parameter name.

    Raises:
        UserError: the pipeline has no retrieval function.
    """
    retrieve = target.resources.retrieve
    name = dict(retrieve.environment).get("TRELLIS_STOP_PARAMETER") if retrieve else None
    if not name:
        raise UserError.single(
            target.deployment.source_file,
            f"{target.deployment.blueprint} has no retrieval (trigger: queue): nothing to pause",
            hint="stop the producers that send to its queue instead",
        )
    return name


def read_switch(target: PipelineTarget) -> str | None:
    """The parameter's current value (None when it was never set: running)."""
    ssm = target.client("ssm")
    try:
        return str(ssm.get_parameter(Name=stop_parameter(target))["Parameter"]["Value"])
    except ssm.exceptions.ParameterNotFound:
        return None


def set_switch(target: PipelineTarget, *, paused: bool) -> SwitchState:
    """Write ``paused`` or ``running`` to the stop parameter."""
    name = stop_parameter(target)
    previous = read_switch(target)
    value = PAUSED if paused else RUNNING
    target.client("ssm").put_parameter(
        Name=name,
        Value=value,
        Type="String",
        Overwrite=True,
        Description="trellis stop switch: 'paused' halts retrieval at the start of each run",
    )
    return SwitchState(parameter=name, value=value, previous=previous)
