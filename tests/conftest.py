"""Shared test set-up: hypothesis profiles chosen by SPURIOUS_HYPOTHESIS_PROFILE (``ci`` default, ``thorough``)."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("SPURIOUS_HYPOTHESIS_PROFILE", "ci"))
