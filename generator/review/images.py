"""Which container image each image function of a plan deploys (repository + digest).

A function with ``package_type = "Image"`` names its image as ``<repository>@<digest>``;
the review lists every one, with where the digest came from: ``trellis plan --offline``
records its stand-in beside the plan (``image.json``), so a plan with that record and the
same digest is labelled "offline stand-in, not a pushed image"; any other digest is the
one the plan was given (``var.image_digest``, the images job's pushed digest in CI).

What can go wrong: an image function whose ``image_uri`` is unknown at plan time is
listed with the digest ``(known after apply)``: the review cannot tell which image.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.images.offline import read_planned_image
from generator.review.model import UNKNOWN, Action, DeployedImage

__all__ = ["PLANNED_DIGEST", "ImageCollector"]

PLANNED_DIGEST = "var.image_digest given to the plan"
_DEPLOYING = (Action.CREATE, Action.UPDATE, Action.REPLACE)


def _split(uri: object) -> tuple[str, str]:
    """``<repository>@<digest>`` apart; an unknown or tag-only URI keeps what is known."""
    if not isinstance(uri, str):
        return UNKNOWN, UNKNOWN
    repository, _, digest = uri.partition("@")
    return repository, digest or UNKNOWN


class ImageCollector:
    """Collects the image functions of one plan (``plan_file``'s directory may hold the
    offline plan's ``image.json``)."""

    def __init__(self, stack: str, plan_file: Path) -> None:
        self.stack = stack
        self.recorded = read_planned_image(plan_file.parent)
        self.images: list[DeployedImage] = []

    def add(self, rc: dict[str, Any], action: Action) -> None:
        """Note ``rc`` if it creates or changes a function that runs an image."""
        if rc.get("type") != "aws_lambda_function" or action not in _DEPLOYING:
            return
        after = rc["change"].get("after") or {}
        if after.get("package_type") != "Image":
            return
        repository, digest = _split(after.get("image_uri"))
        origin = PLANNED_DIGEST
        if self.recorded is not None and self.recorded.digest == digest:
            origin = self.recorded.origin
        self.images.append(
            DeployedImage(
                stack=self.stack,
                address=str(rc["address"]),
                function_name=str(after.get("function_name") or UNKNOWN),
                repository=repository,
                digest=digest,
                origin=origin,
            )
        )

    def finish(self) -> tuple[DeployedImage, ...]:
        """The image functions, sorted by address."""
        return tuple(sorted(self.images, key=lambda i: i.address))
