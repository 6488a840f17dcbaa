"""The canonical problem: one JSON value (and one hash) per problem, however its numbers are spelled.

Sweeps key their results by :func:`canonical_problem_hash` (:mod:`verify.run.store`), and ``spurious check-cert
--problem`` compares a problem file with a certificate's embedded problem by it. The checker (``proofs/``) does not
need it: a certificate names its problem by ``problem_sha256``, the hash of the embedded JSON as written. So it lives
here, with the search; it validates through the checker's own reader (:func:`proofs.reader.read_problem`: the
canonical problem is the problem as the checker reads it) and hashes with :func:`proofs.problem_hash`.

``proofs`` is imported inside the functions: ``verify.problems`` stays free of python-flint (DESIGN.md).

>>> p = {"kind": "deep-linear", "widths": [1, 1], "X": [[1]], "Y": [["2/4"]], "reg": 0}
>>> canonical_problem(p)["Y"], canonical_problem(p)["reg"]
([['1/2']], [[['0']]])
>>> canonical_problem_hash(p) == canonical_problem_hash({**p, "Y": [["0.5"]], "reg": "0/3"})
True
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

_SPELLING = re.compile(r"[+-]?(?:[0-9]+/[0-9]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?)")

MAX_SPELLING = 2 * 2000 + 8
"""Longest number string rewritten (two 2,000-digit halves, the checker's MAX_DIGITS, and a sign, slash, point);
a longer string is left as it is and the checker's reader refuses it."""


def _bad(path, why):
    from proofs import MalformedCertificate

    raise MalformedCertificate(f"{path}: {why}")


def _lenient(x, path):
    """A problem JSON value with its numbers in any spelling a problem file allows ("2/4", "0.5", "+1", "1e-3",
    a finite float as its exact binary value) rewritten as canonical rationals; other values unchanged."""
    from proofs import printable

    if isinstance(x, dict):
        return {k: _lenient(v, f"{path}.{printable(k)[:40]}") for k, v in x.items()}
    if isinstance(x, list):
        return [_lenient(v, f"{path}[{i}]") for i, v in enumerate(x)]
    if isinstance(x, float):
        if not math.isfinite(x):
            _bad(path, f"{x!r} is not a finite number")
        x = Fraction(x)
    elif isinstance(x, str) and len(x) <= MAX_SPELLING and _SPELLING.fullmatch(x):
        try:
            x = Fraction(x)
        except ZeroDivisionError:
            _bad(path, f"{x[:40]!r} divides by zero")
    return str(x) if isinstance(x, Fraction) else x


def canonical_problem(obj: dict) -> dict:
    """The problem as the checker reads it, written canonically: every number as str(Fraction) ("2/4", "0.5"
    and "1/2" all become "1/2"), a scalar reg expanded to its matrices, trailing zero activation coefficients
    dropped, output null when trained, the loss when it is not the square loss (so old hashes stay). Two problem
    objects with the same loss-defining data give the same value. Raises ``proofs.MalformedCertificate`` (naming
    the field) for what the checker's reader refuses."""
    from proofs.reader import read_problem

    P = read_problem(_lenient(obj, "problem"))
    q = lambda M: [[str(v) for v in row] for row in M]  # noqa: E731
    reg = [q(L) for L in P.reg]
    loss = {} if P.loss in (None, ("square",)) else {"loss": _canonical_loss(P.loss)}
    if P.kind == "deep-linear":
        return {"kind": P.kind, "widths": P.widths, "X": q(P.X), "Y": q(P.Y), "reg": reg, **loss}
    (a, n), train = P.shapes[0], len(P.shapes) > 1
    if P.kind == "relu-teacher":
        return {"kind": P.kind, "k": a, "n": n, "teacher": q(P.teacher)}
    if P.kind != "two-layer":
        _bad("problem.kind", f"no canonical form for kind {P.kind!r}")
    act = P.act if P.act == "relu" else list(P.act)
    while act != "relu" and len(act) > 1 and act[-1] == 0:
        act.pop()
    return {"kind": P.kind, "n": n, "width": a, "activation": act if act == "relu" else {"poly": [str(c) for c in act]},
            "X": q(P.X), "Y": q(P.Y), "train_output": train, "output": None if train else q(P.U), "reg": reg, **loss}


def _canonical_loss(loss):
    """The fit term as the checker reads it: a name, {"poly": [...]} ({"power": p} is the poly t^p / p) or
    {"huber": δ}; the square loss is left out by the caller."""
    if loss[0] == "poly":
        return {"poly": [str(c) for c in loss[1]]}
    return {"huber": str(loss[1])} if loss[0] == "huber" else loss[0]


def canonical_problem_hash(obj: dict) -> str:
    """sha256 hex of canonical_problem(obj) (sorted keys, no spaces): what sweeps and ``check-cert --problem`` match
    by. canonical_problem_hash({..., "Y": [["2/4"]]}) == canonical_problem_hash({..., "Y": [["0.5"]]})."""
    from proofs import problem_hash

    return problem_hash(canonical_problem(obj))


__all__ = ["canonical_problem", "canonical_problem_hash"]
