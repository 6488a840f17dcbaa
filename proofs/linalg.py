"""Exact (python-flint fmpq_mat / nmod_mat) and ball (arb_mat) linear algebra for the kernel's rules.

Matrices come in as lists of rows of int / Fraction (or arb) and go back as such; every product, rank and
solve runs in flint (C), so a 400 × 400 congruence costs well under a second. Failures raise `Rejected`
('step: why') with their numbers formatted only then.
"""

import math

from flint import arb, arb_mat, fmpq_mat, nmod_mat

from .loss import frac, qmat
from .reader import need

_P = (1 << 61) - 1   # a prime: det(M) != 0 mod p proves det(M) != 0


def rank(M):
    """rank over Q of a list-of-rows matrix: the rank of its integer-scaled rows modulo a 61-bit prime (never more
    than the rank over Q) when that is already min(rows, cols), else flint's exact rank."""
    rows = [[(x * d).numerator % _P for x in row] for row in M for d in [math.lcm(*(x.denominator for x in row))]]
    full = min(len(M), len(M[0]))
    return full if nmod_mat(rows, _P).rank() == full else qmat(M).rank()


def invertible(M):
    return rank(M) == len(M)


def congruence(S, M, step):
    """D = M S Mᵀ; requires M invertible and D diagonal. Returns diag(D) (Sylvester: inertia(S) = inertia(D))."""
    n, r = len(S), rank(M)
    need(r == n, step, "M is singular (rank {} < {})", r, n)
    Mq = qmat(M)
    D = Mq * qmat(S) * Mq.transpose()
    for i, j in ((a, b) for a in range(n) for b in range(a + 1, n) if D[a, b] != 0):   # off-diagonal non-zeros
        need(False, step, "(M H Mᵀ)[{}][{}] = {} is not 0", i, j, frac(D[i, j]))
    return [frac(D[i, i]) for i in range(n)]


def projected_gram(X, Y):
    """A = Y Π Yᵀ with Π the orthogonal projector onto the row space of X: B = the non-zero rows of rref(X)
    are a basis of it, Π = Bᵀ(BBᵀ)⁻¹B, so A = C (BBᵀ)⁻¹ Cᵀ with C = Y Bᵀ."""
    (R, r), d = qmat(X).rref(), len(Y)
    if r == 0:
        return [[0] * d for _ in range(d)]
    B = fmpq_mat([[R[i, j] for j in range(R.ncols())] for i in range(r)])
    C = qmat(Y) * B.transpose()
    A = C * (B * B.transpose()).solve(C.transpose())
    return [[frac(A[i, j]) for j in range(d)] for i in range(d)]


def rows(A):
    """arb_mat -> list of rows of arb."""
    return [[A[i, j] for j in range(A.ncols())] for i in range(A.nrows())]


def eye_minus(A):
    """I − A for a square arb_mat."""
    return arb_mat([[(1 if i == j else 0) - v for j, v in enumerate(row)] for i, row in enumerate(rows(A))])


def dominant(S, step):
    """Every row of the ball matrix S strictly diagonally dominant with a positive diagonal (Gershgorin)."""
    for i, row in enumerate(rows(S)):
        off = sum((abs(v) for j, v in enumerate(row) if j != i), arb(0))
        need(row[i] > off, step, "row {} of M H(X) Mᵀ is not diagonally dominant ({} vs {})", i,
             row[i].str(5, radius=True), off.str(5, radius=True))
