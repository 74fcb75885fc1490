"""Render the image contexts of every ``package: image`` blueprint (``build/images/``).

One context per blueprint, shared by its environments: the image is built once and the
same digest is pushed to each environment's repository. Its default ``CMD`` is the
blueprint's main function (the processing function of an ingestion pipeline, the one
every pipeline has); Terraform sets each function's own handler with
``image_config.command``.

What can go wrong: two environments of one blueprint resolving to different main
handlers would need two images under one name; that is an internal error
(``ValueError``), since handlers do not depend on the environment.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from generator.images.bases import base_image
from generator.images.context import image_context
from generator.model.deployment import Deployment, Function

__all__ = ["MAIN_PURPOSE", "image_blueprints", "main_function", "render_image_contexts"]

MAIN_PURPOSE = "process"
"""The purpose of the function whose handler is the image's default ``CMD``."""


def is_image(deployment: Deployment) -> bool:
    """Whether ``deployment``'s blueprint is packaged as a container image."""
    return getattr(deployment.spec, "package", "zip") == "image"


def image_blueprints(deployments: Sequence[Deployment]) -> list[str]:
    """The blueprints packaged as images, sorted, each once."""
    return sorted({d.blueprint for d in deployments if is_image(d)})


def main_function(deployment: Deployment) -> Function:
    """The function whose handler is the image's ``CMD``: ``process``, else the first."""
    functions: tuple[Function, ...] = deployment.resources.functions
    for function in functions:
        if function.purpose == MAIN_PURPOSE:
            return function
    return functions[0]


def render_image_contexts(
    deployments: Sequence[Deployment], bundle: Any, runtime: str, architecture: str
) -> dict[PurePosixPath, bytes]:
    """``images/<blueprint>/`` for every image blueprint in ``deployments``, built from
    ``bundle`` (the zip its functions would otherwise run) on the reviewed base image of
    ``runtime`` × ``architecture``."""
    handlers: dict[str, str] = {}
    for deployment in sorted(deployments, key=lambda d: d.key):
        if not is_image(deployment):
            continue
        handler = main_function(deployment).handler
        if handlers.setdefault(deployment.blueprint, handler) != handler:
            msg = f"{deployment.blueprint}: main handler differs between environments"
            raise ValueError(msg)
    tree: dict[PurePosixPath, bytes] = {}
    for blueprint, handler in sorted(handlers.items()):
        base = base_image(runtime, architecture)
        tree.update(image_context(blueprint, bundle.data, base, handler))
    return tree
