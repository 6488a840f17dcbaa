"""Entry points: read a certificate, check its header, hand the claim to the kernel, report a `CheckResult`.

`check_certificate(cert)` returns verified / rejected and raises `MalformedCertificate` for unreadable or
ill-formed input (CLI: exit 0 / 1 / 2). A rejection means "this certificate does not prove its claim",
never "the claim is false".
"""

import re
from dataclasses import dataclass

from .kernel import CLAIM_KINDS, Rejected, assemble
from .reader import MAX_BYTES, MalformedCertificate, bad, field, load, only, read_problem

FORMAT = "spurious-certificate"
VERSION = 1
_HEADER = ("format", "version", "claim", "problem", "problem_sha256", "body", "meta")
_SHA = re.compile(r"[0-9a-f]{64}")
_ANSWERS = ("sat", "unsat")


@dataclass(frozen=True)
class CheckResult:
    """verified: every step checked. trust: 'kernel' (checked here), 'solver' (only well-formedness was
    checked; the answer rests on the named solvers) or 'none' (rejected). reason: the checked steps, or
    the step that failed and why."""

    verified: bool
    claim: str
    reason: str
    trust: str = "none"

    def to_json(self):
        return {"verified": self.verified, "claim": self.claim, "reason": self.reason, "trust": self.trust}


def _short(values, limit=6):
    s = ", ".join(str(v) for v in values[:limit])
    return f"({s}{', …' if len(values) > limit else ''})"


def _text(x, path, limit=10_000):
    if not isinstance(x, str) or not x.strip() or len(x) > limit:
        bad(path, f"expected a non-empty string of at most {limit} characters")
    return x


def _solver_attested(claim, body, P):
    only(claim, ("kind", "statement"), "claim")
    statement = _text(field(claim, "statement", "claim"), "claim.statement", 1000)
    only(body, ("kind", "query", "expected", "solvers"), "body")
    if field(body, "kind", "body") != "solver-attested":
        raise Rejected(f"claim: the claim says 'solver-attested' but the body proves {str(body['kind'])[:40]!r}")
    query = field(body, "query", "body")
    only(query, ("language", "text"), "body.query")
    _text(field(query, "language", "body.query"), "body.query.language", 40)
    _text(field(query, "text", "body.query"), "body.query.text", 1_000_000)
    expected = field(body, "expected", "body")
    if expected not in _ANSWERS:
        bad("body.expected", f"expected one of {_ANSWERS}")
    solvers = field(body, "solvers", "body")
    if not isinstance(solvers, list) or not 1 <= len(solvers) <= 10:
        bad("body.solvers", "expected a list of 1..10 solver records")
    names = []
    for i, s in enumerate(solvers):
        only(s, ("name", "version", "answer"), f"body.solvers[{i}]")
        name = _text(field(s, "name", f"body.solvers[{i}]"), f"body.solvers[{i}].name", 80)
        version = _text(field(s, "version", f"body.solvers[{i}]"), f"body.solvers[{i}].version", 80)
        answer = _text(field(s, "answer", f"body.solvers[{i}]"), f"body.solvers[{i}].answer", 80)
        if answer != expected:
            raise Rejected(f"solver-attested: {name} {version} answered {answer!r}, expected {expected!r}")
        names.append(f"{name} {version}")
    desc = f"solver-attested (not kernel-checked): {statement} [{P.describe()}, problem {P.sha[:12]}]"
    return CheckResult(True, desc, f"solver-attested, not kernel-checked: this checker did not re-run or "
                       f"re-check the query; trust rests on {', '.join(names)} answering {expected!r}", "solver")


def check_certificate(cert, *, expected_problem_sha256=None):
    """Check a certificate (dict, or JSON bytes / str). Returns a CheckResult; raises MalformedCertificate.

    expected_problem_sha256: when given (e.g. the CLI's --problem file), the embedded problem must match it.
    Example: check_certificate(open("proofs/library/kawaguchi-depth2-origin-strict-saddle.json").read())
    -> CheckResult(verified=True, claim='strict-saddle at (0, 0) [...]', reason='kernel-checked: ...')
    """
    obj = load(cert)
    only(obj, _HEADER, "certificate")
    if field(obj, "format", "certificate") != FORMAT:
        bad("certificate.format", f"expected {FORMAT!r}")
    version = field(obj, "version", "certificate")
    if type(version) is not int or version != VERSION:
        bad("certificate.version", f"version {str(version)[:20]} is not supported (this checker reads {VERSION})")
    claim, body = field(obj, "claim", "certificate"), field(obj, "body", "certificate")
    kind = field(claim, "kind", "claim")
    if kind not in CLAIM_KINDS:
        bad("claim.kind", f"unknown claim kind {str(kind)[:40]!r}")
    if not isinstance(body, dict):
        bad("body", "expected an object")
    sha = field(obj, "problem_sha256", "certificate")
    if not isinstance(sha, str) or _SHA.fullmatch(sha) is None:
        bad("certificate.problem_sha256", "expected 64 lowercase hex digits")
    P = read_problem(field(obj, "problem", "certificate"))
    desc = f"{kind} [{P.describe()}, problem {P.sha[:12]}]"
    try:
        if sha != P.sha:
            raise Rejected(f"problem_sha256: {sha[:12]}… does not match the embedded problem ({P.sha[:12]}…)")
        if expected_problem_sha256 is not None and expected_problem_sha256 != P.sha:
            raise Rejected(f"problem: the certificate is about problem {P.sha[:12]}…, not the given "
                           f"{str(expected_problem_sha256)[:12]}…")
        if kind == "solver-attested":
            return _solver_attested(claim, body, P)
        fact, point, radius = assemble(P, claim, body)
    except Rejected as e:
        return CheckResult(False, desc, str(e), "none")
    where = f" in box {_short(point)} ± {_short(radius)}" if radius else f" at {_short(point)}"
    if kind == "isolated-critical-point" and claim["minimum"]:
        where = " (a strict local minimum)" + where
    if fact.what != "claim" or fact.about[0] != kind or fact.about[1] != sha or fact.about[2] != tuple(point):
        return CheckResult(False, desc, "kernel: the proved fact does not match the header claim", "none")
    return CheckResult(True, f"{kind}{where} [{P.describe()}, problem {P.sha[:12]}]",
                       f"kernel-checked: {fact.note}", "kernel")


def check_file(path, *, expected_problem_sha256=None):
    """check_certificate on a file's bytes (at most MAX_BYTES); an unreadable file is MalformedCertificate."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as e:
        raise MalformedCertificate(f"{path}: cannot read ({e.strerror or e})") from None
    return check_certificate(data, expected_problem_sha256=expected_problem_sha256)
