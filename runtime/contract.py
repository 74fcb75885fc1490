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
    "auth",
    "records_path",
    "pagination",
    "max_pages",
    "timeout_seconds",
)
AUTH_KEYS: Final = ("bearer_token_parameter", "api_key_parameter")
API_KEY_KEYS: Final = ("name", "header")
PAGINATION_KEYS: Final = ("cursor", "page")
CURSOR_KEYS: Final = ("param", "response_path")
PAGE_KEYS: Final = ("param", "start", "size_param", "size")
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
