"""SMT-LIB2 (QF_NRA) queries from polynomial systems, run by z3 / cvc5 in a child process.

Every call has a hard wall-clock limit enforced from outside (the child is killed); a killed or
undecided call is ``unknown`` — never a proof.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field

from verify.errors import TooLargeError
from verify.exact.loss import to_fraction
from verify.verdict import SolverAnswer

MAX_COEFFICIENT_DIGITS = 4000
"""Largest numerator or denominator written into a query (larger systems are not decided by z3 in time anyway)."""


def _rat(c) -> str:
    x = to_fraction(c)
    p, q = x.numerator, x.denominator
    if max(abs(p), q).bit_length() > MAX_COEFFICIENT_DIGITS * 3.32:
        raise TooLargeError("problem", f"a coefficient of the polynomial system has more than {MAX_COEFFICIENT_DIGITS} "
                            "digits: too large for an SMT query")
    num = f"{abs(p)}.0" if q == 1 else f"(/ {abs(p)}.0 {q}.0)"
    return f"(- {num})" if p < 0 else num


def poly_to_smt(P, names: list[str] | None = None) -> str:
    """An fmpq_mpoly as an SMT-LIB2 real term over the constants ``names`` (default: its context's names).

    Terms in flint's order (descending lex on the exponent vector), the form
    ``verify/certify/attestation_check.py`` rebuilds.
    """
    names = list(P.context().names()) if names is None else names
    terms = []
    for exps, c in P.terms():
        factors = [_rat(c)] if (c != 1 or not any(exps)) else []
        for name, e in zip(names, exps):
            factors += [name] * e
        terms.append(factors[0] if len(factors) == 1 else f"(* {' '.join(factors)})")
    if not terms:
        return "0.0"
    return terms[0] if len(terms) == 1 else f"(+ {' '.join(terms)})"


def build_query(names: list[str], equalities=(), nonnegatives=(), positives=(), comment: str = "",
                fixed=()) -> str:
    """∃ names: ∧ (p = 0) ∧ (q ≥ 0) ∧ (r > 0) ∧ (x = c for (x, c) in fixed), as an SMT-LIB2 script.

    Every name is declared, in the order given (the problem's parameters first, in canonical order: the
    form an attestation must have to be tied to its problem, proofs/FORMAT.md); each polynomial is written
    over its own context's variable names, which must be among ``names``.
    """
    lines = [f"; {line}" for line in comment.splitlines()] + ["(set-logic QF_NRA)"]
    lines += [f"(declare-fun {n} () Real)" for n in names]
    lines += [f"(assert (= {name} {_rat(c)}))" for name, c in fixed]
    lines += [f"(assert (= {poly_to_smt(p)} 0.0))" for p in equalities if not p.is_zero()]
    lines += [f"(assert (>= {poly_to_smt(p)} 0.0))" for p in nonnegatives]
    lines += [f"(assert (> {poly_to_smt(p)} 0.0))" for p in positives]
    lines.append("(check-sat)")
    return "\n".join(lines) + "\n"


@dataclass
class SolverRun:
    solver: str
    version: str
    answer: SolverAnswer
    seconds: float
    model: dict = field(default_factory=dict)
    error: str = ""


def run_solver(text: str, solver: str = "z3", timeout: float = 60.0) -> SolverRun:
    """Run one query in a child process, killed after ``timeout`` seconds (→ ``SolverAnswer.TIMEOUT``)."""
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "verify.exact.smt.solver_child", solver], input=text,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return SolverRun(solver, "?", SolverAnswer.TIMEOUT, time.perf_counter() - t0)
    dt = time.perf_counter() - t0
    try:
        out = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return SolverRun(solver, "?", SolverAnswer.ERROR, dt, error=(proc.stderr or "no output")[-500:])
    return SolverRun(out["solver"], out["version"], SolverAnswer.parse(out["answer"]), dt, out.get("model", {}),
                     out.get("error", ""))
