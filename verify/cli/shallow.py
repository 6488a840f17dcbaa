"""``spurious shallow PROBLEM [--point POINT] [--out FILE.toml] [--timeout S] --json`` — the shallow problem of a
deep linear net (Lu & Kawaguchi 2017): f(R) = ℓ(R X, Y) over d_y × d_x matrices, rank R ≤ min_i d_i."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

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


@dataclass(frozen=True)
class ShallowReport:
    """What ``spurious shallow`` prints: the shallow problem of a deep-linear instance and, for a point θ, R = π(θ)
    classified exactly in the shallow problem beside θ's own class in the deep one."""

    deep: object
    shallow: object
    rank_bound: int
    bottleneck: bool
    convex: bool
    point: tuple | None = None
    R: tuple | None = None
    deep_class: object = None
    shallow_class: object = None
    note: str = ""

    def to_json(self) -> dict:
        from verify.problems.numbers import fraction_str

        out = {"problem": self.deep.describe(), "shallow": self.shallow.to_json(), "rank_bound": self.rank_bound,
               "bottleneck": self.bottleneck, "loss": self.deep.loss.describe(), "convex": self.convex,
               "polynomial": self.deep.polynomial, "unregularised": self.deep.unregularised}
        if self.point is not None:
            out["point"] = {"R": [fraction_str(x) for x in self.R],
                            "deep": self.deep_class.to_json() if self.deep_class is not None else None,
                            "shallow": self.shallow_class.to_json() if self.shallow_class is not None else None,
                            "note": self.note}
        return out


def shallow_report(problem, point=None) -> ShallowReport:
    """The shallow problem f(R) = ℓ(R X, Y), rank R ≤ r = min_i d_i, of a deep-linear ``problem``; with ``point``,
    R = π(θ) and both classifications (exact; polynomial losses). With a bottleneck (r < min(d_x, d_y)) R's class
    is over ALL matrices: a local minimum there is one of the rank-bounded problem too, anything else says nothing
    about the rank-bounded problem (``note``)."""
    from verify.errors import InputError
    from verify.exact.classify import classify

    shallow = problem.shallow()
    if shallow is None:
        raise InputError("problem", f"the shallow problem is defined for deep linear nets (L = ℓ(W_H ⋯ W_1 X, Y)), "
                         f"not {problem.describe()}")
    if not problem.unregularised:
        raise InputError("reg", "the deep problem is ℓ(W_H ⋯ W_1 X, Y) only without regularisation (reg = 0)")
    r, d = problem.rank_bound, min(len(shallow.X), len(shallow.Y))          # min(d_x, d_y)
    rep = ShallowReport(problem, shallow, r, r < d, problem.loss.convex)
    if point is None:
        return rep
    point = tuple(Fraction(x) for x in point)
    rep = replace(rep, point=point, R=problem.product(point))
    if not problem.polynomial:
        return replace(rep, note=f"the {problem.loss.describe()} loss is not a polynomial: no exact classification")
    rep = replace(rep, deep_class=classify(problem, point), shallow_class=classify(rep.shallow, rep.R))
    if rep.bottleneck:
        rep = replace(rep, note=f"rank bound r = {r} < min(d_x, d_y) = {d}: R is classified over all matrices; a "
                      "local minimum there is one of the rank-bounded problem, other classes say nothing about it")
    return rep


def run(args) -> int:
    from verify.errors import InputError, WallClockTimeout
    from verify.infra.limits import wall_clock_limit
    from verify.problems import load_point, load_problem
    from verify.problems.files import problem_to_toml

    problem = load_problem(args.problem)
    point = load_point(problem, args.point) if args.point else None
    try:
        with wall_clock_limit(args.timeout):
            rep = shallow_report(problem, point)
    except WallClockTimeout as e:
        rep = replace(shallow_report(problem), note=f"timeout: {e}; the point was not classified")
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
