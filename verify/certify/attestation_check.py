"""Reading solver attestations (certificate kind ``solver-attested``) and tying each to its problem.

An attestation says "these solvers answered unsat on this SMT-LIB query"; it is never VERIFIED, so it is not part
of the trusted base (proofs/) that VERIFIED rests on, and it is read here, with the search. :func:`check_attestation`
reads it as strictly as the checker reads any certificate (``proofs.reader``: the same limits, header checks and
embedded problem) and checks, without re-running or re-checking a solver (proofs/FORMAT.md, "Solver attestations"):

1. the statement is one of :data:`STATEMENTS` (the claim it attests is named here, not by free text), the query
   language is :data:`LANGUAGE`, the expected answer and every solver's answer are ``unsat``;
2. the embedded problem's loss is a polynomial (its kind's capability
   :attr:`verify.problems.Problem.polynomial`, read through the problem model);
3. each script of the query declares the problem's parameters in canonical order and asserts every equation
   ∂L/∂θ_k = 0 of THIS problem, rendered by :func:`gradient_assertions` (L expanded exactly by ``proofs.loss``).

A query that passes says "no critical point of this L satisfies the further assertions" -- if the solvers are
right. Whether the further assertions (Hessian minors, the non-global condition, symmetry slices) encode the
statement is NOT checked: ATTESTED (exit 4, trust "solver") never means verified, and REJECTED means only that the
file is not tied to its problem and statement, never that the statement is false. :func:`check_any` sends an
attestation here and every other certificate to ``proofs.check_certificate``.

    >>> from proofs.reader import read_problem
    >>> P = read_problem({"kind": "deep-linear", "widths": [1, 1, 1], "X": [[1]], "Y": [[1]], "reg": 0})
    >>> for line in gradient_assertions(P):      # L = ½(W2·W1 − 1)²
    ...     print(line)
    (assert (= (+ (* W1_0_0 W2_0_0 W2_0_0) (* (- 1.0) W2_0_0)) 0.0))
    (assert (= (+ (* W1_0_0 W1_0_0 W2_0_0) (* (- 1.0) W1_0_0)) 0.0))
"""

from __future__ import annotations

import re
from itertools import accumulate

from flint import fmpq_mpoly_ctx

import proofs
from proofs import CheckResult, CheckTimeout, MalformedCertificate, Outcome
from proofs.loss import fq, loss
from proofs.reader import MAX_BYTES, MAX_PARAMS, MAX_SAMPLE_PARAMS, Rejected, bad, field, load, need, only, read_problem
from verify.errors import InputError
from verify.problems import problem_from_dict

KIND = "solver-attested"
CRIT = "no critical point with PSD Hessian that is not a global minimum"
STATEMENTS = {f"{name}: {CRIT}{tail}": name for name in ("no-spurious-local-min", "strict-saddle")
              for tail in ("", " other than the excluded certified saddles")}
"""The only statements an attestation may carry (each → the CONTRACT claim it supports)."""
LANGUAGE = "smt-lib2"
MAX_ATTESTED_PARAMS = 16   # parameters of a problem an attestation may be about (∇L is expanded)
_HEADER = ("format", "version", "claim", "problem", "problem_sha256", "body", "meta")
_SHA = re.compile(r"[0-9a-f]{64}")
_DECLARE = re.compile(r"\(declare-fun ([A-Za-z_][A-Za-z0-9_]*) \(\) Real\)")
_ATOM = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# --------------------------------------------------------------------------- the query, tied to the problem
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


def polynomial_loss(problem_json) -> str | None:
    """Why an attestation cannot be about this embedded problem — its loss is not a polynomial in θ, or the problem
    model refuses it — or None. The kind's capability :attr:`verify.problems.Problem.polynomial` decides."""
    try:
        problem = problem_from_dict(problem_json)
    except InputError as e:
        return f"the problem model refuses the embedded problem ({e.field}: {e.detail})"
    return None if problem.polynomial else f"the loss of {problem.describe()} is not a polynomial"


def gradient_assertions(P):
    """'(assert (= ∂L/∂θ_k 0.0))' for every k with ∂L/∂θ_k ≠ 0, L expanded exactly over the parameters (P's loss a
    polynomial: :func:`check_attestation` asks :func:`polynomial_loss` first)."""
    need(P.nparams <= MAX_ATTESTED_PARAMS, KIND, "{} parameters exceed the attestation limit of {}",
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
    need(cmds[:1] == ["(set-logic QF_NRA)"], KIND, "{} does not start with (set-logic QF_NRA)", at)
    need(cmds[-1:] == ["(check-sat)"] and cmds.count("(check-sat)") == 1, KIND,
         "{} must end with its only (check-sat)", at)
    body = cmds[1:-1]
    other = next((s for s in body if not (_DECLARE.fullmatch(s) or s.startswith("(assert ") and _balanced(s))), "")
    need(not other, KIND, "{}: '{}' is not a declaration or a one-line assertion", at, other[:60])
    declared = [m.group(1) for m in map(_DECLARE.fullmatch, body) if m]
    asserted = {s for s in body if not _DECLARE.fullmatch(s)}
    need(len(set(declared)) == len(declared), KIND, "{} declares a name twice", at)
    need(declared[:len(names)] == names, KIND, "{} does not declare the problem's {} parameters {} first, in "
         "canonical order", at, len(names), " ".join(names[:4]) + (" …" if len(names) > 4 else ""))
    constant = next((s for s in sorted(asserted) if not _mentions(s, declared)), "")
    need(not constant, KIND, "{}: '{}' is a constant assertion (it mentions no declared name, or true/false)",
         at, constant[:60])
    missing = next((i for i, g in enumerate(required) if g not in asserted), None)
    need(missing is None, KIND, "{} does not assert ∂L/∂θ = 0 of the embedded problem (equation {} of {} missing: "
         "the query is not about this problem's critical points)", at, missing, len(required))


def check_query(P, text):
    """Reject unless every script of the query `text` is tied to the problem P; returns the number of scripts.
    Scripts are separated by lines that are exactly '(reset)'."""
    bad_char = next((c for c in text if c in '|"\\' or (c < " " and c != "\n") or c == "\x7f"), None)
    need(bad_char is None, KIND, "the query contains {} (quoted symbols, strings and control characters are not "
         "allowed)", repr(bad_char))
    names, required = param_names(P), gradient_assertions(P)
    scripts = [part.split("\n") for part in re.split(r"^\(reset\)$", text, flags=re.MULTILINE)]
    for k, lines in enumerate(scripts):
        _script(lines, names, required, k)
    return len(scripts)


# --------------------------------------------------------------------------- the attestation's claim and body
def _text(obj, key, path, limit):
    x = field(obj, key, path)
    if not isinstance(x, str) or not x.strip() or len(x) > limit:
        bad(f"{path}.{key}", f"expected a non-empty string of at most {limit} characters")
    return x


def parse_attestation(claim, body):
    """The attestation's fields as plain values: statement, language, expected, text, runs [(name, version,
    answer)]. Raises MalformedCertificate naming the field."""
    only(claim, ("kind", "statement"), "claim")
    only(body, ("kind", "query", "expected", "solvers"), "body")
    statement, query, solvers = _text(claim, "statement", "claim", 1000), field(body, "query", "body"), \
        field(body, "solvers", "body")
    only(query, ("language", "text"), "body.query")
    if field(body, "expected", "body") not in ("sat", "unsat"):
        bad("body.expected", "expected 'sat' or 'unsat'")
    if not isinstance(solvers, list) or not 1 <= len(solvers) <= 10:
        bad("body.solvers", "expected a list of 1..10 solver records")
    for i, s in enumerate(solvers):
        only(s, ("name", "version", "answer"), f"body.solvers[{i}]")
    return {"statement": statement, "language": _text(query, "language", "body.query", 40),
            "expected": body["expected"], "text": _text(query, "text", "body.query", 1_000_000), "runs": [
                tuple(_text(s, k, f"body.solvers[{i}]", 80) for k in ("name", "version", "answer"))
                for i, s in enumerate(solvers)]}


def tie(P, h, not_polynomial=None):
    """Rejected unless the parsed attestation `h` is tied to P and to a fixed statement; returns the note.
    `not_polynomial`: why P's loss is not a polynomial (:func:`polynomial_loss`), or None."""
    need(h["statement"] in STATEMENTS, KIND, "the statement {} is not one of the fixed attestation "
         "statements ('<claim>: {}')", repr(h["statement"][:80]), CRIT)
    need(h["language"] == LANGUAGE, KIND, "query language {} is not {}", repr(h["language"][:40]), repr(LANGUAGE))
    need(h["expected"] == "unsat", KIND, "the statement is proved by 'unsat', not {}", repr(h["expected"]))
    for name, version, answer in h["runs"]:
        need(answer == "unsat", KIND, "{} {} answered {}, expected 'unsat'", name, version, repr(answer))
    need(not_polynomial is None, KIND, "attestations need a polynomial loss: {}", not_polynomial)
    return f"{check_query(P, h['text'])} query script(s), each asserting ∇L = 0 of the embedded problem"


# --------------------------------------------------------------------------- entry points
def check_attestation(cert, *, expected_problem_sha256=None) -> CheckResult:
    """A solver attestation (dict, or JSON bytes / str) checked as the module docstring says: ATTESTED when it is
    tied to its embedded problem (and to `expected_problem_sha256`, the embedded problem's `proofs.problem_hash`,
    when given), else REJECTED with 'step: why'; raises MalformedCertificate for ill-formed input. The header is
    read as by ``proofs.check_certificate`` (same limits, same messages)."""
    obj = load(cert)
    only(obj, _HEADER, "certificate")
    if field(obj, "format", "certificate") != proofs.FORMAT:
        bad("certificate.format", f"expected {proofs.FORMAT!r}")
    version = field(obj, "version", "certificate")
    if type(version) is not int or version != proofs.VERSION:
        bad("certificate.version", f"version {str(version)[:20]} is not supported (this checker reads "
            f"{proofs.VERSION})")
    claim, body = field(obj, "claim", "certificate"), field(obj, "body", "certificate")
    kind = field(claim, "kind", "claim")
    if kind != KIND:
        bad("claim.kind", f"expected {KIND!r}, got {str(kind)[:40]!r}")
    if not isinstance(body, dict):
        bad("body", "expected an object")
    sha = field(obj, "problem_sha256", "certificate")
    if not isinstance(sha, str) or _SHA.fullmatch(sha) is None:
        bad("certificate.problem_sha256", "expected 64 lowercase hex digits")
    P = read_problem(field(obj, "problem", "certificate"))
    where = f"[{P.describe()}, problem {P.sha[:12]}]"
    try:
        if sha != P.sha:
            raise Rejected(f"problem_sha256: {sha[:12]}… does not match the embedded problem ({P.sha[:12]}…)")
        if expected_problem_sha256 is not None and expected_problem_sha256 != P.sha:
            raise Rejected(f"problem: the certificate is about problem {P.sha[:12]}…, not the given "
                           f"{str(expected_problem_sha256)[:12]}…")
        need(field(body, "kind", "body") == KIND, "claim", "the claim says {} but the body proves {}", repr(KIND),
             repr(str(body["kind"])[:40]))
        if P.nparams > MAX_PARAMS:
            bad("problem", f"{P.nparams} parameters exceed the limit of {MAX_PARAMS} for a {KIND} certificate")
        if P.X is not None and len(P.X[0]) * P.nparams > MAX_SAMPLE_PARAMS:
            bad("problem", f"{len(P.X[0])} samples × {P.nparams} parameters exceeds the limit of "
                f"{MAX_SAMPLE_PARAMS:,}")
        h = parse_attestation(claim, body)
        note = tie(P, h, polynomial_loss(obj["problem"]))
    except Rejected as e:
        return CheckResult(Outcome.REJECTED, f"{KIND} {where}", str(e))
    runs = ", ".join(f"{name} {version}" for name, version, _ in h["runs"])
    return CheckResult(Outcome.ATTESTED, f"{KIND} (not kernel-checked): {h['statement']} {where}",
                       f"{KIND}, not kernel-checked: this checker did not re-run or re-check the query ({note}); "
                       f"trust rests on {runs} answering 'unsat'")


def _attest_in_child(obj, expected_problem_sha256):
    try:
        return "ok", check_attestation(obj, expected_problem_sha256=expected_problem_sha256)
    except MalformedCertificate as e:
        return "malformed", str(e)


def check_any(cert, *, expected_problem_sha256=None, timeout=None) -> CheckResult:
    """Any certificate: a solver attestation (claim.kind 'solver-attested') by :func:`check_attestation`, every
    other one by ``proofs.check_certificate`` (same arguments). `timeout` (seconds; None: no limit) is a hard limit
    for both: the attestation check runs in a child process killed at the limit (CheckTimeout, 'too large to
    check in S s')."""
    obj = load(cert)
    claim = obj.get("claim")
    if not (isinstance(claim, dict) and claim.get("kind") == KIND):
        return proofs.check_certificate(cert, expected_problem_sha256=expected_problem_sha256, timeout=timeout)
    if timeout is None:
        return check_attestation(obj, expected_problem_sha256=expected_problem_sha256)
    if not timeout > 0:
        raise ValueError(f"timeout={timeout!r} must be a positive number of seconds")
    from verify.errors import WallClockTimeout
    from verify.infra.child import run_in_child

    try:
        status, value = run_in_child(_attest_in_child, obj, expected_problem_sha256, timeout=timeout,
                                     what="the attestation check")
    except WallClockTimeout:
        raise CheckTimeout(f"too large to check in {timeout:g} s (the checker's time limit)") from None
    if status == "malformed":
        raise MalformedCertificate(value)
    return value


def check_any_file(path, *, expected_problem_sha256=None, timeout=proofs.DEFAULT_TIMEOUT) -> CheckResult:
    """check_any on a file's bytes (at most MAX_BYTES + 1 are read); an unreadable file is MalformedCertificate."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as e:
        raise MalformedCertificate(f"{path}: cannot read ({e.strerror or e})") from None
    return check_any(data, expected_problem_sha256=expected_problem_sha256, timeout=timeout)


__all__ = ["CRIT", "KIND", "LANGUAGE", "STATEMENTS", "check_any", "check_any_file", "check_attestation",
           "gradient_assertions", "param_names", "render"]
