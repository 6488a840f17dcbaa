"""``spurious-isolated-min`` certificates for the ReLU teacher–student loss (Safran & Shamir 2018).

:func:`spurious_min_certificate` refines a point by Newton's method in 256-bit balls
(:func:`verify.exact.ball.teacher.refine`) and emits a ``spurious-isolated-min`` box (proofs/FORMAT.md): centre c,
radius r, preconditioner Y ≈ H(c)⁻¹ (Krawczyk), an integer congruence M (rows of H's eigenvectors) with M H Mᵀ
diagonally dominant on the whole box, and the witness V + εE (the teacher, each neuron tilted by ε towards the next
coordinate: the kernel cannot evaluate W = V itself, where neurons are parallel and the arc-cosine kernel is not
smooth; F(V + εE) = O(ε²) is far below F(c)). Kernel-checked before it is returned. :func:`classify_ball` is
``spurious classify``'s ball route built on it. Y and M come from the float64 Hessian H(c)
(:func:`verify.exact.ball.teacher.hessian_float`) by numpy's linear algebra; the candidates from the torch search
(:func:`numeric.teacher.find_spurious_minima`).

A ``None`` certificate or an ``unknown`` answer means only that this point / this radius did not certify a
minimum — not that the loss has no spurious minimum.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from verify.certify.common import envelope, vec
from verify.errors import InputError, WallClockTimeout
from verify.exact.ball.teacher import box_radius, hessian_float, loss_float, refine
from verify.problems import Problem
from verify.problems.relu_teacher import SPURIOUS_LOSS

WITNESS_TILT = Fraction(1, 1000)


def witness_point(problem: Problem) -> list[Fraction]:
    """V + εE: teacher neuron j tilted by ε = 1/1000 towards coordinate j + 1 (mod n), so that no student neuron of
    the witness is parallel to a teacher neuron or to another (the kernel evaluates F there in balls);
    F(V + εE) = O(ε²) ≈ 10⁻⁶·k."""
    n = problem.n
    rows = [list(map(Fraction, row)) for row in problem.teacher]
    out = []
    for j in range(problem.k):
        row = rows[j] if j < len(rows) else [Fraction(0)] * n
        out += [x + (WITNESS_TILT if i == (j + 1) % n else 0) for i, x in enumerate(row)]
    return out


def _preconditioner(H: np.ndarray) -> tuple[list, int]:
    """Y ≈ H⁻¹ on the grid 2^−b, the coarsest b (tried from log₂(n‖H‖_∞) up) with ‖I − Y H‖_∞ ≤ 1/8 in float64."""
    Hinv = np.linalg.inv(H)
    eye = np.eye(len(H))
    start = max(8, math.floor(math.log2(len(H) * float(np.abs(H).sum(1).max()))))   # n 2^-b ‖H‖ <~ 1
    for b in range(start, 48, 2):
        Yq = np.round(Hinv * 2 ** b)
        if float(np.abs(eye - (Yq / 2 ** b) @ H).sum(1).max()) <= 0.125:
            return [[str(Fraction(int(v), 2 ** b)) for v in row] for row in Yq.tolist()], b
    raise ValueError("H⁻¹ cannot be rationalised with ‖I − Y H‖_∞ ≤ 1/8 (ill-conditioned Hessian)")


def _congruence(H: np.ndarray, lam: float, Q: np.ndarray) -> tuple[list, int]:
    """Integer M ≈ 2^b Qᵀ (rows: the eigenvectors Q of H, λ_min = ``lam`` > 0), the coarsest b (tried from
    log₂(n‖H‖_∞/λ_min) − 2 up) with M H Mᵀ diagonally dominant by a factor 4 in float64 (the kernel re-checks it on
    the whole box in balls)."""
    start = max(8, math.floor(math.log2(len(H) * float(np.abs(H).sum(1).max()) / lam)) - 2)
    for b in range(start, 60, 2):
        M = np.round(Q.T * 2 ** b)
        C = M @ H @ M.T
        d = C.diagonal()
        if bool((d > 4 * (np.abs(C).sum(1) - np.abs(d))).all()):
            return [[int(v) for v in row] for row in M.tolist()], b
    raise ValueError("no integer congruence found")


def checker_limit() -> int:
    """The largest parameter count the checker reads (a 400 × 400 preconditioner: k = n = 20)."""
    from proofs.reader import MAX_PARAMS

    return MAX_PARAMS


@dataclass
class TeacherBox:
    """A refined critical point, its box and (when the kernel verified it) the certificate."""

    centre: list | None
    radius: Fraction | None
    certificate: dict | None
    note: str
    loss: float | None = None
    lam_min: float | None = None
    seconds: dict = field(default_factory=dict)


def spurious_min_certificate(problem: Problem, point, timeout: float | None = 60.0,
                             rho: int | None = None, hessian=None) -> TeacherBox:
    """Refine ``point`` (floats or rationals, flat W) and emit a kernel-verified ``spurious-isolated-min``
    certificate; ``certificate`` is None with the reason in ``note`` when any step fails (that does NOT mean
    there is no spurious minimum near the point). ``timeout`` bounds the kernel's check; ``rho`` overrides the
    radius 2^−ρ of :func:`~verify.exact.ball.teacher.box_radius`. ``hessian(problem, w)`` → the float64 ∇²F used
    for Newton's iteration matrix, the preconditioner and the congruence (hints only: the kernel checks the box);
    default :func:`~verify.exact.ball.teacher.hessian_float` (arb); callers that may import torch pass
    :func:`numeric.teacher.flat_hessian`, the same closed form ~8× faster at k = n = 20."""
    import proofs

    t0 = time.perf_counter()
    if not problem.arccos_teacher:
        raise InputError("problem", f"expected the relu-teacher (arc-cosine kernel) loss, got {problem.describe()}")
    if len(point) != problem.n_params:
        raise InputError("point", f"expected {problem.n_params} numbers, got {len(point)}")
    if problem.n_params > checker_limit():
        return TeacherBox(None, None, None, f"{problem.n_params} parameters exceed the checker's limit of "
                          f"{checker_limit()} (proofs.reader.MAX_PARAMS): no box certificate can be checked")
    try:
        w = np.array([float(x) for x in point])
    except OverflowError:
        w = np.array([np.inf])
    if not np.all(np.isfinite(w)):
        return TeacherBox(None, None, None, "the point has entries beyond float64 (no descent or Newton there)")
    secs = {}
    hessian = hessian or hessian_float
    c, why = refine(problem, w, hessian=hessian)
    if c is None:
        return TeacherBox(None, None, None, f"refinement failed: {why}")
    H = hessian(problem, [float(x) for x in c])
    evals, Q = np.linalg.eigh(H)   # once: λ_min, the congruence's rows and the box radius read it
    lam = float(evals[0])
    F = loss_float(problem, [float(x) for x in c])
    if lam <= 0:
        return TeacherBox(c, None, None, f"the refined critical point is not a minimum (λ_min(H) ≈ {lam:.3g})", F, lam)
    if F < SPURIOUS_LOSS:
        return TeacherBox(c, None, None, f"F ≈ {F:.3g} at the refined point: not a spurious minimum candidate", F, lam)
    try:
        Y, yb = _preconditioner(H)
        M, mb = _congruence(H, lam, Q)
    except ValueError as e:
        return TeacherBox(c, None, None, str(e), F, lam)
    r = box_radius(problem, H, c, lam) if rho is None else Fraction(1, 2 ** rho)
    rho = r.denominator.bit_length() - 1
    centre = [Fraction(round(x * 2 ** (rho + 80)), 2 ** (rho + 80)) for x in c]
    secs["produce"] = time.perf_counter() - t0
    claim = {"kind": "spurious-isolated-min", "centre": vec(centre), "radius": vec([r] * problem.n_params)}
    body = {"kind": "spurious-isolated-min", "preconditioner": Y, "congruence": M,
            "witness": vec(witness_point(problem))}
    meta = {"generator": "verify.certify.relu_teacher", "loss": f"{F:.12g}", "lambda_min": f"{lam:.6g}",
            "radius": f"2^-{rho}", "preconditioner_grid": f"2^-{yb}", "congruence_scale": f"2^{mb}",
            "witness": "the teacher V, each neuron tilted by 1/1000 towards the next coordinate (F = O(1e-6))"}
    cert = envelope(problem, claim, body, meta)
    t1 = time.perf_counter()
    try:
        result = proofs.check_certificate(cert, timeout=timeout)
    except proofs.CheckTimeout as e:
        raise WallClockTimeout(f"the kernel's check: {e}") from e
    except proofs.MalformedCertificate as e:   # beyond the checker's limits (400 parameters, 5 MB)
        return TeacherBox(centre, r, None, f"the checker cannot read the certificate: {e}", F, lam, secs)
    secs["check"] = time.perf_counter() - t1
    if not result.verified:
        return TeacherBox(centre, r, None, f"the kernel did not verify the box: {result.reason}", F, lam, secs)
    return TeacherBox(centre, r, cert, result.reason, F, lam, secs)


def classify_ball(problem: Problem, point, timeout: float | None = None):
    """``spurious classify`` on a relu-teacher problem (method "ball"): refine ``point`` to the critical point near it
    and return ``spurious-local-min`` when the kernel verified a ``spurious-isolated-min`` box around it (the
    certificate in ``details["certificate"]``); ``unknown`` with the reason otherwise. ``global-min`` is never
    returned: F = 0 only where student neurons are parallel to teacher neurons, where F is not twice
    differentiable and the kernel's balls do not apply. The class is that of the certified critical point in the
    box, which a rational ``point`` itself almost never is exactly (its distance to the box is in the reason)."""
    from verify.exact.classify import Classification
    from verify.verdict import PointClass

    try:
        b = spurious_min_certificate(problem, point, timeout=timeout)
    except WallClockTimeout as e:
        return Classification(PointClass.UNKNOWN, None, None, None, f"timeout: {e}; nothing was decided",
                              method="ball")
    if b.certificate is None:
        try:
            zero = loss_float(problem, [float(x) for x in point]) < 1e-12
        except (OverflowError, ValueError):
            zero = False
        why = ("F ≈ 0 at the point: numerically a global minimum (W = V up to permutations), where student neurons "
               "are parallel to teacher neurons, F is not twice differentiable and the kernel's balls do not apply; "
               if zero else "")
        return Classification(PointClass.UNKNOWN, None, None, None, f"ball route: {why}{b.note}", method="ball",
                              details={"loss_float": b.loss})
    far = max(abs(Fraction(x) - c) for x, c in zip(point, b.centre))
    where = "inside" if far <= b.radius else f"{float(far):.3g} from the centre, outside"
    return Classification(PointClass.SPURIOUS_LOCAL_MIN, None, None, (0, 0, problem.n_params),
                          f"ball route: the unique critical point in the box centre ± {b.radius} (the given point is "
                          f"{where}) is a strict local minimum with F ≈ {b.loss:.10g} > 0 = F(V): {b.note}",
                          method="ball", details={"certificate": b.certificate, "loss_float": b.loss,
                                                  "centre": vec(b.centre), "radius": str(b.radius)})
