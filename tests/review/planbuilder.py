"""Build Terraform plan JSON the way `terraform show -json` writes it (format_version 1.2).

The fixtures under ``tests/review/plans/`` are described in :mod:`tests.review.fixtures`
(``python -m tests.review.fixtures`` regenerates them). A plan is described once, as
resource changes; this module derives the rest of the document from them the way
Terraform does, so the sections agree with each other:

- ``before_sensitive`` / ``after_sensitive`` / ``after_unknown`` mirror their value:
  objects keep only the entries that are not ``false``, lists keep one entry per element,
  ``true`` marks a sensitive or unknown node, and a missing side is ``false``.
- unknown attributes are absent from ``after`` (``null`` inside a list);
- ``planned_values`` holds every resource that exists after apply, ``prior_state`` every
  resource that exists before, ``configuration`` the configured resources per module call;
- changes are sorted by address, top-level keys in Terraform's order.

Reference: developer.hashicorp.com/terraform/internals/json-format.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AWS = "registry.terraform.io/hashicorp/aws"
TERRAFORM_VERSION = "1.9.8"
FORMAT_VERSION = "1.2"
ACCOUNT = "111122223333"
REGION = "ap-southeast-1"
HERE = Path(__file__).parent / "plans"

PathT = tuple[str | int, ...]
COMPUTED = frozenset(
    {
        "id",
        "arn",
        "tags_all",
        "unique_id",
        "create_date",
        "url",
        "version",
        "last_modified",
        "qualified_arn",
        "invoke_arn",
        "qualified_invoke_arn",
        "code_sha256",
        "source_code_size",
        "stream_arn",
        "stream_label",
    }
)


def mirror(value: Any) -> Any:
    """Terraform's bool mirror of a value with nothing marked (``false`` leaves dropped)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            marked = mirror(item)
            if marked is not False:
                out[key] = marked
        return out
    if isinstance(value, list):
        return [mirror(item) for item in value]
    return False


def mark(tree: Any, path: PathT) -> Any:
    """Set ``true`` at ``path`` inside a mirror tree (creating objects on the way)."""
    if not path:
        return True
    key, rest = path[0], path[1:]
    if isinstance(key, int):
        items = list(tree) if isinstance(tree, list) else []
        while len(items) <= key:
            items.append({})
        items[key] = mark(items[key], rest)
        return items
    node = dict(tree) if isinstance(tree, dict) else {}
    node[key] = mark(node.get(key, {}), rest)
    return node


@dataclass
class Res:
    """One resource instance change, described the way a test author thinks of it."""

    type: str
    name: str
    actions: list[str]
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    module: str = ""
    index: int | str | None = None
    mode: str = "managed"
    sensitive: list[PathT] = field(default_factory=list)
    unknown: list[PathT] = field(default_factory=list)
    replace_paths: list[list[str | int]] = field(default_factory=list)
    reason: str | None = None
    expressions: dict[str, Any] | None = None
    configured: bool = True

    @property
    def local_address(self) -> str:
        prefix = "data." if self.mode == "data" else ""
        key = (
            ""
            if self.index is None
            else (f"[{self.index}]" if isinstance(self.index, int) else f'["{self.index}"]')
        )
        return f"{prefix}{self.type}.{self.name}{key}"

    @property
    def address(self) -> str:
        return f"{self.module}.{self.local_address}" if self.module else self.local_address

    def change(self) -> dict[str, Any]:
        """The ``resource_changes`` entry."""
        before_sensitive: Any = False
        after_sensitive: Any = False
        after_unknown: Any = {}
        if self.before is not None:
            before_sensitive = mirror(self.before)
            for path in self.sensitive:
                before_sensitive = mark(before_sensitive, path)
        if self.after is not None:
            after_sensitive = mirror(self.after)
            after_unknown = mirror(self.after)
            for path in self.sensitive:
                after_sensitive = mark(after_sensitive, path)
            for path in self.unknown:
                after_unknown = mark(after_unknown, path)
        entry: dict[str, Any] = {"address": self.address}
        if self.module:
            entry["module_address"] = self.module
        entry |= {"mode": self.mode, "type": self.type, "name": self.name}
        if self.index is not None:
            entry["index"] = self.index
        entry["provider_name"] = AWS
        change: dict[str, Any] = {
            "actions": self.actions,
            "before": self.before,
            "after": self.after,
            "after_unknown": after_unknown,
            "before_sensitive": before_sensitive,
            "after_sensitive": after_sensitive,
        }
        if self.replace_paths:
            change["replace_paths"] = self.replace_paths
        entry["change"] = change
        if self.reason:
            entry["action_reason"] = self.reason
        return entry

    def state_resource(self, values: dict[str, Any]) -> dict[str, Any]:
        """A resource as ``planned_values`` and ``prior_state`` list it."""
        sensitive = mirror(values)
        for path in self.sensitive:
            sensitive = mark(sensitive, path)
        entry: dict[str, Any] = {
            "address": self.address,
            "mode": self.mode,
            "type": self.type,
            "name": self.name,
        }
        if self.index is not None:
            entry["index"] = self.index
        entry |= {
            "provider_name": AWS,
            "schema_version": 0,
            "values": values,
            "sensitive_values": sensitive,
        }
        return entry

    def config(self) -> dict[str, Any]:
        """The resource in ``configuration``: constant values, or the given expressions."""
        source = self.after if self.after is not None else self.before or {}
        sensitive_keys = {p[0] for p in self.sensitive}
        expressions = self.expressions
        if expressions is None:
            expressions = {
                key: {"constant_value": value}
                for key, value in source.items()
                if key not in COMPUTED
                and key not in sensitive_keys
                and isinstance(value, str | int | bool)
                and not isinstance(value, dict)
            }
        entry: dict[str, Any] = {
            "address": self.local_address.split("[", 1)[0],
            "mode": self.mode,
            "type": self.type,
            "name": self.name,
            "provider_config_key": "aws",
            "expressions": expressions,
            "schema_version": 0,
        }
        if self.index is not None:
            entry["count_expression" if isinstance(self.index, int) else "for_each_expression"] = {
                "constant_value": 1
            }
        return entry


def _module_tree(resources: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """``planned_values``-style ``root_module`` from (module address, resource) pairs."""
    root: dict[str, Any] = {}
    modules: dict[str, dict[str, Any]] = {"": root}
    for module, resource in resources:
        parts = module.split(".") if module else []
        path = ""
        node = root
        for i in range(0, len(parts), 2):
            path = ".".join(parts[: i + 2])
            if path not in modules:
                child = {"resources": [], "address": path}
                node.setdefault("child_modules", []).append(child)
                modules[path] = child
            node = modules[path]
        node.setdefault("resources", []).append(resource)
    for node in modules.values():
        if "resources" in node:
            node["resources"].sort(key=lambda r: r["address"])
        if "child_modules" in node:
            node["child_modules"].sort(key=lambda m: m["address"])
    return root


def _configuration(resources: Iterable[Res]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    seen: set[tuple[str, str]] = set()
    for res in resources:
        if not res.configured:
            continue
        node = root
        parts = res.module.split(".") if res.module else []
        for i in range(1, len(parts), 2):
            call = node.setdefault("module_calls", {}).setdefault(
                parts[i], {"source": f"../../modules/{parts[i]}", "module": {}}
            )
            node = call["module"]
        config = res.config()
        if (res.module, config["address"]) in seen:
            continue
        seen.add((res.module, config["address"]))
        node.setdefault("resources", []).append(config)
    return {
        "provider_config": {
            "aws": {
                "name": "aws",
                "full_name": AWS,
                "expressions": {"region": {"constant_value": REGION}},
            }
        },
        "root_module": root,
    }


def plan_document(resources: list[Res], variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole plan document for ``resources`` (sorted as Terraform sorts them)."""
    resources = sorted(resources, key=lambda r: r.address)
    planned = [(r.module, r.state_resource(r.after)) for r in resources if r.after is not None]
    prior = [
        (r.module, r.state_resource(r.before))
        for r in resources
        if r.before is not None and r.mode == "managed"
    ]
    return {
        "format_version": FORMAT_VERSION,
        "terraform_version": TERRAFORM_VERSION,
        "variables": {k: {"value": v} for k, v in (variables or {}).items()},
        "planned_values": {"root_module": _module_tree(planned)},
        "resource_changes": [r.change() for r in resources],
        "prior_state": {
            "format_version": "1.0",
            "terraform_version": TERRAFORM_VERSION,
            "values": {"root_module": _module_tree(prior)},
        },
        "configuration": _configuration(resources),
        "relevant_attributes": [],
        "timestamp": "2026-11-25T09:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def policy_json(statements: list[dict[str, Any]]) -> str:
    """A policy as ``jsonencode`` writes it: compact, keys sorted."""
    return json.dumps(
        {"Statement": statements, "Version": "2012-10-17"}, separators=(",", ":"), sort_keys=True
    )


def policy_document_json(statements: list[dict[str, Any]]) -> str:
    """A policy as ``aws_iam_policy_document`` renders it: indented, Version first."""
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)


def arn(service: str, resource: str) -> str:
    """An ARN in the fixture account and region."""
    return f"arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}"


def write_plan(
    path: Path,
    resources: list[Res],
    variables: dict[str, Any] | None = None,
    *,
    indent: int | None = None,
) -> Path:
    """Write one plan (compact by default, as Terraform does) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    separators = (",", ":") if indent is None else None
    text = json.dumps(plan_document(resources, variables), indent=indent, separators=separators)
    path.write_text(text + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- large plans


def _large_resources(index: int) -> Iterator[Res]:
    """One "service" of a large estate: a table, a queue, a function and its IAM."""
    module = f"module.svc_{index:05d}"
    table_arn = arn("dynamodb", f"table/svc-{index:05d}")
    queue = {
        "name": f"svc-{index:05d}",
        "visibility_timeout_seconds": 180,
        "message_retention_seconds": 1209600,
        "sqs_managed_sse_enabled": True,
        "kms_master_key_id": None,
        "delay_seconds": 0,
        "fifo_queue": False,
        "tags": {"blueprint": f"svc-{index:05d}", "env": "dev"},
        "tags_all": {"blueprint": f"svc-{index:05d}", "env": "dev"},
    }
    table = {
        "name": f"svc-{index:05d}",
        "billing_mode": "PAY_PER_REQUEST",
        "hash_key": "pk",
        "range_key": None,
        "attribute": [{"name": "pk", "type": "S"}],
        "point_in_time_recovery": [{"enabled": True, "recovery_period_in_days": 35}],
        "server_side_encryption": [{"enabled": True, "kms_key_arn": arn("kms", "key/abc")}],
        "deletion_protection_enabled": True,
        "ttl": [{"attribute_name": "expires_at", "enabled": True}],
        "tags": {"blueprint": f"svc-{index:05d}"},
        "arn": table_arn,
        "id": f"svc-{index:05d}",
    }
    statements = [
        {
            "Action": ["dynamodb:BatchGetItem", "dynamodb:PutItem"],
            "Effect": "Allow",
            "Resource": table_arn,
        },
        {
            "Action": ["sqs:DeleteMessage", "sqs:ReceiveMessage"],
            "Effect": "Allow",
            "Resource": arn("sqs", f"svc-{index:05d}"),
        },
    ]
    function = {
        "function_name": f"svc-{index:05d}-worker",
        "handler": "app.handler",
        "runtime": "python3.12",
        "memory_size": 256,
        "timeout": 30,
        "architectures": ["arm64"],
        "role": arn("iam", f"role/svc-{index:05d}"),
        "environment": [
            {
                "variables": {
                    "LOG_LEVEL": "INFO",
                    "TABLE": f"svc-{index:05d}",
                    "API_TOKEN": f"large-secret-{index:05d}",
                }
            }
        ],
        "source_code_hash": f"{index:064x}",
        "tracing_config": [{"mode": "Active"}],
        "tags": {"blueprint": f"svc-{index:05d}"},
    }
    kind = index % 10
    if kind < 5:  # unchanged
        yield Res("aws_dynamodb_table", "main", ["no-op"], table, table, module=module)
        yield Res("aws_sqs_queue", "main", ["no-op"], queue, queue, module=module)
        yield Res(
            "aws_lambda_function",
            "worker",
            ["no-op"],
            function,
            function,
            module=module,
            sensitive=[("environment", 0, "variables", "API_TOKEN")],
        )
        policy = {"name": "worker", "role": f"svc-{index:05d}", "policy": policy_json(statements)}
        yield Res("aws_iam_role_policy", "worker", ["no-op"], policy, policy, module=module)
    elif kind < 8:  # new service
        yield Res(
            "aws_dynamodb_table",
            "main",
            ["create"],
            None,
            {k: v for k, v in table.items() if k not in ("arn", "id")},
            module=module,
            unknown=[("arn",), ("id",), ("stream_arn",)],
        )
        yield Res(
            "aws_sqs_queue",
            "main",
            ["create"],
            None,
            {k: v for k, v in queue.items() if k != "tags_all"},
            module=module,
            unknown=[("arn",), ("id",), ("url",), ("tags_all",)],
        )
        yield Res(
            "aws_lambda_function",
            "worker",
            ["create"],
            None,
            function,
            module=module,
            sensitive=[("environment", 0, "variables", "API_TOKEN")],
            unknown=[("arn",), ("last_modified",), ("version",), ("qualified_arn",)],
        )
        yield Res(
            "aws_iam_role_policy",
            "worker",
            ["create"],
            None,
            {"name": "worker", "role": f"svc-{index:05d}", "policy": policy_json(statements)},
            module=module,
            unknown=[("id",)],
        )
    else:  # changed service: memory, token rotation, a broadened policy
        new_function = dict(
            function,
            memory_size=512,
            environment=[
                {
                    "variables": dict(
                        function["environment"][0]["variables"], API_TOKEN=f"rotated-{index:05d}"
                    )
                }
            ],
        )
        yield Res("aws_dynamodb_table", "main", ["no-op"], table, table, module=module)
        yield Res(
            "aws_lambda_function",
            "worker",
            ["update"],
            function,
            new_function,
            module=module,
            sensitive=[("environment", 0, "variables", "API_TOKEN")],
            unknown=[("last_modified",)],
        )
        wider = [dict(statements[0], Resource="*"), statements[1]]
        yield Res(
            "aws_iam_role_policy",
            "worker",
            ["update"],
            {"name": "worker", "role": f"svc-{index:05d}", "policy": policy_json(statements)},
            {"name": "worker", "role": f"svc-{index:05d}", "policy": policy_json(wider)},
            module=module,
        )
        yield Res(
            "aws_sqs_queue",
            "main",
            ["delete", "create"],
            queue,
            dict(queue, name=f"svc-{index:05d}-v2"),
            module=module,
            replace_paths=[["name"]],
            reason="replace_because_cannot_update",
            unknown=[("arn",), ("id",), ("url",)],
        )


def write_large_plan(path: Path, target_bytes: int) -> tuple[int, int]:
    """Write a plan of about ``target_bytes`` without holding it in memory.

    Returns (bytes written, number of resource changes). The layout is Terraform's: every
    section present, ``resource_changes`` between ``planned_values`` and ``prior_state``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # measure one service to know how many make the target size
    sample = [r for i in range(10) for r in _large_resources(i)]
    per_service = len(json.dumps(plan_document(sample), separators=(",", ":"))) / 10
    services = max(1, int(target_bytes // per_service))
    dump = json.JSONEncoder(separators=(",", ":")).encode
    changes = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            f'{{"format_version":"{FORMAT_VERSION}",'
            f'"terraform_version":"{TERRAFORM_VERSION}","variables":{{}},'
        )

        # planned_values: one child module per service
        def modules(side: str) -> Iterator[str]:
            for i in range(services):
                resources = [r for r in _large_resources(i) if getattr(r, side) is not None]
                yield dump(
                    {
                        "address": f"module.svc_{i:05d}",
                        "resources": [r.state_resource(getattr(r, side)) for r in resources],
                    }
                )

        out.write('"planned_values":{"root_module":{"child_modules":[')
        first = True
        for item in modules("after"):
            out.write(item if first else "," + item)
            first = False
        out.write(']}},"resource_changes":[')
        first = True
        for i in range(services):
            for res in _large_resources(i):
                out.write(dump(res.change()) if first else "," + dump(res.change()))
                first = False
                changes += 1
        out.write(
            '],"prior_state":{"format_version":"1.0","terraform_version":"'
            f'{TERRAFORM_VERSION}","values":{{"root_module":{{"child_modules":['
        )
        first = True
        for item in modules("before"):
            out.write(item if first else "," + item)
            first = False
        out.write(']}}},"configuration":{"root_module":{"module_calls":{')
        first = True
        for i in range(services):
            config = _configuration(list(_large_resources(i)))["root_module"]["module_calls"]
            item = dump(config)[1:-1]
            out.write(item if first else "," + item)
            first = False
        out.write(
            '}}},"relevant_attributes":[],"timestamp":"2026-11-25T09:00:00Z",'
            '"applyable":true,"complete":true,"errored":false}\n'
        )
    return path.stat().st_size, changes
