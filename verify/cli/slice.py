"""``spurious slice PROBLEM --point P [--dirs D.json] [--radius R] [--grid N] [--plot FILE.png] [--json]`` — L on a 2-D
slice around a point (:mod:`numeric.slice`): numeric, a picture, not a proof."""

from __future__ import annotations

import json

from verify.cli.common import EXIT_OK, add_json, add_point, add_problem, count, emit, positive_float


def _witness_directions(problem, point):
    """The exact classification's witnesses (descent direction or curve tangent, ascent direction) when it finds
    them within 10 s; the Hessian's lowest eigenvectors fill what is missing (numeric.slice)."""
    from verify.errors import SpuriousError

    try:
        from verify.certify import classify_point as classify
        from verify.infra.limits import wall_clock_limit

        with wall_clock_limit(10):
            c = classify(problem, point)
    except (SpuriousError, ValueError, ArithmeticError):
        return None, "the Hessian's two lowest eigenvectors"
    down = c.direction if c.direction is not None else (c.curve.coefficients[0] if c.curve is not None else None)
    dirs = [None if d is None or all(float(v) == 0 for v in d) else [float(v) for v in d] for d in (down, c.ascent)]
    if dirs == [None, None]:
        return None, "the Hessian's two lowest eigenvectors"
    names = [n for n, d in zip(("the classification's descent witness", "its ascent witness"), dirs) if d]
    return dirs, " and ".join(names) + ("" if all(dirs) else ", then the Hessian's lowest eigenvector")


def register(sub) -> None:
    s = sub.add_parser("slice", help="the loss on a 2-D slice around a point (numeric; a figure with --plot)",
                       description="L(θ + s·d₁ + t·d₂) on an (s, t) grid. Directions: --dirs, or by default the "
                       "Hessian's two lowest eigenvectors at θ (at a saddle the first descends). Numeric, float64.")
    add_problem(s)
    add_point(s)
    s.add_argument("--dirs", default=None, metavar="FILE",
                   help="JSON file {\"directions\": [d1, d2]} (each a list of the problem's parameters)")
    s.add_argument("--radius", type=positive_float, default=None, help="half-width of the grid in units of the "
                   "normalised directions (default shown as None: max(1, ‖θ‖/2))")
    s.add_argument("--grid", type=count(3, 401), default=61, help="grid points per axis")
    s.add_argument("--plot", default=None, metavar="FILE.png", help="write filled contours of L (matplotlib)")
    add_json(s)
    s.set_defaults(func=run)


def run(args) -> int:
    from verify.errors import InputError
    from verify.problems import load_point, load_problem

    problem = load_problem(args.problem)
    point = load_point(problem, args.point)
    dirs = None
    if args.dirs:
        try:
            obj = json.loads(open(args.dirs, encoding="utf-8").read(1_000_001))
        except (OSError, ValueError) as e:
            raise InputError("--dirs", f"cannot read {args.dirs!r} as JSON: {e}") from None
        dirs = obj.get("directions") if isinstance(obj, dict) else None
        if not (isinstance(dirs, list) and all(isinstance(d, list) and all(isinstance(v, (int, float)) and
                                                                            not isinstance(v, bool) for v in d)
                                                for d in dirs)):
            raise InputError("--dirs", "expected {\"directions\": [[numbers...], [numbers...]]}")
    source = "given"
    if dirs is None:
        dirs, source = _witness_directions(problem, point)
    from numeric.slice import loss_slice, plot_slice

    sl = loss_slice(problem, point, dirs, radius=args.radius, grid=args.grid)
    if args.plot:
        plot_slice(sl, args.plot, f"{problem.describe()}: L on a 2-D slice")
    out = {**sl.to_json(), "plot": args.plot, "directions_from": source}
    if not args.json:
        out.pop("loss")
    eig = "" if sl.eigenvalues is None else f" (Hessian eigenvalues {sl.eigenvalues[0]:.4g}, {sl.eigenvalues[1]:.4g})"
    human = (f"directions: {source}\nslice of L around the point{eig}: {args.grid} × {args.grid} grid, "
             f"radius {sl.s[-1]:.4g}\n"
             f"L(θ) = {sl.centre:.6g}; on the slice min {out['min']:.6g}, max {out['max']:.6g}"
             + (f"\nfigure: {args.plot}" if args.plot else "") + "\n(numeric, float64: a picture, not a proof)")
    emit(args, out, human)
    return EXIT_OK
