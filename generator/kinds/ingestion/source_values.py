"""The values ``spec.source.http`` is made of: URLs, origins, parameter names, scopes, templates.

Each annotated type checks one value and says what a good one looks like, so an error
points at the field a person has to change. Used by the source's models
(:mod:`generator.kinds.ingestion.source` and the ``source_*`` modules beside it).
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

from generator.blueprint.kinds.common import DOT_PATH_RE, rule_error, string_schema
from generator.blueprint.validation import suggest

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
LAMBDA_MAX_TIMEOUT_SECONDS = 900
TEMPLATE_RE = re.compile(r"\$\{([^}]*)\}")
TEMPLATE_NAMES = ("now", "since")
"""``${since}``: the incremental lower bound; ``${now}``: when the run started (UTC)."""
PARAM_RE = re.compile(r"^[A-Za-z0-9_.\-\[\]]{1,64}$")
SCOPE_RE = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]{1,128}$")


def _source_url(value: str) -> str:
    parts = urlsplit(value)
    if any(c.isspace() for c in value):
        raise rule_error(
            f"{value!r} contains whitespace",
            allowed="a URL without spaces (percent-encode them as %20)",
        )
    if parts.username is not None or parts.password is not None:
        raise rule_error(
            "the URL carries credentials (user:password@); they would be committed to git",
            allowed="https://host/path without user information",
            hint="store the secret in SSM and use one of the auth methods",
        )
    if parts.scheme == "https" and parts.hostname:
        return value
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return value
    if parts.scheme == "http":
        raise rule_error(
            f"{value!r} uses plain http",
            allowed="https URLs (http only for localhost)",
            hint=f"use {value.replace('http://', 'https://', 1)!r}",
        )
    raise rule_error(
        f"{value!r} is not an absolute URL",
        allowed="https://host/path",
        hint="include the scheme and host",
    )


def _origin(value: str) -> str:
    _source_url(value)
    parts = urlsplit(value)
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        origin = f"{parts.scheme}://{parts.netloc}"
        raise rule_error(
            f"{value!r} is not an origin: it has a path, query or fragment",
            allowed="scheme://host[:port], e.g. https://api2.example.com",
            hint=f"use {origin!r}",
        )
    return value.rstrip("/")


def _param(value: str) -> str:
    if not PARAM_RE.match(value):
        raise rule_error(
            f"{value!r} is not a query or body parameter name",
            allowed="1-64 letters, digits and _ . - [ ]",
        )
    return value


def _records_path(value: str) -> str:
    if value and not DOT_PATH_RE.match(value):
        raise rule_error(
            f"{value!r} is not a dot path",
            allowed="keys separated by dots, e.g. data.items, or '' for a body that is a list",
        )
    return value


def _scope(value: str) -> str:
    if not SCOPE_RE.match(value):
        raise rule_error(
            f"{value!r} is not an OAuth2 scope",
            allowed="printable ASCII without spaces, quotes or backslashes (RFC 6749 3.3)",
            hint="list each scope as its own item",
        )
    return value


def _check_placeholders(value: str, field: str | None = None) -> None:
    """Raise for the first ``${name}`` in ``value`` that trellis does not replace."""
    for name in TEMPLATE_RE.findall(value):
        if name not in TEMPLATE_NAMES:
            close = suggest(name, TEMPLATE_NAMES)
            raise rule_error(
                f"{value!r} uses the placeholder ${{{name}}}, which trellis does not know",
                allowed="${since} (the incremental lower bound) and ${now} (the run's start)",
                hint=f"did you mean ${{{close}}}?" if close else "write $ and { apart",
                field=field,
            )


def _templated(value: str) -> str:
    _check_placeholders(value)
    return value


HttpUrl = Annotated[
    str,
    AfterValidator(_source_url),
    string_schema("^https?://", "https URL (http only for localhost)"),
]
Origin = Annotated[
    str,
    AfterValidator(_origin),
    string_schema("^https?://[^/]+/?$", "scheme://host[:port]"),
]
ParamName = Annotated[
    str,
    Field(min_length=1, max_length=64),
    AfterValidator(_param),
    string_schema(PARAM_RE.pattern, "query or body parameter name"),
]
RecordsPath = Annotated[
    str,
    AfterValidator(_records_path),
    string_schema(r"^([A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*)?$", "dot path, or '' for the body"),
]
Scope = Annotated[str, AfterValidator(_scope), string_schema(SCOPE_RE.pattern, "OAuth2 scope")]
TemplatedText = Annotated[
    str,
    AfterValidator(_templated),
    string_schema(r"^[^\n]*$", "text; ${since} and ${now} are replaced per run"),
]


def templates_in(value: object) -> set[str]:
    """Every ``${name}`` placeholder anywhere in a JSON-like value."""
    if isinstance(value, str):
        return set(TEMPLATE_RE.findall(value))
    if isinstance(value, dict):
        return set().union(*(templates_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(templates_in(v) for v in value)) if value else set()
    return set()


def check_body_templates(value: object, where: str) -> None:
    """Raise for an unknown ``${name}`` anywhere in a POST body, naming where it is."""
    if isinstance(value, str):
        _check_placeholders(value, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_body_templates(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_body_templates(item, f"{where}.{index}")
