"""`trellis render --env dev` changes dev and nothing of the other environments."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from generator.pipeline import render_repository
from generator.render.tree import MANIFEST
from generator.write.atomic import drift, read_tree
from tests.blueprint.repo import edit, example_repository

WORKFLOWS = PurePosixPath(".github/workflows")


@pytest.fixture(scope="module")
def bundle_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One bundle cache for the module: the zip is built once."""
    return tmp_path_factory.mktemp("bundle-cache")


def _changed(before: dict[PurePosixPath, bytes], after: dict[PurePosixPath, bytes]) -> set[str]:
    return {
        str(path)
        for path in set(before) | set(after)
        if before.get(path) != after.get(path) and path != MANIFEST
    }


def test_render_env_dev_changes_only_dev(tmp_path: Path, bundle_cache: Path) -> None:
    """render all, change dev and prd, render --env dev: only dev's files differ, prd's
    stay byte-identical, the workflows keep every environment, and --check agrees."""
    repo = example_repository(tmp_path)
    out = repo / "build"
    render_repository(repo, out=out, cache_dir=bundle_cache)
    before = read_tree(out)
    edit(repo / "environments/dev.yaml", "level: DEBUG", "level: INFO")
    edit(repo / "environments/prd.yaml", "retention_days: 365", "retention_days: 400")

    result = render_repository(repo, ["dev"], out=out, cache_dir=bundle_cache)
    after = read_tree(out)

    changed = _changed(before, after)
    assert changed, "the dev edit must change dev's stacks"
    assert all(path.startswith("dev/") for path in changed), sorted(changed)
    for path, data in before.items():
        if path.parts[0] in ("stg", "prd") or path.parts[0] == ".github":
            assert after[path] == data, path
    deploy = after[WORKFLOWS / "trellis-deploy.yml"].decode()
    for env in ("dev", "stg", "prd"):
        assert f"  plan-{env}:" in deploy and f"  apply-{env}:" in deploy
    assert after[WORKFLOWS / "trellis-deploy.yml"] == before[WORKFLOWS / "trellis-deploy.yml"]
    assert after[WORKFLOWS / "trellis-pr.yml"] == before[WORKFLOWS / "trellis-pr.yml"]
    assert {key.split("/")[0] for key in result.stacks} == {"dev"}

    # the drift check over dev is clean; over everything it names prd, never dev
    dev_only = render_repository(repo, ["dev"], out=out, write=False, cache_dir=bundle_cache)
    assert drift(dev_only.tree, out) == []
    everything = render_repository(repo, out=out, write=False, cache_dir=bundle_cache)
    drifted = {path for path, _ in drift(everything.tree, out)}
    assert drifted and all(p.startswith("prd/") or p == str(MANIFEST) for p in drifted)


def test_render_env_dev_into_an_empty_build_writes_every_environment(
    tmp_path: Path, bundle_cache: Path
) -> None:
    """With no earlier build, --env dev writes every environment the workflows name."""
    repo = example_repository(tmp_path)
    out = repo / "build"
    render_repository(repo, ["dev"], out=out, cache_dir=bundle_cache)
    full = render_repository(repo, out=out, write=False, cache_dir=bundle_cache)
    assert drift(full.tree, out) == []


def test_render_keeps_plans_reviews_and_schemas(tmp_path: Path, bundle_cache: Path) -> None:
    """Nothing render does touches .trellis/: plans and reviews written there survive a
    full render and an --env render, and .trellis/ ignores itself in git."""
    repo = example_repository(tmp_path)
    plan = repo / ".trellis/plans/dev/orders/plan.json"
    plan.parent.mkdir(parents=True)
    plan.write_text("{}\n")
    review = repo / ".trellis/review.md"
    review.write_text("## review\n")
    render_repository(repo, out=repo / "build", cache_dir=bundle_cache)
    render_repository(repo, ["prd"], out=repo / "build", cache_dir=bundle_cache)
    assert plan.read_text() == "{}\n"
    assert review.read_text() == "## review\n"
    assert (repo / ".trellis/.gitignore").read_text().splitlines()[-1] == "*"
