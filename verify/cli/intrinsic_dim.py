"""``spurious intrinsic-dim PROBLEM [--population] --json`` — dim span{σ(w·x)} (Venturi, Bandeira & Bruna 2018)."""

from __future__ import annotations

from verify.cli.common import DEFAULT_TIMEOUT, EXIT_OK, add_json, add_timeout, emit


def register(sub) -> None:
    d = sub.add_parser("intrinsic-dim", help="the intrinsic dimension dim span{σ(w·x)} of a two-layer net, exactly",
                       description="Venturi, Bandeira & Bruna 2018: no spurious valleys once the width reaches "
                       "dim span{x ↦ σ(w·x)}. On the data (default): the exact rank of the span of the vectors "
                       "σ(w·X) in R^m; with --population: as functions on R^n, Σ_{j: c_j ≠ 0} C(n + j − 1, j) for "
                       "σ(t) = Σ_j c_j t^j. For relu on the data the evaluations stop at --timeout, with a certified "
                       "lower bound (status lower-bound) if the rank is not reached.")
    d.add_argument("problem", help="problem file (TOML, CONTRACT.md) of kind = two-layer")
    d.add_argument("--population", action="store_true",
                   help="the dimension as functions on R^n (population risk) instead of on the samples")
    add_timeout(d, DEFAULT_TIMEOUT, "wall-clock limit on the relu evaluations")
    add_json(d)
    d.set_defaults(func=run)


def run(args) -> int:
    from verify.exact.intrinsic import Bound, Source, intrinsic_dimension
    from verify.problems import load_problem

    r = intrinsic_dimension(load_problem(args.problem), population=args.population,
                            timeout=args.timeout)
    out = r.to_json()
    population = r.source is Source.POPULATION
    where = "R^n" if population else f"the {r.samples} samples"
    if r.status is Bound.INFINITE:
        dim = "infinite"
    elif r.status is Bound.LOWER_BOUND:
        dim = f"≥ {r.dimension} (certified lower bound; at most {r.upper_bound})"
    else:
        dim = f"{r.dimension} (exact)"
    reaches = {True: "≥", False: "<", None: "undecided against"}[r.width_reaches]
    lines = [f"intrinsic dimension: {dim}, on {where}",
             f"width:               {r.width} ({reaches} the intrinsic dimension)"]
    if r.terms:
        lines.append(f"{'formula:' if population else 'on R^n:':<21}{r.formula()}")
    lines.append(f"reason:              {r.reason}")
    emit(args, out, "\n".join(lines))
    return EXIT_OK
