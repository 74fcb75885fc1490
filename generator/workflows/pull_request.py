"""``trellis-pr.yml``: drift and checks, then a reviewed plan per changed root stack.

Which stacks changed is decided in the workflow, not at render time: a job diffs
``build/`` between the pull request's base and head. A stack is planned when a file
under its directory changed, or when anything under ``build/modules/`` changed (every
stack calls the modules). That is the same set of files ``build/manifest.json`` lists,
read from git rather than from two manifests, so deleted files count too.

With more blueprint stacks than ``trellis.yaml`` ``check.shard_above_stacks``, the check
runs as a matrix of ``check.shards`` jobs (``trellis check --shard K/N``; shard 1 also
checks for render drift and the shared files), each uploading its SARIF and JUnit, and
the job ``check`` downloads them, merges each format with ``trellis check --merge`` and
uploads one SARIF: code scanning sees exactly what one unsharded check reports.
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


_SHARD_CHECK = """\
if [ "${SHARD}" = "1" ]; then
  trellis render --check
fi
trellis check --no-render --shard "${SHARD}/${SHARDS}" \\
  --format sarif --output "trellis-shard-${SHARD}.sarif" \\
  --report "junit=trellis-shard-${SHARD}.junit.xml"
"""

_MERGE = """\
status=0
trellis check --merge shards/*.sarif --output trellis.sarif || status=$?
trellis check --merge shards/*.junit.xml --output trellis.junit.xml || status=$?
exit "${status}"
"""


def _upload_sarif() -> dict[str, Any]:
    return uses(
        actions.UPLOAD_SARIF,
        {"sarif_file": "trellis.sarif", "category": "trellis"},
        name="Upload findings to code scanning",
        condition="${{ !cancelled() }}",
    )


def _check_jobs(installation: Installation, shards: int) -> dict[str, dict[str, Any]]:
    """The check job; or, with ``shards`` > 1, the shard matrix and the merging ``check``."""
    if shards == 1:
        return {
            "check": {
                "name": "render drift and checks",
                "runs-on": RUNNER,
                "timeout-minutes": 30,
                "permissions": {"contents": "read", "security-events": "write"},
                "steps": [
                    checkout(),
                    *install_trellis(installation, ("checkov", "actionlint")),
                    {
                        "name": "Rendered output is up to date",
                        "run": script("trellis render --check"),
                    },
                    {
                        "name": "trellis check",
                        "run": script("trellis check --format sarif --output trellis.sarif"),
                    },
                    _upload_sarif(),
                ],
            }
        }
    shard_job = {
        "name": f"checks, shard ${{{{ matrix.shard }}}} of {shards}",
        "runs-on": RUNNER,
        "timeout-minutes": 30,
        "permissions": {"contents": "read"},
        "strategy": {"fail-fast": False, "matrix": {"shard": list(range(1, shards + 1))}},
        "steps": [
            checkout(),
            *install_trellis(installation, ("checkov", "actionlint")),
            {
                "name": "trellis check (this shard; shard 1 also checks render drift)",
                "env": {"SHARD": "${{ matrix.shard }}", "SHARDS": str(shards)},
                "run": script(_SHARD_CHECK.rstrip("\n")),
            },
            uses(
                actions.UPLOAD_ARTIFACT,
                {
                    "name": "trellis-check-shard-${{ matrix.shard }}",
                    "path": script(
                        "trellis-shard-${{ matrix.shard }}.sarif",
                        "trellis-shard-${{ matrix.shard }}.junit.xml",
                    ),
                    "if-no-files-found": "error",
                    "retention-days": 7,
                },
                name="Upload this shard's reports",
                condition="${{ !cancelled() }}",
            ),
        ],
    }
    merge_job = {
        "name": "render drift and checks",
        "needs": ["check-shards"],
        "if": "${{ !cancelled() }}",
        "runs-on": RUNNER,
        "timeout-minutes": 15,
        "permissions": {"contents": "read", "security-events": "write"},
        "steps": [
            checkout(),
            *install_trellis(installation, ()),
            uses(
                actions.DOWNLOAD_ARTIFACT,
                {"pattern": "trellis-check-shard-*", "path": "shards", "merge-multiple": True},
                name="Download the shards' reports",
            ),
            {
                "name": f"Merge the {shards} shards' reports (trellis check --merge)",
                "run": script(_MERGE.rstrip("\n")),
            },
            _upload_sarif(),
            uses(
                actions.UPLOAD_ARTIFACT,
                {
                    "name": "trellis-check-junit",
                    "path": "trellis.junit.xml",
                    "if-no-files-found": "error",
                    "retention-days": 30,
                },
                name="Upload the merged JUnit report",
                condition="${{ !cancelled() }}",
            ),
        ],
    }
    return {"check-shards": shard_job, "check": merge_job}


def build(
    environments: Sequence[WorkflowEnvironment],
    stacks: Sequence[WorkflowStack],
    installation: Installation,
) -> dict[str, Any]:
    """The pull-request workflow as a document (see :func:`generator.workflows.emit.dump`).

    Environments with ``plan_on_pull_request`` False are checked but never planned here.
    """
    rows = _stack_rows(environments, stacks)
    check_jobs = _check_jobs(installation, installation.sharding.shards_for(len(stacks)))
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
        "jobs": {**check_jobs, "stacks": stacks_job, "plan": plan_job},
    }
