"""The exact layer against independent computations: sympy's symbolic derivatives, numpy's SVD."""

from fractions import Fraction as F

import numpy as np
import sympy
from hypothesis import given
from hypothesis import strategies as st

from verify import DeepLinear, TwoLayer
from verify.exact.derivatives import curve_loss, taylor
from verify.exact.global_min import additive_compound, equals_global_min, gram_A
from verify.exact.inertia import congruence_diagonalise, inertia
from verify.exact.loss import fq, symbolic_loss

rat = st.fractions(min_value=-3, max_value=3, max_denominator=4)


def mat(draw, r, c):
    return tuple(tuple(draw(rat) for _ in range(c)) for _ in range(r))


@st.composite
def problems(draw):
    m = draw(st.integers(1, 3))
    if draw(st.booleans()):
        widths = tuple(draw(st.lists(st.integers(1, 2), min_size=2, max_size=4)))
        reg = draw(st.sampled_from([F(0), F(1, 2)]))
        return DeepLinear(widths=widths, X=mat(draw, widths[0], m), Y=mat(draw, widths[-1], m), reg=reg)
    n, p, dy = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    act = tuple(draw(st.lists(rat, min_size=1, max_size=4)).__iter__())
    if all(c == 0 for c in act):
        act = act[:-1] + (F(1),)
    train = draw(st.booleans())
    out = None if train else mat(draw, dy, p)
    return TwoLayer(n=n, width=p, activation=act, X=mat(draw, n, m), Y=mat(draw, dy, m),
                    train_output=train, output=out)


def q(x):
    return F(int(x.p), int(x.q))


@given(problems(), st.data())
def test_flint_taylor_matches_sympy(prob, data):
    point = [data.draw(rat) for _ in range(prob.n_params)]
    expr, syms = symbolic_loss(prob)
    subs = {s: sympy.Rational(p.numerator, p.denominator) for s, p in zip(syms, point)}
    t = taylor(prob, point)
    assert q(t.loss) == F(str(expr.subs(subs)))
    for i, s in enumerate(syms):
        d1 = sympy.diff(expr, s)
        assert q(t.gradient[i]) == F(str(d1.subs(subs)))
        for j, s2 in enumerate(syms[i:], start=i):
            assert q(t.hessian[i][j]) == q(t.hessian[j][i]) == F(str(sympy.diff(d1, s2).subs(subs)))


@given(problems(), st.data())
def test_curve_loss_is_composition(prob, data):
    n = prob.n_params
    point = [data.draw(rat) for _ in range(n)]
    v = [data.draw(rat) for _ in range(n)]
    w = [data.draw(rat) for _ in range(n)]
    f = curve_loss(prob, point, [v, w])
    for t in (F(0), F(1, 3), F(-2)):
        direct = taylor(prob, [a + t * b + t * t * c for a, b, c in zip(point, v, w)]).loss
        assert q(f(fq(t))) == q(direct)


@given(st.integers(1, 5), st.data())
def test_congruence_is_exact(n, data):
    A = [[None] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):
            A[i][j] = A[j][i] = data.draw(st.sampled_from([F(0), F(0), F(1), F(-1), F(1, 2), F(3)]))
    M, D = congruence_diagonalise(A)
    Mq = [[q(x) for x in row] for row in M]
    MHMt = [[sum(Mq[i][a] * A[a][b] * Mq[j][b] for a in range(n) for b in range(n)) for j in range(n)]
            for i in range(n)]
    assert MHMt == [[q(D[i]) if i == j else 0 for j in range(n)] for i in range(n)]
    assert sympy.Matrix(Mq).det() != 0
    ev = np.linalg.eigvalsh(np.array(A, dtype=float))
    neg, zero, pos = inertia(D)
    assert (neg, pos) == (int((ev < -1e-9).sum()), int((ev > 1e-9).sum()))


@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_additive_compound_eigenvalues(d, r, data):
    r = min(r, d)
    rows = [[data.draw(st.integers(-3, 3)) for _ in range(d)] for _ in range(d)]
    S = np.array(rows, dtype=float)
    S = S + S.T
    import flint
    C = additive_compound(flint.fmpq_mat([[int(x) for x in row] for row in S]), r)
    ev = np.sort(np.linalg.eigvalsh(S))
    from itertools import combinations
    sums = np.sort([sum(ev[list(c)]) for c in combinations(range(d), r)])
    Cn = np.array([[float(C[i, j]) for j in range(C.ncols())] for i in range(C.nrows())])
    assert np.allclose(np.sort(np.linalg.eigvals(Cn).real), sums, atol=1e-8)


@given(st.data())
def test_global_min_value_matches_svd(data):
    dx, dy, m = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3)), data.draw(st.integers(1, 4))
    r = data.draw(st.integers(1, 3))
    X = tuple(tuple(F(data.draw(st.integers(-3, 3))) for _ in range(m)) for _ in range(dx))
    Y = tuple(tuple(F(data.draw(st.integers(-3, 3))) for _ in range(m)) for _ in range(dy))
    prob = DeepLinear(widths=(dx, r, dy), X=X, Y=Y)
    Xn, Yn = np.array(X, dtype=float), np.array(Y, dtype=float)
    # numeric reduced-rank regression: project Y on X's row space, truncate the SVD
    YP = Yn @ np.linalg.pinv(Xn) @ Xn
    s = np.linalg.svd(YP, compute_uv=False)
    L_star = 0.5 * ((Yn ** 2).sum() - (s[:min(r, len(s))] ** 2).sum())
    A = gram_A(prob)
    An = np.array([[float(A[i, j]) for j in range(dy)] for i in range(dy)])
    assert np.allclose(An, YP @ YP.T, atol=1e-9)
    # equals_global_min must accept the rational L* when it is rational, and reject L* + 1/7
    rounded = F(L_star).limit_denominator(10_000)
    if abs(float(rounded) - L_star) < 1e-12:
        assert equals_global_min(prob, rounded)
    assert not equals_global_min(prob, rounded + F(1, 7))
