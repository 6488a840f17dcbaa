"""Entry points: read a certificate, check its header, hand the claim to the kernel, report a `CheckResult`.

`check_certificate(cert)` returns an `Outcome` -- VERIFIED (kernel-checked), REJECTED (a step failed) or
ATTESTED (a well-formed solver attestation tied to this problem: nothing was verified) -- and raises
`MalformedCertificate` for unreadable or ill-formed input, `CheckTimeout` past its wall-clock limit
(CLI: exit 0 / 1 / 4 / 2 / 2). A rejection means "this certificate does not prove its claim", never
"the claim is false"; an attestation means "the named solvers said so", never "verified".
"""

import re
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as _dc_field
from enum import Enum

from .kernel import KINDS, Rejected, assemble
from .reader import (
    MAX_BYTES,
    CheckTimeout,
    MalformedCertificate,
    bad,
    canonical_problem_hash,
    field,
    load,
    only,
    printable,
    read_problem,
)

FORMAT = "spurious-certificate"
VERSION = 1
DEFAULT_TIMEOUT = 60.0
_HEADER = ("format", "version", "claim", "problem", "problem_sha256", "body", "meta")
_SHA = re.compile(r"[0-9a-f]{64}")


class Outcome(Enum):
    """What a check established. exit_code: the `spurious check-cert` exit status (CONTRACT.md)."""

    VERIFIED = "verified"
    REJECTED = "rejected"
    ATTESTED = "attested"

    @property
    def exit_code(self):
        return {"verified": 0, "rejected": 1, "attested": 4}[self.value]

    @property
    def headline(self):
        return {"verified": "VERIFIED", "rejected": "REJECTED", "attested": "ATTESTED (not verified)"}[self.value]

    @property
    def trust(self):
        """What the outcome rests on (CONTRACT.md's trust vocabulary): the kernel, the named solvers, or nothing."""
        return {"verified": "kernel", "rejected": "none", "attested": "solver"}[self.value]


@dataclass(frozen=True)
class CheckResult:
    """outcome: VERIFIED only when the kernel checked every step. trust: 'kernel' (verified), 'solver' (attested:
    well-formed and tied to the problem; the answer rests on the named solvers), 'theorem' (a verified theorem instance:
the kernel's exact arithmetic AND the cited theorem) or 'none' (rejected). reason: the
    checked steps, or the step that failed and why. claim and reason are already escaped (printable)."""

    outcome: Outcome
    claim: str
    reason: str
    trust: str | None = None
    verified: bool = _dc_field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "claim", printable(self.claim))
        object.__setattr__(self, "reason", printable(self.reason))
        object.__setattr__(self, "verified", self.outcome is Outcome.VERIFIED)
        if self.trust is None or self.outcome is not Outcome.VERIFIED:
            object.__setattr__(self, "trust", self.outcome.trust)

    @property
    def attested(self):
        return self.outcome is Outcome.ATTESTED

    def to_json(self):
        return {"verified": self.verified, "outcome": self.outcome.value, "trust": self.trust, "claim": self.claim,
                "reason": self.reason}

    def text(self):
        """Human-mode output: 'VERIFIED: <claim>\\n<reason>' ('REJECTED', 'ATTESTED (not verified)')."""
        return f"{self.outcome.headline}: {self.claim}\n{self.reason}"


@contextmanager
def time_limit(seconds):
    """Raise CheckTimeout in the block after `seconds` (SIGALRM / setitimer: a hard limit in the main thread,
    since every flint call returns; in other threads, or for None, no limit). An outer alarm that fires
    sooner is left in charge; one that fires later is re-armed afterwards."""
    if seconds is None or threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer"):
        yield
        return
    if not seconds > 0:
        raise ValueError(f"timeout={seconds!r} must be a positive number of seconds")
    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    if outer and outer <= seconds:
        yield
        return

    def _alarm(signum, frame):
        raise CheckTimeout(f"too large to check in {seconds:g} s (the checker's time limit)")

    old, t0 = signal.signal(signal.SIGALRM, _alarm), time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - t0), 1e-3))


def _check(cert, expected_problem_sha256):
    obj = load(cert)
    only(obj, _HEADER, "certificate")
    if field(obj, "format", "certificate") != FORMAT:
        bad("certificate.format", f"expected {FORMAT!r}")
    version = field(obj, "version", "certificate")
    if type(version) is not int or version != VERSION:
        bad("certificate.version", f"version {str(version)[:20]} is not supported (this checker reads {VERSION})")
    claim, body = field(obj, "claim", "certificate"), field(obj, "body", "certificate")
    kind = field(claim, "kind", "claim")
    if not isinstance(kind, str) or kind not in KINDS:
        bad("claim.kind", f"unknown claim kind {str(kind)[:40]!r}")
    if not isinstance(body, dict):
        bad("body", "expected an object")
    sha = field(obj, "problem_sha256", "certificate")
    if not isinstance(sha, str) or _SHA.fullmatch(sha) is None:
        bad("certificate.problem_sha256", "expected 64 lowercase hex digits")
    problem = field(obj, "problem", "certificate")
    P = read_problem(problem)
    desc = f"{kind} [{P.describe()}, problem {P.sha[:12]}]"
    try:
        if sha != P.sha:
            raise Rejected(f"problem_sha256: {sha[:12]}… does not match the embedded problem ({P.sha[:12]}…)")
        if expected_problem_sha256 is not None and expected_problem_sha256 not in (
                P.sha, canonical_problem_hash(problem)):
            raise Rejected(f"problem: the certificate is about problem {P.sha[:12]}…, not the given "
                           f"{str(expected_problem_sha256)[:12]}…")
        fact = assemble(P, claim, body)
    except Rejected as e:
        return CheckResult(Outcome.REJECTED, desc, str(e))
    K = KINDS[kind]
    want = (kind, sha) + K.key(claim, P.nparams)
    if kind == "solver-attested" and fact.what == "attested" and fact.about == want:
        return CheckResult(Outcome.ATTESTED, f"solver-attested (not kernel-checked): {claim['statement']} "
                           f"[{P.describe()}, problem {P.sha[:12]}]", "solver-attested, not kernel-checked: this "
                           f"checker did not re-run or re-check the query ({fact.note}); trust rests on "
                           f"{', '.join(f'{n} {v}' for n, v, _ in _runs(body))} answering 'unsat'")
    if fact.what != "claim" or fact.about != want:
        return CheckResult(Outcome.REJECTED, desc, "kernel: the proved fact does not match the header claim")
    return CheckResult(Outcome.VERIFIED, f"{kind}{K.describe(claim)} [{P.describe()}, problem {P.sha[:12]}]",
                       f"kernel-checked: {fact.note}", K.trust)


def _runs(body):
    return [(s["name"], s["version"], s["answer"]) for s in body["solvers"]]


def check_certificate(cert, *, expected_problem_sha256=None, timeout=None):
    """Check a certificate (dict, or JSON bytes / str). Returns a CheckResult; raises MalformedCertificate, or
    CheckTimeout (a MalformedCertificate) when it takes longer than `timeout` seconds (None: no limit).

    expected_problem_sha256: when given (e.g. the CLI's --problem file, via canonical_problem_hash), the embedded
    problem must match it (its canonical hash, or its problem_hash).
    Example: check_certificate(open("proofs/library/kawaguchi-depth2-origin-strict-saddle.json").read())
    -> CheckResult(outcome=Outcome.VERIFIED, claim='strict-saddle at (0, 0) [...]', reason='kernel-checked: ...')
    """
    with time_limit(timeout):
        return _check(cert, expected_problem_sha256)


def check_file(path, *, expected_problem_sha256=None, timeout=DEFAULT_TIMEOUT):
    """check_certificate on a file's bytes (at most MAX_BYTES); an unreadable file is MalformedCertificate."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as e:
        raise MalformedCertificate(f"{path}: cannot read ({e.strerror or e})") from None
    return check_certificate(data, expected_problem_sha256=expected_problem_sha256, timeout=timeout)
