"""The values the ingestion templates read are computed in Python, here, and tested here."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from generator.kinds.ingestion.render import ingestion_values
from generator.model.deployment import Deployment
from generator.pipeline import load_and_resolve

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pipeline() -> Deployment:
    """The first ingestion example, in its first environment."""
    _, deployments = load_and_resolve(ROOT)
    return next(d for d in deployments if d.kind == "IngestionPipeline")


def _with_spec(deployment: Deployment, section: str, **changes: Any) -> Deployment:
    spec: Any = deployment.spec
    part = getattr(spec, section).model_copy(update=changes)
    return replace(deployment, spec=spec.model_copy(update={section: part}))


def test_dead_letter_retention_is_days_in_seconds(pipeline: Deployment) -> None:
    """retention_days: 14 becomes 1,209,600 seconds."""
    values = ingestion_values(_with_spec(pipeline, "dead_letter", retention_days=14))
    assert values.dead_letter_retention_seconds == 1_209_600


@pytest.mark.parametrize(("approval", "protected"), [("required", True), ("none", False)])
def test_the_table_is_protected_where_applies_need_approval(
    pipeline: Deployment, approval: str, protected: bool
) -> None:
    """Deletion protection follows the environment's approval setting."""
    deployment = replace(pipeline, target=replace(pipeline.target, approval=approval))
    assert ingestion_values(deployment).table_deletion_protection is protected


@pytest.mark.parametrize(("batch_size", "window"), [(1, 0), (10, 0), (11, 1), (1000, 1)])
def test_batches_over_ten_get_the_one_second_window_lambda_requires(
    pipeline: Deployment, batch_size: int, window: int
) -> None:
    """Lambda rejects batch sizes over 10 without a batching window."""
    deployment = _with_spec(pipeline, "processing", batch_size=batch_size)
    assert ingestion_values(deployment).batching_window_seconds == window


@pytest.mark.parametrize(("ttl_days", "enabled"), [(None, False), (30, True)])
def test_ttl_is_enabled_only_with_ttl_days(
    pipeline: Deployment, ttl_days: int | None, enabled: bool
) -> None:
    """The table's TTL is switched on exactly when the store has ttl_days."""
    assert ingestion_values(_with_spec(pipeline, "store", ttl_days=ttl_days)).ttl_enabled is enabled


def test_every_stack_whose_policies_name_the_key_declares_the_key_module() -> None:
    """The derive stage's key reference points at a module block the render stage writes."""
    from generator.derive import KMS_MODULE, derive_stack_roles
    from tests.render.support import render_repo

    result = render_repo()
    checked = 0
    for deployment in result.deployments:
        roles = derive_stack_roles(deployment)
        if roles.roles:
            text = result.tree[PurePosixPath(deployment.key, "main.tf")].decode()
            assert f'module "{KMS_MODULE}" {{' in text, deployment.key
            assert set(roles.references.values()) == {f"module.{KMS_MODULE}.key_arn"}
            checked += 1
    assert checked > 0
