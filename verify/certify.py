"""Certificate emitters (proofs/FORMAT.md, version 1): what the search found, written as hints.

The emitter lives with the search; the checker (``proofs``) re-derives everything from the embedded
problem and shares nothing with this code but the file format. Each certificate is re-checked by
``proofs.check_certificate`` before it is reported (:func:`emit_checked`).

Classes and their bodies:

* strict-saddle: v with vᵀHv < 0, and u with uᵀHu > 0 (not a local maximum);
* non-strict-saddle: the congruence M (M H Mᵀ = D ≥ 0, singular), the descent curve, and an ascent
  witness when D has no positive entry and the curve's order is even;
* local-min: M with M H Mᵀ = D > 0;
* global-min: ``zero-loss`` (L = 0 ≤ L), or ``rank-dual`` for an unregularised deep linear net:
  Ky Fan's variational form σ_r(A) = min{rμ + tr Z : Z ⪰ 0, Z ⪰ A − μI} with A = Y P_X Yᵀ. With Q
  the projector onto the column space of W X (W = W_H⋯W_1), Z = Q(A − μI)Q and any rational μ in
  [λ_{r+1}, λ_r] attain it; the checker verifies both PSD conditions by congruence.

``not-critical``, ``local-max`` and ``unknown`` have no certificate kind in version 1.
"""

from __future__ import annotations

from fractions import Fraction

import flint

from .classify import Classification
from .errors import InternalError
from .exact_loss import fq
from .global_min import gram_A, top_sum_rank
from .inertia import congruence_diagonalise
from .numbers import fraction_str
from .problem import DeepLinear, Problem
from .problem_file import problem_to_json
from .verdict import PointClass

CERTIFIABLE = {PointClass.STRICT_SADDLE, PointClass.NON_STRICT_SADDLE, PointClass.LOCAL_MIN, PointClass.GLOBAL_MIN}


def _v(xs) -> list[str]:
    return [fraction_str(Fraction(int(flint.fmpq(x).p), int(flint.fmpq(x).q))) if isinstance(x, flint.fmpq)
            else fraction_str(Fraction(x)) for x in xs]


def _m(rows) -> list[list[str]]:
    return [_v(r) for r in rows]


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
            return {"kind": "global-min", "route": "rank-dual", "mu": _v([mu])[0], "Z": _m(_fmat_rows(Z)),
                    "Z_congruence": _m(MZ), "gap_congruence": _m(MG)}
    return None


def build_certificate(problem: Problem, point, c: Classification) -> dict | None:
    """The version-1 certificate for classification ``c`` at ``point``, or None when its class has none."""
    import proofs

    if c.cls not in CERTIFIABLE:
        return None
    kind = c.cls.value
    if kind == "global-min":
        route = c.details.get("global_min", {}).get("route")
        if route == "zero-loss":
            body = {"kind": kind, "route": "zero-loss"}
        else:
            body = rank_dual_body(problem, point)
            if body is None:
                return None
    elif kind == "strict-saddle":
        body = {"kind": kind, "direction": _v(c.direction), "ascent": {"direction": _v(c.ascent)}}
    elif kind == "local-min":
        body = {"kind": kind, "congruence": _m(c.congruence[0])}
    else:  # non-strict-saddle
        body = {"kind": kind, "congruence": _m(c.congruence[0]),
                "descent_curve": [_v(coeffs) for coeffs in c.curve.coefficients]}
        if c.ascent is not None:
            body["ascent"] = {"curve": [_v(c.ascent)]} if c.ascent_is_line else {"direction": _v(c.ascent)}
    pj = problem_to_json(problem)
    return {"format": proofs.FORMAT, "version": proofs.VERSION,
            "claim": {"kind": kind, "point": _v(point), "loss": fraction_str(c.loss)},
            "problem": pj, "problem_sha256": proofs.problem_hash(pj), "body": body,
            "meta": {"generator": "spurious classify", "reason": c.reason}}


def spurious_certificate(problem: Problem, point, c: Classification, lower) -> tuple[dict | None, str]:
    """A ``spurious-local-min`` certificate: the local-min body of ``c`` plus ``lower``, a point of lower loss.

    Returns (certificate, checker note), or (None, why) when the checker does not accept it.
    """
    import proofs

    if c.cls is not PointClass.LOCAL_MIN:
        return None, f"class {c.cls.value!r} is not a strict local minimum"
    cert = build_certificate(problem, point, c)
    cert["claim"]["kind"] = cert["body"]["kind"] = "spurious-local-min"
    cert["body"]["witness"] = _v(lower)
    check = proofs.check_certificate(cert)
    return (cert, check.reason) if check.verified else (None, check.reason)


def emit_checked(problem: Problem, point, c: Classification) -> tuple[dict | None, str]:
    """Build the certificate and re-check it with the independent checker; returns (cert, note).

    A certificate the checker rejects is never returned: that would be a bug in the emitter or the
    classifier, reported as an internal error.
    """
    import proofs

    cert = build_certificate(problem, point, c)
    if cert is None:
        return None, f"no version-1 certificate for class {c.cls.value!r}"
    result = proofs.check_certificate(cert)
    if not result.verified:
        raise InternalError(f"the checker rejected our own {c.cls.value} certificate: {result.reason}")
    return cert, result.reason
