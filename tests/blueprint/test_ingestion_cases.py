"""kind: IngestionPipeline: each case is a small patch and the exact errors it produces."""

from __future__ import annotations

import pytest

from tests.blueprint.bases import INGESTION
from tests.blueprint.cases import DELETE, Case, E, case, check, dump, load_blueprint_text, patched

FILE = "blueprints/orders.yaml"
S = "spec."
HTTP = "spec.source.http."

CASES = [
    # --- the envelope -----------------------------------------------------------------
    case(
        "apiVersion other",
        {"apiVersion": "trellis/v2"},
        E("apiVersion", "unsupported apiVersion 'trellis/v2'", allowed="trellis/v1"),
    ),
    case(
        "apiVersion missing",
        {"apiVersion": DELETE},
        E("apiVersion", "required field 'apiVersion' is missing", at="parent"),
    ),
    case(
        "kind near miss",
        {"kind": "IngestionPipe"},
        E("kind", "is not one of the allowed values", hint="did you mean 'IngestionPipeline'?"),
    ),
    case(
        "kind lowercase",
        {"kind": "ingestionpipeline"},
        E("kind", "not one of the allowed values", hint="'IngestionPipeline'"),
    ),
    case(
        "unknown top-level key",
        {"specs": {}},
        E("specs", "unknown field 'specs'", hint="did you mean 'spec'?", at="key"),
    ),
    case("spec missing", {"spec": DELETE}, E("spec", "required field 'spec'", at="parent")),
    case("spec a list", {"spec": [1]}, E("spec", "expected a mapping", value="[1]")),
    case(
        "metadata name with capitals",
        {"metadata.name": "Orders"},
        E("metadata.name", "'Orders' is not a valid name", allowed="3-30", hint="'orders'"),
    ),
    case(
        "metadata name too short",
        {"metadata.name": "or"},
        E("metadata.name", "'or' is not a valid name"),
    ),
    case(
        "metadata name 31 characters",
        {"metadata.name": "a" * 31},
        E("metadata.name", "is not a valid name", hint="'" + "a" * 30 + "'"),
    ),
    case(
        "metadata name ends in a dash",
        {"metadata.name": "orders-"},
        E("metadata.name", "'orders-' is not a valid name"),
    ),
    case(
        "metadata team with underscore",
        {"metadata.team": "commerce_team"},
        E("metadata.team", "is not a valid name", hint="'commerce-team'"),
    ),
    case(
        "metadata team a number",
        {"metadata.team": 42},
        E("metadata.team", "42 is an integer; expected a string", hint='quote it: "42"'),
    ),
    case(
        "metadata unknown key",
        {"metadata.owner": "x"},
        E(
            "metadata.owner",
            "unknown field 'owner'",
            allowed="description, name, tags, team",
            at="key",
        ),
    ),
    case("metadata tags", {"metadata.tags": {"cost-center": "cc-42", "data class": "internal"}}),
    case(
        "metadata tag team",
        {"metadata.tags": {"team": "x"}},
        E("metadata.tags.team", "'team' is set by trellis itself", hint="set metadata.team"),
    ),
    case(
        "metadata tag key with the aws: prefix",
        {"metadata.tags": {"AWS:cost": "1"}},
        E("metadata.tags.AWS:cost", "starts with 'aws:'", at="key"),
    ),
    case(
        "metadata tag value with a tab",
        {"metadata.tags": {"owner": "a\tb"}},
        E("metadata.tags.owner", "which AWS tags do not allow", hint="'a-b'"),
    ),
    case(
        "metadata description too long",
        {"metadata.description": "x" * 1025},
        E("metadata.description", "must be at most 1024 characters long"),
    ),
    case(
        "unknown spec section near miss",
        {"spec.retreival": {}},
        E(
            "spec.retreival",
            "unknown field 'retreival'",
            hint="did you mean 'retrieval'?",
            at="key",
        ),
    ),
    # --- source.http ------------------------------------------------------------------
    case(
        "url plain http",
        {HTTP + "url": "http://api.example.com/v1"},
        E(
            HTTP + "url",
            "'http://api.example.com/v1' uses plain http",
            allowed="http only for localhost",
            hint="'https://api.example.com/v1'",
        ),
    ),
    case(
        "url with credentials",
        {HTTP + "url": "https://svc:s3cret@api.example.com/v1"},
        E(HTTP + "url", "the URL carries credentials", hint="one of the auth methods"),
    ),
    case(
        "url with a space in the host",
        {HTTP + "url": "https://api.exa mple.com/v1"},
        E(HTTP + "url", "contains whitespace", allowed="%20"),
    ),
    case("url http localhost allowed", {HTTP + "url": "http://localhost:8080/v1"}),
    case("url http 127.0.0.1 allowed", {HTTP + "url": "http://127.0.0.1:9000/items"}),
    case(
        "url without scheme",
        {HTTP + "url": "api.example.com/v1"},
        E(HTTP + "url", "is not an absolute URL", hint="include the scheme"),
    ),
    case("url ftp", {HTTP + "url": "ftp://example.com/x"}, E(HTTP + "url", "not an absolute URL")),
    case(
        "url missing",
        {HTTP + "url": DELETE},
        E(HTTP + "url", "required field 'url' is missing", hint="add url: <value>", at="parent"),
    ),
    case(
        "method near miss",
        {HTTP + "method": "GTE"},
        E(HTTP + "method", "'GTE' is not one of", allowed="GET, POST", hint="'GET'"),
    ),
    case(
        "method lowercase",
        {HTTP + "method": "post"},
        E(HTTP + "method", "'post' is not one of", hint="did you mean 'POST'?"),
    ),
    case(
        "header name with space",
        {HTTP + "headers": {"Bad Header": "x"}},
        E(HTTP + "headers.Bad Header", "not a valid HTTP header name", at="key"),
    ),
    case(
        "header value a number",
        {HTTP + "headers.X-Version": 2},
        E(HTTP + "headers.X-Version", "2 is an integer; expected a string"),
    ),
    case(
        "auth with both methods",
        {HTTP + "auth.api_key_parameter": {"name": "/x/key"}},
        E(HTTP + "auth", "auth needs exactly one method", allowed="bearer_token_parameter, api"),
    ),
    case(
        "auth empty",
        {HTTP + "auth": {}},
        E(HTTP + "auth", "auth needs exactly one method", hint="remove auth entirely"),
    ),
    case(
        "bearer parameter not absolute",
        {HTTP + "auth.bearer_token_parameter": "commerce/token"},
        E(
            HTTP + "auth.bearer_token_parameter",
            "is not an absolute SSM parameter name",
            hint="'/commerce/token'",
        ),
    ),
    case(
        "bearer parameter with dot-dot",
        {HTTP + "auth.bearer_token_parameter": "/commerce/../admin"},
        E(HTTP + "auth.bearer_token_parameter", "may not contain '..'"),
    ),
    case(
        "bearer parameter with a space",
        {HTTP + "auth.bearer_token_parameter": "/commerce/api token"},
        E(HTTP + "auth.bearer_token_parameter", "has characters SSM does not allow"),
    ),
    case(
        "api key parameter with bad header",
        {
            HTTP + "auth.bearer_token_parameter": DELETE,
            HTTP + "auth.api_key_parameter": {"name": "/x/key", "header": "X Key"},
        },
        E(HTTP + "auth.api_key_parameter.header", "not a valid HTTP header name"),
    ),
    case(
        "api key parameter unknown key",
        {
            HTTP + "auth.bearer_token_parameter": DELETE,
            HTTP + "auth.api_key_parameter": {"name": "/x/key", "heder": "X-Key"},
        },
        E(HTTP + "auth.api_key_parameter.heder", "unknown field", hint="'header'", at="key"),
    ),
    case(
        "records_path with spaces",
        {HTTP + "records_path": "data items"},
        E(HTTP + "records_path", "'data items' is not a dot path", allowed="data.items"),
    ),
    case(
        "records_path with an empty segment",
        {HTTP + "records_path": "data..items"},
        E(HTTP + "records_path", "is not a dot path"),
    ),
    case(
        "pagination with both styles",
        {HTTP + "pagination.page": {"param": "page"}},
        E(HTTP + "pagination", "pagination needs exactly one style"),
    ),
    case(
        "pagination empty",
        {HTTP + "pagination": {}},
        E(HTTP + "pagination", "exactly one style", hint="remove pagination"),
    ),
    case(
        "cursor without response_path",
        {HTTP + "pagination.cursor.response_path": DELETE},
        E(HTTP + "pagination.cursor.response_path", "required field", at="parent"),
    ),
    case(
        "page size without size_param",
        {HTTP + "pagination": {"page": {"param": "page", "size": 100}}},
        E(HTTP + "pagination.page.size", "size_param and size go together", allowed="both"),
    ),
    case(
        "page size_param without size",
        {HTTP + "pagination": {"page": {"param": "page", "size_param": "per_page"}}},
        E(HTTP + "pagination.page.size_param", "size_param and size go together"),
    ),
    case(
        "page size above 10000",
        {HTTP + "pagination": {"page": {"param": "p", "size_param": "n", "size": 10001}}},
        E(HTTP + "pagination.page.size", "10001 must be at most 10000"),
    ),
    case(
        "page start negative",
        {HTTP + "pagination": {"page": {"param": "p", "start": -1}}},
        E(HTTP + "pagination.page.start", "-1 must be at least 0"),
    ),
    case(
        "pagination style near miss",
        {HTTP + "pagination": {"curser": {"param": "c", "response_path": "n"}}},
        E(HTTP + "pagination.curser", "unknown field", hint="did you mean 'cursor'?", at="key"),
    ),
    case(
        "cursor param empty",
        {HTTP + "pagination.cursor.param": ""},
        E(HTTP + "pagination.cursor.param", "'' must be at least 1 characters long"),
    ),
    case(
        "cursor param too long",
        {HTTP + "pagination.cursor.param": "p" * 65},
        E(HTTP + "pagination.cursor.param", "must be at most 64 characters long"),
    ),
    case(
        "headers a list",
        {HTTP + "headers": ["Accept: application/json"]},
        E(HTTP + "headers", "is a list; expected a mapping"),
    ),
    case("max_pages zero", {HTTP + "max_pages": 0}, E(HTTP + "max_pages", "0 must be at least 1")),
    case(
        "max_pages quoted",
        {HTTP + "max_pages": "100"},
        E(HTTP + "max_pages", "'100' is a string; expected an integer", hint="without quotes"),
    ),
    case(
        "request timeout above Lambda's",
        {HTTP + "timeout_seconds": 901},
        E(HTTP + "timeout_seconds", "901 must be at most 900"),
    ),
    case(
        "request timeout not below the function timeout",
        {HTTP + "timeout_seconds": 300},
        E(
            HTTP + "timeout_seconds",
            "source.http.timeout_seconds (300) must be below retrieval.timeout_seconds (300)",
        ),
    ),
    case(
        "request timeout only matters with a schedule",
        {HTTP + "timeout_seconds": 300, S + "trigger": {"queue": {}}},
    ),
    case(
        "batch size as a word",
        {S + "processing.batch_size": "fifty"},
        E(
            S + "processing.batch_size",
            "'fifty' is a string; expected an integer",
            hint="write the number in digits, e.g. 50 ('fifty' is not a number)",
        ),
    ),
    case(
        "batch size quoted",
        {S + "processing.batch_size": "50"},
        E(S + "processing.batch_size", "is a string", hint="write 50 without quotes"),
    ),
    case(
        "batch size a quoted fraction",
        {S + "processing.batch_size": "12.5"},
        E(S + "processing.batch_size", "is a string", hint="use a whole number, e.g. 12"),
    ),
    case(
        "error rate as a word",
        {S + "alarms.error_rate": "five percent"},
        E(S + "alarms.error_rate", "is a string", hint="in digits, e.g. 0.05"),
    ),
    case(
        "scheduled without a source",
        {S + "source": DELETE},
        E(
            S + "source",
            "a scheduled pipeline needs a source",
            hint="trigger: {queue: {}}",
            at="parent",
        ),
    ),
    case(
        "queue-triggered without a source",
        {S + "source": DELETE, S + "trigger": {"queue": {}}},
    ),
    case(
        "source without http",
        {S + "source": {}},
        E(S + "source.http", "required field 'http'", at="parent"),
    ),
    # --- trigger ------------------------------------------------------------------------
    case("rate one minute", {S + "trigger.schedule": "rate(1 minute)"}),
    case("rate two days", {S + "trigger.schedule": "rate(2 days)"}),
    case(
        "rate singular with a plural unit",
        {S + "trigger.schedule": "rate(1 minutes)"},
        E(S + "trigger.schedule", "wants the singular unit", hint="rate(1 minute)"),
    ),
    case(
        "rate plural with a singular unit",
        {S + "trigger.schedule": "rate(5 hour)"},
        E(S + "trigger.schedule", "wants the plural unit", hint="rate(5 hours)"),
    ),
    case(
        "rate zero",
        {S + "trigger.schedule": "rate(0 minutes)"},
        E(S + "trigger.schedule", "positive whole number", hint="rate(1 minute)"),
    ),
    case(
        "rate in seconds",
        {S + "trigger.schedule": "rate(30 seconds)"},
        E(S + "trigger.schedule", "'seconds' is not a rate unit", allowed="minute(s)"),
    ),
    case("cron with six fields", {S + "trigger.schedule": "cron(0 2 * * ? *)"}),
    case("cron on weekdays", {S + "trigger.schedule": "cron(0 9 ? * MON-FRI *)"}),
    case(
        "cron with five fields",
        {S + "trigger.schedule": "cron(0 2 * * *)"},
        E(S + "trigger.schedule", "has 5 fields; EventBridge cron has 6", hint="cron(0 2 * * * *)"),
    ),
    case(
        "cron without a question mark",
        {S + "trigger.schedule": "cron(0 2 * * * *)"},
        E(S + "trigger.schedule", "exactly one of day-of-month and day-of-week must be '?'"),
    ),
    case(
        "cron with two question marks",
        {S + "trigger.schedule": "cron(0 2 ? * ? *)"},
        E(S + "trigger.schedule", "day-of-month and day-of-week are both '?'"),
    ),
    case(
        "cron letters in every field",
        {S + "trigger.schedule": "cron(a b c d ? e)"},
        E(S + "trigger.schedule", "minutes field 'a'", allowed="minutes: 0-59", hint="e.g. 0"),
    ),
    case(
        "cron minute 75",
        {S + "trigger.schedule": "cron(75 2 * * ? *)"},
        E(S + "trigger.schedule", "75 is outside 0-59", allowed="0-59", hint="from 0 to 59"),
    ),
    case(
        "cron hour 25",
        {S + "trigger.schedule": "cron(0 25 * * ? *)"},
        E(S + "trigger.schedule", "hours field '25'", allowed="hours: 0-23", hint="0 to 23"),
    ),
    case(
        "cron month 13",
        {S + "trigger.schedule": "cron(0 2 ? 13 MON *)"},
        E(S + "trigger.schedule", "month field '13'", allowed="1-12 or JAN-DEC", hint="1 to 12"),
    ),
    case("cron last Friday", {S + "trigger.schedule": "cron(0 2 ? * 6L *)"}),
    case("cron nearest weekday", {S + "trigger.schedule": "cron(0 2 15W * ? 2027)"}),
    case(
        "unix crontab",
        {S + "trigger.schedule": "*/15 * * * *"},
        E(S + "trigger.schedule", "is not a schedule expression"),
    ),
    case(
        "trigger with both",
        {S + "trigger.queue": {}},
        E(S + "trigger", "trigger needs exactly one of schedule and queue"),
    ),
    case(
        "trigger empty",
        {S + "trigger": {}},
        E(S + "trigger", "exactly one of schedule and queue", allowed="queue: {}"),
    ),
    case(
        "queue trigger with settings",
        {S + "trigger": {"queue": {"batch": 1}}},
        E(S + "trigger.queue.batch", "unknown field 'batch'", hint="remove it", at="key"),
    ),
    # --- retrieval and processing ------------------------------------------------------
    case(
        "concurrency above 64",
        {S + "retrieval.concurrency": 65},
        E(S + "retrieval.concurrency", "65 must be at most 64", allowed="at most 64"),
    ),
    case(
        "concurrency zero",
        {S + "retrieval.concurrency": 0},
        E(S + "retrieval.concurrency", "0 must be at least 1"),
    ),
    case(
        "concurrency a float",
        {S + "retrieval.concurrency": 8.5},
        E(S + "retrieval.concurrency", "8.5 is a number; expected an integer"),
    ),
    case(
        "concurrency a boolean",
        {S + "retrieval.concurrency": True},
        E(S + "retrieval.concurrency", "true is a boolean; expected an integer"),
    ),
    case(
        "concurrency near miss",
        {S + "retrieval.concurency": 8},
        E(
            S + "retrieval.concurency",
            "unknown field",
            hint="did you mean 'concurrency'?",
            at="key",
        ),
    ),
    case(
        "retrieval memory below 128",
        {S + "retrieval.memory_mb": 64},
        E(S + "retrieval.memory_mb", "64 must be at least 128"),
    ),
    case(
        "processing memory above 10240",
        {S + "processing.memory_mb": 10241},
        E(S + "processing.memory_mb", "10241 must be at most 10240"),
    ),
    case(
        "retrieval timeout zero",
        {S + "retrieval.timeout_seconds": 0},
        E(S + "retrieval.timeout_seconds", "0 must be at least 1"),
    ),
    case(
        "batch size above 10000",
        {S + "processing.batch_size": 10001},
        E(S + "processing.batch_size", "10001 must be at most 10000"),
    ),
    case(
        "max concurrency one",
        {S + "processing.max_concurrency": 1},
        E(S + "processing.max_concurrency", "1 must be at least 2"),
    ),
    case(
        "max concurrency above 1000",
        {S + "processing.max_concurrency": 1001},
        E(S + "processing.max_concurrency", "1001 must be at most 1000"),
    ),
    case(
        "processing timeout above 900",
        {S + "processing.timeout_seconds": 901},
        E(S + "processing.timeout_seconds", "901 must be at most 900"),
    ),
    case(
        "visibility timeout below six times the processing timeout",
        {S + "processing.visibility_timeout_seconds": 300},
        E(
            S + "processing.timeout_seconds",
            "timeout_seconds (60) must be at most 50 so that the queue's visibility timeout "
            "(300) can be six times it",
            allowed="visibility_timeout_seconds / 6 = 50",
        ),
    ),
    case(
        "visibility timeout exactly six times",
        {S + "processing.visibility_timeout_seconds": 360},
    ),
    case(
        "visibility timeout above the SQS maximum",
        {S + "processing.visibility_timeout_seconds": 43201},
        E(S + "processing.visibility_timeout_seconds", "43201 must be at most 43200"),
    ),
    # --- shape ---------------------------------------------------------------------------
    case(
        "key not among the fields",
        {S + "shape.key": "id"},
        E(
            S + "shape.key",
            "key 'id' is not one of the shaped fields",
            allowed="order_id, status, total, updated_at",
            hint="add id: <dot path> under fields",
        ),
    ),
    case(
        "ignore_for_change names an unknown field",
        {S + "shape.ignore_for_change": ["updated_at", "updated"]},
        E(
            S + "shape.ignore_for_change.1",
            "ignore_for_change names ['updated'] that are not shaped fields",
            hint="did you mean 'updated_at'?",
        ),
    ),
    case(
        "ignore_for_change names the key",
        {S + "shape.ignore_for_change": ["order_id"]},
        E(S + "shape.ignore_for_change.0", "the key cannot be ignored for change detection"),
    ),
    case(
        "fields empty",
        {S + "shape.fields": {}, S + "shape.ignore_for_change": []},
        E(S + "shape.fields", "must be at least 1 items"),
    ),
    case(
        "field path not a dot path",
        {S + "shape.fields.total": "amount total"},
        E(S + "shape.fields.total", "'amount total' is not a dot path"),
    ),
    case(
        "field path a number",
        {S + "shape.fields.total": 3},
        E(S + "shape.fields.total", "3 is an integer; expected a string"),
    ),
    case(
        "ignore_for_change a string",
        {S + "shape.ignore_for_change": "updated_at"},
        E(S + "shape.ignore_for_change", "is a string; expected a list"),
    ),
    # --- store, backup, retry, stop, dead letter, alarms, package -----------------------
    case(
        "point in time recovery as yes",
        {S + "store.point_in_time_recovery": "yes"},
        E(S + "store.point_in_time_recovery", "'yes' is a string; expected true or false"),
    ),
    case(
        "ttl days zero", {S + "store.ttl_days": 0}, E(S + "store.ttl_days", "0 must be at least 1")
    ),
    case(
        "noncurrent days above 100 years",
        {S + "backup.noncurrent_version_days": 36501},
        E(S + "backup.noncurrent_version_days", "36501 must be at most 36500"),
    ),
    case(
        "max attempts above 20",
        {S + "retry.max_attempts": 21},
        E(S + "retry.max_attempts", "21 must be at most 20"),
    ),
    case(
        "max delay below base delay",
        {S + "retry.max_delay_ms": 100},
        E(S + "retry.max_delay_ms", "max_delay_ms (100) is below base_delay_ms (200)"),
    ),
    case(
        "base delay zero",
        {S + "retry.base_delay_ms": 0},
        E(S + "retry.base_delay_ms", "0 must be at least 1"),
    ),
    case(
        "max delay above fifteen minutes",
        {S + "retry.max_delay_ms": 900_001},
        E(S + "retry.max_delay_ms", "900001 must be at most 900000"),
    ),
    case(
        "shape key empty",
        {S + "shape.key": ""},
        E(S + "shape.key", "'' must be at least 1 characters long"),
    ),
    case(
        "stop threshold zero",
        {S + "stop.max_consecutive_failures": 0},
        E(S + "stop.max_consecutive_failures", "0 must be at least 1"),
    ),
    case(
        "dead letter retention above 14 days",
        {S + "dead_letter.retention_days": 15},
        E(S + "dead_letter.retention_days", "15 must be at most 14"),
    ),
    case(
        "max receive count zero",
        {S + "dead_letter.max_receive_count": 0},
        E(S + "dead_letter.max_receive_count", "0 must be at least 1"),
    ),
    case(
        "error rate zero",
        {S + "alarms.error_rate": 0.0},
        E(S + "alarms.error_rate", "0.0 must be above 0"),
    ),
    case(
        "error rate above one",
        {S + "alarms.error_rate": 1.5},
        E(S + "alarms.error_rate", "1.5 must be at most 1"),
    ),
    case("error rate written as 1", {S + "alarms.error_rate": 1}),
    case(
        "dlq messages zero",
        {S + "alarms.dlq_messages": 0},
        E(S + "alarms.dlq_messages", "0 must be at least 1"),
    ),
    case(
        "package near miss",
        {S + "package": "zp"},
        E(S + "package", "'zp' is not one of", allowed="zip, image", hint="'zip'"),
    ),
    case(
        "two errors in two sections",
        {S + "retrieval.concurrency": 65, S + "dead_letter.retention_days": 30},
        E(S + "dead_letter.retention_days", "30 must be at most 14"),
        E(S + "retrieval.concurrency", "65 must be at most 64"),
    ),
    case(
        "envelope and spec errors in one run",
        {"metadata.name": "Bad", S + "package": "tar"},
        E("metadata.name", "is not a valid name"),
        E(S + "package", "'tar' is not one of"),
    ),
]


def test_the_base_document_is_valid() -> None:
    """The base IngestionPipeline validates without a single diagnostic."""
    assert load_blueprint_text(FILE, dump(INGESTION)) == []


def test_there_are_at_least_fifty_failing_cases() -> None:
    """The table covers at least fifty ways to get an IngestionPipeline wrong."""
    assert sum(1 for c in CASES if c.errors) >= 50


@pytest.mark.parametrize("case_", CASES, ids=lambda c: c.id)
def test_case(case_: Case) -> None:
    """The patched document produces exactly the expected errors, at the right place."""
    text = dump(patched(INGESTION, case_.patch))
    check(case_, load_blueprint_text(FILE, text), text, FILE)
