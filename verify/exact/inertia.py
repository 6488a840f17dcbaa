"""Exact inertia of a symmetric rational matrix by congruence (LDLᵀ with symmetric pivoting).

:func:`congruence_diagonalise` returns an invertible M and a diagonal D with **M H Mᵀ = D** exactly.
By Sylvester's law of inertia the signs of D are the inertia of H, and the rows of M are the
witnesses a certificate needs:

* a row m_k with D_k < 0 is a direction of negative curvature: m_kᵀ H m_k = D_k < 0;
* the rows with D_k = 0 span the null space of H (H m_k = 0).

When every remaining diagonal entry is zero but some A_ij ≠ 0, the basis vector e_i is replaced by
e_i + e_j, which makes the new diagonal entry 2A_ij ≠ 0 (a congruence, so the inertia is unchanged).

>>> from flint import fmpq
>>> M, D = congruence_diagonalise([[fmpq(0), fmpq(-1)], [fmpq(-1), fmpq(0)]])
>>> [str(d) for d in D], inertia(D)
(['-2', '1/2'], (1, 0, 1))
"""

from __future__ import annotations

import flint

from verify.errors import InternalError
from verify.exact.loss import fq


def congruence_diagonalise(H):
    """Return (M, D): rows of M (lists of fmpq) and the diagonal D, with M H Mᵀ = diag(D) exactly."""
    n = len(H)
    A = [[fq(x) for x in row] for row in H]
    M = [[flint.fmpq(int(i == j)) for j in range(n)] for i in range(n)]
    for k in range(n):
        piv = next((i for i in range(k, n) if A[i][i] != 0), None)
        if piv is None:
            pair = next(((i, j) for i in range(k, n) for j in range(i + 1, n) if A[i][j] != 0), None)
            if pair is None:
                break  # the trailing block is zero
            i, j = pair
            for c in range(n):
                A[i][c] += A[j][c]
            for r in range(n):
                A[r][i] += A[r][j]
            M[i] = [a + b for a, b in zip(M[i], M[j])]
            piv = i
        if piv != k:
            A[k], A[piv] = A[piv], A[k]
            for row in A:
                row[k], row[piv] = row[piv], row[k]
            M[k], M[piv] = M[piv], M[k]
        d = A[k][k]
        for i in range(k + 1, n):
            if A[i][k] == 0:
                continue
            f = A[i][k] / d
            for c in range(n):
                A[i][c] -= f * A[k][c]
            for r in range(n):
                A[r][i] -= f * A[r][k]
            M[i] = [a - f * b for a, b in zip(M[i], M[k])]
    D = [A[i][i] for i in range(n)]
    if any(A[i][j] != 0 for i in range(n) for j in range(n) if i != j):
        raise InternalError("congruence_diagonalise left an off-diagonal entry")
    return M, D


def quad_form(H, v):
    """vᵀ H v, exactly."""
    n = len(v)
    return sum((v[i] * H[i][j] * v[j] for i in range(n) for j in range(n) if v[i] != 0 and v[j] != 0),
               flint.fmpq(0))


def inertia(D) -> tuple[int, int, int]:
    """(number of negative, zero, positive) entries of the diagonal D."""
    return (sum(1 for d in D if d < 0), sum(1 for d in D if d == 0), sum(1 for d in D if d > 0))
