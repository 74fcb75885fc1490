"""Markdown order, collapsible details and the hard size cap; stable JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.review import Review, render_json, render_markdown, review_plans
from tests.review.conftest import CREATE, DEV, PRD
from tests.review.planbuilder import write_large_plan


def _section(text: str, title: str) -> str:
    start = text.index(title)
    end = text.find("\n### ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def test_markdown_order_blocks_then_access_then_posture_then_counts(
    fixture_review: Review,
) -> None:
    """A reviewer reads what blocks, what widens access, security posture, counts, details."""
    text = render_markdown(fixture_review)
    positions = [
        text.index(t)
        for t in (
            "### What blocks",
            "### What widens access",
            "### What changes security posture",
            "### checkov on the plan",
            "### Counts",
            "### Details",
        )
    ]
    assert positions == sorted(positions)


def test_details_are_collapsible(fixture_review: Review) -> None:
    """Per-resource details are in <details> blocks, one per root stack."""
    text = render_markdown(fixture_review)
    assert text.count("<details><summary>") == 3
    assert text.count("<details>") == text.count("</details>")


@pytest.mark.parametrize("slack", [0, 300, 1200, 3000])
def test_size_cap_keeps_blocking_and_iam_whole(fixture_review: Review, slack: int) -> None:
    """Under a tight cap the output fits, with the blocking and IAM sections intact."""
    full = render_markdown(fixture_review, max_chars=0)
    blocks = full[full.index("### What blocks") : full.index("Other destructive changes")]
    iam = full[full.index("### What widens access") : full.index("### What a reviewer")]
    needed = full.index("### What blocks") + len(blocks) + len(iam) + 200
    cap = needed + slack
    assert cap < len(full)  # the cap really cuts
    capped = render_markdown(fixture_review, max_chars=cap, artifact="plan-review")
    assert len(capped) <= cap
    assert blocks in capped
    assert iam in capped
    assert "alone exceed" not in capped
    assert capped.rstrip().endswith("The full review is in the artifact `plan-review`.")


def test_counts_and_posture_are_cut_before_hints(fixture_review: Review) -> None:
    """When the cap bites, counts and posture rows go before the reviewer's hints."""
    full = render_markdown(fixture_review, max_chars=0)
    hints = _section(full, "### What a reviewer should know")
    needed = full.index("### What a reviewer") + 200
    capped = render_markdown(fixture_review, max_chars=needed + len(hints) + 600)
    assert hints in capped
    assert "### Counts" not in capped
    assert _section(full, "### What changes security posture") not in capped


def test_overflow_of_blocking_and_iam_is_said_at_the_top(fixture_review: Review) -> None:
    """If blocking + IAM alone exceed the cap, the top says so and names the full file."""
    capped = render_markdown(
        fixture_review, max_chars=1800, artifact="plan-review", full_file="review.full.md"
    )
    assert len(capped) <= 1800
    top = capped[: capped.index("### What blocks")]
    assert "The blocking and IAM sections alone exceed 1,800 characters" in top
    assert "`review.full.md`" in top


@pytest.mark.parametrize("cap", [300, 800, 1500])
def test_cap_is_hard_even_below_the_whole_sections(fixture_review: Review, cap: int) -> None:
    """A cap smaller than the must-keep sections still holds, and says it cut."""
    capped = render_markdown(fixture_review, max_chars=cap)
    assert len(capped) <= cap
    assert "Cut to fit" in capped


def test_cap_not_needed_means_no_note(fixture_review: Review) -> None:
    """When everything fits, nothing is cut and no note is added."""
    text = render_markdown(fixture_review, max_chars=60_000)
    assert text == render_markdown(fixture_review, max_chars=0)
    assert "Cut to fit" not in text


def test_cut_details_stay_well_formed(fixture_review: Review) -> None:
    """A cut never leaves a <details> block open."""
    for cap in range(2000, 9000, 250):
        text = render_markdown(fixture_review, max_chars=cap)
        assert text.count("<details>") == text.count("</details>"), cap
        assert len(text) <= cap


def test_json_is_stable_and_complete(fixture_review: Review) -> None:
    """The JSON review is deterministic, parseable, sorted and has every section."""
    first = render_json(fixture_review)
    again = render_json(review_plans([CREATE, PRD, DEV], run_checkov=False))
    assert first == again
    document = json.loads(first)
    assert document["schema"] == "trellis.review/1"
    assert document["exit_code"] == 1
    assert document["blocking"] == 3
    assert [s["name"] for s in document["stacks"]] == ["create.json", "dev/orders", "prd/orders"]
    dev = document["stacks"][1]
    assert set(dev) == {
        "name",
        "plan_file",
        "terraform_version",
        "counts",
        "destructive",
        "iam",
        "posture",
        "checkov",
        "changes",
        "hints",
        "summary",
        "images",
    }
    assert dev["summary"] == {"add": 4, "change": 5, "destroy": 3, "forget": 0, "read": 1}
    assert dev["counts"]["replace"] == 2
    assert dev["destructive"][0]["blocking"] is True
    assert (
        json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
        == first
    )


def test_no_absolute_paths_in_output(fixture_review: Review) -> None:
    """Plan files are named relative to the working directory."""
    text = render_markdown(fixture_review) + render_json(fixture_review)
    assert str(Path.cwd()) not in text


def test_generated_large_plan(tmp_path: Path) -> None:
    """A few-MB generated plan reviews with exact counts and a capped Markdown."""
    plan = tmp_path / "dev" / "large" / "plan.json"
    size, changes = write_large_plan(plan, 3_000_000)
    assert size > 2_000_000
    review = review_plans([plan], run_checkov=False)
    (stack,) = review.stacks
    assert sum(stack.counts.values()) == changes
    assert stack.counts["replace"] == len(stack.destructions)
    assert len(review.blocking) == len(stack.destructions)  # every replaced queue blocks
    text = render_markdown(review, max_chars=20_000)
    assert len(text) <= 20_000
    assert "### What blocks" in text
    assert "Cut to fit" in text
    assert "large-secret-" not in text + render_json(review)
    assert "rotated-" not in text + render_json(review)
