"""Sample inputs shared by the platform tests and the snapshot regenerator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import hcl2

from generator.workflows import WorkflowEnvironment, WorkflowStack

HCL_OPTIONS = hcl2.SerializationOptions(with_comments=False, strip_string_quotes=True)

ROOT = Path(__file__).resolve().parents[2]
MODULES = ROOT / "generator" / "modules"
EXAMPLES = Path(__file__).resolve().parent / "examples"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
MODULE_NAMES = ("bootstrap", "static_site")

ENVIRONMENTS = (
    WorkflowEnvironment("dev", "111111111111", "ap-southeast-1", "none", "acme/data-platform"),
    WorkflowEnvironment("stg", "222222222222", "ap-southeast-1", "required", "acme/data-platform"),
    WorkflowEnvironment("prd", "333333333333", "ap-southeast-1", "required", "acme/data-platform"),
)

STACKS = tuple(
    WorkflowStack(env.name, blueprint, package)  # type: ignore[arg-type]
    for env in ENVIRONMENTS
    for blueprint, package in (("orders", "image"), ("citizen-login", "zip"), ("portal", "zip"))
)


def parse_module(name: str) -> dict[str, dict[str, Any]]:
    """Every .tf file of a shipped module parsed with python-hcl2, by file name."""
    parsed = {}
    for path in sorted((MODULES / name).glob("*.tf")):
        with path.open(encoding="utf-8") as handle:
            parsed[path.name] = hcl2.load(handle, serialization_options=HCL_OPTIONS)
    return parsed


def module_interface(name: str) -> str:
    """The module's variables and outputs as stable JSON: the contract root stacks rely on."""
    variables: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    for document in parse_module(name).values():
        for block in document.get("variable", []):
            for var_name, body in block.items():
                variables[var_name] = {
                    "type": body.get("type"),
                    "default": body.get("default", "<required>"),
                    "description": body.get("description"),
                }
        for block in document.get("output", []):
            for out_name, body in block.items():
                outputs[out_name] = {"description": body.get("description")}
    return json.dumps({"variables": variables, "outputs": outputs}, indent=2, sort_keys=True) + "\n"
