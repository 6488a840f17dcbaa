"""Safran & Shamir's experiment (ICML 2018), batched over starts: how often gradient descent on the ReLU
teacher–student loss ends at a spurious local minimum.

F(W) = ½ E_{x~N(0,I_n)}[(Σ_i relu(w_i·x) − Σ_j relu(v_j·x))²] (:class:`verify.problems.ReluTeacher`), W ∈ R^{k×n},
the teacher V the first k basis vectors. Their protocol, per (k, n): 1,000 runs from entries N(0, 1/n), gradient
descent with step 0.1 until every neuron's gradient norm is < 1e-9, spurious when the final F ≥ 1e-3, runs grouped
into families up to permutation of the hidden units.

With m = (w_1, …, w_k, v_1, …, v_t), s_b = +1 for a student and −1 for a teacher row, θ_ib the angle between w_i
and m_b and g(w, m) = (‖m‖ sin θ ŵ + (π − θ) m)/(2π) the gradient in w of the arc-cosine kernel,

    ∇_{w_i} F = Σ_b s_b g(w_i, m_b)                                   (the b = i term is w_i/2),

in closed form (:func:`gradient`; autograd of :class:`numeric.losses.ReluTeacherLowering` gives the same, two
matrix products cheaper). Its Hessian (:func:`hessian`) has the blocks, with q_ib = m̂_b − cos θ_ib ŵ_i
(‖q_ib‖ = sin θ_ib),

    ∂²F/∂w_i² = I/2 + Σ_{b≠i} s_b ‖m_b‖/(2π‖w_i‖) (sin θ_ib (I − ŵ_i ŵ_iᵀ) + q_ib q_ibᵀ/sin θ_ib),
    ∂²F/∂w_i∂w_a = ((π − θ_ia) I + sin θ_ia ŵ_i ŵ_aᵀ + q_ia q_aiᵀ/sin θ_ia)/(2π)    (a ≠ i),

bounded and continuous at θ = 0 (F is C² there, its third derivatives are not), so Newton converges
quadratically at W = V too.

Optimisers (:class:`Protocol`): ``gd`` is the paper's: plain gradient descent, step 0.1, to the stopping rule.
``gd+newton`` (the default) runs the same gradient descent until every neuron's gradient norm is below
``switch``, then tries a safeguarded Newton finish from that GD point x₀: the Hessian H(x₀) must be positive definite
(Cholesky), each step x ← x − H⁻¹∇F(x) (H refactored at the current point when the gradient falls by less than
10×) must lower ‖∇F‖, and the end point must stay within 2‖H(x₀)⁻¹∇F(x₀)‖ of x₀ — inside the strongly convex
region that GD from x₀ would not leave. A start whose attempt fails resumes gradient descent at x₀ (and tries again
later). Both end with the paper's rule, every neuron's ‖∇_{w_i} F‖ < 1e-9. :func:`agreement` counts the starts
(the same initial points) at which both reach the same point up to permutation.

:func:`find_spurious_minima` is the search behind ``spurious check`` on a relu-teacher instance: the same gradient
descent (seeded starts N(0, 1/n), step 0.1), runs below F = 10⁻³ dropped as they fall there, the others polished by
Newton into strict local minima (one per permutation orbit) for :mod:`verify.certify.relu_teacher` to certify.

Results are numeric evidence: a run counted spurious stopped at a point with a tiny gradient and F ≥ 1e-3; that
is not a certificate that the point is a local minimum (Safran & Shamir proved theirs by a computer-assisted bound).

>>> run = reproduce(6, 6, starts=8, seed=0)                         # doctest: +SKIP
>>> run.spurious, run.converged                                      # doctest: +SKIP
(0, 8)
"""

from __future__ import annotations

import hashlib
import math
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable

import torch

from verify.errors import InputError
from verify.problems import Problem, ReluTeacher
from verify.problems.relu_teacher import SPURIOUS_LOSS

TWO_PI = 2 * math.pi
PAPER_FRACTIONS = {
    "k": {6: .003, 7: .055, 8: .126, 9: .218, 10: .346, 11: .455, 12: .585, 13: .730, 14: .736, 15: .803,
          16: .851, 17: .897, 18: .900, 19: .934, 20: .949},
    "k+1": {8: .001, 10: .001, 11: .001, 12: .003, 13: .015, 14: .055, 15: .102, 16: .180, 17: .233, 18: .369,
            19: .491},
}
"""Safran & Shamir's fractions of runs ending at spurious minima (their released results), n = k and n = k + 1."""

OPTIMISERS = ("gd+newton", "gd")


@dataclass(frozen=True)
class Protocol:
    """The stopping rule and the optimiser: ``optimiser`` is ``gd`` (the paper's) or ``gd+newton`` (GD until
    every neuron's gradient norm < ``switch``, then a safeguarded Newton finish)."""

    step: float = 0.1
    tol: float = 1e-9              # stop when every neuron's gradient norm is below
    spurious: float = SPURIOUS_LOSS  # final F at least this: spurious
    optimiser: str = "gd+newton"
    switch: float = 1e-2           # gd+newton: try Newton once every neuron's gradient norm is below
    max_steps: int = 200_000       # GD steps per start; a start still running then is reported unconverged
    newton_iters: int = 12
    retry: int = 200               # GD steps before a failed Newton attempt is tried again
    check_every: int = 20          # GD steps between Newton attempts / batch compaction

    def check(self) -> "Protocol":
        if self.optimiser not in OPTIMISERS:
            raise InputError("optimiser", f"{self.optimiser!r} must be one of {', '.join(OPTIMISERS)}")
        for name in ("step", "tol", "spurious", "switch"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise InputError(name, f"{v!r} must be a positive number")
        for name in ("max_steps", "newton_iters", "retry", "check_every"):
            v = getattr(self, name)
            if not (isinstance(v, int) and v >= 1):
                raise InputError(name, f"{v!r} must be a positive integer")
        return self


def gradient(W: torch.Tensor, V: torch.Tensor) -> torch.Tensor:
    """∇F at each start: W (B, k, n), the teacher V (t, n) → (B, k, n) (the module docstring's formula)."""
    k, n = W.shape[1], W.shape[2]
    t = V.shape[0]
    nw = torch.linalg.vector_norm(W, dim=-1, keepdim=True).clamp_min(torch.finfo(W.dtype).tiny)
    U = W / nw
    basis = t <= n and bool(torch.equal(V, torch.eye(t, n, dtype=V.dtype, device=V.device)))
    nv = torch.ones(t, dtype=W.dtype, device=W.device) if basis else torch.linalg.vector_norm(V, dim=-1)
    cross = U[:, :, :t] if basis else U @ (V / nv[:, None]).T                  # V = the first t basis vectors
    c = torch.cat([U @ U.transpose(1, 2), cross], 2).clamp_(-1.0, 1.0)          # cos θ_ib
    th = torch.arccos(c)
    sn = torch.sqrt((1 - c) * (1 + c))           # sin θ from the same cos θ: errors cancel in g near θ = 0
    torch.diagonal(th[:, :, :k], dim1=1, dim2=2).zero_()
    torch.diagonal(sn[:, :, :k], dim1=1, dim2=2).zero_()
    a = (sn[:, :, :k] * nw.transpose(1, 2)).sum(-1, keepdim=True) - (sn[:, :, k:] * nv).sum(-1, keepdim=True)
    pi_term = math.pi * (W.sum(1, keepdim=True) - V.sum(0))                  # Σ_b s_b π m_b, the same for every i
    G = a * U + pi_term - th[:, :, :k] @ W
    if basis:
        G[:, :, :t] += th[:, :, k:]
    else:
        G = G + th[:, :, k:] @ V
    return G / TWO_PI


def hessian(W: torch.Tensor, V: torch.Tensor) -> torch.Tensor:
    """∇²F at each start: W (B, k, n) → (B, k·n, k·n), rows of W flattened row-major (the module docstring)."""
    B, k, n = W.shape
    nw = torch.linalg.vector_norm(W, dim=-1).clamp_min(torch.finfo(W.dtype).tiny)
    U = W / nw[..., None]
    nv = torch.linalg.vector_norm(V, dim=-1)
    M = torch.cat([U, (V / nv[:, None]).expand(B, -1, -1)], 1)                 # unit rows m̂_b
    c = (U @ M.transpose(1, 2)).clamp(-1, 1)
    q = M[:, None, :, :] - c[..., None] * U[:, :, None, :]                    # q_ib, (B, k, k+t, n)
    sn = torch.linalg.vector_norm(q, dim=-1)                                  # sin θ, accurate near θ = 0
    th = torch.atan2(sn, c)
    torch.diagonal(sn[:, :, :k], dim1=1, dim2=2).zero_()
    torch.diagonal(th[:, :, :k], dim1=1, dim2=2).zero_()
    inv = torch.where(sn > 0, 1 / sn.clamp_min(torch.finfo(W.dtype).tiny), torch.zeros_like(sn))
    signed = torch.cat([nw, (-nv).expand(B, -1)], 1)
    eye = torch.eye(n, dtype=W.dtype, device=W.device)
    a = (signed[:, None, :] * sn).sum(-1) / (TWO_PI * nw)
    coef = (signed[:, None, :] * inv / (TWO_PI * nw[..., None]))[..., None] * q
    diag = 0.5 * eye + a[..., None, None] * (eye - U[..., :, None] * U[..., None, :]) \
        + coef.transpose(2, 3) @ q                                            # (B, k, n, n)
    qs = q[:, :, :k]
    H = ((math.pi - th[:, :, :k]) / TWO_PI)[:, :, None, :, None] * eye[None, None, :, None, :]
    H = H + (sn[:, :, :k] / TWO_PI)[:, :, None, :, None] * U[:, :, :, None, None] * U[:, None, None, :, :]
    H = H + ((inv[:, :, :k] / TWO_PI)[..., None] * qs).transpose(2, 3)[..., None] * qs.transpose(1, 2)[:, :, None]
    torch.diagonal(H, dim1=1, dim2=3).copy_(diag.permute(0, 2, 3, 1))
    return H.reshape(B, k * n, k * n)


def neuron_norms(G: torch.Tensor) -> torch.Tensor:
    """(B,) the largest neuron gradient norm max_i ‖∇_{w_i} F‖ (the paper's stopping rule compares it with 1e-9)."""
    return torch.linalg.vector_norm(G, dim=-1).amax(-1)


def _newton_finish(W0: torch.Tensor, G0: torch.Tensor, V: torch.Tensor, p: Protocol):
    """Safeguarded Newton from the GD points W0 (m, k, n) with gradients G0: (end points, success mask)."""
    m, k, n = W0.shape
    L, info = torch.linalg.cholesky_ex(hessian(W0, V))
    ok = info == 0
    x0 = W0.reshape(m, -1)
    g = G0.reshape(m, -1)
    d = torch.cholesky_solve(g[..., None], L)[..., 0]
    radius = 2 * torch.linalg.vector_norm(d, dim=-1) + 1e-12
    x = x0 - d
    gnorm = torch.linalg.vector_norm(g, dim=-1)
    done = torch.zeros(m, dtype=torch.bool, device=W0.device)
    for _ in range(p.newton_iters):
        G = gradient(x.reshape(m, k, n), V)
        gn_new = torch.linalg.vector_norm(G.reshape(m, -1), dim=-1)
        moved = ~done                                  # rows still stepping: each step must lower ‖∇F‖, stay near x₀
        ok &= ~moved | ((gn_new < gnorm) & (torch.linalg.vector_norm(x - x0, dim=-1) <= radius))
        done |= ok & (neuron_norms(G) < p.tol)
        live = ok & ~done
        if not bool(live.any()):
            break
        slow = live & (gn_new > 0.1 * gnorm)          # chord step not good enough: refactor here
        if bool(slow.any()):
            L2, info2 = torch.linalg.cholesky_ex(hessian(x[slow].reshape(-1, k, n), V))
            L = L.clone()
            L[slow] = L2
            bad = torch.zeros_like(ok)
            bad[slow] = info2 != 0
            ok &= ~bad
        gnorm = torch.where(live, gn_new, gnorm)
        step = torch.cholesky_solve(G.reshape(m, -1)[..., None], L)[..., 0]
        x = torch.where(live[:, None], x - step, x)
    ok &= done
    return x.reshape(m, k, n), ok


def _chunks(idx: torch.Tensor, per: int):
    for s in range(0, idx.numel(), per):
        yield idx[s:s + per]


def descend(W0: torch.Tensor, V: torch.Tensor, protocol: Protocol = Protocol(),
            on_progress: Callable[[int, int], None] | None = None):
    """Run the protocol on every start of W0 (B, k, n) at once; converged starts leave the batch as they finish.

    Returns (end points (B, k, n), GD steps (B,), finished by Newton (B,), converged (B,)). ``on_progress(done,
    total)`` is called every few hundred steps."""
    p = protocol.check()
    B, k, n = W0.shape
    final = W0.clone()
    steps = torch.zeros(B, dtype=torch.long)
    by_newton = torch.zeros(B, dtype=torch.bool)
    converged = torch.zeros(B, dtype=torch.bool)
    active = torch.arange(B, device=W0.device)
    W = W0.clone()
    retry_at = torch.zeros(B, dtype=torch.long, device=W0.device)
    per = max(1, int(4e6 // (k * n) ** 2))           # Hessians per chunk (memory)
    it = 0
    while active.numel() and it < p.max_steps:
        G = gradient(W, V)
        gmax = neuron_norms(G)
        finished = gmax < p.tol
        if p.optimiser == "gd+newton" and it % p.check_every == 0:
            cand = (gmax < p.switch) & ~finished & (retry_at <= it)
            for sub in _chunks(torch.nonzero(cand).flatten(), per):
                X, ok = _newton_finish(W[sub], G[sub], V, p)
                W[sub[ok]] = X[ok]
                finished[sub[ok]] = True
                by_newton[active[sub[ok]]] = True
                retry_at[sub[~ok]] = it + p.retry
        if bool(finished.any()):
            rows = active[finished]
            final[rows], steps[rows], converged[rows] = W[finished], it, True
            keep = ~finished
            W, G, active, retry_at = W[keep], G[keep], active[keep], retry_at[keep]
        W = W - p.step * G
        it += 1
        if on_progress is not None and it % 250 == 0:
            on_progress(B - active.numel(), B)
    final[active], steps[active] = W, it
    return final, steps, by_newton, converged


def start_seed(seed: int, k: int, n: int) -> int:
    """The generator seed of the (k, n) runs: a hash of (seed, k, n), so that each (k, n) is reproducible alone."""
    return int.from_bytes(hashlib.sha256(f"safran-shamir:{seed}:{k}:{n}".encode()).digest()[:8], "little") >> 1


def initial_points(k: int, n: int, starts: int, seed: int = 0, device=None) -> torch.Tensor:
    """(starts, k, n) float64, entries N(0, 1/n) (Safran & Shamir's initialisation), from a seeded torch.Generator
    on the CPU (the same points on every device)."""
    gen = torch.Generator(device="cpu").manual_seed(start_seed(seed, k, n))
    W = torch.randn(starts, k, n, generator=gen, dtype=torch.float64) / math.sqrt(n)
    return W if device is None else W.to(device)


def wilson(successes: int, trials: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (95% by default).

    >>> [round(x, 4) for x in wilson(5, 10)]
    [0.2366, 0.7634]
    """
    if trials <= 0:
        raise InputError("trials", f"{trials!r} must be a positive integer")
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))   # rounding: p stays inside


def same_up_to_permutation(A: torch.Tensor, B: torch.Tensor, tol: float = 1e-4) -> bool:
    """A and B (k, n) are the same point up to a permutation of rows: every row of A has its nearest row of B
    within ``tol`` and these nearest rows are all different (exact when ``tol`` is below half the smallest
    distance between rows)."""
    d = torch.cdist(A[None], B[None])[0]
    best = d.min(-1)
    return bool(best.values.max() <= tol) and best.indices.unique().numel() == A.shape[0]


@dataclass
class Family:
    """End points equal up to permutation of the hidden units: their loss, how many runs, one representative."""

    loss: float
    count: int
    point: torch.Tensor
    members: list[int] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"loss": self.loss, "count": self.count}


def families(points: torch.Tensor, losses: torch.Tensor, tol: float = 1e-4) -> list[Family]:
    """Group end points (B, k, n) up to permutation of rows (:func:`same_up_to_permutation`), lowest loss first.
    Two points whose losses differ by more than 1e-8 (relative) are never the same."""
    out: list[Family] = []
    for i in torch.argsort(losses).tolist():
        f_i = float(losses[i])
        for fam in out:
            if abs(fam.loss - f_i) <= 1e-8 * max(1.0, abs(f_i)) and same_up_to_permutation(points[i], fam.point, tol):
                fam.count += 1
                fam.members.append(i)
                break
        else:
            out.append(Family(loss=f_i, count=1, point=points[i], members=[i]))
    return out


@dataclass
class TeacherRun:
    """The runs of one (k, n): end points, losses, GD steps, which finished by Newton, which converged."""

    k: int
    n: int
    protocol: Protocol
    seed: int
    points: torch.Tensor
    losses: torch.Tensor
    steps: torch.Tensor
    by_newton: torch.Tensor
    converged: torch.Tensor
    seconds: float

    @property
    def starts(self) -> int:
        return self.points.shape[0]

    @property
    def spurious_mask(self) -> torch.Tensor:
        """Converged runs whose final loss is ≥ the protocol's threshold (1e-3)."""
        return self.converged & (self.losses >= self.protocol.spurious)

    @property
    def spurious(self) -> int:
        return int(self.spurious_mask.sum())

    @property
    def fraction(self) -> float:
        return self.spurious / self.starts

    def interval(self) -> tuple[float, float]:
        return wilson(self.spurious, self.starts)

    def spurious_families(self) -> list[Family]:
        idx = torch.nonzero(self.spurious_mask).flatten()
        fams = families(self.points[idx], self.losses[idx])
        for f in fams:
            f.members = [int(idx[m]) for m in f.members]
        return fams

    def paper(self) -> float | None:
        table = PAPER_FRACTIONS["k" if self.n == self.k else "k+1" if self.n == self.k + 1 else ""] \
            if self.n in (self.k, self.k + 1) else {}
        return table.get(self.k)

    def to_json(self, top: int = 5) -> dict:
        fams = self.spurious_families()
        lo, hi = self.interval()
        return {"k": self.k, "n": self.n, "starts": self.starts, "spurious": self.spurious, "fraction": self.fraction,
                "ci95": [lo, hi], "paper": self.paper(), "converged": int(self.converged.sum()),
                "newton_finished": int(self.by_newton.sum()), "median_steps": int(self.steps.median()),
                "max_steps": int(self.steps.max()), "families": len(fams),
                "family_losses": [f.to_json() for f in fams[:top]], "seconds": self.seconds}


def reproduce(k: int, n: int, starts: int = 1000, seed: int = 0, protocol: Protocol = Protocol(),
              on_progress: Callable[[int, int], None] | None = None, device=None) -> TeacherRun:
    """Safran & Shamir's protocol for one (k, n) with the teacher V = the first k basis vectors (k ≤ n)."""
    problem = ReluTeacher.from_dict({"kind": "relu-teacher", "k": k, "n": n})
    if not (isinstance(starts, int) and starts >= 1):
        raise InputError("starts", f"{starts!r} must be a positive integer")
    from .losses import default_device, make_loss

    device = torch.device(device) if device is not None else default_device()
    loss = make_loss(problem, device=device)
    V = loss.lowering.V
    W0 = initial_points(k, n, starts, seed, device)
    t0 = time.perf_counter()
    points, steps, by_newton, converged = descend(W0, V, protocol, on_progress)
    seconds = time.perf_counter() - t0
    losses = loss(points.reshape(starts, -1)).detach().cpu()
    return TeacherRun(k=k, n=n, protocol=protocol, seed=seed, points=points.cpu(), losses=losses, steps=steps,
                      by_newton=by_newton, converged=converged, seconds=seconds)


def agreement(a: TeacherRun, b: TeacherRun, tol: float = 1e-4) -> int:
    """How many starts (the same initial points) end at the same point up to permutation in both runs."""
    if a.points.shape != b.points.shape:
        raise InputError("runs", "the two runs must have the same starts, k and n")
    return sum(same_up_to_permutation(x, y, tol) for x, y in zip(a.points, b.points))


@contextmanager
def one_thread():
    """torch on one thread inside the block, and subnormals flushed to zero (for the rest of the process): these
    matrices are small, and on a busy machine two threads were measured 10–20× slower (k = n = 20 Hessian: 1.3 s
    against 0.07 s); the runs that reach W = V produce subnormal angles, 10× slower without the flush."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    torch.set_flush_denormal(True)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


@dataclass
class Minima:
    """What :func:`find_spurious_minima` found: Newton-polished strict local minima with F ≥ 10⁻³ (one per
    permutation orbit, flat W as floats, lowest F first), their float losses, and the run counts."""

    minima: list = field(default_factory=list)
    losses: list = field(default_factory=list)
    starts: int = 0
    spurious_runs: int = 0
    steps: list = field(default_factory=list)
    stopped_at_limit: bool = False
    seconds: float = 0.0


def find_spurious_minima(problem: Problem, starts: int = 1000, seed: int = 0, max_steps: int = 20_000,
                         step: float = 0.1, time_limit: float | None = None, chunk: int = 200,
                         want: int | None = None) -> Minima:
    """Batched GD (:func:`gradient`) from ``starts`` seeded starts W₀ ~ N(0, 1/n) (one torch thread). Every ``chunk``
    steps the runs with F < 10⁻³ are dropped (GD does not increase F, so they cannot end at a minimum with
    F ≥ 10⁻³), and those with max |∇F| below their threshold (10⁻³, then ten times smaller after each failed try)
    are handed to Newton (:func:`hessian`); a Newton limit with F ≥ 10⁻³ and a positive definite float Hessian is
    kept (once per permutation orbit). Stops after ``max_steps``, at ``time_limit`` seconds, or when ``want``
    minima were found. An empty result is not a proof that F has no spurious minimum."""
    if not problem.arccos_teacher:
        raise InputError("problem", f"expected the relu-teacher (arc-cosine kernel) loss, got {problem.describe()}")
    t0 = time.perf_counter()
    with one_thread():
        out = _find(problem, starts, seed, max_steps, step, time_limit, chunk, want, t0)
    out.seconds = time.perf_counter() - t0
    order = sorted(range(len(out.losses)), key=out.losses.__getitem__)
    out.minima = [out.minima[i] for i in order]
    out.losses = [out.losses[i] for i in order]
    return out


def flat_hessian(problem: Problem, w):
    """∇²F at one flat W (k·n numbers, rows of W row-major) as a float64 numpy matrix, by :func:`hessian` on one
    torch thread — what :func:`verify.certify.relu_teacher.spurious_min_certificate` takes as its ``hessian``
    (its default evaluates the same closed form in arb balls, ~8× slower at k = n = 20)."""
    V = torch.tensor([[float(x) for x in row] for row in problem.teacher], dtype=torch.float64)
    W = torch.tensor([float(x) for x in w], dtype=torch.float64).reshape(1, problem.k, problem.n)
    with one_thread():
        return hessian(W, V)[0].numpy()


def _polish(x: torch.Tensor, V: torch.Tensor, steps: int = 10, tol: float = 1e-12) -> torch.Tensor | None:
    """Newton's iteration from one point x (k, n) until max |∇F| < ``tol``; None when it leaves the basin."""
    for _ in range(steps):
        g = gradient(x[None], V)[0].reshape(-1)
        if not bool(torch.isfinite(g).all()):
            return None
        if float(g.abs().max()) < tol:
            return x
        try:
            d = torch.linalg.solve(hessian(x[None], V)[0], g)
        except RuntimeError:
            return None
        if not float(d.abs().max()) < 0.5:   # Newton is leaving the basin (or NaN)
            return None
        x = x - d.reshape(x.shape)
    return None


def _find(problem, starts, seed, max_steps, step, time_limit, chunk, want, t0) -> Minima:
    from .losses import make_loss

    k, n = problem.k, problem.n
    loss = make_loss(problem, device="cpu")
    V = loss.lowering.V
    gen = torch.Generator().manual_seed(seed)
    W = torch.randn(starts, k, n, generator=gen, dtype=torch.float64) / math.sqrt(n)
    thr = torch.full((starts,), 1e-3, dtype=torch.float64)
    out, seen, done = Minima(starts=starts), [], 0
    while W.shape[0] and done < max_steps:
        for _ in range(chunk):
            W = W - step * gradient(W, V)
        done += chunk
        F, g = loss(W.reshape(W.shape[0], -1)), gradient(W, V)
        gmax = g.abs().flatten(1).amax(1)
        found = torch.zeros_like(F, dtype=torch.bool)
        for b in ((F >= SPURIOUS_LOSS) & (gmax < thr)).nonzero().flatten().tolist():
            x = _polish(W[b], V)
            lam = float(torch.linalg.eigvalsh(hessian(x[None], V)[0])[0]) if x is not None else 0.0
            f = float(loss(x.reshape(1, -1))[0]) if x is not None else 0.0
            if not (f >= SPURIOUS_LOSS and lam > 0):
                thr[b] /= 10
                continue
            found[b] = True
            out.spurious_runs += 1
            out.steps.append(done)
            key = (round(f, 9), round(lam, 7))   # equal on a symmetry orbit: one orbit is certified once
            if key not in seen:
                seen.append(key)
                out.minima.append(x.reshape(-1).tolist())
                out.losses.append(f)
        keep = ~found & (F >= SPURIOUS_LOSS) & torch.isfinite(F)
        W, thr = W[keep], thr[keep]
        if want and len(out.minima) >= want:
            break
        if time_limit and time.perf_counter() - t0 > time_limit:
            out.stopped_at_limit = bool(W.shape[0])
            break
    return out
