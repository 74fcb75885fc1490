"""CKV_TRL_10: a CloudFront distribution does not turn errors into 200 responses."""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class CloudFrontErrorsNotRewrittenToSuccess(BaseResourceCheck):
    """No ``custom_error_response`` may answer an error with status 200.

    Custom error responses apply to every behaviour of the distribution: a single-page
    application's 403/404 → ``/index.html`` with 200 also turns the auth API's 403 or 404
    under ``/auth/*`` into the site's HTML with 200, which the browser's code takes for
    success. The SPA rewrite belongs in a CloudFront Function on the default behaviour.
    """

    def __init__(self) -> None:
        super().__init__(
            name="Ensure a CloudFront distribution does not rewrite errors into 200 responses",
            id="CKV_TRL_10",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_cloudfront_distribution"],
            guideline="Remove custom_error_response blocks with response_code = 200; do the "
            "SPA fallback in a CloudFront Function (viewer-request) on the default behaviour.",
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = ["custom_error_response"]
        for block in conf.get("custom_error_response") or []:
            entries = block if isinstance(block, list) else [block]
            for entry in entries:
                if not isinstance(entry, dict):
                    continue
                code = entry.get("response_code")
                code = code[0] if isinstance(code, list) and code else code
                if str(code) == "200":
                    return CheckResult.FAILED
        return CheckResult.PASSED


check = CloudFrontErrorsNotRewrittenToSuccess()
