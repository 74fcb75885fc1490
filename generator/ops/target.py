"""From ``BLUEPRINT --env ENV`` to the pipeline's AWS resources and clients.

Names come from the deployment model (the same resolve stage that renders the Terraform),
so a diagnostic reads exactly the queue, table, bucket and log groups that were deployed.
Credentials follow boto3's standard chain; ``--profile``, ``--region`` and
``--endpoint-url`` (a local moto endpoint from ``trellis run --keep``) override it.

What can go wrong, each a :class:`~generator.errors.UserError` with a fix: the blueprint
or environment does not exist, the blueprint is not an IngestionPipeline, no credentials
are found, the endpoint cannot be reached, or a resource the model names is missing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, Protocol, TypeVar, cast

from generator import kind_registry
from generator.errors import UserError
from generator.model.deployment import Deployment, Function

__all__ = [
    "AwsOptions",
    "IngestionResources",
    "PipelineTarget",
    "aws_errors_as_user_errors",
    "resolve_pipeline",
]

# The kinds these commands operate on are those ``trellis run`` runs as a pipeline (the
# kind registry says which). They read the kind's resources through the protocol below,
# not its class: the CLI reaches no kind's folder (import-linter).


class IngestionResources(Protocol):
    """What the commands read from an ingestion pipeline's resolved resources."""

    queue_name: str
    dlq_name: str
    table_name: str
    backup_bucket: str
    backup_prefix: str
    kms_alias: str
    retrieve: Function | None
    process: Function

    @property
    def functions(self) -> tuple[Function, ...]:
        """The pipeline's functions, retrieval first."""
        ...


P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class AwsOptions:
    """Where the AWS calls go: profile, region and endpoint (all optional)."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None


@dataclass
class PipelineTarget:
    """One ingestion pipeline in one environment, with clients for its account."""

    deployment: Deployment
    resources: IngestionResources
    options: AwsOptions
    session: Any = None
    _clients: dict[str, Any] = field(default_factory=dict)
    _queue_urls: dict[str, str] = field(default_factory=dict)

    @property
    def region(self) -> str:
        """The region calls go to: ``--region``, else the environment's."""
        return self.options.region or self.deployment.target.region

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` (one per service, reused)."""
        if service not in self._clients:
            if self.session is None:
                import boto3  # deferred: `trellis --help` stays fast

                self.session = boto3.Session(profile_name=self.options.profile)
            self._clients[service] = self.session.client(
                service, region_name=self.region, endpoint_url=self.options.endpoint_url
            )
        return self._clients[service]

    def queue_url(self, name: str) -> str:
        """The URL of queue ``name`` as this endpoint spells it (``GetQueueUrl``)."""
        if name not in self._queue_urls:
            response = self.client("sqs").get_queue_url(QueueName=name)
            self._queue_urls[name] = str(response["QueueUrl"])
        return self._queue_urls[name]

    @property
    def functions(self) -> tuple[Function, ...]:
        """The pipeline's functions, retrieval first."""
        return self.resources.functions

    def function_environment(self, purpose: str) -> dict[str, str]:
        """The ``TRELLIS_*`` variables the generator sets on function ``purpose``."""
        for function in self.functions:
            if function.purpose == purpose:
                return dict(function.environment)
        raise KeyError(purpose)


def find_deployment(
    deployments: tuple[Deployment, ...], root: Path, blueprint: str, env: str
) -> Deployment:
    """The deployment of ``blueprint`` in ``env``.

    Raises:
        UserError: no such blueprint or environment, naming the ones that exist.
    """
    envs = sorted({d.target.env for d in deployments})
    if env not in envs:
        raise UserError.single(
            f"environments/{env}.yaml",
            f"environment {env!r} does not exist",
            hint=f"use one of: {', '.join(envs)} (files in {root / 'environments'})",
            code="unknown-environment",
        )
    names = sorted({d.blueprint for d in deployments})
    for deployment in deployments:
        if deployment.blueprint == blueprint and deployment.target.env == env:
            return deployment
    raise UserError.single(
        f"blueprints/{blueprint}.yaml",
        f"blueprint {blueprint!r} does not exist",
        hint=f"use one of: {', '.join(names)}",
        code="unknown-blueprint",
    )


def _is_pipeline(deployment: Deployment) -> bool:
    return kind_registry.plugin(deployment.kind).local_run == "pipeline"


def ingestion_resources(deployment: Deployment) -> IngestionResources:
    """The pipeline resources of ``deployment``.

    Raises:
        UserError: the blueprint is of another kind.
    """
    if not _is_pipeline(deployment):
        kinds = kind_registry.kinds_running("pipeline")
        raise UserError.single(
            deployment.source_file,
            f"blueprint {deployment.blueprint!r} is a {deployment.kind}; "
            f"this command works on {' and '.join(kinds)} blueprints",
            hint=f"pass an {kinds[0]} blueprint (kind: {kinds[0]})",
            code="wrong-kind",
        )
    return cast("IngestionResources", deployment.resources)


def resolve_pipeline(
    root: Path, blueprint: str, env: str, options: AwsOptions | None = None
) -> PipelineTarget:
    """Load the repository at ``root`` and return ``blueprint`` in ``env`` with clients.

    Raises:
        UserError: bad input files, an unknown blueprint or environment, or a blueprint
            that is not an IngestionPipeline.
    """
    from generator.pipeline import load_and_resolve

    _, deployments = load_and_resolve(root)
    deployment = find_deployment(deployments, root, blueprint, env)
    return PipelineTarget(deployment, ingestion_resources(deployment), options or AwsOptions())


def resolve_pipelines(
    root: Path, env: str, options: AwsOptions | None = None
) -> list[PipelineTarget]:
    """Every IngestionPipeline of ``env``, sharing one set of clients.

    Raises:
        UserError: bad input files or an unknown environment.
    """
    from generator.pipeline import load_and_resolve

    _, deployments = load_and_resolve(root)
    envs = sorted({d.target.env for d in deployments})
    if env not in envs:
        find_deployment(deployments, root, "", env)  # raises the unknown-environment error
    first: PipelineTarget | None = None
    targets = []
    for deployment in deployments:
        if deployment.target.env == env and _is_pipeline(deployment):
            target = PipelineTarget(
                deployment, ingestion_resources(deployment), options or AwsOptions()
            )
            if first is not None:
                target.session, target._clients = first.session, first._clients
            else:
                first = target
            targets.append(target)
    return targets


_MISSING_RESOURCE_CODES = {
    "AWS.SimpleQueueService.NonExistentQueue": "queue",
    "QueueDoesNotExist": "queue",
    "ResourceNotFoundException": "table or log group",
    "NoSuchBucket": "bucket",
}


def aws_errors_as_user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the AWS failures a user can fix into :class:`UserError` with the fix.

    Missing credentials, an unreachable endpoint, access denied and a resource that is
    not deployed become user errors; any other AWS error stays an internal error.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from botocore.exceptions import (
            ClientError,
            EndpointConnectionError,
            NoCredentialsError,
            NoRegionError,
            ProfileNotFound,
        )

        try:
            return func(*args, **kwargs)
        except (NoCredentialsError, ProfileNotFound) as error:
            raise UserError.single(
                "--profile",
                f"no usable AWS credentials: {error}",
                hint="pass --profile NAME (or set AWS_PROFILE), or --endpoint-url for a "
                "local endpoint started by `trellis run --keep`",
                code="no-credentials",
            ) from None
        except NoRegionError:
            raise UserError.single(
                "--region", "no AWS region", hint="pass --region", code="no-region"
            ) from None
        except EndpointConnectionError as error:
            raise UserError.single(
                "--endpoint-url",
                f"cannot reach {error.kwargs.get('endpoint_url', 'the endpoint')}",
                hint="check the URL; a local endpoint lives only while `trellis run --keep` runs",
                code="unreachable",
            ) from None
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            message = str(error.response.get("Error", {}).get("Message", ""))
            if code in _MISSING_RESOURCE_CODES:
                raise UserError.single(
                    error.operation_name,
                    f"the {_MISSING_RESOURCE_CODES[code]} is not there: {message or code}",
                    hint="deploy the stack first (plan → apply), or check --env, --region "
                    "and --profile point at the account it was deployed to",
                    code="not-deployed",
                ) from None
            if code in ("AccessDenied", "AccessDeniedException", "UnrecognizedClientException"):
                raise UserError.single(
                    error.operation_name,
                    f"access denied: {message or code}",
                    hint="use a profile whose role may read this pipeline's resources",
                    code="access-denied",
                ) from None
            raise

    return wrapper
