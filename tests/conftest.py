"""Shared test set-up: hypothesis profiles chosen by SPURIOUS_HYPOTHESIS_PROFILE (``ci`` default, ``thorough``)."""

import os
import sys

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("SPURIOUS_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _torch_one_thread():
    """torch single-threaded in every test that loaded it: deterministic, and immune to the 10–70× slow-down
    that its intra-op threads suffer when another process holds a core. Tests that never import torch are
    untouched (torch is not imported here)."""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)
    yield
