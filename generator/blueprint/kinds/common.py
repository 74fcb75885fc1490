"""Building blocks shared by every kind: the strict base model and constrained types.

Each constrained type raises a :class:`PydanticCustomError` whose context carries what is
allowed and how to fix it, so :mod:`generator.blueprint.validation` can turn it into a
diagnostic a person can act on without reading this code.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, WithJsonSchema
from pydantic_core import PydanticCustomError

NAME_RE = re.compile(r"^[a-z][a-z0-9-]{1,28}[a-z0-9]$")
SSM_NAME_RE = re.compile(r"^/[A-Za-z0-9_.\-/]{1,1010}$")
DOT_PATH_RE = re.compile(r"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*$")
HOSTNAME_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
URL_PATH_RE = re.compile(r"^/[A-Za-z0-9._~\-/]*$")
HTTP_TOKEN_RE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


class StrictModel(BaseModel):
    """Strict, closed and immutable: unknown keys and implicit conversions are errors."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


def rule_error(
    message: str, *, allowed: str, hint: str | None = None, field: str | None = None
) -> PydanticCustomError:
    """A validation error carrying the allowed values and a fix for the diagnostic.

    ``field`` (a dotted path below the model raising it, ``"timeout_seconds"`` or
    ``"ignore_for_change.1"``) is where a cross-field rule is located: the field a person
    has to change, rather than the mapping that holds it.
    """
    context: dict[str, Any] = {"allowed": allowed}
    if hint:
        context["hint"] = hint
    if field:
        context["field"] = field
    return PydanticCustomError("trellis_rule", message, context)


def _name(value: str) -> str:
    if not NAME_RE.match(value):
        raise rule_error(
            f"{value!r} is not a valid name",
            allowed="3-30 characters: lowercase letters, digits and '-', starting with a "
            "letter and ending with a letter or digit",
            hint=f"try {_suggest_name(value)!r}",
        )
    return value


def _suggest_name(value: str) -> str:
    cleaned = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
    cleaned = re.sub(r"^[^a-z]+", "", cleaned)[:30].rstrip("-")
    return cleaned if len(cleaned) >= 3 else "my-name"


def _ssm_name(value: str) -> str:
    if not value.startswith("/"):
        raise rule_error(
            f"{value!r} is not an absolute SSM parameter name",
            allowed="a name starting with '/', e.g. /team/app/secret",
            hint=f"use '/{value}'",
        )
    if ".." in value or "//" in value:
        raise rule_error(
            f"{value!r} may not contain '..' or '//'",
            allowed="path segments of letters, digits, '_', '.', '-'",
        )
    if not SSM_NAME_RE.match(value):
        raise rule_error(
            f"{value!r} has characters SSM does not allow",
            allowed="letters, digits, '_', '.', '-', '/'",
        )
    return value


def _dot_path(value: str) -> str:
    if not DOT_PATH_RE.match(value):
        raise rule_error(
            f"{value!r} is not a dot path",
            allowed="keys separated by dots, e.g. data.items or amount.total",
        )
    return value


def _hostname(value: str) -> str:
    if not HOSTNAME_RE.match(value):
        raise rule_error(
            f"{value!r} is not a lowercase DNS name",
            allowed="a fully qualified domain such as portal.example.gov.sg",
        )
    return value


def _url_path(value: str) -> str:
    if not URL_PATH_RE.match(value) or "//" in value or "/../" in f"{value}/":
        raise rule_error(
            f"{value!r} is not an absolute URL path",
            allowed="a path starting with '/', e.g. /auth/callback",
        )
    return value


def _http_token(value: str) -> str:
    if not HTTP_TOKEN_RE.match(value):
        raise rule_error(
            f"{value!r} is not a valid HTTP header name",
            allowed="letters, digits and !#$%&'*+-.^_`|~",
        )
    return value


def string_schema(pattern: str, description: str) -> WithJsonSchema:
    """The JSON Schema of a constrained string, for editors (``trellis schema``).

    Validators stay the judge; the pattern only lets an editor flag a mistake early.
    """
    return WithJsonSchema({"type": "string", "pattern": pattern, "description": description})


Name = Annotated[
    str,
    AfterValidator(_name),
    string_schema(NAME_RE.pattern, "3-30 characters: a-z, 0-9 and '-', starting with a letter"),
]
SsmParameterName = Annotated[
    str,
    AfterValidator(_ssm_name),
    string_schema(SSM_NAME_RE.pattern, "SSM parameter name starting with '/', without '..'"),
]
DotPath = Annotated[
    str,
    AfterValidator(_dot_path),
    string_schema(DOT_PATH_RE.pattern, "keys separated by dots, e.g. data.items"),
]
Hostname = Annotated[
    str,
    AfterValidator(_hostname),
    string_schema(HOSTNAME_RE.pattern, "lowercase fully qualified domain name"),
]
UrlPath = Annotated[
    str,
    AfterValidator(_url_path),
    string_schema(URL_PATH_RE.pattern, "absolute URL path, e.g. /auth/callback"),
]
HeaderName = Annotated[
    str,
    AfterValidator(_http_token),
    string_schema(HTTP_TOKEN_RE.pattern, "HTTP header name"),
]
