"""Ball arithmetic helpers (python-flint ``arb``, outward rounded): what the certified enumeration evaluates on boxes.

* :func:`eval_terms` encloses the range of a polynomial Σ c·θ^e over a box of balls;
* :func:`certify_inertia` proves the inertia of EVERY symmetric matrix in a ball matrix (Gershgorin discs after
  an approximate eigenvector congruence M H Mᵀ, M from numpy: the enclosure is rigorous whatever M is);
* :func:`float_down` / :func:`float_up` round a ball's end points outward to floats; :func:`disjoint` tests a
  list of balls for pairwise disjointness.

``None`` from :func:`certify_inertia` means "not certified at this precision", not "indefinite".
"""

from __future__ import annotations

import math
from fractions import Fraction

import flint


def arb_of(x) -> flint.arb:
    if isinstance(x, flint.arb):
        return x
    if isinstance(x, Fraction):
        x = flint.fmpq(x.numerator, x.denominator)
    return flint.arb(x)


def eval_terms(terms, xs) -> flint.arb:
    """Interval evaluation of Σ c·θ^e at the ball vector xs (encloses the range over the box)."""
    total = flint.arb(0)
    for e, c in terms:
        t = flint.arb(c)
        for x, k in zip(xs, e):
            if k:
                t *= arb_pow(x, k)
        total += t
    return total


def arb_pow(x: flint.arb, k: int) -> flint.arb:
    """x^k by repeated squaring (python-flint's ``arb ** int`` returns nan on a ball around 0)."""
    result, base = flint.arb(1), x
    while k:
        if k & 1:
            result *= base
        k >>= 1
        if k:
            base *= base
    return result


def float_down(x: flint.arb) -> float:
    lo = x.lower()
    f = float(lo)
    if flint.arb(f) > lo:
        f = math.nextafter(f, -math.inf)
    return f


def float_up(x: flint.arb) -> float:
    hi = x.upper()
    f = float(hi)
    if flint.arb(f) < hi:
        f = math.nextafter(f, math.inf)
    return f


def disjoint(balls) -> bool:
    s = sorted(balls, key=lambda b: float(b.mid()))
    return all(not a.overlaps(b) for a, b in zip(s, s[1:]))


def certify_inertia(H):
    """Inertia (neg, zero, pos) of every symmetric matrix in the ball matrix H, or None if not certified."""
    import numpy as np

    n = len(H)
    mid = np.array([[float(h.mid()) for h in row] for row in H])
    if not np.all(np.isfinite(mid)):
        return None
    _, V = np.linalg.eigh((mid + mid.T) / 2)
    M = flint.arb_mat(n, n, [float(V[j, i]) for i in range(n) for j in range(n)])  # rows = eigenvectors
    Hm = flint.arb_mat(n, n, [h for row in H for h in row])
    C = M * Hm * M.transpose()
    neg = pos = 0
    for i in range(n):
        off = flint.arb(0)
        for j in range(n):
            if j != i:
                off += C[i, j].abs_upper()
        if not (C[i, i].abs_lower() > off):
            return None
        if C[i, i] > 0:
            pos += 1
        elif C[i, i] < 0:
            neg += 1
        else:
            return None
    return (neg, 0, pos)
