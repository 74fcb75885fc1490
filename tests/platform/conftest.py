"""Fixtures for the platform tests: an example build tree and the rendered workflows."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.workflows import render_workflows
from tests.platform.samples import ENVIRONMENTS, EXAMPLES, MODULE_NAMES, MODULES, STACKS


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build/ tree laid out like `trellis render` output: modules plus example stacks."""
    build = tmp_path_factory.mktemp("platform") / "build"
    for name in MODULE_NAMES:
        shutil.copytree(MODULES / name, build / "modules" / name)
    for stack in sorted(EXAMPLES.glob("*/*")):
        shutil.copytree(stack, build / stack.relative_to(EXAMPLES))
    return build


@pytest.fixture(scope="session")
def example_stacks(example_build: Path) -> list[Path]:
    """The example root stacks inside the build tree (dev/portal, prd/bootstrap, ...)."""
    return sorted(p.parent for p in example_build.glob("*/*/main.tf") if p.parts[-3] != "modules")


@pytest.fixture(scope="session")
def rendered_workflows() -> dict[str, bytes]:
    """The workflows rendered from the sample environments and stacks."""
    return render_workflows(ENVIRONMENTS, STACKS)


@pytest.fixture(scope="session")
def workflow_build(
    tmp_path_factory: pytest.TempPathFactory, rendered_workflows: dict[str, bytes]
) -> Path:
    """A build directory holding only the rendered workflows."""
    build = tmp_path_factory.mktemp("workflows") / "build"
    for path, content in rendered_workflows.items():
        target = build / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return build


@pytest.fixture(scope="session")
def empty_cli_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point the embedded Terraform at an empty CLI config file (no credentials, no mirrors)."""
    config = tmp_path_factory.mktemp("tfcli") / "empty.tfrc"
    config.write_text("", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TF_CLI_CONFIG_FILE", str(config))
        yield
