"""The image function in HCL (parsed back with python-hcl2), bootstrap's ECR and the roles."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

import hcl2

from generator.images.bases import DIGEST_PATTERN
from tests.render.support import ROOT, render_repo

MODULES = ROOT / "generator" / "modules"


def _plain(value: Any) -> Any:
    """python-hcl2's output without its quotes around names and strings or block markers."""
    if isinstance(value, dict):
        return {
            _plain(k): _plain(v)
            for k, v in value.items()
            if k not in ("__is_block__", "__comments__")
        }
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _load(text: str) -> dict[str, Any]:
    parsed: dict[str, Any] = _plain(hcl2.loads(text))
    return parsed


def _hcl(tree: dict[PurePosixPath, bytes], *parts: str) -> dict[str, Any]:
    return _load(tree[PurePosixPath(*parts)].decode())


def _modules(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: body for block in document["module"] for name, body in block.items()}


def test_image_stack_functions_are_image_typed_by_digest_without_zip_or_runtime() -> None:
    """Both orders functions: package_type Image, image_uri = local.image_uri, no runtime/zip."""
    tree = render_repo().tree
    modules = _modules(_hcl(tree, "dev", "orders", "main.tf"))
    for purpose in ("retrieve", "process"):
        module = modules[purpose]
        assert module["package_type"] == "Image"
        assert module["image_uri"] == "${local.image_uri}"
        assert module["handler"] == f"runtime.ingest.{purpose}.handler"
        assert not {"runtime", "package_file", "package_base64sha256"} & set(module)
    assert b"bundles/" not in tree[PurePosixPath("dev", "orders", "main.tf")]


def test_image_tf_declares_the_validated_digest_and_the_bootstrap_repository() -> None:
    """image.tf: var.image_digest with the sha256 regex, image_uri = <repo url>@<digest>."""
    image = _hcl(render_repo().tree, "dev", "orders", "image.tf")
    variable = image["variable"][0]["image_digest"]
    condition = variable["validation"][0]["condition"]
    assert "^sha256:[0-9a-f]{64}$" in condition
    assert DIGEST_PATTERN.pattern == "^sha256:[0-9a-f]{64}$"
    local = image["locals"][0]
    assert local["image_repository_url"] == (
        "111111111111.dkr.ecr.ap-southeast-1.amazonaws.com/dev-orders"
    )
    assert local["image_uri"] == "${local.image_repository_url}@${var.image_digest}"


def test_zip_stacks_are_unchanged_and_keep_their_bundle() -> None:
    """events (zip) has no image.tf and still runs the zip with its runtime."""
    tree = render_repo().tree
    assert PurePosixPath("dev", "events", "image.tf") not in tree
    modules = _modules(_hcl(tree, "dev", "events", "main.tf"))
    assert all(
        "package_type" not in m and "runtime" in m for m in modules.values() if "handler" in m
    )


def test_lambda_module_nulls_handler_runtime_and_zip_for_images() -> None:
    """The module sets image_config.command from the handler and nulls the zip arguments."""
    main = (MODULES / "lambda_function" / "main.tf").read_text()
    for argument, value in (
        ("handler", "lookup({ Zip = var.handler }, var.package_type, null)"),
        ("runtime", "lookup({ Zip = var.runtime }, var.package_type, null)"),
        ("filename", "lookup({ Zip = var.package_file }, var.package_type, null)"),
        ("image_uri", "lookup({ Image = var.image_uri }, var.package_type, null)"),
    ):
        assert f"{argument:<30} = {value}" in main
    assert "command = [image_config.value]" in main


def test_bootstrap_lets_lambda_pull_for_this_environments_functions_only() -> None:
    """The repository policy: lambda.amazonaws.com, pull actions, SourceArn of the prefix."""
    ecr = _load((MODULES / "bootstrap" / "ecr.tf").read_text())
    documents = {n: b for block in ecr["data"] for t, d in block.items() for n, b in d.items()}
    statement = documents["lambda_pull"]["statement"][0]
    assert statement["actions"] == ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    assert statement["principals"][0]["identifiers"] == ["lambda.amazonaws.com"]
    condition = statement["condition"][0]
    assert condition["variable"] == "aws:SourceArn"
    assert condition["values"][0].endswith(":function:${local.prefix}*")
    resources = {n for block in ecr["resource"] for d in block.values() for n in d}
    assert {"image", "lambda_pull"} <= resources


def test_push_role_pushes_only_to_its_environments_repositories() -> None:
    """image-push: layer upload + PutImage + DescribeImages on exact repository ARNs."""
    policy = _load((MODULES / "bootstrap" / "policy_read.tf").read_text())
    documents = {n: b for block in policy["data"] for d in block.values() for n, b in d.items()}
    push = documents["image_push"]["dynamic"][0]["statement"]["content"][0]
    assert set(push["actions"]) == {
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:CompleteLayerUpload",
        "ecr:DescribeImages",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
    }
    assert "${local.prefix}${name}" in push["resources"]


def test_apply_role_reads_images_of_its_environment_and_cannot_rewrite_repo_policies() -> None:
    """Derived from deploy_actions.toml: BatchGetImage + GetDownloadUrlForLayer on dev-*."""
    tree = render_repo().tree
    ecr: set[str] = set()
    resources: set[str] = set()
    for path, data in tree.items():
        if path.parts[:3] != ("dev", "bootstrap", "deploy-roles"):
            continue
        for statement in json.loads(data)["Statement"]:
            actions = statement["Action"]
            actions = [actions] if isinstance(actions, str) else actions
            if any(a.startswith("ecr:") for a in actions):
                assert path.name.startswith("apply-"), path
                ecr |= set(actions)
                resources |= set(statement["Resource"])
    assert ecr == {"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}
    assert all(r.endswith(":repository/dev-*") for r in resources)
