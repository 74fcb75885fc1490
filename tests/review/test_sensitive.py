"""Sensitive values never appear; unknown values read "known after apply"."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator.cli.main import cli
from generator.review import SENSITIVE, UNKNOWN, Review, render_json, render_markdown
from generator.review.values import diff_attributes
from tests.review.conftest import CREATE, DEV, PRD
from tests.review.fixtures import SECRETS


def test_fixture_really_holds_the_secrets() -> None:
    """The dev plan carries the secrets in clear, as Terraform writes them (so the test bites)."""
    text = DEV.read_text(encoding="utf-8")
    assert all(secret in text for secret in SECRETS)


def test_no_secret_in_any_output(fixture_review: Review) -> None:
    """Neither Markdown (capped or not) nor JSON contains a value marked sensitive."""
    outputs = [
        render_markdown(fixture_review),
        render_markdown(fixture_review, max_chars=0),
        render_markdown(fixture_review, max_chars=2500),
        render_json(fixture_review),
    ]
    for output in outputs:
        for secret in SECRETS:
            assert secret not in output


def test_no_secret_through_the_cli(tmp_path: Path) -> None:
    """`trellis review` in both formats and to a file never prints a sensitive value."""
    for fmt in ("markdown", "json"):
        out = tmp_path / f"review.{fmt}"
        result = CliRunner().invoke(
            cli,
            [
                "review",
                str(DEV),
                str(PRD),
                str(CREATE),
                "--no-checkov",
                "--format",
                fmt,
                "--output",
                str(out),
            ],
        )
        assert result.exit_code == 1
        text = out.read_text(encoding="utf-8") + result.output
        assert not any(secret in text for secret in SECRETS)


def test_nested_sensitive_value_is_masked(fixture_review: Review) -> None:
    """A sensitive key inside a map inside a block shows as sensitive on both sides."""
    dev = next(s for s in fixture_review.stacks if s.name == "dev/orders")
    function = next(c for c in dev.changes if c.address == "aws_lambda_function.worker")
    token = next(a for a in function.attributes if a.path.endswith("API_TOKEN"))
    assert (token.path, token.before, token.after) == (
        "environment[0].variables.API_TOKEN",
        SENSITIVE,
        SENSITIVE,
    )


def test_unknown_value_is_known_after_apply(fixture_review: Review) -> None:
    """An attribute Terraform will only know after apply says so."""
    dev = next(s for s in fixture_review.stacks if s.name == "dev/orders")
    param = next(c for c in dev.changes if c.address == "aws_ssm_parameter.api_token")
    assert {(a.path, a.after) for a in param.attributes} == {
        ("value", SENSITIVE),
        ("version", UNKNOWN),
    }


def test_whole_block_marked_sensitive_hides_every_leaf() -> None:
    """`true` high in the mirror tree masks everything below it."""
    change = {
        "before": {"settings": [{"a": "s3cr3t-a", "b": {"c": "s3cr3t-c"}}]},
        "after": {"settings": [{"a": "s3cr3t-A", "b": {"c": "s3cr3t-C"}}]},
        "before_sensitive": {"settings": True},
        "after_sensitive": {"settings": [{"a": True, "b": True}]},
        "after_unknown": {"settings": [{"b": {}}]},
    }
    found, more = diff_attributes(change)
    assert more == 0
    assert found and all("s3cr3t" not in a.before + a.after for a in found)


def test_value_becoming_sensitive_is_not_revealed() -> None:
    """A value sensitive only after the change is masked on the after side."""
    change = {
        "before": {"v": "plain"},
        "after": {"v": "s3cr3t-now"},
        "before_sensitive": {},
        "after_sensitive": {"v": True},
        "after_unknown": {},
    }
    (attribute,), _ = diff_attributes(change)
    assert (attribute.before, attribute.after) == ('"plain"', SENSITIVE)
