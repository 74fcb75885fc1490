"""The digest an offline plan of an image stack deploys, and where it came from.

CI passes the digest the images job pushed (``TF_VAR_image_digest``). ``trellis plan
--offline`` has pushed nothing, so unless ``TF_VAR_image_digest`` is set it derives a
stand-in from the context's content (:func:`~generator.images.context.context_digest`):
deterministic, changing whenever the context changes, and recorded beside the plan as
"offline stand-in, not a pushed image" so that the review never presents it as one.

What can go wrong: a ``TF_VAR_image_digest`` that is not ``sha256:<64 hex>`` is bad user
input (:class:`~generator.errors.UserError`); a stack whose context is missing under
``build/images/`` was not rendered by this trellis (also a ``UserError``, with the fix).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.errors import UserError
from generator.images.bases import DIGEST_PATTERN
from generator.images.context import IMAGES_DIR, context_digest, read_context
from generator.images.registry import IMAGE_DIGEST_VARIABLE

__all__ = [
    "ENV_VARIABLE",
    "IMAGE_RECORD",
    "STAND_IN",
    "PlannedImage",
    "is_image_stack",
    "planned_image",
    "read_planned_image",
    "write_planned_image",
]

ENV_VARIABLE = f"TF_VAR_{IMAGE_DIGEST_VARIABLE}"
STAND_IN = "offline stand-in, not a pushed image"
PUSHED = "TF_VAR_image_digest (a pushed image)"
IMAGE_RECORD = "image.json"
"""Written beside ``plan.json``: the digest planned and its origin, for the review."""
IMAGE_STACK_FILE = "image.tf"


@dataclass(frozen=True)
class PlannedImage:
    """The digest a plan deployed for an image stack and where it came from."""

    blueprint: str
    digest: str
    origin: str


def is_image_stack(stack_dir: Path) -> bool:
    """Whether the root stack in ``stack_dir`` deploys an image (it declares the digest)."""
    return (stack_dir / IMAGE_STACK_FILE).is_file()


def planned_image(build_dir: Path, blueprint: str, environ: Mapping[str, str]) -> PlannedImage:
    """The digest to plan ``blueprint``'s image stack with: ``TF_VAR_image_digest`` when
    set, else the stand-in derived from ``build/images/<blueprint>/``."""
    given = environ.get(ENV_VARIABLE)
    if given is not None:
        if not DIGEST_PATTERN.match(given):
            raise UserError.single(
                ENV_VARIABLE,
                f"{given!r} is not an image digest",
                hint="set it to sha256:<64 hex digits> (the digest the images job pushed), "
                "or unset it to plan with the offline stand-in",
            )
        return PlannedImage(blueprint, given, PUSHED)
    context = build_dir / IMAGES_DIR / blueprint
    if not context.is_dir():
        raise UserError.single(
            str(context),
            "the image context of this image stack is missing",
            hint="run `trellis render` first",
        )
    return PlannedImage(blueprint, context_digest(read_context(context)), STAND_IN)


def write_planned_image(plan_dir: Path, image: PlannedImage) -> Path:
    """Record ``image`` beside the plan (``image.json``) for the review."""
    path = plan_dir / IMAGE_RECORD
    path.write_text(json.dumps(asdict(image), indent=2, sort_keys=True) + "\n")
    return path


def read_planned_image(plan_dir: Path) -> PlannedImage | None:
    """The image recorded beside a plan, or ``None`` (a zip stack, or a CI plan)."""
    path = plan_dir / IMAGE_RECORD
    if not path.is_file():
        return None
    data = json.loads(path.read_text())
    return PlannedImage(str(data["blueprint"]), str(data["digest"]), str(data["origin"]))
