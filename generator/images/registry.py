"""Where an image blueprint's images live: the environment's ECR repository.

Bootstrap creates one repository per image blueprint per environment, named
``<resource prefix><blueprint>`` (``generator/modules/bootstrap/ecr.tf``); a root stack
names the same repository by URL without reading it (an offline plan has no registry to
ask), and deploys the image pushed there by digest: ``<repository_url>@<var.image_digest>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.deployment import Target

__all__ = ["IMAGE_DIGEST_VARIABLE", "ImageRepository", "image_repository"]

IMAGE_DIGEST_VARIABLE = "image_digest"
"""The root variable an image stack's digest arrives in (``TF_VAR_image_digest`` in CI)."""
_DNS_SUFFIX = {"aws": "amazonaws.com", "aws-cn": "amazonaws.com.cn", "aws-us-gov": "amazonaws.com"}


@dataclass(frozen=True)
class ImageRepository:
    """The ECR repository of one image blueprint in one environment."""

    name: str
    url: str
    arn: str


def image_repository(target: Target, blueprint: str) -> ImageRepository:
    """``target``'s repository for ``blueprint``'s images (the name bootstrap gives it).

    Raises:
        ValueError: a partition trellis does not know the registry domain of.
    """
    if target.partition not in _DNS_SUFFIX:
        raise ValueError(f"no ECR domain known for partition {target.partition!r}")
    name = f"{target.prefix}{blueprint}"
    host = f"{target.account_id}.dkr.ecr.{target.region}.{_DNS_SUFFIX[target.partition]}"
    return ImageRepository(
        name=name, url=f"{host}/{name}", arn=target.arn("ecr", f"repository/{name}")
    )
