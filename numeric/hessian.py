"""Gradients, Hessians and Hessian spectra with torch.func; Lanczos on Hessian-vector products.

* :func:`gradients`, :func:`hessians` — dense and batched: ``vmap(grad(L))`` and ``vmap(hessian(L))`` for a
  (B, N) batch; the Hessian is (B, N, N), so this is for small N (a few hundred parameters).
* :func:`hvp` — H(θ)v as a vjp of the gradient (reverse-over-reverse; on the CPU it is faster than
  forward-over-reverse), for one point of any size.
* :func:`lanczos` — the extreme eigenvalues λ_min, λ_max of a symmetric operator from k matrix-vector
  products (full reorthogonalisation), each Ritz value θ with its residual r = ‖H y − θ y‖: for a symmetric
  H some eigenvalue lies in [θ − r, θ + r] (Parlett, *The Symmetric Eigenvalue Problem*, Thm 4.5.1).
  :func:`power_extremes` is the baseline (power iteration, then power iteration on H − λ_dom I).

A numeric classification never proves anything (status ``evidence``); see :mod:`numeric.classify`.

>>> import torch
>>> A = torch.diag(torch.arange(1.0, 101.0, dtype=torch.float64))
>>> r = lanczos(lambda v: A @ v, 100, steps=100, seed=0)
>>> round(r.lam_min, 6), round(r.lam_max, 6)
(1.0, 100.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
from torch.func import grad, hessian, vjp, vmap

from verify.errors import InputError

from .losses import BatchedLoss

DENSE_MAX_PARAMS = 2048
"""Largest N for which dense Hessians are formed (one N × N float64 matrix is 32 MB at N = 2048)."""


def gradients(loss: BatchedLoss, theta: torch.Tensor) -> torch.Tensor:
    """(B, N) → (B, N): ∇L(θ_b) for every row, by ``vmap(grad(L))``."""
    return vmap(grad(loss.single))(theta)


def hessians(loss: BatchedLoss, theta: torch.Tensor, chunk: int | None = None) -> torch.Tensor:
    """(B, N) → (B, N, N): ∇²L(θ_b) for every row, by ``vmap(hessian(L))`` (forward-over-reverse).

    ``chunk`` bounds the rows processed at once (memory B·N² per chunk).
    """
    if loss.n_params > DENSE_MAX_PARAMS:
        raise InputError("problem", f"{loss.n_params} parameters: dense Hessians are limited to "
                         f"{DENSE_MAX_PARAMS}; use lanczos() on hvp() for the extreme eigenvalues")
    f = vmap(hessian(loss.single), chunk_size=chunk)
    return f(theta)


def hvp(f: Callable[[torch.Tensor], torch.Tensor], theta: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
    """v ↦ ∇²f(θ) v for a scalar function f of a flat vector, as the vjp of ∇f (reverse-over-reverse).

    The forward and first backward pass are done once; every call costs one more backward pass.
    """
    _, pullback = vjp(grad(f), theta)
    return lambda v: pullback(v)[0]


@dataclass
class Spectrum:
    """Extreme eigenvalue estimates of a symmetric operator and what they rest on."""

    lam_min: float
    lam_max: float
    res_min: float           # ‖H y − θ y‖ for the Ritz pair of lam_min (unit y)
    res_max: float
    matvecs: int             # operator applications used (including the residual checks)
    method: str
    vec_min: torch.Tensor | None = None
    vec_max: torch.Tensor | None = None

    def to_json(self) -> dict:
        return {"lambda_min": self.lam_min, "lambda_max": self.lam_max, "residual_min": self.res_min,
                "residual_max": self.res_max, "matvecs": self.matvecs, "method": self.method}


def _start_vector(n: int, like: torch.Tensor | None, seed: int, device, dtype) -> torch.Tensor:
    g = torch.Generator(device="cpu").manual_seed(seed)
    v = torch.randn(n, generator=g, dtype=dtype).to(device)
    return v / torch.linalg.vector_norm(v)


def lanczos(matvec: Callable[[torch.Tensor], torch.Tensor], n: int, steps: int = 60, tol: float = 0.0,
            seed: int = 0, device="cpu", dtype=torch.float64, check_every: int = 5) -> Spectrum:
    """Lanczos with full reorthogonalisation: extreme Ritz values of a symmetric operator.

    Runs at most ``steps`` iterations; stops early when the Ritz residual estimates β_j |s_j| of both extreme
    pairs are ≤ ``tol``·max|θ| (checked every ``check_every`` steps). The returned residuals are recomputed
    explicitly, ‖H y − θ y‖ (two more matvecs).
    """
    steps = max(1, min(steps, n))
    Q = torch.empty(steps + 1, n, device=device, dtype=dtype)
    alpha = torch.zeros(steps, dtype=torch.float64)
    beta = torch.zeros(steps, dtype=torch.float64)
    Q[0] = _start_vector(n, None, seed, device, dtype)
    m = 0
    used = 0
    for j in range(steps):
        w = matvec(Q[j])
        used += 1
        a = torch.dot(w, Q[j])
        w = w - a * Q[j] - (beta[j - 1] * Q[j - 1] if j > 0 else 0)
        for _ in range(2):  # full reorthogonalisation, twice is enough (Kahan–Parlett)
            w = w - Q[: j + 1].T @ (Q[: j + 1] @ w)
        b = torch.linalg.vector_norm(w)
        alpha[j] = float(a)
        beta[j] = float(b)
        m = j + 1
        if float(b) <= 1e-14 * max(1.0, float(alpha[: j + 1].abs().max())):
            break  # invariant subspace: the Ritz values are exact eigenvalues
        Q[j + 1] = w / b
        if tol > 0 and m % check_every == 0:
            th, S = _tridiag_eig(alpha[:m], beta[: m - 1])
            scale = max(1e-300, float(th.abs().max()))
            if float(beta[m - 1]) * max(abs(float(S[-1, 0])), abs(float(S[-1, -1]))) <= tol * scale:
                break
    th, S = _tridiag_eig(alpha[:m], beta[: m - 1])
    S = S.to(device=device, dtype=dtype)
    y_min = Q[:m].T @ S[:, 0]
    y_max = Q[:m].T @ S[:, -1]
    y_min, y_max = y_min / torch.linalg.vector_norm(y_min), y_max / torch.linalg.vector_norm(y_max)
    r_min = float(torch.linalg.vector_norm(matvec(y_min) - th[0] * y_min))
    r_max = float(torch.linalg.vector_norm(matvec(y_max) - th[-1] * y_max))
    return Spectrum(float(th[0]), float(th[-1]), r_min, r_max, used + 2, f"lanczos({m} steps)", y_min, y_max)


def _tridiag_eig(alpha: torch.Tensor, beta: torch.Tensor):
    T = torch.diag(alpha) + torch.diag(beta, 1) + torch.diag(beta, -1)
    return torch.linalg.eigh(T)


def power_extremes(matvec: Callable[[torch.Tensor], torch.Tensor], n: int, tol: float = 1e-6,
                   max_iter: int = 1000, seed: int = 0, device="cpu", dtype=torch.float64) -> Spectrum:
    """Baseline: power iteration for the dominant eigenvalue λ_d, then on H − λ_d I for the other extreme.

    Each phase stops when the residual ‖H y − μ y‖ ≤ ``tol``·|λ_d| (μ the Rayleigh quotient), or after
    ``max_iter`` matvecs; a phase that hit ``max_iter`` is named in ``method``.
    """
    used = 0
    notes = []

    def run(op, shift):
        nonlocal used
        v = _start_vector(n, None, seed + 1, device, dtype)
        mu, res, it = 0.0, float("inf"), 0
        for it in range(1, max_iter + 1):
            w = op(v)
            used += 1
            mu = float(torch.dot(v, w))
            res = float(torch.linalg.vector_norm(w - mu * v))  # residual of H − shift·I equals that of H
            if res <= tol * max(abs(mu + shift), abs(shift), 1e-300) and it > 1:
                break
            v = w / torch.linalg.vector_norm(w)
        if it == max_iter:
            notes.append(f"no convergence in {max_iter}")
        return mu + shift, res, v

    lam_d, res_d, v_d = run(matvec, 0.0)
    lam_o, res_o, v_o = run(lambda v: matvec(v) - lam_d * v, lam_d)
    lo, hi = sorted([(lam_d, res_d, v_d), (lam_o, res_o, v_o)], key=lambda t: t[0])
    method = "power" + (f" ({'; '.join(notes)})" if notes else "")
    return Spectrum(lo[0], hi[0], lo[1], hi[1], used, method, lo[2], hi[2])


def point_spectrum(loss: BatchedLoss, theta: torch.Tensor, steps: int = 80, tol: float = 1e-10,
                   seed: int = 0) -> Spectrum:
    """Extreme Hessian eigenvalues at one point θ (N,) by Lanczos on HVPs (any N)."""
    theta = theta.detach()
    return lanczos(hvp(loss.single, theta), loss.n_params, steps=steps, tol=tol, seed=seed,
                   device=theta.device, dtype=theta.dtype)
