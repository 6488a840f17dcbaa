"""Every loss of :mod:`verify.problems.losses` means the same thing in the three layers that compute it.

For random small rational problems (deep linear and two-layer polynomial nets) and points (hypothesis), with every
loss — square, mse, power 4 and 6, a polynomial φ (random, often non-convex), huber off its kink, logistic with ±1
labels, cross-entropy with probability columns — we compare L, ∇L and ∇²L from

* the exact layer: :func:`verify.exact.derivatives.taylor` (the problem's ``ring_loss`` over python-flint
  polynomials; polynomial losses only);
* the checker: :func:`proofs.loss.loss` over second-order Jets, exact Fractions for the polynomial losses and huber,
  outward-rounded arb balls for logistic and cross-entropy (it reads the problem itself, from its JSON form);
* the numeric layer: :func:`numeric.losses.make_loss` with autograd / ``torch.func`` Hessians (float64).

Exact layer and checker must agree EXACTLY; the numeric layer to 1e-9 relative (norm-wise), and for the
transcendental losses each numeric number must lie in the checker's ball widened by that tolerance.
:func:`test_a_wrong_loss_is_caught` runs the same comparison against deliberately wrong torch losses (an mse
without the 1/d_y, a huber with slope 2δ, a logistic with the labels' sign flipped) and requires a disagreement.
"""

from fractions import Fraction as F

import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st

from numeric import losses as numeric_losses
from numeric.hessian import hessians
from numeric.losses import make_loss, value_and_grad
from proofs import loss as checker
from proofs.reader import Rejected, read_problem
from verify.exact.derivatives import taylor
from verify.exact.loss import to_fraction
from verify.problems import DeepLinear, TwoLayer
from verify.problems.losses import Loss

D = torch.float64
REL = 1e-9
rat = st.fractions(min_value=-2, max_value=2, max_denominator=3)
pos = st.fractions(min_value=F(1, 4), max_value=3, max_denominator=4)
KINDS = ("square", "mse", "power4", "power6", "poly", "huber", "logistic", "cross-entropy")
NONCONVEX = [0, 0, -1, 0, 1]                     # φ = t⁴ − t²


def mat(draw, r, c, s=rat):
    return tuple(tuple(draw(s) for _ in range(c)) for _ in range(r))


@st.composite
def losses_and_targets(draw, dy: int, m: int):
    """(loss, Y): a loss of :data:`KINDS` and d_y × m targets it accepts."""
    kind = draw(st.sampled_from(KINDS if dy >= 2 else KINDS[:-1]))
    if kind == "logistic":
        return Loss.from_value(kind), mat(draw, dy, m, st.sampled_from([F(-1), F(1)]))
    if kind == "cross-entropy":
        cols = []
        for _ in range(m):
            w = [draw(st.integers(0, 3)) for _ in range(dy)]
            w[draw(st.integers(0, dy - 1))] += 1
            cols.append([F(x, sum(w)) for x in w])
        return Loss.from_value(kind), tuple(zip(*cols))
    if kind.startswith("power"):
        value = {"power": int(kind[5:])}
    elif kind == "poly":
        value = {"poly": draw(st.one_of(st.just(NONCONVEX),
                                        st.lists(rat, min_size=4, max_size=4).map(lambda c: c + [F(1, 2)])))}
    elif kind == "huber":
        value = {"huber": draw(pos)}
    else:
        value = kind
    return Loss.from_value(value), mat(draw, dy, m)


@st.composite
def cases(draw):
    """(problem, point): small enough that the exact Taylor expansion of a degree-6 loss stays fast."""
    m = draw(st.integers(1, 2))
    if draw(st.booleans()):
        widths = tuple(draw(st.lists(st.integers(1, 2), min_size=2, max_size=4)))
        loss, Y = draw(losses_and_targets(widths[-1], m))
        if loss.name in ("power", "poly") and len(loss.phi(1, 1)) > 5:
            widths = widths[:3]                   # degree 6 × depth 3 expands to ~10⁵ terms: keep depth ≤ 2
        prob = DeepLinear(widths=widths, X=mat(draw, widths[0], m), Y=Y, loss=loss,
                          reg=draw(st.sampled_from([F(0), F(1, 3)])))
    else:
        n, p, dy = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
        loss, Y = draw(losses_and_targets(dy, m))
        act = (draw(rat), draw(rat), F(1))
        train, reg = draw(st.booleans()), draw(st.sampled_from([F(0), F(1, 2)]))
        prob = TwoLayer(n=n, width=p, activation=act, X=mat(draw, n, m), Y=Y, train_output=train,
                        output=None if train else mat(draw, dy, p), loss=loss, reg=reg)
    return prob, [draw(rat) for _ in range(prob.n_params)]


def hessian_of(jet, n):
    H = [[0] * n for _ in range(n)]
    for (i, j), v in jet.q.items():
        H[i][j] = H[j][i] = 2 * v if i == j else v
    return H


def checker_derivatives(prob, point):
    """(L, ∇L, ∇²L) by the checker: exact Fractions, or arb balls for a transcendental loss."""
    P = read_problem(prob.to_json())
    ball = not prob.loss.polynomial and prob.loss.name != "huber"
    lift = checker.to_arb if ball else None
    jet = checker.loss(P, [checker.Jet(lift(x) if ball else x, {i: 1}, {}) for i, x in enumerate(point)], lift)
    n = len(point)
    if not isinstance(jet, checker.Jet):            # L does not depend on θ (e.g. U fixed to 0)
        return jet, [0] * n, [[0] * n for _ in range(n)]
    return jet.c, [jet.l.get(i, 0) for i in range(n)], hessian_of(jet, n)


def exact_derivatives(prob, point):
    """(L, ∇L, ∇²L) by the exact layer (python-flint Taylor expansion), as Fractions."""
    t = taylor(prob, point)
    return (to_fraction(t.loss), [to_fraction(g) for g in t.gradient],
            [[to_fraction(h) for h in row] for row in t.hessian])


def numeric_derivatives(prob, point):
    L = make_loss(prob, device="cpu")
    th = torch.tensor([[float(x) for x in point]], dtype=D)
    v, g = value_and_grad(L, th)
    return float(v[0]), g[0].tolist(), hessians(L, th)[0].tolist()


def _flat(x):
    return [x] if not isinstance(x, list) else [v for item in x for v in _flat(item)]


def disagreements(prob, point) -> list[str]:
    """What differs between the layers at ``point`` (empty: they agree), quantity by quantity."""
    out = []
    got = checker_derivatives(prob, point)
    num = numeric_derivatives(prob, point)
    if prob.loss.polynomial:
        ex = exact_derivatives(prob, point)
        for name, a, b in zip(("L", "∇L", "∇²L"), ex, got):
            if _flat(a) != [F(v) for v in _flat(b)]:
                out.append(f"{name}: exact layer {a} ≠ checker {b}")
    for name, a, b in zip(("L", "∇L", "∇²L"), num, got):
        a, b = _flat(a), _flat(b)
        if any(isinstance(y, checker.arb) for y in b):
            b = [y if isinstance(y, checker.arb) else checker.to_arb(F(y)) for y in b]
            scale = max([1.0] + [abs(float(x.mid())) for x in b])
            bad = [(x, y) for x, y in zip(a, b) if abs(x - float(y.mid())) > float(y.rad()) + REL * scale]
        else:
            scale = max([1.0] + [abs(float(y)) for y in b])
            bad = [(x, y) for x, y in zip(a, b) if abs(x - float(y)) > REL * scale]
        if bad:
            out.append(f"{name}: numeric {bad[0][0]!r} vs checker {bad[0][1]}")
    return out


@given(cases())
def test_every_loss_agrees_across_layers(case):
    prob, point = case
    try:
        problems = disagreements(prob, point)
    except Rejected as e:                 # only the huber kink |E_ij| = δ, where h_δ has no Hessian
        assert str(e).startswith("huber:"), e
        assume(False)
    assert problems == [], (prob.describe(), point, problems)


WRONG = {
    "mse": lambda loss, out, Y: ((out - Y) ** 2).sum((-1, -2)) / Y.shape[-1],
    "huber": lambda loss, out, Y: 2 * torch.nn.functional.huber_loss(
        out, Y.expand_as(out), reduction="none", delta=float(loss.delta)).sum((-1, -2)),
    "logistic": lambda loss, out, Y: torch.nn.functional.softplus(Y * out).sum((-1, -2)),
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_a_wrong_loss_is_caught(monkeypatch, name):
    """The comparison can fail: a torch loss that is wrong for ``name`` (and only for it) is reported."""
    loss = Loss.from_value({"huber": F(1, 3)} if name == "huber" else name)
    Y = ((F(1), F(-1)), (F(-1), F(1)))
    prob = DeepLinear(widths=(2, 2, 2), X=((F(2), F(0)), (F(1), F(-1))), Y=Y, loss=loss)
    point = [F(1), F(1, 2), F(-1), F(2), F(1), F(0), F(1, 2), F(1)]   # residuals 3/2, 1/2, 9/4, −13/4: beyond δ = 1/3
    assert disagreements(prob, point) == []
    right = numeric_losses.data_term
    monkeypatch.setattr(numeric_losses, "data_term",
                        lambda loss, out, Y: WRONG[name](loss, out, Y) if loss.name == name else right(loss, out, Y))
    assert any(d.startswith("L:") for d in disagreements(prob, point))
