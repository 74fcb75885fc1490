"""Report formats for a :class:`~generator.check.outcome.CheckReport`.

Every format is a pure function of the report (plus the build directory's path relative
to the repository root, which SARIF and GitHub annotations need): no timestamps, no
absolute paths, sorted, so output is byte-identical run to run.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.check.outcome import CheckReport
from generator.check.report import github, json_report, junit, sarif, table

FORMATS: dict[str, Callable[[CheckReport, str, bool], str]] = {
    "table": table.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
}


def render(
    report: CheckReport, fmt: str, *, build_prefix: str = "build", color: bool = False
) -> str:
    """The report in format ``fmt``; ``build_prefix`` is ``build/``'s path from the repo root."""
    return FORMATS[fmt](report, build_prefix.rstrip("/"), color)


__all__ = ["FORMATS", "render"]
