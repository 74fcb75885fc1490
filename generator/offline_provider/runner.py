"""``validate_stack`` and ``plan_stack``: real Terraform over a root stack, offline.

Both work on a symlink mirror of the stack (see
:mod:`generator.offline_provider.mirror`), so ``.terraform``, the lock
file, the local state and the backend override never touch the rendered tree.

* :func:`validate_stack`: ``terraform init -backend=false`` then ``terraform validate``;
  returns findings with build-relative file and line.
* :func:`plan_stack`: a local backend override replaces the stack's (S3) backend, then
  ``init``, ``plan -out`` and ``show -json``; writes ``plan.tfplan`` and ``plan.json``
  to the output directory. ``plan.json`` is Terraform's JSON plan with the run's
  ``timestamp`` removed, ``relevant_attributes`` (a set Terraform prints in random order)
  sorted and keys sorted, so it is byte-identical run to run. ``plan.tfplan`` is
  Terraform's own binary format and is not byte-stable.

Pass a started :class:`~generator.offline_provider.session.OfflineSession` to reuse one
provider and one Terraform across many stacks; without one, each call starts and ends its
own session (about half a second).

What can go wrong: :class:`OfflinePlanError` (carrying findings) when ``init`` or
``plan`` fails for the configuration's sake; :class:`TerraformWorkerError` for internal
failures of the worker.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from generator.offline_provider.diagnostics import (
    parse_document,
    parse_lines,
    to_findings,
)
from generator.offline_provider.mirror import Mirror
from generator.offline_provider.session import OfflineSession, TerraformResult
from generator.offline_provider.workspace import (
    BACKEND_OVERRIDE,
    StackScan,
    backend_override,
    scan_stack,
)
from generator.policy.findings import Finding, Severity

PLAN_BINARY: Final = "plan.tfplan"
PLAN_JSON: Final = "plan.json"


class OfflinePlanError(Exception):
    """``terraform init`` or ``plan`` rejected the configuration; see ``findings``."""

    def __init__(self, stack: str, findings: list[Finding]) -> None:
        self.stack = stack
        self.findings = findings
        lines = [f"{f.file or stack}:{f.line or ''} {f.message}" for f in findings]
        super().__init__(f"offline plan of {stack} failed:\n" + "\n".join(lines))


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/trellis`` (``~/.cache/trellis``): where sessions keep their files."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "trellis"


def _locate(stack_dir: Path, build_dir: Path | None) -> tuple[str, str, Path]:
    """(stack path relative to the build dir, ``<env>/<name>`` key, resolved build dir)."""
    stack = stack_dir.resolve()
    base = (build_dir or stack.parent.parent).resolve()
    rel = stack.relative_to(base).as_posix() if stack.is_relative_to(base) else stack.name
    key = "/".join(stack.parts[-2:])
    return rel, key, base


def _locator(mirror: Mirror, base: Path) -> Callable[[str], str]:
    def locate(reported: str) -> str:
        real = mirror.real_path(reported)
        return real.relative_to(base).as_posix() if real.is_relative_to(base) else real.as_posix()

    return locate


@contextmanager
def _session_for(session: OfflineSession | None, scan: StackScan) -> Iterator[OfflineSession]:
    if session is not None:
        yield session
        return
    with OfflineSession([scan], default_cache_dir()) as own:
        yield own


def validate_stack(
    stack_dir: Path,
    *,
    session: OfflineSession | None = None,
    build_dir: Path | None = None,
    scan: StackScan | None = None,
) -> list[Finding]:
    """Run ``terraform validate`` on one root stack; findings are empty when it is valid.

    ``build_dir`` is what finding paths are relative to (default: two levels above the
    stack, i.e. ``build/`` for ``build/<env>/<name>``); ``scan`` is the stack's scan when
    the caller has it already.
    """
    stack_rel, key, base = _locate(stack_dir, build_dir)
    scan = scan or scan_stack(stack_dir)
    with (
        _session_for(session, scan) as active,
        active.mirror(stack_dir, scan) as mirror,
    ):
        locate = _locator(mirror, base)
        # A reattached provider needs `init`; through dev_overrides, `init` would still ask
        # the registry for a version to lock, so only the modules are fetched (`get`).
        prepare = (
            ["init", "-backend=false", "-input=false", "-json"]
            if active.attached
            else ["get", "-no-color"]
        )
        init = active.run(prepare, mirror.stack)
        if init.retcode != 0:
            return _findings(init, stack_rel, key, "TRL_TF_INIT", locate, lines=True)
        result = active.run(["validate", "-json", "-no-color"], mirror.stack)
        return to_findings(
            parse_document(result.stdout),
            stack_rel=stack_rel,
            stack_key=key,
            check_id="TRL_TF_VALIDATE",
            locate=locate,
            stderr=result.stderr if result.retcode else "",
        )


def plan_stack(
    stack_dir: Path,
    out_dir: Path,
    *,
    session: OfflineSession | None = None,
    build_dir: Path | None = None,
    variables: Mapping[str, str] | None = None,
    scan: StackScan | None = None,
) -> Path:
    """Plan one root stack offline; returns the path of the written ``plan.json``.

    ``variables`` are root variables passed as ``-var name=value`` (an image stack's
    ``image_digest``); ``scan`` is the stack's scan when the caller has it already. Writes
    ``plan.tfplan`` (Terraform's binary plan) and ``plan.json`` into ``out_dir``.
    Raises :class:`OfflinePlanError` with findings when the configuration does not plan.
    """
    stack_rel, key, base = _locate(stack_dir, build_dir)
    scan = scan or scan_stack(stack_dir)
    with (
        _session_for(session, scan) as active,
        active.mirror(stack_dir, scan) as mirror,
    ):
        cwd = mirror.stack
        locate = _locator(mirror, base)
        (cwd / BACKEND_OVERRIDE).write_text(backend_override(Path("terraform.tfstate")))
        init = active.run(["init", "-input=false", "-json", "-reconfigure"], cwd)
        if init.retcode != 0:
            raise OfflinePlanError(
                key, _findings(init, stack_rel, key, "TRL_TF_INIT", locate, lines=True)
            )
        assignments = [f"-var={name}={value}" for name, value in sorted((variables or {}).items())]
        plan = active.run(
            ["plan", "-input=false", "-lock=false", "-json", f"-out={PLAN_BINARY}", *assignments],
            cwd,
        )
        if plan.retcode != 0:
            raise OfflinePlanError(
                key, _findings(plan, stack_rel, key, "TRL_TF_PLAN", locate, lines=True)
            )
        shown = active.run(["show", "-json", PLAN_BINARY], cwd)
        if shown.retcode != 0:
            raise OfflinePlanError(
                key, _findings(shown, stack_rel, key, "TRL_TF_PLAN", locate, lines=False)
            )
        document: dict[str, Any] = json.loads(shown.stdout)
        document.pop("timestamp", None)
        # Terraform lists relevant_attributes (a set) in map-iteration order: sort it.
        document["relevant_attributes"] = sorted(
            document.get("relevant_attributes", []), key=lambda a: json.dumps(a, sort_keys=True)
        )
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cwd / PLAN_BINARY, out_dir / PLAN_BINARY)
        target = out_dir / PLAN_JSON
        target.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        return target


def _findings(
    result: TerraformResult,
    stack_rel: str,
    key: str,
    check_id: str,
    locate: Callable[[str], str],
    *,
    lines: bool,
) -> list[Finding]:
    diagnostics = parse_lines(result.stdout) if lines else parse_document(result.stdout)
    findings = to_findings(
        diagnostics,
        stack_rel=stack_rel,
        stack_key=key,
        check_id=check_id,
        locate=locate,
        stderr=result.stderr,
    )
    if not any(f.severity is Severity.ERROR for f in findings):
        detail = " ".join((result.stderr or result.stdout).split())[:2000]
        findings.append(
            Finding(
                check_id=check_id,
                severity=Severity.ERROR,
                message=f"Terraform exited {result.retcode}: {detail}",
                validator="terraform_validate",
                stack=key,
            )
        )
    return findings
