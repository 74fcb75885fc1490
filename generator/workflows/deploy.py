"""``trellis-deploy.yml``: on push to the deploy branch, images, then plan → apply per env.

Order of jobs:

1. ``changes`` finds the commit that last touched any image's build context
   (``image_sha``) and whether this push changed one (``images``).
2. ``images`` (only when a context changed) builds each image once and pushes it to every
   environment's ECR repository as ``<image_sha>-<env>``, assuming that environment's
   image-push role. Tags are immutable, so a tag that already exists is left alone.
3. For each environment in order dev → stg → prd (then others by name): ``plan-<env>``
   plans every stack of the environment with the read-only plan role and uploads the saved
   plan with its JSON and review; ``apply-<env>`` is bound to the GitHub environment
   ``<env>`` (its protection rules, such as required reviewers, gate the job), downloads
   exactly those saved plans with the provider lock files their ``init`` wrote, runs
   ``terraform init -lockfile=readonly`` (so the providers cannot differ from the plan's)
   and applies them, one stack after another in stack order.
   Each apply job needs the previous environment's apply, so prd waits for stg.

Image stacks read the tag from ``TF_VAR_image_tag``; other stacks ignore it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.workflows import actions
from generator.workflows.emit import script, uses
from generator.workflows.records import Installation, WorkflowEnvironment, WorkflowStack
from generator.workflows.steps import (
    RUNNER,
    aws_credentials,
    checkout,
    install_trellis,
    plan_and_review,
    setup_terraform,
)

PATH = ".github/workflows/trellis-deploy.yml"

_CHANGES = """\
image_sha="$(git log -1 --format=%H -- ${IMAGE_PATHS})"
if [ -z "${image_sha}" ]; then
  echo "no commit touches ${IMAGE_PATHS}" >&2
  exit 1
fi
if [ "${BEFORE_SHA}" = "0000000000000000000000000000000000000000" ] \\
  || ! git cat-file -e "${BEFORE_SHA}^{commit}" 2>/dev/null \\
  || ! git diff --quiet "${BEFORE_SHA}" "${GITHUB_SHA}" -- ${IMAGE_PATHS}; then
  images=true
else
  images=false
fi
echo "image_sha=${image_sha}" >> "${GITHUB_OUTPUT}"
echo "images=${images}" >> "${GITHUB_OUTPUT}"
echo "image inputs changed: ${images}; image tag source: ${image_sha}"
"""

_PUSH = """\
aws ecr get-login-password | docker login --username AWS --password-stdin "${REGISTRY}"
for name in ${IMAGES}; do
  tag="${IMAGE_SHA}-${ENV_NAME}"
  repository="${ENV_NAME}-${name}"
  if aws ecr describe-images --repository-name "${repository}" \\
      --image-ids "imageTag=${tag}" >/dev/null 2>&1; then
    echo "${repository}:${tag} already exists (immutable tags); not pushed again"
    continue
  fi
  docker tag "trellis-local/${name}:build" "${REGISTRY}/${repository}:${tag}"
  docker push "${REGISTRY}/${repository}:${tag}"
done
"""


def _ordered(environments: Sequence[WorkflowEnvironment]) -> list[WorkflowEnvironment]:
    return sorted(environments, key=lambda env: env.order_key)


def _changes_job(image_stacks: Sequence[WorkflowStack]) -> dict[str, Any]:
    contexts = sorted({stack.build_context for stack in image_stacks})
    return {
        "name": "image inputs",
        "runs-on": RUNNER,
        "timeout-minutes": 10,
        "permissions": {"contents": "read"},
        "outputs": {
            "image_sha": "${{ steps.changes.outputs.image_sha }}",
            "images": "${{ steps.changes.outputs.images }}",
        },
        "steps": [
            checkout(full_history=True),
            {
                "name": "Did this push change an image's build context?",
                "id": "changes",
                "env": {
                    "BEFORE_SHA": "${{ github.event.before }}",
                    "IMAGE_PATHS": " ".join(contexts),
                },
                "run": script(_CHANGES.rstrip("\n")),
            },
        ],
    }


def _images_job(
    environments: Sequence[WorkflowEnvironment], image_stacks: Sequence[WorkflowStack]
) -> dict[str, Any]:
    blueprints: dict[str, str] = {}
    for stack in sorted(image_stacks, key=lambda s: (s.blueprint, s.env)):
        blueprints.setdefault(stack.blueprint, stack.build_context)
    steps: list[dict[str, Any]] = [checkout()]
    for name, context in blueprints.items():
        steps.append(
            {
                "name": f"Build image {name}",
                "env": {"IMAGE_NAME": name, "BUILD_CONTEXT": context},
                "run": script(
                    'docker build --pull --tag "trellis-local/${IMAGE_NAME}:build" \\',
                    '  "${BUILD_CONTEXT}"',
                ),
            }
        )
    for env in _ordered(environments):
        names = sorted({s.blueprint for s in image_stacks if s.env == env.name})
        if not names:
            continue
        steps.append(
            aws_credentials(
                env.image_push_role_arn,
                env.region,
                f"trellis-images-{env.name}",
                name=f"AWS credentials for {env.name} (OIDC)",
            )
        )
        steps.append(
            {
                "name": f"Push images to {env.name}",
                "env": {
                    "ENV_NAME": env.name,
                    "REGISTRY": env.registry,
                    "IMAGES": " ".join(names),
                    "IMAGE_SHA": "${{ needs.changes.outputs.image_sha }}",
                },
                "run": script(_PUSH.rstrip("\n")),
            }
        )
    return {
        "name": "build and push images",
        "needs": ["changes"],
        "if": "${{ needs.changes.outputs.images == 'true' }}",
        "runs-on": RUNNER,
        "timeout-minutes": 60,
        "permissions": {"contents": "read", "id-token": "write"},
        "steps": steps,
    }


def _needs(needs: list[str]) -> dict[str, Any]:
    """``needs`` when there is something to wait for: GitHub refuses an empty list."""
    return {"needs": needs} if needs else {}


def _plan_job(
    env: WorkflowEnvironment,
    stacks: Sequence[WorkflowStack],
    needs: list[str],
    has_images: bool,
    installation: Installation,
) -> dict[str, Any]:
    job: dict[str, Any] = {
        "name": f"plan {env.name}/${{{{ matrix.stack }}}}",
        **_needs(needs),
        "if": "${{ !cancelled() && !failure() }}",
        "runs-on": RUNNER,
        "timeout-minutes": 60,
        "permissions": {"contents": "read", "id-token": "write"},
        "strategy": {
            "fail-fast": True,
            "matrix": {
                "include": [{"stack": s.blueprint, "dir": s.directory} for s in stacks],
            },
        },
        "defaults": {"run": {"working-directory": "${{ matrix.dir }}"}},
    }
    if has_images:
        job["env"] = {"TF_VAR_image_tag": f"${{{{ needs.changes.outputs.image_sha }}}}-{env.name}"}
    job["steps"] = [
        checkout(),
        setup_terraform(),
        *install_trellis(installation),
        aws_credentials(env.plan_role_arn, env.region, f"trellis-deploy-plan-{env.name}"),
        *plan_and_review(
            f"deploy-{env.name}-${{{{ matrix.stack }}}}", "${{ matrix.dir }}", read_only=False
        ),
    ]
    return job


def _apply_job(
    env: WorkflowEnvironment, stacks: Sequence[WorkflowStack], needs: list[str]
) -> dict[str, Any]:
    steps: list[dict[str, Any]] = [
        checkout(),
        setup_terraform(),
        uses(
            actions.DOWNLOAD_ARTIFACT,
            {"pattern": f"deploy-{env.name}-*", "path": "plans"},
            name="Download the reviewed plans",
        ),
        aws_credentials(env.apply_role_arn, env.region, f"trellis-deploy-apply-{env.name}"),
    ]
    for stack in stacks:
        steps.append(
            {
                "name": f"apply {stack.key}",
                "working-directory": stack.directory,
                "env": {"PLANS": f"plans/deploy-{env.name}-{stack.blueprint}"},
                "run": script(
                    'cp "${GITHUB_WORKSPACE}/${PLANS}/.terraform.lock.hcl" .terraform.lock.hcl',
                    "terraform init -input=false -no-color -lockfile=readonly",
                    "terraform apply -input=false -no-color -lock-timeout=300s \\",
                    '  "${GITHUB_WORKSPACE}/${PLANS}/plan.tfplan"',
                ),
            }
        )
    return {
        "name": f"apply {env.name}",
        **_needs(needs),
        "if": "${{ !cancelled() && !failure() }}",
        "runs-on": RUNNER,
        "timeout-minutes": 120,
        "environment": env.name,
        "concurrency": {"group": f"trellis-apply-{env.name}", "cancel-in-progress": False},
        "permissions": {"contents": "read", "id-token": "write"},
        "steps": steps,
    }


def build(
    environments: Sequence[WorkflowEnvironment],
    stacks: Sequence[WorkflowStack],
    installation: Installation,
) -> dict[str, Any]:
    """The deploy workflow as a document (see :func:`generator.workflows.emit.dump`).

    One run at a time per repository (workflow-level ``concurrency``, never cancelled): a
    second push waits for the first to finish instead of racing it to the state.
    """
    ordered = _ordered(environments)
    image_stacks = [s for s in stacks if s.package == "image"]
    jobs: dict[str, Any] = {}
    first_needs: list[str] = []
    if image_stacks:
        jobs["changes"] = _changes_job(image_stacks)
        jobs["images"] = _images_job(ordered, image_stacks)
        first_needs = ["changes", "images"]
    previous_apply: str | None = None
    for env in ordered:
        env_stacks = [s for s in stacks if s.env == env.name]
        if not env_stacks:
            continue
        needs = list(first_needs)
        if previous_apply:
            needs.append(previous_apply)
        jobs[f"plan-{env.name}"] = _plan_job(
            env, env_stacks, needs, bool(image_stacks), installation
        )
        jobs[f"apply-{env.name}"] = _apply_job(env, env_stacks, [f"plan-{env.name}"])
        previous_apply = f"apply-{env.name}"
    branches = sorted({env.branch for env in environments})
    return {
        "name": "trellis deploy",
        "on": {"push": {"branches": branches}},
        "permissions": {},
        "defaults": {"run": {"shell": "bash"}},
        "concurrency": {"group": "trellis-deploy", "cancel-in-progress": False},
        "jobs": jobs,
    }
