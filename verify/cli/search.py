"""``spurious search`` — the numeric layer's command.

    spurious search PROBLEM --starts N [--method adam|gd|newton|both] [--seed S] [--steps K]
                    [--newton-steps K] [--lr LR] [--export-dir DIR] [--threads T] [--progress] --json

prints ONE JSON object on stdout::

    {"status": "evidence", "trust": "numeric", "starts": N, "by_class": {...}, "candidates": [...],
     "backend": "numeric", "device": "cpu"|"cuda", ...}

Bad input raises :class:`verify.errors.InputError` (the CLI maps it to exit code 2). torch is imported only
when the command runs, so registering the command costs nothing.
"""

from __future__ import annotations

import json
import math


def _positive_float(text: str) -> float:
    import argparse

    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: {text!r}") from None
    if not math.isfinite(v) or v <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive finite number")
    return v


def register(subparsers) -> None:
    """Add the ``search`` sub-command to an argparse sub-parsers object."""
    s = subparsers.add_parser("search", help="numeric multi-start search for critical points (evidence only)",
                              description="Batched multi-start search in torch (float64; CUDA when present). "
                              "Classes are candidates, never proofs; export them to certify exactly.")
    s.add_argument("problem", help="problem file (TOML)")
    s.add_argument("--starts", type=int, default=1000, help="number of random starts (default 1000)")
    s.add_argument("--method", default="both", help="adam | gd | newton | both (default both)")
    s.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    s.add_argument("--steps", type=int, default=5000, help="first-order step budget per start (default 5000)")
    s.add_argument("--newton-steps", type=int, default=200, help="Newton iteration budget (default 200)")
    s.add_argument("--lr", type=_positive_float, default=None, help="learning rate (default 0.01)")
    s.add_argument("--export-dir", default=None, help="write rationalised candidate point files here")
    s.add_argument("--export-limit", type=int, default=20, help="at most this many candidates exported (default 20)")
    s.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    s.add_argument("--progress", action="store_true", help="show progress on stderr")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.set_defaults(func=cmd_search)


def cmd_search(args) -> int:
    """Run the search for the parsed ``args``; returns the exit code 0 (an answer was produced)."""
    from verify.errors import InputError
    from verify.problems.files import load_problem

    problem = load_problem(args.problem)
    if args.threads is not None:
        if not 1 <= args.threads <= 1024:
            raise InputError("--threads", f"{args.threads!r} must be between 1 and 1024")
        import torch

        torch.set_num_threads(args.threads)
    if not 0 <= args.export_limit <= 100_000:
        raise InputError("--export-limit", f"{args.export_limit!r} must be between 0 and 100000")
    from numeric.search import search

    result = search(problem, starts=args.starts, method=args.method, seed=args.seed, steps=args.steps,
                    newton_steps=args.newton_steps, lr=args.lr, progress=args.progress)
    manifest = None
    if args.export_dir:
        from numeric.bridge import export_candidates

        manifest = export_candidates(problem, result.candidates, args.export_dir, limit=args.export_limit)
    out = result.to_json(with_points=problem.n_params <= 1000)
    if manifest is not None:
        out["export_dir"] = args.export_dir
        out["exported"] = manifest
    if args.json:
        print(json.dumps(out))
    else:
        print(_human(out))
    return 0


def _human(out: dict) -> str:
    lines = [f"status: {out['status']} (numeric; classes are candidates, not proofs)",
             f"starts: {out['starts']}  method: {out['method']}  runs: {out['runs']}  converged: {out['converged']}  "
             f"device: {out['device']}"]
    for cls, d in sorted(out["by_class"].items()):
        lines.append(f"  {cls:20s} runs {d['runs']:6d}  distinct {d['distinct']:4d}  "
                     f"loss {d['loss_min']:.6g} … {d['loss_max']:.6g}")
    for c in out["candidates"][:10]:
        lines.append(f"  #{c['id']:<3d} {c['class']:20s} L = {c['loss']:.10g}  |∇L| = {c['grad_norm']:.2g}  "
                     f"×{c['count']}")
    if out.get("export_dir"):
        lines.append(f"point files in {out['export_dir']}/ (certify: spurious classify PROBLEM --point FILE)")
    return "\n".join(lines)
