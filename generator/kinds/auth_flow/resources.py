"""The named resources of a Singpass login flow: what resolve gives the later stages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.model.deployment import Function, ParameterRead


@dataclass(frozen=True)
class AuthFlowResources:
    """The named resources of a Singpass login flow.

    ``parameters`` maps each runtime parameter key (``client_id``, ``signing_key``, …) to
    its SSM name; ``function_parameters`` says which of them each function reads.
    ``api_domain_parameter`` is where the stack publishes its API's domain
    (``/trellis/<env>/<name>/api-domain``).
    """

    api_name: str
    kms_alias: str
    access_log_group: str
    alarm_topic_name: str
    api_domain_parameter: str
    redirect_uri: str
    parameters: Mapping[str, str]
    function_parameters: Mapping[str, tuple[str, ...]]
    login: Function
    callback: Function
    session: Function
    logout: Function
    jwks: Function

    @property
    def functions(self) -> tuple[Function, ...]:
        """The flow's functions in redirect order."""
        return (self.login, self.callback, self.session, self.logout, self.jwks)

    @property
    def parameters_written(self) -> tuple[str, ...]:
        """SSM parameters the stack publishes: its API's domain, for the sites it serves."""
        return (self.api_domain_parameter,)

    @property
    def parameters_read(self) -> tuple[ParameterRead, ...]:
        """SSM parameters the stack reads at plan time: none (its functions read theirs at
        run time, granted by their roles)."""
        return ()
