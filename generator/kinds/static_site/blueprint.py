"""``kind: StaticSite``: a single-page application from private S3 through CloudFront."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from generator.blueprint.kinds.common import (
    Hostname,
    Name,
    SsmParameterName,
    StrictModel,
    rule_error,
    string_schema,
)

_ACM_ARN_RE = re.compile(
    r"^arn:aws:acm:(?P<region>[a-z0-9-]+):[0-9]{12}:certificate/[A-Za-z0-9-]+$"
)


def _certificate_arn(value: str) -> str:
    match = _ACM_ARN_RE.match(value)
    if not match:
        raise rule_error(
            f"{value!r} is not an ACM certificate ARN",
            allowed="arn:aws:acm:us-east-1:<account>:certificate/<id>",
        )
    if match["region"] != "us-east-1":
        raise rule_error(
            f"the certificate is in {match['region']}; CloudFront only uses certificates "
            "in us-east-1",
            allowed="arn:aws:acm:us-east-1:...",
            hint="request or import the certificate in us-east-1",
        )
    return value


CertificateArn = Annotated[
    str,
    AfterValidator(_certificate_arn),
    string_schema(
        r"^arn:aws:acm:us-east-1:[0-9]{12}:certificate/[A-Za-z0-9-]+$",
        "ACM certificate ARN in us-east-1 (CloudFront's region)",
    ),
]


class StaticSiteSpec(StrictModel):
    """``spec`` of ``kind: StaticSite``."""

    domain: Hostname | None = None
    certificate_arn: CertificateArn | None = None
    spa_fallback: bool = True
    price_class: Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"] = "PriceClass_100"
    auth_flow: Name | None = None
    waf: bool | None = None
    external_parameters: list[SsmParameterName] = Field(default_factory=list)
    """SSM parameters the stack reads that no trellis stack writes (created before the
    first apply by hand or by another tool), such as an auth API's domain published
    elsewhere. Names are per environment: set them in the environments' overrides."""

    @model_validator(mode="after")
    def _domain_needs_certificate(self) -> StaticSiteSpec:
        if (self.domain is None) != (self.certificate_arn is None):
            raise rule_error(
                "domain and certificate_arn go together",
                allowed="both (custom domain) or neither (the CloudFront domain)",
                hint="add certificate_arn for the domain, or remove domain"
                if self.domain is not None
                else "add the domain the certificate is for, or remove certificate_arn",
                field="domain" if self.domain is not None else "certificate_arn",
            )
        return self


SPEC_MODEL = StaticSiteSpec
"""The model of this kind's ``spec`` (looked up by :func:`generator.kind_registry.spec_model`)."""
