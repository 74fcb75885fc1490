"""`trellis plan --offline` of an image stack: a real plan with the image function by digest
(the stand-in derived from the context, or TF_VAR_image_digest), labelled in the review."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from generator.images import context_digest, read_context
from generator.images.offline import STAND_IN
from generator.pipeline import load_and_resolve
from generator.policy.skips import builtin_skips
from generator.render.pipeline import render_deployments
from generator.review import review_plans
from generator.write.atomic import write_tree
from runtime.ingest.dedup_store import EXPIRES_AT
from tests.render.support import fixed_bundle, ingestion_blueprint, write_repo

PUSHED = "sha256:" + "ab" * 32
REPOSITORY = "111111111111.dkr.ecr.ap-southeast-1.amazonaws.com/dev-orders"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One image pipeline (orders, dev), rendered into build/."""
    root = write_repo(tmp_path_factory.mktemp("img"), [ingestion_blueprint(package="image")])
    _, deployments = load_and_resolve(root)
    result = render_deployments(deployments, fixed_bundle(), EXPIRES_AT, builtin_skips())
    write_tree(result.tree, root / "build")
    return root


def _plan(repo: Path, env: dict[str, str | None] | None = None) -> tuple[int, str]:
    """Plan dev; without ``env`` TF_VAR_image_digest is unset whatever the caller's is."""
    result = CliRunner().invoke(
        cli,
        ["plan", "--offline", str(repo), "--env", "dev"],
        env=env or {"TF_VAR_image_digest": None},
    )
    return result.exit_code, result.output


def _functions(repo: Path) -> dict[str, dict[str, Any]]:
    plan = json.loads((repo / ".trellis/plans/dev/orders/plan.json").read_text())
    return {
        c["address"]: c["change"]["after"]
        for c in plan["resource_changes"]
        if c["type"] == "aws_lambda_function"
    }


def test_offline_plan_deploys_the_image_by_the_context_stand_in(repo: Path) -> None:
    """Without TF_VAR_image_digest both functions plan as Image with <repo>@<stand-in>."""
    code, output = _plan(repo)
    assert code == 0, output
    stand_in = context_digest(read_context(repo / "build/images/orders"))
    assert f"image {stand_in} ({STAND_IN})" in output
    functions = _functions(repo)
    assert len(functions) == 2
    for after in functions.values():
        assert after["package_type"] == "Image"
        assert after["image_uri"] == f"{REPOSITORY}@{stand_in}"
        assert after["handler"] is None and after["runtime"] is None
        assert after["image_config"][0]["command"][0].startswith("runtime.ingest.")
    review = review_plans([repo / ".trellis/plans/dev/orders/plan.json"], run_checkov=False)
    images = review.stacks[0].images
    assert {(i.repository, i.digest, i.origin) for i in images} == {
        (REPOSITORY, stand_in, STAND_IN)
    }


def test_offline_plan_takes_the_pushed_digest_from_tf_var(repo: Path) -> None:
    """TF_VAR_image_digest set: the plan deploys exactly that digest, labelled as pushed."""
    code, output = _plan(repo, {"TF_VAR_image_digest": PUSHED})
    assert code == 0, output
    assert all(a["image_uri"] == f"{REPOSITORY}@{PUSHED}" for a in _functions(repo).values())
    review = review_plans([repo / ".trellis/plans/dev/orders/plan.json"], run_checkov=False)
    assert {i.origin for i in review.stacks[0].images} == {"TF_VAR_image_digest (a pushed image)"}


def test_a_tag_instead_of_a_digest_is_refused_before_planning(repo: Path) -> None:
    """TF_VAR_image_digest=<a tag>: exit 2 naming the variable and the fix, no traceback."""
    code, output = _plan(repo, {"TF_VAR_image_digest": "abc123-dev"})
    assert code == 2
    assert "TF_VAR_image_digest" in output and "sha256:<64 hex digits>" in output
    assert "Traceback" not in output
