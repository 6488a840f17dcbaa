"""Solver attestations (certificate kind ``solver-attested``): the query, the solvers and their answers.

An attestation is tied to the embedded problem but never *verified*: ``check-cert`` reports it with
``"verified": false, "trust": "solver"`` and exit 4. It records what a ``proved`` with ``trust: "solver"`` rests on.
:mod:`verify.certify.attestation_check` reads it back and ties it to the problem (outside proofs/: never verified).
"""

from __future__ import annotations

from verify.certify.common import envelope
from verify.verdict import SolverAnswer


def attestation(problem, claim: str, texts: list[str], solvers: list[dict], excluded: list) -> dict:
    """The attestation for ``claim`` on ``problem``: the SMT-LIB queries ``texts`` all answered unsat."""
    statement = f"{claim}: no critical point with PSD Hessian that is not a global minimum" + \
        (" other than the excluded certified saddles" if excluded else "")
    body = {"kind": "solver-attested", "query": {"language": "smt-lib2", "text": "\n(reset)\n".join(texts)},
            "expected": SolverAnswer.UNSAT.value, "solvers": solvers}
    return envelope(problem, {"kind": "solver-attested", "statement": statement}, body, {"excluded": excluded})


def attestation_checked(problem, claim: str, texts: list[str], solvers: list[dict], excluded: list):
    """(attestation, note) when :func:`~verify.certify.attestation_check.check_attestation` reports it ATTESTED —
    well formed and tied to ``problem`` — else (None, why): e.g. a problem kind the checker's reader cannot read.
    The verdict still rests on the solvers' unsat."""
    import proofs
    from verify.certify.attestation_check import check_attestation

    cert = attestation(problem, claim, texts, solvers, excluded)
    try:
        check = check_attestation(cert)
    except proofs.MalformedCertificate as e:
        return None, f"the checker cannot read the attestation: {e}"
    if check.outcome is not proofs.Outcome.ATTESTED:
        return None, f"the checker does not tie the attestation to the problem: {check.reason}"
    return cert, "attestation tied to the problem by the checker (not verified: it rests on the solvers)"
