"""``spurious check-cert FILE --coq``: re-check a certificate with Coq (proofs/coq/theories, Checker.v).

:func:`check_with_coq` reads the file with the checker's own reader (``proofs.reader``: limits, header, embedded
problem, the kind's body parser; malformed → exit 2, as the Python check), decides whether Coq covers it
(``proofs.coq.translate.covered``), computes the hints (:mod:`verify.certify.coq_hints`), writes the instance
file (:func:`proofs.coq.translate.translate`: data only, and ``Theorem verified : <statement>``) and runs
``coqc -R <theories> Spurious`` on it under a hard wall-clock limit (its process group is killed at the limit).
VERIFIED (Coq) — ``trust: "coq"`` — only when coqc accepted the file: the statement (e.g.
``strict_saddle (L pb) th``) is then a Coq theorem about the real loss of Loss.v, resting on Coq's kernel, the
Coq development (Loss.v, Poly1.v, Taylor.v, Checker.v) and the translator (not on the Python kernel).

A rejection (exit 1) means coqc computed the boolean check as false — the certificate does not prove its claim to
Coq — not that the claim is false. Reading, hints and coqc share one limit (``timeout`` seconds); compiling the Coq
library itself (once, ~10 s; into proofs/coq/theories, or a cache copy when that is read-only) has its own.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from enum import Enum
from pathlib import Path

BUILD_TIMEOUT = 900.0
MAX_MEMORY = 6 << 30   # bytes of address space for coqc: 2,000-digit numbers can drive it past 5 GB
INSTALL_HINT = "install Debian's coq packages (apt-get install coq)"
_FALSE = re.compile(r'The term "eq_refl" has type "true = true" while it is expected to have type "(\S+)')


class CoqOutcome(Enum):
    """What the Coq re-check established: value (JSON ``outcome``), CLI exit code, trust, human headline."""

    VERIFIED = ("verified", 0, "coq", "VERIFIED (Coq)")
    REJECTED = ("rejected", 1, "none", "REJECTED")
    MALFORMED = ("malformed", 2, "none", "MALFORMED")
    TIMEOUT = ("timeout", 2, "none", "TOO LARGE")
    UNAVAILABLE = ("unavailable", 2, "none", "NOT CHECKED")
    NOT_COVERED = ("not-covered", 3, "none", "NOT COVERED")

    def __new__(cls, value, exit_code, trust, headline):
        obj = object.__new__(cls)
        obj._value_, obj.exit_code, obj.trust, obj.headline = value, exit_code, trust, headline
        return obj


@dataclasses.dataclass(frozen=True)
class CoqResult:
    """outcome; claim (the certificate's claim as the Python checker describes it, None if unreadable); reason
    (the checked statement, or why not); seconds (reading + hints + coqc, the library build excluded); stderr
    (the tail of coqc's output when it refused the file); field (the field a malformed / uncovered input is
    about)."""

    outcome: CoqOutcome
    claim: str | None
    reason: str
    seconds: float = 0.0
    stderr: str = ""
    field: str = "certificate"

    def __post_init__(self):   # every string shown may echo the certificate: escaped as proofs.printable does
        from proofs import printable

        for k in ("claim", "reason", "stderr"):
            if getattr(self, k) is not None:
                object.__setattr__(self, k, printable(getattr(self, k)))

    @property
    def verified(self) -> bool:
        return self.outcome is CoqOutcome.VERIFIED

    def to_json(self) -> dict:
        out = {"verified": self.verified, "outcome": self.outcome.value, "trust": self.outcome.trust,
               "claim": self.claim, "reason": self.reason, "checker": "coq", "seconds": round(self.seconds, 3)}
        if self.outcome in (CoqOutcome.VERIFIED, CoqOutcome.REJECTED):
            return out | ({"coqc_stderr": self.stderr} if self.stderr else {})
        return out | {"error": {"field": self.field, "message": self.reason}}

    def text(self) -> str:
        return f"{self.outcome.headline}: {self.claim or '(unread certificate)'}\n{self.reason}"


# --------------------------------------------------------------------------- reading (in a child process)
def _read(cert):
    """The certificate as plain JSON (proofs.reader.load: every size / number limit) from a path, bytes or dict."""
    from proofs import MalformedCertificate
    from proofs.reader import MAX_BYTES, load

    if isinstance(cert, (str, os.PathLike)):
        try:
            with open(cert, "rb") as fh:
                cert = fh.read(MAX_BYTES + 1)
        except OSError as e:
            raise MalformedCertificate(f"{cert}: cannot read ({e.strerror or e})") from None
    return load(cert)


def _prepare(cert, pinned=None):
    """("ok", claim, text of the .v file) | (outcome value, claim, reason, field): the checker's reading of the header,
    problem and body (as proofs.certificate does before proving), the --problem pin (``pinned``: a canonical
    problem hash, verify.problems.canonical), then coverage, hints and translation."""
    from proofs import FORMAT, VERSION, MalformedCertificate
    from proofs.coq.translate import COVERED_TEXT, NotCovered, TranslationError, covered, translate
    from proofs.kernel import KINDS
    from proofs.reader import MAX_PARAMS, MAX_SAMPLE_PARAMS, bad, bad_if, field, only, read_problem
    from verify.certify.attestation_check import KIND as ATTESTED
    from verify.certify.attestation_check import check_attestation
    from verify.certify.coq_hints import coq_hints
    from verify.problems.canonical import canonical_problem_hash

    try:
        obj = _read(cert)
        only(obj, ("format", "version", "claim", "problem", "problem_sha256", "body", "meta"), "certificate")
        bad_if(field(obj, "format", "certificate") != FORMAT, "certificate.format", f"expected {FORMAT!r}")
        bad_if(type(v := field(obj, "version", "certificate")) is not int or v != VERSION, "certificate.version",
               f"version {str(v)[:20]} is not supported (this checker reads {VERSION})")
        claim, body = field(obj, "claim", "certificate"), field(obj, "body", "certificate")
        kind = field(claim, "kind", "claim")
        if kind == ATTESTED:   # read by its own reader (malformed: exit 2); never re-checked by Coq
            check_attestation(obj)
            return "not-covered", ATTESTED, f"check-cert --coq: Coq does not cover {ATTESTED} certificates " \
                f"(covered: {COVERED_TEXT})", "claim.kind"
        bad_if(not isinstance(kind, str) or kind not in KINDS, "claim.kind", f"unknown claim kind {str(kind)[:40]!r}")
        bad_if(not isinstance(body, dict), "body", "expected an object")
        sha = field(obj, "problem_sha256", "certificate")
        bad_if(not isinstance(sha, str) or re.fullmatch(r"[0-9a-f]{64}", sha) is None, "certificate.problem_sha256",
               "expected 64 lowercase hex digits")
        P, K = read_problem(field(obj, "problem", "certificate")), KINDS[kind]
        what = f"{kind} [{P.describe()}, problem {P.sha[:12]}]"
        if sha != P.sha:   # the rejections of proofs.certificate, in its order
            return "rejected", what, f"problem_sha256: {sha[:12]}… does not match the embedded problem " \
                f"({P.sha[:12]}…)", ""
        if pinned is not None and (mine := canonical_problem_hash(obj["problem"])) != pinned:
            return "rejected", what, f"problem: the certificate is about another problem (its canonical problem " \
                f"{mine[:12]}…, the --problem file's {pinned[:12]}…)", ""
        if field(body, "kind", "body") != kind:
            return "rejected", what, f"claim: the claim says {kind!r} but the body proves " \
                f"{str(body['kind'])[:40]!r}", ""
        if K.sized and (P.nparams > MAX_PARAMS or P.X is not None and len(P.X[0]) * P.nparams > MAX_SAMPLE_PARAMS):
            bad("problem", f"{P.nparams} parameters: beyond the limits for a {kind} certificate")
        K.parse(P, claim, body)
    except MalformedCertificate as e:
        return "malformed", None, str(e), "certificate"
    what = f"{kind}{K.describe(claim)} [{P.describe()}, problem {P.sha[:12]}]"
    try:
        covered(obj)
        return "ok", what, translate(obj, coq_hints(P, claim, body))
    except NotCovered as e:
        return "not-covered", what, f"check-cert --coq: {e.message}", e.field
    except TranslationError as e:
        return "malformed", what, f"the Coq translator refuses {e}", e.field


# --------------------------------------------------------------------------- coqc
class CoqUnavailable(Exception):
    """coqc is missing, or the Coq library does not build: nothing was decided about the certificate."""


def _limit_memory():   # pragma: no cover - runs in the child between fork and exec
    resource.setrlimit(resource.RLIMIT_AS, (MAX_MEMORY, MAX_MEMORY))


def _run(argv, cwd, timeout):
    """(returncode, output) of argv under hard limits: the whole process group is killed at `timeout` seconds
    (returncode None), and its address space is capped at MAX_MEMORY bytes."""
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors="replace", start_new_session=True, preexec_fn=_limit_memory)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, ""
    finally:
        if proc.poll() is None:   # interrupted (e.g. KeyboardInterrupt): never leave coqc behind
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def theories() -> Path:
    """proofs/coq/theories (the Coq development that the instance files import as ``Spurious``)."""
    import proofs

    return Path(proofs.__file__).resolve().parent / "coq" / "theories"


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "spurious" / "coq"
    try:
        base.mkdir(parents=True, exist_ok=True)
        if os.access(base, os.W_OK):
            return base
    except OSError:
        pass
    base = Path(tempfile.gettempdir()) / f"spurious-coq-{os.getuid()}"
    base.mkdir(parents=True, exist_ok=True)
    return base


def ensure_library(coqc: str, timeout: float = BUILD_TIMEOUT) -> Path:
    """The directory of the compiled library: each .v of proofs/coq/_CoqProject, in its order, compiled again when
    its .vo is missing or older than the .v or than an earlier .vo; in place, or in a cache copy when
    proofs/coq/theories is not writable. Raises CoqUnavailable when a file does not compile."""
    src = theories()
    names = [Path(line.strip()).name for line in (src.parent / "_CoqProject").read_text().splitlines()
             if line.strip().endswith(".v")]
    cache = _cache_dir()
    key = hashlib.sha256(str(src).encode()).hexdigest()[:16]
    target = src if os.access(src, os.W_OK) else cache / f"theories-{key}"
    with open(cache / f"build-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        deadline, newest = time.monotonic() + timeout, 0.0
        for name in names:
            v, vo = target / name, (target / name).with_suffix(".vo")
            if target != src:
                target.mkdir(parents=True, exist_ok=True)
                if not v.exists() or v.read_bytes() != (src / name).read_bytes():
                    shutil.copyfile(src / name, v)
            if not vo.exists() or vo.stat().st_mtime < max(v.stat().st_mtime, newest):
                rc, out = _run([coqc, "-R", str(target), "Spurious", str(v)], target,
                               max(deadline - time.monotonic(), 1.0))
                if rc != 0:
                    why = "timed out" if rc is None else f"failed: {out[-1500:]}"
                    raise CoqUnavailable(f"building the Coq library ({name}) {why}")
            newest = max(newest, vo.stat().st_mtime)
    return target


def _refusal(out: str) -> str:
    """Which computed check was false, from coqc's message."""
    m = _FALSE.search(" ".join(out.split()))
    return {"check_value": "claimed_loss: L(point) is not the claimed loss"}.get(
        m[1] if m else "", f"verified: {m[1] if m else 'the check'} computed false")


def check_with_coq(cert, timeout: float = 60.0, *, problem_sha256: str | None = None, coqc: str | None = None,
                   build_timeout: float = BUILD_TIMEOUT) -> CoqResult:
    """Re-check ``cert`` (a path, JSON bytes / text, or a dict) with Coq under a hard ``timeout`` in seconds.
    ``problem_sha256``: the embedded problem must have this canonical hash (``check-cert --problem``), else
    REJECTED. ``coqc``: the program (default: ``coqc`` on PATH).

    >>> check_with_coq("proofs/library/kawaguchi-depth2-origin-strict-saddle.json").outcome  # doctest: +SKIP
    <CoqOutcome.VERIFIED: 'verified'>
    """
    from verify.errors import WallClockTimeout
    from verify.infra.child import run_in_child

    start = time.monotonic()
    coqc = coqc or shutil.which("coqc")
    if coqc is None:
        return CoqResult(CoqOutcome.UNAVAILABLE, None, f"check-cert --coq: coqc was not found: {INSTALL_HINT}",
                         field="coqc")
    too_large = f"too large to check in {timeout:g} s"
    try:
        prepared = run_in_child(_prepare, cert, problem_sha256, timeout=timeout, what="reading the certificate for Coq")
    except WallClockTimeout:
        return CoqResult(CoqOutcome.TIMEOUT, None, too_large, time.monotonic() - start)
    if prepared[0] != "ok":
        outcome, claim, reason, fld = prepared
        return CoqResult(CoqOutcome(outcome), claim, reason, time.monotonic() - start, field=fld or "certificate")
    _, claim, text = prepared
    used = time.monotonic() - start
    try:
        lib = ensure_library(coqc, build_timeout)
    except (CoqUnavailable, OSError) as e:
        return CoqResult(CoqOutcome.UNAVAILABLE, claim, f"check-cert --coq: {e}", used, field="coqc")
    with tempfile.TemporaryDirectory(prefix="spurious-coq-") as tmp:
        (Path(tmp) / "Certificate.v").write_text(text, encoding="ascii")
        t = time.monotonic()
        rc, out = _run([coqc, "-R", str(lib), "Spurious", "Certificate.v"], tmp, max(timeout - used, 0.01))
        used += time.monotonic() - t
    if rc is None:
        return CoqResult(CoqOutcome.TIMEOUT, claim, too_large, used)
    if rc == 0:
        stated = re.search(r"Theorem verified : (.*)\.\n", text)[1]
        loss = " and claimed_loss" if "claimed_loss" in text else ""
        return CoqResult(CoqOutcome.VERIFIED, claim, f"Coq-checked: coqc accepted `{stated}`{loss} "
                         f"(proofs/coq/theories/Checker.v) in {used:.1f} s", used)
    tail = out[-2000:]
    if _FALSE.search(" ".join(out.split())):
        return CoqResult(CoqOutcome.REJECTED, claim, f"coq: {_refusal(out)}", used, tail)
    if re.search(r"Out of memory|not enough memory|Stack overflow|Cannot allocate", out):
        return CoqResult(CoqOutcome.TIMEOUT, claim, f"too large to check: coqc ran out of memory "
                         f"({MAX_MEMORY / 2 ** 30:g} GiB) after {used:.1f} s", used, tail)
    return CoqResult(CoqOutcome.UNAVAILABLE, claim, f"check-cert --coq: coqc failed on the generated file (no "
                     f"verdict on the certificate): {tail[-600:]}", used, tail, field="coqc")
