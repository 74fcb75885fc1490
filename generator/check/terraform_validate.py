"""Validator: real ``terraform validate`` on every root stack, offline.

The embedded Terraform validates each stack against the exact AWS provider schema served
by trellis's offline provider, so it catches what Terraform catches: unknown arguments,
blocks and resource types, missing required arguments, undeclared variables and
references, module inputs and outputs, type mismatches and block counts, plus settings
of computed-only attributes. Findings carry the file and line Terraform reports,
relative to the build directory.

Results are cached per stack in ``context.cache_dir/terraform-validate/`` under a key
made of the stack's and its modules' ``.tf`` files, the provider schema hash and the
offline provider's semantics version; a run where every stack hits the cache starts no
provider and no Terraform at all. A corrupt entry is ignored and the stack validated again.

What can go wrong: the provider schema cannot be found (a :class:`UserError` from the
schema loader); the Terraform worker fails (an internal error with its stderr).
"""

from __future__ import annotations

import hashlib
from typing import Final

from generator.check.context import CheckContext, StackRef
from generator.check.findings_cache import FindingsCache
from generator.offline_provider import SEMANTICS_VERSION
from generator.offline_provider.runner import validate_stack
from generator.offline_provider.session import OfflineSession, load_schema
from generator.offline_provider.workspace import StackScan, StackScanner
from generator.policy.findings import Finding

NAME: Final = "terraform_validate"
RUNS_EXTERNAL_PROCESS = True


def _cache_key(stack: StackRef, scan: StackScan, schema_hash: str) -> str:
    digest = hashlib.sha256()
    for part in (SEMANTICS_VERSION, schema_hash, stack.key, scan.content_hash(stack.path)):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:40]


def run(context: CheckContext) -> list[Finding]:
    """Validate every stack of ``context``; cached stacks are not validated again."""
    if not context.stacks:
        return []
    schema = load_schema()
    scanner = StackScanner()
    scans = {stack: scanner.scan(stack.path) for stack in context.stacks}
    keys = {stack: _cache_key(stack, scans[stack], schema[1]) for stack in context.stacks}
    cache = FindingsCache(context.cache_dir, "terraform-validate")
    findings: list[Finding] = []
    pending: list[StackRef] = []
    for stack in context.stacks:
        cached = cache.load(keys[stack])
        if cached is None:
            pending.append(stack)
        else:
            findings += cached
    if pending:
        with OfflineSession([scans[s] for s in pending], context.cache_dir, schema) as session:
            for stack in pending:
                result = validate_stack(
                    stack.path, session=session, build_dir=context.build_dir, scan=scans[stack]
                )
                result = [_with_stack(f, stack.key) for f in result]
                cache.store(keys[stack], result)
                findings += result
    return sorted(findings, key=lambda f: (f.stack or "", f.file or "", f.line or 0, f.message))


def _with_stack(finding: Finding, key: str) -> Finding:
    if finding.stack == key:
        return finding
    record = finding.to_record()
    record.update(stack=key, severity=finding.severity)
    return Finding(**record)  # type: ignore[arg-type]  # record holds Finding's own fields
