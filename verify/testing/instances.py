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


def generic_deep_regularised_net(widths, seed: int = 0) -> DeepLinear:
    """:func:`generic_regularised_net` for any depth (widths d_0-…-d_H, H ≥ 1 weight matrices): one data point,
    x, y entries ±p/q (1 ≤ p, q ≤ 9), Λ_i entries distinct rationals in [1/2, 3]. Three widths give exactly
    :func:`generic_regularised_net`'s instance; 2-2-2-2 (12 parameters) is the msolve benchmark's depth-3 case."""
    widths = tuple(int(w) for w in widths)
    if len(widths) == 3:
        return generic_regularised_net(widths, seed)
    rng = random.Random(seed)

    def xy():
        return Fraction(rng.choice((-1, 1)) * rng.randint(1, 9), rng.randint(1, 9))

    sizes = [widths[i + 1] * widths[i] for i in range(len(widths) - 1)]
    ks = iter(rng.sample(range(1, 1000), sum(sizes)))

    def lam():
        return Fraction(1, 2) + Fraction(5, 2) * Fraction(next(ks), 1000)

    X = tuple((xy(),) for _ in range(widths[0]))
    Y = tuple((xy(),) for _ in range(widths[-1]))
    reg = tuple(tuple(tuple(lam() for _ in range(widths[i])) for _ in range(widths[i + 1]))
                for i in range(len(widths) - 1))
    return DeepLinear(widths=widths, X=X, Y=Y, reg=reg)
