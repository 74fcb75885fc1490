"""Resolve a static site: the names of its buckets and of the login API it fronts."""

from __future__ import annotations

from generator.kinds.static_site.blueprint import StaticSiteSpec
from generator.kinds.static_site.resources import StaticSiteResources
from generator.model import names
from generator.model.deployment import ParameterRead, Target
from generator.model.resolve import kms_alias


def static_site_resources(
    blueprint: str, spec: StaticSiteSpec, target: Target, auth_flow_names: set[str] | frozenset[str]
) -> StaticSiteResources:
    """Names of a site's buckets; WAF on by default where applies need approval."""
    auth_api = None
    auth_api_parameter = None
    if spec.auth_flow and spec.auth_flow in auth_flow_names:
        auth_api = names.scoped_name(
            names.GENERIC, target.env, target.namespace, spec.auth_flow, "api"
        )
    if spec.auth_flow and (spec.auth_flow in auth_flow_names or spec.external_parameters):
        # an unknown auth_flow is the loader's error (repo.reference), not a read
        name = names.ssm_parameter(target.env, spec.auth_flow, "api-domain", target.namespace)
        auth_api_parameter = ParameterRead(
            name=name, field=("spec", "auth_flow"), external=name in spec.external_parameters
        )
    return StaticSiteResources(
        bucket=names.scoped_name(
            names.S3_BUCKET,
            target.env,
            target.namespace,
            blueprint,
            "site",
            target.account_id,
            target.region,
        ),
        log_bucket=names.scoped_name(
            names.S3_BUCKET,
            target.env,
            target.namespace,
            blueprint,
            "logs",
            target.account_id,
            target.region,
        ),
        kms_alias=kms_alias(target, blueprint),
        waf_enabled=spec.waf if spec.waf is not None else target.approval == "required",
        auth_api_name=auth_api,
        auth_api_parameter=auth_api_parameter,
    )
