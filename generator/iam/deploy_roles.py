"""The plan and apply roles of an environment, derived from what its stacks contain.

The reviewed table ``deploy_actions.toml`` says, for each resource and data source type,
which AWS actions the provider calls to read, create (tagging included), update and
delete it, and where (a *scope*). :func:`derive_deploy_policies` takes the types the
environment's rendered stacks contain and grants:

- the plan role: the ``read`` actions of those types;
- the apply role: every phase's actions of those types;

each on its scope, which this module turns into ARNs under the environment's resource
prefix (:func:`generator.model.names.resource_prefix`), or, for resources whose ARNs carry
no name (KMS keys, CloudFront distributions, event source mappings), into conditions on the
environment's tag. No ``service:*`` is ever granted.

The statements are packed into customer managed policies of at most
:data:`MANAGED_POLICY_LIMIT` characters (IAM's limit, whitespace not counted).

What can go wrong: a type missing from the table raises :class:`UnknownResourceTypeError`
(an internal error: the table must be extended with the template or module that added the
type); a statement larger than one managed policy raises :class:`ValueError`.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import PurePosixPath
from typing import Literal

from generator.iam.model import Condition, PolicyDocument, Statement

Phase = Literal["read", "create", "update", "delete"]
PHASES: tuple[Phase, ...] = ("read", "create", "update", "delete")
TABLE_FILE = "deploy_actions.toml"
MANAGED_POLICY_LIMIT = 6144
"""Characters IAM allows in one customer managed policy, whitespace not counted."""
CLOUDFRONT_REGION = "us-east-1"
"""CloudFront's global resources (WAF web ACLs, certificates, their logs) live here."""
PASSED_TO_SERVICES = (
    "apigateway.amazonaws.com",
    "lambda.amazonaws.com",
    "scheduler.amazonaws.com",
)
"""Services the apply role may pass the environment's roles to."""


class UnknownResourceTypeError(KeyError):
    """A rendered stack contains a type the reviewed table does not list."""


@dataclass(frozen=True)
class Grant:
    """Actions of one resource type on one scope, by phase."""

    scope: str
    actions: Mapping[Phase, tuple[str, ...]]


@dataclass(frozen=True)
class DeployScope:
    """Where an environment's deploy roles may act: its account, regions, names and tag."""

    environment: str
    partition: str
    account_id: str
    region: str
    prefix: str
    tag_key: str
    ssm_path: str
    workload_boundary: str | None

    @property
    def regions(self) -> tuple[str, ...]:
        """The environment's region and CloudFront's (once when they are the same)."""
        return tuple(dict.fromkeys((self.region, CLOUDFRONT_REGION)))

    def arn(self, service: str, region: str, resource: str, *, account: bool = True) -> str:
        """``arn:<partition>:<service>:<region>:<account>:<resource>``."""
        owner = self.account_id if account else ""
        return f"arn:{self.partition}:{service}:{region}:{owner}:{resource}"

    def regional(self, service: str, resource: str) -> tuple[str, ...]:
        """The ARN in every region of :attr:`regions`."""
        return tuple(self.arn(service, r, resource) for r in self.regions)


@functools.cache
def load_table() -> dict[str, tuple[Grant, ...]]:
    """The reviewed table: resource type → its grants (the main row first, then ``also``)."""
    raw = tomllib.loads(resources.files(__package__).joinpath(TABLE_FILE).read_text("utf-8"))
    table: dict[str, tuple[Grant, ...]] = {}
    for resource_type, row in raw.items():
        grants = []
        for entry in (row, *row.get("also", ())):
            actions = {phase: tuple(entry.get(phase, ())) for phase in PHASES}
            grants.append(Grant(scope=entry["scope"], actions=actions))
        table[resource_type] = tuple(grants)
    return table


def _tag(scope: DeployScope, kind: Literal["Request", "Resource"]) -> Condition:
    return Condition("StringEquals", f"aws:{kind}Tag/{scope.tag_key}", (scope.environment,))


def _functions(scope: DeployScope) -> tuple[str, ...]:
    return scope.regional("lambda", f"function:{scope.prefix}*")


def scope_resources(name: str, s: DeployScope) -> tuple[tuple[str, ...], tuple[Condition, ...]]:
    """The resources and conditions of scope ``name`` for environment ``s``.

    Raises :class:`KeyError` for a scope this module does not define.
    """
    p, acct = s.prefix, s.account_id
    cloudfront = f"arn:{s.partition}:cloudfront::{acct}"
    mapping = s.regional("lambda", "event-source-mapping:*")
    keys = s.regional("kms", "key/*")
    scopes: dict[str, tuple[tuple[str, ...], tuple[Condition, ...]]] = {
        "any": (("*",), ()),
        "any-with-environment-tag-request": (("*",), (_tag(s, "Request"),)),
        "any-for-prefixed-function": (
            ("*",),
            (Condition("ArnLike", "lambda:FunctionArn", _functions(s)),),
        ),
        "kms-key-of-environment": (keys, (_tag(s, "Resource"),)),
        "kms-key-tag-request": (keys, (_tag(s, "Request"),)),
        "kms-key-via-scheduler": (
            keys,
            (
                _tag(s, "Resource"),
                Condition(
                    "StringEquals",
                    "kms:ViaService",
                    tuple(f"scheduler.{r}.amazonaws.com" for r in s.regions),
                ),
            ),
        ),
        "kms-alias": (s.regional("kms", f"alias/{p}*"), ()),
        "sqs-queue": (s.regional("sqs", f"{p}*"), ()),
        "sns-topic": (s.regional("sns", f"{p}*"), ()),
        "dynamodb-table": (s.regional("dynamodb", f"table/{p}*"), ()),
        "lambda-function": (_functions(s), ()),
        "lambda-mapping-in-account": (mapping, ()),
        "lambda-mapping-of-prefixed-function": (
            mapping,
            (Condition("ArnLike", "lambda:FunctionArn", _functions(s)),),
        ),
        "lambda-mapping-tag-request": (mapping, (_tag(s, "Request"),)),
        "lambda-mapping-of-environment": (mapping, (_tag(s, "Resource"),)),
        "ecr-repository": (s.regional("ecr", f"repository/{p}*"), ()),
        "log-group": (
            tuple(
                arn
                for name in (f"{p}*", f"/aws/lambda/{p}*", f"aws-waf-logs-{p}*")
                for arn in s.regional("logs", f"log-group:{name}")
            ),
            (),
        ),
        "cloudwatch-alarm": (s.regional("cloudwatch", f"alarm:{p}*"), ()),
        "scheduler-schedule": (s.regional("scheduler", f"schedule/*/{p}*"), ()),
        "iam-role": ((f"arn:{s.partition}:iam::{acct}:role/{p}*",), ()),
        "iam-role-with-workload-boundary": (
            (f"arn:{s.partition}:iam::{acct}:role/{p}*",),
            ()
            if s.workload_boundary is None
            else (Condition("StringEquals", "iam:PermissionsBoundary", (s.workload_boundary,)),),
        ),
        "iam-pass-role": (
            (f"arn:{s.partition}:iam::{acct}:role/{p}*",),
            (Condition("StringEquals", "iam:PassedToService", PASSED_TO_SERVICES),),
        ),
        "s3-bucket": ((f"arn:{s.partition}:s3:::{p}*",), ()),
        "cloudfront-distribution-of-environment": (
            (f"{cloudfront}:distribution/*",),
            (_tag(s, "Resource"),),
        ),
        "cloudfront-distribution-tag-request": (
            (f"{cloudfront}:distribution/*",),
            (_tag(s, "Request"),),
        ),
        "cloudfront-origin-access-control": ((f"{cloudfront}:origin-access-control/*",), ()),
        "cloudfront-response-headers-policy": ((f"{cloudfront}:response-headers-policy/*",), ()),
        "cloudfront-function": ((f"{cloudfront}:function/{p}*",), ()),
        "cloudfront-cache-policy": ((f"{cloudfront}:cache-policy/*",), ()),
        "cloudfront-origin-request-policy": ((f"{cloudfront}:origin-request-policy/*",), ()),
        "wafv2-web-acl": ((s.arn("wafv2", CLOUDFRONT_REGION, f"global/webacl/{p}*/*"),), ()),
        "wafv2-managed-rule-groups": (
            (s.arn("wafv2", CLOUDFRONT_REGION, "global/managedruleset/*/*"),),
            (),
        ),
        "ssm-environment-parameter": (s.regional("ssm", f"parameter{s.ssm_path}/*"), ()),
        "apigateway-http-apis": (
            tuple(
                arn
                for r in s.regions
                for path in ("/apis", "/apis/*", "/tags/*")
                for arn in (s.arn("apigateway", r, path, account=False),)
            ),
            (),
        ),
    }
    return scopes[name]


def scope_names() -> tuple[str, ...]:
    """Every scope the table may name."""
    sample = DeployScope("dev", "aws", "111111111111", "us-east-1", "dev-", "env", "/t/dev", None)
    names: list[str] = []
    for candidate in sorted({g.scope for grants in load_table().values() for g in grants}):
        try:
            scope_resources(candidate, sample)
        except KeyError:
            continue
        names.append(candidate)
    return tuple(names)


@dataclass(frozen=True)
class DeployPolicies:
    """The derived grants of one environment's deploy roles, packed into managed policies."""

    resource_types: tuple[str, ...]
    plan: tuple[tuple[str, PolicyDocument], ...]
    """``(part, document)``: ``no_resource`` first (actions AWS defines on no resource,
    granted on ``*``, conditioned where AWS allows), then ``1``, ``2``... (the scoped rest)."""
    apply: tuple[tuple[str, PolicyDocument], ...]


def _sid(scope: str, suffix: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", scope)) + suffix


def _statements(
    resource_types: Iterable[str], scope: DeployScope, phases: tuple[Phase, ...], suffix: str
) -> list[Statement]:
    table = load_table()
    by_scope: dict[str, set[str]] = {}
    for resource_type in sorted(set(resource_types)):
        if resource_type not in table:
            msg = (
                f"{resource_type} is in a rendered stack but not in generator/iam/{TABLE_FILE}: "
                "add the actions the provider calls to read, create, update and delete it"
            )
            raise UnknownResourceTypeError(msg)
        for grant in table[resource_type]:
            for phase in phases:
                by_scope.setdefault(grant.scope, set()).update(grant.actions[phase])
    statements = []
    for name, actions in sorted(by_scope.items()):
        if not actions:
            continue
        arns, conditions = scope_resources(name, scope)
        statements.append(
            Statement(
                sid=_sid(name, suffix),
                actions=tuple(sorted(actions)),
                resources=arns,
                conditions=conditions,
            )
        )
    return statements


def policy_size(document: PolicyDocument) -> int:
    """Characters IAM counts against the managed policy limit (no whitespace)."""
    return len(json.dumps(document.to_json(), separators=(",", ":")))


def pack(
    statements: list[Statement], limit: int = MANAGED_POLICY_LIMIT
) -> tuple[PolicyDocument, ...]:
    """Statements in order, as few documents of at most ``limit`` characters as fit them.

    Raises :class:`ValueError` when one statement alone exceeds ``limit``.
    """
    documents: list[list[Statement]] = []
    for statement in statements:
        alone = policy_size(PolicyDocument((statement,)))
        if alone > limit:
            msg = (
                f"statement {statement.sid} takes {alone} characters; "
                f"a managed policy allows {limit}"
            )
            raise ValueError(msg)
        if documents and policy_size(PolicyDocument((*documents[-1], statement))) <= limit:
            documents[-1].append(statement)
        else:
            documents.append([statement])
    return tuple(PolicyDocument(tuple(d)) for d in documents)


NO_RESOURCE_PART = "no_resource"
"""The policy part that holds the statements on ``*`` (reviewed skips name it)."""


def _parts(statements: list[Statement]) -> tuple[tuple[str, PolicyDocument], ...]:
    unscoped = [s for s in statements if s.resources == ("*",)]
    scoped = [s for s in statements if s.resources != ("*",)]
    parts: list[tuple[str, PolicyDocument]] = []
    if unscoped:
        (document,) = pack(unscoped)
        parts.append((NO_RESOURCE_PART, document))
    parts += [(str(n), d) for n, d in enumerate(pack(scoped), start=1)]
    return tuple(parts)


def derive_deploy_policies(resource_types: Iterable[str], scope: DeployScope) -> DeployPolicies:
    """The plan role's reads and the apply role's changes for ``resource_types``."""
    types = tuple(sorted(set(resource_types)))
    return DeployPolicies(
        resource_types=types,
        plan=_parts(_statements(types, scope, ("read",), "Read")),
        apply=_parts(_statements(types, scope, PHASES, "Manage")),
    )


_BLOCK = re.compile(r'^(?:resource|data) "(aws_[a-z0-9_]+)"', re.MULTILINE)
_MODULE_SOURCE = re.compile(r'^\s*source\s*=\s*"((?:\.\./|\./)[^"]+)"', re.MULTILINE)


def stack_resource_types(tree: Mapping[PurePosixPath, bytes], stack: PurePosixPath) -> set[str]:
    """The ``aws_*`` resource and data source types of root stack ``stack`` in ``tree``,
    including those of the local modules it calls (followed transitively)."""
    return stacks_resource_types(tree, [stack])


def stacks_resource_types(
    tree: Mapping[PurePosixPath, bytes], stacks: Iterable[PurePosixPath]
) -> set[str]:
    """The union of :func:`stack_resource_types` over ``stacks``.

    The tree is indexed by directory once and each directory (a module every stack calls)
    is read once, so the cost grows with the tree, not with stacks times files.
    """
    by_directory: dict[PurePosixPath, list[bytes]] = {}
    for path, data in tree.items():
        if path.suffix == ".tf":
            by_directory.setdefault(path.parent, []).append(data)
    found: set[str] = set()
    pending = list(stacks)
    seen: set[PurePosixPath] = set()
    while pending:
        directory = pending.pop()
        if directory in seen:
            continue
        seen.add(directory)
        for data in by_directory.get(directory, ()):
            text = data.decode()
            found.update(_BLOCK.findall(text))
            for source in _MODULE_SOURCE.findall(text):
                pending.append(_normalise(directory / source))
    return found


def _normalise(path: PurePosixPath) -> PurePosixPath:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return PurePosixPath(*parts)
