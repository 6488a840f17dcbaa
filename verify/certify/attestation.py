"""Solver attestations (certificate kind ``solver-attested``): the query, the solvers and their answers.

An attestation is tied to the embedded problem but never *verified*: ``check-cert`` reports it with
``"verified": false, "trust": "solver"`` and exit 4. It records what a ``proved`` with ``trust: "solver"`` rests on.
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
