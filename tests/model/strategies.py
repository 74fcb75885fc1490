"""Hypothesis strategies for valid blueprints and environments of every kind.

Each strategy draws only documents the format allows, so "it validates" is the property
under test, not an assumption: cross-field rules are satisfied by construction (the key
among the fields, the request timeout below the function's, domain with certificate...).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from generator.blueprint.kinds.environment import S3_RESERVED_PREFIXES

NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-"
REGIONS = ("ap-southeast-1", "eu-west-1", "us-east-1", "us-gov-west-1", "ap-northeast-3")


@st.composite
def names(draw: st.DrawFn, min_size: int = 3, max_size: int = 30) -> str:
    """A name matching ^[a-z][a-z0-9-]{1,28}[a-z0-9]$, often long, often with dashes."""
    size = draw(st.one_of(st.integers(min_size, max_size), st.just(max_size)))
    first = draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    middle = draw(st.text(NAME_CHARS, min_size=size - 2, max_size=size - 2))
    last = draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789"))
    return first + middle + last


def env_names() -> st.SearchStrategy[str]:
    """A valid environment name: a name that does not start with a prefix S3 reserves."""
    return names().filter(lambda n: not n.startswith(S3_RESERVED_PREFIXES))


identifiers = st.from_regex(r"[a-z_][a-z0-9_]{0,15}", fullmatch=True)
dot_paths = st.lists(identifiers, min_size=1, max_size=3).map(".".join)
ssm_names = st.lists(
    st.from_regex(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,19}", fullmatch=True).filter(
        lambda s: ".." not in s
    ),
    min_size=1,
    max_size=4,
).map(lambda parts: "/" + "/".join(parts))
url_paths = st.lists(st.from_regex(r"[a-z0-9_-]{1,10}", fullmatch=True), max_size=3).map(
    lambda parts: "/" + "/".join(parts)
)


@st.composite
def schedules(draw: st.DrawFn) -> str:
    """A valid EventBridge rate() or cron() expression."""
    if draw(st.booleans()):
        value = draw(st.integers(1, 1000))
        unit = draw(st.sampled_from(["minute", "hour", "day"]))
        return f"rate({value} {unit}{'' if value == 1 else 's'})"
    minute = draw(st.sampled_from(["0", "15", "*/5", "0,30"]))
    hour = draw(st.sampled_from(["*", "2", "9-17"]))
    if draw(st.booleans()):
        day_of_month, day_of_week = "?", draw(st.sampled_from(["MON", "MON-FRI", "*"]))
    else:
        day_of_month, day_of_week = draw(st.sampled_from(["*", "1", "L"])), "?"
    return f"cron({minute} {hour} {day_of_month} * {day_of_week} *)"


@st.composite
def ingestion_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid IngestionPipeline spec."""
    fields = draw(st.dictionaries(identifiers, dot_paths, min_size=1, max_size=6))
    key = draw(st.sampled_from(sorted(fields)))
    others = sorted(set(fields) - {key})
    ignored = draw(st.lists(st.sampled_from(others), unique=True)) if others else []
    retrieval_timeout = draw(st.integers(2, 900))
    scheduled = draw(st.booleans())
    http: dict[str, Any] = {
        "url": draw(st.sampled_from(["https://api.example.com/v1", "http://localhost:8080/x"])),
        "records_path": draw(dot_paths),
        "method": draw(st.sampled_from(["GET", "POST"])),
        "max_pages": draw(st.integers(1, 100_000)),
        "timeout_seconds": draw(st.integers(1, retrieval_timeout - 1)),
    }
    auth = draw(st.sampled_from(["none", "bearer", "api_key"]))
    if auth == "bearer":
        http["auth"] = {"bearer_token_parameter": draw(ssm_names)}
    elif auth == "api_key":
        http["auth"] = {"api_key_parameter": {"name": draw(ssm_names), "header": "X-Key"}}
    pagination = draw(st.sampled_from(["none", "cursor", "page", "sized"]))
    if pagination == "cursor":
        http["pagination"] = {"cursor": {"param": "cursor", "response_path": draw(dot_paths)}}
    elif pagination == "page":
        http["pagination"] = {"page": {"param": "page", "start": draw(st.integers(0, 5))}}
    elif pagination == "sized":
        size = draw(st.integers(1, 10_000))
        http["pagination"] = {"page": {"param": "p", "size_param": "n", "size": size}}
    processing_timeout = draw(st.integers(1, 900))
    processing: dict[str, Any] = {
        "batch_size": draw(st.integers(1, 10_000)),
        "max_concurrency": draw(st.integers(2, 1000)),
        "memory_mb": draw(st.integers(128, 10_240)),
        "timeout_seconds": processing_timeout,
    }
    if draw(st.booleans()):
        processing["visibility_timeout_seconds"] = draw(st.integers(6 * processing_timeout, 43_200))
    base_delay = draw(st.integers(1, 60_000))
    return {
        "source": {"http": http},
        "trigger": {"schedule": draw(schedules())} if scheduled else {"queue": {}},
        "retrieval": {
            "concurrency": draw(st.integers(1, 64)),
            "memory_mb": draw(st.integers(128, 10_240)),
            "timeout_seconds": retrieval_timeout,
        },
        "processing": processing,
        "shape": {"key": key, "fields": fields, "ignore_for_change": ignored},
        "store": {"point_in_time_recovery": draw(st.booleans())},
        "retry": {
            "max_attempts": draw(st.integers(1, 20)),
            "base_delay_ms": base_delay,
            "max_delay_ms": draw(st.integers(base_delay, 900_000)),
        },
        "dead_letter": {"retention_days": draw(st.integers(1, 14))},
        "alarms": {"error_rate": draw(st.floats(0.001, 1.0))},
        "package": draw(st.sampled_from(["zip", "image"])),
    }


@st.composite
def auth_flow_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid AuthFlow spec (Myinfo scopes and the Singpass context only with fapi2)."""
    keys = draw(st.lists(ssm_names, min_size=5, max_size=5, unique=True))
    profile = draw(st.sampled_from(["fapi2", "legacy"]))
    spec: dict[str, Any] = {
        "provider": "singpass",
        "profile": profile,
        "issuer": "https://stg-id.singpass.gov.sg/fapi",
        "client_id_parameter": keys[0],
        "signing_key_parameter": keys[1],
        "encryption_key_parameter": keys[2],
        "state_key_parameter": keys[3],
        "public_jwks_parameter": keys[4],
        "redirect_path": "/auth" + draw(url_paths),
        "allowed_return_paths": draw(st.lists(url_paths, min_size=1, max_size=3)),
        "scopes": ["openid"],
        "session_ttl_minutes": draw(st.integers(1, 60)),
        "domain": "login.example.gov.sg",
    }
    if profile == "fapi2":
        extra = draw(st.lists(st.sampled_from(["uinfin", "name", "email"]), unique=True))
        spec["scopes"] = ["openid", *extra]
        spec["authentication_context_type"] = "APP_AUTHENTICATION_DEFAULT"
    return spec


@st.composite
def static_site_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid StaticSite spec (no auth_flow: references are a repository rule; no domain:
    its certificate must be the environment's account's, also a repository rule)."""
    spec: dict[str, Any] = {
        "spa_fallback": draw(st.booleans()),
        "price_class": draw(
            st.sampled_from(["PriceClass_100", "PriceClass_200", "PriceClass_All"])
        ),
    }
    if draw(st.booleans()):
        spec["waf"] = draw(st.booleans())
    return spec


SPEC_STRATEGIES = {
    "IngestionPipeline": ingestion_specs(),
    "AuthFlow": auth_flow_specs(),
    "StaticSite": static_site_specs(),
}


@st.composite
def blueprints(draw: st.DrawFn, name: str | None = None) -> dict[str, Any]:
    """A valid blueprint document of any kind."""
    kind = draw(st.sampled_from(sorted(SPEC_STRATEGIES)))
    return {
        "apiVersion": "trellis/v1",
        "kind": kind,
        "metadata": {"name": name or draw(names()), "team": draw(names())},
        "spec": draw(SPEC_STRATEGIES[kind]),
    }


@st.composite
def environments(draw: st.DrawFn, name: str, account_id: str) -> dict[str, Any]:
    """A valid environment document called ``name`` in ``account_id``."""
    return {
        "name": name,
        "account_id": account_id,
        "region": draw(st.sampled_from(REGIONS)),
        "approval": draw(st.sampled_from(["none", "required"])),
        "github": {"repository": "acme/platform"},
        "log": {"level": draw(st.sampled_from(["DEBUG", "INFO"])), "retention_days": 30},
    }
