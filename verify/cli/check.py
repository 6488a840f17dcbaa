"""``spurious check PROBLEM --claim CLAIM [--backend auto|exact|numeric] [--timeout S] [--cert FILE] --json``."""

from __future__ import annotations

import json

from verify.cli.common import EXIT_OK, add_json, add_problem, add_timeout, choices_help, count, emit, write_json


def register(sub) -> None:
    from verify.claims import CLAIMS
    from verify.run.check import BACKENDS

    claims = {name: rec.summary + ("" if rec.routes else " (no deciding route in this build: unknown)")
              for name, rec in CLAIMS.items()}
    ch = sub.add_parser("check", help="decide a claim about ALL points of an instance",
                        description="Decide a claim on one instance: proved, refuted (with a witness), unknown, "
                        "or evidence (numeric).")
    add_problem(ch)
    ch.add_argument("--claim", required=True, choices=list(CLAIMS), help="the claim — " + choices_help(claims))
    ch.add_argument("--backend", default="auto", choices=list(BACKENDS),
                    help="exact: z3 over the reals; numeric: multi-start search, candidates certified exactly; "
                    "auto: exact for small polynomial instances, numeric otherwise")
    add_timeout(ch, 60.0, "total wall-clock limit")
    ch.add_argument("--cert", help="write the certificate (kernel-checked or solver-attested) to this file "
                    "(default: none, no file)")
    ch.add_argument("--starts", type=count(1, 10_000_000), default=500, help="numeric backend: number of random starts")
    ch.add_argument("--seed", type=count(0, 2**63 - 1), default=0, help="numeric backend: random seed")
    add_json(ch)
    ch.set_defaults(func=run)


def run(args) -> int:
    from verify.problems import load_problem
    from verify.run.check import decide

    problem = load_problem(args.problem)
    result = decide(problem, args.claim, backend=args.backend, timeout=args.timeout, starts=args.starts,
                    seed=args.seed)
    cert_path = None
    if args.cert and result.certificate is not None:
        write_json(args.cert, result.certificate)
        cert_path = args.cert
    out = result.to_json(cert_path)
    human = [f"{args.claim}: {result.status.value} (trust: {result.trust.value})", f"reason: {result.reason}",
             f"backend: {result.backend}"]
    if result.witness:
        human.append(f"witness: {json.dumps(result.witness)}")
    if cert_path:
        human.append(f"certificate: {cert_path}")
    emit(args, out, "\n".join(human))
    return EXIT_OK
