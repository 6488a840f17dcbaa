"""``spurious check-cert CERT [--problem PROBLEM] [--timeout S] [--coq] --json`` — the independent checker (proofs/); a
solver attestation, never verified, is read by :mod:`verify.certify.attestation_check` instead; with ``--coq`` the
certificate is re-checked by Coq (:mod:`verify.certify.coq_check`)."""

from __future__ import annotations

import json
import sys

from verify.cli.common import EXIT_INPUT, add_json, emit, seconds
from verify.problems.canonical import canonical_problem_hash


def register(sub) -> None:
    k = sub.add_parser("check-cert", help="re-check a certificate with the independent checker (proofs/)",
                       description="Exit 0 only when the kernel verified every step; 1 rejected; 2 unreadable or "
                       "malformed, or too large to check in the time limit; 4 a solver attestation (well-formed and "
                       "tied to its problem, not re-checked).")
    k.add_argument("cert", help="certificate file (JSON, proofs/FORMAT.md)")
    k.add_argument("--problem", help="also require the certificate to be about this problem file (TOML; compared "
                   "as the canonical problem, numbers normalised)")
    k.add_argument("--timeout", type=seconds, default=60.0, metavar="S",
                   help="hard wall-clock limit in seconds: the check runs in a child process killed at the limit, "
                   "and a certificate not checked in time is refused (exit 2, \"too large to check in S s\")")
    k.add_argument("--coq", action="store_true",
                   help="re-check with Coq instead (proofs/coq: coqc on a generated file holding only the "
                   "certificate's data, under --timeout; the one-time build of proofs/coq is not counted): VERIFIED "
                   "(Coq) only when coqc accepts; exit 3 for a kind Coq does not cover, 2 when coqc is missing")
    add_json(k)
    k.set_defaults(func=run)


def _check(path: str, pinned: str | None, timeout: float):
    """In the child: the checker's outcome, or why the file could not be checked (picklable either way).

    With ``pinned`` (the canonical hash of the --problem file), the certificate's embedded problem must have the
    same canonical hash (:mod:`verify.problems.canonical`), else ("other", why); when it does, the checker is told
    to expect exactly that embedded problem (its ``problem_hash``), so the file it checks is the one compared."""
    import proofs
    from verify.certify.attestation_check import check_any_file

    try:
        if pinned is None:
            return "ok", check_any_file(path, timeout=timeout)
        embedded = _embedded_problem(path)
        mine = canonical_problem_hash(embedded)
        if mine != pinned:
            return "other", (f"problem: the certificate is about another problem (its canonical problem "
                             f"{mine[:12]}…, the --problem file's {pinned[:12]}…)")
        return "ok", check_any_file(path, expected_problem_sha256=proofs.problem_hash(embedded), timeout=timeout)
    except proofs.MalformedCertificate as e:  # CheckTimeout included: "too large to check in S s"
        return "malformed", str(e)


def _embedded_problem(path: str):
    """The certificate file's ``problem`` value, read within the checker's size limits (proofs.reader.load)."""
    from proofs import MalformedCertificate
    from proofs.reader import MAX_BYTES, load

    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as e:
        raise MalformedCertificate(f"{path}: cannot read ({e.strerror or e})") from None
    obj = load(data)
    if "problem" not in obj:
        raise MalformedCertificate("certificate: missing field 'problem'")
    return obj["problem"]


def run(args) -> int:
    import proofs
    from verify.errors import WallClockTimeout
    from verify.infra.child import run_in_child

    pinned = None
    if args.problem:
        from verify.errors import InputError
        from verify.problems import load_problem

        try:
            pinned = canonical_problem_hash(load_problem(args.problem).to_json())
        except proofs.MalformedCertificate as e:
            raise InputError("--problem", f"the checker cannot read this problem: {e}") from None
    if args.coq:
        return _run_coq(args, pinned)
    try:  # proofs' own limit (SIGALRM) cannot interrupt one long flint call: the child is killed 1 s after it
        status, result = run_in_child(_check, args.cert, pinned, args.timeout, timeout=args.timeout + 1.0,
                                      what="the certificate check")
    except WallClockTimeout:
        status, result = "malformed", f"too large to check in {args.timeout:g} s"
    if status == "other":
        result = proofs.CheckResult(proofs.Outcome.REJECTED, f"certificate {args.cert}", result)
    if status == "malformed":
        message = proofs.printable(result)
        if args.json:
            print(json.dumps({"verified": False, "claim": None, "reason": f"malformed: {message}", "trust": "none",
                              "error": {"field": "certificate", "message": message}}))
        print(f"spurious: error: malformed certificate: {message}", file=sys.stderr)
        return EXIT_INPUT
    emit(args, result.to_json(), result.text())
    return result.outcome.exit_code


def _run_coq(args, pinned: str | None) -> int:
    """``--coq``: :func:`verify.certify.coq_check.check_with_coq`, reported like the Python check (headline
    ``VERIFIED (Coq)``, JSON ``"trust": "coq"``); not covered: exit 3; coqc missing: exit 2."""
    import proofs
    from verify.certify.coq_check import CoqOutcome, check_with_coq

    result = check_with_coq(args.cert, args.timeout, problem_sha256=pinned)
    if result.outcome in (CoqOutcome.VERIFIED, CoqOutcome.REJECTED):
        emit(args, result.to_json(), result.text())
        return result.outcome.exit_code
    message = proofs.printable(result.reason)
    malformed = result.outcome in (CoqOutcome.MALFORMED, CoqOutcome.TIMEOUT)
    if args.json:
        obj = result.to_json() | {"reason": f"malformed: {message}" if malformed else message}
        print(json.dumps(obj | {"error": {"field": result.field, "message": message}}))
    print(f"spurious: error: {'malformed certificate: ' if malformed else ''}{message}", file=sys.stderr)
    return result.outcome.exit_code
