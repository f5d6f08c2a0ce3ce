"""Shared fixtures of the measurement-engine tests (no database, no Django)."""

from __future__ import annotations

import numpy as np
import pytest

from manyi.measurement import simulate
from tests.measurement.measurement_cases import SMALL_MODEL


@pytest.fixture
def small_model() -> dict:
    return {k: (dict(v) if isinstance(v, dict) else list(v)) for k, v in SMALL_MODEL.items()}


@pytest.fixture
def ecsi_data() -> dict[str, np.ndarray]:
    """500 discrete answers (1–10) drawn from the ECSI preset."""
    return simulate("ecsi", 500, seed=11).data
