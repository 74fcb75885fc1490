"""Shared paths and helpers of the review tests (fixture plans live in ``plans/``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.review import Review, review_plans

PLANS = Path(__file__).parent / "plans"
DEV = PLANS / "dev" / "orders" / "plan.json"
PRD = PLANS / "prd" / "orders" / "plan.json"
CREATE = PLANS / "create.json"
BAD = PLANS / "bad"

# tests/conftest.py already points TRELLIS_CHECKOV at the checkout's .venv-checkov; this
# keeps the review tests' own guarantee when they are collected alone.
_LOCAL_CHECKOV = Path(__file__).resolve().parents[2] / ".venv-checkov" / "bin" / "checkov"
if _LOCAL_CHECKOV.is_file():
    os.environ.setdefault("TRELLIS_CHECKOV", str(_LOCAL_CHECKOV))


@pytest.fixture(scope="session")
def fixture_review() -> Review:
    """The three fixture plans reviewed without checkov (pure Python, fast)."""
    return review_plans([DEV, PRD, CREATE], run_checkov=False)
