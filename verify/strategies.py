"""Public hypothesis strategies for Spurious problems and points (``from verify.strategies import ...``).

A thin re-export of :mod:`verify.testing.strategies`; see there for each strategy.
"""

from verify.testing.strategies import (  # noqa: F401 — the public names
    ACTIVATION_NAMES,
    activations,
    claims,
    deep_linear_problems,
    directions,
    matrices,
    network_problems,
    points,
    problems,
    rational_critical_cubics,
    rationals,
    relu_teacher_problems,
    smallest_two_layer_problems,
    two_layer_problems,
)

__all__ = ["ACTIVATION_NAMES", "activations", "claims", "deep_linear_problems", "directions", "matrices",
           "network_problems", "points", "problems", "rationals",
           "rational_critical_cubics", "relu_teacher_problems", "smallest_two_layer_problems", "two_layer_problems"]
