"""Shared test settings: a bounded, deadline-free hypothesis profile for CI, and a
seeded library generator for every test."""
import os
import sys
from pathlib import Path

import pytest

from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).resolve().parent))   # for op_table

settings.register_profile("ci", deadline=None, max_examples=25, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _seeded():
    """Every test starts from the same state of the library's generator, so
    tests that use random defaults do not depend on which tests ran before."""
    from autograd_core import manual_seed
    manual_seed(0)
