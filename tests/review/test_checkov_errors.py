"""A checkov check that raises is reported as not run, never as passed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.review import render_markdown, review_plans
from generator.review.checkov import check_errors
from tests.review.planbuilder import Res, write_plan

STDERR = """\
2026-12-02 13:05:30,050 [MainThread  ] [ERROR]  Failed to run check CKV_AWS_318 on \
/dev/search/plan.json:aws_opensearch_domain.this
Traceback (most recent call last):
  File "checkov/terraform/checks/resource/aws/ElasticsearchDomainHA.py", line 24, in scan
    master_count = config[0].get("dedicated_master_count")
AttributeError: 'NoneType' object has no attribute 'get'
2026-12-02 13:05:30,102 [MainThread  ] [ERROR]  Failed to run check CKV_AWS_5 on \
/prd/search/plan.json:aws_elasticsearch_domain.legacy
"""


def test_errors_are_parsed_from_checkov_stderr() -> None:
    """Each "Failed to run check" line becomes an error on its stack, with the exception."""
    by_file = {"/w/dev/search/plan.json": "dev/search", "/w/prd/search/plan.json": "prd/search"}
    errors = check_errors(STDERR, by_file)
    assert [(e.stack, e.check_id, e.resource, e.error) for e in errors] == [
        (
            "dev/search",
            "CKV_AWS_318",
            "aws_opensearch_domain.this",
            "AttributeError: 'NoneType' object has no attribute 'get'",
        ),
        ("prd/search", "CKV_AWS_5", "aws_elasticsearch_domain.legacy", "no error message"),
    ]


@pytest.mark.slow
def test_a_check_that_raises_is_listed_and_not_passed(tmp_path: Path) -> None:
    """Real checkov raising on a search domain: the review lists it and never says all passed."""
    plan = write_plan(
        tmp_path / "dev" / "search" / "plan.json",
        [
            Res(
                "aws_opensearch_domain",
                "this",
                ["create"],
                None,
                {"domain_name": "ex-opensearch", "cluster_config": None},
                module="module.opensearch",
                unknown=[("arn",), ("id",)],
            )
        ],
    )
    review = review_plans([plan])
    assert (
        "dev/search",
        "CKV_AWS_318",
        "aws_opensearch_domain.this",
    ) in {  # no module: as checkov logs it
        (e.stack, e.check_id, e.resource) for e in review.checkov_errors
    }
    text = render_markdown(review)
    assert "did not run" in text
    assert "Every check passed" not in text
    assert "'NoneType' object has no attribute 'get'" in text
