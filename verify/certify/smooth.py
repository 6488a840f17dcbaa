"""Krawczyk boxes for networks with smooth transcendental activations (tanh, sigmoid, softplus): the
``isolated-critical-point``, ``spurious-isolated-min`` and ``isolated-strict-saddle`` certificates of proofs/FORMAT.md,
and the ball class.

:func:`critical_box` refines a point to the critical point θ* near it (:func:`verify.exact.ball.smooth.refine`,
float64 Newton then 256-bit balls), and looks for a box X = c ± r (r = 2^−ρ, ρ from log₂(N‖H‖∞/λ) up) on which,
in our own ball evaluation of the second-order jet of L (:mod:`verify.exact.ball.smooth`),

* Krawczyk's test passes: K = x̃ − Y∇L(x̃) + (I − Y J(X))(X − x̃) ⊂ int X with Y ≈ H(c)⁻¹ — exactly one critical
  point in X (Krawczyk 1969; Rump 1983, Theorem 2.1);
* every symmetric matrix of the ball Hessian J(X) has one inertia (Gershgorin discs after an eigenvector congruence,
  :func:`verify.exact.ball.balls.certify_inertia`): (0, 0, N) a strict local minimum, (N, 0, 0) a strict local
  maximum, otherwise a strict saddle (a negative and a positive curvature everywhere on X);
* for a minimum, the integer congruence M (H's eigenvectors scaled by 2^b) makes M J(X) Mᵀ diagonally dominant — the
  kernel's ``box-pd`` rule — and, given a witness w of lower loss, L over X lies above L(w) (``box-above``);
* for a saddle, the rows v, u of M for the smallest and largest eigenvalue of H(c) give vᵀ J(X) v < 0 < uᵀ J(X) u
  (the kernel's ``box-saddle`` rule): every Hessian on X, so H(θ*), has a negative and a positive eigenvalue.

A minimum is then written as ``isolated-critical-point`` (``minimum: true``) or, with a witness,
``spurious-isolated-min``, a saddle as ``isolated-strict-saddle``, and kernel-checked before it is returned. A
strict local maximum is a class resting on this module's ball arithmetic (method "ball"), with no certificate.
:func:`classify_ball` is ``spurious classify``'s ball route for these networks.

A failed box (None, "unknown") means only that this point, at these radii, did not certify — not that there is no
critical point near it, nor that the loss has no spurious minimum.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

import flint
import numpy as np

from verify.certify.common import envelope, vec
from verify.errors import InputError, WallClockTimeout
from verify.exact.ball.balls import certify_inertia, float_down, float_up
from verify.exact.ball.krawczyk import negative_direction_on_box, positive_definite_on_box
from verify.exact.ball.smooth import (
    BITS,
    derivatives_float,
    descend,
    gradient_ball,
    hessian_on_box,
    krawczyk_on_box,
    loss_ball,
    loss_on_box,
    refine,
    smooth_refuses,
)
from verify.problems import Problem
from verify.verdict import PointClass

HINT_BITS = 40
"""Grid 2^−40 of the preconditioner Y and scale 2^40 of the integer congruence M (hints: the kernel checks them)."""
CENTRE_BITS = 80
"""The centre is rounded to the grid 2^−(ρ + 80), far inside the box of radius 2^−ρ."""
MAX_RHO = 64
CRITICAL_TOL = 1e-6
"""A given point whose gradient exceeds this (times max(1, |L|)) is classified as it is (not critical); below it,
the critical point near it is refined and classified."""
WITNESS_STARTS = 8
"""Starts of the float search for a point of lower loss when :func:`classify_ball` is given no witness."""


@dataclass
class SmoothBox:
    """A refined critical point, its box, the certified inertia of the Hessian on the box and (for a minimum or a
    strict saddle the kernel verified) the certificate."""

    centre: list | None
    radius: Fraction | None
    inertia: tuple[int, int, int] | None
    certificate: dict | None
    note: str
    loss: float | None = None
    lam: tuple[float, float] | None = None
    seconds: dict = field(default_factory=dict)


def _grid(A: np.ndarray) -> list[list[str]]:
    return [[str(Fraction(int(v), 2 ** HINT_BITS)) for v in row] for row in np.round(A * 2 ** HINT_BITS).tolist()]


def checker_limit() -> int:
    """The largest parameter count the checker reads (proofs.reader.MAX_PARAMS)."""
    from proofs.reader import MAX_PARAMS

    return MAX_PARAMS


def _witness_loss(problem: Problem, witness) -> flint.arb | None:
    if witness is None:
        return None
    with flint.ctx.workprec(BITS):
        return loss_ball(problem, witness)


def critical_box(problem: Problem, point, witness=None, timeout: float | None = 60.0,
                 saddles: bool = False) -> SmoothBox:
    """Refine ``point`` and certify a box around the critical point (module docstring). ``witness``: rationals, a
    point of lower loss (a minimum is then certified spurious, if L over the box lies above L(witness)); the kernel's
    check is bounded by ``timeout`` (:class:`~verify.errors.WallClockTimeout` beyond it). ``saddles``: also write a
    strict saddle's ``isolated-strict-saddle`` certificate (off by default: a caller looking for spurious minima takes
    any certificate for one). ``certificate`` is None for a maximum (and a saddle without ``saddles``), and with the
    reason in ``note`` when any step fails."""
    t0 = time.perf_counter()
    why = smooth_refuses(problem)
    if why is not None:
        raise InputError("problem", f"the ball layer for smooth activations does not apply: {why}")
    if len(point) != problem.n_params:
        raise InputError("point", f"expected {problem.n_params} numbers, got {len(point)}")
    if witness is not None and len(witness) != problem.n_params:
        raise InputError("witness", f"expected {problem.n_params} numbers, got {len(witness)}")
    n = problem.n_params
    c, why = refine(problem, point)
    if c is None:
        return SmoothBox(None, None, None, None, f"refinement failed: {why}")
    L, _, H = derivatives_float(problem, [float(x) for x in c])
    lam, Q = np.linalg.eigh(H)
    lams = (float(lam[0]), float(lam[-1]))
    small = float(np.abs(lam).min())
    if small == 0 or not np.isfinite(small):
        return SmoothBox(c, None, None, None, "the Hessian at the refined critical point is singular", L, lams)
    M = np.round(Q.T * 2 ** HINT_BITS).astype(object)
    M = [[int(v) for v in row] for row in M.tolist()]
    Y = _grid(np.linalg.inv(H))
    low = _witness_loss(problem, witness)
    minimum, saddle = bool(lam[0] > 0), saddles and bool(lam[0] < 0 < lam[-1])
    v, u = M[0], M[-1]   # eigenvectors of λ_min and λ_max (the rows of M): vᵀHv < 0 < uᵀHu for a saddle
    start = max(8, math.ceil(math.log2(n * float(np.abs(H).sum(1).max()) / small)) + 4)
    found, tried = None, []
    for rho in range(start, MAX_RHO + 1, 2):
        r = Fraction(1, 2 ** rho)
        centre = [Fraction(round(x * 2 ** (rho + CENTRE_BITS)), 2 ** (rho + CENTRE_BITS)) for x in c]
        radius = [r] * n
        J = hessian_on_box(problem, centre, radius)
        if not krawczyk_on_box(problem, centre, radius, Y, J):
            tried.append(f"2^-{rho}: Krawczyk")
            continue
        inertia = certify_inertia([[J[i, j] for j in range(n)] for i in range(n)])
        if inertia is None:
            tried.append(f"2^-{rho}: inertia")
            continue
        if minimum and not positive_definite_on_box(J, M):
            tried.append(f"2^-{rho}: congruence")
            continue
        if saddle and not (negative_direction_on_box(J, v) and negative_direction_on_box(-J, u)):
            tried.append(f"2^-{rho}: vᵀJv < 0 < uᵀJu")
            continue
        if minimum and low is not None and not loss_on_box(problem, centre, radius) > low:
            tried.append(f"2^-{rho}: L(box) > L(witness)")
            continue
        found = (rho, r, centre, inertia)
        break
    secs = {"produce": time.perf_counter() - t0}
    if found is None:
        return SmoothBox(c, None, None, None, f"no box certified at radii 2^-{start} … 2^-{MAX_RHO} (failed: "
                         f"{', '.join(tried[:3])}{', …' if len(tried) > 3 else ''})", L, lams, secs)
    rho, r, centre, inertia = found
    if not (minimum or saddle):
        return SmoothBox(centre, r, inertia, None, f"box centre ± 2^-{rho}: Krawczyk (one critical point) and the "
                         f"inertia {inertia} of every Hessian on it, in 256-bit balls", L, lams, secs)
    if n > checker_limit():
        return SmoothBox(centre, r, inertia, None, f"{n} parameters exceed the checker's limit of "
                         f"{checker_limit()}: no certificate can be checked", L, lams, secs)
    spurious = minimum and low is not None
    kind = "isolated-strict-saddle" if saddle else "spurious-isolated-min" if spurious else "isolated-critical-point"
    claim = {"kind": kind, "centre": vec(centre), "radius": vec([r] * n)}
    body = {"kind": kind, "preconditioner": Y}
    meta = {"generator": "verify.certify.smooth", "loss": f"{L:.12g}", "lambda_min": f"{lams[0]:.6g}",
            "radius": f"2^-{rho}", "preconditioner_grid": f"2^-{HINT_BITS}", "congruence_scale": f"2^{HINT_BITS}"}
    if saddle:
        body.update(direction=vec(v), ascent=vec(u))
        meta["lambda_max"] = f"{lams[1]:.6g}"
    else:
        body["congruence"] = M
    if spurious:
        body["witness"] = vec(witness)
        meta["witness_loss"] = f"[{float_down(low):.12g}, {float_up(low):.12g}]"
    elif minimum:
        claim["minimum"] = True
    cert = envelope(problem, claim, body, meta)
    return _kernel_checked(SmoothBox(centre, r, inertia, cert, "", L, lams, secs), timeout)


def _kernel_checked(box: SmoothBox, timeout: float | None) -> SmoothBox:
    """``box`` with its certificate kept only when proofs/ verified it (the reason in ``note`` either way)."""
    import proofs

    t1 = time.perf_counter()
    try:
        result = proofs.check_certificate(box.certificate, timeout=timeout)
    except proofs.CheckTimeout as e:
        raise WallClockTimeout(f"the kernel's check: {e}") from e
    except proofs.MalformedCertificate as e:
        box.certificate, box.note = None, f"the checker cannot read the certificate: {e}"
        return box
    box.seconds["check"] = time.perf_counter() - t1
    if not result.verified:
        box.certificate, box.note = None, f"the kernel did not verify the box: {result.reason}"
    else:
        box.note = result.reason
    return box


def lower_witness(problem: Problem, point, starts: int = WITNESS_STARTS, seed: int = 0,
                  deadline: float | None = None) -> list[Fraction] | None:
    """A rational point of lower loss than ``point`` (floats or rationals), from the float search
    :func:`verify.exact.ball.smooth.descend`, rounded to denominators ≤ 10¹²; None when none was found (that does
    not mean the point is a global minimum)."""
    L = derivatives_float(problem, [float(x) for x in point])[0]
    for Lw, w in descend(problem, starts, seed, deadline=deadline):
        if Lw < L - 1e-9 * max(1.0, abs(L)):
            return [Fraction(float(v)).limit_denominator(10 ** 12) for v in w]
    return None


def classify_ball(problem: Problem, point, timeout: float | None = None, witness=None):
    """``spurious classify`` on a network with tanh / sigmoid / softplus (method "ball"): **not-critical** when a
    component of ∇L at ``point`` (balls) excludes 0 and exceeds :data:`CRITICAL_TOL`; otherwise the class of the
    unique critical point in a box around the refined point (:func:`critical_box`) — **spurious-local-min** (a
    kernel-verified ``spurious-isolated-min``: the witness given, or one the float search found), **local-min** (an
    ``isolated-critical-point`` with ``minimum``, when no lower point is known: globality undecided),
    **strict-saddle** (a kernel-verified ``isolated-strict-saddle``; our balls only when the kernel cannot check it),
    **local-max** (our balls only: the kernel has no such box kind), **unknown** with the reason. The refined point
    is rarely ``point`` itself; its distance to the box is in the reason."""
    from verify.exact.classify import Classification

    def unknown(why, **details):
        return Classification(PointClass.UNKNOWN, None, None, None, f"ball route: {why}", method="ball",
                              details=details)

    why = smooth_refuses(problem)
    if why is not None:
        return unknown(why)
    point = [Fraction(x) for x in point]
    if len(point) != problem.n_params:
        raise InputError("point", f"expected {problem.n_params} numbers, got {len(point)}")
    with flint.ctx.workprec(BITS):
        g = gradient_ball(problem, point)
        scale = CRITICAL_TOL * max(1.0, abs(float(loss_ball(problem, point).mid())))
    k = next((i for i, v in enumerate(g) if v.abs_lower() > scale), None)
    if k is not None:
        return Classification(PointClass.NOT_CRITICAL, None, False, None,
                              f"∂L/∂θ_{k} ≈ {float(g[k].mid()):.6g} ≠ 0 (its 256-bit ball excludes 0)", method="ball")
    deadline = None if timeout is None else time.monotonic() + timeout / 2
    try:
        if witness is None:
            witness = lower_witness(problem, point, deadline=deadline)
        b = critical_box(problem, point, witness=witness, timeout=timeout, saddles=True)
    except WallClockTimeout as e:
        return unknown(f"timeout: {e}; nothing was decided")
    details = {"loss_float": b.loss}
    if b.inertia is None:
        return unknown(b.note, **details)
    far = max(abs(x - c) for x, c in zip(point, b.centre))
    where = "inside" if far <= b.radius else f"{float(far):.3g} from the centre, outside"
    details.update(centre=vec(b.centre), radius=str(b.radius))
    head = (f"ball route: the unique critical point in the box centre ± {b.radius} (the given point is {where}), "
            f"L ≈ {b.loss:.10g}, Hessian inertia {b.inertia} on the whole box")
    neg, _, pos = b.inertia
    if neg and not pos:
        return Classification(PointClass.LOCAL_MAX, None, None, b.inertia, f"{head}: a strict local maximum "
                              "(256-bit balls only)", method="ball", details=details)
    if neg and pos and b.certificate is None:
        return Classification(PointClass.STRICT_SADDLE, None, None, b.inertia, f"{head}: a strict saddle (256-bit "
                              f"balls only; no kernel certificate: {b.note})", method="ball", details=details)
    if b.certificate is None:
        return unknown(f"{head}, but no certificate: {b.note}", **details)
    details["certificate"] = b.certificate
    cls, tail = {
        "isolated-strict-saddle": (PointClass.STRICT_SADDLE, "a strict saddle (vᵀHv < 0 < uᵀHu on the whole box)"),
        "spurious-isolated-min": (PointClass.SPURIOUS_LOCAL_MIN, "above a point of lower loss: spurious"),
        "isolated-critical-point": (PointClass.LOCAL_MIN, "a strict local minimum; globality undecided (no point of "
                                    "lower loss found)")}[b.certificate["claim"]["kind"]]
    return Classification(cls, None, None, b.inertia, f"{head}, {tail}: {b.note}", method="ball", details=details)
