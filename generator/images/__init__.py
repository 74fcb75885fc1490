"""Container images of ``package: image`` blueprints: the reviewed base table, the build
context (``build/images/<blueprint>/``) and the stand-in digest of an offline plan.

Public face: :func:`render_image_contexts` (the render stage), :func:`base_image` and
:func:`load_bases` (the reviewed table in ``bases.toml``), :func:`context_digest`.
"""

from generator.images.bases import BaseImage, base_image, load_bases
from generator.images.context import IMAGES_DIR, context_digest, image_context, read_context
from generator.images.render import image_blueprints, is_image, render_image_contexts

__all__ = [
    "IMAGES_DIR",
    "BaseImage",
    "base_image",
    "context_digest",
    "image_blueprints",
    "image_context",
    "is_image",
    "load_bases",
    "read_context",
    "render_image_contexts",
]
