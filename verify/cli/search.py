"""``spurious search`` — the numeric layer's command.

    spurious search PROBLEM --starts N [--method adam|gd|newton|both] [--seed S] [--steps K]
                    [--newton-steps K] [--lr LR] [--start POINT [--start-scale S]] [--export-dir DIR]
                    [--threads T] [--progress] --json

prints ONE JSON object on stdout::

    {"status": "evidence", "trust": "numeric", "starts": N, "by_class": {...}, "candidates": [...],
     "backend": "numeric", "device": "cpu"|"cuda", ...}

Bad input raises :class:`verify.errors.InputError` (the CLI maps it to exit code 2). torch is imported only
when the command runs, so registering the command costs nothing.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time


def register(subparsers) -> None:
    """Add the ``search`` sub-command to an argparse sub-parsers object."""
    s = subparsers.add_parser("search", help="numeric multi-start search for critical points (evidence only)",
                              description="Batched multi-start search in torch (float64; CUDA when present). "
                              "Classes are candidates, never proofs; export them to certify exactly.")
    from numeric.methods import METHODS
    from verify.cli.common import add_problem, count, positive_float

    add_problem(s)
    s.add_argument("--starts", type=count(1, 10_000_000), default=1000,
                   help="number of starts (random, or around --start)")
    s.add_argument("--method", default="both", choices=METHODS,
                   help="adam: Adam then Newton polish (finds minima); gd: heavy-ball gradient descent then polish; "
                   "newton: Levenberg–Marquardt on ∇L = 0 (critical points of every index); both: adam and newton "
                   "from the same starts")
    s.add_argument("--seed", type=count(0, 2 ** 63 - 1), default=0,
                   help="random seed of the starts and perturbations")
    s.add_argument("--steps", type=count(0, 10_000_000), default=5000, help="first-order step budget per start")
    s.add_argument("--newton-steps", type=count(0, 10_000_000), default=200,
                   help="Newton iteration budget per start")
    s.add_argument("--lr", type=positive_float, default=None, help="learning rate (default: 0.01)")
    s.add_argument("--start", metavar="POINT", default=None,
                   help="start from this point file (JSON, e.g. a trained torch model's weights via "
                   "numeric.from_sequential): the point itself, plus --starts − 1 perturbations of it")
    s.add_argument("--start-scale", type=positive_float, default=1e-2, metavar="S",
                   help="--start: perturbations are the point + N(0, S²) in every coordinate")
    s.add_argument("--export-dir", default=None, help="write rationalised candidate point files here "
                   "(default: none, nothing is written)")
    s.add_argument("--export-limit", type=count(0, 100_000), default=20,
                   help="at most this many candidates exported")
    s.add_argument("--threads", type=count(1, 1024), default=None,
                   help="torch CPU threads (default: torch's choice)")
    s.add_argument("--progress", action="store_true", help="progress on stderr: one updated line on a "
                   "terminal, otherwise a line every few seconds")
    s.add_argument("--plot", default=None, metavar="FILE.png", help="write a figure: a histogram of the runs' final "
                   "loss by class and the Hessian spectra of the lowest candidates (matplotlib)")
    s.add_argument("--json", action="store_true", help="print one JSON object on stdout and nothing else there")
    s.set_defaults(func=cmd_search)


def start_points(point, starts: int, scale: float, seed: int) -> list[list[float]]:
    """``starts`` initial points: ``point`` itself, then ``point + N(0, scale²)`` coordinate-wise (seeded)."""
    import random

    rng = random.Random(seed)
    base = [float(x) for x in point]
    return [base] + [[x + rng.gauss(0.0, scale) for x in base] for _ in range(starts - 1)]


def _start_options(problem, args) -> dict:
    """``search`` keyword arguments for ``--start`` (numeric.search's ``initial``: one row per start)."""
    if args.start is None:
        return {}
    from verify.errors import InputError
    from verify.problems import load_point

    if not 1 <= args.starts <= 100_000:
        raise InputError("--starts", f"{args.starts!r} must be between 1 and 100000 with --start")
    point = load_point(problem, args.start)
    return {"initial": start_points(point, args.starts, args.start_scale, args.seed)}


class _Heartbeat:
    """``--progress`` when stderr is not a terminal: a plain line every ``every`` seconds while the search runs
    (the numeric layer's own display is a rich bar, which draws nothing on a pipe)."""

    def __init__(self, label: str, every: float = 5.0):
        from verify.cli.common import Progress

        self.progress = Progress(label, every=0.0)
        self.every = every
        self.stop = threading.Event()
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self) -> None:
        while not self.stop.wait(self.every):
            self.progress.update(f"running, {time.monotonic() - self.started:.0f} s elapsed")

    def __enter__(self):
        self.progress.update("started")
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.progress.close(f"{'stopped' if exc[0] else 'done'} after {time.monotonic() - self.started:.1f} s")


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
    from contextlib import nullcontext

    from numeric.search import search

    options = _start_options(problem, args)
    on_terminal = args.progress and sys.stderr.isatty()
    with _Heartbeat("search") if args.progress and not on_terminal else nullcontext():
        result = search(problem, starts=args.starts, method=args.method, seed=args.seed, steps=args.steps,
                        newton_steps=args.newton_steps, lr=args.lr, progress=on_terminal, **options)
    manifest = None
    if args.export_dir:
        from numeric.bridge import export_candidates

        manifest = export_candidates(problem, result.candidates, args.export_dir, limit=args.export_limit)
    out = result.to_json(with_points=problem.n_params <= 1000)
    if manifest is not None:
        out["export_dir"] = args.export_dir
        out["exported"] = manifest
    if args.start is not None:
        out["start"] = args.start
    if args.plot:
        from numeric.search_figure import plot_search

        out["plot"] = args.plot
        out["spectra"] = plot_search(result, args.plot)["spectra"]
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
    if out.get("plot"):
        lines.append(f"figure: {out['plot']}")
    if out.get("export_dir"):
        lines.append(f"point files in {os.path.join(out['export_dir'], '')} (certify: spurious classify PROBLEM "
                     "--point FILE)")
    return "\n".join(lines)
