"""Exact global minimum value of an unregularised deep linear network (reduced-rank regression).

For L(W_1..W_H) = ½‖W_H⋯W_1 X − Y‖²_F the end-to-end product W = W_H⋯W_1 ranges over all
d_y × d_x matrices of rank ≤ r = min(widths). With P the orthogonal projector onto the row space of
X and A = Y P Yᵀ (d_y × d_y, PSD), Eckart–Young gives

    L* = ½ (‖Y‖²_F − (λ_1 + … + λ_r'))      (λ_1 ≥ λ_2 ≥ … the eigenvalues of A, r' = min(r, d_y)).

The top-r' eigenvalue sum is the largest eigenvalue of the r'-th **additive compound** A^[r'] (its
eigenvalues are the sums λ_{i_1}+…+λ_{i_r'} over i_1 < … < i_r'), an algebraic number. For a rational
s we decide s = λ_1+…+λ_r' exactly: c(s) = 0 for c the square-free characteristic polynomial of
A^[r'], and c has no real root > s (Sturm count, sympy ``count_roots``).

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> prob = DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(1),),))
>>> str(rational_global_min(prob))
'0'
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import flint

from verify.exact.loss import fq, to_fraction
from verify.problems import DeepLinear


def _row_space_basis(X) -> list:
    R, rank = flint.fmpq_mat([[fq(x) for x in row] for row in X]).rref()
    return [[R[i, j] for j in range(R.ncols())] for i in range(rank)]


def gram_A(problem: DeepLinear) -> flint.fmpq_mat:
    """A = Y P Yᵀ with P the projector onto the row space of X: (Y Bᵀ)(B Bᵀ)⁻¹(B Yᵀ), B a row basis."""
    basis = _row_space_basis(problem.X)
    Y = flint.fmpq_mat([[fq(y) for y in row] for row in problem.Y])
    if not basis:  # X = 0: the product W X is 0 whatever W is
        return flint.fmpq_mat(Y.nrows(), Y.nrows())
    B = flint.fmpq_mat(basis)
    YB = Y * B.transpose()
    return YB * (B * B.transpose()).inv() * YB.transpose()


def _sign_of_sort(seq) -> int:
    inv = sum(1 for i in range(len(seq)) for j in range(i + 1, len(seq)) if seq[i] > seq[j])
    return -1 if inv % 2 else 1


def additive_compound(A: flint.fmpq_mat, r: int) -> flint.fmpq_mat:
    """The r-th additive compound A^[r] on Λ^r R^d, basis e_I for I = i_1 < … < i_r (lexicographic)."""
    d = A.nrows()
    subsets = list(itertools.combinations(range(d), r))
    index = {s: k for k, s in enumerate(subsets)}
    C = flint.fmpq_mat(len(subsets), len(subsets))
    for col, J in enumerate(subsets):
        for pos, j in enumerate(J):
            for i in range(d):
                if A[i, j] == 0:
                    continue
                new = list(J)
                new[pos] = i
                if len(set(new)) < r:
                    continue
                C[index[tuple(sorted(new))], col] += _sign_of_sort(new) * A[i, j]
    return C


def top_sum_rank(problem: DeepLinear) -> int:
    return min(min(problem.widths), problem.widths[-1])


def rational_global_min(problem: DeepLinear) -> Fraction | None:
    """L* when it is rational because r' ≥ d_y or r' ≥ rank A (then the top-r' sum is tr A); else None."""
    A = gram_A(problem)
    r = top_sum_rank(problem)
    if r >= A.nrows() or r >= A.rank():
        ynorm = sum((fq(y) * fq(y) for row in problem.Y for y in row), flint.fmpq(0))
        v = (ynorm - sum((A[i, i] for i in range(A.nrows())), flint.fmpq(0))) / 2
        return to_fraction(v)
    return None


def global_min_between(problem: DeepLinear, lo: Fraction, hi: Fraction) -> bool:
    """Decide exactly whether lo ≤ L* ≤ hi (the global minimum of the unregularised problem; lo ≤ hi).

    With s = ‖Y‖²_F − 2L, L* ∈ [lo, hi] ⇔ λ* = λ_1 + … + λ_r' ∈ [‖Y‖² − 2hi, ‖Y‖² − 2lo], λ* the largest real root
    of c (the square-free characteristic polynomial of A^[r']), decided by Sturm counts. ``False`` says only that
    L* lies outside [lo, hi], nothing about how far.

    >>> from fractions import Fraction as F
    >>> from verify.problems import DeepLinear
    >>> prob = DeepLinear(widths=(2, 1, 2), X=((F(1), F(0)), (F(0), F(1))), Y=((F(1), F(1)), (F(0), F(1))))
    >>> global_min_between(prob, F(19, 100), F(1, 5)), global_min_between(prob, F(1, 5), F(1, 4))  # L* = (3 − √5)/4
    (True, False)
    """
    import sympy

    value = rational_global_min(problem)
    if value is not None:
        return lo <= value <= hi
    A = gram_A(problem)
    r = top_sum_rank(problem)
    ynorm = sum((y * y for row in problem.Y for y in row), Fraction(0))
    charpoly = additive_compound(A, r).charpoly()
    c = sympy.Poly([sympy.Rational(to_fraction(x)) for x in reversed(charpoly.coeffs())], sympy.Symbol("z")).sqf_part()
    s_lo, s_hi = sympy.Rational(ynorm - 2 * hi), sympy.Rational(ynorm - 2 * lo)
    if c.eval(s_hi) == 0:
        return c.count_roots(inf=s_hi) == 1   # s_hi is a root: λ* = s_hi iff no real root lies above it
    if s_lo == s_hi:
        return False
    return c.count_roots(inf=s_hi) == 0 and c.count_roots(inf=s_lo) >= 1


def equals_global_min(problem: DeepLinear, loss: Fraction) -> bool:
    """Decide exactly whether ``loss`` equals L* (the global minimum of the unregularised problem)."""
    return global_min_between(problem, loss, loss)
