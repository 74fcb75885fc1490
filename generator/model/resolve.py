"""The resolve stage: blueprint × environment → :class:`Deployment` (no I/O).

Environment overrides are deep-merged over the blueprint's ``spec`` (mappings merge, any
other value replaces) and the result is validated again, so an override can never
produce a spec the blueprint itself could not have. Errors found after merging point at
the environment file when the offending value came from the override.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from generator.blueprint.kinds.envelope import SPEC_MODELS
from generator.blueprint.kinds.tags import MAX_TAGS_PER_RESOURCE, OWN_TAG_KEYS, TEAM_TAG
from generator.blueprint.loader import Blueprint, EnvironmentFile, Repository
from generator.blueprint.validation import diagnostics_from, suggest
from generator.blueprint.yaml_source import Path_, has_path
from generator.errors import Diagnostic, UserError
from generator.kind_registry import plugin
from generator.model import names
from generator.model.account_rules import site_domain_problems
from generator.model.deployment import (
    MANAGED_BY,
    Deployment,
    Function,
    StateBackend,
    Target,
)
from generator.model.parameters import unwritten_parameters
from runtime import contract

DEFAULT_PLATFORM_TEAM = "platform"
"""The bootstrap stack's team when the environment's tags name none."""


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
        namespace=env.namespace,
        tags=tuple(sorted(env.tags.items())),
        deploy_permissions_boundary=env.deploy_permissions_boundary,
        plan_on_pull_request=env.plans_on_pull_request,
    )


def state_bucket_name(target: Target) -> str:
    """The bootstrap state bucket of an environment (outside its resource prefix)."""
    return names.state_bucket(target.env, target.account_id, target.region, target.namespace)


def state_key(target: Target, team: str, blueprint: str) -> str:
    """``[<namespace>/]<team>/<blueprint>/terraform.tfstate`` in the environment's bucket."""
    return (
        "/".join((*([target.namespace] if target.namespace else []), team, blueprint))
        + "/terraform.tfstate"
    )


def deployment_tags(
    target: Target, team: str, blueprint: str, blueprint_tags: Mapping[str, str]
) -> tuple[tuple[str, str], ...]:
    """The provider's ``default_tags`` of one stack: the environment's tags, then the
    blueprint's (a blueprint wins on a shared key), then trellis's own, which nothing
    overrides (the deploy roles and the reviews rely on them)."""
    own = {
        "team": team,
        "blueprint": blueprint,
        "env": target.env,
        "managed-by": MANAGED_BY,
        target.environment_tag_key: target.env,
    }
    return tuple(sorted({**dict(target.tags), **blueprint_tags, **own}.items()))


def bootstrap_tags(target: Target, component: str) -> dict[str, str]:
    """``default_tags`` of an environment's bootstrap stack: its tags, its ``team`` tag
    (default ``platform``) as the team, and trellis's own."""
    tags = dict(target.tags)
    own = {
        "team": tags.get(TEAM_TAG, DEFAULT_PLATFORM_TEAM),
        "blueprint": component,
        "env": target.env,
        "managed-by": MANAGED_BY,
        target.environment_tag_key: target.env,
    }
    return dict(sorted({**tags, **own}.items()))


def _too_many_tags(
    blueprint: Blueprint, environment: EnvironmentFile, deployment: Deployment
) -> list[Diagnostic]:
    """AWS allows 50 tags on a resource; trellis's own keys count too."""
    user = {k for k, _ in deployment.tags} - set(OWN_TAG_KEYS)
    user.discard(deployment.target.environment_tag_key)
    own = len(OWN_TAG_KEYS) + (1 if deployment.target.namespace else 0)
    if len(user) + own <= MAX_TAGS_PER_RESOURCE:
        return []
    line, column = blueprint.document.position(("metadata", "tags")) or (None, None)
    return [
        Diagnostic(
            file=blueprint.file,
            line=line,
            column=column,
            path="metadata.tags",
            message=f"{deployment.key} would carry {len(user) + own} tags per resource "
            f"({len(user)} from metadata.tags and {environment.document.file} tags, {own} "
            f"of trellis's own); AWS allows {MAX_TAGS_PER_RESOURCE}",
            code="resolve.too-many-tags",
            value=f"{len(user)} tags",
            allowed=f"at most {MAX_TAGS_PER_RESOURCE - own} organisation tags together",
            hint="drop tags, or keep the shared ones in the environment only",
        )
    ]


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
    kinds = {b.name: b.kind for b in repository.blueprints}
    for environment in sorted(repository.environments, key=lambda e: e.name):
        _check_override_targets(repository, environment, collected)
        for blueprint in sorted(repository.blueprints, key=lambda b: b.name):
            spec = merged_spec(blueprint, environment, collected)
            if spec is not None:
                deployment = build_deployment(blueprint, spec, target_of(environment), kinds)
                collected.extend(_oversized_settings(blueprint, deployment))
                collected.extend(_too_many_tags(blueprint, environment, deployment))
                deployments.append(deployment)
    collected.extend(_name_collisions(repository, deployments))
    collected.extend(unwritten_parameters(repository, deployments))
    collected.extend(site_domain_problems(repository, deployments))
    if errors is None and len(collected) > before:
        raise UserError(collected)
    return tuple(deployments)


def resource_names(deployment: Deployment) -> list[str]:
    """Every name the deployment gives an AWS resource (functions, roles, log groups,
    queues, tables, buckets, topics, schedules, keys)."""
    names_: list[str] = []
    for function in deployment.resources.functions:
        names_ += [function.name, function.role_name, function.log_group]
    names_ += plugin(deployment.kind).resource_names(deployment.resources)
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
                    hint="give one environment a namespace, rename one environment or "
                    "blueprint, or deploy the two environments to different accounts",
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
    kinds: Mapping[str, str] | None = None,
) -> Deployment:
    """Derive names, ARNs, tags and settings for one validated spec in one environment.

    ``kinds`` maps the repository's blueprints to their kinds (default: this one alone),
    for kinds that refer to other blueprints.
    """
    tags = deployment_tags(target, blueprint.metadata.team, blueprint.name, blueprint.metadata.tags)
    resources = plugin(blueprint.kind).resources(
        blueprint.name, spec, target, {blueprint.name: blueprint.kind} if kinds is None else kinds
    )
    return Deployment(
        blueprint=blueprint.name,
        kind=blueprint.kind,
        team=blueprint.metadata.team,
        description=blueprint.metadata.description,
        source_file=blueprint.file,
        target=target,
        state=StateBackend(
            bucket=state_bucket_name(target),
            key=state_key(target, blueprint.metadata.team, blueprint.name),
            region=target.region,
            kms_key_id=target.arn("kms", names.state_key_alias(target.env, target.namespace)),
        ),
        tags=tags,
        spec=spec,
        resources=resources,
    )


def make_function(
    target: Target,
    blueprint: str,
    purpose: str,
    handler: str,
    memory_mb: int,
    timeout_seconds: int,
    environment: Mapping[str, str],
) -> Function:
    """One function of ``blueprint`` with its role, log group and ``TRELLIS_*`` settings
    (the common ones added to ``environment``)."""
    name = names.scoped_name(
        names.LAMBDA_FUNCTION, target.env, target.namespace, blueprint, purpose
    )
    role_name = names.scoped_name(names.IAM_ROLE, target.env, target.namespace, blueprint, purpose)
    log_group = f"/aws/lambda/{name}"
    common = {
        contract.BLUEPRINT: blueprint,
        contract.ENV: target.env,
        contract.FUNCTION: purpose,
        contract.LOG_LEVEL: target.log_level,
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


def kms_alias(target: Target, blueprint: str) -> str:
    """The alias of a stack's KMS key: ``alias/<prefix><blueprint>``."""
    return f"alias/{names.scoped_name(names.KMS_ALIAS, target.env, target.namespace, blueprint)}"
