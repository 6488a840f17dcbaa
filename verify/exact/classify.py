"""Exact classification of a given point θ of the loss (``spurious classify``).

The class is never stronger than the exact computation behind it:

* **not-critical** — ∇L(θ) ≠ 0 exactly.
* **global-min** — L(θ) equals the exact global minimum: either L(θ) = 0 with L ≥ 0 everywhere
  (a sum of squares with Λ ≥ 0), or, for an unregularised deep linear net, L(θ) = L* the
  reduced-rank-regression value (:mod:`verify.exact.global_min`, algebraic numbers where needed).
* **strict-saddle** — ∇L = 0 and an exact v with vᵀHv < 0 (from M H Mᵀ = D, a row with D_k < 0), and
  H is not negative definite.
* **local-max** — ∇L = 0 and H negative definite.
* **local-min** — ∇L = 0 and H positive definite (globality undecided); or H ⪰ 0 singular with null(H) spanned
  by the tangents of a rational family of critical points from a declared symmetry (Morse–Bott,
  :mod:`verify.exact.symmetry`; ``details["morse_bott"]``); or, for an unregularised deep linear net, H ⪰ 0 and
  the product W_H ⋯ W_1 a strict local minimum of the shallow loss (:mod:`verify.exact.shallow`;
  ``details["product_min"]``).
* **non-strict-saddle** — ∇L = 0, H ⪰ 0 and singular, and a polynomial curve along which L strictly
  decreases (:mod:`verify.exact.descent`).
* **unknown** — with a reason: a loss that is not (piecewise) polynomial, a PSD-singular Hessian with no descent
  curve found (this does NOT mean θ is a local minimum), a NSD-singular Hessian, a ReLU kink not decided below.

ReLU and leaky relu (``piecewise_polynomial``): off the kinks L equals the polynomial L_s of θ's activation pattern s
on a neighbourhood of θ, and θ is classified on L_s (Morse–Bott families on the cell: dead units, inactive
first-layer directions, rescalings — :mod:`verify.exact.symmetry`). At a kink (≤ :data:`MAX_KINKS` pre-activations
exactly 0, located in any layer whose weight is trained) every cell c meeting θ — one side per zero — has L = L_c on
its closed cell, and these cover a neighbourhood: θ is a **local-min** when it is a local minimum of every L_c on R^N
(H ≻ 0, a Morse–Bott family, or Λ = 0 and each sample's term of L_c constant or 0 at θ; ``details["kink"]``, no
certificate), and **unknown** "not a local minimum: L falls along v into cell …" when some L_c falls along a v
entering its open cell (first-layer zeros only: ∇z·v is then exact); a zero loss there is a global-min.

A point of a tanh / sigmoid network where those layers' pre-activations are all 0 (the origin, say) is classified
from the rational Taylor data of σ at 0 (:meth:`~verify.problems.Problem.taylor_surrogate`, degree
:data:`TAYLOR_ORDER`): L and the surrogate agree to that order, so a class resting only on data of that order
carries over — not-critical, strict-saddle, local-max, a positive-definite local-min, a zero-loss global-min, and
a non-strict-saddle whose descent has order ≤ :data:`TAYLOR_ORDER` and that rises along a Hessian direction or,
for an odd order, along −t; anything resting on the whole polynomial (a Morse–Bott family, the deep-to-shallow
map, an ascent line of unknown order) is unknown.

Relu-teacher points (the arc-cosine loss) are classified above this layer, by :func:`verify.certify.classify_point`
(what ``spurious classify`` and :func:`verify.classify` run): the ball route
(:func:`verify.certify.relu_teacher.classify_ball`) answers **spurious-local-min** (method "ball") when the kernel
verified a box around the refined critical point — a unique critical point, H ≻ 0, L above the teacher's loss; the
certificate in ``details["certificate"]`` — and **unknown** when the box did not verify.

Kawaguchi's contrast (x = y = 1): the origin of the depth-2 scalar net is a strict saddle
(H = [[0, −1], [−1, 0]]); at depth 3, H = 0 but L(t, t, t) − L(0) = t⁶/2 − t³.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from fractions import Fraction

import flint

from verify.errors import InternalError
from verify.exact.derivatives import check_exact_size, curve_loss, taylor
from verify.exact.descent import DescentCurve, find_ascent_line, find_descent_curve
from verify.exact.global_min import equals_global_min
from verify.exact.inertia import congruence_diagonalise, inertia, quad_form
from verify.exact.loss import fq, loss_in_ring, loss_value, to_fraction
from verify.exact.shallow import product_min
from verify.exact.symmetry import critical_family, unit_coordinates
from verify.problems import Problem
from verify.problems.numbers import fraction_str, short
from verify.verdict import PointClass

_frac = to_fraction

TAYLOR_ORDER = 3
"""Degree of the Taylor data of tanh / sigmoid at 0 used for a point where their pre-activations vanish: enough for
the gradient, the Hessian and a cubic descent (Kawaguchi's depth-3 origin); the surrogate's degree grows as
TAYLOR_ORDER^(H−1), so it is kept low."""


@dataclass
class Classification:
    """Result of :func:`classify`. ``cls`` is what the exact computation established, nothing more."""

    cls: PointClass
    loss: Fraction | None
    gradient_zero: bool | None
    inertia: tuple[int, int, int] | None
    reason: str
    method: str = "exact"
    gradient: list | None = None          # exact ∇L(θ) (Fractions)
    congruence: tuple | None = None       # (M rows, D) with M H Mᵀ = diag(D), Fractions
    direction: list | None = None         # v with vᵀHv < 0 (strict saddle)
    curvature: Fraction | None = None     # vᵀHv
    curve: DescentCurve | None = None     # non-strict saddle
    ascent: list | None = None            # u with uᵀHu > 0, or a line along which L rises (not a local max)
    ascent_is_line: bool = False          # True: L rises along θ + t·ascent at higher order (uᵀHu = 0)
    relu_pattern: tuple | None = None
    details: dict = field(default_factory=dict)

    def to_json(self, certificate: str | None = None) -> dict:
        """CONTRACT.md's ``classify`` object: ``{"class", "loss", "gradient_zero", "hessian_inertia",
        "certificate", "method", "reason", "witness"}`` (rationals as "p/q" strings)."""
        witness = None
        if self.direction is not None:
            witness = {"direction": _strs(self.direction), "vHv": _str(self.curvature)}
        elif self.curve is not None:
            witness = {"curve": [_strs(coeffs) for coeffs in self.curve.coefficients],
                       "order": self.curve.order, "lead": _str(self.curve.lead),
                       "note": "θ(t) = θ + Σ_k t^k curve[k-1]; L(θ(t)) − L(θ) = lead·t^order + O(t^(order+1))"}
        return {"class": self.cls.value, "loss": _str(self.loss), "gradient_zero": self.gradient_zero,
                "hessian_inertia": list(self.inertia) if self.inertia is not None else None,
                "certificate": certificate, "method": self.method, "reason": self.reason, "witness": witness}


def _str(x) -> str | None:
    return None if x is None else fraction_str(to_fraction(x))


def _strs(xs) -> list:
    return [_str(x) for x in xs]


def classify(problem: Problem, point) -> Classification:
    """Classify θ = ``point`` (a sequence of rationals in canonical order) exactly."""
    point = tuple(Fraction(x) for x in point)
    if not (problem.polynomial or problem.piecewise_polynomial):
        surrogate = problem.taylor_surrogate(point, TAYLOR_ORDER)
        if surrogate is not None:
            return _through_taylor(classify(surrogate, point))
        loss = getattr(problem, "loss", None)
        what = f"the {loss.describe()} loss" if loss is not None and not loss.polynomial else "the loss"
        return Classification(PointClass.UNKNOWN, None, None, None,
                              f"{problem.kind}: {what} is not a polynomial; exact classification would need ball "
                              "arithmetic, which this command does not do for it (try spurious search)")
    mask = None
    check_exact_size(problem)
    if problem.piecewise_polynomial:
        mask = problem.activation_pattern(point)
        if mask is None:
            return _at_kink(problem, point)
    tay = taylor(problem, point, relu_mask=mask)
    loss = _frac(tay.loss)
    grad = [_frac(g) for g in tay.gradient]
    M, D = congruence_diagonalise(tay.hessian)
    neg, zero, pos = inertia(D)
    base = dict(loss=loss, inertia=(neg, zero, pos), gradient=grad, relu_pattern=mask,
                congruence=([[_frac(x) for x in row] for row in M], [_frac(d) for d in D]))
    if any(g != 0 for g in grad):
        k = next(i for i, g in enumerate(grad) if g != 0)
        return Classification(PointClass.NOT_CRITICAL, gradient_zero=False,
                              reason=f"∂L/∂θ_{k} = {short(grad[k])} ≠ 0", **base)
    if problem.reg_nonnegative and loss == 0:
        return Classification(PointClass.GLOBAL_MIN, gradient_zero=True,
                              reason="L(θ) = 0 and L ≥ 0 everywhere (sum of squares, Λ ≥ 0)",
                              details={"global_min": {"route": "zero-loss"}}, **base)
    if problem.closed_form_min and equals_global_min(problem, loss):
        return Classification(PointClass.GLOBAL_MIN, gradient_zero=True,
                              reason="L(θ) = L* = ½(‖Y‖² − top-r eigenvalue sum of Y P_X Yᵀ), reduced-rank "
                                     "regression (Eckart–Young), decided exactly",
                              details={"global_min": {"route": "reduced-rank-regression"}}, **base)
    if neg > 0:
        if pos == 0 and zero == 0:
            return Classification(PointClass.LOCAL_MAX, gradient_zero=True,
                                  reason="Hessian negative definite (exact LDLᵀ)", **base)
        if pos == 0:
            return Classification(PointClass.UNKNOWN, gradient_zero=True,
                                  reason="Hessian negative semidefinite and singular: a degenerate local "
                                         "maximum or a saddle, undecided", **base)
        k = next(i for i, d in enumerate(D) if d < 0)
        v = M[k]
        vhv = quad_form(tay.hessian, v)
        up = next(i for i, d in enumerate(D) if d > 0)
        if not (vhv == D[k] and vhv < 0 and quad_form(tay.hessian, M[up]) > 0):
            raise InternalError("the congruence M H Mᵀ = D does not reproduce D's signs (inertia.py)")
        return Classification(PointClass.STRICT_SADDLE, gradient_zero=True,
                              reason=f"direction v with vᵀHv = {short(_frac(vhv))} < 0 (exact LDLᵀ)",
                              direction=[_frac(x) for x in v], curvature=_frac(vhv),
                              ascent=[_frac(x) for x in M[up]], **base)
    if zero == 0:
        note = "Hessian positive definite (exact LDLᵀ); globality undecided"
        if problem.closed_form_min:
            note = ("Hessian positive definite but L(θ) > L*: this contradicts Lu & Kawaguchi (2017); "
                    "please report it")
        return Classification(PointClass.LOCAL_MIN, gradient_zero=True, reason=note, **base)
    fam = critical_family(problem, point, tay.hessian, zero, relu_mask=mask, expansion=tay.expansion) \
        if neg == 0 else None
    if fam is not None:
        return Classification(PointClass.LOCAL_MIN, gradient_zero=True,
                              reason=f"Hessian PSD with nullity {zero}, spanned by the tangents of a critical family "
                                     f"({', '.join(fam.names)}) along which ∇L ≡ 0, positive definite on a complement: "
                                     "a local minimum up to a symmetry (Morse–Bott)",
                              details={"morse_bott": fam}, **base)
    pm = product_min(problem, point) if neg == 0 else None
    if pm is not None:
        return Classification(PointClass.LOCAL_MIN, gradient_zero=True,
                              reason=f"Hessian PSD with nullity {zero}, but R = W_H ⋯ W_1 is a strict local minimum of "
                                     "the shallow loss f(R) = ℓ(R X, Y) (∇f(R) = 0, ∇²f(R) ≻ 0, exact LDLᵀ), so θ is a "
                                     "local minimum of L = f(W_H ⋯ W_1) (Lu & Kawaguchi 2017's deep-to-shallow map)",
                              details={"product_min": pm}, **base)
    curve, tried = find_descent_curve(problem, point, tay, M, D, relu_mask=mask)
    if curve is None:
        return Classification(PointClass.UNKNOWN, gradient_zero=True,
                              reason=f"Hessian PSD and singular (nullity {zero}); no descent curve among {tried} "
                                     "lines and quadratic curves in its null space — this does not imply a "
                                     "local minimum", **base)
    # confirm independently of the search: the curve's loss polynomial, recomputed
    f = curve_loss(problem, point, curve.coefficients, mask) - curve_loss(problem, point, [], mask)
    if not (f == curve.f and curve.lead < 0):
        raise InternalError("the descent curve's loss polynomial does not recompute (descent.py)")
    # a saddle is not a local maximum either: a positive direction of H, an odd-order descent (L rises for
    # t < 0), or a line along which L rises
    ascent = None
    if pos > 0:
        ascent = [_frac(x) for x in M[next(i for i, d in enumerate(D) if d > 0)]]
    elif curve.order % 2 == 0:
        u, _ = find_ascent_line(problem, point, M, D, relu_mask=mask)
        if u is None:
            return Classification(PointClass.UNKNOWN, gradient_zero=True,
                                  reason=f"not a local minimum (L falls as {short(_frac(curve.lead))}·t^{curve.order} "
                                         "along a "
                                         "curve) but no direction along which L rises was found: a saddle or a "
                                         "degenerate local maximum, undecided", curve=curve, **base)
        ascent = [_frac(x) for x in u]
    ascent_is_line = pos == 0 and ascent is not None
    shape = "line" if len(curve.coefficients) == 1 else "quadratic curve"
    if problem.n_params <= 6:
        terms = " + ".join(f"t{'²' if k else ''}·({', '.join(str(x) for x in c)})"
                           for k, c in enumerate(curve.coefficients))
        shape += f" θ + {terms}"
    return Classification(PointClass.NON_STRICT_SADDLE, gradient_zero=True,
                          reason=f"Hessian PSD (nullity {zero}) but L falls along a {shape}: "
                                 f"L(θ(t)) − L(θ) = {short(_frac(curve.lead))}·t^{curve.order} "
                                 f"+ O(t^{curve.order + 1})",
                          curve=curve, ascent=ascent, ascent_is_line=ascent_is_line, **base)


def _through_taylor(c: Classification) -> Classification:
    """The class of θ for L from the class of θ for its Taylor surrogate of degree :data:`TAYLOR_ORDER` (module
    docstring): kept when it rests on data of that order only, unknown otherwise."""
    K, nsd = TAYLOR_ORDER, c.cls is PointClass.NON_STRICT_SADDLE
    holds = c.cls in (PointClass.NOT_CRITICAL, PointClass.STRICT_SADDLE, PointClass.LOCAL_MAX) \
        or (c.cls is PointClass.GLOBAL_MIN and c.details.get("global_min", {}).get("route") == "zero-loss") \
        or (c.cls is PointClass.LOCAL_MIN and c.inertia is not None and c.inertia[1] == 0) \
        or (nsd and c.curve.order <= K and (c.inertia[2] > 0 or c.curve.order % 2 == 1))
    note = f" (from the rational Taylor data of the activations at 0, degree {K}: L agrees with it to that order)"
    if holds:
        c.reason += note
        c.details["taylor_order"] = K
        c.ascent_is_line = c.ascent_is_line and c.inertia[2] == 0
        return c
    return Classification(PointClass.UNKNOWN, c.loss, c.gradient_zero, c.inertia,
                          f"the Taylor data of degree {K} at 0 says {c.cls.value} ({c.reason}), which rests on more "
                          "than that order: undecided for the transcendental activation", gradient=c.gradient)


# ------------------------------------------------------------------ relu kinks: every cell meeting the point

MAX_KINKS = 10
"""Most pre-activations that may be exactly 0 at a point classified through its cells (2^K cells, each expanded)."""


def _layer_masks(problem, pattern) -> list:
    """The activation pattern as one mask per hidden layer (rows: units, columns: samples; None for a layer without
    relu): a kind with one hidden layer gives that mask itself (two-layer), a deeper one a tuple of them (network)."""
    if len(problem.hidden_layers()) == 1 and pattern and pattern[0] and isinstance(pattern[0][0], bool):
        return [pattern]
    return list(pattern)


def _with_masks(problem, pattern, masks):
    """The inverse of :func:`_layer_masks`: ``masks`` in ``pattern``'s form."""
    return masks[0] if _layer_masks(problem, pattern) == [pattern] else tuple(masks)


def _kinks(problem, point, pattern):
    """[(layer, unit, sample)] of the pre-activations that are exactly 0 at ``point`` (``pattern``: its pattern with
    z = 0 counted off), or the reason they cannot be told. Negating every incoming row of hidden layer l (W_l, b_l)
    negates its pre-activations and nothing before it, so z = 0 exactly where neither pattern says on — which needs
    W_l trained (a block of :meth:`~verify.problems.Problem.weight_shapes` among the incoming ones)."""
    weights = {name for name, _, _ in problem.weight_shapes()}
    out = []
    for l, (layer, units, mask) in enumerate(zip(problem.hidden_layers(), unit_coordinates(problem),
                                                 _layer_masks(problem, pattern))):
        if mask is None:
            continue
        if not weights & set(layer.incoming):
            return f"hidden layer {l + 1} has relu units and a fixed weight matrix (its kinks are not located)"
        flipped = list(point)
        for w, _ in units:
            for _, cs in w:
                for c in cs:
                    flipped[c] = -flipped[c]
        neg = _layer_masks(problem, problem.activation_pattern(flipped, at_kinks=True))[l]
        out += [(l, i, j) for i, (on, off) in enumerate(zip(mask, neg)) for j, (a, b) in enumerate(zip(on, off))
                if not (a or b)]
    return out


def _kink_gradient(problem, kink) -> dict | None:
    """∇z of a first-layer pre-activation z = w_i·x_j + b_i (index → coefficient), None for a later layer's."""
    l, i, j = kink
    if l:
        return None
    weights = {name for name, _, _ in problem.weight_shapes()}
    w, _ = unit_coordinates(problem)[0][i]
    return {c: (problem.X[k][j] if name in weights else Fraction(1)) for name, cs in w for k, c in enumerate(cs)}


def _samples_fit(problem, point, cell) -> bool:
    """L_c ≥ L_c(p) on all of R^N because Λ = 0, ℓ ≥ 0 and each sample's term of L_c is either constant (no active
    unit reaches the output on it) or 0 at p: then L_c(θ) = Σ_j ℓ_j(θ) ≥ Σ_j ℓ_j(p). Each term is L_c of the problem
    restricted to that sample (its X and Y column, the cell's column)."""
    if not (problem.unregularised and problem.reg_nonnegative and dataclasses.is_dataclass(problem)
            and hasattr(problem, "X")):
        return False
    masks, gens = _layer_masks(problem, cell), flint.fmpq_mpoly_ctx.get(("x", problem.n_params)).gens()
    for j in range(len(problem.X[0])):
        sub = dataclasses.replace(problem, X=tuple((r[j],) for r in problem.X), Y=tuple((r[j],) for r in problem.Y))
        sub_cell = _with_masks(problem, cell, [None if m is None else tuple((r[j],) for r in m) for m in masks])
        term = loss_in_ring(sub, list(gens), relu_mask=sub_cell)
        if loss_value(sub, point, relu_mask=sub_cell) != 0 and not (
                not isinstance(term, flint.fmpq_mpoly) or term.is_constant()):
            return False
    return True


def _cell_minimum(problem, point, cell, tay):
    """why p is a local minimum of the cell polynomial L_c on all of R^N (``tay``: its Taylor data at p), and None;
    or None and a direction of descent of L_c, (v, order) — order 1: ∇L_c·v < 0; order 2: ∇L_c = 0, vᵀ∇²L_c v < 0 —
    or None, None (undecided)."""
    grad = [_frac(g) for g in tay.gradient]
    if any(g != 0 for g in grad):
        return None, ([-g for g in grad], 1)
    M, D = congruence_diagonalise(tay.hessian)
    neg, zero, _ = inertia(D)
    if neg:
        return None, ([_frac(x) for x in M[next(k for k, d in enumerate(D) if d < 0)]], 2)
    if zero == 0:
        return "H ≻ 0", None
    fam = critical_family(problem, point, tay.hessian, zero, relu_mask=cell, expansion=tay.expansion)
    if fam is not None:
        return f"Morse–Bott ({', '.join(fam.names)})", None
    if _samples_fit(problem, point, cell):
        return "every sample's term constant or 0 at p", None
    return None, None


def _into_cell(tay, v, order, leaves):
    """v adjusted so that L_c falls along p + t·v AND p + t·v lies in the open cell c for small t > 0 (σ·∇z·v > 0 for
    each zero pre-activation z, σ = +1 when c has it on): v + τ·Σ σ∇z for a few τ, checked exactly; or None."""
    grad = [_frac(g) for g in tay.gradient]
    push = [sum((sigma * g.get(a, 0) for g, sigma in leaves), Fraction(0)) for a in range(len(grad))]
    for base in ([v] if order == 1 else [v, [-x for x in v]]):
        for tau in (0, Fraction(1, 100), Fraction(1, 10), 1, 10, 100):
            u = [b + tau * d for b, d in zip(base, push)]
            falls = (sum(g * x for g, x in zip(grad, u)) < 0 if order == 1
                     else _frac(quad_form(tay.hessian, [fq(x) for x in u])) < 0)
            if falls and all(sigma * sum(c * u[a] for a, c in g.items()) > 0 for g, sigma in leaves):
                return u
    return None


def _at_kink(problem, point) -> Classification:
    """Classify p where some relu pre-activation is exactly 0 (module docstring's kink rule).

    The cells meeting p are the 2^K choices of a side for each of the K zero pre-activations z_1..z_K (the others
    keep their sign near p). On the closed cell c = {σ_k z_k ≥ 0} ∩ (a neighbourhood of p), σ(z_k) is what c says (relu
    and leaky relu agree with both sides at z = 0), so L = L_c there, and these sets cover a neighbourhood of p. So if
    p is a local minimum of every cell polynomial L_c on all of R^N (H ≻ 0, a Morse–Bott family, or a per-sample
    bound), p is a local minimum of L. If some L_c falls along a v that enters the open cell c (first-layer zeros:
    ∇z_k·v has the sign σ_k, so p + t·v ∈ c for small t > 0), L falls too: not a local minimum. No certificate:
    the kernel evaluates no derivative at a kink."""
    pattern = problem.activation_pattern(point, at_kinks=True)
    loss = loss_value(problem, point, relu_mask=pattern)
    base = dict(loss=loss, gradient_zero=None, inertia=None)
    if problem.reg_nonnegative and loss == 0:
        return Classification(PointClass.GLOBAL_MIN, reason="L(θ) = 0 and L ≥ 0 everywhere (sum of squares, Λ ≥ 0), "
                               "at a relu kink", details={"global_min": {"route": "zero-loss"}}, **base)
    kinks = _kinks(problem, point, pattern)
    if isinstance(kinks, str) or not kinks or len(kinks) > MAX_KINKS:
        why = kinks if isinstance(kinks, str) else f"{len(kinks)} pre-activations are 0 (more than {MAX_KINKS})" \
            if kinks else "a pre-activation is 0 but none was located (a layer reads no trained weight?)"
        return Classification(PointClass.UNKNOWN, reason=f"ReLU kink: {why}; the loss is not differentiable here",
                              **base)
    where = ", ".join(f"z(layer {l + 1}, unit {i + 1}, sample {j + 1})" for l, i, j in kinks)
    grads = [_kink_gradient(problem, k) for k in kinks]
    proofs_, undecided = [], []
    for sides in itertools.product((False, True), repeat=len(kinks)):
        masks = [None if m is None else [list(r) for r in m] for m in _layer_masks(problem, pattern)]
        for (l, i, j), on in zip(kinks, sides):
            masks[l][i][j] = on
        cell = _with_masks(problem, pattern, [None if m is None else tuple(map(tuple, m)) for m in masks])
        name = "(" + ", ".join("on" if on else "off" for on in sides) + ")"
        tay = taylor(problem, point, relu_mask=cell)
        why, descent = _cell_minimum(problem, point, cell, tay)
        if why is not None:
            proofs_.append(f"{name}: {why}")
            continue
        if descent is not None and all(g is not None for g in grads):
            v = _into_cell(tay, *descent, [(g, 1 if on else -1) for g, on in zip(grads, sides)])
            if v is not None:
                shown = f"v = ({', '.join(short(x) for x in v)})" if len(v) <= 8 else "a direction v"
                return Classification(PointClass.UNKNOWN, reason=f"not a local minimum: L falls along {shown} into "
                                      f"cell {name} of the kink ({where} = 0; "
                                      f"{'∇L_c·v < 0' if descent[1] == 1 else 'vᵀ∇²L_c v < 0'})",
                                      details={"kink": {"zeros": kinks, "cell": sides, "direction": v}}, **base)
        undecided.append(name)
    if not undecided:
        return Classification(PointClass.LOCAL_MIN, reason=f"at a relu kink ({where} = 0): L equals each of the "
                              f"{len(proofs_)} cells' polynomials L_c on its closed cell, which together cover a "
                              f"neighbourhood, and p is a local minimum of every L_c — {'; '.join(proofs_)}",
                              details={"kink": {"zeros": kinks, "cells": proofs_}}, **base)
    return Classification(PointClass.UNKNOWN, reason=f"ReLU kink ({where} = 0): p is a local minimum of "
                          f"{len(proofs_)} of the {len(proofs_) + len(undecided)} cells' polynomials, undecided on "
                          f"{', '.join(undecided[:4])}{' …' if len(undecided) > 4 else ''} — this does not imply a "
                          "local minimum", details={"kink": {"zeros": kinks, "undecided": undecided}}, **base)
