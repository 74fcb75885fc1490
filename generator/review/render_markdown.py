"""The review as Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Order is what a reviewer needs first: what blocks (every destructive change, blocking
ones on top, each with what is lost), what widens access (IAM), what a reviewer should
be told (likely missing ``moved`` blocks, protections on destroyed resources), what
weakens security posture, which images deploy, checkov on the plan, then the counts per
root stack (as Terraform's own summary) and the per-resource details in collapsible
``<details>`` blocks.

GitHub refuses comments over 65,536 characters, so the output never exceeds
``max_chars``. The blocking and IAM sections are never cut while they fit: the details,
graphs, counts and posture rows are cut first (in that order), then checkov rows, the
other destructive changes and the hints. A closing note points to the full review. If
blocking + IAM alone exceed the cap, the review says so at the top, names ``full_file``
(where the caller wrote the complete Markdown) and is cut there too: the cap is hard.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.review.markdown_blocking import (
    destructive_sections,
    hints_section,
    summary_section,
)
from generator.review.markdown_changes import counts_section, detail_sections, graph_sections
from generator.review.markdown_layout import Section, fit
from generator.review.markdown_security import (
    checkov_sections,
    iam_sections,
    images_sections,
    posture_section,
)
from generator.review.model import Review

DEFAULT_MAX_CHARS = 60_000


def render_markdown(
    review: Review,
    max_chars: int = DEFAULT_MAX_CHARS,
    artifact: str | None = None,
    graphs: Mapping[str, str] | None = None,
    full_file: str | None = None,
) -> str:
    """The review as Markdown of at most ``max_chars`` characters (0: no limit).

    ``artifact`` names where the full review is published (an uploaded artifact) and
    ``full_file`` the file the caller wrote the complete Markdown to; the notes of a cut
    document point there. ``graphs`` maps a root stack's name to the Mermaid graph of its
    blueprint (``trellis graph``); they follow the counts.
    """
    sections: list[Section] = [
        Section(summary_section(review), [], keep=0),
        *destructive_sections(review),
        *iam_sections(review),
        hints_section(review),
        posture_section(review),
        *images_sections(review),
        *checkov_sections(review),
        counts_section(review),
        *graph_sections(graphs or {}),
        *detail_sections(review),
    ]
    return fit(sections, max_chars, artifact, full_file)
