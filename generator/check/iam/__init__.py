"""IAM lint: every generated policy against the catalogue, the reviewed list and the rules.

``run(context)`` is the validator ``trellis check`` calls; ``trellis iam lint`` calls it too.
It reads ``build/<env>/<blueprint>/iam/*.json`` for each stack in the context, trellis'
reviewed wildcard list, and the organisation's rules from ``<repo>/policies/iam/``.

Each review file's findings are cached under ``<cache_dir>/iam-lint/`` by its content,
its place (build path and stack), the lint's code, the IAM catalogue's version, the
reviewed wildcard list and the organisation's rules: a re-check lints only the files that
changed, and a changed rule or list re-lints them all.

What can go wrong: a malformed organisation rules file or wildcard list raises
:class:`~generator.errors.UserError` (exit 2); a malformed review file is a
``TRL_IAM_MALFORMED`` finding (it is generated output, so re-rendering fixes it).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from collections.abc import Sequence
from pathlib import Path

from generator.check.context import CheckContext
from generator.check.findings_cache import FindingsCache
from generator.check.iam.lint import (
    PolicyLocation,
    lint_allowlist,
    lint_policy,
    lint_review_file,
    lint_trust,
)
from generator.check.iam.rules import OrgRule, load_org_rules
from generator.check.sources import code_version
from generator.iam.wildcards import WildcardAllowList, load_wildcard_allowlist
from generator.policy.findings import Finding

__all__ = [
    "OrgRule",
    "PolicyLocation",
    "lint_allowlist",
    "lint_policy",
    "lint_review_file",
    "lint_trust",
    "load_org_rules",
    "run",
]

_CACHE = "iam-lint"
_CACHE_VERSION = "1"


def run(context: CheckContext) -> list[Finding]:
    """Lint every review file of every stack in ``context``; findings sorted."""
    allowlist = load_wildcard_allowlist()
    rules = load_org_rules(context.repo_root / "policies" / "iam", root=context.repo_root)
    findings = lint_allowlist(allowlist) if context.repository_wide else []
    cache = FindingsCache(context.cache_dir, _CACHE)
    inputs = _inputs_digest(allowlist, rules)
    for stack in sorted(context.stacks):
        iam_dir = stack.path / "iam"
        if not iam_dir.is_dir():
            continue
        for path in sorted(iam_dir.glob("*.json")):
            key = _file_key(inputs, path, stack.key, context)
            found = cache.load(key)
            if found is None:
                found = lint_review_file(
                    path,
                    build_dir=context.build_dir,
                    stack=stack.key,
                    allowlist=allowlist,
                    rules=rules,
                )
                cache.store(key, found)
            findings.extend(found)
    return sorted(findings)


def _inputs_digest(allowlist: WildcardAllowList, rules: Sequence[OrgRule]) -> str:
    """Digest of what every file's lint depends on besides the file itself."""
    digest = hashlib.sha256(_CACHE_VERSION.encode())
    digest.update(importlib.metadata.version("policy_sentry").encode())
    packages = (Path(__file__).parent, Path(__file__).parents[2] / "iam")
    sources = (str(f) for p in packages for f in sorted(p.rglob("*.py")))
    digest.update(code_version(*sources).encode())
    reviewed = {"source": allowlist.source, "reasons": dict(sorted(allowlist.reasons.items()))}
    digest.update(json.dumps(reviewed, sort_keys=True).encode())
    for rule in rules:
        digest.update(rule.model_dump_json().encode())
    return digest.hexdigest()


def _file_key(inputs: str, path: Path, stack: str, context: CheckContext) -> str:
    try:
        where = path.relative_to(context.build_dir).as_posix()  # as the findings name it
    except ValueError:
        where = path.as_posix()
    text = context.sources.digest(path)
    return hashlib.sha256(f"{inputs}\0{where}\0{stack}\0{text}".encode()).hexdigest()
