"""Numeric classification of points, with explicit tolerance bands; the answer is always ``evidence``.

For each point θ (batched) we compute L(θ), g = ∇L(θ), the Hessian spectrum (dense ``eigh`` for small N,
Lanczos on HVPs otherwise) and sort every quantity into a band (:class:`Bands`, s = max(1, max|λ|)):

=====================  ===========================  ==========================  ====================
quantity               confident "yes"              inside the band → unknown   confident "no"
=====================  ===========================  ==========================  ====================
critical               ‖g‖∞ ≤ grad_crit             between                     ‖g‖∞ ≥ grad_noncrit
eigenvalue λ is zero   |λ| ≤ z = eig_zero·s (+d)    z < |λ| < eig_sign·s        |λ| ≥ eig_sign·s
at the global value    |L − L_glob| ≤ loss_tol·(1+|L_glob|)
=====================  ===========================  ==========================  ====================

(d: 10·s·‖H⁺g‖, the distance to the critical point as one Newton step estimates it, times the scale.)
L_glob is 0 when L ≥ 0 everywhere (Λ ≥ 0) and L(θ) ≈ 0 is seen (not for the logistic and cross-entropy losses:
they are positive everywhere, and L ≈ 0 is seen only far out on a ray, :mod:`numeric.escape`), or is known to be
attained (relu-teacher with k ≥ teacher rows), or the reduced-rank-regression value
L* = ½(‖Y‖² − Σ_{i≤r} λ_i(Y P_X Yᵀ)) of an unregularised deep linear net with the square loss.

Classes (verify.verdict.PointClass), as candidates: ``not-critical``; ``global-min`` (critical at the global
value); ``strict-saddle`` (a λ ≤ −eig_sign·s and a λ ≥ eig_sign·s); ``local-max``; ``local-min`` (all λ
positive, or PSD-singular with no descent found by probing); ``non-strict-saddle`` (PSD-singular, and L falls
by more than the first- and second-order error terms along a probe line θ + t v, v in the numeric null space,
and rises along another); ``unknown`` otherwise, with the reason (a quantity inside its band, a Hessian
undefined at a kink of the arccos kernel, …). With the logistic or cross-entropy loss every point classified
``local-min`` (or ``global-min``; ``unknown`` for a gradient in its band: the ray only) then gets
:func:`numeric.escape.escape_test`: where L still falls — along the ray that
scales the output layer, or along a descent path by summands that halve (the infimum approached at infinity,
e.g. on separable data) — the class is ``unknown``, with that reason and ``details["not_attained"]``, never a
(spurious or global) minimum. ``unknown`` does NOT mean "probably a minimum"; ``local-min`` here means only that
no numeric test found a way down.

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> prob = DeepLinear(widths=(1, 1, 1, 1), X=((F(1),),), Y=((F(1),),))
>>> [p.cls.value for p in classify_points(make_loss(prob), torch.zeros(1, 3, dtype=torch.float64))]
['non-strict-saddle']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from verify.problems import Problem
from verify.verdict import PointClass, Status

from .escape import escape_test, may_escape
from .hessian import DENSE_MAX_PARAMS, Spectrum, gradients, hessians, point_spectrum
from .losses import BatchedLoss, make_loss


@dataclass(frozen=True)
class Bands:
    """Tolerance bands of the numeric classification (see the module docstring)."""

    grad_crit: float = 1e-8
    grad_noncrit: float = 1e-5
    eig_zero: float = 1e-7
    eig_sign: float = 1e-5
    loss_tol: float = 1e-9
    probe_steps: tuple[float, ...] = (1e-1, 3e-2, 1e-2, 1e-3)
    probe_dirs: int = 24
    probe_noise: float = 1e-12
    escape_steps: int = 20           # numeric.escape: continuation steps

    def to_json(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass
class NumericPoint:
    """A numerically classified point: a candidate class, never a proof (``status`` is always evidence)."""

    cls: PointClass
    loss: float
    grad_norm: float
    reason: str
    inertia: tuple[int, int, int] | None = None      # (negative, zero, positive) when none is in a band
    lam_min: float | None = None
    lam_max: float | None = None
    spectrum: dict | None = None                     # Lanczos data (large N)
    direction: list | None = None                    # negative-curvature or descent direction
    status: Status = Status.EVIDENCE
    details: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {"class": self.cls.value, "status": self.status.value, "loss": self.loss,
               "grad_norm": self.grad_norm, "hessian_inertia": list(self.inertia) if self.inertia else None,
               "lambda_min": self.lam_min, "lambda_max": self.lam_max, "reason": self.reason}
        if self.spectrum:
            out["spectrum"] = self.spectrum
        out.update(self.details)
        return out


def global_value(problem: Problem) -> float | None:
    """The global minimum value of L when it is known in closed form, else None (see module docstring);
    each kind's lowering says (:meth:`numeric.losses.Lowering.global_value`)."""
    return make_loss(problem, device="cpu").global_value()


def classify_points(loss: BatchedLoss, theta: torch.Tensor, bands: Bands = Bands(),
                    chunk: int = 256) -> list[NumericPoint]:
    """Classify every row of ``theta`` (B, N); dense Hessians for N ≤ DENSE_MAX_PARAMS, Lanczos otherwise.
    Rows with ‖∇L‖∞ > ``bands.grad_crit`` are classified on the gradient alone (``not-critical`` or ``unknown``
    in the band): no Hessian is formed for them."""
    theta = theta.detach().to(device=loss.device, dtype=loss.dtype)
    if theta.ndim == 1:
        theta = theta.unsqueeze(0)
    glob = loss.global_value()
    with torch.no_grad():
        values = loss(theta)
    g = gradients(loss, theta)
    gns = g.abs().amax(1) if g.numel() else torch.zeros(theta.shape[0], dtype=theta.dtype)
    need = torch.nonzero(~(gns > bands.grad_crit)).flatten().tolist()   # NaN gradients are examined too
    spectra: dict[int, tuple | None] = {}
    dense = loss.n_params <= DENSE_MAX_PARAMS
    for start in range(0, len(need), chunk):
        rows = need[start:start + chunk]
        th = theta[rows]
        if dense:
            H = hessians(loss, th)
            finite = torch.isfinite(H).flatten(1).all(1)
            Hs = torch.where(finite[:, None, None], (H + H.transpose(1, 2)) / 2, torch.zeros_like(H))
            lam, vec = torch.linalg.eigh(Hs)
        for i, b in enumerate(rows):
            if dense:
                spectra[b] = None if not bool(finite[i]) else (lam[i], vec[i])
            else:
                spectra[b] = point_spectrum(loss, th[i])
    out: list[NumericPoint] = []
    for b in range(theta.shape[0]):
        gi = g[b]
        L, gn = float(values[b]), float(gi.abs().max()) if gi.numel() else 0.0
        out.append(_classify_one(loss, theta[b], L, gi, gn, spectra.get(b), glob, bands))
    return _escapes(loss, theta, out, bands)


def _escapes(loss: BatchedLoss, theta, points: list[NumericPoint], bands: Bands) -> list[NumericPoint]:
    """The would-be minima where L still falls (:mod:`numeric.escape`: the ray and the descent) and the points
    with ‖∇L‖ inside its band where L falls along the output-scaling ray become ``unknown`` with
    ``not_attained``; only for the losses whose infimum may be approached at infinity. (A descent from a point in
    the band may lead to a minimum nearby — it says nothing about infinity — so only the ray is tried there.)"""
    if not may_escape(loss):
        return points
    mins = [b for b, p in enumerate(points) if p.cls in (PointClass.LOCAL_MIN, PointClass.GLOBAL_MIN)]
    band = [b for b, p in enumerate(points) if p.cls is PointClass.UNKNOWN and bands.grad_crit < p.grad_norm
            < bands.grad_noncrit]
    for rows, descent in ((mins, True), (band, False)):
        if not rows:
            continue
        for b, e in zip(rows, escape_test(loss, theta[rows], bands.escape_steps, descent=descent)):
            if e.escaping:
                p = points[b]
                points[b] = NumericPoint(PointClass.UNKNOWN, p.loss, p.grad_norm, e.reason(), lam_min=p.lam_min,
                                         lam_max=p.lam_max, details={**p.details, "not_attained": True,
                                                                     "escape": e.to_json(), "looked_like": p.cls.value})
    return points


def _classify_one(loss, theta, L, g, gn, spec, glob, bands: Bands) -> NumericPoint:
    P = PointClass
    if gn >= bands.grad_noncrit:
        return NumericPoint(P.NOT_CRITICAL, L, gn, f"‖∇L‖∞ = {gn:.3g} ≥ {bands.grad_noncrit:g}")
    if gn > bands.grad_crit:
        return NumericPoint(P.UNKNOWN, L, gn, f"‖∇L‖∞ = {gn:.3g} inside the band ({bands.grad_crit:g}, "
                            f"{bands.grad_noncrit:g}): neither clearly critical nor clearly not")
    nonneg = loss.problem.reg_nonnegative and not may_escape(loss)   # ℓ > 0 there: L ≈ 0 is not a minimum
    at_global = (glob is not None and abs(L - glob) <= bands.loss_tol * (1 + abs(glob))) or \
        (nonneg and abs(L) <= bands.loss_tol)
    if at_global:
        glob = 0.0 if glob is None else glob
        extra = _spectrum_fields(spec)
        return NumericPoint(P.GLOBAL_MIN, L, gn, f"critical, and L = {L:.12g} equals the global value {glob:.12g} "
                            f"within {bands.loss_tol:g}", **extra)
    if spec is None:
        return NumericPoint(P.UNKNOWN, L, gn, "Hessian undefined here (not finite: e.g. a student neuron parallel to "
                            "another, where the arccos kernel is not twice differentiable)")
    if isinstance(spec, Spectrum):
        return _classify_lanczos(loss, theta, L, g, gn, spec, bands)
    lam, vec = spec
    s = max(1.0, float(lam.abs().max()))
    pinv = torch.where(lam.abs() > bands.eig_zero * s, 1 / lam, torch.zeros_like(lam))
    dist = float(torch.linalg.vector_norm(vec @ (pinv * (vec.T @ g))))
    z = max(bands.eig_zero * s, 10 * s * dist)
    sign = max(bands.eig_sign * s, 10 * z)
    neg = int((lam <= -sign).sum())
    pos = int((lam >= sign).sum())
    zero = int((lam.abs() <= z).sum())
    amb = lam.numel() - neg - pos - zero
    base = dict(lam_min=float(lam[0]), lam_max=float(lam[-1]),
                inertia=(neg, zero, pos) if amb == 0 else None,
                details={"newton_distance": dist, "ambiguous_eigenvalues": amb})
    if neg and pos:
        return NumericPoint(P.STRICT_SADDLE, L, gn, f"λ_min = {float(lam[0]):.3g} ≤ −{sign:.3g} and "
                            f"λ_max = {float(lam[-1]):.3g} ≥ {sign:.3g}", direction=vec[:, 0].tolist(), **base)
    if amb:
        bad = lam[(lam.abs() > z) & (lam.abs() < sign)]
        return NumericPoint(P.UNKNOWN, L, gn, f"{amb} Hessian eigenvalue(s) inside the band ({z:.3g}, {sign:.3g}) "
                            f"in absolute value, e.g. {float(bad[0]):.3g}: sign undecided", **base)
    if neg:
        if zero == 0:
            return NumericPoint(P.LOCAL_MAX, L, gn, f"all eigenvalues ≤ −{sign:.3g}", **base)
        return NumericPoint(P.UNKNOWN, L, gn, "Hessian negative semidefinite and singular: degenerate maximum or "
                            "saddle, undecided", **base)
    if zero == 0:
        return NumericPoint(P.LOCAL_MIN, L, gn, f"all eigenvalues ≥ {sign:.3g} (λ_min = {float(lam[0]):.3g})",
                            **base)
    null = vec[:, lam.abs() <= z]
    return _probe(loss, theta, L, g, gn, null, z, pos > 0, bands, base)


def _spectrum_fields(spec) -> dict:
    if spec is None:
        return {}
    if isinstance(spec, Spectrum):
        return {"lam_min": spec.lam_min, "lam_max": spec.lam_max, "spectrum": spec.to_json()}
    lam = spec[0]
    return {"lam_min": float(lam[0]), "lam_max": float(lam[-1])}


def _probe(loss, theta, L, g, gn, null, z, has_pos, bands: Bands, base) -> NumericPoint:
    """PSD-singular Hessian: look for lines θ ± t v (v in the numeric null space) along which L falls by more
    than the error terms t‖g‖ + ½ z t² + noise, i.e. a descent that the gradient and the (tiny) eigenvalues
    cannot explain."""
    P = PointClass
    k = null.shape[1]
    gen = torch.Generator(device="cpu").manual_seed(1234)
    combos = torch.randn(k, bands.probe_dirs, generator=gen, dtype=theta.dtype).to(theta.device)
    dirs = torch.cat([null, null @ combos], dim=1)
    dirs = dirs / torch.linalg.vector_norm(dirs, dim=0, keepdim=True)
    ts = torch.tensor(bands.probe_steps, dtype=theta.dtype, device=theta.device)
    steps = torch.cat([ts, -ts])
    pts = theta + (steps[:, None, None] * dirs.T[None, :, :]).reshape(-1, theta.numel())
    with torch.no_grad():
        dL = (loss(pts) - L).reshape(steps.numel(), dirs.shape[1])
    gnorm = float(torch.linalg.vector_norm(g))
    margin = (steps.abs()[:, None] * gnorm + 0.5 * z * steps[:, None] ** 2
              + bands.probe_noise * max(1.0, abs(L))).expand_as(dL)
    down = dL < -margin
    up = dL > margin
    if bool(down.any()):
        ratio = (dL / margin).masked_fill(~down, 0)
        idx = int(ratio.argmin())
        si, di = divmod(idx, dirs.shape[1])
        t, drop = float(steps[si]), float(dL[si, di])
        if has_pos or bool(up.any()):
            return NumericPoint(P.NON_STRICT_SADDLE, L, gn,
                                f"Hessian PSD and singular (nullity {k}), but L(θ + t v) − L(θ) = {drop:.3g} at "
                                f"t = {t:g} along a null direction v, beyond the error bound "
                                f"{float(margin[si, di]):.3g}; "
                                "and L rises along another direction", direction=(t * dirs[:, di]).tolist(), **base)
        return NumericPoint(P.UNKNOWN, L, gn, f"PSD-singular; L falls along a null direction ({drop:.3g} at t = {t:g}) "
                            "but no direction of ascent was seen: saddle or degenerate maximum", **base)
    return NumericPoint(P.LOCAL_MIN, L, gn, f"Hessian PSD and singular (nullity {k}); no descent along "
                        f"{dirs.shape[1]} null-space lines at t ∈ ±{list(bands.probe_steps)}: a degenerate minimum "
                        "as far as these probes see (evidence only)", **{**base, "details": {**base["details"],
                                                                                            "degenerate": True}})


def _classify_lanczos(loss, theta, L, g, gn, spec: Spectrum, bands: Bands) -> NumericPoint:
    P = PointClass
    s = max(1.0, abs(spec.lam_min), abs(spec.lam_max))
    z, sign = bands.eig_zero * s, bands.eig_sign * s
    lo_hi = spec.lam_min + spec.res_min          # some eigenvalue ≤ lam_min + r_min
    hi_lo = spec.lam_max - spec.res_max          # some eigenvalue ≥ lam_max − r_max
    base = dict(lam_min=spec.lam_min, lam_max=spec.lam_max, spectrum=spec.to_json())
    if lo_hi <= -sign and hi_lo >= sign:
        return NumericPoint(P.STRICT_SADDLE, L, gn, f"Lanczos: λ_min ≈ {spec.lam_min:.4g} (residual "
                            f"{spec.res_min:.2g}), λ_max ≈ {spec.lam_max:.4g}", direction=spec.vec_min.tolist(), **base)
    if spec.res_min > z:
        return NumericPoint(P.UNKNOWN, L, gn, f"Lanczos residual {spec.res_min:.2g} for λ_min exceeds the zero band "
                            f"{z:.2g}: smallest eigenvalue not resolved", **base)
    if spec.lam_min >= sign:
        return NumericPoint(P.LOCAL_MIN, L, gn, f"Lanczos: λ_min ≈ {spec.lam_min:.4g} ≥ {sign:.3g}", **base)
    if spec.lam_max <= -sign:
        return NumericPoint(P.LOCAL_MAX, L, gn, f"Lanczos: λ_max ≈ {spec.lam_max:.4g} ≤ −{sign:.3g}", **base)
    if abs(spec.lam_min) <= z:
        return _probe(loss, theta, L, g, gn, spec.vec_min[:, None], z, hi_lo >= sign, bands, base)
    return NumericPoint(P.UNKNOWN, L, gn, f"λ_min ≈ {spec.lam_min:.3g} inside the band ({z:.3g}, {sign:.3g})", **base)


def classify_point(problem: Problem, point, bands: Bands = Bands(), device=None) -> NumericPoint:
    """Convenience: classify one point (a sequence of numbers) of ``problem``."""
    loss = make_loss(problem, device=device)
    theta = torch.tensor([float(x) for x in point], dtype=loss.dtype, device=loss.device)
    return classify_points(loss, theta.unsqueeze(0), bands)[0]
