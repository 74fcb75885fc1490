"""The review's image rows from plan resource changes (unit: the collector alone)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.images.offline import STAND_IN, PlannedImage, write_planned_image
from generator.review.images import PLANNED_DIGEST, ImageCollector
from generator.review.model import UNKNOWN, Action

DIGEST = "sha256:" + "1f" * 32


def _function(after: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": "module.process.aws_lambda_function.this",
        "type": "aws_lambda_function",
        "change": {"after": {"function_name": "dev-orders-process", **after}},
    }


def test_zip_functions_and_deletes_are_not_listed(tmp_path: Path) -> None:
    """Only created/updated/replaced Image functions appear."""
    collector = ImageCollector("dev/orders", tmp_path / "plan.json")
    collector.add(_function({"package_type": "Zip"}), Action.CREATE)
    collector.add(_function({"package_type": "Image", "image_uri": f"r@{DIGEST}"}), Action.DELETE)
    assert collector.finish() == ()


def test_a_recorded_stand_in_is_labelled_and_another_digest_is_the_given_one(
    tmp_path: Path,
) -> None:
    """image.json beside the plan labels its digest; any other digest is var.image_digest."""
    write_planned_image(tmp_path, PlannedImage("orders", DIGEST, STAND_IN))
    collector = ImageCollector("dev/orders", tmp_path / "plan.json")
    collector.add(
        _function({"package_type": "Image", "image_uri": f"repo@{DIGEST}"}), Action.CREATE
    )
    other = "sha256:" + "2e" * 32
    collector.add(_function({"package_type": "Image", "image_uri": f"repo@{other}"}), Action.UPDATE)
    assert [(i.repository, i.digest, i.origin) for i in collector.finish()] == [
        ("repo", DIGEST, STAND_IN),
        ("repo", other, PLANNED_DIGEST),
    ]


def test_an_unknown_image_uri_says_so(tmp_path: Path) -> None:
    """An image_uri known only after apply is listed as unknown, never guessed."""
    collector = ImageCollector("dev/orders", tmp_path / "plan.json")
    collector.add(_function({"package_type": "Image", "image_uri": None}), Action.CREATE)
    (image,) = collector.finish()
    assert (image.repository, image.digest) == (UNKNOWN, UNKNOWN)
