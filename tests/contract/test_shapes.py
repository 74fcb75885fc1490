"""The contract's settings shapes: one vocabulary with the blueprint; errors name the spot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import pytest

from generator.kinds.ingestion.blueprint import Retry, Shape
from generator.kinds.ingestion.source import (
    ApiKeyParameter,
    BasicAuth,
    CursorHeaderPagination,
    CursorPagination,
    HttpSource,
    Incremental,
    LinkHeaderPagination,
    NextUrlPagination,
    OAuth2ClientCredentials,
    OffsetPagination,
    PagePagination,
    Pagination,
    SourceAuth,
)
from generator.pipeline import load_and_resolve
from runtime import contract
from runtime.auth.settings import load_auth
from runtime.contract import auth_flow, ingestion, ingestion_source
from runtime.contract.codec import json_keys, parse_json, to_json
from runtime.core.exceptions import SettingsError
from runtime.core.settings import load_processing, load_retrieval

ROOT = Path(__file__).resolve().parents[2]
_, DEPLOYMENTS = load_and_resolve(ROOT)


def _environment(purpose: str) -> dict[str, str]:
    """The environment resolve wrote on the first example function of ``purpose``."""
    for deployment in DEPLOYMENTS:
        for function in getattr(deployment.resources, "functions", ()):
            if function.purpose == purpose:
                return dict(function.environment)
    raise AssertionError(purpose)


@pytest.mark.parametrize(
    ("model", "shapes"),
    [
        (Retry, [ingestion.RetryPolicy]),
        (Shape, [ingestion.ShapeSettings]),
        (ApiKeyParameter, [ingestion_source.ApiKeyAuth, ingestion_source.ApiKeyQueryAuth]),
        (BasicAuth, [ingestion_source.BasicAuth]),
        (OAuth2ClientCredentials, [ingestion_source.OAuth2ClientCredentials]),
        (CursorPagination, [ingestion_source.CursorPagination]),
        (PagePagination, [ingestion_source.PagePagination]),
        (OffsetPagination, [ingestion_source.OffsetPagination]),
        (LinkHeaderPagination, [ingestion_source.LinkHeaderPagination]),
        (NextUrlPagination, [ingestion_source.NextUrlPagination]),
        (CursorHeaderPagination, [ingestion_source.CursorHeaderPagination]),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_each_blueprint_section_has_exactly_the_keys_of_its_contract_shape(
    model: Any, shapes: list[type]
) -> None:
    """A key added to a blueprint section must be added to the shape the runtime reads."""
    assert set(model.model_fields) == {key for shape in shapes for key in json_keys(shape)}


def test_the_source_variable_holds_the_http_section_but_incremental() -> None:
    """TRELLIS_SOURCE carries every key of spec.source.http except incremental."""
    keys = set(json_keys(ingestion_source.SourceSettings))
    assert set(HttpSource.model_fields) == keys | {"incremental"}


def test_the_incremental_variable_swaps_the_field_for_its_path() -> None:
    """TRELLIS_INCREMENTAL has the blueprint's keys with response_path for response_field."""
    blueprint = set(Incremental.model_fields) - {"response_field"} | {"response_path"}
    assert blueprint == set(json_keys(ingestion_source.IncrementalSettings))


@pytest.mark.parametrize(
    ("model", "union", "names"),
    [
        (SourceAuth, ingestion_source.Auth, ingestion_source.AUTH_METHODS),
        (Pagination, ingestion_source.Pagination, ingestion_source.PAGINATION_STYLES),
    ],
    ids=["auth", "pagination"],
)
def test_the_one_of_sections_use_the_contracts_names(model: Any, union: Any, names: Any) -> None:
    """auth methods and pagination styles: the blueprint's keys are the contract's KEYs."""
    keys = tuple(dict.fromkeys(member.KEY for member in get_args(union)))
    assert keys == tuple(names) == tuple(model.model_fields)


def test_the_auth_function_names_are_the_contracts() -> None:
    """The AuthFunction literal lists the login flow's functions in redirect order."""
    assert get_args(auth_flow.AuthFunction) == contract.AUTH_FLOW_FUNCTIONS


@pytest.mark.parametrize(
    ("variable", "shape"),
    [
        (contract.SOURCE, ingestion_source.SourceSettings),
        (contract.SHAPE, ingestion.ShapeSettings),
        (contract.RETRY, ingestion.RetryPolicy),
        (contract.AUTH, auth_flow.AuthFlowSettings),
    ],
)
def test_serialising_what_was_parsed_gives_the_bytes_resolve_wrote(
    variable: str, shape: type
) -> None:
    """to_json(parse_json(x)) == x for every example's JSON-valued variable."""
    written = [
        dict(f.environment)[variable]
        for d in DEPLOYMENTS
        for f in getattr(d.resources, "functions", ())
        if variable in dict(f.environment)
    ]
    assert written
    for raw in written:
        assert to_json(parse_json(shape, variable, raw)) == raw


# -- malformed settings: positioned, named errors ----------------------------------------------


def test_malformed_json_names_the_variable_line_and_column() -> None:
    """A truncated TRELLIS_SOURCE fails at cold start with where the JSON broke."""
    env = _environment("retrieve")
    env[contract.SOURCE] = env[contract.SOURCE][:-1] + ',\n  "max_pages": }'
    with pytest.raises(SettingsError) as caught:
        load_retrieval(env)
    assert caught.value.variable == contract.SOURCE
    assert "is not valid JSON (Expecting value at line 2 column 16)" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"pagination": {"page": {"param": "p", "size": 0}}},
            "pagination.page.size (0) must be between 1 and 100000",
        ),
        (
            {"auth": {"basic": {"username_parameter": "/u"}}},
            "auth.basic.password_parameter is required",
        ),
        (
            {"auth": {"bearer_token_parameter": "x"}},
            "auth.bearer_token_parameter ('x') must start with '/'",
        ),
        ({"headers": {"X-A": 1}}, "headers must be an object of strings"),
        ({"max_pages": "10"}, "max_pages must be an integer, found '10'"),
        (
            {"pagination": {"cursor": {"param": "c", "path": "x"}}},
            "pagination.cursor.path is not a known key",
        ),
    ],
)
def test_a_wrong_field_names_the_variable_and_the_key_path(
    change: dict[str, Any], message: str
) -> None:
    """A wrong value inside a JSON variable names the variable and the field's dot path."""
    env = _environment("retrieve")
    env[contract.SOURCE] = json.dumps(json.loads(env[contract.SOURCE]) | change)
    with pytest.raises(SettingsError) as caught:
        load_retrieval(env)
    assert str(caught.value) == f"environment variable {contract.SOURCE}: {message}" or (
        str(caught.value).startswith(f"environment variable {contract.SOURCE}: {message}")
    )


def test_a_wrong_auth_setting_names_the_variable_and_key() -> None:
    """A login function's TRELLIS_AUTH with a bad session length names the key."""
    env = _environment("login")
    env[contract.AUTH] = json.dumps(json.loads(env[contract.AUTH]) | {"session_ttl_minutes": 0})
    with pytest.raises(SettingsError, match=r"TRELLIS_AUTH: session_ttl_minutes \(0\) must be"):
        load_auth(env)


def test_a_wrong_scalar_variable_is_named() -> None:
    """A processing function with a non-numeric TTL names TRELLIS_TTL_DAYS and the value."""
    env = _environment("process") | {contract.TTL_DAYS: "thirty"}
    with pytest.raises(SettingsError, match="TRELLIS_TTL_DAYS: 'thirty' is not an integer"):
        load_processing(env)
