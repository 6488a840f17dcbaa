"""Certified spurious minima of the ReLU teacher–student loss (Safran & Shamir 2018): search, refine, certify.

F(W) = ½ E_{x~N(0,I_n)}[(Σ_i relu(w_i·x) − Σ_j relu(v_j·x))²] = ½ Σ_{i,j} k(w_i, w_j) − Σ_{i,j} k(w_i, v_j) + const,
k(u, w) = (‖u‖‖w‖ sin θ + (π − θ) u·w)/(2π) the arc-cosine kernel. Its gradient (Brutzkus & Globerson 2017;
Safran & Shamir 2018, eq. (3)) is, row by row,

    ∇_{w_i} F = a_i w_i + (1/2π) [Σ_{j≠i} (π − θ_ij) w_j − Σ_j (π − θ′_ij) v_j],
    a_i = ½ + (Σ_{j≠i} ‖w_j‖ sin θ_ij − Σ_j ‖v_j‖ sin θ′_ij) / (2π ‖w_i‖),

θ_ij the angle between w_i and w_j, θ′_ij between w_i and v_j. The pipeline:

1. :func:`descend` — a seeded batched gradient descent in torch float64 (entries N(0, 1/n), step 0.1, the
   protocol of the paper) whose runs that stay above loss 10⁻³ are polished by Newton's method (float64
   Hessian by autograd) into strict local minima, distinct up to permutations of the student neurons;
2. :func:`refine` — Newton's iteration in python-flint ``arb`` at 256 bits on the closed-form gradient above
   (the float64 Hessian as the iteration matrix: each step gains ~12 digits);
3. :func:`spurious_min_certificate` — a ``spurious-isolated-min`` box (proofs/FORMAT.md): centre c, radius r,
   preconditioner Y ≈ H(c)⁻¹ (Krawczyk), an integer congruence M (rows of H's eigenvectors) with M H Mᵀ
   diagonally dominant on the whole box, and the witness V + εE (the teacher, each neuron tilted by ε
   towards the next coordinate: the kernel cannot evaluate W = V itself, where neurons are parallel and
   the arc-cosine kernel is not smooth; F(V + εE) = O(ε²) is far below F(c)). Kernel-checked before it is
   returned.

A ``None`` certificate or an ``unknown`` answer means only that this search / this radius did not certify a
minimum — not that the loss has no spurious minimum.

>>> from verify.problems import ReluTeacher, default_teacher
>>> P = ReluTeacher(k=2, n=2, teacher=default_teacher(2, 2))
>>> float(loss_float(P, [1.0, 0.0, 0.0, 1.0]))   # F(V) = 0
0.0
"""

from __future__ import annotations

import math
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction

import flint
import numpy as np

from verify.certify.common import envelope, vec
from verify.errors import InputError, WallClockTimeout
from verify.problems import Problem

SPURIOUS_LOSS = 1e-3
"""A run whose loss stays at or above this is a spurious candidate (Safran & Shamir's threshold)."""

BITS = 256
WITNESS_TILT = Fraction(1, 1000)


# --------------------------------------------------------------------------- float64 (torch): loss, gradient, Hessian
def _torch():
    import torch

    torch.set_flush_denormal(True)   # the runs that reach W = V produce subnormal angles: 10× slower without this
    return torch


@contextmanager
def one_thread():
    """torch on one thread inside the block: these matrices are small, and on a busy machine two threads were
    measured 10–20× slower (k = n = 20 Hessian: 1.3 s against 0.07 s)."""
    torch = _torch()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _teacher(problem: Problem):
    if problem.kind != "relu-teacher":
        raise InputError("problem", f"expected a relu-teacher problem, got {problem.kind!r}")
    return [[float(x) for x in row] for row in problem.teacher]


def batched_loss_grad(W, V, value: bool = True):
    """(F(W_b), ∇F(W_b)) for a batch W of shape (B, k, n), by the closed forms above (torch float64); F is None
    when ``value`` is false (the descent's inner loop)."""
    import torch

    two_pi = 2 * math.pi
    nw, nv = W.norm(dim=-1), V.norm(dim=-1)
    eye = torch.eye(W.shape[-2], dtype=torch.bool)
    c = ((W @ W.transpose(-1, -2)) / (nw[..., :, None] * nw[..., None, :])).clamp(-1, 1)
    c = torch.where(eye, 0.0, c)     # the diagonal k(w, w) = ‖w‖²/2 is outside arccos (no 0·∞ in autograd)
    A = torch.where(eye, 0.0, math.pi - torch.acos(c))
    S = torch.where(eye, 0.0, torch.sqrt((1 - c * c).clamp(min=0)))
    c2 = ((W @ V.T) / (nw[..., :, None] * nv)).clamp(-1, 1)
    A2, S2 = math.pi - torch.acos(c2), torch.sqrt((1 - c2 * c2).clamp(min=0))
    a = 0.5 + ((S * nw[..., None, :]).sum(-1) - (S2 * nv).sum(-1)) / (two_pi * nw)
    g = a[..., None] * W + (A @ W - A2 @ V) / two_pi
    if not value:
        return None, g
    kww = nw[..., :, None] * nw[..., None, :] * (S + A * c) / two_pi
    kwv = nw[..., :, None] * nv * (S2 + A2 * c2) / two_pi
    cv = ((V @ V.T) / (nv[:, None] * nv[None, :])).clamp(-1, 1)
    kvv = nv[:, None] * nv[None, :] * (torch.sqrt((1 - cv * cv).clamp(min=0)) + (math.pi - torch.acos(cv)) * cv)
    F = ((nw * nw).sum(-1) / 2 + kww.sum((-1, -2))) / 2 - kwv.sum((-1, -2)) + kvv.sum() / (2 * two_pi)
    return F, g


def loss_float(problem: Problem, w) -> float:
    """F(W) in float64 for a flat W (canonical order: W row-major)."""
    torch = _torch()
    V = torch.tensor(_teacher(problem), dtype=torch.float64)
    W = torch.as_tensor(np.asarray(w, dtype=float)).reshape(1, problem.k, problem.n)
    return float(batched_loss_grad(W, V)[0][0])


def hessian_float(problem: Problem, w) -> np.ndarray:
    """∇²F at a flat W in float64: autograd of the closed-form gradient (valid where no two neurons are parallel)."""
    torch = _torch()
    V = torch.tensor(_teacher(problem), dtype=torch.float64)
    k, n = problem.k, problem.n
    x = torch.as_tensor(np.asarray(w, dtype=float))
    jac = torch.autograd.functional.jacobian(lambda t: batched_loss_grad(t.reshape(1, k, n), V)[1].reshape(-1), x,
                                             vectorize=True)
    H = jac.numpy()
    return (H + H.T) / 2


def _solve(H, g) -> np.ndarray:
    """H⁻¹g in float64 (torch: one thread inside :func:`one_thread`, unlike numpy's BLAS)."""
    torch = _torch()
    return torch.linalg.solve(torch.as_tensor(H), torch.as_tensor(np.asarray(g, dtype=float))).numpy()


def _newton_float(problem, w, V, steps: int = 10, tol: float = 1e-12):
    torch = _torch()
    k, n = problem.k, problem.n
    x = np.asarray(w, dtype=float).copy()
    for _ in range(steps):
        g = batched_loss_grad(torch.as_tensor(x).reshape(1, k, n), V)[1].reshape(-1).numpy()
        if not np.all(np.isfinite(g)):
            return None
        if np.abs(g).max() < tol:
            return x
        try:
            d = _solve(hessian_float(problem, x), g)
        except (np.linalg.LinAlgError, RuntimeError):
            return None
        if not np.abs(d).max() < 0.5:   # Newton is leaving the basin (or NaN)
            return None
        x = x - d
    return None


def _orbit_key(problem, x) -> tuple:
    """(F, λ_min) rounded: equal on a symmetry orbit (permutations of the neurons, and of the coordinates together
    with the teacher's rows), so one orbit is certified once."""
    return (round(loss_float(problem, x), 9), round(float(np.linalg.eigvalsh(hessian_float(problem, x))[0]), 7))


@dataclass
class Descent:
    """What :func:`descend` found: Newton-polished strict local minima with F ≥ 10⁻³ (one per permutation orbit),
    their float losses, and the run counts."""

    minima: list = field(default_factory=list)
    losses: list = field(default_factory=list)
    starts: int = 0
    spurious_runs: int = 0
    steps: list = field(default_factory=list)
    stopped_at_limit: bool = False
    seconds: float = 0.0


def descend(problem: Problem, starts: int = 1000, seed: int = 0, max_steps: int = 20_000, step: float = 0.1,
            time_limit: float | None = None, chunk: int = 200, want: int | None = None) -> Descent:
    """Batched GD from ``starts`` seeded starts W₀ ~ N(0, 1/n) (one torch thread). Every ``chunk`` steps the runs
    with F < 10⁻³ are dropped (GD does not increase F, so they cannot end at a minimum with F ≥ 10⁻³), and those
    with max |∇F| below their threshold (10⁻³, then ten times smaller after each failed try) are handed to Newton;
    a Newton limit with F ≥ 10⁻³ and a positive definite float Hessian is kept (once per permutation orbit). Stops
    after ``max_steps``, at ``time_limit`` seconds, or when ``want`` minima were found."""
    torch = _torch()
    t0 = time.perf_counter()
    with one_thread():
        out = _descend(torch, problem, starts, seed, max_steps, step, time_limit, chunk, want, t0)
    out.seconds = time.perf_counter() - t0
    order = np.argsort(out.losses)
    out.minima = [out.minima[i] for i in order]
    out.losses = [out.losses[i] for i in order]
    return out


def _descend(torch, problem, starts, seed, max_steps, step, time_limit, chunk, want, t0) -> Descent:
    k, n = problem.k, problem.n
    V = torch.tensor(_teacher(problem), dtype=torch.float64)
    gen = torch.Generator().manual_seed(seed)
    W = torch.randn(starts, k, n, generator=gen, dtype=torch.float64) / math.sqrt(n)
    thr = torch.full((starts,), 1e-3, dtype=torch.float64)
    out, seen, done = Descent(starts=starts), [], 0
    while W.shape[0] and done < max_steps:
        for _ in range(chunk):
            W = W - step * batched_loss_grad(W, V, False)[1]
        done += chunk
        F, g = batched_loss_grad(W, V)
        gmax = g.abs().flatten(1).amax(1)
        found = torch.zeros_like(F, dtype=torch.bool)
        for b in ((F >= SPURIOUS_LOSS) & (gmax < thr)).nonzero().flatten().tolist():
            x = _newton_float(problem, W[b].reshape(-1).numpy(), V)
            ok = x is not None and loss_float(problem, x) >= SPURIOUS_LOSS and \
                np.linalg.eigvalsh(hessian_float(problem, x))[0] > 0
            if not ok:
                thr[b] /= 10
                continue
            found[b] = True
            out.spurious_runs += 1
            out.steps.append(done)
            key = _orbit_key(problem, x)
            if key not in seen:
                seen.append(key)
                out.minima.append(x)
                out.losses.append(loss_float(problem, x))
        keep = ~found & (F >= SPURIOUS_LOSS) & torch.isfinite(F)
        W, thr = W[keep], thr[keep]
        if want and len(out.minima) >= want:
            break
        if time_limit and time.perf_counter() - t0 > time_limit:
            out.stopped_at_limit = bool(W.shape[0])
            break
    return out


# --------------------------------------------------------------------------- high precision (python-flint arb)
def _arb(x) -> flint.arb:
    if isinstance(x, flint.arb):
        return x
    x = Fraction(x)
    return flint.arb(flint.fmpq(x.numerator, x.denominator))


def _exact(x: flint.arb) -> Fraction:
    """The midpoint of an arb ball as an exact Fraction."""
    m, e = x.mid().man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2 ** e) if e >= 0 else Fraction(m, 2 ** -e)


def gradient_ball(problem: Problem, w) -> list:
    """∇F(W) in arb balls at the current precision (the closed form of the module docstring); w: flat, any of
    Fraction / float / arb. Raises ValueError where a norm is 0 or two neurons are parallel."""
    k, n = problem.k, problem.n
    Wm = flint.arb_mat(k, n, [_arb(x) for x in w])
    Vm = flint.arb_mat(len(problem.teacher), n, [_arb(x) for row in problem.teacher for x in row])
    pi, m = flint.arb.pi(), Vm.nrows()
    G, C, Gv = Wm * Wm.transpose(), Wm * Vm.transpose(), Vm * Vm.transpose()
    nw = [G[i, i].sqrt() for i in range(k)]
    nv = [Gv[j, j].sqrt() for j in range(m)]
    A, B, a = flint.arb_mat(k, k), flint.arb_mat(k, m), []
    for i in range(k):
        s = flint.arb(0)
        for j in range(k):
            if j != i:
                c = G[i, j] / (nw[i] * nw[j])
                if not (c < 1 and c > -1):
                    raise ValueError(f"neurons {i} and {j} are parallel")
                A[i, j] = pi - c.acos()
                s += nw[j] * (1 - c * c).sqrt()
        for j in range(m):
            c = C[i, j] / (nw[i] * nv[j])
            if not (c < 1 and c > -1):
                raise ValueError(f"neuron {i} is parallel to teacher neuron {j}")
            B[i, j] = pi - c.acos()
            s -= nv[j] * (1 - c * c).sqrt()
        a.append(flint.arb(1) / 2 + s / (2 * pi * nw[i]))
    D = flint.arb_mat(k, k)
    for i in range(k):
        D[i, i] = a[i]
    g = D * Wm + (A * Wm - B * Vm) / (2 * pi)
    return [g[i, j] for i in range(k) for j in range(n)]


def refine(problem: Problem, w, target_bits: int = 160, steps: int = 12):
    """Newton's iteration x ← x − H⁻¹∇F(x) with ∇F in 256-bit balls and H the float64 Hessian at ``w``; returns
    (x as exact Fractions, H) once max |∇F(x)| < 2^−target_bits, or (None, why)."""
    H = hessian_float(problem, w)
    if not np.all(np.isfinite(H)):
        return None, "the float64 Hessian is not finite at the point (a neuron at 0 or parallel to another)"
    with flint.ctx.workprec(BITS):
        x = [_arb(float(v)) for v in w]
        tol = flint.arb(2) ** -target_bits
        for _ in range(steps):
            try:
                g = gradient_ball(problem, x)
            except ValueError as e:
                return None, str(e)
            if all(abs(v) < tol for v in g):
                return [_exact(v) for v in x], H
            try:
                d = _solve(H, [float(v.mid()) for v in g])
            except (np.linalg.LinAlgError, RuntimeError):
                return None, "the float64 Hessian is singular at the point"
            if not np.all(np.isfinite(d)) or np.abs(d).max() > 1e-2:
                return None, f"Newton's step grew to {np.abs(d).max():.3g}: no critical point near the point"
            x = [(xi - _arb(float(di))).mid() for xi, di in zip(x, d)]
    return None, f"Newton did not reach |∇F| < 2^-{target_bits} in {steps} steps"


# --------------------------------------------------------------------------- the certificate
def _dyadic(x: float, bits: int) -> Fraction:
    return Fraction(round(x * 2 ** bits), 2 ** bits)


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
    """Y ≈ H⁻¹ on the grid 2^−b, the coarsest b (tried from log₂(n‖H‖_∞) up) with ‖I − Y H‖_∞ ≤ 1/8 in float64.
    (torch linear algebra: inside :func:`one_thread` it avoids numpy's BLAS threads, slow on a busy machine.)"""
    torch = _torch()
    Ht = torch.as_tensor(H)
    Hinv = torch.linalg.inv(Ht)
    eye = torch.eye(len(H), dtype=torch.float64)
    start = max(8, math.floor(math.log2(len(H) * float(Ht.abs().sum(1).max()))))   # n 2^-b ‖H‖ <~ 1
    for b in range(start, 48, 2):
        Yq = torch.round(Hinv * 2 ** b)
        if float((eye - (Yq / 2 ** b) @ Ht).abs().sum(1).max()) <= 0.125:
            return [[str(Fraction(int(v), 2 ** b)) for v in row] for row in Yq.tolist()], b
    raise ValueError("H⁻¹ cannot be rationalised with ‖I − Y H‖_∞ ≤ 1/8 (ill-conditioned Hessian)")


def _congruence(H: np.ndarray) -> tuple[list, int]:
    """Integer M ≈ 2^b Qᵀ (rows: eigenvectors of H), the coarsest b (tried from log₂(n‖H‖_∞/λ_min) − 2 up) with
    M H Mᵀ diagonally dominant by a factor 4 in float64 (the kernel re-checks it on the whole box in balls)."""
    torch = _torch()
    Ht = torch.as_tensor(H)
    w, Q = torch.linalg.eigh(Ht)
    lam = float(w[0])
    if lam <= 0:
        raise ValueError(f"the Hessian is not positive definite (λ_min ≈ {lam:.3g})")
    start = max(8, math.floor(math.log2(len(H) * float(Ht.abs().sum(1).max()) / lam)) - 2)
    for b in range(start, 60, 2):
        M = torch.round(Q.T * 2 ** b)
        C = M @ Ht @ M.T
        d = C.diagonal()
        if bool((d > 4 * (C.abs().sum(1) - d.abs())).all()):
            return [[int(v) for v in row] for row in M.tolist()], b
    raise ValueError("no integer congruence found")


def box_radius(problem: Problem, H: np.ndarray, c) -> Fraction:
    """r = 2^−ρ, ρ the smallest integer with r ≤ λ_min(H) / (2048 ‖H‖_∞ · k) and r ≤ 1/64 of every distance from a
    student neuron to the line of another student or teacher neuron (a float estimate; the kernel decides).
    Calibrated on the minima of k = n = 6 … 12: the kernel's box test first passes at ρ = 19 or 20 there; this
    rule gives ρ ≈ 22, so the box is within a factor ~8 of the largest one this certificate shape verifies."""
    k, n = problem.k, problem.n
    W = np.array([float(x) for x in c]).reshape(k, n)
    V = np.array(_teacher(problem))
    lam = float(_torch().linalg.eigvalsh(_torch().as_tensor(H))[0])
    limit = lam / (2048 * np.abs(H).sum(1).max() * k)
    for U in (W, V):
        for i in range(k):
            for u in U:
                d = np.linalg.norm(W[i] - (W[i] @ u) / (u @ u) * u) if np.any(u != W[i]) else np.inf
                limit = min(limit, d / 64)
    return Fraction(1, 2 ** max(8, math.ceil(-math.log2(limit))))


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
                             rho: int | None = None) -> TeacherBox:
    """Refine ``point`` (floats or rationals, flat W) and emit a kernel-verified ``spurious-isolated-min``
    certificate; ``certificate`` is None with the reason in ``note`` when any step fails (that does NOT mean
    there is no spurious minimum near the point). ``timeout`` bounds the kernel's check; ``rho`` overrides the
    radius 2^−ρ of :func:`box_radius`."""
    with one_thread():
        return _certificate(problem, point, timeout, rho)


def _certificate(problem, point, timeout, rho) -> TeacherBox:
    import proofs

    t0 = time.perf_counter()
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
    c, H = refine(problem, w)
    if c is None:
        return TeacherBox(None, None, None, f"refinement failed: {H}")
    H = hessian_float(problem, [float(x) for x in c])
    lam = float(_torch().linalg.eigvalsh(_torch().as_tensor(H))[0])
    F = loss_float(problem, [float(x) for x in c])
    if lam <= 0:
        return TeacherBox(c, None, None, f"the refined critical point is not a minimum (λ_min(H) ≈ {lam:.3g})", F, lam)
    if F < SPURIOUS_LOSS:
        return TeacherBox(c, None, None, f"F ≈ {F:.3g} at the refined point: not a spurious minimum candidate", F, lam)
    try:
        Y, yb = _preconditioner(H)
        M, mb = _congruence(H)
    except ValueError as e:
        return TeacherBox(c, None, None, str(e), F, lam)
    r = box_radius(problem, H, c) if rho is None else Fraction(1, 2 ** rho)
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


# --------------------------------------------------------------------------- routes: classify (ball) and check
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


def teacher_check(problem: Problem, claim: str, timeout: float = 60.0, starts: int = 1000, seed: int = 0,
                  chosen_by: str = "auto"):
    """``spurious check`` on a relu-teacher problem for a claim that a spurious local minimum refutes: a seeded
    batched descent (:func:`descend`, half the budget) finds candidate minima, each is refined and certified
    (:func:`spurious_min_certificate`); the first the kernel verifies refutes the claim (trust kernel). Otherwise
    ``unknown`` with the reason — never ``proved``: a descent that finds no spurious minimum is not a proof."""
    from verify.infra.limits import wall_clock_limit
    from verify.run.result import ClaimResult
    from verify.verdict import PointClass, Status, Trust

    backend = f"ball (relu-teacher: descent, then a kernel-checked box; chosen by {chosen_by})"
    t0 = time.perf_counter()
    extra = {"starts": starts, "seed": seed}
    if problem.n_params > checker_limit():
        return ClaimResult(claim, Status.UNKNOWN, Trust.NONE, f"{problem.n_params} parameters exceed the checker's "
                           f"limit of {checker_limit()}: no box certificate can be checked; nothing was decided",
                           backend=backend, extra=extra)
    try:
        with wall_clock_limit(timeout + 5.0):
            d = descend(problem, starts=starts, seed=seed, time_limit=timeout / 2, want=3)
            extra.update(spurious_runs=d.spurious_runs, minima=len(d.minima), descent_seconds=round(d.seconds, 2))
            notes = []
            for x in d.minima:
                left = timeout - (time.perf_counter() - t0)
                if left <= 1:
                    notes.append("the time limit was reached before every candidate was certified")
                    break
                b = spurious_min_certificate(problem, x, timeout=left)
                if b.certificate is not None:
                    return ClaimResult(claim, Status.REFUTED, Trust.KERNEL,
                                       f"a spurious local minimum with F ≈ {b.loss:.10g} (λ_min(H) ≈ {b.lam_min:.3g}) "
                                       f"in the box centre ± {b.radius}: {b.note}", backend=backend,
                                       certificate=b.certificate, extra=extra,
                                       witness={"point": vec(b.centre),
                                                "class": PointClass.SPURIOUS_LOCAL_MIN.value})
                notes.append(b.note)
    except WallClockTimeout as e:
        return ClaimResult(claim, Status.UNKNOWN, Trust.NONE, f"timeout: {e}; nothing was decided", backend=backend,
                           extra=extra)
    stop = "; the descent stopped at its time limit" if d.stopped_at_limit else ""
    if not d.minima:
        why = (f"no spurious local minimum among {starts} descent runs (seed {seed}){stop}; numeric search is not "
               "a proof that none exists (the relu-teacher loss is not a polynomial: no exact route)")
    else:
        why = f"{len(d.minima)} candidate minima, none certified (first: {notes[0] if notes else 'not tried'})"
    return ClaimResult(claim, Status.UNKNOWN, Trust.NONE, why, backend=backend, extra=extra)
