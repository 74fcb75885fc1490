"""Organisation tags reach every resource through default_tags; a namespace prefixes every
derived name, state key and deploy role, so two repositories can share an account."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import hcl2
import pytest
from hcl2.utils import SerializationOptions

from generator.blueprint.skeletons import write_skeleton
from generator.model import names
from generator.model.names import resource_prefix
from generator.model.resolve import resource_names
from generator.pipeline import load_and_resolve
from tests.blueprint.repo import edit, errors_of, example_repository
from tests.render.support import render_repo, snapshot_files


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The examples with tags in dev and on orders, and dev in namespace acme."""
    root = example_repository(tmp_path)
    edit(
        root / "environments/dev.yaml",
        "approval: none\n",
        "approval: none\nnamespace: acme\ntags:\n  cost-center: cc-1\n  team: data-platform\n"
        "  owner: platform\n",
    )
    edit(
        root / "blueprints/orders.yaml",
        "  team: commerce\n",
        "  team: commerce\n  tags:\n    cost-center: cc-42\n    data-class: internal\n",
    )
    return root


_VALUES = SerializationOptions(strip_string_quotes=True, with_comments=False, explicit_blocks=False)


def _hcl(text: str) -> dict[str, Any]:
    document: dict[str, Any] = hcl2.loads(text, serialization_options=_VALUES)
    return document


def _default_tags(text: str) -> dict[str, str]:
    providers = _hcl(text)["provider"][0]["aws"]
    tags: dict[str, str] = providers["default_tags"][0]["tags"]
    return tags


def test_default_tags_merge_environment_blueprint_and_trellis(repo: Path) -> None:
    """Environment tags, then the blueprint's (winning on a shared key), then trellis's
    own (winning over both) are the provider's default_tags of each stack."""
    tree = render_repo(repo).tree
    files = {str(p): d.decode() for p, d in tree.items() if p.name == "providers.tf"}
    assert _default_tags(files["dev/orders/providers.tf"]) == {
        "acme:env": "dev",
        "blueprint": "orders",
        "cost-center": "cc-42",
        "data-class": "internal",
        "env": "dev",
        "managed-by": "trellis",
        "owner": "platform",
        "team": "commerce",
    }
    assert _default_tags(files["dev/events/providers.tf"])["cost-center"] == "cc-1"
    assert _default_tags(files["prd/orders/providers.tf"]) == {
        "blueprint": "orders",
        "cost-center": "cc-42",
        "data-class": "internal",
        "env": "prd",
        "managed-by": "trellis",
        "team": "commerce",
    }


def test_bootstrap_team_comes_from_the_environment(repo: Path) -> None:
    """The bootstrap stack's team is the environment's team tag, default platform."""
    tree = {str(p): d.decode() for p, d in snapshot_files(render_repo(repo)).items()}
    assert _default_tags(tree["dev/bootstrap/providers.tf"])["team"] == "data-platform"
    assert _default_tags(tree["dev/bootstrap/providers.tf"])["owner"] == "platform"
    assert _default_tags(tree["prd/bootstrap/providers.tf"])["team"] == "platform"


def test_namespace_prefixes_every_name_state_key_and_role(repo: Path) -> None:
    """In namespace acme every derived name starts acme-dev-, the state lives under acme/
    in the acme-dev- bucket, and the deploy roles and their scope carry the namespace."""
    _, deployments = load_and_resolve(repo)
    for deployment in deployments:
        prefix = resource_prefix(deployment.target.env, deployment.target.namespace)
        assert prefix == (
            "acme-dev-" if deployment.target.env == "dev" else f"{deployment.target.env}-"
        )
        for name in resource_names(deployment):
            bare = name.removeprefix("/aws/lambda/").removeprefix("alias/")
            assert bare.startswith(prefix), (deployment.key, name)
        # outside the prefix, so the apply role cannot touch it; the namespace still in it
        assert deployment.state.bucket.startswith(f"trellis-tfstate-{prefix}")
        if deployment.target.env == "dev":
            assert deployment.state.key.startswith("acme/")
        else:
            assert not deployment.state.key.startswith("acme/")
    tree = {str(p): d.decode() for p, d in snapshot_files(render_repo(repo)).items()}
    module = _hcl(tree["dev/bootstrap/main.tf"])["module"][0]["bootstrap"]
    assert module["resource_prefix"] == "acme-dev-"
    assert module["name_scope"] == "acme-dev"
    assert module["environment_tag_key"] == "acme:env"
    assert module["ssm_parameter_root"] == "/trellis/acme"
    assert module["state_bucket_name"].startswith("trellis-tfstate-acme-dev-")
    prd = _hcl(tree["prd/bootstrap/main.tf"])["module"][0]["bootstrap"]
    assert prd["resource_prefix"] == "prd-" and "name_scope" not in prd
    deploy = tree[".github/workflows/trellis-deploy.yml"]
    assert "role/trellis-acme-dev-plan" in deploy and "role/trellis-acme-dev-apply" in deploy
    assert "role/trellis-prd-apply" in deploy
    assert not re.search(r"role/trellis-dev-", deploy)


def test_two_repositories_in_one_account_collide_only_without_namespace(tmp_path: Path) -> None:
    """Two repositories deploying dev into one account derive the same names (the state
    bucket included); a namespace in one of them removes every collision."""
    repo = example_repository(tmp_path / "ours")
    # the same environment name twice is what two repositories sharing an account do
    twin = tmp_path / "twin"
    example_repository(twin)
    (twin / "environments/stg.yaml").unlink()
    (twin / "environments/prd.yaml").unlink()
    _, ours = load_and_resolve(repo, ("dev",))
    _, theirs = load_and_resolve(twin, ("dev",))
    clash = {n for d in ours for n in resource_names(d)} & {
        n for d in theirs for n in resource_names(d)
    }
    assert clash, "same names without a namespace"
    assert {d.state.bucket for d in ours} == {d.state.bucket for d in theirs}
    edit(twin / "environments/dev.yaml", "approval: none\n", "approval: none\nnamespace: team2\n")
    _, theirs = load_and_resolve(twin, ("dev",))
    assert not {n for d in ours for n in resource_names(d)} & {
        n for d in theirs for n in resource_names(d)
    }
    assert {d.state.bucket for d in ours}.isdisjoint({d.state.bucket for d in theirs})


def test_long_namespace_keeps_every_name_within_aws_limits(tmp_path: Path) -> None:
    """A 12-character namespace and a 30-character blueprint name still fit every
    service's limit: long names are shortened with the stable hash, and keep the prefix."""
    repo = example_repository(tmp_path)
    edit(
        repo / "environments/prd.yaml",
        "approval: required\n",
        "approval: required\nnamespace: abcdefghijkl\n",
    )
    write_skeleton(repo, "IngestionPipeline", "a-very-long-pipeline-name-here", "team")
    _, deployments = load_and_resolve(repo, ("prd",))
    (long,) = [d for d in deployments if d.blueprint == "a-very-long-pipeline-name-here"]
    r: Any = long.resources
    limits = {
        names.LAMBDA_FUNCTION: [f.name for f in r.functions],
        names.IAM_ROLE: [f.role_name for f in r.functions] + [r.scheduler_role_name],
        names.SQS_QUEUE: [r.queue_name, r.dlq_name],
        names.S3_BUCKET: [r.backup_bucket],
        names.SCHEDULE: [r.schedule_name],
    }
    shortened = 0
    for rule, derived in limits.items():
        for name in derived:
            assert len(name) <= rule.max_length and rule.pattern.match(name), (rule, name)
            assert name.startswith("abcdefghijkl-prd-"), name
            shortened += len(name) == rule.max_length
    assert shortened, "the case must exercise the shortening"
    assert long.state.bucket.startswith("trellis-tfstate-abcdefghijkl-prd-")
    assert len(long.state.bucket) <= names.S3_BUCKET.max_length


def test_too_many_tags_together_is_an_error(tmp_path: Path) -> None:
    """30 environment tags and 30 blueprint tags are each allowed, but not on one resource."""
    repo = example_repository(tmp_path)
    env_tags = "".join(f"  e{i}: v\n" for i in range(30))
    edit(
        repo / "environments/prd.yaml",
        "approval: required\n",
        f"approval: required\ntags:\n{env_tags}",
    )
    bp_tags = "".join(f"    b{i}: v\n" for i in range(30))
    edit(
        repo / "blueprints/orders.yaml",
        "  team: commerce\n",
        f"  team: commerce\n  tags:\n{bp_tags}",
    )
    errors = errors_of(repo)
    assert [(e.file, e.path, e.code) for e in errors] == [
        ("blueprints/orders.yaml", "metadata.tags", "resolve.too-many-tags")
    ]
    assert "prd/orders would carry 66 tags per resource" in errors[0].message
    assert errors[0].allowed == "at most 44 organisation tags together"
