"""The interface between the stages and a blueprint kind: :class:`KindPlugin`.

Each stage calls the kind's plugin (found with :func:`generator.kind_registry.plugin`) for the
part only the kind knows; everything shared (tags, state backend, roles, versions and
providers, the IAM review files) stays in the stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from generator.derive import StackRoles
    from generator.graph.model import Edge, Node
    from generator.iam.wiring import FunctionWiring
    from generator.model.deployment import Deployment, Function, Resources, Target


@dataclass(frozen=True)
class StackTemplates:
    """A kind's part of a root stack: file name → template, and the values they read."""

    files: Mapping[str, str]
    context: Mapping[str, Any] = field(default_factory=dict)


class KindPlugin:
    """What one kind contributes to resolve, derive, render, graph and ``validate``.

    Subclasses set :attr:`kind` and override the methods; the defaults describe a kind
    that runs no functions and has no renderer yet.
    """

    kind: str = ""
    bundle: str = "runtime"
    """The zip its functions run from: ``"runtime"`` (ingestion) or ``"auth"`` (joserfc and
    cryptography, which no other kind needs; see :mod:`generator.bundle`)."""
    local_run: Literal["pipeline", "login"] | None = None
    """How ``trellis run`` runs it on this machine: ``"pipeline"`` (retrieve → queue →
    process against moto; the operations commands ``status``, ``replay``, ``pause``,
    ``restore``… work on these kinds too), ``"login"`` (its functions behind a local HTTP
    server), or ``None`` (nothing runs locally)."""
    references: Mapping[str, str] = {}
    """Spec fields naming another blueprint, with the kind it must be (the loader checks)."""
    cloudfront_domain: bool = False
    """Whether its ``domain`` is served by CloudFront with its ``certificate_arn`` (which
    must then be held by the deployment's own account, one deployment per domain)."""

    def resources(
        self, blueprint: str, spec: Any, target: Target, kinds: Mapping[str, str]
    ) -> Resources:
        """Names, ARNs and runtime settings of ``spec`` in ``target``.

        ``kinds`` maps every blueprint of the repository to its kind, for kinds that
        refer to other blueprints.
        """
        raise NotImplementedError

    def resource_names(self, resources: Any) -> list[str]:
        """Every AWS name ``resources`` give besides their functions' (for collisions)."""
        raise NotImplementedError

    def summary(self, resources: Any) -> dict[str, object]:
        """What ``trellis validate`` prints about ``resources`` beyond stack and functions."""
        return {}

    def wiring(self, deployment: Deployment, function: Function) -> FunctionWiring | None:
        """How ``function`` is wired to the stack's resources; ``None`` when its runtime
        has not landed yet (it then gets no derived role)."""
        return None

    def templates(self, deployment: Deployment, roles: StackRoles) -> StackTemplates:
        """The kind's templates of a root stack and the values they need.

        Raises ``NotImplementedError`` while the kind has no renderer; the render stage
        reports the stack as skipped instead of writing part of it.
        """
        msg = f"rendering {deployment.kind} is not implemented yet"
        raise NotImplementedError(msg)

    def graph(self, deployment: Deployment) -> tuple[list[Node], list[Edge]]:
        """The data flow of ``deployment``: boxes and arrows in drawing order."""
        raise NotImplementedError
