"""Minimum certificates: local (H ≻ 0 by congruence), global (zero loss or the rank dual), spurious.

* local-min: M with M H Mᵀ = D > 0;
* global-min: ``zero-loss`` (L = 0 ≤ L when Λ ≥ 0), or ``rank-dual`` for an unregularised deep linear net:
  Ky Fan's variational form σ_r(A) = min{rμ + tr Z : Z ⪰ 0, Z ⪰ A − μI} with A = Y P_X Yᵀ. With Q
  the projector onto the column space of W X (W = W_H⋯W_1), Z = Q(A − μI)Q and any rational μ in
  [λ_{r+1}, λ_r] attain it; the checker verifies both PSD conditions by congruence;
* spurious-local-min: the local-min body plus a witness point of strictly lower loss.
"""

from __future__ import annotations

from fractions import Fraction

import flint

from verify.certify.common import mat, vec
from verify.exact.global_min import gram_A, top_sum_rank
from verify.exact.inertia import congruence_diagonalise
from verify.exact.loss import fq
from verify.problems import DeepLinear


def _fmat_rows(A: flint.fmpq_mat) -> list[list]:
    return [[A[i, j] for j in range(A.ncols())] for i in range(A.nrows())]


def _column_space_projector(C: flint.fmpq_mat) -> flint.fmpq_mat:
    """Q = Bᵀ(B Bᵀ)⁻¹B for B a basis of the column space of C (rows of rref(Cᵀ))."""
    R, rank = C.transpose().rref()
    d = C.nrows()
    if rank == 0:
        return flint.fmpq_mat(d, d)
    B = flint.fmpq_mat([[R[i, j] for j in range(d)] for i in range(rank)])
    return B.transpose() * (B * B.transpose()).inv() * B


def _psd_congruence(S: flint.fmpq_mat):
    M, D = congruence_diagonalise(_fmat_rows(S))
    return (M if all(d >= 0 for d in D) else None)


def rank_dual_body(problem: DeepLinear, point) -> dict | None:
    """Hints (μ, Z, congruences) for the ``rank-dual`` global-min route, or None if none was found."""
    import numpy as np

    mats = problem.unflatten(list(point))
    W = flint.fmpq_mat([[fq(x) for x in row] for row in mats["W1"]])
    for i in range(2, problem.depth + 1):
        W = flint.fmpq_mat([[fq(x) for x in row] for row in mats[f"W{i}"]]) * W
    WX = W * flint.fmpq_mat([[fq(x) for x in row] for row in problem.X])
    Q = _column_space_projector(WX)
    A = gram_A(problem)
    d, r = A.nrows(), top_sum_rank(problem)
    eye = flint.fmpq_mat([[int(i == j) for j in range(d)] for i in range(d)])
    lam = sorted(np.linalg.eigvalsh(np.array([[float(A[i, j]) for j in range(d)] for i in range(d)])), reverse=True)
    candidates = [flint.fmpq(0)]
    if r < d:
        mid = (lam[r - 1] + lam[r]) / 2
        candidates += [fq(Fraction(mid).limit_denominator(den)) for den in (1, 10, 1000, 10**6, 10**12)]
    for mu in candidates:
        Z = Q * (A - mu * eye) * Q
        G = Z + mu * eye - A
        MZ, MG = _psd_congruence(Z), _psd_congruence(G)
        if MZ is not None and MG is not None:
            return {"kind": "global-min", "route": "rank-dual", "mu": vec([mu])[0], "Z": mat(_fmat_rows(Z)),
                    "Z_congruence": mat(MZ), "gap_congruence": mat(MG)}
    return None




def local_min_body(problem, point, c) -> dict:
    return {"kind": "local-min", "congruence": mat(c.congruence[0])}


def global_min_body(problem, point, c) -> dict | None:
    if c.details.get("global_min", {}).get("route") == "zero-loss":
        return {"kind": "global-min", "route": "zero-loss"}
    if problem.closed_form_min:  # the reduced-rank value L*, by the rank dual
        return rank_dual_body(problem, point)
    return None


def spurious_body(problem, point, c, lower) -> dict:
    return {**local_min_body(problem, point, c), "kind": "spurious-local-min", "witness": vec(lower)}
