"""``spurious shallow PROBLEM [--point POINT] [--out FILE.toml] [--timeout S] --json`` — the shallow problem of a
deep linear net (Lu & Kawaguchi 2017): f(R) = ℓ(R X, Y) over d_y × d_x matrices, rank R ≤ min_i d_i."""

from __future__ import annotations

from verify.cli.common import EXIT_OK, add_json, add_problem, add_timeout, emit


def register(sub) -> None:
    s = sub.add_parser("shallow", help="the shallow problem min ℓ(R X, Y), rank R ≤ r, of a deep linear net",
                       description="Lu & Kawaguchi 2017: an unregularised deep linear net has L(θ) = f(W_H ⋯ W_1) "
                       "with f(R) = ℓ(R X, Y), R of rank at most r = the smallest width. Prints the shallow problem "
                       "(--out writes it as a problem file), r, whether a hidden layer is a bottleneck, whether ℓ is "
                       "convex; with --point, R = W_H ⋯ W_1 and the exact class of θ in the deep problem beside the "
                       "class of R in the shallow one. The claim itself: spurious check PROBLEM --claim "
                       "depth-adds-no-bad-minima.")
    add_problem(s, "deep-linear problem file")
    s.add_argument("--point", default=None, help="a point θ of the deep problem (JSON, as for classify)")
    s.add_argument("--out", default=None, metavar="FILE.toml", help="write the shallow problem to this file")
    add_timeout(s, 120.0, "wall-clock limit on the two classifications")
    add_json(s)
    s.set_defaults(func=run)


def run(args) -> int:
    from verify.errors import InputError, WallClockTimeout
    from verify.exact.shallow import shallow_report
    from verify.infra.limits import wall_clock_limit
    from verify.problems import load_point, load_problem
    from verify.problems.files import problem_to_toml

    problem = load_problem(args.problem)
    point = load_point(problem, args.point) if args.point else None
    try:
        with wall_clock_limit(args.timeout):
            rep = shallow_report(problem, point)
    except WallClockTimeout as e:
        rep = shallow_report(problem)
        rep.note = f"timeout: {e}; the point was not classified"
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as fh:
                fh.write(problem_to_toml(rep.shallow))
        except OSError as e:
            raise InputError("--out", f"cannot write {args.out!r}: {e.strerror or e}") from None
    out = rep.to_json()
    out["out"] = args.out
    d = min(problem.widths[0], problem.widths[-1])
    lines = [f"deep:     {problem.describe()}",
             f"shallow:  f(R) = ℓ(R X, Y), R a {problem.widths[-1]} × {problem.widths[0]} matrix, rank R ≤ "
             f"{rep.rank_bound}" + (f" (a bottleneck: < min(d_x, d_y) = {d})" if rep.bottleneck else
                                    " (no bottleneck: every matrix)"),
             f"loss:     {problem.loss.describe()} ({'convex' if rep.convex else 'not convex'})"]
    if rep.point is not None:
        lines.append(f"R = W_H ⋯ W_1 = {out['point']['R']}")
        if rep.deep_class is not None:
            lines.append(f"θ in the deep problem:    {rep.deep_class.cls.value} ({rep.deep_class.reason})")
            lines.append(f"R in the shallow problem: {rep.shallow_class.cls.value} ({rep.shallow_class.reason})")
    if rep.note:
        lines.append(f"note:     {rep.note}")
    if args.out:
        lines.append(f"shallow problem written to {args.out}")
    lines.append("claim:    spurious check PROBLEM --claim depth-adds-no-bad-minima")
    emit(args, out, "\n".join(lines))
    return EXIT_OK
