"""The contract between the generator and the runtime: one definition both sides import.

The generator writes each function's settings as ``TRELLIS_*`` environment variables and
points Lambda at a handler; the runtime reads the same variables at cold start. This
package holds everything the two must agree on:

- here: the variable names, the handler strings and the control parameters' names;
- :mod:`runtime.contract.ingestion`, :mod:`runtime.contract.ingestion_source` and
  :mod:`runtime.contract.auth_flow`: the settings' shapes, frozen dataclasses whose
  fields are the JSON keys and variables, each with its rules;
- :mod:`runtime.contract.codec`: the one serialiser (``to_environment``, ``to_json``)
  the generator's resolve writes through, and the one parser (``from_environment``,
  ``parse_json``) the runtime's loaders read through, with errors naming the variable
  and the key path.

The runtime imports nothing from the generator, and this package imports nothing but the
standard library and :mod:`runtime.core.exceptions`, so it is as light in Lambda as in the
generator. ``tests/contract/`` feeds what resolve writes for every example into the
runtime's loaders and compares the objects field for field.
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

# -- the high-water mark ------------------------------------------------------------------
STATE_MARK_NAME: Final = "retrieve.incremental"
"""The state table's key value (attribute ``name``) of the high-water mark item."""
STATE_KEY_ATTRIBUTE: Final = "name"
"""The state table's partition key attribute."""

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
