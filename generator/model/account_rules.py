"""Rules that hold between a blueprint's resolved spec and the account it deploys to.

A StaticSite's custom domain is a CloudFront alternate domain name, which belongs to one
distribution worldwide (a second one fails with ``CNAMEAlreadyExists``), and its
certificate must be an ACM certificate of the environment's own account in us-east-1
(CloudFront cannot use one held in another account). Both are per environment, set in each
environment's ``overrides``; :func:`site_domain_problems` reports a certificate of another
account and a domain two deployments share.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator import kind_registry
from generator.blueprint.loader import Repository
from generator.blueprint.yaml_source import Path_, has_path
from generator.errors import Diagnostic
from generator.model.deployment import Deployment


def _where(repository: Repository, deployment: Deployment, field: str) -> tuple[str, Path_]:
    """The file and path a person edits to change ``spec.<field>`` of ``deployment``."""
    environment = next(e for e in repository.environments if e.name == deployment.target.env)
    override = environment.environment.overrides.get(deployment.blueprint) or {}
    if has_path(override, (field,)):
        return environment.document.file, ("overrides", deployment.blueprint, field)
    return deployment.source_file, ("spec", field)


def _diagnostic(
    repository: Repository, deployment: Deployment, field: str, **details: str
) -> Diagnostic:
    file, path = _where(repository, deployment, field)
    documents = {e.document.file: e.document for e in repository.environments}
    documents.update({b.file: b.document for b in repository.blueprints})
    line, column = documents[file].position(path) or (None, None)
    dotted = ".".join(map(str, path))
    return Diagnostic(file=file, line=line, column=column, path=dotted, **details)


def site_domain_problems(
    repository: Repository, deployments: Sequence[Deployment]
) -> list[Diagnostic]:
    """Certificates from another account, and custom domains shared by two deployments."""
    problems: list[Diagnostic] = []
    owners: dict[str, Deployment] = {}
    for deployment in deployments:
        spec = deployment.spec
        certificate = getattr(spec, "certificate_arn", None)
        domain = getattr(spec, "domain", None)
        if not kind_registry.plugin(deployment.kind).cloudfront_domain:
            continue
        if not certificate or not domain:
            continue
        account = deployment.target.account_id
        certificate_account = certificate.split(":")[4]
        if certificate_account != account:
            problems.append(
                _diagnostic(
                    repository,
                    deployment,
                    "certificate_arn",
                    message=f"the certificate of {deployment.blueprint} in "
                    f"{deployment.target.env} is held by account {certificate_account}; "
                    f"CloudFront in account {account} can only use its own certificates",
                    code="resolve.certificate-account",
                    value=certificate,
                    allowed=f"arn:aws:acm:us-east-1:{account}:certificate/<id>",
                    hint=f"request the certificate for {domain} in account {account} (us-east-1) "
                    f"and set it in environments/{deployment.target.env}.yaml "
                    f"overrides.{deployment.blueprint}.certificate_arn",
                )
            )
        first = owners.setdefault(domain, deployment)
        if first is not deployment:
            problems.append(
                _diagnostic(
                    repository,
                    deployment,
                    "domain",
                    message=f"{deployment.key} and {first.key} both serve {domain}: an "
                    "alternate domain name belongs to one CloudFront distribution "
                    "(CNAMEAlreadyExists)",
                    code="resolve.shared-domain",
                    value=domain,
                    allowed=f"one domain per environment, such as {deployment.target.env}.{domain}",
                    hint=f"set overrides.{deployment.blueprint}.domain (and its certificate_arn) "
                    f"in environments/{deployment.target.env}.yaml",
                )
            )
    return problems
