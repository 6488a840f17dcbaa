"""The intrinsic dimension dim span{σ(w·x)} (Venturi, Bandeira & Bruna 2018; verify/exact/intrinsic.py).

Known answers (issue 11): t² on R^n → n(n+1)/2, t³ on R² → 4, t + t² on R² → 5, and on data the rank never exceeds
the number of samples. Each route is re-computed here independently of the library: the population formula
against the rank of σ(w_k·z_l) at many random points, the polynomial data rank against Gaussian elimination over
Fractions on the monomial matrix, the relu data rank against the cells of the line arrangement in R².
"""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import flint
import pytest
from hypothesis import given
from hypothesis import strategies as st

from verify.errors import InputError, TooLargeError
from verify.exact.intrinsic import (
    MAX_SAMPLES,
    Bound,
    Method,
    Source,
    evaluation_rank,
    intrinsic_dimension,
    polynomial_data_rank,
    relu_relations_bound,
)
from verify.problems import problem_from_dict


def net(n, activation, X, width=3):
    act = activation if activation == "relu" else {"poly": list(activation)}
    return problem_from_dict({"kind": "two-layer", "n": n, "width": width, "activation": act, "X": X,
                              "Y": [[0] * len(X[0])]})


def generic_X(n, m, seed=0, size=50):
    rng = random.Random(seed)
    return [[Fraction(rng.randint(-size, size), rng.randint(1, size)) for _ in range(m)] for _ in range(n)]


def rank(rows) -> int:
    """Rank over Q by Gaussian elimination on Fractions (independent of python-flint)."""
    rows = [[Fraction(v) for v in r] for r in rows]
    r = 0
    for c in range(len(rows[0]) if rows else 0):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c] / rows[r][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        r += 1
    return r


def sigma(coeffs, t):
    return sum((c * t**j for j, c in enumerate(coeffs)), Fraction(0))


# ------------------------------------------------------------------------------------------- population

@pytest.mark.parametrize("n", range(1, 8))
def test_square_on_Rn_gives_n_n_plus_1_over_2(n):
    r = intrinsic_dimension(net(n, [0, 0, 1], generic_X(n, 2)), population=True)
    assert (r.dimension, r.status, r.source, r.method) == (n * (n + 1) // 2, Bound.EXACT, Source.POPULATION,
                                                           Method.DEGREE_FORMS)


@pytest.mark.parametrize("coeffs,expected", [([0, 0, 0, 1], 4), ([0, 1, 1], 5), ([1, 0, 1], 4), ([0, -3, 0, 1], 6),
                                             ([7], 1), ([0, 1], 2), (["1/2", 0, 0, 0, 0, 0, 1], 1 + 7)])
def test_population_on_R2(coeffs, expected):
    r = intrinsic_dimension(net(2, coeffs, generic_X(2, 3)), population=True)
    assert r.dimension == expected and r.status is Bound.EXACT
    assert sum(t["dimension"] for t in r.to_json()["terms"]) == expected


@pytest.mark.parametrize("n,coeffs", [(1, [0, 0, 1]), (2, [0, 0, 0, 1]), (2, [0, 1, 1]), (3, [0, 0, 1]),
                                      (3, [1, 0, 1, 1]), (2, [0, 0, 0, 0, 2])])
def test_population_formula_matches_the_span_of_sigma_w_x_at_random_points(n, coeffs):
    """The functions x ↦ σ(w_k·x) for K random w_k, evaluated at L ≫ dim random points z_l: the rank of
    [σ(w_k·z_l)] is ≤ dim V for any points and equals it for generic ones (finite-dimensional polynomial space)."""
    expected = intrinsic_dimension(net(n, coeffs, generic_X(n, 2)), population=True).dimension
    rng = random.Random(1)
    W = [[Fraction(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(n)] for _ in range(expected + 4)]
    Z = [[Fraction(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(n)] for _ in range(expected + 4)]
    c = [Fraction(v) for v in coeffs]
    M = [[sigma(c, sum(a * b for a, b in zip(w, z))) for z in Z] for w in W]
    assert rank(M) == expected


def test_relu_population():
    assert intrinsic_dimension(net(1, "relu", [[1, -2]]), population=True).dimension == 2
    r = intrinsic_dimension(net(2, "relu", [[1, 0], [0, 1]]), population=True)
    assert r.status is Bound.INFINITE and r.dimension is None and r.width_reaches is False
    assert r.to_json()["intrinsic_dimension"] is None and r.to_json()["status"] == "infinite"


# ------------------------------------------------------------------------------------------- data, polynomial

def monomial_matrix(X, degrees):
    n, m = len(X), len(X[0])
    cols = [[X[r][i] for r in range(n)] for i in range(m)]
    alphas = [a for j in degrees for a in itertools.product(range(j + 1), repeat=n) if sum(a) == j]
    return [[math.prod((x[r] ** a[r] for r in range(n)), start=Fraction(1)) for a in alphas] for x in cols]


@pytest.mark.parametrize("n,coeffs,m", [(3, [0, 0, 1], 4), (2, [0, 1, 1], 3), (4, [0, 0, 1], 7), (2, [0, 0, 0, 1], 2)])
def test_data_rank_is_bounded_by_the_number_of_samples(n, coeffs, m):
    """m generic samples, fewer than the population dimension: the data dimension is m, not the population's."""
    p = net(n, coeffs, generic_X(n, m, seed=m))
    population = intrinsic_dimension(p, population=True).dimension
    r = intrinsic_dimension(p)
    assert m < population and r.dimension == m and r.status is Bound.EXACT and r.source is Source.DATA
    assert r.upper_bound == m and r.to_json()["samples"] == m


def test_data_rank_of_samples_on_a_line():
    """t² on R² at samples c·(1, 2): every σ(w·x_i) = (w·(1,2))² c_i², one direction: dimension 1 < m = 4."""
    r = intrinsic_dimension(net(2, [0, 0, 1], [[1, 2, -1, 3], [2, 4, -2, 6]]))
    assert r.dimension == 1
    r = intrinsic_dimension(net(2, [0, 1, 1], [[1, 2, -1, 3], [2, 4, -2, 6]]))   # t + t²: c and c² on 4 points
    assert r.dimension == 2


@given(n=st.integers(1, 3), m=st.integers(1, 9), degrees=st.sets(st.integers(0, 4), min_size=1),
       data=st.data())
def test_polynomial_data_rank_matches_the_monomial_matrix(n, m, degrees, data):
    entries = st.integers(-3, 3) if data.draw(st.booleans()) else st.fractions(-3, 3, max_denominator=4)
    X = [[data.draw(entries) for _ in range(m)] for _ in range(n)]
    coeffs = [1 if j in degrees else 0 for j in range(max(degrees) + 1)]
    expected = rank(monomial_matrix(X, sorted(degrees)))
    r = intrinsic_dimension(net(n, coeffs, X))
    assert r.dimension == expected and r.status is Bound.EXACT
    assert r.dimension <= min(m, intrinsic_dimension(net(n, coeffs, X), population=True).dimension)


def test_the_kernel_route_agrees_with_the_monomial_route():
    """forms > m selects the m × m kernel Σ_j (x_i·x_k)^j; both routes on the same data (forms passed larger)."""
    for seed in range(5):
        X = generic_X(3, 12, seed=seed, size=3)
        X = [row[:6] + row[:6] for row in X]                                  # repeated samples: rank < m
        F = flint.fmpq_mat([[flint.fmpq(v.numerator, v.denominator) for v in row] for row in X])
        by_monomials, how_m = polynomial_data_rank(F, (1, 2), 9)
        by_kernel, how_k = polynomial_data_rank(F, (1, 2), 10**6)
        assert by_monomials == by_kernel == rank(monomial_matrix(X, (1, 2))) and "kernel" in how_k


# ------------------------------------------------------------------------------------------- data, relu

def relu_dimension_by_cells(X):
    """dim span{relu(w·X)} for n = 2 from the arrangement of the lines x_i^⊥: on the open cell with active set S,
    relu(w·X) = D_S Xᵀ w spans range(D_S Xᵀ); lower-dimensional faces add nothing (continuity). One point per
    cell: the sum of two consecutive directions ±x_i^⊥ sorted by angle."""
    cols = [(Fraction(a), Fraction(b)) for a, b in zip(*X)]
    dirs = {}
    for a, b in cols:
        if (a, b) != (0, 0):
            for s in (1, -1):
                scale = max(abs(a), abs(b))
                u = (-s * b / scale, s * a / scale)                  # one key per direction
                dirs[u] = math.atan2(u[1], u[0])
    order = sorted(dirs, key=dirs.get)
    if len(order) == 2:                                   # one line: the two half-planes
        points = [cols[next(i for i, c in enumerate(cols) if c != (0, 0))]]
        points.append((-points[0][0], -points[0][1]))
    else:
        points = [(u[0] + v[0], u[1] + v[1]) for u, v in zip(order, order[1:] + order[:1])]
    rows = []
    for w in points:
        active = [w[0] * a + w[1] * b > 0 for a, b in cols]
        rows += [[c[r] if on else 0 for c, on in zip(cols, active)] for r in range(2)]
    return rank(rows) if rows else 0


@pytest.mark.parametrize("X,expected", [
    ([[1, 0, -1, 0, 1, -1], [0, 1, 0, -1, 1, -1]], 5),              # ±e1, ±e2, ±(e1 + e2): one relation
    ([[1, -1, 2, 0, 1, "1/2"], [0, 0, 0, 0, 1, "-3/2"]], 4),        # a repeated ray, a zero sample, a pair
    ([[1, 2, 3], [1, 2, 3]], 1),                                    # one ray
    ([[0, 0], [0, 0]], 0),                                          # only zero samples
    ([[1, 0, 0, 1, -1, 0, 0, -1, 1, -1], [0, 1, 0, 1, 0, -1, 0, -1, 1, -1], [0, 0, 1, 0, 0, 0, -1, 0, 1, -1]], 8),
])
def test_relu_data_known_answers(X, expected):
    n = len(X)
    r = intrinsic_dimension(net(n, "relu", X))
    assert (r.dimension, r.status, r.upper_bound) == (expected, Bound.EXACT, expected)
    assert relu_relations_bound(net(n, "relu", X).X) == expected
    if n == 2:
        assert relu_dimension_by_cells(net(n, "relu", X).X) == expected


@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=12))
def test_relu_data_matches_the_cells_of_the_arrangement(samples):
    X = [[a for a, _ in samples], [b for _, b in samples]]
    p = net(2, "relu", X)
    expected = relu_dimension_by_cells(p.X)
    r = intrinsic_dimension(p)
    assert (r.dimension, r.status, r.upper_bound) == (expected, Bound.EXACT, expected)
    assert r.dimension <= len(samples)


def test_relu_thin_cells_are_reached():
    """60 directions within 10⁻³ rad of each other: the cells are thin, the rank still reaches m."""
    X = [[1000 + i for i in range(60)], [1] * 60]
    r = intrinsic_dimension(net(2, "relu", X))
    assert (r.dimension, r.status) == (60, Bound.EXACT) and r.evaluations is not None


def test_relu_out_of_time_is_a_lower_bound_never_more():
    r = intrinsic_dimension(net(2, "relu", generic_X(2, 30)), timeout=1e-9)
    assert r.status is Bound.LOWER_BOUND and r.dimension < r.upper_bound == 30
    out = r.to_json()
    assert out["status"] == "lower-bound" and out["width_at_least_dimension"] is None
    assert "lower bound" in out["reason"]


def test_evaluation_rank_is_a_lower_bound_for_any_activation():
    """The generic route on a polynomial σ: its rank (mod p) never exceeds the exact data dimension, and with a
    target equal to it, reaches it."""
    for seed, coeffs in enumerate(([0, 0, 1], [1, 1, 0, 1], [0, 0, 0, 0, 1])):
        p = net(3, coeffs, generic_X(3, 8, seed=seed, size=5))
        exact = intrinsic_dimension(p).dimension
        c = [flint.fmpq(int(v.numerator), int(v.denominator)) for v in p.activation]
        F = flint.fmpq_mat([[flint.fmpq(v.numerator, v.denominator) for v in row] for row in p.X])
        got, k, why = evaluation_rank(F, lambda t, c=c: sum((cj * t**j for j, cj in enumerate(c)), flint.fmpq(0)),
                                      exact, seed=seed)
        assert got == exact and k >= exact, why
        capped, _, _ = evaluation_rank(F, lambda t: t * t, 8, seed=seed, patience=1)
        assert capped <= intrinsic_dimension(net(3, [0, 0, 1], [list(row) for row in p.X])).dimension


# ------------------------------------------------------------------------------------------- width, JSON, input

@pytest.mark.parametrize("width,expected", [(2, False), (3, True), (5, True)])
def test_width_against_the_dimension(width, expected):
    r = intrinsic_dimension(net(2, [0, 0, 1], generic_X(2, 5), width=width), population=True)
    assert r.width_reaches is expected and r.to_json()["width_at_least_dimension"] is expected


def test_json_fields():
    out = intrinsic_dimension(net(2, [0, 1, 1], generic_X(2, 5), width=4), population=True).to_json()
    assert {"intrinsic_dimension": 5, "width": 4, "width_at_least_dimension": False, "status": "exact",
            "source": "population", "method": "degree-forms", "n": 2, "samples": None}.items() <= out.items()
    assert out["terms"] == [{"degree": 1, "coefficient": "1", "dimension": 2},
                            {"degree": 2, "coefficient": "1", "dimension": 3}]
    assert out["formula"].endswith("C(2, 1) + C(3, 2) = 5")


def test_other_kinds_name_the_field():
    dl = problem_from_dict({"kind": "deep-linear", "widths": [1, 1], "X": [[1]], "Y": [[1]]})
    with pytest.raises(InputError) as e:
        intrinsic_dimension(dl)
    assert e.value.field == "kind" and "two-layer" in str(e.value)


def test_too_many_samples():
    with pytest.raises(TooLargeError) as e:
        intrinsic_dimension(net(1, [0, 0, 1], [list(range(MAX_SAMPLES + 1))]))
    assert e.value.field == "X"
