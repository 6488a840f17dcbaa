"""The kernel's fast paths agree with the sympy model: the Gauss–Newton matrix product for dense Hessians
(exact and ball), the doubling truncation of curves, flint linear algebra (congruence, rank-dual projector)."""

import random
from fractions import Fraction

import sympy as sp
from certlib import Model

from proofs import kernel, linalg, loss
from proofs.reader import read_problem

RNG = random.Random(20240614)


def _q():
    return str(Fraction(RNG.randint(-6, 6), RNG.randint(1, 3)))


def _dense_two_layer():
    """Trained two-layer net, 2 inputs, width 6, 10 samples: every residual depends on all 18 parameters,
    so loss._squares takes the JᵀJ path (Σ nnz² = 3,240 > 4·10·18 + 1,000)."""
    prob = {"kind": "two-layer", "n": 2, "width": 6, "activation": {"poly": ["1/2", "-1", "1/3"]},
            "X": [[_q() for _ in range(10)] for _ in range(2)], "Y": [[_q() for _ in range(10)]],
            "train_output": True, "output": None, "reg": "1/7"}
    return prob, [_q() for _ in range(18)]


def test_dense_exact_hessian_matches_sympy(monkeypatch):
    prob, point = _dense_two_layer()
    P = read_problem(prob)
    p = [Fraction(v) for v in point]
    calls = []
    monkeypatch.setattr(loss, "qmat", lambda A: calls.append(len(A)) or linalg.qmat(A))
    H = kernel.hessian(P, p)
    assert calls == [10]   # the JᵀJ path ran, on the 10 residuals
    monkeypatch.undo()
    want = Model(prob, point).H
    assert sp.Matrix(H) == want
    assert kernel.gradient(P, p) == Model(prob, point).grad
    assert loss.loss(P, p) == Model(prob, point).loss


def test_dense_ball_hessian_contains_the_exact_one():
    prob, point = _dense_two_layer()
    P = read_problem(prob)
    p = [Fraction(v) for v in point]
    with loss.precision(256):
        J = kernel.hessian_of(loss.loss(P, kernel.box_jets(p, [Fraction(1, 10**9)] * 18, 2), loss.to_arb), 18)
    want = Model(prob, point).H
    for i in range(18):
        for j in range(18):
            exact = want[i, j]
            assert J[i][j].contains(loss.to_arb(Fraction(int(exact.p), int(exact.q)))), (i, j)


def test_curve_lowest_term_matches_full_expansion():
    prob = {"kind": "deep-linear", "widths": [1] * 7, "X": [[1]], "Y": [[1]], "reg": 0}
    P = read_problem(prob)
    for _ in range(20):
        curve = [[Fraction(RNG.randint(-3, 3), RNG.randint(1, 4)) * RNG.randint(0, 1) for _ in range(6)]
                 for _ in range(3)]
        if not any(any(c) for c in curve):
            continue
        full = kernel._along(P, [0] * 6, curve, None)
        k = next((k for k, v in enumerate(full) if v != 0), None)
        if k is None:
            continue
        f = kernel.rule_curve(P, [0] * 6, curve, "descent")
        assert f.data == (k, full[k])
        assert full == Model(prob, [0] * 6).along([[str(x) for x in c] for c in curve])


def test_flint_linear_algebra():
    for _ in range(20):
        n = RNG.randint(1, 5)
        A = sp.Matrix(n, n, lambda i, j: sp.Rational(RNG.randint(-3, 3), RNG.randint(1, 3)))
        S = A + A.T
        M = sp.Matrix(n, n, lambda i, j: sp.Rational(RNG.randint(-2, 2), RNG.randint(1, 2)))
        Mf = [[Fraction(int(v.p), int(v.q)) for v in row] for row in M.tolist()]
        Sf = [[Fraction(int(v.p), int(v.q)) for v in row] for row in S.tolist()]
        assert linalg.invertible(Mf) == (M.det() != 0)
        D = M * S * M.T
        if M.det() != 0 and D.is_diagonal():
            assert linalg.congruence(Sf, Mf, "c") == [D[i, i] for i in range(n)]
        X = sp.Matrix(n, RNG.randint(1, 4), lambda i, j: RNG.randint(-2, 2))
        Y = sp.Matrix(2, X.cols, lambda i, j: RNG.randint(-2, 2))
        A = linalg.projected_gram([[Fraction(int(v)) for v in row] for row in X.tolist()],
                                  [[Fraction(int(v)) for v in row] for row in Y.tolist()])
        Pi = X.T * (X * X.T).pinv() * X
        assert sp.Matrix(A) == Y * Pi * Y.T
