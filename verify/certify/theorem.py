"""Theorem-instance certificates (certificate kind ``theorem-instance``, proofs/FORMAT.md).

For a problem and a claim, :func:`theorem_certificate` tries each theorem of the checker's table
(``proofs.theorems.THEOREMS``, in its order) that concludes the claim: it writes the certificate (the only hint:
Σ's characteristic polynomial for Kawaguchi 2016, computed here with flint), has ``proofs.check_certificate``
check it, and returns the first one the checker VERIFIED, or None with every theorem's failed hypothesis.
"""

from __future__ import annotations

import flint

from verify.certify.common import envelope, vec
from verify.exact.loss import fq
from verify.problems import Problem

KIND = "theorem-instance"


def _fmat(rows) -> flint.fmpq_mat:
    return flint.fmpq_mat([[fq(x) for x in row] for row in rows])


def sigma_charpoly(problem: Problem) -> list[str] | None:
    """χ(t) = det(tI − Σ), Σ = Y Xᵀ (X Xᵀ)⁻¹ X Yᵀ, lowest degree first; None when X Xᵀ is singular."""
    X, Y = _fmat(problem.X), _fmat(problem.Y)
    G = X * X.transpose()
    if G.rank() != G.nrows():
        return None
    XY = X * Y.transpose()
    return vec((XY.transpose() * G.solve(XY)).charpoly().coeffs())


def certificate(problem: Problem, theorem: str, claim: str) -> dict:
    """The (unchecked) certificate that ``theorem`` concludes ``claim`` on ``problem``."""
    body = {"kind": KIND}
    if theorem.startswith("kawaguchi") and getattr(problem, "kind", None) == "deep-linear":
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


__all__ = ["certificate", "sigma_charpoly", "theorem_certificate"]
