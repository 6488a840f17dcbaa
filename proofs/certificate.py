"""Entry points: read a certificate, check its header, hand the claim to the kernel, report a `CheckResult`.

`check_certificate(cert)` returns an `Outcome` -- VERIFIED (kernel-checked) or REJECTED (a step failed) -- and
raises `MalformedCertificate` for unreadable or ill-formed input, `CheckTimeout` past its wall-clock limit (CLI:
exit 0 / 1 / 2 / 2). A rejection means "this certificate does not prove its claim", never "the claim is false".
ATTESTED (exit 4) is the outcome of verify/certify/attestation_check.py for a solver attestation tied to its problem
(never verified, so not read here: `solver-attested` is an unknown claim kind to the checker).
"""

import dataclasses
import json
import os
import re
import select
import signal
import time
from enum import Enum

from . import reader
from .kernel import KINDS, assemble
from .reader import MAX_BYTES, CheckTimeout, MalformedCertificate, Rejected, bad_if, field, load, need, only, printable

FORMAT = "spurious-certificate"
VERSION = 1
DEFAULT_TIMEOUT = 60.0
_SHA = re.compile(r"[0-9a-f]{64}")


class Outcome(Enum):
    """What a check established: exit_code is the `spurious check-cert` exit status, trust what the outcome rests
    on (CONTRACT.md's vocabulary: the kernel, the named solvers, or nothing), headline the CLI's first word."""

    VERIFIED = ("verified", 0, "kernel", "VERIFIED")
    REJECTED = ("rejected", 1, "none", "REJECTED")
    ATTESTED = ("attested", 4, "solver", "ATTESTED (not verified)")

    def __new__(cls, value, exit_code, trust, headline):
        obj = object.__new__(cls)
        obj._value_, obj.exit_code, obj.trust, obj.headline = value, exit_code, trust, headline
        return obj


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """outcome: VERIFIED only when the kernel checked every step. trust: 'kernel' (verified), 'solver' (attested:
    well-formed and tied to the problem; the answer rests on the named solvers), 'theorem' (a verified theorem instance:
    the kernel's exact arithmetic AND the cited theorem) or 'none' (rejected). reason: the checked steps, or the step
    that failed and why. claim and reason are already escaped (printable)."""

    outcome: Outcome
    claim: str
    reason: str
    trust: str | None = None
    verified: bool = dataclasses.field(init=False)

    def __post_init__(self):
        ok = self.outcome is Outcome.VERIFIED
        for k, v in (("claim", printable(self.claim)), ("reason", printable(self.reason)), ("verified", ok),
                     ("trust", self.trust if ok and self.trust is not None else self.outcome.trust)):
            object.__setattr__(self, k, v)

    @property
    def attested(self):
        return self.outcome is Outcome.ATTESTED

    def to_json(self):
        return {"verified": self.verified, "outcome": self.outcome.value, "trust": self.trust, "claim": self.claim,
                "reason": self.reason}

    def text(self):
        """Human-mode output: 'VERIFIED: <claim>\\n<reason>' ('REJECTED', 'ATTESTED (not verified)')."""
        return f"{self.outcome.headline}: {self.claim}\n{self.reason}"


def _in_child(run, timeout):
    """run() in a forked child that is killed after `timeout` seconds: a hard wall-clock limit even inside one
    uninterruptible flint call, for library callers as for the CLI (no fork, e.g. Windows: no limit). The child
    sends its CheckResult or its MalformedCertificate back as JSON text only."""
    if timeout is None or not hasattr(os, "fork"):
        return run()
    if not 0 < timeout < float("inf"):
        raise ValueError(f"timeout={timeout!r} must be a positive, finite number of seconds")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:   # pragma: no cover - the child
        try:
            os.close(r)
            try:
                msg = ["result", run().to_json()]
            except MalformedCertificate as e:
                msg = ["malformed", str(e)]
            except BaseException as e:   # noqa: BLE001 - reported to the parent, which raises it
                msg = ["error", f"checker error: {type(e).__name__}: {str(e)[:2000]}"]
            with os.fdopen(w, "w", encoding="utf-8") as fh:
                json.dump(msg, fh)
        finally:
            os._exit(0)
    os.close(w)
    deadline, data, poller = time.monotonic() + timeout, b"", select.poll()   # poll: any fd number
    poller.register(r, select.POLLIN)
    try:
        while (left := deadline - time.monotonic()) > 0 and poller.poll(min(left, 3600) * 1000):
            if not (chunk := os.read(r, 1 << 20)):
                break
            data += chunk
        else:
            raise CheckTimeout(f"too large to check in {timeout:g} s (the checker's time limit)")
    finally:
        os.close(r)
        try:   # not yet reaped: kill and reap it (a caller ignoring SIGCHLD has it reaped by the system)
            if os.waitpid(pid, os.WNOHANG) == (0, 0):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    try:
        what, msg = json.loads(data)
    except ValueError:   # no answer, or a partial one: the child died (e.g. out of memory)
        raise CheckTimeout("the check ended without a complete answer (out of memory?): too large to check") from None
    if what != "result":
        raise {"malformed": MalformedCertificate, "error": RuntimeError}[what](msg)
    return CheckResult(Outcome(msg["outcome"]), msg["claim"], msg["reason"], msg["trust"])


def _check(cert, expected_problem_sha256):
    obj = load(cert)
    only(obj, ("format", "version", "claim", "problem", "problem_sha256", "body", "meta"), "certificate")
    bad_if(field(obj, "format", "certificate") != FORMAT, "certificate.format", f"expected {FORMAT!r}")
    bad_if(type(version := field(obj, "version", "certificate")) is not int or version != VERSION,
           "certificate.version", f"version {str(version)[:20]} is not supported (this checker reads {VERSION})")
    claim, body = field(obj, "claim", "certificate"), field(obj, "body", "certificate")
    kind = field(claim, "kind", "claim")
    bad_if(not isinstance(kind, str) or kind not in KINDS, "claim.kind", f"unknown claim kind {str(kind)[:40]!r}")
    bad_if(not isinstance(body, dict), "body", "expected an object")
    bad_if(not isinstance(sha := field(obj, "problem_sha256", "certificate"), str) or _SHA.fullmatch(sha) is None,
           "certificate.problem_sha256", "expected 64 lowercase hex digits")
    P = reader.read_problem(field(obj, "problem", "certificate"))
    ctx = f"[{P.describe()}, problem {P.sha[:12]}]"
    try:
        need(sha == P.sha, "problem_sha256", "{}… does not match the embedded problem ({}…)", sha[:12], P.sha[:12])
        need(expected_problem_sha256 in (None, P.sha), "problem",
             "the certificate is about problem {}…, not the given {}…", P.sha[:12], str(expected_problem_sha256)[:12])
        fact = assemble(P, claim, body)
    except Rejected as e:
        return CheckResult(Outcome.REJECTED, f"{kind} {ctx}", str(e))
    K = KINDS[kind]
    if fact.what != "claim" or fact.about != (kind, sha) + K.key(claim, P.nparams):
        return CheckResult(Outcome.REJECTED, f"{kind} {ctx}", "kernel: the proved fact does not match the header claim")
    return CheckResult(Outcome.VERIFIED, f"{kind}{K.describe(claim)} {ctx}", f"kernel-checked: {fact.note}", K.trust)


def check_certificate(cert, *, expected_problem_sha256=None, timeout=None):
    """Check a certificate (dict, or JSON bytes / str). Returns a CheckResult; raises MalformedCertificate, or
    CheckTimeout (a MalformedCertificate) when it takes longer than `timeout` seconds (None: no limit).

    expected_problem_sha256: when given, the embedded problem's problem_hash must equal it (the CLI's --problem is
    matched by canonical problem in verify/problems/canonical.py, which then pins this hash). `timeout`: a hard
    limit — the check runs in a child process that is killed at the limit (CheckTimeout).
    Example: check_certificate(open("proofs/library/kawaguchi-depth2-origin-strict-saddle.json").read())
    -> CheckResult(outcome=Outcome.VERIFIED, claim='strict-saddle at (0, 0) [...]', reason='kernel-checked: ...')
    """
    return _in_child(lambda: _check(cert, expected_problem_sha256), timeout)


def check_file(path, *, expected_problem_sha256=None, timeout=DEFAULT_TIMEOUT):
    """check_certificate on a file's bytes (at most MAX_BYTES); an unreadable file is MalformedCertificate."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as e:
        raise MalformedCertificate(f"{path}: cannot read ({e.strerror or e})") from None
    return check_certificate(data, expected_problem_sha256=expected_problem_sha256, timeout=timeout)
