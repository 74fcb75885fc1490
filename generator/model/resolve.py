"""The resolve stage: blueprint × environment → :class:`Deployment` (no I/O).

Environment overrides are deep-merged over the blueprint's ``spec`` (mappings merge, any
other value replaces) and the result is validated again, so an override can never
produce a spec the blueprint itself could not have. Errors found after merging point at
the environment file when the offending value came from the override.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from generator.blueprint.kinds.auth_flow import AuthFlowSpec
from generator.blueprint.kinds.envelope import SPEC_MODELS
from generator.blueprint.kinds.ingestion import IngestionSpec
from generator.blueprint.kinds.static_site import StaticSiteSpec
from generator.blueprint.loader import Blueprint, EnvironmentFile, Repository
from generator.blueprint.validation import diagnostics_from, suggest
from generator.blueprint.yaml_source import Path_, has_path
from generator.errors import Diagnostic, UserError
from generator.model import names
from generator.model.deployment import (
    MANAGED_BY,
    AuthFlowResources,
    Deployment,
    Function,
    IngestionResources,
    StateBackend,
    StaticSiteResources,
    Target,
)

RUNTIME_PACKAGE = "runtime"


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` laid over ``base``: nested mappings merge, everything else replaces."""
    merged = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def target_of(environment: EnvironmentFile) -> Target:
    """The environment's facts as the model carries them."""
    env = environment.environment
    return Target(
        env=env.name,
        account_id=env.account_id,
        region=env.region,
        partition=env.partition,
        approval=env.approval,
        log_level=env.log.level,
        log_retention_days=env.log.retention_days,
        permissions_boundary=env.permissions_boundary,
        github_repository=env.github.repository,
        github_branch=env.github.branch,
        plan_on_pull_request=env.plans_on_pull_request,
    )


def state_bucket_name(target: Target) -> str:
    """The bootstrap state bucket of an environment: ``<env>-tfstate-<account>-<region>``."""
    return names.make_name(names.S3_BUCKET, target.env, "tfstate", target.account_id, target.region)


def merged_spec(
    blueprint: Blueprint, environment: EnvironmentFile, errors: list[Diagnostic]
) -> Any:
    """The blueprint's spec with the environment's override applied and re-validated."""
    override = environment.environment.overrides.get(blueprint.name)
    if not override:
        return blueprint.spec
    env_doc = environment.document
    prefix: Path_ = ("overrides", blueprint.name)

    def position_of(path: Path_, is_key: bool) -> tuple[int, int] | None:
        inner = path[1:]  # drop "spec"
        if has_path(override, inner):
            where = (*prefix, *inner)
            return env_doc.key_position(where) if is_key else env_doc.position(where)
        return blueprint.document.position(path)

    model = SPEC_MODELS[blueprint.kind]
    try:
        return model.model_validate(deep_merge(blueprint.raw_spec, override))
    except ValidationError as exc:
        for diagnostic in diagnostics_from(
            exc,
            model=model,
            document=blueprint.document,
            prefix=("spec",),
            position_of=position_of,
            note=f"after applying overrides.{blueprint.name} from {env_doc.file}",
        ):
            inner = tuple(diagnostic.path.split("."))[1:]
            from_override = has_path(override, inner) or diagnostic.code.endswith("extra_forbidden")
            file = env_doc.file if from_override else blueprint.file
            path = ".".join((*map(str, prefix), *inner)) if from_override else diagnostic.path
            errors.append(
                Diagnostic(
                    file=file,
                    line=diagnostic.line,
                    column=diagnostic.column,
                    path=path,
                    message=diagnostic.message,
                    code=diagnostic.code,
                    value=diagnostic.value,
                    allowed=diagnostic.allowed,
                    hint=diagnostic.hint,
                )
            )
        return None


def _check_override_targets(
    repository: Repository, environment: EnvironmentFile, errors: list[Diagnostic]
) -> None:
    known = sorted(repository.declared_names | {b.name for b in repository.blueprints})
    for name in environment.environment.overrides:
        if name not in known:
            line, column = environment.document.key_position(("overrides", name)) or (None, None)
            close = suggest(name, known)
            errors.append(
                Diagnostic(
                    file=environment.document.file,
                    line=line,
                    column=column,
                    path=f"overrides.{name}",
                    message=f"override names blueprint {name!r}, which does not exist",
                    code="resolve.unknown-blueprint",
                    value=repr(name),
                    allowed=", ".join(sorted(known)),
                    hint=f"did you mean {close!r}?" if close else "remove the override",
                )
            )


def resolve(
    repository: Repository, errors: list[Diagnostic] | None = None
) -> tuple[Deployment, ...]:
    """Every blueprint resolved for every environment, ordered by environment then name.

    Raises :class:`UserError` with every override problem in every environment, or,
    when ``errors`` is given, appends them there and returns what resolved.
    """
    collected: list[Diagnostic] = [] if errors is None else errors
    before = len(collected)
    deployments: list[Deployment] = []
    auth_flow_names = {b.name for b in repository.blueprints if b.kind == "AuthFlow"}
    for environment in sorted(repository.environments, key=lambda e: e.name):
        _check_override_targets(repository, environment, collected)
        for blueprint in sorted(repository.blueprints, key=lambda b: b.name):
            spec = merged_spec(blueprint, environment, collected)
            if spec is not None:
                deployment = build_deployment(
                    blueprint, spec, target_of(environment), auth_flow_names
                )
                collected.extend(_oversized_settings(blueprint, deployment))
                deployments.append(deployment)
    collected.extend(_name_collisions(repository, deployments))
    if errors is None and len(collected) > before:
        raise UserError(collected)
    return tuple(deployments)


def resource_names(deployment: Deployment) -> list[str]:
    """Every name the deployment gives an AWS resource (functions, roles, log groups,
    queues, tables, buckets, topics, schedules, keys)."""
    resources = deployment.resources
    names_: list[str] = []
    for function in resources.functions:
        names_ += [function.name, function.role_name, function.log_group]
    if isinstance(resources, IngestionResources):
        names_ += [
            resources.queue_name,
            resources.dlq_name,
            resources.table_name,
            resources.backup_bucket,
            resources.alarm_topic_name,
            resources.kms_alias,
        ]
        names_ += [n for n in (resources.schedule_name, resources.scheduler_role_name) if n]
    elif isinstance(resources, StaticSiteResources):
        names_ += [resources.bucket, resources.log_bucket, resources.kms_alias]
    else:
        names_ += [resources.api_name, resources.kms_alias]
    return names_


def _name_collisions(repository: Repository, deployments: list[Deployment]) -> list[Diagnostic]:
    """Two environments in one account and region whose names would clash.

    Names start with ``<env>-<blueprint>``, so ``prd`` × ``eu-orders`` and ``prd-eu`` ×
    ``orders`` both derive ``prd-eu-orders-...``; only environments that share an account
    and region can collide, and then the second one is told to rename.
    """
    files = {e.name: e.document for e in repository.environments}
    owners: dict[tuple[str, str, str], Deployment] = {}
    problems: list[Diagnostic] = []
    reported: set[tuple[str, str]] = set()
    for deployment in deployments:
        target = deployment.target
        for name in resource_names(deployment):
            first = owners.setdefault((target.account_id, target.region, name), deployment)
            pair = (first.key, deployment.key)
            if first.key == deployment.key or pair in reported:  # duplicates: the loader's
                continue
            reported.add(pair)
            document = files[target.env]
            line, column = document.position(("name",)) or (None, None)
            problems.append(
                Diagnostic(
                    file=document.file,
                    line=line,
                    column=column,
                    path="name",
                    message=f"{deployment.key} and {first.key} would both create {name!r} in "
                    f"account {target.account_id} ({target.region})",
                    code="resolve.name-collision",
                    value=repr(target.env),
                    allowed="environment and blueprint names whose <env>-<blueprint> prefixes "
                    "differ within one account",
                    hint="rename one environment or blueprint, or deploy the two environments "
                    "to different accounts",
                )
            )
    return problems


LAMBDA_ENVIRONMENT_LIMIT = 4096
"""Bytes Lambda allows for all of a function's environment variables together."""


def _oversized_settings(blueprint: Blueprint, deployment: Deployment) -> list[Diagnostic]:
    problems = []
    for function in deployment.resources.functions:
        size = sum(len(k.encode()) + len(v.encode()) for k, v in function.environment)
        if size > LAMBDA_ENVIRONMENT_LIMIT:
            path = ("spec", "source", "http") if function.purpose == "retrieve" else ("spec",)
            line, column = blueprint.document.position(path) or (None, None)
            problems.append(
                Diagnostic(
                    file=blueprint.file,
                    line=line,
                    column=column,
                    path=".".join(path),
                    message=f"the {function.purpose} function's settings take {size:,} bytes of "
                    f"environment variables in {deployment.target.env}; Lambda allows "
                    f"{LAMBDA_ENVIRONMENT_LIMIT:,}",
                    code="resolve.settings-too-large",
                    value=f"{size} bytes",
                    allowed=f"at most {LAMBDA_ENVIRONMENT_LIMIT:,} bytes",
                    hint="shorten headers, field lists or URLs; keep secrets in SSM parameters",
                )
            )
    return problems


def build_deployment(
    blueprint: Blueprint,
    spec: Any,
    target: Target,
    auth_flow_names: set[str] | frozenset[str] = frozenset(),
) -> Deployment:
    """Derive names, ARNs, tags and settings for one validated spec in one environment."""
    tags = tuple(
        sorted(
            {
                "team": blueprint.metadata.team,
                "blueprint": blueprint.name,
                "env": target.env,
                "managed-by": MANAGED_BY,
            }.items()
        )
    )
    resources: IngestionResources | AuthFlowResources | StaticSiteResources
    if isinstance(spec, IngestionSpec):
        resources = ingestion_resources(blueprint.name, spec, target)
    elif isinstance(spec, AuthFlowSpec):
        resources = auth_flow_resources(blueprint.name, target)
    elif isinstance(spec, StaticSiteSpec):
        resources = static_site_resources(blueprint.name, spec, target, auth_flow_names)
    else:  # pragma: no cover - the loader only produces the three kinds
        msg = f"no resolver for {type(spec).__name__}"
        raise TypeError(msg)
    return Deployment(
        blueprint=blueprint.name,
        kind=blueprint.kind,
        team=blueprint.metadata.team,
        description=blueprint.metadata.description,
        source_file=blueprint.file,
        target=target,
        state=StateBackend(
            bucket=state_bucket_name(target),
            key=f"{blueprint.metadata.team}/{blueprint.name}/terraform.tfstate",
            region=target.region,
        ),
        tags=tags,
        spec=spec,
        resources=resources,
    )


def _function(
    target: Target,
    blueprint: str,
    purpose: str,
    handler: str,
    memory_mb: int,
    timeout_seconds: int,
    environment: Mapping[str, str],
) -> Function:
    name = names.make_name(names.LAMBDA_FUNCTION, target.env, blueprint, purpose)
    role_name = names.make_name(names.IAM_ROLE, target.env, blueprint, purpose)
    log_group = f"/aws/lambda/{name}"
    common = {
        "TRELLIS_BLUEPRINT": blueprint,
        "TRELLIS_ENV": target.env,
        "TRELLIS_FUNCTION": purpose,
        "TRELLIS_LOG_LEVEL": target.log_level,
    }
    return Function(
        purpose=purpose,
        name=name,
        arn=target.arn("lambda", f"function:{name}"),
        role_name=role_name,
        role_arn=target.arn("iam", f"role/{role_name}", region=False),
        log_group=log_group,
        log_group_arn=target.arn("logs", f"log-group:{log_group}"),
        handler=handler,
        memory_mb=memory_mb,
        timeout_seconds=timeout_seconds,
        environment=tuple(sorted({**common, **environment}.items())),
    )


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def ingestion_resources(blueprint: str, spec: IngestionSpec, target: Target) -> IngestionResources:
    """Names, ARNs and runtime settings of an ingestion pipeline."""
    queue = names.make_name(names.SQS_QUEUE, target.env, blueprint, "records")
    dlq = names.make_name(names.SQS_QUEUE, target.env, blueprint, "records", suffix="-dlq")
    table = names.make_name(names.DYNAMODB_TABLE, target.env, blueprint, "items")
    bucket = names.make_name(
        names.S3_BUCKET, target.env, blueprint, "backup", target.account_id, target.region
    )
    topic = names.make_name(names.SNS_TOPIC, target.env, blueprint, "alarms")
    queue_url = f"https://sqs.{target.region}.amazonaws.com/{target.account_id}/{queue}"
    retry = _json(spec.retry.model_dump())
    stop = str(spec.stop.max_consecutive_failures)
    retrieve = None
    schedule = scheduler_role = None
    if spec.trigger.schedule is not None:
        schedule = names.make_name(names.SCHEDULE, target.env, blueprint, "retrieve")
        scheduler_role = names.make_name(names.IAM_ROLE, target.env, blueprint, "scheduler")
        retrieve = _function(
            target,
            blueprint,
            "retrieve",
            f"{RUNTIME_PACKAGE}.ingest.retrieve.handler",
            spec.retrieval.memory_mb,
            spec.retrieval.timeout_seconds,
            {
                "TRELLIS_QUEUE_URL": queue_url,
                "TRELLIS_CONCURRENCY": str(spec.retrieval.concurrency),
                "TRELLIS_SOURCE": _json(spec.source.http.model_dump()),
                "TRELLIS_RETRY": retry,
                "TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES": stop,
            },
        )
    process = _function(
        target,
        blueprint,
        "process",
        f"{RUNTIME_PACKAGE}.ingest.process.handler",
        spec.processing.memory_mb,
        spec.processing.timeout_seconds,
        {
            "TRELLIS_TABLE_NAME": table,
            "TRELLIS_BACKUP_BUCKET": bucket,
            "TRELLIS_BACKUP_PREFIX": "raw/",
            "TRELLIS_SHAPE": _json(spec.shape.model_dump()),
            "TRELLIS_TTL_DAYS": "" if spec.store.ttl_days is None else str(spec.store.ttl_days),
            "TRELLIS_RETRY": retry,
            "TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES": stop,
        },
    )
    return IngestionResources(
        queue_name=queue,
        queue_arn=target.arn("sqs", queue),
        queue_url=queue_url,
        dlq_name=dlq,
        dlq_arn=target.arn("sqs", dlq),
        table_name=table,
        table_arn=target.arn("dynamodb", f"table/{table}"),
        backup_bucket=bucket,
        backup_bucket_arn=target.arn("s3", bucket, region=False, account=False),
        backup_prefix="raw/",
        kms_alias=f"alias/{names.make_name(names.KMS_ALIAS, target.env, blueprint)}",
        alarm_topic_name=topic,
        alarm_topic_arn=target.arn("sns", topic),
        schedule_name=schedule,
        scheduler_role_name=scheduler_role,
        retrieve=retrieve,
        process=process,
    )


def auth_flow_resources(blueprint: str, target: Target) -> AuthFlowResources:
    """Names of a login flow's API and its three stateless functions."""
    functions = {
        purpose: _function(
            target, blueprint, purpose, f"{RUNTIME_PACKAGE}.auth.{purpose}.handler", 256, 10, {}
        )
        for purpose in ("login", "callback", "jwks")
    }
    return AuthFlowResources(
        api_name=names.make_name(names.GENERIC, target.env, blueprint, "api"),
        kms_alias=f"alias/{names.make_name(names.KMS_ALIAS, target.env, blueprint)}",
        login=functions["login"],
        callback=functions["callback"],
        jwks=functions["jwks"],
    )


def static_site_resources(
    blueprint: str, spec: StaticSiteSpec, target: Target, auth_flow_names: set[str] | frozenset[str]
) -> StaticSiteResources:
    """Names of a site's buckets; WAF on by default where applies need approval."""
    auth_api = None
    if spec.auth_flow and spec.auth_flow in auth_flow_names:
        auth_api = names.make_name(names.GENERIC, target.env, spec.auth_flow, "api")
    return StaticSiteResources(
        bucket=names.make_name(
            names.S3_BUCKET, target.env, blueprint, "site", target.account_id, target.region
        ),
        log_bucket=names.make_name(
            names.S3_BUCKET, target.env, blueprint, "logs", target.account_id, target.region
        ),
        kms_alias=f"alias/{names.make_name(names.KMS_ALIAS, target.env, blueprint)}",
        waf_enabled=spec.waf if spec.waf is not None else target.approval == "required",
        auth_api_name=auth_api,
    )
