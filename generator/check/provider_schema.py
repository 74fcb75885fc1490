"""Validator: every AWS resource and data source block against the provider schema.

Reads each ``.tf`` file of the root stacks (``build/<env>/<name>/*.tf``) and of the shared
modules (``build/modules/**/*.tf``) once, parses it with python-hcl2 and checks every
``resource`` and ``data`` block of an ``aws_*`` type with :mod:`generator.schema.conformance`
against the schema of :func:`generator.schema.loader.load_provider_schema`.

Files that do not parse are skipped: the HCL parse-back validator reports them with the
parser's message.

The problems of a file are a :class:`generator.check.sources.FileAnalysis` of the run's one
parse of its text: cached by the text's sha256 (with the checking code, python-hcl2's
version and the schema, :func:`generator.schema.loader.schema_sha256`, as its version),
without file or stack, so an unchanged file is not parsed again and identical files in
several stacks are parsed once. A corrupt cache entry is ignored and rewritten.

Findings name the file relative to the build directory, the line, the resource address
within its stack or module (``aws_sqs_queue.main``, ``data.aws_iam_policy_document.assume``)
and a fix, with a "did you mean" for near misses.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hcl2.rules.base import BlockRule
from lark.exceptions import LarkError

from generator import hcl_reader
from generator.check.context import CheckContext
from generator.check.sources import FileAnalysis, Parsed, code_version, file_result
from generator.policy.findings import Finding, Severity
from generator.schema import conformance, literals
from generator.schema.conformance import check_type_block, label, line_of
from generator.schema.loader import load_provider_schema, schema_sha256

VALIDATOR = "provider_schema"
_AWS_PREFIX = "aws_"
_AWS_BLOCK = re.compile(r'^\s*(?:resource|data)\s+"?aws_', re.MULTILINE)
_Record = dict[str, Any]


def tf_files(context: CheckContext) -> Iterator[tuple[Path, str | None]]:
    """Each ``.tf`` file to check once, with the stack key it belongs to (None for modules)."""
    for stack in sorted(context.stacks):
        for path in sorted(stack.path.glob("*.tf")):
            yield path, stack.key
    modules = context.build_dir / "modules"
    if modules.is_dir() and context.repository_wide:
        for path in sorted(modules.rglob("*.tf")):
            yield path, None


def problems_of(text: str) -> list[_Record]:
    """Problems of one file's HCL text as records (no file or stack); none if unparsable.

    A file without any ``resource "aws_..."`` or ``data "aws_..."`` header (variables,
    outputs, a root stack that only calls modules) is not parsed at all.
    """
    if not _AWS_BLOCK.search(text):
        return []
    with hcl_reader.LOCK:
        try:
            tree = hcl_reader.parses(text)
        except (LarkError, ValueError, RuntimeError):
            return []
        return problems_of_tree(tree)


def analyse(parsed: Parsed) -> list[_Record]:
    """:func:`problems_of` for the run's shared parse of one text."""
    if parsed.tree is None or parsed.text is None or not _AWS_BLOCK.search(parsed.text):
        return []
    return problems_of_tree(parsed.tree)


def problems_of_tree(tree: Any) -> list[_Record]:
    """Problems of one parsed file (``hcl2.parses``'s tree) as records."""
    schema = load_provider_schema()
    records: list[_Record] = []
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
            records.append(
                {
                    "check_id": problem.check_id,
                    "line": problem.line,
                    "message": problem.message,
                    "fix": problem.fix,
                    "resource": address,
                }
            )
    return records


def _finding(record: _Record, file: str, stack: str | None) -> Finding:
    return Finding(
        check_id=record["check_id"],
        severity=Severity.ERROR,
        message=record["message"],
        validator=VALIDATOR,
        file=file,
        line=record["line"],
        resource=record["resource"],
        stack=stack,
        fix=record["fix"],
    )


def check_text(text: str, file: str, stack: str | None) -> list[Finding]:
    """Findings for one file's HCL text (uncached); an unparsable file yields none."""
    return [_finding(record, file, stack) for record in problems_of(text)]


@functools.cache
def _version() -> str:
    """The checking code, python-hcl2 and the schema: a change in any never reuses results."""
    code = code_version(conformance.__file__, literals.__file__, sys.modules[__name__].__file__)
    return hashlib.sha256(f"{code}\0{schema_sha256()}".encode()).hexdigest()


FILE_ANALYSIS = FileAnalysis(VALIDATOR, analyse, _version)


def run(context: CheckContext) -> list[Finding]:
    """All schema findings under ``context.build_dir``, sorted by file and line."""
    findings: list[Finding] = []
    for path, stack in tf_files(context):
        file = path.relative_to(context.build_dir).as_posix()
        records = file_result(context, path, VALIDATOR)
        findings.extend(_finding(record, file, stack) for record in records)
    return sorted(findings, key=lambda f: (f.file or "", f.line or 0, f.check_id, f.message))
