"""Validator: every AWS resource and data source block against the provider schema.

Reads each ``.tf`` file of the root stacks (``build/<env>/<name>/*.tf``) and of the shared
modules (``build/modules/**/*.tf``) once, parses it with python-hcl2 and checks every
``resource`` and ``data`` block of an ``aws_*`` type with :mod:`generator.schema.conformance`
against the schema of :func:`generator.schema.loader.load_provider_schema`.

Files that do not parse are skipped: the HCL parse-back validator reports them with the
parser's message. Findings name the file relative to the build directory, the line, the
resource address within its stack or module (``aws_sqs_queue.main``,
``data.aws_iam_policy_document.assume``) and a fix, with a "did you mean" for near misses.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import hcl2
from hcl2.rules.base import BlockRule
from lark.exceptions import LarkError

from generator.check.context import CheckContext
from generator.check.findings import Finding, Severity
from generator.schema.conformance import check_type_block, label, line_of
from generator.schema.loader import load_provider_schema

VALIDATOR = "provider_schema"
_AWS_PREFIX = "aws_"


def tf_files(context: CheckContext) -> Iterator[tuple[Path, str | None]]:
    """Each ``.tf`` file to check once, with the stack key it belongs to (None for modules)."""
    for stack in sorted(context.stacks):
        for path in sorted(stack.path.glob("*.tf")):
            yield path, stack.key
    modules = context.build_dir / "modules"
    if modules.is_dir():
        for path in sorted(modules.rglob("*.tf")):
            yield path, None


def check_text(text: str, file: str, stack: str | None) -> list[Finding]:
    """Findings for one file's HCL text; an unparsable file yields none (see module doc)."""
    try:
        tree = hcl2.parses(text)
    except (LarkError, ValueError, RuntimeError):
        return []
    schema = load_provider_schema()
    findings: list[Finding] = []
    for block in tree.body.children:
        if not isinstance(block, BlockRule) or len(block.labels) != 3:
            continue
        kind = label(block.labels[0])
        if kind not in ("resource", "data"):
            continue
        type_name, name = label(block.labels[1]), label(block.labels[2])
        if not type_name.startswith(_AWS_PREFIX):
            continue
        address = f"{'data.' if kind == 'data' else ''}{type_name}.{name}"
        for problem in check_type_block(kind, type_name, block.body, line_of(block), schema):
            findings.append(
                Finding(
                    check_id=problem.check_id,
                    severity=Severity.ERROR,
                    message=problem.message,
                    validator=VALIDATOR,
                    file=file,
                    line=problem.line,
                    resource=address,
                    stack=stack,
                    fix=problem.fix,
                )
            )
    return findings


def run(context: CheckContext) -> list[Finding]:
    """All schema findings under ``context.build_dir``, sorted by file and line."""
    findings: list[Finding] = []
    for path, stack in tf_files(context):
        file = path.relative_to(context.build_dir).as_posix()
        findings.extend(check_text(path.read_text(encoding="utf-8"), file, stack))
    return sorted(findings, key=lambda f: (f.file or "", f.line or 0, f.check_id, f.message))
