"""Render one root stack (``<env>/<blueprint>/``) from its deployment model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any, Final

from generator.derive import StackRoles
from generator.iam.deploy_roles import DeployPolicies, DeployScope
from generator.iam.document import dumps, review_file
from generator.kind_registry import plugin
from generator.model import names
from generator.model.deployment import Deployment, Target
from generator.model.resolve import bootstrap_tags
from generator.policy.skips import ROOT_STACK, Skip
from generator.render.hcl import hcl
from generator.render.templating import render
from generator.render.tree import Tree

LAMBDA_PYTHON = "3.13"
"""The Python version of the Lambda runtime the bundle is built for and the functions use."""
ARCHITECTURE: Final = "arm64"
"""Graviton: cheaper per GB-second, and the bundle's wheels are built for it."""

SSM_ROOT = names.SSM_ROOT
"""Root of the SSM parameters trellis stacks publish for each other (bootstrap's default)."""

LAMBDA_LOG_LEVELS = {"DEBUG": "DEBUG", "INFO": "INFO", "WARNING": "WARN", "ERROR": "ERROR"}
"""Our log levels as Lambda's ``logging_config.application_log_level`` names them."""


class RoleView:
    """What the policy template needs of a derived role: a label, statements, trust."""

    def __init__(self, label: str, role: Any) -> None:
        self.label = label
        self.function_name = role.function_name
        self.statements = role.statements
        self.trust = role.trust


def auth_api_parameter(env: str, auth_flow: str, namespace: str | None = None) -> str:
    """The SSM parameter where an AuthFlow stack publishes its API's domain."""
    return names.ssm_parameter(env, auth_flow, "api-domain", namespace)


def render_stack(
    deployment: Deployment, roles: StackRoles, bundle: Any, ttl_attribute: str
) -> Tree:
    """The files of one root stack, plus one IAM review file per function.

    Raises ``NotImplementedError`` for a kind whose renderer has not landed yet; the
    caller reports it instead of writing a partial stack.
    """
    base = PurePosixPath(deployment.target.env, deployment.blueprint)
    kind = plugin(deployment.kind).templates(deployment, roles)
    context: dict[str, Any] = {
        "d": deployment,
        "t": deployment.target,
        "r": deployment.resources,
        "s": deployment.spec,
        "tags": dict(deployment.tags),
        "bundle": bundle,
        "ttl_attribute": ttl_attribute,
        "roles": [RoleView(label, role) for label, role in roles.roles],
        "references": roles.references,
        **kind.context,
    }
    files = {
        "versions.tf": "common/versions.tf.j2",
        "backend.tf": "common/backend.tf.j2",
        "providers.tf": "common/providers.tf.j2",
        **kind.files,
    }
    tree: Tree = {
        base / name: render(template, **context).encode()
        for name, template in sorted(files.items())
    }
    for _, role in roles.roles:
        path, data = review_file(role, deployment.target.env, deployment.blueprint)
        tree[path] = data
    return tree


BOOTSTRAP = "bootstrap"
"""The name of each environment's bootstrap stack under ``build/<env>/``."""
DEPLOY_ROLE_REVIEW_DIR = "deploy-roles"
"""Where the bootstrap's derived deploy policies are written for review."""
ENVIRONMENT_TAG_KEY = "env"
"""The tag every stack resource carries with its environment's name (provider default_tags)."""


def deploy_scope(target: Target) -> DeployScope:
    """Where ``target``'s deploy roles may act: its prefix, SSM path, tag and boundary."""
    return DeployScope(
        environment=target.env,
        partition=target.partition,
        account_id=target.account_id,
        region=target.region,
        prefix=target.prefix,
        tag_key=target.environment_tag_key,
        ssm_path=names.ssm_environment_path(target.env, target.namespace),
        workload_boundary=target.permissions_boundary,
    )


class PolicyView:
    """A derived deploy policy as the bootstrap template needs it: role, part, statements."""

    def __init__(self, role: str, part: str, statements: Any, key_width: int) -> None:
        self.role = role
        self.part = part
        self.key = hcl(part).ljust(key_width)
        self.label = f"{role}_{part}"
        self.statements = statements
        self.skips: list[str] = []


def render_bootstrap(
    target: Target,
    state_bucket: str,
    image_blueprints: list[str],
    policies: DeployPolicies,
    skips: Sequence[Skip] = (),
) -> Tree:
    """``build/<env>/bootstrap/``: state bucket, ECR, GitHub OIDC and deploy roles.

    ``skips`` backing a policy block (``stack/data.aws_iam_policy_document.<role>_<part>``)
    are written into it as ``#checkov:skip`` comments.
    ``policies`` are the deploy roles' grants derived from the environment's stacks; each
    part is also written to ``deploy-roles/<role>-<part>.json`` for review (not ``iam/``:
    the IAM lint's workload rules, such as kms:ViaService, are for function roles). It has
    no backend block: its state is local until the operator migrates it into the bucket it
    creates.
    """
    base = PurePosixPath(target.env, BOOTSTRAP)
    views = [
        PolicyView(role, part, document.statements, max(len(hcl(p)) for p, _ in documents))
        for role, documents in (("plan", policies.plan), ("apply", policies.apply))
        for part, document in documents
    ]
    for view in views:
        block = f"{ROOT_STACK}/data.aws_iam_policy_document.{view.label}"
        view.skips = [s.comment() for s in skips if block in s.resources]
    context: dict[str, Any] = {
        "t": target,
        "state_bucket": state_bucket,
        "resource_prefix": target.prefix,
        "environment_tag_key": target.environment_tag_key,
        "image_blueprints": sorted(image_blueprints),
        "policies": views,
        "resource_types": policies.resource_types,
        "tags": bootstrap_tags(target, BOOTSTRAP),
        "ssm_root": names.ssm_root(target.namespace),
    }
    files = {
        "versions.tf": "common/versions.tf.j2",
        "providers.tf": "common/providers.tf.j2",
        "main.tf": "bootstrap/main.tf.j2",
        "deploy_policies.tf": "bootstrap/deploy_policies.tf.j2",
        "outputs.tf": "bootstrap/outputs.tf.j2",
    }
    tree: Tree = {
        base / name: render(template, **context).encode()
        for name, template in sorted(files.items())
    }
    for role, documents in (("plan", policies.plan), ("apply", policies.apply)):
        for part, document in documents:
            review = base / DEPLOY_ROLE_REVIEW_DIR / f"{role}-{part}.json"
            tree[review] = dumps(document.to_json()).encode()
    return tree
