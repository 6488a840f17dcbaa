"""The contradiction hunt's table (tests/soundness/test_contradiction_hunt.py): for every theorem entry of the
checker (``proofs.theorems.THEOREMS``) the hypotheses as the printed statement gives them (../shared/REFERENCE.md),
computed HERE, independently of the kernel (:class:`Entry.oracle`), hypothesis strategies for small instances that
meet them and near misses that violate exactly one, and the project's routes that try to certify a counterexample
on each instance (:func:`counterexamples`).

What refutes what (:data:`REFUTES`), each a consequence of CONTRACT.md's definitions:

* a spurious local minimum (``spurious-local-min``: H ≻ 0 at a rational point; ``spurious-isolated-min``: one
  critical point in a box, H ≻ 0 on it; ``spurious-product-min``: W_H ⋯ W_1 a strict minimum of the shallow loss;
  ``spurious-morse-bott-min``: a minimum up to a symmetry; ``spurious-rescaling-valley``), each with a witness of
  lower loss, refutes ``no-spurious-local-min`` (a local minimum that is not global) and ``strict-saddle`` (a
  critical point that is not a global minimum yet H ⪰ 0, no negative eigenvalue);
* a spurious STRICT minimum lies in a spurious valley (the lemma of verify/run/valley_route.py), and so does a
  spurious rescaling valley (its own kernel rule). A ``spurious-product-min`` too: L = f ∘ π with π(θ) = W_H ⋯ W_1
  continuous and R = π(θ) a strict local minimum of f; for ε small the component of {f ≤ f(R) + ε} through R lies
  in a ball where f ≥ f(R), and π maps the component V of {L ≤ L(θ) + ε} through θ into it (π(V) is connected and
  holds R), so L ≥ L(θ) > L(witness) on V: V holds no global minimum;
* a ``non-strict-saddle`` (not a local minimum, H ⪰ 0) refutes ``strict-saddle``;
* ``depth-adds-no-bad-minima`` has no single refuting kind: a counterexample is a deep local minimum θ the kernel
  verified (``local-min``, ``global-min``, ``morse-bott-min`` and their spurious forms) whose product R = π(θ) is
  no local minimum of the shallow loss f(R) = ℓ(R X, Y) over ALL d_y × d_x matrices — decided only without a
  bottleneck (min_i d_i = min(d_x, d_y), so the shallow problem is unconstrained): ∇f(R) ≠ 0 computed exactly, or a
  kernel-verified ``strict-saddle`` / ``non-strict-saddle`` certificate of the shallow problem at R.

Routes (:func:`counterexamples`), each only where it is cheap: the witness route (the origin, classified exactly);
the exact route (z3, then the exact classifier and kernel-checked certificates); the complete-landscape route
(msolve + Krawczyk boxes; its ``spurious-isolated-min`` box, or for a non-coercive problem the ``count`` landscape's
minimum boxes turned into ``spurious-isolated-min`` certificates here); the batched numeric search, its candidates
rationalised and classified exactly (spurious-local-min, product / Morse–Bott minima, non-strict saddles), and the
minima that are not exactly rational boxed in ball arithmetic here (``spurious-isolated-min``: the numeric route of
the project drops them as "not exactly critical"); the valley route reads ``no-spurious-valley`` off the minima; the
shallow test maps deep minima to products. Every certificate is judged by ``proofs.check_certificate`` alone.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import flint
from hypothesis import reject
from hypothesis import strategies as st

from verify.problems import DeepLinear, TwoLayer
from verify.problems.base import reg_is_zero
from verify.problems.losses import Loss

F = Fraction
NSLM, SS, NSV, DEPTH = "no-spurious-local-min", "strict-saddle", "no-spurious-valley", "depth-adds-no-bad-minima"

REFUTES = {
    "spurious-local-min": frozenset({NSLM, SS, NSV}),
    "spurious-isolated-min": frozenset({NSLM, SS, NSV}),
    "spurious-product-min": frozenset({NSLM, SS, NSV}),
    "spurious-rescaling-valley": frozenset({NSLM, SS, NSV}),
    "spurious-morse-bott-min": frozenset({NSLM, SS}),
    "non-strict-saddle": frozenset({SS}),
    "deep-min-over-shallow-non-min": frozenset({DEPTH}),
}
"""Certificate kind (or the hunt's pair kind) → the claims a kernel-verified one refutes (module docstring)."""

DEEP_MIN_KINDS = ("local-min", "global-min", "morse-bott-min", "spurious-local-min", "spurious-morse-bott-min")

# ---------------------------------------------------------------------------------------------------- hypotheses


@dataclass(frozen=True)
class Hyp:
    """One hypothesis of a printed theorem: its name and the words a kernel rejection naming it contains (any)."""

    name: str
    named: tuple[str, ...]

    def named_in(self, reason: str) -> bool:
        return any(re.search(pat, reason) for pat in self.named)


KIND_DL = Hyp("deep linear network", (r"deep[- ]linear",))
KIND_2L = Hyp("two-layer net with a polynomial σ", (r"two-layer", r"polynomial activation"))
SQUARE = Hyp("the square loss", (r"square loss",))
CONVEX = Hyp("a convex loss", (r"convex",))
COERCIVE = Hyp("an attained minimum (a coercive loss)", (r"coerciv", r"attained", r"minimum is not attained",
                                                         r"logistic", r"cross-entropy"))
NO_REG = Hyp("Λ = 0", (r"Λ = 0", r"regularis"))
DY_LE_DX = Hyp("d_y ≤ d_x", (r"d_y ≤ d_x",))
RANK_XXT = Hyp("rank(X Xᵀ) = d_x", (r"X Xᵀ", r"rank\(X\)", r"rank X\b", r"X has full row rank", r"X .*full row rank"))
RANK_XYT = Hyp("rank(X Yᵀ) = d_y", (r"X Yᵀ",))
DISTINCT = Hyp("Σ has d_y distinct eigenvalues", (r"distinct eigenvalues",))
ONE_HIDDEN = Hyp("H = 2 (one hidden layer) for strict-saddle", (r"one hidden layer", r"H = 2"))
WIDE = Hyp("every hidden width ≥ min(d_x, d_y)", (r"hidden width",))
NO_BOTTLENECK = Hyp("every hidden width > min(d_x, d_y)", (r"hidden width", r"bottleneck"))
SCALAR = Hyp("every width is 1", (r"width is 1", r"scalar"))
FULL_X = Hyp("X of full row rank", RANK_XXT.named)
FULL_Y = Hyp("Y of full row rank", (r"Y Yᵀ", r"rank\(Y\)", r"rank Y\b", r"Y has full row rank", r"Y .*full row rank"))
TRAINED = Hyp("both layers trained", (r"both layers trained", r"output layer U is fixed"))
P_GE_Q = Hyp("width p ≥ the intrinsic dimension q", (r"intrinsic dimension",))


def qmat(rows) -> flint.fmpq_mat:
    return flint.fmpq_mat([[flint.fmpq(F(x).numerator, F(x).denominator) for x in row] for row in rows])


def rank(rows) -> int:
    return qmat(rows).rank() if rows and rows[0] else 0


def gram(A, B) -> flint.fmpq_mat:
    return qmat(A) * qmat(B).transpose()


def hidden(P) -> tuple[int, ...]:
    return tuple(P.widths[1:-1])


def _square(P) -> bool:
    return P.loss.name in ("square", "mse")        # mse is a positive multiple of the square loss


def _deep_common(P, loss: Callable) -> dict:
    return {KIND_DL: True, loss[0]: loss[1](P), NO_REG: reg_is_zero(P.reg)}


def kawaguchi(P, claim) -> dict:
    """Kawaguchi 2016, Theorem 2.3 (square loss, Λ = 0; XXᵀ, XYᵀ of full rank; d_y ≤ d_x; Σ with d_y distinct
    eigenvalues); strict saddles (iv) with one hidden layer only (Corollary 2.4)."""
    if P.kind != "deep-linear":
        return {KIND_DL: False}
    dx, dy = P.widths[0], P.widths[-1]
    h = _deep_common(P, (SQUARE, _square))
    h[DY_LE_DX] = dy <= dx
    G = gram(P.X, P.X)
    h[RANK_XXT] = G.rank() == dx
    h[RANK_XYT] = gram(P.X, P.Y).rank() == dy
    if h[RANK_XXT]:
        XY = gram(P.X, P.Y)
        chi = (XY.transpose() * G.solve(XY)).charpoly()
        h[DISTINCT] = chi.gcd(chi.derivative()).degree() == 0
    if claim == SS:
        h[ONE_HIDDEN] = len(P.widths) == 3
    return h


def laurent_von_brecht(P, claim) -> dict:
    """Laurent & von Brecht 2018: any convex differentiable loss, Λ = 0, every hidden width ≥ min(d_x, d_y)."""
    if P.kind != "deep-linear":
        return {KIND_DL: False}
    h = _deep_common(P, (CONVEX, lambda P: P.loss.convex))
    h[WIDE] = all(w >= min(P.widths[0], P.widths[-1]) for w in hidden(P))
    return h


def freeman_bruna(P, claim) -> dict:
    """Freeman & Bruna 2017, Proposition 2.2: square loss, Λ = 0, every hidden width > min(d_x, d_y)."""
    if P.kind != "deep-linear":
        return {KIND_DL: False}
    h = _deep_common(P, (SQUARE, _square))
    h[NO_BOTTLENECK] = all(w > min(P.widths[0], P.widths[-1]) for w in hidden(P))
    return h


def scalar_product_open(P, claim) -> dict:
    """The open product map of scalar layers: every width 1, Λ = 0, any loss."""
    if P.kind != "deep-linear":
        return {KIND_DL: False}
    return {KIND_DL: True, NO_REG: reg_is_zero(P.reg), SCALAR: all(w == 1 for w in P.widths)}


def lu_kawaguchi(P, claim) -> dict:
    """Lu & Kawaguchi 2017, Theorems 2.1 and 2.3: square loss, Λ = 0, X and Y of full row rank, any widths."""
    if P.kind != "deep-linear":
        return {KIND_DL: False}
    h = _deep_common(P, (SQUARE, _square))
    h[FULL_X] = rank(P.X) == P.widths[0]
    h[FULL_Y] = rank(P.Y) == P.widths[-1]
    return h


COERCIVE_LOSSES = ("square", "mse", "power", "poly", "huber")


def intrinsic_q(P) -> int:
    """q = dim span{(σ(w·x_1), …, σ(w·x_m))} by the project's ``spurious intrinsic-dim`` (verify/exact/intrinsic.py)."""
    from verify.exact.intrinsic import data_dimension

    return data_dimension(P).dimension


def venturi(P, claim) -> dict:
    """Venturi, Bandeira & Bruna 2018 as REFERENCE.md states it: one hidden layer, polynomial σ, both layers
    trained, Λ = 0, a convex loss whose minimum is attained (coercive), width p ≥ q (unweighted, on the data)."""
    if P.kind != "two-layer" or P.is_relu:
        return {KIND_2L: False}
    return {KIND_2L: True, TRAINED: P.train_output, NO_REG: reg_is_zero(P.reg), CONVEX: P.loss.convex,
            COERCIVE: P.loss.name in COERCIVE_LOSSES, P_GE_Q: P.width >= intrinsic_q(P)}


# ---------------------------------------------------------------------------------------------------- strategies

ZERO, SQUARE_LOSS, MSE = F(0), Loss(), Loss.from_value("mse")
ELEM = st.integers(-3, 3).map(F)
NONZERO = st.sampled_from([1, -1, 2, -2, 3, F(1, 2), F(-3, 2)]).map(F)
CONVEX_LOSSES = [Loss(), Loss.from_value("mse"), Loss.from_value({"power": 4}),
                 Loss.from_value({"poly": [0, 0, 1, 0, 1]}), Loss.from_value({"huber": "1"})]
NONCONVEX = [Loss.from_value({"poly": ["7/3", 2, -2, "-2/3", 1]}),      # (t + 1)²(t² − 8t/3 + 7/3): two wells
             Loss.from_value({"poly": [0, "1/2", -2, 0, 1]})]           # t⁴ − 2t² + t/2: a tilted double well
REGS = [F(1, 10), F(1, 4), F(1, 2), F(1)]


def mat(rows: int, cols: int, elements=ELEM):
    return st.tuples(*[st.tuples(*[elements] * cols)] * rows)


def row(cols: int, elements=ELEM):
    return st.tuples(*[elements] * cols)


@st.composite
def full_row_rank(draw, rows: int, cols: int):
    """A rows × cols matrix of rank rows (rows ≤ cols), by construction: a lower-triangular leading block with a
    non-zero diagonal, random other entries and columns, then the columns permuted."""
    A = [list(draw(row(cols))) for _ in range(rows)]
    for i in range(rows):
        A[i][i] = draw(NONZERO)
        for j in range(i + 1, rows):
            A[i][j] = F(0)
    perm = draw(st.permutations(range(cols)))
    return tuple(tuple(r[k] for k in perm) for r in A)


@st.composite
def deep(draw, depth=(1, 3), dx=(1, 2), dy=(1, 2), hidden_w=(1, 2), samples=(0, 1), dy_le_dx=False,
         losses=(SQUARE_LOSS,), X=None, Y=None, reg=ZERO):
    """A deep linear net: H weight matrices, d_x, d_y and hidden widths in the ranges, m = d_x + (0 or 1) samples."""
    H = draw(st.integers(*depth))
    d_x = draw(st.integers(*dx))
    d_y = draw(st.integers(dy[0], min(dy[1], d_x) if dy_le_dx else dy[1]))
    widths = (d_x, *draw(st.lists(st.integers(*hidden_w), min_size=H - 1, max_size=H - 1)), d_y)
    m = max(d_x, d_y) + draw(st.integers(*samples))
    loss = draw(st.sampled_from(list(losses)))
    Xv = draw(X(d_x, m) if X else mat(d_x, m))
    Yv = draw(Y(d_y, m) if Y else mat(d_y, m))
    return DeepLinear(widths=widths, X=Xv, Y=Yv, loss=loss, reg=reg)


def rotation_scaling(d: int):
    """Y = [[a, −b], [b, a]] (d = 2) or [[a]]: Y Yᵀ = (a² + b²) I — with X square and invertible Σ = Y Yᵀ has a
    repeated eigenvalue when d = 2."""
    return st.tuples(NONZERO, ELEM).map(lambda ab: ((ab[0], -ab[1]), (ab[1], ab[0])) if d == 2 else ((ab[0],),))


def _odd_part_cancels(cs: list) -> tuple:
    """σ's coefficients with the last odd (or even) coefficient set to minus the sum of the others of its parity,
    so that σ(1) = σ(−1) (or σ(1) = −σ(−1)): signed sums that vanish, the edge case of a weighted rank."""
    cs = list(cs)
    for parity in (1, 0):
        idx = [j for j in range(len(cs)) if j % 2 == parity and cs[j] != 0]
        if len(idx) >= 2:
            cs[idx[-1]] = -sum(cs[j] for j in idx[:-1])
            break
    return tuple(cs)


COEFF = st.integers(-5, 5).map(F)
ACTIVATIONS = st.one_of(
    st.lists(COEFF, min_size=2, max_size=6).filter(lambda cs: any(cs[1:])).map(tuple),
    st.lists(COEFF, min_size=3, max_size=6).map(_odd_part_cancels).filter(lambda cs: any(cs[1:])),
    st.sampled_from([(0, 0, 1), (0, 1, 1), (0, -1, 0, 1), (0, -4, 1, 5, 0, -1), (1, -1, 0, 1)]).map(
        lambda cs: tuple(F(c) for c in cs)),
)
"""σ(t) = Σ c_j t^j of degree ≤ 5 with signs mixed freely, including activations whose odd (or even) coefficients
sum to zero — σ(1) = ±σ(−1) — on which a kernel weighted by c_j loses rank at the samples ±1."""

SAMPLES_1D = st.one_of(st.just(((F(1), F(-1)),)), NONZERO.map(lambda a: ((a, -a),)), mat(1, 2, ELEM),
                       mat(1, 3, ELEM))
"""Samples on the line, symmetric pairs ±a among them (where even and odd degrees are told apart by signs only)."""
SAMPLES_2D = st.one_of(mat(2, 2, ELEM), mat(2, 3, ELEM))


@st.composite
def two_layer(draw, width=lambda q: q, losses=tuple(CONVEX_LOSSES[:4]), train=True, reg=ZERO, labels=None):
    """U σ(W X) with n ∈ {1, 2}, at most 3 samples, the width chosen from the intrinsic dimension q (``width(q)``,
    None: no such instance)."""
    n = draw(st.sampled_from([1, 1, 2]))
    X = draw(SAMPLES_1D if n == 1 else SAMPLES_2D)
    act = draw(ACTIVATIONS)
    m = len(X[0])
    Y = draw(labels(m) if labels else mat(1, m, ELEM))
    loss = draw(st.sampled_from(list(losses)))
    probe = TwoLayer(n=n, width=1, activation=act, X=X, Y=Y, loss=loss)
    p = width(intrinsic_q(probe))
    if p is None or not 1 <= p <= 3:
        reject()                     # no width of this kind for these data and σ: an invalid draw, not a bug
    out = None if train else draw(mat(1, p, NONZERO))
    return TwoLayer(n=n, width=p, activation=act, X=X, Y=Y, loss=loss, train_output=train, output=out, reg=reg)


PM1 = lambda m: st.tuples(st.tuples(*[st.sampled_from([F(1), F(-1)])] * m))  # noqa: E731 — logistic labels


@dataclass(frozen=True)
class NearMiss:
    """Problems whose hypotheses for ``claim`` (None: the entry's first claim) fail exactly at ``violates`` (one
    hypothesis; two where one forces the other). Drawn problems are filtered to that exact set."""

    violates: tuple[Hyp, ...]
    problems: st.SearchStrategy
    claim: str | None = None


@dataclass(frozen=True)
class Entry:
    """A theorem entry's hunt: its hypotheses (``oracle(problem, claim) -> {Hyp: bool}``; a hypothesis absent from
    the dict does not apply), instances meeting them, and near misses."""

    oracle: Callable
    instances: st.SearchStrategy
    near_misses: tuple[NearMiss, ...]
    first_claim: str

    def violated(self, P, claim) -> set:
        return {h for h, ok in self.oracle(P, claim).items() if not ok}

    def instance_problems(self) -> st.SearchStrategy:
        """Problems meeting every hypothesis for the entry's first claim."""
        return self.instances.filter(lambda P: not self.violated(P, self.first_claim))

    def near_miss_problems(self, focus: Hyp | None = None) -> st.SearchStrategy:
        """The near misses (only those violating ``focus`` when given), each filtered to its exact violated set."""
        chosen = [nm for nm in self.near_misses if focus is None or focus in nm.violates]
        return st.one_of(*[nm.problems.filter(lambda P, nm=nm: self.violated(P, nm.claim or self.first_claim)
                                              == set(nm.violates)) for nm in chosen])


def _kawaguchi_entry() -> Entry:
    base = deep(depth=(1, 3), dy_le_dx=True, X=full_row_rank, Y=full_row_rank, losses=[SQUARE_LOSS, MSE])
    return Entry(kawaguchi, base, first_claim=NSLM, near_misses=(
        NearMiss((SQUARE,), base.flatmap(lambda P: st.sampled_from(NONCONVEX + CONVEX_LOSSES[2:3]).map(
            lambda loss: DeepLinear(widths=P.widths, X=P.X, Y=P.Y, loss=loss)))),
        NearMiss((NO_REG,), base.flatmap(lambda P: st.sampled_from(REGS).map(
            lambda r: DeepLinear(widths=P.widths, X=P.X, Y=P.Y, reg=r)))),
        NearMiss((DY_LE_DX, RANK_XYT), deep(dx=(1, 1), dy=(2, 2), X=full_row_rank)),   # d_y > d_x forces rank XYᵀ < d_y
        NearMiss((RANK_XXT,), deep(dx=(2, 2), dy=(1, 1), X=lambda r, c: row(c).map(lambda row: (row, row)))),
        NearMiss((RANK_XYT,), deep(dx=(1, 2), dy=(1, 2), dy_le_dx=True, X=full_row_rank,
                                   Y=lambda r, c: row(c).map(lambda row: (tuple(0 * v for v in row),) if r == 1
                                                                else (row, tuple(2 * v for v in row))))),
        NearMiss((DISTINCT,), deep(dx=(2, 2), dy=(2, 2), samples=(0, 0), X=full_row_rank, Y=lambda r, c:
                                   rotation_scaling(r))),
        NearMiss((ONE_HIDDEN,), deep(depth=(3, 3), dx=(1, 2), dy=(1, 1), hidden_w=(1, 2), X=full_row_rank,
                                     Y=full_row_rank), claim=SS),
    ))


def _lvb_entry() -> Entry:
    wide = dict(hidden_w=(2, 2))
    base = deep(depth=(1, 3), losses=CONVEX_LOSSES, **wide)
    return Entry(laurent_von_brecht, base, first_claim=NSLM, near_misses=(
        NearMiss((CONVEX,), deep(depth=(2, 3), dx=(1, 1), dy=(1, 1), hidden_w=(1, 2), losses=NONCONVEX)),
        NearMiss((NO_REG,), deep(depth=(2, 2), dx=(1, 1), dy=(1, 1), hidden_w=(1, 2), reg=F(1, 4))),
        NearMiss((WIDE,), deep(depth=(2, 3), dx=(2, 2), dy=(2, 2), hidden_w=(1, 1), losses=CONVEX_LOSSES)),
    ))


def _freeman_bruna_entry() -> Entry:
    base = deep(depth=(1, 3), hidden_w=(2, 3), losses=[SQUARE_LOSS, MSE])
    return Entry(freeman_bruna, base, first_claim=NSV, near_misses=(
        NearMiss((SQUARE,), deep(depth=(2, 2), dx=(1, 1), dy=(1, 1), hidden_w=(2, 2), losses=NONCONVEX)),
        NearMiss((NO_REG,), deep(depth=(2, 2), dx=(1, 1), dy=(1, 1), hidden_w=(2, 2), reg=F(1, 2))),
        NearMiss((NO_BOTTLENECK,), deep(depth=(2, 3), dx=(1, 2), dy=(1, 2), hidden_w=(1, 1))),
    ))


def _scalar_entry() -> Entry:
    base = deep(depth=(1, 3), dx=(1, 1), dy=(1, 1), hidden_w=(1, 1), samples=(0, 1),
                losses=CONVEX_LOSSES + NONCONVEX)
    return Entry(scalar_product_open, base, first_claim=DEPTH, near_misses=(
        NearMiss((SCALAR,), deep(depth=(2, 2), dx=(1, 1), dy=(1, 1), hidden_w=(2, 2), losses=NONCONVEX)),
        NearMiss((NO_REG,), deep(depth=(2, 3), dx=(1, 1), dy=(1, 1), hidden_w=(1, 1), losses=NONCONVEX,
                                 reg=F(1, 10))),
    ))


def _lu_kawaguchi_entry() -> Entry:
    base = deep(depth=(1, 3), dx=(1, 2), dy=(1, 2), hidden_w=(1, 2), X=full_row_rank, Y=full_row_rank,
                losses=[SQUARE_LOSS, MSE])
    return Entry(lu_kawaguchi, base, first_claim=NSLM, near_misses=(
        NearMiss((SQUARE,), deep(depth=(2, 3), dx=(1, 1), dy=(1, 1), hidden_w=(1, 2), X=full_row_rank,
                                 Y=full_row_rank, losses=NONCONVEX)),
        NearMiss((NO_REG,), deep(depth=(2, 2), dx=(1, 2), dy=(1, 1), hidden_w=(1, 1), X=full_row_rank,
                                 Y=full_row_rank, reg=F(1, 4))),
        NearMiss((FULL_X,), deep(depth=(2, 2), dx=(2, 2), dy=(1, 2), hidden_w=(1, 2), Y=full_row_rank,
                                 X=lambda r, c: row(c).map(lambda row: (row, tuple(-v for v in row))))),
        NearMiss((FULL_Y,), deep(depth=(2, 2), dx=(1, 2), dy=(2, 2), hidden_w=(1, 2), X=full_row_rank,
                                 Y=lambda r, c: row(c).map(lambda row: (row, tuple(0 * v for v in row))))),
    ))


def _venturi_entry() -> Entry:
    base = two_layer(width=lambda q: q if q <= 3 else None)
    return Entry(venturi, base, first_claim=NSV, near_misses=(
        NearMiss((P_GE_Q,), two_layer(width=lambda q: q - 1 if q >= 2 else None)),
        NearMiss((TRAINED,), two_layer(train=False)),
        NearMiss((NO_REG,), two_layer(width=lambda q: q if q <= 2 else None, reg=F(1, 10))),
        NearMiss((CONVEX,), two_layer(width=lambda q: q if q <= 2 else None, losses=NONCONVEX)),
        NearMiss((COERCIVE,), two_layer(width=lambda q: q if q <= 2 else None, losses=[Loss.from_value("logistic")],
                                        labels=PM1)),
    ))


STRATEGIES: dict[str, Callable[[], Entry]] = {
    "kawaguchi-2016-theorem-2.3": _kawaguchi_entry,
    "laurent-von-brecht-2018": _lvb_entry,
    "venturi-bandeira-bruna-2018": _venturi_entry,
    "freeman-bruna-2017": _freeman_bruna_entry,
    "scalar-product-open": _scalar_entry,
    "lu-kawaguchi-2017-theorem-2.3": _lu_kawaguchi_entry,
    "lu-kawaguchi-2017-theorem-2.1": _lu_kawaguchi_entry,
}
"""Theorem id → its hunt (built lazily). An id of ``proofs.theorems.THEOREMS`` missing here fails the hunt's test."""


# ---------------------------------------------------------------------------------------------------- routes

@dataclass
class Budget:
    """Seconds left for one instance's routes; each route takes at most ``cap`` of them."""

    seconds: float
    start: float = field(default_factory=time.monotonic)

    def left(self, cap: float | None = None) -> float:
        rest = max(0.0, self.seconds - (time.monotonic() - self.start))
        return rest if cap is None else min(cap, rest)


@dataclass
class Found:
    """A kernel-verified certificate: a counterexample (``refutes`` non-empty) or a proof (``proves``)."""

    route: str
    kind: str
    refutes: frozenset
    certificate: dict
    reason: str
    proves: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class Attempts:
    """What the routes did on one instance: runs per route, verified certificates, errors (never silenced)."""

    runs: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    found: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)

    def ran(self, route: str):
        self.runs[route] = self.runs.get(route, 0) + 1

    def skip(self, route: str, why: str):
        self.skipped[f"{route}: {why}"] = self.skipped.get(f"{route}: {why}", 0) + 1


def kernel(cert: dict):
    """proofs.check_certificate, a malformed certificate counted as rejected. In this process (no time limit: a
    limit forks a child per check, and the hunt's problems are tiny)."""
    import proofs

    try:
        return proofs.check_certificate(cert)
    except proofs.MalformedCertificate as e:
        return type("Malformed", (), {"verified": False, "reason": f"malformed: {e}"})()


def _keep(att: Attempts, route: str, cert: dict | None, **extra) -> bool:
    """Re-check ``cert`` with the kernel and keep it when VERIFIED (a refuting kind, a landscape proof)."""
    if cert is None:
        return False
    r = kernel(cert)
    if not r.verified:
        return False
    kind = cert["claim"]["kind"]
    proves = cert["claim"].get("statement") if kind in ("complete-landscape", "theorem-instance") else None
    if proves == "count":
        proves = None
    att.found.append(Found(route, kind, REFUTES.get(kind, frozenset()), cert, r.reason, proves, extra))
    return True


def _guard(att: Attempts, route: str, fn, *args):
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001 — a crash of a route is reported, never taken for an answer
        att.errors.append(f"{route}: {type(e).__name__}: {str(e)[:300]}")
        return None


def route_witness(P, claims, budget, att):
    from verify.run.witness_route import witness_check

    if SS not in claims or not P.polynomial or P.n_params > 12:
        return
    att.ran("witness")
    r = witness_check(P, SS)
    if r is not None:
        _keep(att, "witness", r.certificate)


def route_exact(P, claims, budget, att):
    from verify.claims import CLAIMS
    from verify.run.exact_route import check_claim
    from verify.run.valley_route import from_minima

    small = P.polynomial and (P.n_params <= 6 if P.closed_form_min else P.n_params <= 2)
    if not small:
        return att.skip("exact", "not polynomial or too many parameters for a short z3 run")
    for claim in [c for c in (SS, NSLM) if c in claims or (c == NSLM and NSV in claims)]:
        t = budget.left(3.0)
        if t < 0.5:
            return att.skip("exact", "budget spent")
        att.ran("exact")
        r = check_claim(P, claim, timeout=t, max_rounds=2, second_solver=False)
        if r.certificate is not None and r.status.value == "refuted":
            _keep(att, "exact", r.certificate)
            if claim == NSLM and NSV in claims:
                v = from_minima(r, CLAIMS[NSV])
                if v.certificate is not None and v.certificate is not r.certificate:
                    _keep(att, "valley", v.certificate)


MAX_LANDSCAPE_DEGREE = 12
"""Above this total degree of L the landscape's msolve runs take seconds on 2–3 parameters (measured: power 4 with a
quintic σ, degree 24, did not finish in 4 s); the numeric search and its ball route take those."""


def loss_degree(P) -> int:
    """The total degree of L in θ: deg ℓ times the degree of the network's output."""
    phi = P.loss.phi(len(P.Y[0]), len(P.Y))
    if P.kind == "two-layer":
        out = len(P.activation) - 1 + (1 if P.train_output else 0)
    else:
        out = len(P.widths) - 1
    return (len(phi) - 1) * out if phi else 0


def route_landscape(P, claims, budget, att):
    from verify.certify.landscape import complete_landscape_certificate
    from verify.exact.algebra.enumerate import is_coercive as coercive

    if not P.polynomial or P.n_params > (6 if coercive(P) else 3) or not claims & {SS, NSLM, NSV}:
        return att.skip("landscape", "not polynomial, too large, or no claim it decides")
    if loss_degree(P) > MAX_LANDSCAPE_DEGREE:
        return att.skip("landscape", f"loss of degree above {MAX_LANDSCAPE_DEGREE} (msolve takes seconds)")
    t = budget.left(0.4 * budget.seconds)
    if t < 1.0:
        return att.skip("landscape", "budget spent")
    from verify.errors import InternalError, SpuriousError

    att.ran("landscape")
    statement = NSLM if coercive(P) else "count"
    try:
        res = complete_landscape_certificate(P, statement=statement, timeout=t)
    except InternalError:           # a bug, not an answer: reported by _guard
        raise
    except SpuriousError as e:      # not enumerable (a continuous symmetry), too large: nothing to try
        return att.skip("landscape", type(e).__name__ + ": " + str(e)[:60])
    if res.spurious is not None:
        _keep(att, "landscape", res.spurious)
    if res.certificate is not None:
        _keep(att, "landscape", res.certificate)
        if statement == "count":
            for cert in boxes_to_spurious(P, res.certificate):
                if _keep(att, "landscape-boxes", cert):
                    break


def boxes_to_spurious(P, landscape_cert: dict):
    """``spurious-isolated-min`` certificates from a verified count landscape: each minimum box (one with a
    congruence) against the real box centre of lowest loss as the witness."""
    from verify.exact.loss import loss_value

    boxes = landscape_cert["body"]["boxes"]
    real = [b for b in boxes if all(F(v) == 0 for v in b["im"])]
    if not real:
        return
    centres = {id(b): [F(v) for v in b["re"]] for b in real}
    low = min(real, key=lambda b: loss_value(P, centres[id(b)]))
    for b in real:
        if "congruence" in b and b is not low:
            cert = ball_certificate(P, centres[id(b)], F(b["radius"]), centres[id(low)],
                                    congruence=[[F(x) for x in row] for row in b["congruence"]])
            if cert is not None:
                yield cert


def ball_certificate(P, centre, r, witness, congruence=None, bits=256):
    """A ``spurious-isolated-min`` certificate for the box centre ± r: the preconditioner the inverse Hessian at the
    centre (rationalised), the congruence given or rationalised eigenvectors (checked on the box here first), the
    witness ``witness``. Unchecked; None when the box is not shown to hold a minimum here."""
    import numpy as np

    from verify.certify.common import envelope, mat, vec
    from verify.exact.ball.critical_boxes import Box, classify_real
    from verify.exact.ball.krawczyk import GradientSystem, hessian_on_box

    system = GradientSystem(P)
    if congruence is None:
        box = Box(list(centre), [F(0)] * len(centre), True, 0)
        if not classify_real(system, box, r, bits) or box.congruence is None:
            return None
        congruence = box.congruence
    H = hessian_on_box(system, centre, r, bits)
    n = H.nrows()
    mid = np.array([[float(H[i, j].mid()) for j in range(n)] for i in range(n)])
    try:
        Y = np.linalg.inv(mid)
    except np.linalg.LinAlgError:
        return None
    Yq = [[F(float(v)).limit_denominator(1 << 40) for v in row] for row in Y]
    return envelope(P, {"kind": "spurious-isolated-min", "centre": vec(centre), "radius": vec([r] * n)},
                    {"kind": "spurious-isolated-min", "preconditioner": mat(Yq), "congruence": mat(congruence),
                     "witness": vec(witness)}, {"generator": "tests/soundness/hunt_strategies.py (ball route)"})


def refine_box(P, params, rho: int = 40):
    """(centre, r) with r = 2^−ρ: Newton in ball arithmetic from a float point (no enclosure yet), the centre on a
    2^−(2ρ + 16) grid; None if Newton does not settle."""
    from verify.exact.ball.krawczyk import GradientSystem, newton

    system = GradientSystem(P)
    grid = 2 * rho + 16
    x = newton(system, [flint.acb(float(v)) for v in params], 2 * grid + 64, grid + 8)
    if x is None:
        return None
    with flint.ctx.workprec(2 * grid + 64):
        centre = [F(int((v.real * 2 ** grid).mid().floor().unique_fmpz()), 2 ** grid) for v in x]
    return centre, F(1, 2 ** rho)


def route_numeric(P, claims, budget, att, seed: int = 0):
    """Batched search; a suspect whose numeric Hessian is positive definite (an isolated minimum) is boxed in ball
    arithmetic; one with a singular Hessian (a family, a degenerate saddle) rationalised and classified exactly."""
    from numeric.search import SearchConfig, search
    from verify.run.numeric_route import lower_witness
    from verify.verdict import PointClass as PC

    if P.n_params > 12:
        return att.skip("numeric", "more than 12 parameters")
    t = budget.left(4.0)
    if t < 0.5:
        return att.skip("numeric", "budget spent")
    att.ran("numeric")
    starts = 10 if P.n_params <= 4 else 6
    res = search(P, SearchConfig(starts=starts, steps=150, newton_steps=10, seed=seed, time_limit=t))
    cands = [c for c in res.candidates if "params" in c]
    if not cands or not P.polynomial:
        return
    lowest = min(cands, key=lambda c: c["loss"])
    lower = lower_witness(lowest["params"])
    want = {PC.SPURIOUS_LOCAL_MIN, PC.LOCAL_MIN, PC.UNKNOWN}
    if SS in claims:
        want.add(PC.NON_STRICT_SADDLE)
    if DEPTH in claims:
        want.add(PC.GLOBAL_MIN)
    floor = lowest["loss"] + 1e-9 * (1 + abs(lowest["loss"]))

    def worth(c) -> bool:   # the lowest point is the witness: a minimum there is no counterexample (but for DEPTH)
        return PC(c["class"]) in want and (c["loss"] > floor or DEPTH in claims or
                                           (SS in claims and PC(c["class"]) in (PC.NON_STRICT_SADDLE, PC.UNKNOWN)))

    suspects = sorted((c for c in cands if worth(c)), key=lambda c: -c["loss"])[:2]
    for c in suspects:
        if budget.left() < 0.2:
            return att.skip("numeric", "budget spent before every suspect was tried")
        isolated = PC(c["class"]) in (PC.SPURIOUS_LOCAL_MIN, PC.LOCAL_MIN) and c["loss"] > lowest["loss"]
        if isolated and DEPTH not in claims:
            att.ran("ball")
            box = refine_box(P, c["params"])
            if box is not None and _keep(att, "ball", ball_certificate(P, box[0], box[1], lower)):
                continue
        _exact_suspect(P, c, lower, claims, att)


def _exact_suspect(P, c, lower, claims, att):
    """The suspect rationalised (numeric/bridge.py) and, when exactly critical, classified and certified."""
    from numeric.bridge import rationalise
    from numeric.export import Criticality
    from verify.certify import emit_checked, spurious_certificate
    from verify.exact.classify import classify
    from verify.verdict import PointClass as PC

    att.ran("rationalise")
    export = rationalise(P, c["params"])
    if export.exactly_critical is not Criticality.YES:
        return
    point = list(export.point)
    cls = classify(P, point)
    if cls.cls is PC.LOCAL_MIN:
        cert, _ = spurious_certificate(P, point, cls, lower)
        _keep(att, "numeric", cert)
    if cls.cls in (PC.LOCAL_MIN, PC.GLOBAL_MIN) and DEPTH in claims:
        deep_min_pair(P, point, cls, att)
    if cls.cls is PC.NON_STRICT_SADDLE and SS in claims:
        cert, _ = emit_checked(P, point, cls)
        _keep(att, "numeric", cert)


def deep_min_pair(P, point, cls, att):
    """``depth-adds-no-bad-minima``: the deep minimum's certificate, and R = π(θ) classified exactly on the
    unconstrained shallow problem (only without a bottleneck)."""
    from verify.certify import emit_checked
    from verify.exact.classify import classify
    from verify.verdict import PointClass as PC

    if P.kind != "deep-linear" or not reg_is_zero(P.reg) or P.rank_bound < min(P.widths[0], P.widths[-1]):
        return
    att.ran("shallow")
    deep_cert, _ = emit_checked(P, point, cls)
    if deep_cert is None or deep_cert["claim"]["kind"] not in DEEP_MIN_KINDS or not kernel(deep_cert).verified:
        return
    S, R = P.shallow(), P.product(point)
    sc = classify(S, R)
    if sc.cls is PC.NOT_CRITICAL:
        why = f"∇f(R) ≠ 0 exactly at R = {[str(x) for x in R]} ({sc.reason})"
    elif sc.cls in (PC.STRICT_SADDLE, PC.NON_STRICT_SADDLE):
        shallow_cert, _ = emit_checked(S, R, sc)
        r = kernel(shallow_cert) if shallow_cert is not None else None
        if r is None or not r.verified:
            return
        why = f"R is a {sc.cls.value} of the shallow loss (kernel: {r.reason[:120]})"
    else:
        return
    att.found.append(Found("shallow", "deep-min-over-shallow-non-min", REFUTES["deep-min-over-shallow-non-min"],
                           deep_cert, why))


ROUTES = (("witness", route_witness), ("landscape", route_landscape), ("numeric", route_numeric),
          ("exact", route_exact))


def counterexamples(P, claims: set, seconds: float) -> Attempts:
    """Every route on ``P`` for ``claims`` within ``seconds`` (module docstring)."""
    att = Attempts()
    budget = Budget(seconds)
    for name, route in ROUTES:
        if claims and all(any(c in f.refutes for f in att.found) for c in claims):
            break                               # every claim already refuted: one counterexample each is enough
        if budget.left() <= 0:
            att.skip(name, "budget spent")
            continue
        t0 = time.monotonic()
        _guard(att, name, route, P, set(claims), budget, att)
        att.seconds[name] = round(time.monotonic() - t0, 2)
    return att


def problem_key(P) -> str:
    return json.dumps(P.to_json(), sort_keys=True)


__all__ = ["DEPTH", "NSLM", "NSV", "REFUTES", "SS", "STRATEGIES", "Attempts", "Entry", "Found", "Hyp", "NearMiss",
           "counterexamples", "kernel", "problem_key"]
