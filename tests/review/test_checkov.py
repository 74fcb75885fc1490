"""checkov on the plans, for real: one run over every fixture plan."""

from __future__ import annotations

import pytest

from generator.review import Review, render_json, render_markdown, review_plans
from tests.review.conftest import CREATE, DEV, PRD


@pytest.fixture(scope="session")
def checked() -> Review:
    """The fixture plans reviewed with checkov (one checkov process for all three)."""
    return review_plans([DEV, PRD, CREATE])


@pytest.mark.slow
def test_checkov_failures_become_a_section(checked: Review) -> None:
    """Real check ids land on the right stack and resource, and in both renderings."""
    assert checked.checkov_ran
    by_stack = {s.name: {(c.check_id, c.resource) for c in s.checkov} for s in checked.stacks}
    # a new table without point-in-time recovery
    assert ("CKV_AWS_28", "aws_dynamodb_table.sessions") in by_stack["prd/orders"]
    # the table in prd that turns PITR off is planned without it too
    assert ("CKV_AWS_28", "aws_dynamodb_table.orders") in by_stack["prd/orders"]
    assert all(check.startswith("CKV") for ids in by_stack.values() for check, _ in ids)
    markdown = render_markdown(checked)
    assert "### checkov on the plan (" in markdown
    assert "`CKV_AWS_28`" in markdown
    assert '"check_id":"CKV_AWS_28"' in render_json(checked)
    assert checked.exit_code == 1  # the blocking deletes, not the checks
