"""The ``spurious`` command line (CONTRACT.md). Every command takes ``--json``.

Exit codes: 0 an answer was produced (``unknown`` included); 2 bad input (message on stderr naming
the field, never a traceback); 3 internal error.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings

from .errors import InputError, SpuriousError
from .verdict import PointClass

EXIT_OK, EXIT_REJECTED, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3  # check-cert alone uses EXIT_REJECTED


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own usage errors: exit 2 with a one-line hint
        self.print_usage(sys.stderr)
        print(f"spurious: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def _emit(args, obj: dict, human: str) -> None:
    if args.json:
        print(json.dumps(obj))
    else:
        print(human)


def cmd_classify(args) -> int:
    from .classify import Classification, classify
    from .problem_file import load_point, load_problem
    from .report import classification_json
    from .timeout import WallClockTimeout, wall_clock_limit

    problem = load_problem(args.problem)
    point = load_point(problem, args.point)
    try:
        with wall_clock_limit(args.timeout):
            c = classify(problem, point)
    except WallClockTimeout as e:
        c = Classification(PointClass.UNKNOWN, None, None, None, f"timeout: {e}; nothing was decided")
    cert_path, note = None, None
    if args.cert:
        from .certify import emit_checked

        cert, note = emit_checked(problem, point, c)
        if cert is not None:
            _write_json(args.cert, cert)
            cert_path = args.cert
        else:
            print(f"spurious: note: {note}; no certificate written", file=sys.stderr)
    out = classification_json(c, certificate=cert_path)
    lines = [f"class:    {out['class']}", f"loss:     {out['loss']}",
             f"gradient: {'zero' if c.gradient_zero else ('non-zero' if c.gradient_zero is False else 'n/a')}",
             f"inertia:  {out['hessian_inertia']} (negative, zero, positive)", f"reason:   {c.reason}"]
    if out["witness"]:
        lines.append(f"witness:  {json.dumps(out['witness'])}")
    if cert_path:
        lines.append(f"certificate: {cert_path} ({note})")
    _emit(args, out, "\n".join(lines))
    return EXIT_OK


def _write_json(path: str, obj: dict) -> None:
    try:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(obj, fh, indent=1)
            fh.write("\n")
    except OSError as e:
        raise InputError("--cert", f"cannot write {path!r}: {e.strerror or e}") from None


def cmd_check_cert(args) -> int:
    import proofs

    expected = None
    if args.problem:
        from .problem_file import load_problem, problem_to_json

        expected = proofs.problem_hash(problem_to_json(load_problem(args.problem)))
    try:
        result = proofs.check_file(args.cert, expected_problem_sha256=expected)
    except proofs.MalformedCertificate as e:
        if args.json:
            print(json.dumps({"verified": False, "claim": None, "reason": f"malformed: {e}", "trust": "none"}))
        print(f"spurious: error: malformed certificate: {e}", file=sys.stderr)
        return EXIT_INPUT
    out = result.to_json()
    _emit(args, out, f"{'VERIFIED' if result.verified else 'REJECTED'}: {result.claim}\n{result.reason}")
    return EXIT_OK if result.verified else EXIT_REJECTED


def cmd_check(args) -> int:
    from .check import AUTO_EXACT_PARAMS, CLAIMS, check_claim
    from .problem_file import load_problem

    problem = load_problem(args.problem)
    if args.timeout <= 0:
        raise InputError("--timeout", f"{args.timeout!r} must be a positive number of seconds")
    backend = args.backend
    if backend == "auto":
        polynomial = problem.kind == "deep-linear" or (problem.kind == "two-layer" and not problem.is_relu)
        backend = "exact" if polynomial and problem.n_params <= AUTO_EXACT_PARAMS else "numeric"
    if backend == "numeric":
        return _check_numeric(args, problem)
    if args.claim not in CLAIMS:
        raise InputError("--claim", f"{args.claim!r}: the exact backend decides {', '.join(CLAIMS)}")
    result = check_claim(problem, args.claim, timeout=args.timeout)
    cert_path = None
    if args.cert and result.certificate is not None:
        _write_json(args.cert, result.certificate)
        cert_path = args.cert
    out = result.to_json(cert_path)
    out["backend"] = f"{result.backend} (chosen by {args.backend})"
    human = [f"{args.claim}: {result.status.value} (trust: {result.trust.value})", f"reason: {result.reason}"]
    if result.witness:
        human.append(f"witness: {json.dumps(result.witness)}")
    if cert_path:
        human.append(f"certificate: {cert_path}")
    _emit(args, out, "\n".join(human))
    return EXIT_OK


def _check_numeric(args, problem) -> int:
    """Numeric multi-start search (evidence); a counterexample candidate is handed to the exact layer."""
    from numeric.bridge import rationalise
    from numeric.search import SearchConfig, search

    from .certify import emit_checked, spurious_certificate
    from .classify import classify
    from .derivatives import MAX_EXACT_PARAMS

    bad = {"no-spurious-local-min": {"spurious-local-min"},
           "strict-saddle": {"spurious-local-min", "non-strict-saddle"}}.get(args.claim)
    if bad is None:
        raise InputError("--claim", f"{args.claim!r} is not decided by the numeric backend in this build")
    method = "both" if problem.n_params <= 512 else "adam"
    res = search(problem, SearchConfig(starts=args.starts, method=method, seed=args.seed))
    suspects = [c for c in res.candidates if c["class"] in bad]
    out = {"claim": args.claim, "status": "evidence", "trust": "numeric", "witness": None, "certificate": None,
           "backend": f"numeric (chosen by {args.backend}; {res.device}, float64)", "starts": args.starts,
           "by_class": res.by_class}
    lowest = min(res.candidates, key=lambda c: c["loss"]) if res.candidates else None
    for c in suspects:
        if problem.n_params > MAX_EXACT_PARAMS:
            break
        point, _ = rationalise(problem, c["params"])
        cls = classify(problem, point)
        cert = None
        if cls.cls.value in bad:
            cert, note = emit_checked(problem, point, cls)
        elif cls.cls.value == "local-min" and lowest is not None:  # numeric says spurious: try the lowest point
            lower, _ = rationalise(problem, lowest["params"])
            cert, note = spurious_certificate(problem, point, cls, lower)
            if cert is not None:
                cls.cls = PointClass.SPURIOUS_LOCAL_MIN
        if cert is not None:
            if args.cert:
                _write_json(args.cert, cert)
                out["certificate"] = args.cert
            out.update(status="refuted", trust="kernel", witness={"point": [str(x) for x in point],
                       "class": cls.cls.value}, reason=f"numeric candidate certified exactly: {note}")
            break
    else:
        if suspects:
            out.update(status="unknown", trust="none",
                       reason=f"{len(suspects)} numeric counterexample candidate(s), none certified exactly")
        else:
            out["reason"] = (f"{args.starts} starts ({method}): no candidate of class {' or '.join(sorted(bad))} "
                             "— numeric evidence, not a proof")
    _emit(args, out, f"{args.claim}: {out['status']} (trust: {out['trust']})\nreason: {out['reason']}")
    return EXIT_OK


def cmd_hunt(args) -> int:
    from .hunt import hunt, stderr_progress

    r = hunt(args.claim, args.family, max_depth=args.max_depth, max_width=args.max_width,
             max_samples=args.max_samples, max_entry=args.max_entry, examples=args.examples, timeout=args.timeout,
             out_dir=args.out, database=None if args.no_db else args.db,
             progress=None if args.quiet else stderr_progress)
    if not args.quiet:
        print(file=sys.stderr)
    out = r.to_json()
    if r.status == "refuted":
        human = (f"{args.claim} on {args.family}: REFUTED after {r.tried} instances; smallest counterexample "
                 f"{json.dumps(r.instance)}\nwitness: {json.dumps(r.witness)}\nproblem: {r.problem_file}\n"
                 f"certificate: {r.certificate}")
    else:
        human = (f"{args.claim} on {args.family}: no counterexample among {r.tried} instances "
                 f"({r.decided} decided, {r.undecided} undecided) — evidence, not a proof")
    _emit(args, out, human)
    return EXIT_OK


def _cmd_critical_points(args) -> int:
    from .enumerate import cmd_critical_points

    return cmd_critical_points(args)


def cmd_demo(args) -> int:
    from .demo import run_demo

    rows = run_demo(args.out)
    if args.json:
        print(json.dumps({"cases": rows, "out_dir": args.out}))
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Kawaguchi's contrast and friends — exact classification")
    for col in ("instance", "class", "inertia (−,0,+)", "loss", "evidence", "literature", "certificate"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["instance"], r["class"], str(tuple(r["hessian_inertia"] or ())), r["loss"] or "",
                      r["reason"], r["expected"], "checked" if r["certificate"] else "—")
    Console(width=170).print(table)
    print(f"problem, point, result and certificate files written to {args.out}/; re-check one with\n"
          f"  spurious check-cert {args.out}/depth3-origin.cert.json")
    return EXIT_OK


def _seconds(text: str) -> float:
    """--timeout: a finite number of seconds (≤ 0: no limit); nan/inf would crash setitimer (exit 3)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of seconds: {text!r}") from None
    if not math.isfinite(value) or value > 1e8:
        raise argparse.ArgumentTypeError(f"{text!r} must be a finite number of seconds ≤ 1e8 (0: no limit)")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="spurious", description="Check claims about loss landscapes of small networks, exactly.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    c = sub.add_parser("classify", help="classify a point of the loss exactly")
    c.add_argument("problem", help="problem file (TOML)")
    c.add_argument("--point", required=True, help="point file (JSON)")
    c.add_argument("--cert", help="write a certificate to this file")
    c.add_argument("--timeout", type=_seconds, default=120.0, help="wall-clock limit in seconds (default 120)")
    c.add_argument("--json", action="store_true", help="print one JSON object")
    c.set_defaults(func=cmd_classify)

    ch = sub.add_parser("check", help="decide a claim about ALL critical points of an instance")
    ch.add_argument("problem", help="problem file (TOML)")
    ch.add_argument("--claim", required=True, choices=["no-spurious-local-min", "strict-saddle", "no-spurious-valley"])
    ch.add_argument("--backend", default="auto", choices=["auto", "exact", "numeric"])
    ch.add_argument("--timeout", type=_seconds, default=60.0, help="total wall-clock limit in seconds (default 60)")
    ch.add_argument("--cert", help="write the certificate (kernel or solver-attested) to this file")
    ch.add_argument("--starts", type=int, default=500, help="numeric backend: number of starts (default 500)")
    ch.add_argument("--seed", type=int, default=0, help="numeric backend: seed")
    ch.add_argument("--json", action="store_true")
    ch.set_defaults(func=cmd_check)

    h = sub.add_parser("hunt", help="search a family of instances for the smallest counterexample to a claim")
    h.add_argument("--claim", required=True, choices=["no-spurious-local-min", "strict-saddle"])
    h.add_argument("--family", required=True, choices=["deep-linear", "two-layer-poly"])
    h.add_argument("--max-depth", type=int, default=3, help="deep-linear: at most this many weight matrices")
    h.add_argument("--max-width", type=int, default=2, help="every width (and input dimension) at most this")
    h.add_argument("--max-samples", type=int, default=2)
    h.add_argument("--max-entry", type=int, default=2, help="data entries are integers in [-E, E]")
    h.add_argument("--examples", type=int, default=60, help="instances to generate (default 60)")
    h.add_argument("--timeout", type=_seconds, default=20.0, help="per-instance solver limit in seconds")
    h.add_argument("--out", default="spurious-out", help="directory for the counterexample's files")
    h.add_argument("--db", default=".spurious-hunt-db", help="hypothesis example database (re-runs start there)")
    h.add_argument("--no-db", action="store_true", help="no database: a deterministic run")
    h.add_argument("--quiet", action="store_true", help="no progress on stderr")
    h.add_argument("--json", action="store_true")
    h.set_defaults(func=cmd_hunt)

    cp = sub.add_parser("critical-points", help="count and classify all critical points (finite critical sets)")
    cp.add_argument("problem", help="problem file (TOML); e.g. a deep linear net with a per-weight regulariser")
    cp.add_argument("--timeout", type=_seconds, default=120.0, help="wall-clock limit in seconds (default 120)")
    cp.add_argument("--json", action="store_true")
    cp.set_defaults(func=_cmd_critical_points)

    k = sub.add_parser("check-cert", help="re-check a certificate with the independent checker (proofs/)")
    k.add_argument("cert", help="certificate file (JSON, proofs/FORMAT.md)")
    k.add_argument("--problem", help="also require the certificate to be about this problem file (TOML)")
    k.add_argument("--json", action="store_true")
    k.set_defaults(func=cmd_check_cert)

    from numeric.commands import register as register_search  # torch is imported only when `search` runs

    register_search(sub)

    d = sub.add_parser("demo", help="Kawaguchi's depth-2 vs depth-3 contrast, classified exactly")
    d.add_argument("--out", default="spurious-out", help="directory for the files it writes")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=cmd_demo)
    return p


def _warn(message, category, filename, lineno, file=None, line=None):
    print(f"spurious: warning: {message}", file=sys.stderr)


def main(argv=None) -> int:
    warnings.showwarning = _warn
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as e:
        print(f"spurious: error: {e}", file=sys.stderr)
        return EXIT_INPUT
    except SpuriousError as e:
        print(f"spurious: internal error: {e}", file=sys.stderr)
        return EXIT_INTERNAL
    except RecursionError:
        print("spurious: error: input nested too deeply", file=sys.stderr)
        return EXIT_INPUT
    except MemoryError:
        print("spurious: error: input too large for memory", file=sys.stderr)
        return EXIT_INPUT
    except Exception as e:  # noqa: BLE001 — the last line of defence: no tracebacks for users
        print(f"spurious: internal error: {type(e).__name__}: {e} (please report)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
