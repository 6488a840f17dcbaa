"""``spurious check-cert CERT [--problem PROBLEM] [--timeout S] --json`` — the independent checker (proofs/)."""

from __future__ import annotations

import json
import sys

from verify.cli.common import EXIT_INPUT, add_json, add_timeout, emit


def register(sub) -> None:
    k = sub.add_parser("check-cert", help="re-check a certificate with the independent checker (proofs/)",
                       description="Exit 0 only when the kernel verified every step; 1 rejected; 2 unreadable or "
                       "malformed; 4 a solver attestation (well-formed, not re-checked).")
    k.add_argument("cert", help="certificate file (JSON, proofs/FORMAT.md)")
    k.add_argument("--problem", help="also require the certificate to be about this problem file (TOML; compared "
                   "as the canonical problem, numbers normalised)")
    add_timeout(k, 60.0, "hard wall-clock limit on the check")
    add_json(k)
    k.set_defaults(func=run)


def run(args) -> int:
    import proofs

    expected = None
    if args.problem:
        from verify.problems import load_problem

        expected = proofs.canonical_problem_hash(load_problem(args.problem).to_json())
    try:
        result = proofs.check_file(args.cert, expected_problem_sha256=expected, timeout=args.timeout)
    except proofs.MalformedCertificate as e:  # CheckTimeout included: "too large to check in S s"
        message = proofs.printable(str(e))
        if args.json:
            print(json.dumps({"verified": False, "claim": None, "reason": f"malformed: {message}", "trust": "none",
                              "error": {"field": "certificate", "message": message}}))
        print(f"spurious: error: malformed certificate: {message}", file=sys.stderr)
        return EXIT_INPUT
    emit(args, result.to_json(), result.text())
    return result.outcome.exit_code
