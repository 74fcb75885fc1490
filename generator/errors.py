"""User-facing diagnostics: the one error type every stage raises for bad input.

A :class:`Diagnostic` names the file, line, column, field path, the value found, what is
allowed and how to fix it. Stages collect as many as they can and raise one
:class:`UserError` carrying all of them, so a person sees every mistake in one run. The CLI
prints them without a traceback and exits 2; anything else that escapes is an internal
error and keeps its traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

EXIT_USER_ERROR = 2


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One user mistake, located as precisely as the input allows.

    ``file`` is relative to the repository root (POSIX separators). ``line`` and ``column``
    are 1-based and ``None`` when the mistake has no single place (a missing file).
    ``path`` is the dotted field path inside the document (``spec.retrieval.concurrency``),
    empty for document-level problems.
    """

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    code: str = "invalid"
    value: str | None = None
    allowed: str | None = None
    hint: str | None = None

    def location(self) -> str:
        """``file:line:column`` with the parts that are known."""
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def render(self) -> str:
        """The human form: location, field, message, then allowed values and a hint."""
        head = self.location()
        field = f" {self.path}" if self.path else ""
        text = f"{head}:{field} {self.message}"
        if self.allowed:
            text += f"\n    allowed: {self.allowed}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text

    def to_record(self) -> dict[str, object]:
        """The machine-readable form used by ``--format json``."""
        return asdict(self)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Order by file, then line and column (unknown places first), then path."""
    return sorted(
        set(diagnostics),
        key=lambda d: (d.file, d.line or 0, d.column or 0, d.path, d.message),
    )


class UserError(Exception):
    """Bad input: carries every diagnostic found; never shown with a traceback."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = sort_diagnostics(diagnostics)
        super().__init__("\n".join(d.render() for d in self.diagnostics) or "invalid input")

    @classmethod
    def single(
        cls, file: str, message: str, *, hint: str | None = None, code: str = "invalid"
    ) -> UserError:
        """A user error about a whole file or argument rather than one field."""
        return cls(
            [
                Diagnostic(
                    file=file,
                    line=None,
                    column=None,
                    path="",
                    message=message,
                    code=code,
                    hint=hint,
                )
            ]
        )

    def to_json(self) -> str:
        """All diagnostics as a JSON document: ``{"errors": [...]}``."""
        return json.dumps(
            {"errors": [d.to_record() for d in self.diagnostics]}, indent=2, sort_keys=True
        )
