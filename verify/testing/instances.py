"""Known-answer instance generators shared by the tests and the benchmarks (not used by the search itself)."""

from __future__ import annotations

import random
from fractions import Fraction

from verify.problems import DeepLinear


def generic_regularised_net(widths, seed: int = 0) -> DeepLinear:
    """A one-hidden-layer deep linear net (d_x, d, d_y) with ONE data point and Mehta et al.'s per-weight
    regulariser, generic from ``seed``: x, y entries ±p/q (1 ≤ p, q ≤ 9), Λ entries distinct rationals in
    [1/2, 3]. Used by the critical-count tests and the Gröbner benchmark (REFERENCE.md's table)."""
    rng = random.Random(seed)

    def xy():
        return Fraction(rng.choice((-1, 1)) * rng.randint(1, 9), rng.randint(1, 9))

    dx, d, dy = widths
    ks = iter(rng.sample(range(1, 1000), d * dx + dy * d))

    def lam():
        return Fraction(1, 2) + Fraction(5, 2) * Fraction(next(ks), 1000)

    X = tuple((xy(),) for _ in range(dx))
    Y = tuple((xy(),) for _ in range(dy))
    reg = (tuple(tuple(lam() for _ in range(dx)) for _ in range(d)),
           tuple(tuple(lam() for _ in range(d)) for _ in range(dy)))
    return DeepLinear(widths=tuple(widths), X=X, Y=Y, reg=reg)
