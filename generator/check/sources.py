"""Each distinct ``.tf`` text parsed once per run, its per-file results cached by content.

Several validators read the same ``.tf`` files (``hcl_parse`` for syntax and the backend,
``provider_schema`` for resource blocks, ``account_readiness`` for ``terraform`` blocks),
and a rendered tree repeats files across stacks and environments. A validator states what
it needs from one file as a :class:`FileAnalysis` (a function of the parse, returning
JSON-able data without the file's path) and asks :func:`file_result` for it. The first
time a text is needed, python-hcl2 parses it once and every registered analysis runs on
that parse; the results are kept for this run (:class:`SourceFiles`, in the check context)
and on disk under ``<cache_dir>/tf-files/`` keyed by the text's sha256, each with its
analysis's version (python-hcl2's, the analysis code's, the schema's...). A re-check
parses only texts it has not seen, and an analysis whose version changed is recomputed.
Parse trees are dropped once analysed, so memory holds results, not trees.

Adding an analysis: a ``FILE_ANALYSIS`` in the validator's module and its module path in
:data:`ANALYSES`.

Thread-safe: validators on different threads may ask for the same file; one of them
parses it and the others wait for that parse. Parses and analyses hold
:data:`generator.hcl_reader.LOCK`, as python-hcl2 itself is not thread-safe.

What can go wrong: a file that is not UTF-8 or not HCL is not an exception here; the
analyses receive a :class:`Parsed` whose ``error`` says why. A corrupt or unreadable
cache entry is ignored and rewritten.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import hcl_reader
from generator.check.atomic_json import write_json_atomically

if TYPE_CHECKING:
    from generator.check.context import CheckContext

ANALYSES: tuple[str, ...] = (
    "generator.check.hcl_parse",
    "generator.check.provider_schema",
    "generator.check.account_readiness",
)
"""Modules whose ``FILE_ANALYSIS`` runs on every parse; the order is irrelevant."""

_CACHE_DIR = "tf-files"


@dataclass(frozen=True)
class ParseError:
    """Why a text is not HCL python-hcl2 can read: its first message line, and the line."""

    message: str
    line: int | None


@dataclass(frozen=True)
class Parsed:
    """One text's parse: the text (``None`` if not UTF-8), the tree or the error.

    ``tree`` is ``hcl2.parses``'s :class:`hcl2.rules.base.StartRule`; ``document`` is the
    dict ``hcl2.loads`` would return (``None`` when the text does not parse).
    """

    text: str | None
    tree: Any
    error: ParseError | None

    @functools.cached_property
    def document(self) -> dict[str, Any] | None:
        """The parse as python-hcl2's dict (made once); ``None`` when there is no tree."""
        if self.tree is None:
            return None
        return _serialize(self.tree)


@dataclass(frozen=True)
class FileAnalysis:
    """What a validator computes from one file's parse, cached by the file's content.

    ``analyse`` must be a pure function of the text (no file name, no stack) and return
    JSON-able data; ``version`` names everything else the result depends on.
    """

    name: str
    analyse: Callable[[Parsed], Any]
    version: Callable[[], str]


@functools.cache
def hcl2_version() -> str:
    """python-hcl2's version: part of every analysis's cache version."""
    return metadata.version("python-hcl2")


def code_version(*files: str | None) -> str:
    """Digest of source files (``module.__file__``), so a changed check never reuses results."""
    digest = hashlib.sha256(hcl2_version().encode())
    for file in files:
        digest.update(Path(str(file)).read_bytes())
    return digest.hexdigest()


@functools.cache
def registered() -> tuple[FileAnalysis, ...]:
    """Every registered analysis, imported on first use."""
    found = []
    for module_name in ANALYSES:
        analysis = getattr(importlib.import_module(module_name), "FILE_ANALYSIS", None)
        if not isinstance(analysis, FileAnalysis):
            raise RuntimeError(f"{module_name} has no FILE_ANALYSIS")
        found.append(analysis)
    return tuple(found)


class SourceFiles:
    """One run's file bytes, digests and per-file analysis results."""

    def __init__(self) -> None:
        self._digests: dict[Path, str] = {}
        self._results: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._gates: dict[str, threading.Lock] = {}
        self.parses = 0
        """How many texts python-hcl2 parsed in this run (for tests and benchmarks)."""

    def digest(self, path: Path) -> str:
        """The sha256 of ``path``'s bytes, hex (read once per run)."""
        with self._lock:
            known = self._digests.get(path)
        if known is None:
            known = hashlib.sha256(path.read_bytes()).hexdigest()
            with self._lock:
                self._digests[path] = known
        return known

    def result(self, path: Path, name: str, cache_dir: Path) -> Any:
        """The result of analysis ``name`` for ``path``'s text."""
        digest = self.digest(path)
        with self._lock:
            results = self._results.get(digest)
            if results is not None:
                return results[name]
            gate = self._gates.setdefault(digest, threading.Lock())
        with gate:
            with self._lock:
                results = self._results.get(digest)
            if results is None:
                results = self._compute(path, digest, cache_dir)
                with self._lock:
                    self._results[digest] = results
        return results[name]

    def _compute(self, path: Path, digest: str, cache_dir: Path) -> dict[str, Any]:
        analyses = registered()
        versions = {a.name: a.version() for a in analyses}
        entry_path = cache_dir / _CACHE_DIR / digest[:2] / f"{digest}.json"
        stored = _read_entry(entry_path)
        results = {
            name: stored[name]["result"]
            for name, version in versions.items()
            if isinstance(stored.get(name), dict)
            and stored[name].get("version") == version
            and "result" in stored[name]
        }
        if len(results) == len(analyses):
            return results
        with hcl_reader.LOCK:  # the analyses walk python-hcl2's tree, which is not thread-safe
            parsed = _parse(path.read_bytes())
            for analysis in analyses:
                if analysis.name not in results:
                    results[analysis.name] = analysis.analyse(parsed)
        with self._lock:
            self.parses += 1
        write_json_atomically(
            entry_path,
            {name: {"version": versions[name], "result": results[name]} for name in versions},
        )
        return results


def file_result(context: CheckContext, path: Path, name: str) -> Any:
    """The result of analysis ``name`` for ``path`` in this check run."""
    return context.sources.result(path, name, context.cache_dir)


def _read_entry(path: Path) -> dict[str, Any]:
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return entry if isinstance(entry, dict) else {}


def _first_line(err: Exception) -> str:
    text = str(err)
    return text.splitlines()[0] if text else type(err).__name__


def _parse(data: bytes) -> Parsed:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return Parsed(None, None, ParseError(f"not UTF-8 ({err.reason})", None))
    try:
        tree = hcl_reader.parses(text)
    except Exception as err:  # python-hcl2 raises lark's and its own errors, unrelated types
        return Parsed(text, None, ParseError(_first_line(err), getattr(err, "line", None)))
    return Parsed(text, tree, None)


def _serialize(tree: Any) -> dict[str, Any] | None:
    try:
        document = hcl_reader.serialize(tree)
    except Exception:  # a tree python-hcl2 built but cannot turn into a dict: not readable
        return None
    return document
