"""``spurious hunt --claim CLAIM --family FAMILY [...] --json`` — the smallest counterexample in a family."""

from __future__ import annotations

import json

from verify.cli.common import EXIT_OK, Progress, add_json, add_timeout, choices_help, count, emit


def register(sub) -> None:
    from verify.claims import CLAIMS
    from verify.run.hunt import FAMILIES

    claims = {name: rec.summary for name, rec in CLAIMS.items() if "exact" in rec.routes}
    h = sub.add_parser("hunt", help="search a family of instances for the smallest counterexample to a claim",
                       description="Generate instances (hypothesis, smallest first), decide the claim on each "
                       "exactly, and shrink the first counterexample. No counterexample is evidence, not a proof.")
    h.add_argument("--claim", required=True, choices=list(claims),
                   help="the claim to refute — " + choices_help(claims))
    h.add_argument("--family", required=True, choices=list(FAMILIES),
                   help="the instance family — " + choices_help(FAMILIES))
    h.add_argument("--max-depth", type=count(1, 10_000), default=3, help="deep-linear: at most this many weights")
    h.add_argument("--max-width", type=count(1, 10_000), default=2, help="every width and input dimension ≤ this")
    h.add_argument("--max-samples", type=count(1, 10_000), default=2, help="at most this many samples (columns)")
    h.add_argument("--max-entry", type=count(1, 10_000), default=2, help="data entries are integers in [-E, E]")
    h.add_argument("--examples", type=count(1, 10_000), default=60, help="instances to generate")
    add_timeout(h, 20.0, "per-instance solver limit")
    h.add_argument("--out", default="spurious-out", help="directory for the counterexample's files")
    h.add_argument("--db", default=".spurious-hunt-db", help="hypothesis example database (re-runs start there)")
    h.add_argument("--no-db", action="store_true", help="no database: a deterministic run that writes no files "
                   "but the counterexample's")
    h.add_argument("--quiet", action="store_true", help="no progress on stderr (by default: a line every few "
                   "seconds, or one updated line on a terminal)")
    add_json(h)
    h.set_defaults(func=run)


def run(args) -> int:
    from verify.run.hunt import hunt
    from verify.verdict import Status

    shown = None if args.quiet else Progress("hunt")

    def progress(stats) -> None:
        shown.update(f"{stats['tried']} instances, {stats['decided']} decided, {stats['undecided']} undecided",
                     stats["tried"] / max(1, stats["examples"]))

    try:
        r = hunt(args.claim, args.family, max_depth=args.max_depth, max_width=args.max_width,
                 max_samples=args.max_samples, max_entry=args.max_entry, examples=args.examples,
                 timeout=args.timeout, out_dir=args.out, database=None if args.no_db else args.db,
                 progress=None if shown is None else progress)
    finally:
        if shown is not None:
            shown.close()
    out = r.to_json()
    if r.status is Status.REFUTED:
        human = (f"{args.claim} on {args.family}: REFUTED after {r.tried} instances; smallest counterexample "
                 f"{json.dumps(r.instance)}\nwitness: {json.dumps(r.witness)}\nproblem: {r.problem_file}\n"
                 f"certificate: {r.certificate}")
    else:
        human = (f"{args.claim} on {args.family}: no counterexample among {r.tried} instances "
                 f"({r.decided} decided, {r.undecided} undecided) — evidence, not a proof")
    emit(args, out, human)
    return EXIT_OK
