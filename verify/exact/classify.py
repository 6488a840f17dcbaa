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
* **unknown** — with a reason: a ReLU kink, a loss that is not (piecewise) polynomial, a PSD-singular Hessian with
  no descent curve found (this does NOT mean θ is a local minimum), a NSD-singular Hessian.

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

from dataclasses import dataclass, field
from fractions import Fraction

from verify.errors import InternalError
from verify.exact.derivatives import check_exact_size, curve_loss, taylor
from verify.exact.descent import DescentCurve, find_ascent_line, find_descent_curve
from verify.exact.global_min import equals_global_min
from verify.exact.inertia import congruence_diagonalise, inertia, quad_form
from verify.exact.loss import loss_value, to_fraction
from verify.exact.shallow import product_min
from verify.exact.symmetry import critical_family
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
            kink_loss = loss_value(problem, point, relu_mask=problem.activation_pattern(point, at_kinks=True))
            return Classification(PointClass.UNKNOWN, kink_loss, None, None,
                                  "ReLU kink: some pre-activation (W X)_ij is exactly 0, where the loss is not "
                                  "differentiable; move off the kink or use a one-sided analysis")
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
        c.ascent_is_line = c.ascent_is_line and c.inertia[2] == 0
        return c
    return Classification(PointClass.UNKNOWN, c.loss, c.gradient_zero, c.inertia,
                          f"the Taylor data of degree {K} at 0 says {c.cls.value} ({c.reason}), which rests on more "
                          "than that order: undecided for the transcendental activation", gradient=c.gradient)
