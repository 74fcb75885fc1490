"""The stop switch: an SSM parameter per pipeline an operator flips to halt retrieval.

The retrieval function reads ``TRELLIS_STOP_PARAMETER`` (``/trellis/<env>/<blueprint>/stop``)
at the start of every run. When it holds ``paused`` the run fetches nothing and ends at
once (successfully: a paused pipeline is not an error, and records already queued are
still processed). ``trellis pause`` / ``trellis resume`` write it; an absent parameter
means running, so a pipeline never paused needs no parameter at all.

What can go wrong: reading is retried like every AWS call; if SSM still fails, the error
propagates and the run fails loudly rather than running while it may have been paused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runtime import contract
from runtime.core.aws import classify_aws_error
from runtime.core.capabilities import Capability
from runtime.core.retry import Retrier

__all__ = ["CAPABILITIES", "PAUSED", "RUNNING", "STOP_PARAMETER_VARIABLE", "StopSwitch"]

CAPABILITIES: tuple[Capability, ...] = (
    Capability(component="core.stop_switch", resource="stop_switch", actions=("ssm:GetParameter",)),
)

STOP_PARAMETER_VARIABLE = contract.STOP_PARAMETER
PAUSED = "paused"
RUNNING = "running"


class StopSwitch:
    """Reads the pipeline's stop parameter through ``ssm_client``."""

    def __init__(self, ssm_client: Any, parameter: str, retrier: Retrier) -> None:
        self._ssm = ssm_client
        self.parameter = parameter
        self._retrier = retrier

    @classmethod
    def from_environment(
        cls, env: Mapping[str, str], ssm_client: Any, retrier: Retrier
    ) -> StopSwitch | None:
        """The switch named by ``TRELLIS_STOP_PARAMETER``, or None when it is not set."""
        name = env.get(STOP_PARAMETER_VARIABLE, "").strip()
        return cls(ssm_client, name, retrier) if name else None

    def engaged(self) -> bool:
        """True when the parameter holds ``paused`` (an absent parameter is running)."""
        from botocore.exceptions import ClientError  # botocore comes with boto3

        def attempt() -> Any:
            return self._ssm.get_parameter(Name=self.parameter)

        try:
            response = self._retrier.call("ssm.GetParameter", attempt, classify_aws_error)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ParameterNotFound":
                return False
            raise
        return str(response["Parameter"]["Value"]).strip().lower() == PAUSED
