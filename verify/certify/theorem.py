"""Theorem-instance certificates (certificate kind ``theorem-instance``, proofs/FORMAT.md).

For a problem and a claim, :func:`theorem_certificate` tries each theorem of the checker's table
(``proofs.theorems.THEOREMS``, in its order) that concludes the claim: it writes the certificate (the only hint:
Σ's characteristic polynomial for Kawaguchi 2016, computed here with flint when X has full row rank), has
``proofs.check_certificate`` check it, and returns the first one the checker VERIFIED, or None with every theorem's
failed hypothesis. The table is read, never copied: a theorem the checker adds is tried here at once (Lu & Kawaguchi
2017's Theorems 2.1 and 2.3, for instance, whose hypotheses — X and Y of full row rank — hold at any width).
The checks run in this process, without a limit of their own: :func:`verify.run.theorem_route.theorem_check` bounds
the whole route with one child process (one fork, where a limit per check would fork once per theorem).
"""

from __future__ import annotations

import flint

from verify.certify.common import envelope, vec
from verify.exact.loss import fq
from verify.problems import Problem

KIND = "theorem-instance"

PRIME = 2**61 - 1
"""X's rank is first computed modulo this prime: full there means full over Q (a non-zero minor mod p is non-zero)."""


def _fmat(rows) -> flint.fmpq_mat:
    return flint.fmpq_mat([[fq(x) for x in row] for row in rows])


def full_row_rank_mod_p(X: flint.fmpq_mat) -> bool:
    """True when X (rows cleared of denominators: a positive scaling per row, the same rank) has full row rank
    modulo :data:`PRIME`, which proves full row rank over Q; False proves nothing (p may divide every maximal
    minor). Word-size arithmetic: fast where the exact rank of a large rank-deficient X Xᵀ takes minutes."""
    rows, cols = X.nrows(), X.ncols()
    if rows > cols:
        return False
    ints = []
    for i in range(rows):
        lcm = flint.fmpz(1)
        for j in range(cols):
            q = X[i, j].q
            lcm = lcm * q // lcm.gcd(q)
        ints.extend(int(X[i, j].p * (lcm // X[i, j].q)) % PRIME for j in range(cols))
    return flint.nmod_mat(rows, cols, ints, PRIME).rank() == rows


def sigma_charpoly(problem: Problem) -> list[str] | None:
    """χ(t) = det(tI − Σ), Σ = Y Xᵀ (X Xᵀ)⁻¹ X Yᵀ, lowest degree first; None unless X has full row rank modulo
    :data:`PRIME` (then X Xᵀ is invertible). The hint is optional: without it the checker decides the hypothesis
    rank(X Xᵀ) = d_x itself."""
    X, Y = _fmat(problem.X), _fmat(problem.Y)
    if not full_row_rank_mod_p(X):
        return None
    G = X * X.transpose()
    XY = X * Y.transpose()
    return vec((XY.transpose() * G.solve(XY)).charpoly().coeffs())


def certificate(problem: Problem, theorem: str, claim: str) -> dict:
    """The (unchecked) certificate that ``theorem`` concludes ``claim`` on ``problem``."""
    body = {"kind": KIND}
    if theorem.startswith("kawaguchi") and problem.shallow() is not None:     # Σ of the shallow regression
        chi = sigma_charpoly(problem)
        if chi is not None:
            body["charpoly"] = chi
    return envelope(problem, {"kind": KIND, "theorem": theorem, "statement": claim}, body,
                    {"generator": "spurious check (theorem route)"})


def theorem_certificate(problem: Problem, claim: str) -> tuple[dict | None, str]:
    """(certificate, checker's reason) for the first theorem of the table whose hypotheses the checker verified on
    ``problem``, or (None, why each theorem does not apply: its failed hypothesis)."""
    import proofs
    from proofs.theorems import THEOREMS

    why = []
    for theorem, (cite, concludes, _) in THEOREMS.items():
        if claim not in concludes:
            continue
        cert = certificate(problem, theorem, claim)
        try:
            check = proofs.check_certificate(cert)
        except proofs.MalformedCertificate as e:   # e.g. a problem beyond the checker's limits
            why.append(f"{cite}: the checker cannot read the certificate ({e})")
            continue
        if check.verified:
            return cert, check.reason
        why.append(f"{cite}: {check.reason.removeprefix(KIND + ': ')}")
    return None, "; ".join(why) if why else f"no theorem in the table concludes {claim}"


__all__ = ["PRIME", "certificate", "full_row_rank_mod_p", "sigma_charpoly", "theorem_certificate"]
