"""The deploy workflow's image path, executed: a team repository whose blueprint is
``package: image`` pushes twice to main; ``changes`` and ``images`` run step by step, then
``plan-dev`` plans the image function by the digest the images job recorded.

What stands in for GitHub and AWS, beyond test_generated_workflows.py's substitutes:

- ``docker`` is tests/adoption/docker_substitute.py: buildah from Debian's packages (or,
  where buildah cannot run, the Python OCI assembly) builds the context onto a stand-in
  Lambda base made here, and "pushes" to ECR through ECR's own layer-upload and PutImage
  API (no registry is pulled from, nothing leaves 127.0.0.1);
- ``aws`` is the AWS CLI (v1, from PyPI, in a venv of its own; runners ship v2) talking to
  moto in server mode on 127.0.0.1;
- aws-actions/configure-aws-credentials assumes the role it is given in moto's STS, so each
  environment's calls land in that environment's account (111111111111 for dev,
  333333333333 for prd), and exports the credentials through ``$GITHUB_ENV`` as the action
  does; for the plan job it also writes a local backend override (as the other tests do);
- ``${{ github.event.before }}`` and ``${{ needs.<job>.outputs.* }}`` are resolved the way
  GitHub would: from the pushed commits and from the outputs of the jobs already run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.adoption.actions_runner import JobContext, Substitute, run_job
from tests.adoption.conftest import ROOT, Installed, _once
from tests.adoption.test_generated_workflows import _load, _runner, _substitutes
from tests.images import oci
from tests.runtime.support import free_port

DEPLOY = Path("build", ".github", "workflows", "trellis-deploy.yml")
REGION = "ap-southeast-1"
ACCOUNTS = {"dev": "111111111111", "prd": "333333333333"}
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


#: The AWS CLI the images job is run with, pinned so every run calls the same client.
AWSCLI = "awscli==1.46.3"


@pytest.fixture(scope="session")
def aws_cli(installed: Installed) -> Path:
    """The AWS CLI from PyPI in a venv of its own (runners have v2 preinstalled)."""
    venv = installed.shared / "awscli"
    with _once(installed.shared, "awscli") as todo:
        if todo:
            base = getattr(sys, "_base_executable", sys.executable)
            subprocess.run([base, "-m", "venv", str(venv)], check=True)
            uv = Path(sys.executable).parent / "uv"
            subprocess.run(
                [str(uv), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
                 AWSCLI],
                check=True,
            )  # fmt: skip
    return venv / "bin" / "aws"


@pytest.fixture(scope="session")
def image_repo(team_repo: Path, installed: Installed) -> Path:
    """The team repository with its blueprint switched to ``package: image`` and rendered
    (commit 2), then an unrelated change on top (commit 3)."""
    repo = installed.shared / "image-repo"
    with _once(installed.shared, "image-repo") as todo:
        if todo:
            if repo.exists():
                shutil.rmtree(repo)
            installed.run("git", "clone", "--quiet", str(team_repo), str(repo), cwd=team_repo)
            blueprint = repo / "blueprints" / "payments.yaml"
            text = blueprint.read_text(encoding="utf-8")
            assert "  package: zip" in text
            blueprint.write_text(text.replace("  package: zip", "  package: image"), "utf-8")
            installed.run("trellis", "render", cwd=repo)
            assert (repo / "build" / "images" / "payments" / "Dockerfile").is_file()
            git = ["git", "-c", "user.name=team", "-c", "user.email=team@example.com"]
            installed.run("git", "add", "--all", cwd=repo)
            installed.run(*git, "commit", "--quiet", "-m", "payments as an image", cwd=repo)
            (repo / "NOTES.md").write_text("Runbook notes; nothing an image is built from.\n")
            installed.run("git", "add", "NOTES.md", cwd=repo)
            installed.run(*git, "commit", "--quiet", "-m", "notes", cwd=repo)
    return repo


@pytest.fixture
def moto(tmp_path: Path) -> Iterator[str]:
    """moto in server mode on a free port of 127.0.0.1, with each environment's immutable
    ECR repository created in that environment's account (bootstrap's job)."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto's backends live in the process, not in the server: start from an empty AWS.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    try:
        for env, account in ACCOUNTS.items():
            ecr = _client("ecr", endpoint, _assume(endpoint, f"arn:aws:iam::{account}:role/admin"))
            ecr.create_repository(repositoryName=f"{env}-payments", imageTagMutability="IMMUTABLE")
        yield endpoint
    finally:
        server.stop()


def _assume(endpoint: str, role: str) -> dict[str, str]:
    sts: Any = boto3.client(
        "sts", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip
    creds = sts.assume_role(RoleArn=role, RoleSessionName="trellis-test")["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
        "AWS_SESSION_TOKEN": creds["SessionToken"],
    }


def _client(service: str, endpoint: str, creds: Mapping[str, str]) -> Any:
    return boto3.client(
        service, endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=creds["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=creds["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=creds["AWS_SESSION_TOKEN"],
    )  # fmt: skip


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _resolve(value: Any, known: Mapping[str, str]) -> Any:
    """``value`` with every ``${{ <expression> }}`` that ``known`` holds replaced."""
    if isinstance(value, str):
        return _EXPRESSION.sub(lambda m: known.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        return {key: _resolve(item, known) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, known) for item in value]
    return value


def _job_outputs(workflow: Mapping[str, Any], job: str, context: JobContext) -> dict[str, str]:
    """The job's ``outputs:`` as GitHub computes them, under ``needs.<job>.outputs.<name>``."""
    outputs = workflow["jobs"][job].get("outputs") or {}
    return {f"needs.{job}.outputs.{k}": context.expand(str(v)) for k, v in outputs.items()}


class Push:
    """One push to main at ``sha`` (``before`` the previous head): the jobs' runner."""

    def __init__(
        self, installed: Installed, repo: Path, tmp_path: Path, endpoint: str, tools: Path
    ) -> None:
        self.installed, self.endpoint, self.tools = installed, endpoint, tools
        tmp_path.mkdir(parents=True)
        self.context = _runner(installed, repo, tmp_path)
        self.sha = self.context.env["GITHUB_SHA"]
        self.known = {"github.event.before": _git(self.context.workspace, "rev-parse", "HEAD~1")}
        self.context.env.update(
            GITHUB_EVENT_NAME="push",
            GITHUB_REF="refs/heads/main",
            PATH=f"{tools}{os.pathsep}{self.context.env['PATH']}",
        )
        self.workflow = _load(self.context.workspace / DEPLOY)

    def credentials(self, expected_role: str | None = None) -> Substitute:
        """configure-aws-credentials: assume the role in moto's STS, export as the action does."""

        def substitute(inputs: Mapping[str, Any], ctx: JobContext) -> None:
            role = str(inputs["role-to-assume"])
            assert expected_role is None or role == expected_role, role
            assert inputs["aws-region"] == REGION and inputs["role-session-name"]
            exported = {
                **_assume(self.endpoint, role),
                "AWS_REGION": REGION,
                "AWS_DEFAULT_REGION": REGION,
                "AWS_ENDPOINT_URL": self.endpoint,
            }
            with Path(ctx.env["GITHUB_ENV"]).open("a", encoding="utf-8") as env_file:
                env_file.writelines(f"{key}={value}\n" for key, value in exported.items())
            if "dir" in ctx.matrix:  # a plan job: state in a local backend, as elsewhere
                (ctx.workspace / ctx.matrix["dir"] / "backend_override.tf").write_text(
                    'terraform {\n  backend "local" {\n    path = "terraform.tfstate"\n  }\n}\n',
                    encoding="utf-8",
                )

        return substitute

    def run(self, job: str, **substitutes: Substitute) -> dict[str, str]:
        """Run ``job`` with ``needs``/``github`` expressions resolved; return its outputs."""
        self.workflow["jobs"][job] = _resolve(self.workflow["jobs"][job], self.known)
        actions = {**_substitutes(self.installed), **substitutes}
        try:
            run_job(self.workflow, job, self.context, actions)
        finally:  # the job's log, as a runner keeps it, for whoever reads the failure
            log = self.context.runner_temp / f"{job}.log"
            log.write_text("\n".join(self.context.log), encoding="utf-8")
        outputs = _job_outputs(self.workflow, job, self.context)
        self.known.update(outputs)
        return outputs


@pytest.fixture
def tools(tmp_path: Path, aws_cli: Path) -> Path:
    """A bin directory with ``docker`` (the substitute) and ``aws`` (the CLI from PyPI),
    and the substitute's stand-in base, build log and work directory."""
    bin_dir = tmp_path / "tools"
    bin_dir.mkdir()
    base = tmp_path / "stand-in-base"
    oci.make_stand_in_base(base, "arm64", "base")
    (bin_dir / "aws").symlink_to(aws_cli)
    docker = bin_dir / "docker"
    docker.write_text(
        "#!/bin/sh\n"
        f"PYTHONPATH='{ROOT}' DOCKER_SUBSTITUTE_BASE='{base}' "
        f"DOCKER_SUBSTITUTE_LOG='{tmp_path / 'docker.log'}' "
        f"DOCKER_SUBSTITUTE_WORK='{tmp_path / 'docker-work'}' "
        f"exec '{sys.executable}' -m tests.adoption.docker_substitute \"$@\"\n",
        encoding="utf-8",
    )
    docker.chmod(0o755)
    (tmp_path / "docker-work").mkdir()
    (tmp_path / "docker.log").touch()
    return bin_dir


def _builds(tools: Path) -> list[dict[str, Any]]:
    log = tools.parent / "docker.log"
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def _ecr_digest(endpoint: str, env: str, tag: str) -> str:
    ecr = _client("ecr", endpoint, _assume(endpoint, f"arn:aws:iam::{ACCOUNTS[env]}:role/admin"))
    details = ecr.describe_images(repositoryName=f"{env}-payments", imageIds=[{"imageTag": tag}])
    return str(details["imageDetails"][0]["imageDigest"])


def test_images_job_pushes_once_per_context_and_plan_deploys_that_digest(
    installed: Installed, image_repo: Path, moto: str, tools: Path, tmp_path: Path
) -> None:
    """Push 1 (context changed) builds once per environment and pushes <sha>-<env>; push 2
    (unrelated change) builds nothing and finds the same digests; plan-dev plans the
    function with image_uri <dev repository>@<that digest>."""
    context_commit = _git(image_repo, "rev-parse", "HEAD~1")
    epoch = int(_git(image_repo, "log", "-1", "--format=%ct", context_commit))

    # Push 1: the commit that switched payments to an image (its context appears).
    first = Push(installed, image_repo, tmp_path / "push1", moto, tools)
    subprocess.run(["git", "checkout", "--quiet", context_commit], cwd=first.context.workspace,
                   check=True)  # fmt: skip
    first.sha = first.context.env["GITHUB_SHA"] = context_commit
    first.known["github.event.before"] = _git(image_repo, "rev-parse", "HEAD~2")
    changes = first.run("changes")
    assert changes["needs.changes.outputs.images"] == "true"
    assert changes["needs.changes.outputs.image_sha"] == context_commit
    assert changes["needs.changes.outputs.image_epoch"] == str(epoch)
    images = first.run("images", **{"aws-actions/configure-aws-credentials": first.credentials()})
    builds = _builds(tools)
    assert [b["pushed"].split("/", 1)[1] for b in builds] == [
        f"dev-payments:{context_commit}-dev",
        f"prd-payments:{context_commit}-prd",
    ]
    assert {b["epoch"] for b in builds} == {epoch}
    assert {b["platform"] for b in builds} == {"linux/arm64"}
    # Two builds of one context: the same layers and manifest, so the same digest everywhere.
    assert len({b["manifest_digest"] for b in builds}) == 1
    assert len({tuple(b["layer_digests"]) for b in builds}) == 1
    digest = builds[0]["manifest_digest"]
    assert images == {
        "needs.images.outputs.payments-dev": digest,
        "needs.images.outputs.payments-prd": digest,
    }
    for env in ACCOUNTS:
        assert _ecr_digest(moto, env, f"{context_commit}-{env}") == digest
    app_layer = oci.read_image(Path(builds[0]["layout"]), "image").layers[-1][1]
    context_files = {
        path.relative_to(first.context.workspace / "build/images/payments/app").as_posix()
        for path in (first.context.workspace / "build/images/payments/app").rglob("*")
        if path.is_file()
    }
    assert set(oci.layer_files(app_layer)) == {f"var/task/{name}" for name in context_files}

    # Push 2: an unrelated commit. Nothing is built or pushed; the digests are looked up.
    second = Push(installed, image_repo, tmp_path / "push2", moto, tools)
    changes = second.run("changes")
    assert changes["needs.changes.outputs.images"] == "false"
    assert changes["needs.changes.outputs.image_sha"] == context_commit
    images = second.run("images", **{"aws-actions/configure-aws-credentials": second.credentials()})
    assert len(_builds(tools)) == 2  # no new build
    assert images["needs.images.outputs.payments-dev"] == digest
    log = "\n".join(second.context.log)
    assert f"dev-payments:{context_commit}-dev exists: tags are immutable, nothing pushed" in log

    # plan-dev: the image stack's row carries exactly that digest into Terraform.
    rows = second.workflow["jobs"]["plan-dev"]["strategy"]["matrix"]["include"]
    row = next(r for r in rows if r["stack"] == "payments")
    second.context.matrix = _resolve(row, second.known)
    assert second.context.matrix["image_digest"] == digest
    second.run(
        "plan-dev",
        **{"aws-actions/configure-aws-credentials": second.credentials(
            f"arn:aws:iam::{ACCOUNTS['dev']}:role/trellis-dev-plan"
        )},
    )  # fmt: skip
    stack = second.context.workspace / second.context.matrix["dir"]
    plan = json.loads((stack / "plan.json").read_text(encoding="utf-8"))
    functions = [
        c["change"]["after"] for c in plan["resource_changes"] if c["type"] == "aws_lambda_function"
    ]
    repository = f"{ACCOUNTS['dev']}.dkr.ecr.{REGION}.amazonaws.com/dev-payments"
    assert functions and {f["image_uri"] for f in functions} == {f"{repository}@{digest}"}
    assert {f["package_type"] for f in functions} == {"Image"}
    assert plan["variables"]["image_digest"]["value"] == digest


def test_a_push_refused_for_an_existing_tag_fails_the_substitute_like_docker(
    installed: Installed, image_repo: Path, moto: str, tools: Path, tmp_path: Path
) -> None:
    """With the tag already in ECR, a second push of it is refused by the immutable
    repository (ImageAlreadyExists): the job must never get there, and the lookup does."""
    push = Push(installed, image_repo, tmp_path / "push", moto, tools)
    push.run("changes")
    push.run("images", **{"aws-actions/configure-aws-credentials": push.credentials()})
    build = _builds(tools)[0]
    env = {
        **push.context.env,
        **_assume(moto, f"arn:aws:iam::{ACCOUNTS['dev']}:role/trellis-dev-image-push"),
        "AWS_ENDPOINT_URL": moto, "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION,
        "SOURCE_DATE_EPOCH": str(build["epoch"]),
    }  # fmt: skip
    done = subprocess.run(
        [str(tools / "docker"), "buildx", "build", "--platform", "linux/arm64",
         "--provenance=false", "--sbom=false", "--network", "none",
         "--output", f"type=image,name={build['pushed']},push=true,rewrite-timestamp=true",
         "build/images/payments"],
        cwd=push.context.workspace, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "ImageAlreadyExistsException" in done.stderr


def test_pr_plan_job_plans_an_image_stack_with_its_context_stand_in(
    installed: Installed, image_repo: Path, tmp_path: Path
) -> None:
    """trellis-pr.yml's plan job for dev/payments (an image stack): nothing is pushed from a
    pull request, so it plans <repository>@<the context's stand-in digest>, and the review
    labels that digest as a stand-in."""
    from generator.images import context_digest, read_context

    context = _runner(installed, image_repo, tmp_path)
    workflow = _load(context.workspace / Path("build", ".github", "workflows", "trellis-pr.yml"))
    rows = json.loads(workflow["jobs"]["stacks"]["steps"][1]["env"]["ALL_STACKS"])
    context.matrix = next(r for r in rows if r["stack"] == "payments")
    assert context.matrix["image"] == "payments"
    run_job(workflow, "plan", context, _substitutes(installed))
    stand_in = context_digest(read_context(context.workspace / "build/images/payments"))
    stack = context.workspace / context.matrix["dir"]
    plan = json.loads((stack / "plan.json").read_text(encoding="utf-8"))
    uris = {
        c["change"]["after"]["image_uri"]
        for c in plan["resource_changes"]
        if c["type"] == "aws_lambda_function"
    }
    repository = f"{ACCOUNTS['dev']}.dkr.ecr.{REGION}.amazonaws.com/dev-payments"
    assert uris == {f"{repository}@{stand_in}"}
    review = (stack / "review.md").read_text(encoding="utf-8")
    assert stand_in in review and "offline stand-in, not a pushed image" in review
