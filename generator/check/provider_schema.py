"""Validator: every AWS resource and data source block against the provider schema.

Reads each ``.tf`` file of the root stacks (``build/<env>/<name>/*.tf``) and of the shared
modules (``build/modules/**/*.tf``) once, parses it with python-hcl2 and checks every
``resource`` and ``data`` block of an ``aws_*`` type with :mod:`generator.schema.conformance`
against the schema of :func:`generator.schema.loader.load_provider_schema`.

Files that do not parse are skipped: the HCL parse-back validator reports them with the
parser's message.

Results are cached per file content: the key is the SHA-256 of the checking code, the
schema (:func:`generator.schema.loader.schema_sha256`) and the file's text, and the entry
(``<cache_dir>/provider-schema/<key>.json``) holds the problems without file or stack, so an
unchanged file is not parsed again and identical files in several stacks are parsed once.
A corrupt cache entry is ignored and rewritten.

Findings name the file relative to the build directory, the line, the resource address
within its stack or module (``aws_sqs_queue.main``, ``data.aws_iam_policy_document.assume``)
and a fix, with a "did you mean" for near misses.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import hcl2
from hcl2.rules.base import BlockRule
from lark.exceptions import LarkError

from generator.check.context import CheckContext
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
    try:
        tree = hcl2.parses(text)
    except (LarkError, ValueError, RuntimeError):
        return []
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
def _code_digest() -> str:
    """Digest of the checking code and parser version: a changed check never reuses results."""
    digest = hashlib.sha256(metadata.version("python-hcl2").encode())
    for module in (conformance, literals, sys.modules[__name__]):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


class _ResultCache:
    """Problems by content key: in memory for this run, on disk between runs."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory / "provider-schema"
        self.memory: dict[str, list[_Record]] = {}
        self.prefix = f"{VALIDATOR}:{_code_digest()}:{schema_sha256()}:".encode()

    def problems(self, text: str) -> list[_Record]:
        key = hashlib.sha256(self.prefix + text.encode("utf-8")).hexdigest()
        if key in self.memory:
            return self.memory[key]
        path = self.directory / f"{key}.json"
        records: list[_Record] | None = None
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(loaded, list):
                records = loaded
        except (OSError, ValueError):
            records = None
        if records is None:
            records = problems_of(text)
            self._store(path, records)
        self.memory[key] = records
        return records

    def _store(self, path: Path, records: list[_Record]) -> None:
        """Write atomically, so a concurrent reader never sees half an entry."""
        self.directory.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(records, out, sort_keys=True)
        Path(tmp).replace(path)


def run(context: CheckContext) -> list[Finding]:
    """All schema findings under ``context.build_dir``, sorted by file and line."""
    cache = _ResultCache(context.cache_dir)
    findings: list[Finding] = []
    for path, stack in tf_files(context):
        file = path.relative_to(context.build_dir).as_posix()
        records = cache.problems(path.read_text(encoding="utf-8"))
        findings.extend(_finding(record, file, stack) for record in records)
    return sorted(findings, key=lambda f: (f.file or "", f.line or 0, f.check_id, f.message))
