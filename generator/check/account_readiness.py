"""Validator ``account_readiness``: what a real account would reject or regret at first apply.

Offline validation proves the Terraform well-formed; these rules catch the classes of
mistake it cannot, each in every root stack of the build:

``TRL_STATE_SSE_S3``
    a ``backend "s3"`` block with ``encrypt = true`` but no ``kms_key_id``: state is then
    written with SSE-S3, overriding the bucket's SSE-KMS default.
``TRL_PROVIDER_NOT_PINNED``
    ``hashicorp/aws`` required with a range (``~> 6.0``) or another version than the
    committed schema's: a saved plan applied after an approval wait may then meet a newer
    provider, which Terraform refuses.
``TRL_STATE_BUCKET_IN_PREFIX``
    a bootstrap whose state bucket's name starts with its ``resource_prefix``: the apply
    role may reconfigure every bucket under that prefix.
``TRL_DEPLOY_BOUNDARY_IS_WORKLOAD``
    a bootstrap whose deploy roles carry the workload permissions boundary, which would cap
    what the apply role can create.

Files are read through the run's one python-hcl2 parse of each text
(:mod:`generator.check.sources`); the rules' results are cached by the text's sha256, with
this code, python-hcl2 and the committed provider version as the cache version. A file
python-hcl2 cannot parse is left to ``hcl_parse``.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator
from typing import Any

from generator.check.context import CheckContext
from generator.check.sources import FileAnalysis, Parsed, code_version, file_result
from generator.check.stacks import stack_for_file
from generator.policy.findings import Finding, Severity

NAME = "account_readiness"
_EXACT_VERSION = re.compile(r"^=?\s*\d+\.\d+\.\d+$")


def _unquote(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _blocks(parsed: dict[str, Any], key: str) -> Iterator[dict[str, Any]]:
    for block in parsed.get(key) or []:
        if isinstance(block, dict):
            yield block


def _finding(check_id: str, message: str, relative: str, fix: str) -> Finding:
    return Finding(
        check_id=check_id,
        severity=Severity.ERROR,
        message=message,
        validator=NAME,
        file=relative,
        stack=stack_for_file(relative),
        fix=fix,
    )


def check_terraform_blocks(parsed: dict[str, Any], relative: str, provider: str) -> list[Finding]:
    """Backend encryption and the provider pin of one file's ``terraform`` blocks."""
    findings: list[Finding] = []
    for terraform in _blocks(parsed, "terraform"):
        for backend in terraform.get("backend") or []:
            labels = (
                {_unquote(k): v for k, v in backend.items()} if isinstance(backend, dict) else {}
            )
            settings = labels.get("s3")
            if not isinstance(settings, dict) or settings.get("encrypt") is not True:
                continue
            if not _unquote(settings.get("kms_key_id")):
                findings.append(
                    _finding(
                        "TRL_STATE_SSE_S3",
                        'backend "s3" sets encrypt = true without kms_key_id: state is '
                        "written with SSE-S3, overriding the bucket's SSE-KMS default",
                        relative,
                        "set kms_key_id to the environment's state key (the bootstrap's "
                        "alias/trellis-tfstate-<env>)",
                    )
                )
        for required in terraform.get("required_providers") or []:
            aws = required.get("aws") if isinstance(required, dict) else None
            if not isinstance(aws, dict):
                continue
            version = str(_unquote(aws.get("version")) or "")
            if not _EXACT_VERSION.match(version) or version.lstrip("= ") != provider:
                findings.append(
                    _finding(
                        "TRL_PROVIDER_NOT_PINNED",
                        f'hashicorp/aws is required as "{version}", not exactly {provider} '
                        "(the committed schema's version): a saved plan could be applied "
                        "with another provider",
                        relative,
                        f'set version = "{provider}" in required_providers',
                    )
                )
    return findings


def check_bootstrap_call(parsed: dict[str, Any], relative: str) -> list[Finding]:
    """The state bucket's name and the deploy roles' boundary in a bootstrap module call."""
    findings: list[Finding] = []
    for module in _blocks(parsed, "module"):
        for arguments in module.values():
            if not isinstance(arguments, dict) or "state_bucket_name" not in arguments:
                continue
            bucket = str(_unquote(arguments.get("state_bucket_name")) or "")
            prefix = str(_unquote(arguments.get("resource_prefix")) or "")
            if bucket and prefix and bucket.startswith(prefix):
                findings.append(
                    _finding(
                        "TRL_STATE_BUCKET_IN_PREFIX",
                        f"the state bucket {bucket} starts with resource_prefix {prefix!r}: "
                        "the apply role may reconfigure it",
                        relative,
                        "name the state bucket outside the prefix "
                        "(trellis-tfstate-<env>-<account>-<region>)",
                    )
                )
            deploy = _unquote(arguments.get("deploy_permissions_boundary_arn"))
            workload = _unquote(arguments.get("permissions_boundary_arn"))
            if deploy and deploy == workload:
                findings.append(
                    _finding(
                        "TRL_DEPLOY_BOUNDARY_IS_WORKLOAD",
                        "the deploy roles carry the workload permissions boundary, which caps "
                        "what the apply role can create (CloudFront, WAF, KMS, IAM)",
                        relative,
                        "set deploy_permissions_boundary in environments/<env>.yaml to a "
                        "boundary written for the deploy roles, or remove it",
                    )
                )
    return findings


def analyse(parsed: Parsed) -> list[dict[str, str]]:
    """The rules' findings for one file's shared parse, as records without a file."""
    from generator.schema.loader import committed_provider_version

    document = parsed.document
    if document is None:
        return []
    found = check_terraform_blocks(document, "", committed_provider_version())
    found += check_bootstrap_call(document, "")
    return [{"check_id": f.check_id, "message": f.message, "fix": f.fix} for f in found]


@functools.cache
def _version() -> str:
    from generator.schema.loader import committed_provider_version

    code = code_version(__file__)
    return hashlib.sha256(f"{code}\0{committed_provider_version()}".encode()).hexdigest()


FILE_ANALYSIS = FileAnalysis(NAME, analyse, _version)


def run(context: CheckContext) -> list[Finding]:
    """Every finding in every root stack's ``.tf`` files."""
    findings: list[Finding] = []
    for stack in context.stacks:
        for path in sorted(stack.path.glob("*.tf")):
            relative = path.relative_to(context.build_dir).as_posix()
            for record in file_result(context, path, NAME):
                findings.append(
                    _finding(record["check_id"], record["message"], relative, record["fix"])
                )
    return findings
