"""What every emitter shares: exact numbers as "p/q" strings and the certificate envelope (proofs/FORMAT.md)."""

from __future__ import annotations

from verify.exact.loss import to_fraction
from verify.problems import Problem
from verify.problems.numbers import fraction_str


def vec(xs) -> list[str]:
    """Exact rationals (fmpq, Fraction, int) as "p/q" strings."""
    return [fraction_str(to_fraction(x)) for x in xs]


def mat(rows) -> list[list[str]]:
    return [vec(r) for r in rows]


def envelope(problem: Problem, claim: dict, body: dict, meta: dict) -> dict:
    """The version-1 header around ``claim`` and ``body``, with the problem embedded and hashed."""
    import proofs

    pj = problem.to_json()
    return {"format": proofs.FORMAT, "version": proofs.VERSION, "claim": claim, "problem": pj,
            "problem_sha256": proofs.problem_hash(pj), "body": body, "meta": meta}
