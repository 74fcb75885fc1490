"""kind: StaticSite: each case is a small patch and the exact errors it produces."""

from __future__ import annotations

import pytest

from tests.blueprint.bases import STATIC_SITE
from tests.blueprint.cases import DELETE, Case, E, case, check, dump, load_blueprint_text, patched

FILE = "blueprints/portal.yaml"
S = "spec."
ARN = "arn:aws:acm:us-east-1:111111111111:certificate/"

CASES = [
    # --- the envelope -----------------------------------------------------------------
    case(
        "kind near miss",
        {"kind": "StaticSites"},
        E("kind", "'StaticSites' is not one of", hint="did you mean 'StaticSite'?"),
    ),
    case(
        "kind lowercase",
        {"kind": "staticsite"},
        E("kind", "not one of the allowed values", hint="did you mean 'StaticSite'?"),
    ),
    case(
        "kind unrelated",
        {"kind": "Database"},
        E("kind", "'Database' is not one of", allowed="IngestionPipeline, AuthFlow, StaticSite"),
    ),
    case(
        "apiVersion v1 without the group",
        {"apiVersion": "v1"},
        E("apiVersion", "unsupported apiVersion 'v1'", hint="write apiVersion: trellis/v1"),
    ),
    case(
        "api_version spelled in snake case",
        {"apiVersion": DELETE, "api_version": "trellis/v1"},
        E("apiVersion", "required field 'apiVersion'", at="parent"),
        E("api_version", "unknown field", hint="did you mean 'apiVersion'?", at="key"),
    ),
    case(
        "metadata name with a dot",
        {"metadata.name": "portal.site"},
        E("metadata.name", "'portal.site' is not a valid name", hint="'portal-site'"),
    ),
    case(
        "metadata name a boolean",
        {"metadata.name": True},
        E("metadata.name", "true is a boolean; expected a string", hint='quote it: "true"'),
    ),
    case(
        "metadata description a list",
        {"metadata.description": ["a", "b"]},
        E("metadata.description", "is a list; expected a string"),
    ),
    case("metadata description null", {"metadata.description": None}),
    case(
        "metadata team empty",
        {"metadata.team": ""},
        E("metadata.team", "'' is not a valid name"),
    ),
    case(
        "spec a string",
        {"spec": "portal"},
        E("spec", "'portal' is a string; expected a mapping"),
    ),
    case("spec empty is all defaults", {"spec": {}}),
    # --- domain and certificate --------------------------------------------------------
    case(
        "domain without certificate",
        {S + "certificate_arn": DELETE},
        E(
            S + "domain",
            "domain and certificate_arn go together",
            allowed="both (custom domain) or neither",
            hint="add certificate_arn for the domain",
        ),
    ),
    case(
        "certificate without domain",
        {S + "domain": DELETE},
        E(S + "certificate_arn", "go together", hint="add the domain the certificate is for"),
    ),
    case("neither domain nor certificate", {S + "domain": DELETE, S + "certificate_arn": DELETE}),
    case(
        "domain null with a certificate",
        {S + "domain": None},
        E(S + "certificate_arn", "domain and certificate_arn go together"),
    ),
    case(
        "certificate outside us-east-1",
        {S + "certificate_arn": "arn:aws:acm:ap-southeast-1:111111111111:certificate/abc"},
        E(
            S + "certificate_arn",
            "the certificate is in ap-southeast-1; CloudFront only uses certificates in us-east-1",
            hint="request or import the certificate in us-east-1",
        ),
    ),
    case(
        "certificate in eu-west-1",
        {S + "certificate_arn": "arn:aws:acm:eu-west-1:111111111111:certificate/abc"},
        E(S + "certificate_arn", "the certificate is in eu-west-1"),
    ),
    case(
        "certificate from IAM",
        {S + "certificate_arn": "arn:aws:iam::111111111111:server-certificate/portal"},
        E(S + "certificate_arn", "is not an ACM certificate ARN", allowed="arn:aws:acm:us-east-1"),
    ),
    case(
        "certificate account id too short",
        {S + "certificate_arn": "arn:aws:acm:us-east-1:1111:certificate/abc"},
        E(S + "certificate_arn", "is not an ACM certificate ARN"),
    ),
    case(
        "certificate id with a slash",
        {S + "certificate_arn": ARN + "abc/def"},
        E(S + "certificate_arn", "is not an ACM certificate ARN"),
    ),
    case(
        "certificate id empty",
        {S + "certificate_arn": ARN},
        E(S + "certificate_arn", "is not an ACM certificate ARN"),
    ),
    case(
        "certificate an id only",
        {S + "certificate_arn": "0f3c2a9e-portal"},
        E(S + "certificate_arn", "'0f3c2a9e-portal' is not an ACM certificate ARN"),
    ),
    case(
        "certificate a number",
        {S + "certificate_arn": 111111111111},
        E(S + "certificate_arn", "111111111111 is an integer; expected a string"),
    ),
    case(
        "domain uppercase",
        {S + "domain": "Portal.example.gov.sg"},
        E(S + "domain", "'Portal.example.gov.sg' is not a lowercase DNS name"),
    ),
    case(
        "domain with a trailing dot",
        {S + "domain": "portal.example.gov.sg."},
        E(S + "domain", "is not a lowercase DNS name"),
    ),
    case(
        "domain with an underscore",
        {S + "domain": "my_portal.example.gov.sg"},
        E(S + "domain", "is not a lowercase DNS name"),
    ),
    case(
        "domain label of 64 characters",
        {S + "domain": "a" * 64 + ".example.com"},
        E(S + "domain", "is not a lowercase DNS name"),
    ),
    case("domain label of 63 characters", {S + "domain": "a" * 63 + ".example.com"}),
    case(
        "domain with a path",
        {S + "domain": "portal.example.gov.sg/app"},
        E(S + "domain", "is not a lowercase DNS name", allowed="fully qualified domain"),
    ),
    case(
        "domain with a port",
        {S + "domain": "portal.example.gov.sg:443"},
        E(S + "domain", "is not a lowercase DNS name"),
    ),
    case(
        "domain a single label",
        {S + "domain": "portal"},
        E(S + "domain", "'portal' is not a lowercase DNS name"),
    ),
    case(
        "domain starting with a dash",
        {S + "domain": "-portal.example.com"},
        E(S + "domain", "is not a lowercase DNS name"),
    ),
    # --- spa_fallback, price_class, auth_flow, waf ---------------------------------------
    case(
        "spa fallback as a string",
        {S + "spa_fallback": "true"},
        E(S + "spa_fallback", "'true' is a string; expected true or false", hint="without quotes"),
    ),
    case(
        "spa fallback as yes",
        {S + "spa_fallback": "yes"},
        E(S + "spa_fallback", "'yes' is a string; expected true or false"),
    ),
    case(
        "spa fallback as 1",
        {S + "spa_fallback": 1},
        E(S + "spa_fallback", "1 is an integer; expected true or false"),
    ),
    case(
        "spa fallback null",
        {S + "spa_fallback": None},
        E(S + "spa_fallback", "the value is empty (null); expected true or false", at="after-key"),
    ),
    case(
        "price class near miss",
        {S + "price_class": "PriceClass100"},
        E(
            S + "price_class",
            "'PriceClass100' is not one of the allowed values",
            allowed="PriceClass_100, PriceClass_200, PriceClass_All",
            hint="did you mean 'PriceClass_100'?",
        ),
    ),
    case(
        "price class lowercase",
        {S + "price_class": "priceclass_all"},
        E(S + "price_class", "is not one of", hint="did you mean 'PriceClass_All'?"),
    ),
    case(
        "price class as a number",
        {S + "price_class": 100},
        E(S + "price_class", "100 is not one of the allowed values"),
    ),
    case(
        "price class unrelated",
        {S + "price_class": "cheap"},
        E(S + "price_class", "'cheap' is not one of the allowed values"),
    ),
    case("price class all allowed", {S + "price_class": "PriceClass_All"}),
    case(
        "auth flow with capitals",
        {S + "auth_flow": "Citizen-Login"},
        E(S + "auth_flow", "'Citizen-Login' is not a valid name", hint="'citizen-login'"),
    ),
    case(
        "auth flow too short",
        {S + "auth_flow": "cl"},
        E(S + "auth_flow", "'cl' is not a valid name"),
    ),
    case(
        "auth flow as a mapping",
        {S + "auth_flow": {"name": "citizen-login"}},
        E(S + "auth_flow", "is a mapping; expected a string"),
    ),
    case(
        "auth flow as a list",
        {S + "auth_flow": ["citizen-login"]},
        E(S + "auth_flow", "is a list; expected a string"),
    ),
    case("auth flow null", {S + "auth_flow": None}),
    case(
        "waf as a string",
        {S + "waf": "on"},
        E(S + "waf", "'on' is a string; expected true or false"),
    ),
    case("waf off", {S + "waf": False}),
    case("waf as 0", {S + "waf": 0}, E(S + "waf", "0 is an integer; expected true or false")),
    case(
        "waf as a mapping",
        {S + "waf": {"enabled": True}},
        E(S + "waf", "is a mapping; expected true or false"),
    ),
    case(
        "auth flow ending in a dash",
        {S + "auth_flow": "citizen-"},
        E(S + "auth_flow", "'citizen-' is not a valid name", hint="'citizen'"),
    ),
    case(
        "domain with a space",
        {S + "domain": "portal example.gov.sg"},
        E(S + "domain", "is not a lowercase DNS name"),
    ),
    case(
        "certificate in the China partition",
        {S + "certificate_arn": "arn:aws-cn:acm:cn-north-1:111111111111:certificate/abc"},
        E(S + "certificate_arn", "is not an ACM certificate ARN"),
    ),
    # --- unknown keys ---------------------------------------------------------------------
    case(
        "domain misspelled",
        {S + "domian": "portal.example.gov.sg", S + "domain": DELETE},
        # Cross-field rules run once every field is valid: fixing the typo fixes both.
        E(S + "domian", "unknown field 'domian'", hint="did you mean 'domain'?", at="key"),
    ),
    case(
        "certificate misspelled",
        {S + "certficate_arn": ARN + "abc", S + "certificate_arn": DELETE},
        E(S + "certficate_arn", "unknown field", hint="did you mean 'certificate_arn'?", at="key"),
    ),
    case(
        "spa fallback misspelled",
        {S + "spa_fallbak": True},
        E(S + "spa_fallbak", "unknown field", hint="did you mean 'spa_fallback'?", at="key"),
    ),
    case(
        "price class in camel case",
        {S + "priceClass": "PriceClass_100"},
        E(S + "priceClass", "unknown field", hint="did you mean 'price_class'?", at="key"),
    ),
    case(
        "auth flow without underscore",
        {S + "authflow": "citizen-login"},
        E(S + "authflow", "unknown field", hint="did you mean 'auth_flow'?", at="key"),
    ),
    case(
        "index document is not a field",
        {S + "index_document": "index.html"},
        E(
            S + "index_document",
            "unknown field 'index_document'",
            allowed="auth_flow, certificate_arn, domain, external_parameters, price_class, "
            "spa_fallback, waf",
            at="key",
        ),
    ),
    case(
        "two unknown keys",
        {S + "cache": 1, S + "origin": "s3"},
        E(S + "cache", "unknown field 'cache'", at="key"),
        E(S + "origin", "unknown field 'origin'", at="key"),
    ),
]


def test_the_base_document_is_valid() -> None:
    """The base StaticSite validates without a single diagnostic."""
    assert load_blueprint_text(FILE, dump(STATIC_SITE)) == []


def test_there_are_at_least_fifty_failing_cases() -> None:
    """The table covers at least fifty ways to get a StaticSite wrong."""
    assert sum(1 for c in CASES if c.errors) >= 50


@pytest.mark.parametrize("case_", CASES, ids=lambda c: c.id)
def test_case(case_: Case) -> None:
    """The patched document produces exactly the expected errors, at the right place."""
    text = dump(patched(STATIC_SITE, case_.patch))
    check(case_, load_blueprint_text(FILE, text), text, FILE)
