"""kind: AuthFlow: each case is a small patch and the exact errors it produces."""

from __future__ import annotations

import pytest

from tests.blueprint.bases import AUTH_FLOW
from tests.blueprint.cases import DELETE, Case, E, case, check, dump, load_blueprint_text, patched

FILE = "blueprints/citizen-login.yaml"
S = "spec."
SSM_FIELDS = (
    "client_id_parameter",
    "signing_key_parameter",
    "encryption_key_parameter",
    "state_key_parameter",
    "public_jwks_parameter",
)

CASES = [
    # --- the envelope -----------------------------------------------------------------
    case(
        "kind near miss",
        {"kind": "Authflow"},
        E("kind", "'Authflow' is not one of the allowed values", hint="did you mean 'AuthFlow'?"),
    ),
    case(
        "kind missing",
        {"kind": DELETE},
        E("kind", "required field 'kind' is missing", at="parent"),
    ),
    case(
        "apiVersion as a number",
        {"apiVersion": 1},
        E("apiVersion", "1 is not one of the allowed values", allowed="trellis/v1"),
    ),
    case(
        "metadata missing",
        {"metadata": DELETE},
        E("metadata", "required field 'metadata' is missing", at="parent"),
    ),
    case(
        "metadata a string",
        {"metadata": "citizen-login"},
        E("metadata", "'citizen-login' is a string; expected a mapping"),
    ),
    case(
        "metadata team missing",
        {"metadata.team": DELETE},
        E("metadata.team", "required field 'team'", hint="add team: <value>", at="parent"),
    ),
    case(
        "metadata name starting with a digit",
        {"metadata.name": "1login"},
        E("metadata.name", "'1login' is not a valid name", hint="'login'"),
    ),
    case(
        "metadata name near miss key",
        {"metadata.nmae": "x", "metadata.name": DELETE},
        E("metadata.name", "required field 'name'", at="parent"),
        E("metadata.nmae", "unknown field 'nmae'", hint="did you mean 'name'?", at="key"),
    ),
    case(
        "spec null",
        {"spec": None},
        E("spec", "the value is empty (null); expected a mapping", at="after-key"),
    ),
    # --- provider, profile, issuer ----------------------------------------------------
    case(
        "provider other",
        {S + "provider": "myinfo"},
        E(S + "provider", "'myinfo' is not one of the allowed values", allowed="singpass"),
    ),
    case(
        "provider near miss",
        {S + "provider": "singpas"},
        E(S + "provider", "not one of the allowed values", hint="did you mean 'singpass'?"),
    ),
    case(
        "provider missing",
        {S + "provider": DELETE},
        E(S + "provider", "required field 'provider'", at="parent"),
    ),
    case(
        "profile near miss",
        {S + "profile": "fapi"},
        E(S + "profile", "'fapi' is not one of", allowed="fapi2, legacy", hint="'fapi2'"),
    ),
    case(
        "profile uppercase",
        {S + "profile": "FAPI2"},
        E(S + "profile", "'FAPI2' is not one of", hint="did you mean 'fapi2'?"),
    ),
    case(
        "profile legacy allowed",
        {S + "profile": "legacy", S + "authentication_context_type": DELETE},
    ),
    case(
        "fapi2 without an authentication context type",
        {S + "authentication_context_type": DELETE},
        E(
            S + "authentication_context_type",
            "authentication_context_type is required with profile fapi2",
            hint="Singpass requires it",
            at="parent",
        ),
    ),
    case(
        "legacy with an authentication context type",
        {S + "profile": "legacy"},
        E(
            S + "authentication_context_type",
            "authentication_context_type is a FAPI 2.0 parameter",
            hint="use profile fapi2",
        ),
    ),
    case(
        "legacy with Myinfo scopes",
        {
            S + "profile": "legacy",
            S + "authentication_context_type": DELETE,
            S + "scopes": ["openid", "name"],
        },
        E(S + "scopes", "Myinfo scopes need profile fapi2", allowed="scopes: [openid]"),
    ),
    case(
        "authentication context type lowercase",
        {S + "authentication_context_type": "app_authentication_default"},
        E(S + "authentication_context_type", "is not a Singpass authentication context type"),
    ),
    case(
        "authentication context message too long",
        {S + "authentication_context_message": "x" * 101},
        E(S + "authentication_context_message", "at most 100 characters"),
    ),
    case(
        "authentication context message with a newline",
        {S + "authentication_context_message": "Sign in\nnow"},
        E(S + "authentication_context_message", "has control characters"),
    ),
    case(
        "acr value with a space",
        {S + "acr_values": ["urn:singpass loa:2"]},
        E(S + "acr_values.0", "is not an acr value"),
    ),
    case(
        "parameters kms key not an ARN",
        {S + "parameters_kms_key_arn": "alias/singpass"},
        E(S + "parameters_kms_key_arn", "'alias/singpass' is not a KMS key ARN"),
    ),
    case(
        "throttle rate zero",
        {S + "throttle": {"rate_per_second": 0}},
        E(S + "throttle.rate_per_second", "0 must be at least 1"),
    ),
    case(
        "issuer plain http",
        {S + "issuer": "http://id.singpass.gov.sg/fapi"},
        E(S + "issuer", "uses plain http", hint="'https://id.singpass.gov.sg/fapi'"),
    ),
    case(
        "issuer with credentials",
        {S + "issuer": "https://rp:pw@id.singpass.gov.sg/fapi"},
        E(S + "issuer", "the URL carries credentials"),
    ),
    case("issuer on localhost", {S + "issuer": "http://localhost:5156/singpass/v2"}),
    case(
        "issuer not a URL",
        {S + "issuer": "id.singpass.gov.sg"},
        E(S + "issuer", "'id.singpass.gov.sg' is not an absolute URL"),
    ),
    case(
        "issuer missing",
        {S + "issuer": DELETE},
        E(S + "issuer", "required field 'issuer'", at="parent"),
    ),
    case(
        "issuer a list",
        {S + "issuer": ["https://a.example"]},
        E(S + "issuer", "is a list; expected a string"),
    ),
    # --- SSM parameters ---------------------------------------------------------------
    *(
        case(
            f"{name} relative",
            {S + name: "identity/x"},
            E(S + name, "'identity/x' is not an absolute SSM parameter name", hint="'/identity/x'"),
        )
        for name in SSM_FIELDS
    ),
    *(
        case(
            f"{name} with dot-dot",
            {S + name: "/identity/../root"},
            E(S + name, "may not contain '..' or '//'"),
        )
        for name in SSM_FIELDS
    ),
    *(
        case(
            f"{name} with a double slash",
            {S + name: "/identity//key"},
            E(S + name, "may not contain '..' or '//'"),
        )
        for name in SSM_FIELDS
    ),
    *(
        case(
            f"{name} with a colon",
            {S + name: "/identity/key:1"},
            E(S + name, "has characters SSM does not allow", allowed="letters, digits"),
        )
        for name in SSM_FIELDS
    ),
    *(
        case(
            f"{name} missing",
            {S + name: DELETE},
            E(S + name, f"required field {name!r} is missing", at="parent"),
        )
        for name in SSM_FIELDS
    ),
    case(
        "signing and encryption the same parameter",
        {S + "encryption_key_parameter": "/identity/singpass/rp-signing-jwk"},
        E(
            S + "encryption_key_parameter",
            "encryption_key_parameter is the same parameter as signing_key_parameter",
            hint="separate signing and encryption keys",
        ),
    ),
    case(
        "public JWKS in the state key parameter",
        {S + "public_jwks_parameter": "/identity/singpass/state-keys"},
        E(
            S + "public_jwks_parameter",
            "public_jwks_parameter is the same parameter as state_key_parameter",
            allowed="five distinct SSM parameters",
        ),
    ),
    # --- paths, scopes, session, domain -------------------------------------------------
    case(
        "redirect path relative",
        {S + "redirect_path": "auth/callback"},
        E(S + "redirect_path", "'auth/callback' is not an absolute URL path"),
    ),
    case(
        "redirect path with a query",
        {S + "redirect_path": "/auth/callback?x=1"},
        E(S + "redirect_path", "is not an absolute URL path"),
    ),
    case(
        "redirect path outside /auth/",
        {S + "redirect_path": "/callback"},
        E(S + "redirect_path", "redirect_path '/callback' is not under /auth/", hint="routes only"),
    ),
    case(
        "redirect path with dot-dot",
        {S + "redirect_path": "/auth/../admin"},
        E(S + "redirect_path", "is not an absolute URL path"),
    ),
    case(
        "return paths empty",
        {S + "allowed_return_paths": []},
        E(S + "allowed_return_paths", "must be at least 1 items"),
    ),
    case(
        "return path a full URL",
        {S + "allowed_return_paths.1": "https://evil.example/profile"},
        E(S + "allowed_return_paths.1", "is not an absolute URL path"),
    ),
    case(
        "return path protocol-relative",
        {S + "allowed_return_paths.0": "//evil.example"},
        E(S + "allowed_return_paths.0", "is not an absolute URL path"),
    ),
    case(
        "return paths a string",
        {S + "allowed_return_paths": "/dashboard"},
        E(S + "allowed_return_paths", "'/dashboard' is a string; expected a list"),
    ),
    case(
        "return paths missing",
        {S + "allowed_return_paths": DELETE},
        E(S + "allowed_return_paths", "required field", at="parent"),
    ),
    case(
        "scopes without openid",
        {S + "scopes": ["myinfo.name"]},
        E(S + "scopes", "scopes must include 'openid'", hint="add openid to scopes"),
    ),
    case(
        "scopes with a repeat",
        {S + "scopes": ["openid", "uinfin", "openid"]},
        E(S + "scopes.2", "scopes lists 'openid' twice", allowed="each scope once"),
    ),
    case("scopes empty", {S + "scopes": []}, E(S + "scopes", "must be at least 1 items")),
    case(
        "scope a number",
        {S + "scopes.0": 1},
        E(S + "scopes.0", "1 is an integer; expected a string"),
    ),
    case(
        "session ttl zero",
        {S + "session_ttl_minutes": 0},
        E(S + "session_ttl_minutes", "0 must be at least 1"),
    ),
    case(
        "session ttl above an hour",
        {S + "session_ttl_minutes": 61},
        E(S + "session_ttl_minutes", "61 must be at most 60", allowed="at most 60"),
    ),
    case(
        "session ttl quoted",
        {S + "session_ttl_minutes": "15"},
        E(S + "session_ttl_minutes", "is a string; expected an integer", hint="without quotes"),
    ),
    case(
        "domain uppercase",
        {S + "domain": "Portal.Example.gov.sg"},
        E(S + "domain", "is not a lowercase DNS name"),
    ),
    case(
        "domain with a scheme",
        {S + "domain": "https://portal.example.gov.sg"},
        E(S + "domain", "is not a lowercase DNS name", allowed="portal.example.gov.sg"),
    ),
    case(
        "domain without a dot",
        {S + "domain": "localhost"},
        E(S + "domain", "is not a lowercase DNS name"),
    ),
    case(
        "domain missing",
        {S + "domain": DELETE},
        E(S + "domain", "required field 'domain'", at="parent"),
    ),
    case(
        "unknown spec field near miss",
        {S + "session_ttl": 15},
        E(S + "session_ttl", "unknown field", hint="did you mean 'session_ttl_minutes'?", at="key"),
    ),
    case(
        "unknown spec field far from any",
        {S + "colour": "blue"},
        E(
            S + "colour",
            "unknown field 'colour'",
            hint="remove it",
            allowed="allowed_return_paths",
            at="key",
        ),
    ),
    case(
        "ingestion field in an auth flow",
        {S + "trigger": {"schedule": "rate(1 hour)"}},
        E(S + "trigger", "unknown field 'trigger'", at="key"),
    ),
]


def test_the_base_document_is_valid() -> None:
    """The base AuthFlow validates without a single diagnostic."""
    assert load_blueprint_text(FILE, dump(AUTH_FLOW)) == []


def test_there_are_at_least_fifty_failing_cases() -> None:
    """The table covers at least fifty ways to get an AuthFlow wrong."""
    assert sum(1 for c in CASES if c.errors) >= 50


@pytest.mark.parametrize("case_", CASES, ids=lambda c: c.id)
def test_case(case_: Case) -> None:
    """The patched document produces exactly the expected errors, at the right place."""
    text = dump(patched(AUTH_FLOW, case_.patch))
    check(case_, load_blueprint_text(FILE, text), text, FILE)
