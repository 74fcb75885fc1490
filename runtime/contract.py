"""The contract between the generator and the runtime: names both sides must agree on.

The generator writes each function's settings as ``TRELLIS_*`` environment variables and
points Lambda at a handler; the runtime reads the same variables at cold start
(:mod:`runtime.core.settings`). Both import the names from here, so a rename is one
edit, and ``tests/contract/`` feeds what resolve writes for every example into the
runtime's loaders, field for field. The runtime imports nothing from the generator; this
module imports nothing at all, so it is as light in Lambda as in the generator.

The JSON-valued variables carry the blueprint's own ``spec`` sections with the keys the
blueprint uses (``TRELLIS_SOURCE`` is ``spec.source.http``, ``TRELLIS_SHAPE`` is
``spec.shape``, ``TRELLIS_RETRY`` is ``spec.retry``); the key sets below are what the
runtime accepts, and a test holds them equal to the blueprint models' fields.
"""

from __future__ import annotations

from typing import Final

RUNTIME_PACKAGE: Final = "runtime"
"""The top-level package of the Lambda bundle (handlers are ``runtime.<kind>.<fn>.handler``)."""

# -- variables every function has -----------------------------------------------------------
BLUEPRINT: Final = "TRELLIS_BLUEPRINT"
ENV: Final = "TRELLIS_ENV"
FUNCTION: Final = "TRELLIS_FUNCTION"
LOG_LEVEL: Final = "TRELLIS_LOG_LEVEL"

# -- variables of the ingestion functions ---------------------------------------------------
RETRY: Final = "TRELLIS_RETRY"
STOP_MAX_CONSECUTIVE_FAILURES: Final = "TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES"
QUEUE_URL: Final = "TRELLIS_QUEUE_URL"
CONCURRENCY: Final = "TRELLIS_CONCURRENCY"
SOURCE: Final = "TRELLIS_SOURCE"
INCREMENTAL: Final = "TRELLIS_INCREMENTAL"
"""JSON of ``spec.source.http.incremental`` with ``response_field`` resolved to its dot path
(``response_path``), or empty when the source is read in full every run."""
STATE_TABLE: Final = "TRELLIS_STATE_TABLE"
"""The DynamoDB table holding the high-water mark, or empty without ``incremental``."""
TABLE_NAME: Final = "TRELLIS_TABLE_NAME"
BACKUP_BUCKET: Final = "TRELLIS_BACKUP_BUCKET"
BACKUP_PREFIX: Final = "TRELLIS_BACKUP_PREFIX"
SHAPE: Final = "TRELLIS_SHAPE"
TTL_DAYS: Final = "TRELLIS_TTL_DAYS"
CHECKPOINT_PARAMETER: Final = "TRELLIS_CHECKPOINT_PARAMETER"
"""The SSM parameter where retrieval keeps where its next run starts."""
STOP_PARAMETER: Final = "TRELLIS_STOP_PARAMETER"
"""The SSM parameter an operator sets to ``paused`` to halt retrieval (the stop switch)."""

COMMON_VARIABLES: Final = (BLUEPRINT, ENV, FUNCTION, LOG_LEVEL)
RETRIEVE_VARIABLES: Final = (
    *COMMON_VARIABLES,
    QUEUE_URL,
    CONCURRENCY,
    SOURCE,
    INCREMENTAL,
    STATE_TABLE,
    RETRY,
    STOP_MAX_CONSECUTIVE_FAILURES,
    CHECKPOINT_PARAMETER,
    STOP_PARAMETER,
)
PROCESS_VARIABLES: Final = (
    *COMMON_VARIABLES,
    TABLE_NAME,
    BACKUP_BUCKET,
    BACKUP_PREFIX,
    SHAPE,
    TTL_DAYS,
    RETRY,
    STOP_MAX_CONSECUTIVE_FAILURES,
)


def control_parameter(env: str, blueprint: str, purpose: str) -> str:
    """``/trellis/<env>/<blueprint>/<purpose>``: the retrieval's checkpoint and stop switch."""
    return f"/trellis/{env}/{blueprint}/{purpose}"


DEFAULT_BACKUP_PREFIX: Final = "raw/"
"""Where the process function writes raw payloads in the backup bucket."""

# -- keys of the JSON-valued variables --------------------------------------------------------
RETRY_KEYS: Final = ("max_attempts", "base_delay_ms", "max_delay_ms")
SOURCE_KEYS: Final = (
    "url",
    "method",
    "headers",
    "query",
    "body",
    "auth",
    "records_path",
    "pagination",
    "allowed_origins",
    "max_requests_per_second",
    "max_pages",
    "timeout_seconds",
)
"""``TRELLIS_SOURCE``: ``spec.source.http`` without ``incremental`` (in ``TRELLIS_INCREMENTAL``)."""
AUTH_KEYS: Final = (
    "bearer_token_parameter",
    "api_key_parameter",
    "basic",
    "oauth2_client_credentials",
)
API_KEY_KEYS: Final = ("name", "header", "query")
BASIC_KEYS: Final = ("username_parameter", "password_parameter")
OAUTH2_KEYS: Final = (
    "token_url",
    "client_id_parameter",
    "client_secret_parameter",
    "scopes",
    "client_auth",
)
PAGINATION_KEYS: Final = ("cursor", "page", "offset", "link_header", "next_url", "cursor_header")
CURSOR_KEYS: Final = ("param", "response_path")
PAGE_KEYS: Final = ("param", "start", "size_param", "size")
OFFSET_KEYS: Final = ("param", "limit_param", "limit", "start", "total_path")
LINK_HEADER_KEYS: Final = ()
NEXT_URL_KEYS: Final = ("response_path",)
CURSOR_HEADER_KEYS: Final = ("header", "param")
INCREMENTAL_KEYS: Final = ("param", "response_path", "initial", "lag_seconds")
"""``TRELLIS_INCREMENTAL``: the blueprint's ``incremental`` with ``response_path`` (the dot
path of ``response_field`` in ``spec.shape.fields``) in place of ``response_field``."""
STATE_MARK_NAME: Final = "retrieve.incremental"
"""The state table's key value (attribute ``name``) of the high-water mark item."""
STATE_KEY_ATTRIBUTE: Final = "name"
"""The state table's partition key attribute."""
SHAPE_KEYS: Final = ("key", "fields", "ignore_for_change")

# -- handlers -------------------------------------------------------------------------------------
INGEST_HANDLERS: Final = {
    "retrieve": f"{RUNTIME_PACKAGE}.ingest.retrieve.handler",
    "process": f"{RUNTIME_PACKAGE}.ingest.process.handler",
}
"""Lambda handler strings of the ingestion functions, by purpose."""

# -- the AuthFlow functions ------------------------------------------------------------------
AUTH: Final = "TRELLIS_AUTH"
"""One JSON object: the blueprint's AuthFlow ``spec`` as the runtime reads it."""
AUTH_VARIABLES: Final = (*COMMON_VARIABLES, AUTH)

AUTH_FLOW_FUNCTIONS: Final = ("login", "callback", "session", "logout", "jwks")
"""A login flow's functions, in redirect order."""

AUTH_FLOW_HANDLERS: Final = {
    purpose: f"{RUNTIME_PACKAGE}.auth.{purpose}.handler" for purpose in AUTH_FLOW_FUNCTIONS
}
"""Lambda handler strings of a login flow's functions, by purpose."""

AUTH_SETTINGS_KEYS: Final = (
    "profile",
    "issuer",
    "redirect_uri",
    "scopes",
    "authentication_context_type",
    "authentication_context_message",
    "acr_values",
    "allowed_return_paths",
    "default_return_path",
    "session_ttl_minutes",
    "parameters",
)
"""The keys ``TRELLIS_AUTH`` may hold."""

AUTH_PARAMETER_KEYS: Final = (
    "client_id",
    "signing_key",
    "encryption_key",
    "state_key",
    "public_jwks",
)
"""The SSM parameters of a login flow (``TRELLIS_AUTH.parameters`` keys)."""

AUTH_FLOW_PARAMETERS: Final = {
    "login": ("client_id", "signing_key", "state_key"),
    "callback": ("client_id", "signing_key", "encryption_key", "state_key"),
    "session": ("state_key",),
    "logout": (),
    "jwks": ("public_jwks",),
}
"""The parameters each function reads: its ``TRELLIS_AUTH.parameters`` and, so, its role."""
