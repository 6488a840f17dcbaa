"""Hints for the Coq re-check of a certificate (proofs/coq/translate.py): sums of squares for the Hessian form.

Checker.v's checks take, besides the certificate's own data, exact decompositions of A = ½∇²L(θ) (the quadratic
part of the Taylor expansion, Taylor.v's ``t2``):

* (spurious-)local-min: μ > 0 and terms (d_k, ℓ_k), d_k ≥ 0, with A − μI = Σ_k d_k ℓ_k ℓ_kᵀ exactly
  (then A ⪰ μI ≻ 0: a strict local minimum, ``local_min_sound``);
* non-strict-saddle: terms with A = Σ_k d_k ℓ_k ℓ_kᵀ (A ⪰ 0, ``non_strict_saddle_sound``) and, when the body has
  no ascent witness, one: a unit vector e_i with A_ii > 0 (a PSD A ≠ 0 has one), else the descent curve itself
  (Coq accepts it iff its leading order is odd).

The terms are an exact LDLᵀ (python-flint ``fmpq``; ℓ_k = column k of the unit lower-triangular L); μ is a power
of two below λ_min(A)/2 (a numpy estimate), halved while a pivot of A − μI is not positive. Nothing is decided
here: when no decomposition exists (A not positive definite) the last attempt is returned all the same, and Coq
refuses it. These hints are untrusted input to Coq.

    >>> A = [[2, 1], [1, 2]]
    >>> mu, terms = local_min_terms(A)
    >>> mu, [(d, l) for d, l in terms]
    (Fraction(1, 2), [(Fraction(3, 2), [1, Fraction(2, 3)]), (Fraction(5, 6), [0, 1])])
"""

from __future__ import annotations

import math
from fractions import Fraction

from flint import fmpq

from proofs.loss import fq, frac

MAX_TRIES = 60


def half_hessian(P, point) -> list[list]:
    """A = ½∇²L(θ) exactly, for a problem P read by proofs.reader (the kernel's exact Jet Hessian)."""
    from proofs.kernel import hessian

    return [[Fraction(h) / 2 for h in row] for row in hessian(P, point)]


def ldl_terms(A, mu=0, stop=False):
    """(terms, ok): A − μI = Σ d_k ℓ_k ℓ_kᵀ by an exact LDLᵀ without pivoting (zero pivots skipped when their
    column is zero, as for any PSD matrix). ok: every pivot ≥ 0 (> 0 with stop=True, which returns at the first
    pivot that is not). When a zero pivot has a non-zero column the decomposition cannot go on: ok = False and
    the terms so far (not a decomposition)."""
    n = len(A)
    S = [[fq(A[i][j]) - (fq(mu) if i == j else 0) for j in range(n)] for i in range(n)]
    terms, ok = [], True
    for k in range(n):
        d = S[k][k]
        if d == 0 and not stop:
            if any(S[i][k] != 0 for i in range(k + 1, n)):
                return terms, False
            continue
        if d <= 0:   # with stop: the first pivot that is not > 0; without: a negative pivot, kept (Coq refuses it)
            if stop:
                return terms, False
            ok = False
        col = [fmpq(0)] * k + [fmpq(1)] + [S[i][k] / d for i in range(k + 1, n)]
        terms.append((frac(d), [frac(x) for x in col]))
        rk = S[k]
        for i in range(k + 1, n):
            if (f := col[i]) != 0:
                Si = S[i]
                for j in range(k + 1, n):
                    if rk[j] != 0:
                        Si[j] -= f * rk[j]
    return terms, ok


def _lambda_min(A) -> float | None:
    import numpy as np

    try:
        return float(np.linalg.eigvalsh(np.array([[float(x) for x in row] for row in A], dtype=float)).min())
    except (OverflowError, ValueError, np.linalg.LinAlgError):
        return None


def local_min_terms(A):
    """(μ, terms) with A − μI = Σ d_k ℓ_k ℓ_kᵀ, d_k > 0, μ > 0 — or, when A is not positive definite, the last
    attempt (which Coq rejects). μ starts at the power of two ≤ λ_min(A)/2 and is halved at most MAX_TRIES times."""
    lam = _lambda_min(A)
    mu = Fraction(2) ** math.floor(math.log2(lam / 2)) if lam and lam > 0 and math.isfinite(lam) else Fraction(1)
    for attempt in range(MAX_TRIES):
        terms, ok = ldl_terms(A, mu, stop=True)
        if ok:
            return mu, terms
        if attempt == 0 and not ldl_terms(A, 0, stop=True)[1]:
            break   # A itself is not positive definite: no μ > 0 works
        mu /= 2
    return mu, ldl_terms(A, mu)[0]


def coq_hints(P, claim: dict, body: dict) -> dict:
    """The hints translate() needs for this certificate (P = proofs.reader.read_problem of its problem; claim and
    body as in the file). Kinds without hints get {}."""
    from proofs.reader import vec

    kind = claim["kind"]
    if kind not in ("local-min", "spurious-local-min", "non-strict-saddle"):
        return {}
    A = half_hessian(P, vec(claim["point"], P.nparams, "claim.point"))
    if kind != "non-strict-saddle":
        mu, terms = local_min_terms(A)
        return {"mu": mu, "terms": terms}
    hints = {"psd": ldl_terms(A)[0]}
    if "ascent" not in body:
        i = next((i for i in range(len(A)) if A[i][i] > 0), None)
        hints["ascent"] = {"direction": [int(j == i) for j in range(len(A))]} if i is not None else \
            {"curve": [vec(c, P.nparams, "body.descent_curve") for c in body["descent_curve"]]}
    return hints
