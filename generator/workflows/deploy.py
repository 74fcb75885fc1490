"""``trellis-deploy.yml``: on push to the deploy branch, images, then plan → apply per env.

Order of jobs:

1. ``changes`` finds the commit that last touched any image's build context
   (``image_sha``, the tag source), its commit time (``image_epoch``, the images'
   ``SOURCE_DATE_EPOCH``) and whether this push changed a context (``images``). The path
   filter is the contexts alone (``build/images/<blueprint>/``): they are rendered output
   committed with the change (the pull request's ``trellis render --check`` fails when
   they are stale), so a change to the runtime, its pinned dependencies, the handler or the
   reviewed base digest reaches the image only by changing bytes under that folder.
2. ``images`` runs on every push. For each environment it assumes that environment's
   image-push role and, per image, looks the tag ``<image_sha>-<env>`` up in the
   environment's ECR repository (``aws ecr describe-images``): an existing tag is never
   pushed again (tags are immutable), its digest is reused. A missing tag (the context
   changed, or a new environment) is built with ``docker buildx`` reproducibly
   (``SOURCE_DATE_EPOCH`` = ``image_epoch``, ``rewrite-timestamp=true``, no provenance or
   SBOM attestations, ``--network none``, ``--platform`` of the function's architecture)
   and pushed; a push refused because the tag appeared meanwhile falls back to the digest
   now there. Each image's digest, as ECR reports it, is a job output
   ``<blueprint>-<env>``.
3. For each environment in order dev → stg → prd (then others by name): ``plan-<env>``
   plans every stack of the environment with the read-only plan role and uploads the saved
   plan with its JSON and review; an image stack plans with exactly its pushed digest
   (``TF_VAR_image_digest`` from the images job), so ``image_uri`` is
   ``<repository>@<digest>``. ``apply-<env>`` is bound to the GitHub environment
   ``<env>`` (its protection rules, such as required reviewers, gate the job), downloads
   exactly those saved plans with the provider lock files their ``init`` wrote, runs
   ``terraform init -lockfile=readonly`` (so the providers cannot differ from the plan's)
   and applies them, one stack after another in stack order. A saved plan holds its
   variables, so apply deploys the digest the reviewed plan shows.
   Each apply job needs the previous environment's apply, so prd waits for stg.
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

#: The Terraform variable an image stack's digest arrives in (``var.image_digest``).
IMAGE_DIGEST_ENV = "TF_VAR_image_digest"

_CHANGES = """\
image_sha="$(git log -1 --format=%H -- ${IMAGE_PATHS})"
if [ -z "${image_sha}" ]; then
  echo "no commit touches ${IMAGE_PATHS}" >&2
  exit 1
fi
image_epoch="$(git log -1 --format=%ct "${image_sha}")"
if [ "${BEFORE_SHA}" = "0000000000000000000000000000000000000000" ] \\
  || ! git cat-file -e "${BEFORE_SHA}^{commit}" 2>/dev/null \\
  || ! git diff --quiet "${BEFORE_SHA}" "${GITHUB_SHA}" -- ${IMAGE_PATHS}; then
  images=true
else
  images=false
fi
{
  echo "image_sha=${image_sha}"
  echo "image_epoch=${image_epoch}"
  echo "images=${images}"
} >> "${GITHUB_OUTPUT}"
echo "image inputs changed: ${images}; image tag source: ${image_sha} (epoch ${image_epoch})"
"""

_SETUP_BUILDX = """\
docker buildx create --name trellis-images --driver docker-container --use
docker buildx version
"""

_PUSH = """\
aws ecr get-login-password | docker login --username AWS --password-stdin "${REGISTRY}"
tag="${IMAGE_SHA}-${ENV_NAME}"
export SOURCE_DATE_EPOCH
lookup() {
  # The digest of $1:${tag}, empty when the tag does not exist; fails on any other error.
  local out
  if out="$(aws ecr describe-images --repository-name "$1" --image-ids "imageTag=${tag}" \\
      --query 'imageDetails[0].imageDigest' --output text 2>&1)"; then
    printf '%s\\n' "${out}"
  elif [[ "${out}" != *ImageNotFoundException* ]]; then
    printf '%s\\n' "${out}" >&2
    return 1
  fi
}
for entry in ${IMAGES}; do
  IFS='|' read -r name repository context platform <<< "${entry}"
  digest="$(lookup "${repository}")"
  if [ -n "${digest}" ]; then
    echo "${repository}:${tag} exists: tags are immutable, nothing pushed"
  else
    if [ "${IMAGES_CHANGED}" != "true" ]; then
      echo "${repository}:${tag} is missing though no context changed (a new environment?)"
    fi
    output="type=image,name=${REGISTRY}/${repository}:${tag},push=true,rewrite-timestamp=true"
    if docker buildx build --platform "${platform}" --provenance=false --sbom=false \\
        --network none --output "${output}" "${context}" < /dev/null; then
      echo "${repository}:${tag} built from ${context} and pushed"
    else
      echo "pushing ${repository}:${tag} failed; was the tag pushed meanwhile?" >&2
    fi
    digest="$(lookup "${repository}")"
  fi
  if [[ ! "${digest}" =~ ^sha256:[0-9a-f]{64}$ ]]; then
    echo "no image ${repository}:${tag} in ${REGISTRY} (got '${digest}')" >&2
    exit 1
  fi
  echo "${repository}:${tag} is ${digest}"
  echo "${name}=${digest}" >> "${GITHUB_OUTPUT}"
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
            "image_epoch": "${{ steps.changes.outputs.image_epoch }}",
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


def _digest_output(blueprint: str, env: str) -> str:
    """The images job's output holding ``blueprint``'s digest in ``env``."""
    return f"{blueprint}-{env}"


def _images_job(
    environments: Sequence[WorkflowEnvironment], image_stacks: Sequence[WorkflowStack]
) -> dict[str, Any]:
    steps: list[dict[str, Any]] = [
        checkout(),
        {
            "name": "Set up docker buildx (OCI images with rewritten timestamps)",
            "run": script(_SETUP_BUILDX.rstrip("\n")),
        },
    ]
    outputs: dict[str, str] = {}
    for env in _ordered(environments):
        stacks = sorted((s for s in image_stacks if s.env == env.name), key=lambda s: s.blueprint)
        if not stacks:
            continue
        step_id = f"push-{env.name}"
        steps.append(
            aws_credentials(
                env.image_push_role_arn,
                env.region,
                f"trellis-images-{env.name}",
                name=f"AWS credentials for {env.name} (OIDC)",
            )
        )
        entries = [
            f"{s.blueprint}|{env.image_repository(s.blueprint)}|{s.build_context}|{s.platform}"
            for s in stacks
        ]
        steps.append(
            {
                "name": f"Push images to {env.name}",
                "id": step_id,
                "env": {
                    "ENV_NAME": env.name,
                    "REGISTRY": env.registry,
                    "IMAGES": " ".join(entries),
                    "IMAGE_SHA": "${{ needs.changes.outputs.image_sha }}",
                    "IMAGES_CHANGED": "${{ needs.changes.outputs.images }}",
                    "SOURCE_DATE_EPOCH": "${{ needs.changes.outputs.image_epoch }}",
                },
                "run": script(_PUSH.rstrip("\n")),
            }
        )
        for stack in stacks:
            outputs[_digest_output(stack.blueprint, env.name)] = (
                f"${{{{ steps.{step_id}.outputs.{stack.blueprint} }}}}"
            )
    return {
        "name": "build and push images",
        "needs": ["changes"],
        "runs-on": RUNNER,
        "timeout-minutes": 60,
        "permissions": {"contents": "read", "id-token": "write"},
        "outputs": outputs,
        "steps": steps,
    }


def _needs(needs: list[str]) -> dict[str, Any]:
    """``needs`` when there is something to wait for: GitHub refuses an empty list."""
    return {"needs": needs} if needs else {}


def _plan_job(
    env: WorkflowEnvironment,
    stacks: Sequence[WorkflowStack],
    needs: list[str],
    installation: Installation,
) -> dict[str, Any]:
    rows: list[dict[str, str]] = []
    for stack in stacks:
        row = {"stack": stack.blueprint, "dir": stack.directory}
        if stack.package == "image":
            output = _digest_output(stack.blueprint, env.name)
            row["image_digest"] = f"${{{{ needs.images.outputs.{output} }}}}"
        rows.append(row)
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
                "include": rows,
            },
        },
        "defaults": {"run": {"working-directory": "${{ matrix.dir }}"}},
    }
    if any(stack.package == "image" for stack in stacks):
        # Image stacks declare var.image_digest; the others ignore the variable.
        job["env"] = {IMAGE_DIGEST_ENV: "${{ matrix.image_digest }}"}
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
        jobs[f"plan-{env.name}"] = _plan_job(env, env_stacks, needs, installation)
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
