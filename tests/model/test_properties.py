"""Properties of load and resolve over generated blueprints (hypothesis, bounded).

Generated valid blueprints of every kind always validate and resolve; every derived
name satisfies AWS's limits and no two resources share a name where AWS needs them
distinct, even with the longest names the format allows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.blueprint.loader import (
    Blueprint,
    EnvironmentFile,
    Repository,
    load_blueprint,
    load_environment,
)
from generator.blueprint.yaml_source import SourceDocument
from generator.errors import Diagnostic, UserError
from generator.kinds.auth_flow.resources import AuthFlowResources
from generator.kinds.ingestion.resources import IngestionResources
from generator.kinds.static_site.resources import StaticSiteResources
from generator.model.deployment import Deployment
from generator.model.resolve import resolve
from tests.model import strategies as gen
from tests.model.aws_limits import RULES

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def loaded_blueprint(document: dict[str, Any]) -> Blueprint:
    """Validate a generated blueprint document; fail with its diagnostics if it is refused."""
    errors: list[Diagnostic] = []
    blueprint = load_blueprint(SourceDocument(file="blueprints/x.yaml", data=document), errors)
    assert errors == [], "\n".join(d.render() for d in errors)
    assert blueprint is not None
    return blueprint


def loaded_environment(document: dict[str, Any]) -> EnvironmentFile:
    """Validate a generated environment document."""
    errors: list[Diagnostic] = []
    environment = load_environment(
        SourceDocument(file="environments/x.yaml", data=document), errors
    )
    assert errors == [], "\n".join(d.render() for d in errors)
    assert environment is not None
    return environment


def named_resources(deployment: Deployment) -> Iterator[tuple[str, str, str]]:
    """(service, scope, name) of every named resource; scope is where AWS wants it unique."""
    target = deployment.target
    regional = f"{target.account_id}/{target.region}"
    resources = deployment.resources
    for function in resources.functions:
        yield "lambda", regional, function.name
        yield "iam-role", target.account_id, function.role_name
        yield "log-group", regional, function.log_group
    yield "kms-alias", regional, resources.kms_alias
    if isinstance(resources, IngestionResources):
        yield "sqs", regional, resources.queue_name
        yield "sqs", regional, resources.dlq_name
        yield "dynamodb", regional, resources.table_name
        yield "s3", "global", resources.backup_bucket
        yield "sns", regional, resources.alarm_topic_name
        if resources.schedule_name is not None:
            yield "scheduler", regional, resources.schedule_name
        if resources.scheduler_role_name is not None:
            yield "iam-role", target.account_id, resources.scheduler_role_name
    elif isinstance(resources, AuthFlowResources):
        yield "apigateway", regional, resources.api_name
        yield "sns", regional, resources.alarm_topic_name
        yield "log-group", regional, resources.access_log_group
    elif isinstance(resources, StaticSiteResources):
        yield "s3", "global", resources.bucket
        yield "s3", "global", resources.log_bucket


def limit_problems(deployments: tuple[Deployment, ...]) -> list[str]:
    """Every derived name that breaks its service's AWS rules, with the rule broken."""
    problems = []
    for deployment in deployments:
        named = [*named_resources(deployment), ("s3", "global", deployment.state.bucket)]
        for service, _, name in named:
            problems += [f"{service} {name!r}: {p}" for p in RULES[service](name)]
    return problems


def duplicates(deployments: tuple[Deployment, ...]) -> list[tuple[str, str, str]]:
    """(service, scope, name) used by more than one resource."""
    counts = Counter(r for d in deployments for r in named_resources(d))
    return sorted(r for r, n in counts.items() if n > 1)


@pytest.mark.parametrize("kind", sorted(gen.SPEC_STRATEGIES))
def test_generated_blueprints_validate_and_resolve(kind: str) -> None:
    """Every generated blueprint of the kind validates and resolves in a generated env."""

    @SETTINGS
    @given(
        spec=gen.SPEC_STRATEGIES[kind],
        name=gen.names(),
        team=gen.names(),
        env=st.data(),
    )
    def check(spec: dict[str, Any], name: str, team: str, env: st.DataObject) -> None:
        document = {
            "apiVersion": "trellis/v1",
            "kind": kind,
            "metadata": {"name": name, "team": team},
            "spec": spec,
        }
        blueprint = loaded_blueprint(document)
        environment = loaded_environment(
            env.draw(gen.environments(env.draw(gen.env_names()), "123456789012"))
        )
        repository = Repository(root=Path(), blueprints=(blueprint,), environments=(environment,))
        (deployment,) = resolve(repository)
        assert deployment.blueprint == name
        assert dict(deployment.tags) == {
            "team": team,
            "blueprint": name,
            "env": environment.name,
            "managed-by": "trellis",
        }
        assert limit_problems((deployment,)) == []
        assert duplicates((deployment,)) == []

    check()


@SETTINGS
@given(
    blueprint_names=st.lists(gen.names(), min_size=1, max_size=6, unique=True),
    env_names=st.lists(gen.env_names(), min_size=1, max_size=3, unique=True),
    data=st.data(),
)
def test_names_within_limits_and_unique_in_distinct_accounts(
    blueprint_names: list[str], env_names: list[str], data: st.DataObject
) -> None:
    """Blueprints × environments each in its own account: every name fits and is unique."""
    repository = Repository(
        root=Path(),
        blueprints=tuple(loaded_blueprint(data.draw(gen.blueprints(n))) for n in blueprint_names),
        environments=tuple(
            loaded_environment(data.draw(gen.environments(e, f"{i:012d}")))
            for i, e in enumerate(env_names, start=100000000000)
        ),
    )
    deployments = resolve(repository)
    assert len(deployments) == len(blueprint_names) * len(env_names)
    assert limit_problems(deployments) == []
    assert duplicates(deployments) == []


@SETTINGS
@given(
    blueprint_names=st.lists(gen.names(max_size=30), min_size=2, max_size=4, unique=True),
    data=st.data(),
)
def test_longest_names_stay_within_limits_and_unique(
    blueprint_names: list[str], data: st.DataObject
) -> None:
    """30-character blueprint, team and env names: shortened with a hash, still unique."""
    long_names = [n.ljust(29, "x")[:29] + str(i % 10) for i, n in enumerate(blueprint_names)]
    env = "e" * 29 + "v"
    repository = Repository(
        root=Path(),
        blueprints=tuple(
            loaded_blueprint(
                {**data.draw(gen.blueprints(n)), "metadata": {"name": n, "team": "t" * 30}}
            )
            for n in sorted(set(long_names))
        ),
        environments=(loaded_environment(data.draw(gen.environments(env, "123456789012"))),),
    )
    deployments = resolve(repository)
    assert limit_problems(deployments) == []
    assert duplicates(deployments) == []
    functions = [f.name for d in deployments for f in d.resources.functions]
    assert all(re.fullmatch(r".{1,55}-[0-9a-f]{8}", name) for name in functions), functions


def _repository(blueprints: dict[str, str], envs: dict[str, str]) -> Repository:
    """StaticSite and IngestionPipeline blueprints by name, environments by name → account."""
    bases = {
        "StaticSite": {"spa_fallback": True},
        "IngestionPipeline": {
            "source": {"http": {"url": "https://a.example/x", "records_path": "items"}},
            "trigger": {"queue": {}},
            "shape": {"key": "id", "fields": {"id": "id"}},
        },
    }
    return Repository(
        root=Path(),
        blueprints=tuple(
            loaded_blueprint(
                {
                    "apiVersion": "trellis/v1",
                    "kind": kind,
                    "metadata": {"name": name, "team": "team"},
                    "spec": bases[kind],
                }
            )
            for name, kind in blueprints.items()
        ),
        environments=tuple(
            loaded_environment(
                {
                    "name": env,
                    "account_id": account,
                    "region": "ap-southeast-1",
                    "github": {"repository": "acme/platform"},
                }
            )
            for env, account in envs.items()
        ),
    )


def test_names_unique_when_environments_share_an_account() -> None:
    """Two environments in one account whose names would clash are a clear user error."""
    repository = _repository(
        {"orders": "IngestionPipeline", "eu-orders": "IngestionPipeline"},
        {"prd": "123456789012", "prd-eu": "123456789012"},
    )
    with pytest.raises(UserError) as caught:
        resolve(repository)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "resolve.name-collision"
    assert diagnostic.path == "name"
    assert "prd-eu/orders and prd/eu-orders would both create 'prd-eu-orders-process'" in (
        diagnostic.message
    )
    assert "different accounts" in (diagnostic.hint or "")


def test_environments_in_different_accounts_may_share_prefixes() -> None:
    """The same pair of names in two accounts derives distinct resources: no error."""
    repository = _repository(
        {"orders": "IngestionPipeline", "eu-orders": "IngestionPipeline"},
        {"prd": "123456789012", "prd-eu": "210987654321"},
    )
    assert duplicates(resolve(repository)) == []


def test_environment_names_cannot_start_buckets_with_a_reserved_prefix() -> None:
    """An environment called xn--test is refused at load time: S3 reserves the prefix."""
    errors: list[Diagnostic] = []
    document = {
        "name": "xn--test",
        "account_id": "123456789012",
        "region": "ap-southeast-1",
        "github": {"repository": "acme/platform"},
    }
    load_environment(SourceDocument(file="environments/xn--test.yaml", data=document), errors)
    assert [(e.path, e.hint) for e in errors] == [("name", "try 'test'")]
    assert "starts with 'xn--', which S3 reserves" in errors[0].message
