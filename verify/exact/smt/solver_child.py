"""Child-process entry point for SMT solvers: ``python -m verify.exact.smt.solver_child z3|cvc5`` < query.smt2.

Runs in its own process so that the parent can enforce a hard wall-clock limit by killing it (z3's
own timeout is not always honoured). Prints one JSON object: {"solver", "version", "answer", "model"}
where model maps each declared constant to "p/q" (rational values) or {"approx": "decimal"} (algebraic).
"""

from __future__ import annotations

import json
import sys

from verify.verdict import SolverAnswer


def _run_z3(text: str) -> dict:
    import z3

    s = z3.SolverFor("QF_NRA")
    s.from_string(text)
    answer = SolverAnswer.parse(str(s.check()))
    model = {}
    if answer is SolverAnswer.SAT:
        m = s.model()
        for d in m.decls():
            v = m[d]
            if z3.is_rational_value(v):
                model[d.name()] = f"{v.numerator_as_long()}/{v.denominator_as_long()}"
            elif z3.is_algebraic_value(v):
                model[d.name()] = {"approx": v.approx(40).as_decimal(40).rstrip("?")}
    return {"solver": "z3", "version": z3.get_version_string(), "answer": answer.value, "model": model}


def _run_cvc5(text: str) -> dict:
    import cvc5

    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    solver.setOption("produce-models", "false")
    parser = cvc5.InputParser(solver)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "query")
    sm = parser.getSymbolManager()
    answer = SolverAnswer.UNKNOWN
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        out = cmd.invoke(solver, sm)
        said = SolverAnswer.parse(out)
        if said in (SolverAnswer.SAT, SolverAnswer.UNSAT, SolverAnswer.UNKNOWN):
            answer = said
    version = solver.getVersion()
    if isinstance(version, bytes):
        version = version.decode("utf-8", "replace")
    return {"solver": "cvc5", "version": version.strip('"'), "answer": answer.value, "model": {}}


def main() -> int:
    which = sys.argv[1] if len(sys.argv) > 1 else "z3"
    text = sys.stdin.read()
    try:
        out = _run_z3(text) if which == "z3" else _run_cvc5(text)
    except Exception as e:  # noqa: BLE001 — report, the parent decides
        out = {"solver": which, "version": "?", "answer": SolverAnswer.ERROR.value, "model": {},
               "error": f"{type(e).__name__}: {e}"}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
