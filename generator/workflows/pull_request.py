"""``trellis-pr.yml``: drift and checks, then a reviewed plan per changed root stack.

Which stacks changed is decided in the workflow, not at render time: a job diffs
``build/`` between the pull request's base and head. A stack is planned when a file
under its directory changed, or when anything under ``build/modules/`` changed (every
stack calls the modules). That is the same set of files ``build/manifest.json`` lists,
read from git rather than from two manifests, so deleted files count too.
"""

from __future__ import annotations

import json
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

PATH = ".github/workflows/trellis-pr.yml"

_SELECT_CHANGED = """\
changed="$(git diff --name-only "${BASE_SHA}" HEAD -- build/)"
printf 'changed under build/:\\n%s\\n' "${changed}"
matrix="$(jq -c --arg changed "${changed}" '
  ($changed | split("\\n") | map(select(length > 0))) as $files
  | [ .[] | . as $stack
      | select(any($files[]; startswith("build/modules/") or startswith($stack.dir + "/"))) ]
' <<< "${ALL_STACKS}")"
echo "matrix={\\"include\\":${matrix}}" >> "${GITHUB_OUTPUT}"
if [ "${matrix}" = "[]" ]; then
  echo "any=false" >> "${GITHUB_OUTPUT}"
else
  echo "any=true" >> "${GITHUB_OUTPUT}"
fi
"""


def _stack_rows(
    environments: Sequence[WorkflowEnvironment], stacks: Sequence[WorkflowStack]
) -> list[dict[str, str]]:
    """One matrix row per stack of an environment that is planned from pull requests."""
    by_name = {env.name: env for env in environments}
    rows = []
    for stack in stacks:
        env = by_name[stack.env]
        if not env.plan_on_pull_request:
            continue
        rows.append(
            {
                "env": env.name,
                "stack": stack.blueprint,
                "dir": stack.directory,
                "region": env.region,
                "role": env.plan_role_arn,
                **({"image": stack.blueprint} if stack.package == "image" else {}),
            }
        )
    if any("image" in row for row in rows):
        rows = [{"image": "", **row} for row in rows]
    return rows


#: An image stack is planned with the offline stand-in digest of its context (nothing is
#: pushed from a pull request), recorded beside the plan so the review labels it.
_STAND_IN_DIGEST = """\
if [ -z "${IMAGE_BLUEPRINT}" ]; then
  exit 0
fi
digest="$(python -c '
import sys
from pathlib import Path
from generator.images.offline import planned_image, write_planned_image
image = planned_image(Path(sys.argv[1]), sys.argv[2], {})
write_planned_image(Path.cwd(), image)
print(image.digest)
' "${GITHUB_WORKSPACE}/build" "${IMAGE_BLUEPRINT}")"
echo "TF_VAR_image_digest=${digest}" >> "${GITHUB_ENV}"
echo "${IMAGE_BLUEPRINT}: planned with the stand-in digest ${digest} of its context"
"""


def _image_digest_steps(rows: Sequence[dict[str, str]]) -> list[dict[str, Any]]:
    """The stand-in digest step, when any planned stack is an image stack."""
    if not any(row.get("image") for row in rows):
        return []
    return [
        {
            "name": "Image digest to plan with (image stacks)",
            "env": {"IMAGE_BLUEPRINT": "${{ matrix.image }}"},
            "run": script(_STAND_IN_DIGEST.rstrip("\n")),
        }
    ]


def build(
    environments: Sequence[WorkflowEnvironment],
    stacks: Sequence[WorkflowStack],
    installation: Installation,
) -> dict[str, Any]:
    """The pull-request workflow as a document (see :func:`generator.workflows.emit.dump`).

    Environments with ``plan_on_pull_request`` False are checked but never planned here.
    """
    rows = _stack_rows(environments, stacks)
    check_job = {
        "name": "render drift and checks",
        "runs-on": RUNNER,
        "timeout-minutes": 30,
        "permissions": {"contents": "read", "security-events": "write"},
        "steps": [
            checkout(),
            *install_trellis(installation, ("checkov", "actionlint")),
            {"name": "Rendered output is up to date", "run": script("trellis render --check")},
            {
                "name": "trellis check",
                "run": script("trellis check --format sarif --output trellis.sarif"),
            },
            uses(
                actions.UPLOAD_SARIF,
                {"sarif_file": "trellis.sarif", "category": "trellis"},
                name="Upload findings to code scanning",
                condition="${{ !cancelled() }}",
            ),
        ],
    }
    stacks_job = {
        "name": "changed root stacks",
        "runs-on": RUNNER,
        "timeout-minutes": 10,
        "permissions": {"contents": "read"},
        "outputs": {
            "matrix": "${{ steps.select.outputs.matrix }}",
            "any": "${{ steps.select.outputs.any }}",
        },
        "steps": [
            checkout(full_history=True),
            {
                "name": "Select stacks whose files changed",
                "id": "select",
                "env": {
                    "BASE_SHA": "${{ github.event.pull_request.base.sha }}",
                    "ALL_STACKS": json.dumps(rows, sort_keys=True),
                },
                "run": script(_SELECT_CHANGED.rstrip("\n")),
            },
        ],
    }
    plan_job = {
        "name": "plan ${{ matrix.env }}/${{ matrix.stack }}",
        "needs": ["check", "stacks"],
        "if": "${{ needs.stacks.outputs.any == 'true' }}",
        "runs-on": RUNNER,
        "timeout-minutes": 60,
        "permissions": {"contents": "read", "id-token": "write"},
        "strategy": {
            "fail-fast": False,
            "matrix": "${{ fromJSON(needs.stacks.outputs.matrix) }}",
        },
        "defaults": {"run": {"working-directory": "${{ matrix.dir }}"}},
        "steps": [
            checkout(),
            setup_terraform(),
            *install_trellis(installation),
            aws_credentials(
                "${{ matrix.role }}", "${{ matrix.region }}", "trellis-pr-plan-${{ matrix.env }}"
            ),
            *_image_digest_steps(rows),
            *plan_and_review(
                "plan-${{ matrix.env }}-${{ matrix.stack }}", "${{ matrix.dir }}", read_only=True
            ),
        ],
    }
    return {
        "name": "trellis pull request",
        "on": {"pull_request": {}},
        "permissions": {},
        "defaults": {"run": {"shell": "bash"}},
        "concurrency": {
            "group": "trellis-pr-${{ github.event.pull_request.number }}",
            "cancel-in-progress": True,
        },
        "jobs": {"check": check_job, "stacks": stacks_job, "plan": plan_job},
    }
