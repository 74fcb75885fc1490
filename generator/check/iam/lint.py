"""Lint one policy document, one trust policy, or one review file.

:func:`lint_policy` is the library function a user can call on any identity policy
document (a dict as IAM's JSON). :func:`lint_review_file` reads
``build/<env>/<blueprint>/iam/<function>.json``: either the role envelope trellis writes
(``PolicyDocument``, ``AssumeRolePolicyDocument``, ...) or a bare policy document.

Findings name the stack (``<env>/<blueprint>``), the function, the statement (its Sid, or
``#n`` when it has none) and the action, and point at the line of the statement's Sid.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from generator.check.iam.catalogue import bundled_catalogue
from generator.check.iam.checks import IamCheck
from generator.check.iam.checks.base import LintEnv, Violation
from generator.check.iam.rules import OrgRule, OrgRuleCheck
from generator.iam.model import PolicyError, Principal, Statement, parse_document
from generator.iam.wildcards import WildcardAllowList
from generator.policy.findings import Finding, Severity

VALIDATOR = "iam"
LAMBDA_SERVICE = "lambda.amazonaws.com"


class _Check(Protocol):
    @property
    def check_id(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def fix(self) -> str: ...
    @property
    def severity(self) -> Severity: ...

    def scan(self, statement: Statement, env: LintEnv) -> Iterable[Violation]: ...


@dataclass(frozen=True)
class PolicyLocation:
    """Where a document came from, for findings: stack, function, file and its text."""

    function: str
    stack: str | None = None
    file: str | None = None
    text: str = field(default="", repr=False)

    def line_of(self, sid: str) -> int | None:
        """1-based line where the statement with ``"Sid": "<sid>"`` opens, when known.

        trellis writes keys sorted, so ``Sid`` is a statement's last key: the line reported
        is that of the statement's opening brace, found by walking back from the Sid.
        """
        pattern = re.compile(r'"Sid":\s*' + re.escape(json.dumps(sid)))
        lines = self.text.splitlines()
        for index, line in enumerate(lines):
            if not pattern.search(line):
                continue
            indent = len(line) - len(line.lstrip())
            for back in range(index - 1, -1, -1):
                opening = lines[back]
                if opening.strip() == "{" and len(opening) - len(opening.lstrip()) < indent:
                    return back + 1
                if opening.strip().startswith('"Sid"'):
                    break
            return index + 1
        return None


def all_checks(rules: Sequence[OrgRule] = ()) -> list[_Check]:
    """The built-in checks in id order, then the organisation's rules in file order."""
    built_in: list[_Check] = [cls() for cls in IamCheck.registry]
    built_in.sort(key=lambda check: check.check_id)
    return built_in + [OrgRuleCheck(rule) for rule in rules]


def _finding(
    check: _Check, statement: str, violation: Violation, where: PolicyLocation, line: int | None
) -> Finding:
    subject = f"{where.function}"
    if where.stack:
        subject += f" [{where.stack}]"
    subject += f" statement {statement}"
    if violation.action:
        subject += f", action {violation.action}"
    return Finding(
        check_id=check.check_id,
        severity=check.severity,
        message=f"{subject}: {violation.message}",
        validator=VALIDATOR,
        file=where.file,
        line=line,
        stack=where.stack,
        fix=check.fix,
    )


def _malformed(where: PolicyLocation, message: str) -> Finding:
    return Finding(
        check_id="TRL_IAM_MALFORMED",
        severity=Severity.ERROR,
        message=f"{where.function}: {message}",
        validator=VALIDATOR,
        file=where.file,
        stack=where.stack,
        fix="re-run `trellis render`; the file must be the JSON trellis writes",
    )


def lint_policy(
    document: Mapping[str, Any],
    where: PolicyLocation,
    *,
    allowlist: WildcardAllowList,
    rules: Sequence[OrgRule] = (),
    placeholders: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Every finding for one identity policy document (``{"Version", "Statement"}``).

    ``placeholders`` fill ``${account_id}``-style names in organisation rules. A document
    without ``Version: 2012-10-17`` (policy variables and conditions need it) or without a
    list of statement objects yields one ``TRL_IAM_MALFORMED`` finding.
    """
    if document.get("Version") != "2012-10-17":
        return [_malformed(where, f"Version is {document.get('Version')!r}, not '2012-10-17'")]
    if not isinstance(document.get("Statement"), list | dict):
        return [_malformed(where, "the policy has no list of statements")]
    try:
        statements = parse_document(document).statements
    except PolicyError as err:
        return [_malformed(where, str(err))]
    env = LintEnv(bundled_catalogue(), allowlist, dict(placeholders or {}))
    checks = all_checks(rules)
    findings: list[Finding] = []
    for index, statement in enumerate(statements):
        name = statement.sid or f"#{index + 1}"
        line = where.line_of(statement.sid) if statement.sid else None
        for check in checks:
            for violation in check.scan(statement, env):
                findings.append(_finding(check, name, violation, where, line))
    return sorted(findings)


def _trust_problems(statement: Statement, account_id: str) -> list[str]:
    """What is wrong with one trust statement (nothing when it trusts only Lambda, here)."""
    problems: list[str] = []
    lambda_only = (Principal("Service", LAMBDA_SERVICE),)
    if statement.allows and statement.principals != lambda_only:
        trusted = ", ".join(p.label for p in statement.principals) or "no principal"
        problems.append(f"trusts {trusted}; only {LAMBDA_SERVICE} may assume it")
    if statement.actions != ("sts:AssumeRole",) or statement.not_actions:
        shown = ", ".join(statement.actions or statement.not_actions) or "no action"
        problems.append(f"allows {shown}; only sts:AssumeRole belongs here")
    source = next(
        (
            c.values
            for c in statement.conditions
            if c.test == "StringEquals" and c.variable == "aws:SourceAccount"
        ),
        (),
    )
    if source != (account_id,):
        problems.append(
            f"needs Condition StringEquals aws:SourceAccount {account_id!r} "
            f"(found {list(source) or 'none'})"
        )
    return problems


def lint_trust(
    document: Mapping[str, Any], where: PolicyLocation, account_id: str
) -> list[Finding]:
    """Findings for a Lambda execution role's trust policy.

    Each statement must let only ``lambda.amazonaws.com`` call ``sts:AssumeRole``, with an
    ``aws:SourceAccount`` condition equal to the role's own account.
    """
    findings: list[Finding] = []
    if not isinstance(document.get("Statement"), list | dict) or not document.get("Statement"):
        return [_malformed(where, "the trust policy has no statements")]
    try:
        statements = parse_document(document).statements
    except PolicyError as err:
        return [_malformed(where, f"the trust policy is malformed: {err}")]
    for index, statement in enumerate(statements):
        name = statement.sid or f"#{index + 1}"
        problems = _trust_problems(statement, account_id)
        for problem in problems:
            findings.append(
                Finding(
                    check_id="TRL_IAM_TRUST",
                    severity=Severity.ERROR,
                    message=f"{where.function}"
                    + (f" [{where.stack}]" if where.stack else "")
                    + f" trust statement {name}: {problem}",
                    validator=VALIDATOR,
                    file=where.file,
                    line=where.line_of(name) if statement.sid else None,
                    stack=where.stack,
                    fix="the trust policy is derived; re-render instead of editing it",
                )
            )
    return findings


def lint_review_file(
    path: Path,
    *,
    build_dir: Path,
    stack: str | None,
    allowlist: WildcardAllowList,
    rules: Sequence[OrgRule] = (),
) -> list[Finding]:
    """Every finding for one ``iam/<function>.json`` file under ``build_dir``."""
    try:
        shown = path.relative_to(build_dir).as_posix()
    except ValueError:
        shown = path.as_posix()
    text = path.read_text(encoding="utf-8")
    where = PolicyLocation(function=path.stem, stack=stack, file=shown, text=text)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        return [_malformed(where, f"is not JSON ({err.msg} at line {err.lineno})")]
    if not isinstance(document, dict):
        return [_malformed(where, "is not a JSON object")]
    if "PolicyDocument" not in document:
        return lint_policy(document, where, allowlist=allowlist, rules=rules)
    where = PolicyLocation(
        function=str(document.get("Function") or path.stem), stack=stack, file=shown, text=text
    )
    account = str(document.get("AccountId", ""))
    placeholders = {
        "account_id": account,
        "region": str(document.get("Region", "")),
        "partition": str(document.get("Partition", "aws")),
    }
    policy = document["PolicyDocument"]
    if not isinstance(policy, dict):
        return [_malformed(where, "PolicyDocument is not an object")]
    findings = lint_policy(
        policy, where, allowlist=allowlist, rules=rules, placeholders=placeholders
    )
    trust = document.get("AssumeRolePolicyDocument")
    if not isinstance(trust, dict):
        findings.append(_malformed(where, "AssumeRolePolicyDocument is missing"))
    else:
        findings.extend(lint_trust(trust, where, account))
    return sorted(findings)


def lint_allowlist(allowlist: WildcardAllowList) -> list[Finding]:
    """Findings for the reviewed list itself: every listed action must exist and be
    defined on no resource type (otherwise it can be narrowed and does not belong there)."""
    catalogue = bundled_catalogue()
    findings: list[Finding] = []
    for action in sorted(allowlist.reasons):
        info = catalogue.lookup(action)
        if info is None:
            problem = f"lists {action}, which does not exist in {catalogue.source}"
        elif info.resource_types:
            kinds = ", ".join(t.name for t in info.resource_types)
            problem = (
                f"lists {action}, which AWS defines on resource types ({kinds}): grant it on those"
            )
        else:
            continue
        findings.append(
            Finding(
                check_id="TRL_IAM_WILDCARD_LIST",
                severity=Severity.ERROR,
                message=f"{allowlist.source} {problem}",
                validator=VALIDATOR,
                file=allowlist.source,
                fix="remove the entry; only actions defined on no resource belong on the list",
            )
        )
    return findings
