"""Settings from the environment variables the generator sets on each function.

Everything is parsed and validated once, at cold start. A missing or malformed variable
raises :class:`~runtime.core.exceptions.SettingsError` naming the variable, the value and
what is expected, so a wiring mistake fails the first invocation instead of ingesting with
a wrong configuration. The JSON-valued variables use the same keys as the blueprint's
``spec`` sections (``TRELLIS_SOURCE`` is ``spec.source.http``, ``TRELLIS_SHAPE`` is
``spec.shape``); unknown keys are rejected so a renamed key cannot be silently ignored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from runtime import contract
from runtime.core.exceptions import SettingsError
from runtime.core.source_options import (
    ApiKeyQueryAuth,
    BasicAuth,
    CursorHeaderPagination,
    IncrementalSettings,
    LinkHeaderPagination,
    NextUrlPagination,
    OAuth2ClientCredentials,
    OffsetPagination,
)

__all__ = [
    "ApiKeyAuth",
    "BearerAuth",
    "CommonSettings",
    "CursorPagination",
    "PagePagination",
    "ProcessingSettings",
    "RetrievalSettings",
    "RetryPolicy",
    "ShapeSettings",
    "SourceSettings",
    "load_common",
    "load_processing",
    "load_retrieval",
]

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
FUNCTIONS = ("retrieve", "process")
RESERVED_PREFIX = "trellis_"


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff with full jitter: retry *n* waits ``uniform(0, min(max, base·2ⁿ⁻¹))`` ms."""

    max_attempts: int = 5
    base_delay_ms: int = 200
    max_delay_ms: int = 20000


@dataclass(frozen=True)
class CommonSettings:
    """What every function needs: where it runs and how hard it tries."""

    blueprint: str
    environment: str
    function: Literal["retrieve", "process"]
    log_level: str
    retry: RetryPolicy
    stop_max_consecutive_failures: int


@dataclass(frozen=True)
class BearerAuth:
    """``Authorization: Bearer <token>`` with the token read from an SSM SecureString."""

    parameter: str


@dataclass(frozen=True)
class ApiKeyAuth:
    """An API key read from an SSM SecureString, sent in ``header``."""

    parameter: str
    header: str


@dataclass(frozen=True)
class CursorPagination:
    """Next page requested with ``param=<value at response_path>`` until it is empty."""

    param: str
    response_path: str


@dataclass(frozen=True)
class PagePagination:
    """Numbered pages ``param=start, start+1, …``; a page with no records is the last.

    ``size`` is sent as ``size_param`` when both are set (the blueprint has both or neither).
    """

    param: str
    start: int
    size_param: str | None
    size: int | None


Auth = BearerAuth | ApiKeyAuth | ApiKeyQueryAuth | BasicAuth | OAuth2ClientCredentials
"""Every way to authenticate to the source."""
Pagination = (
    CursorPagination
    | PagePagination
    | OffsetPagination
    | LinkHeaderPagination
    | NextUrlPagination
    | CursorHeaderPagination
)
"""Every pagination style."""


@dataclass(frozen=True)
class SourceSettings:
    """The HTTP source (``spec.source.http``)."""

    url: str
    method: Literal["GET", "POST"]
    headers: tuple[tuple[str, str], ...]
    auth: Auth | None
    records_path: str
    pagination: Pagination | None
    max_pages: int
    timeout_seconds: float
    query: tuple[tuple[str, str], ...] = ()
    body: Mapping[str, object] | None = None
    allowed_origins: tuple[str, ...] = ()
    max_requests_per_second: float | None = None


@dataclass(frozen=True)
class RetrievalSettings:
    """Settings of the retrieval function."""

    common: CommonSettings
    queue_url: str
    concurrency: int
    source: SourceSettings
    incremental: IncrementalSettings | None = None


@dataclass(frozen=True)
class ShapeSettings:
    """How a raw record becomes a stored item (``spec.shape``)."""

    key: str
    fields: tuple[tuple[str, str], ...]
    ignore_for_change: frozenset[str]


@dataclass(frozen=True)
class ProcessingSettings:
    """Settings of the processing function."""

    common: CommonSettings
    table_name: str
    backup_bucket: str
    backup_prefix: str
    shape: ShapeSettings
    ttl_days: int | None


# -- readers ------------------------------------------------------------------------------


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "")
    if not value.strip():
        raise SettingsError(name, "is not set; the generator sets it on every function")
    return value.strip()


def _int(env: Mapping[str, str], name: str, low: int, high: int) -> int:
    raw = _required(env, name)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(name, f"{raw!r} is not an integer") from None
    if not low <= value <= high:
        raise SettingsError(name, f"{value} must be between {low} and {high}")
    return value


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    raw = _required(env, name)
    if raw not in allowed:
        raise SettingsError(name, f"{raw!r} must be one of {', '.join(allowed)}")
    return raw


def _json_object(env: Mapping[str, str], name: str) -> dict[str, object]:
    raw = _required(env, name)
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise SettingsError(
            name, f"is not valid JSON ({error.msg} at column {error.colno})"
        ) from None
    if not isinstance(value, dict):
        raise SettingsError(name, f"must be a JSON object, found {type(value).__name__}")
    return value


class _Obj:
    """Typed access to one JSON object inside a variable, with errors naming the key path."""

    def __init__(self, variable: str, path: str, data: Mapping[str, object]) -> None:
        self.variable = variable
        self.path = path
        self.data = data

    def fail(self, key: str, problem: str) -> SettingsError:
        where = f"{self.path}.{key}" if self.path else key
        return SettingsError(self.variable, f"{where} {problem}")

    def only(self, *allowed: str) -> None:
        unknown = sorted(set(self.data) - set(allowed))
        if unknown:
            raise self.fail(unknown[0], f"is not a known key (known: {', '.join(allowed)})")

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, "is required")
        if not isinstance(value, str):
            raise self.fail(key, f"must be a string, found {value!r}")
        return value

    def integer(self, key: str, low: int, high: int, default: int | None = None) -> int:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, "is required")
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be an integer, found {value!r}")
        if not low <= value <= high:
            raise self.fail(key, f"({value}) must be between {low} and {high}")
        return value

    def number(self, key: str, low: float, high: float, default: float) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"must be a number, found {value!r}")
        if not low <= value <= high:
            raise self.fail(key, f"({value}) must be between {low} and {high}")
        return float(value)

    def obj(self, key: str) -> _Obj:
        value = self.data.get(key)
        if not isinstance(value, dict):
            raise self.fail(key, f"must be an object, found {value!r}")
        return _Obj(self.variable, f"{self.path}.{key}" if self.path else key, value)

    def str_map(self, key: str) -> tuple[tuple[str, str], ...]:
        value = self.data.get(key) or {}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise self.fail(key, f"must be an object of strings, found {value!r}")
        return tuple(sorted(value.items()))


def _parameter_name(obj: _Obj, key: str) -> str:
    name = obj.text(key)
    if not name.startswith("/") or ".." in name:
        raise obj.fail(key, f"({name!r}) must start with '/' and may not contain '..'")
    return name


# -- loaders ------------------------------------------------------------------------------


def load_common(env: Mapping[str, str]) -> CommonSettings:
    """Read the variables every function has.

    Raises:
        SettingsError: a variable is missing or invalid.
    """
    retry = _Obj("TRELLIS_RETRY", "", _json_object(env, "TRELLIS_RETRY"))
    retry.only(*contract.RETRY_KEYS)
    policy = RetryPolicy(
        max_attempts=retry.integer("max_attempts", 1, 20),
        base_delay_ms=retry.integer("base_delay_ms", 0, 60_000),
        max_delay_ms=retry.integer("max_delay_ms", 0, 900_000),
    )
    if policy.max_delay_ms < policy.base_delay_ms:
        raise SettingsError(
            "TRELLIS_RETRY",
            f"max_delay_ms ({policy.max_delay_ms}) must be at least "
            f"base_delay_ms ({policy.base_delay_ms})",
        )
    function = _choice(env, "TRELLIS_FUNCTION", FUNCTIONS)
    return CommonSettings(
        blueprint=_required(env, "TRELLIS_BLUEPRINT"),
        environment=_required(env, "TRELLIS_ENV"),
        function="retrieve" if function == "retrieve" else "process",
        log_level=_choice(env, "TRELLIS_LOG_LEVEL", LOG_LEVELS),
        retry=policy,
        stop_max_consecutive_failures=_int(
            env, "TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES", 1, 100_000
        ),
    )


def _load_source(env: Mapping[str, str]) -> SourceSettings:
    src = _Obj("TRELLIS_SOURCE", "", _json_object(env, "TRELLIS_SOURCE"))
    src.only(*contract.SOURCE_KEYS)
    url = src.text("url")
    if not url.startswith(("https://", "http://")):
        raise src.fail("url", f"({url!r}) must be an http(s) URL")
    method = src.text("method", "GET")
    if method not in ("GET", "POST"):
        raise src.fail("method", f"({method!r}) must be GET or POST")

    auth = _load_auth(src) if src.has("auth") else None

    pagination: Pagination | None = None
    if src.has("pagination"):
        p = src.obj("pagination")
        p.only(*contract.PAGINATION_KEYS)
        styles = [k for k in contract.PAGINATION_KEYS if k in p.data and p.data[k] is not None]
        if len(styles) != 1:
            raise src.fail(
                "pagination", f"must have exactly one of {', '.join(contract.PAGINATION_KEYS)}"
            )
        if styles[0] not in ("cursor", "page"):
            pagination = _load_walk(p, styles[0])
        elif p.has("cursor"):
            c = p.obj("cursor")
            c.only(*contract.CURSOR_KEYS)
            pagination = CursorPagination(
                param=c.text("param"), response_path=c.text("response_path")
            )
        else:
            g = p.obj("page")
            g.only(*contract.PAGE_KEYS)
            if g.has("size_param") and not g.has("size"):
                raise g.fail("size", "is required when size_param is set")
            pagination = PagePagination(
                param=g.text("param"),
                start=g.integer("start", 0, 1_000_000, default=1),
                size_param=g.text("size_param") if g.has("size_param") else None,
                size=g.integer("size", 1, 100_000) if g.has("size") else None,
            )

    return SourceSettings(
        url=url,
        method="GET" if method == "GET" else "POST",
        headers=src.str_map("headers"),
        auth=auth,
        records_path=src.text("records_path", ""),
        pagination=pagination,
        max_pages=src.integer("max_pages", 1, 100_000, default=100),
        timeout_seconds=src.number("timeout_seconds", 0.001, 900, default=10),
        query=src.str_map("query"),
        body=_body(src),
        allowed_origins=_origins(src),
        max_requests_per_second=(
            src.number("max_requests_per_second", 0.000_001, 10_000, default=1)
            if src.has("max_requests_per_second")
            else None
        ),
    )


def _load_auth(src: _Obj) -> Auth:
    a = src.obj("auth")
    a.only(*contract.AUTH_KEYS)
    methods = [k for k in contract.AUTH_KEYS if a.has(k)]
    if len(methods) != 1:
        raise src.fail("auth", f"must have exactly one of {', '.join(contract.AUTH_KEYS)}")
    if a.has("bearer_token_parameter"):
        return BearerAuth(parameter=_parameter_name(a, "bearer_token_parameter"))
    if a.has("api_key_parameter"):
        k = a.obj("api_key_parameter")
        k.only(*contract.API_KEY_KEYS)
        if k.has("query") and k.has("header"):
            raise k.fail("query", "and header are exclusive")
        if k.has("query"):
            return ApiKeyQueryAuth(parameter=_parameter_name(k, "name"), query=k.text("query"))
        return ApiKeyAuth(parameter=_parameter_name(k, "name"), header=k.text("header"))
    if a.has("basic"):
        b = a.obj("basic")
        b.only(*contract.BASIC_KEYS)
        return BasicAuth(
            username_parameter=_parameter_name(b, "username_parameter"),
            password_parameter=_parameter_name(b, "password_parameter"),
        )
    o = a.obj("oauth2_client_credentials")
    o.only(*contract.OAUTH2_KEYS)
    token_url = o.text("token_url")
    if not token_url.startswith(("https://", "http://")):
        raise o.fail("token_url", f"({token_url!r}) must be an http(s) URL")
    scopes = o.data.get("scopes") or []
    if not isinstance(scopes, list) or not all(isinstance(x, str) and x for x in scopes):
        raise o.fail("scopes", f"must be a list of scope names, found {scopes!r}")
    client_auth = o.text("client_auth", "basic")
    if client_auth not in ("basic", "post"):
        raise o.fail("client_auth", f"({client_auth!r}) must be basic or post")
    return OAuth2ClientCredentials(
        token_url=token_url,
        client_id_parameter=_parameter_name(o, "client_id_parameter"),
        client_secret_parameter=_parameter_name(o, "client_secret_parameter"),
        scopes=tuple(scopes),
        client_auth="basic" if client_auth == "basic" else "post",
    )


def _load_walk(
    p: _Obj, style: str
) -> OffsetPagination | LinkHeaderPagination | NextUrlPagination | CursorHeaderPagination:
    """The pagination styles that learn the next request from the page before."""
    w = p.obj(style)
    if style == "offset":
        w.only(*contract.OFFSET_KEYS)
        return OffsetPagination(
            param=w.text("param", "offset"),
            limit_param=w.text("limit_param", "limit"),
            limit=w.integer("limit", 1, 100_000),
            start=w.integer("start", 0, 10**12, default=0),
            total_path=w.text("total_path") if w.has("total_path") else None,
        )
    if style == "link_header":
        w.only(*contract.LINK_HEADER_KEYS)
        return LinkHeaderPagination()
    if style == "next_url":
        w.only(*contract.NEXT_URL_KEYS)
        return NextUrlPagination(response_path=w.text("response_path"))
    w.only(*contract.CURSOR_HEADER_KEYS)
    return CursorHeaderPagination(header=w.text("header"), param=w.text("param"))


def _body(src: _Obj) -> Mapping[str, object] | None:
    body = src.data.get("body")
    if body is None:
        return None
    if not isinstance(body, dict):
        raise src.fail("body", f"must be a JSON object, found {body!r}")
    return body


def _origins(src: _Obj) -> tuple[str, ...]:
    origins = src.data.get("allowed_origins") or []
    if not isinstance(origins, list) or not all(
        isinstance(o, str) and o.startswith(("https://", "http://")) for o in origins
    ):
        raise src.fail("allowed_origins", f"must be a list of http(s) origins, found {origins!r}")
    return tuple(origins)


def _load_incremental(env: Mapping[str, str]) -> IncrementalSettings | None:
    """``TRELLIS_INCREMENTAL`` and ``TRELLIS_STATE_TABLE``; both empty for a full read."""
    if not env.get(contract.INCREMENTAL, "").strip():
        if env.get(contract.STATE_TABLE, "").strip():
            raise SettingsError(contract.STATE_TABLE, "is set but TRELLIS_INCREMENTAL is empty")
        return None
    inc = _Obj(contract.INCREMENTAL, "", _json_object(env, contract.INCREMENTAL))
    inc.only(*contract.INCREMENTAL_KEYS)
    initial = inc.data.get("initial")
    if isinstance(initial, bool) or not isinstance(initial, str | int):
        raise inc.fail("initial", f"must be a timestamp or an integer, found {initial!r}")
    return IncrementalSettings(
        param=inc.text("param") if inc.has("param") else None,
        response_path=inc.text("response_path"),
        initial=initial,
        lag_seconds=inc.integer("lag_seconds", 0, 30 * 86_400, default=0),
        state_table=_required(env, contract.STATE_TABLE),
    )


def load_retrieval(env: Mapping[str, str]) -> RetrievalSettings:
    """Read the retrieval function's variables.

    Raises:
        SettingsError: a variable is missing or invalid, or ``TRELLIS_FUNCTION`` is not
            ``retrieve`` (the handler string and the settings disagree).
    """
    common = load_common(env)
    if common.function != "retrieve":
        raise SettingsError(
            "TRELLIS_FUNCTION", f"is {common.function!r} but the retrieval handler is running"
        )
    return RetrievalSettings(
        common=common,
        queue_url=_required(env, "TRELLIS_QUEUE_URL"),
        concurrency=_int(env, "TRELLIS_CONCURRENCY", 1, 64),
        source=_load_source(env),
        incremental=_load_incremental(env),
    )


def _load_shape(env: Mapping[str, str]) -> ShapeSettings:
    shape = _Obj("TRELLIS_SHAPE", "", _json_object(env, "TRELLIS_SHAPE"))
    shape.only(*contract.SHAPE_KEYS)
    fields = shape.str_map("fields")
    if not fields:
        raise shape.fail("fields", "must name at least one field")
    names = {name for name, _ in fields}
    for name, path in fields:
        if name.startswith(RESERVED_PREFIX):
            raise shape.fail(f"fields.{name}", f"uses the reserved prefix {RESERVED_PREFIX!r}")
        if not path:
            raise shape.fail(f"fields.{name}", "must be a non-empty dot path")
    key = shape.text("key")
    if key not in names:
        raise shape.fail("key", f"({key!r}) must be one of the fields: {', '.join(sorted(names))}")
    ignore = shape.data.get("ignore_for_change") or []
    if not isinstance(ignore, list) or not all(isinstance(i, str) for i in ignore):
        raise shape.fail("ignore_for_change", f"must be a list of field names, found {ignore!r}")
    for name in ignore:
        if name not in names or name == key:
            raise shape.fail(
                "ignore_for_change", f"({name!r}) must name a field other than the key"
            )
    return ShapeSettings(key=key, fields=fields, ignore_for_change=frozenset(ignore))


def load_processing(env: Mapping[str, str]) -> ProcessingSettings:
    """Read the processing function's variables.

    Raises:
        SettingsError: a variable is missing or invalid, or ``TRELLIS_FUNCTION`` is not
            ``process``.
    """
    common = load_common(env)
    if common.function != "process":
        raise SettingsError(
            "TRELLIS_FUNCTION", f"is {common.function!r} but the processing handler is running"
        )
    prefix = env.get("TRELLIS_BACKUP_PREFIX", "")
    if prefix.startswith("/") or ".." in prefix or (prefix and not prefix.endswith("/")):
        raise SettingsError(
            "TRELLIS_BACKUP_PREFIX",
            f"{prefix!r} must be empty or a relative prefix ending in '/', like 'raw/'",
        )
    ttl_raw = env.get("TRELLIS_TTL_DAYS", "").strip()
    ttl_days = _int(env, "TRELLIS_TTL_DAYS", 1, 36_500) if ttl_raw else None
    return ProcessingSettings(
        common=common,
        table_name=_required(env, "TRELLIS_TABLE_NAME"),
        backup_bucket=_required(env, "TRELLIS_BACKUP_BUCKET"),
        backup_prefix=prefix,
        shape=_load_shape(env),
        ttl_days=ttl_days,
    )
