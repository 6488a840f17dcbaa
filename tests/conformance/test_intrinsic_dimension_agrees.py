"""ONE intrinsic dimension (issue 21): ``spurious intrinsic-dim`` on the data (:func:`verify.exact.intrinsic
.intrinsic_dimension`) and the checker's ``proofs.theorems.data_intrinsic_dimension`` — the number the
``venturi-bandeira-bruna-2018`` theorem entry compares the width with — agree on every instance, and both equal
the rank of the monomial features x^α (|α| = j, c_j ≠ 0) at the samples, UNWEIGHTED by the c_j (REFERENCE.md).

1,200 seeded random two-layer polynomial instances (n ≤ 3, m ≤ 7, degree ≤ 6, small integer and rational data so
that ranks drop), most with coefficients of mixed signs, every fourth in the shape of the finding (samples ±x,
coefficients of one parity cancelling on x·x). The count of instances on which the c_j-weighted kernel
K = Σ_j c_j (x_i·x_k)^j loses rank is asserted too (191 of 1,200 when written), so the draw reaches the failure the
kernel once had: put the weights back in the kernel and this test fails. About 4 s.
"""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import combinations_with_replacement
from math import prod

import flint

from proofs.reader import read_problem
from proofs.theorems import data_intrinsic_dimension
from verify.exact.intrinsic import intrinsic_dimension
from verify.problems import problem_from_dict, problem_to_json

INSTANCES = 1_200
SEED = 20261207


def monomial_rank(X, coeffs) -> int:
    """rank over Q of the m × D matrix [x_i^α] (|α| = j for every j with c_j ≠ 0): the definition, written here."""
    n, m = len(X), len(X[0])
    # a monomial of degree j = a multiset of j variable indices (itertools, not the enumeration intrinsic.py uses)
    monomials = [ks for j, c in enumerate(coeffs) if c != 0 for ks in combinations_with_replacement(range(n), j)]
    rows = []
    for i in range(m):
        vals = [prod((Fraction(X[k][i]) for k in ks), start=Fraction(1)) for ks in monomials]
        rows.append([flint.fmpq(v.numerator, v.denominator) for v in vals])
    return flint.fmpq_mat(rows).rank()


def weighted_kernel_rank(X, coeffs) -> int:
    """rank of Σ_j c_j (x_i·x_k)^j: what the kernel once computed (wrong when the c_j have mixed signs)."""
    cols = list(zip(*X))
    K = [[sum(Fraction(c) * sum(Fraction(a) * b for a, b in zip(u, v)) ** j for j, c in enumerate(coeffs) if c != 0)
          for v in cols] for u in cols]
    return flint.fmpq_mat([[flint.fmpq(x.numerator, x.denominator) for x in row] for row in K]).rank()


def _entry(rng):
    if rng.random() < 0.8:
        return rng.randint(-2, 2)
    return f"{rng.choice([-3, -1, 1, 2, 5])}/{rng.choice([2, 3, 4])}"


def _net(n, coeffs, X, rng):
    X = [[str(Fraction(v)) for v in row] for row in X]
    return problem_from_dict({"kind": "two-layer", "n": n, "width": rng.randint(1, 8), "activation":
                              {"poly": [str(Fraction(c)) for c in coeffs]}, "X": X, "Y": [["0"] * len(X[0])],
                              "train_output": True, "reg": 0})


def draw(rng):
    """A random instance: coefficients of both signs more often than not, small data with repeats."""
    n, m, degree = rng.randint(1, 3), rng.randint(1, 7), rng.randint(1, 5)
    coeffs = [rng.choice([0, 0, 1, -1, 2, -3, 5, "1/2", "-4/3"]) for _ in range(degree + 1)]
    if all(Fraction(c) == 0 for c in coeffs):
        coeffs[-1] = rng.choice([1, -1])
    X = [[_entry(rng) for _ in range(m)] for _ in range(n)]
    if rng.random() < 0.3 and m > 1:       # repeated and opposite samples: the ranks drop
        i, k = rng.sample(range(m), 2)
        for row in X:
            row[k] = Fraction(row[i]) * rng.choice([1, -1, 2])
    return _net(n, coeffs, X, rng)


def draw_cancelling(rng):
    """The finding's shape in any dimension: samples x and −x (s = x·x), and the odd-degree (or even-degree)
    coefficients chosen so that Σ c_j s^j over that parity is 0 — the c_j-weighted kernel then loses rank."""
    n, degree = rng.randint(1, 3), rng.randint(3, 6)
    x = [rng.choice([-2, -1, 1, 2, Fraction(1, 2)]) for _ in range(n)]
    s = sum(v * v for v in x)
    parity = rng.randint(0, 1)
    coeffs = [Fraction(rng.choice([0, 1, -1, 2, -3, 5])) for _ in range(degree + 1)]
    same = [j for j in range(degree + 1) if j % 2 == parity]
    top = same[-1]
    if all(coeffs[j] == 0 for j in same[:-1]):
        coeffs[same[0]] = Fraction(rng.choice([1, -2]))
    coeffs[top] = -sum(coeffs[j] * s ** j for j in same[:-1]) / s ** top
    columns = [x, [-v for v in x]] + [[rng.randint(-2, 2) for _ in range(n)] for _ in range(rng.randint(0, 1))]
    return _net(n, coeffs, [list(r) for r in zip(*columns)], rng)


def test_the_finding_instance():
    """σ = −t⁵ + 5t³ + t² − 4t, X = [[1, −1]] (../shared/findings): dimension 2; the weighted kernel says 1."""
    p = problem_from_dict({"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": [0, -4, 1, 5, 0, -1]},
                           "X": [[1, -1]], "Y": [[0, 0]], "train_output": True, "reg": 0})
    X, coeffs = [[1, -1]], [0, -4, 1, 5, 0, -1]
    assert (monomial_rank(X, coeffs), weighted_kernel_rank(X, coeffs)) == (2, 1)
    assert intrinsic_dimension(p).dimension == 2
    assert data_intrinsic_dimension(read_problem(problem_to_json(p))) == 2


def test_cli_and_kernel_agree_on_random_instances():
    rng = random.Random(SEED)
    mixed = weighted_differs = 0
    for k in range(INSTANCES):
        p = draw_cancelling(rng) if k % 4 == 3 else draw(rng)
        coeffs = list(p.activation)
        mine = intrinsic_dimension(p).dimension
        kernel = data_intrinsic_dimension(read_problem(problem_to_json(p)))
        want = monomial_rank(p.X, coeffs)
        assert mine == kernel == want, (k, problem_to_json(p), mine, kernel, want)
        signs = {c > 0 for c in coeffs if c != 0}
        mixed += len(signs) == 2
        weighted_differs += weighted_kernel_rank(p.X, coeffs) != want
    assert mixed >= INSTANCES // 2, mixed
    assert weighted_differs >= INSTANCES // 12, weighted_differs
