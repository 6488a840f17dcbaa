"""Solver attestations: what ties an SMT-LIB query to the embedded problem and to a fixed claim statement.

Nothing here re-runs or re-checks a solver. It checks that (1) the statement is one of `STATEMENTS` (the
claim it attests is named by the checker, not by free text), (2) every answer is the expected 'unsat', and
(3) each script of the query declares the problem's parameters in canonical order and asserts every
equation ∂L/∂θ_i = 0 of THIS problem, rendered by `gradient_assertions` (FORMAT.md, "Solver attestations").
A query that passes says "no critical point of this L satisfies the further assertions" -- if the solvers
are right. Whether the further assertions (Hessian minors, the non-global condition, symmetry slices)
encode the statement is NOT checked: that is why an attestation is never `verified`.

    >>> from proofs.reader import read_problem
    >>> P = read_problem({"kind": "deep-linear", "widths": [1, 1, 1], "X": [[1]], "Y": [[1]], "reg": 0})
    >>> for line in gradient_assertions(P):      # L = ½(W2·W1 − 1)²
    ...     print(line)
    (assert (= (+ (* W1_0_0 W2_0_0 W2_0_0) (* (- 1.0) W2_0_0)) 0.0))
    (assert (= (+ (* W1_0_0 W1_0_0 W2_0_0) (* (- 1.0) W1_0_0)) 0.0))
"""

import re
from itertools import accumulate

from flint import fmpq_mpoly_ctx

from .loss import fq, loss
from .reader import MAX_ATTESTED_PARAMS, need

CRIT = "no critical point with PSD Hessian that is not a global minimum"
# The only statements an attestation may carry (each → the CONTRACT claim it supports).
STATEMENTS = {f"{name}: {CRIT}{tail}": name for name in ("no-spurious-local-min", "strict-saddle")
              for tail in ("", " other than the excluded certified saddles")}
LANGUAGE = "smt-lib2"
_DECLARE = re.compile(r"\(declare-fun ([A-Za-z_][A-Za-z0-9_]*) \(\) Real\)")
_STEP = "solver-attested"
_ATOM = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def param_names(P):
    """Canonical SMT-LIB names in the canonical parameter order: W1_i_j, W2_i_j, … (deep-linear); W_i_j then
    U_i_j (two-layer); i, j = row, column from 0 (the matrix labels are the reader's, per kind)."""
    return [f"{lab}_{i}_{j}" for lab, (r, c) in zip(P.labels, P.shapes) for i in range(r) for j in range(c)]


def _coef(c):
    p, q = abs(int(c.p)), int(c.q)
    s = f"{p}.0" if q == 1 else f"(/ {p}.0 {q}.0)"
    return f"(- {s})" if c < 0 else s


def render(poly, names):
    """An fmpq_mpoly as SMT-LIB: terms in descending lexicographic order of exponent vectors; a term is its
    coefficient (omitted when 1 and the monomial is not 1) then each variable repeated by its exponent."""
    terms = []
    for exps, c in sorted(poly.terms(), key=lambda t: tuple(t[0]), reverse=True):
        factors = ([_coef(c)] if c != 1 or not any(exps) else []) + [n for n, e in zip(names, exps) for _ in range(e)]
        terms.append(factors[0] if len(factors) == 1 else f"(* {' '.join(factors)})")
    return "0.0" if not terms else terms[0] if len(terms) == 1 else f"(+ {' '.join(terms)})"


def gradient_assertions(P):
    """'(assert (= ∂L/∂θ_i 0.0))' for every i with ∂L/∂θ_i ≠ 0, L expanded exactly over the parameters."""
    need(P.kind != "relu-teacher" and P.act != "relu", _STEP, "attestations need a polynomial loss (not relu)")
    need(P.nparams <= MAX_ATTESTED_PARAMS, _STEP, "{} parameters exceed the attestation limit of {}",
         P.nparams, MAX_ATTESTED_PARAMS)
    names = param_names(P)
    L = loss(P, list(fmpq_mpoly_ctx.get(names).gens()), fq)
    return [f"(assert (= {render(g, names)} 0.0))" for g in map(L.derivative, range(len(names))) if not g.is_zero()]


def _balanced(line):
    """One balanced S-expression: the depth after each character stays > 0 until the last, where it is 0."""
    depths = list(accumulate((ch == "(") - (ch == ")") for ch in line))
    return all(d > 0 for d in depths[:-1]) and depths[-1:] == [0]


def _mentions(assertion, declared):
    atoms = set(_ATOM.findall(assertion))
    return not atoms & {"false", "true"} and bool(atoms & set(declared))


def _script(lines, names, required, k):
    """One script (between '(reset)' lines): set-logic, the canonical declarations first, the gradient
    assertions among its assertions, one final check-sat; nothing else but further declarations/assertions."""
    at = f"query script {k}"
    cmds = [s for s in lines if s.strip() and not s.startswith(";")]
    need(cmds[:1] == ["(set-logic QF_NRA)"], _STEP, "{} does not start with (set-logic QF_NRA)", at)
    need(cmds[-1:] == ["(check-sat)"] and cmds.count("(check-sat)") == 1, _STEP,
         "{} must end with its only (check-sat)", at)
    body = cmds[1:-1]
    other = next((s for s in body if not (_DECLARE.fullmatch(s) or s.startswith("(assert ") and _balanced(s))), "")
    need(not other, _STEP, "{}: '{}' is not a declaration or a one-line assertion", at, other[:60])
    declared = [m.group(1) for m in map(_DECLARE.fullmatch, body) if m]
    asserted = {s for s in body if not _DECLARE.fullmatch(s)}
    need(len(set(declared)) == len(declared), _STEP, "{} declares a name twice", at)
    need(declared[:len(names)] == names, _STEP, "{} does not declare the problem's {} parameters {} first, in "
         "canonical order", at, len(names), " ".join(names[:4]) + (" …" if len(names) > 4 else ""))
    constant = next((s for s in sorted(asserted) if not _mentions(s, declared)), "")
    need(not constant, _STEP, "{}: '{}' is a constant assertion (it mentions no declared name, or true/false)",
         at, constant[:60])
    missing = next((i for i, g in enumerate(required) if g not in asserted), None)
    need(missing is None, _STEP, "{} does not assert ∂L/∂θ = 0 of the embedded problem (equation {} of {} missing: "
         "the query is not about this problem's critical points)", at, missing, len(required))


def check_query(P, text):
    """Reject unless every script of the query `text` is tied to the problem P (module docstring). Scripts are
    separated by lines that are exactly '(reset)'."""
    bad_char = next((c for c in text if c in '|"\\' or (c < " " and c != "\n") or c == "\x7f"), None)
    need(bad_char is None, _STEP, "the query contains {} (quoted symbols, strings and control characters are not "
         "allowed)", repr(bad_char))
    names, required = param_names(P), gradient_assertions(P)
    scripts = [part.split("\n") for part in re.split(r"^\(reset\)$", text, flags=re.MULTILINE)]
    for k, lines in enumerate(scripts):
        _script(lines, names, required, k)
    return len(scripts)
