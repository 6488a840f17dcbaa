"""``spurious reproduce NAME [--quick] [--widths 2,4,8,16,32] [--levels 0.1,0.01,0.001] [--pairs N] [--k 6..20]
[--n k|k+1] [--starts N] [--optimiser gd+newton|gd] [--seed S] [--plot FILE.png] [--json]`` — re-run a paper's
experiment and print its table.

One entry of :data:`REPRODUCTIONS` a paper (name → function taking the parsed arguments and returning
(JSON object, human text)); a name not in the table prints one line "not available yet" and exits 0.

``freeman-bruna2017``: :func:`numeric.paths.trend.trend` (the task is stated there): per hidden width and level
L0 = L_min + f·(L(0) − L_min), the fraction of pairs of minima joined by Dynamic String Sampling, the median
beads and the median normalised geodesic length, and the deep linear control. Numeric evidence only: a pair not
joined is ``unknown``, not a proof that its minima lie in different components.

``safran-shamir2018`` (also ``safran-shamir``): :func:`numeric.teacher.reproduce` per k: the fraction of gradient
descent runs (entries N(0, 1/n), step 0.1, until every neuron's gradient norm is < 1e-9) that end with loss ≥ 1e-3,
its Wilson 95% interval, the paper's fraction, and the spurious end points grouped up to permutation of the hidden
units. Numeric evidence only: a run counted spurious ended at a point with a tiny gradient, not a certified minimum.
"""

from __future__ import annotations

import time

from verify.cli.common import EXIT_OK, Progress, add_json, count, emit

QUICK = {"widths": (2, 8, 32), "fractions": (0.1, 0.01, 0.001), "pairs": 4, "starts": 16}
FULL = {"widths": (2, 4, 8, 16, 32), "fractions": (0.1, 0.01, 0.001), "pairs": 16, "starts": 32}
TEACHER_QUICK = {"k": (6, 7, 8, 9, 10), "starts": 200}
TEACHER_FULL = {"k": tuple(range(6, 21)), "starts": 1000}
MAX_K, MAX_STARTS = 40, 100_000


def register(sub) -> None:
    c = sub.add_parser("reproduce", help="re-run a paper's experiment (freeman-bruna2017, safran-shamir2018)",
                       description="Re-run a paper's experiment at a small size and print its table. Available: "
                       + ", ".join(REPRODUCTIONS) + "; other names print \"not available yet\".")
    c.add_argument("name", help="the experiment: " + " | ".join(REPRODUCTIONS) + " (aliases: "
                   + ", ".join(f"{a} = {b}" for a, b in ALIASES.items()) + ")")
    c.add_argument("--quick", action="store_true", help=f"small run (freeman-bruna2017: widths {QUICK['widths']}, "
                   f"{QUICK['pairs']} pairs, {QUICK['starts']} starts; safran-shamir2018: k = "
                   f"{TEACHER_QUICK['k'][0]}..{TEACHER_QUICK['k'][-1]}, {TEACHER_QUICK['starts']} starts; "
                   "under 2 minutes on 2 cores)")
    c.add_argument("--widths", default=None, metavar="W,W,...", help="hidden widths (default: 2,4,8,16,32; "
                   "--quick: 2,8,32)")
    c.add_argument("--levels", default=None, metavar="F,F,...", help="levels as fractions f in (0, 1): L0 = "
                   "L_min + f·(L(0) − L_min) (default: 0.1,0.01,0.001)")
    c.add_argument("--pairs", type=count(1, 10_000), default=None, metavar="N",
                   help="pairs of minima per (width, level) (default: 16; --quick: 4)")
    c.add_argument("--k", default=None, metavar="A..B|K,K,...", help="safran-shamir2018: student widths k, "
                   f"1 ≤ k ≤ {MAX_K} (default: 6..20; --quick: 6..10)")
    c.add_argument("--n", default="k", metavar="k|k+1", help="safran-shamir2018: input dimension n")
    c.add_argument("--starts", default=None, metavar="N", help="safran-shamir2018: runs per k, at most "
                   f"{MAX_STARTS} (default: 1000; --quick: 200)")
    c.add_argument("--optimiser", default="gd+newton", metavar="gd+newton|gd", help="safran-shamir2018: gd+newton "
                   "(GD, step 0.1, then a safeguarded Newton finish) or gd (the paper's plain GD; slower)")
    c.add_argument("--seed", type=count(0, 2 ** 63 - 1), default=0, help="seed of the data, search and strings "
                   "(safran-shamir2018: of the initial points)")
    c.add_argument("--plot", metavar="FILE.png", default=None, help="write the figure (needs matplotlib)")
    c.add_argument("--quiet", action="store_true", help="no progress on stderr")
    add_json(c)
    c.set_defaults(func=run)


def _list(text: str, option: str, kind):
    from verify.errors import InputError

    try:
        values = tuple(kind(t) for t in text.split(",") if t.strip())
    except ValueError:
        raise InputError(option, f"{text!r} must be a comma-separated list of numbers") from None
    if not values:
        raise InputError(option, f"{text!r} is empty")
    return values


def freeman_bruna(args) -> tuple[dict, str]:
    from verify.errors import InputError

    _only(args, "freeman-bruna2017", {"k": None, "n": "k", "starts": None, "optimiser": "gd+newton"})
    cfg = dict(QUICK if args.quick else FULL)
    if args.widths is not None:
        cfg["widths"] = _list(args.widths, "--widths", int)
    if args.levels is not None:
        cfg["fractions"] = _list(args.levels, "--levels", float)
    if args.pairs is not None:
        cfg["pairs"] = args.pairs
    from numeric.paths.trend import linear_rows, plot_trend, trend  # torch: only once the input is read

    shown = None if args.quiet else Progress("reproduce")
    started = time.monotonic()
    names = {"widths": "--widths", "fractions": "--levels", "levels": "--levels", "pairs": "--pairs",
             "seed": "--seed"}
    try:
        rows = linear_rows(cfg["fractions"], seed=args.seed)
        rows += trend(cfg["widths"], cfg["fractions"], pairs=cfg["pairs"], starts=cfg["starts"], seed=args.seed,
                      on_progress=None if shown is None else shown.update)
    except InputError as e:
        raise InputError(names.get(e.field, e.field), e.detail) from None
    finally:
        if shown is not None:
            shown.close()
    if args.plot:
        plot_trend(rows, args.plot)
    seconds = time.monotonic() - started
    out = {"name": "freeman-bruna2017", "status": "evidence", "trust": "numeric", "quick": args.quick,
           "seed": args.seed, "rows": [r.to_json() for r in rows], "plot": args.plot, "seconds": seconds}
    return out, _table(rows, args.plot, seconds)


def _table(rows, plot, seconds) -> str:
    def show(v, fmt, width=0):
        return ("—" if v is None else format(v, fmt)).ljust(width)

    lines = ["Freeman & Bruna 2017: DSS between minima; L0 = L_min + f·(L(0) − L_min)",
             "width    f       L0          minima  pairs  joined  beads  length"]
    for r in rows:
        lines.append(f"{str(r.width):<8} {r.fraction:<7g} {r.level:<11.4g} {r.minima:<7d} {r.pairs:<6d} "
                     f"{show(r.joined, '.2f', 7)} {show(r.median_beads, 'g', 6)} {show(r.median_length, '.3f')}")
    if plot:
        lines.append(f"figure: {plot}")
    lines.append(f"{seconds:.1f} s (numeric evidence; a pair not joined is unknown, not disconnected)")
    return "\n".join(lines)


def _only(args, name: str, defaults: dict) -> None:
    """Another experiment's options were left at their defaults (an option silently ignored would mislead)."""
    from verify.errors import InputError

    for opt, default in defaults.items():
        if getattr(args, opt, default) != default:
            raise InputError(f"--{opt}", f"does not apply to {name}")


def _k_values(text: str) -> tuple[int, ...]:
    """``A..B`` (inclusive) or a comma list, every k in [1, MAX_K]."""
    from verify.errors import InputError

    text = text.strip()
    try:
        if ".." in text:
            a, b = (int(t) for t in text.split("..", 1))
            if b < a:
                raise InputError("--k", f"{text!r}: the range A..B needs A ≤ B")
            values = tuple(range(a, b + 1))
        else:
            values = tuple(int(t) for t in text.split(",") if t.strip())
    except ValueError:
        raise InputError("--k", f"{text!r} must be a range A..B or a comma-separated list of integers") from None
    if not values:
        raise InputError("--k", f"{text!r} is empty")
    for k in values:
        if not 1 <= k <= MAX_K:
            raise InputError("--k", f"k={k} must be between 1 and {MAX_K}")
    return tuple(dict.fromkeys(values))


def safran_shamir(args) -> tuple[dict, str]:
    from verify.errors import InputError

    _only(args, "safran-shamir2018", {"widths": None, "levels": None, "pairs": None})
    cfg = dict(TEACHER_QUICK if args.quick else TEACHER_FULL)
    if args.k is not None:
        cfg["k"] = _k_values(args.k)
    if args.n not in ("k", "k+1"):
        raise InputError("--n", f"{args.n!r} must be k or k+1")
    if args.starts is not None:
        try:
            cfg["starts"] = int(args.starts)
        except ValueError:
            raise InputError("--starts", f"{args.starts!r} must be an integer") from None
        if not 1 <= cfg["starts"] <= MAX_STARTS:
            raise InputError("--starts", f"{cfg['starts']} must be between 1 and {MAX_STARTS}")
    import torch  # only once the input is read

    from numeric.teacher import OPTIMISERS, Protocol, reproduce

    if args.optimiser not in OPTIMISERS:
        raise InputError("--optimiser", f"{args.optimiser!r} must be one of {', '.join(OPTIMISERS)}")
    protocol = Protocol(optimiser=args.optimiser)
    torch.set_num_threads(1)   # small batched matrices: one thread is faster, and far faster on a busy machine
    shown = None if args.quiet else Progress("reproduce")
    started = time.monotonic()
    runs = []
    try:
        for k in cfg["k"]:
            n = k if args.n == "k" else k + 1

            def progress(done, total, k=k, n=n):
                if shown is not None:
                    shown.update(f"k={k} n={n}: {done}/{total} runs finished", None)

            runs.append(reproduce(k, n, starts=cfg["starts"], seed=args.seed, protocol=protocol,
                                  on_progress=progress))
            if shown is not None:
                shown.update(f"k={k} n={n}: {runs[-1].fraction:.3f} spurious ({runs[-1].seconds:.1f} s)", None)
    finally:
        if shown is not None:
            shown.close()
    if args.plot:
        _plot_teacher(runs, args.plot, args.n)
    seconds = time.monotonic() - started
    rows = [r.to_json() for r in runs]
    for row, r in zip(rows, runs):
        row["loss_levels"] = _levels(r)
    out = {"name": "safran-shamir2018", "status": "evidence", "trust": "numeric", "quick": args.quick,
           "seed": args.seed, "n": args.n, "optimiser": protocol.optimiser,
           "protocol": {"init": "N(0, 1/n)", "step": protocol.step, "tol": protocol.tol,
                        "spurious": protocol.spurious, "switch": protocol.switch if protocol.optimiser != "gd"
                        else None}, "rows": rows, "plot": args.plot, "seconds": seconds}
    return out, _teacher_table(rows, protocol, args.plot, seconds)


def _levels(run, top: int = 3) -> list[dict]:
    """Spurious families grouped by loss value (families related by the teacher's symmetry share it)."""
    levels: list[dict] = []
    for f in run.spurious_families():
        for lv in levels:
            if abs(lv["loss"] - f.loss) <= 1e-6 * max(1.0, f.loss):
                lv["runs"] += f.count
                lv["families"] += 1
                break
        else:
            levels.append({"loss": f.loss, "runs": f.count, "families": 1})
    return levels[:top]


def _teacher_table(rows, protocol, plot, seconds) -> str:
    opt = ("GD step 0.1, then a safeguarded Newton finish once every neuron's gradient norm < "
           f"{protocol.switch:g}" if protocol.optimiser == "gd+newton" else "plain GD, step 0.1")
    lines = ["Safran & Shamir 2018: ReLU teacher–student, V = first k basis vectors, entries N(0, 1/n); "
             f"stop when every neuron's gradient norm < {protocol.tol:g}; spurious: loss ≥ {protocol.spurious:g}",
             f"optimiser: {opt}",
             "k    n    starts  spurious  95% CI          paper   families  lowest losses (runs/families)  s"]
    for r in rows:
        paper = "—" if r["paper"] is None else f"{r['paper']:.3f}"
        lv = " ".join(f"{x['loss']:.5f}({x['runs']}/{x['families']})" for x in r["loss_levels"]) or "—"
        lines.append(f"{r['k']:<4d} {r['n']:<4d} {r['starts']:<7d} {r['fraction']:<9.3f} "
                     f"[{r['ci95'][0]:.3f}, {r['ci95'][1]:.3f}]  {paper:<7} {r['families']:<9d} {lv:<30} "
                     f"{r['seconds']:.1f}")
        if r["converged"] < r["starts"]:
            lines.append(f"     ({r['starts'] - r['converged']} runs did not meet the stopping rule within "
                         f"{protocol.max_steps} steps: counted not spurious)")
    if plot:
        lines.append(f"figure: {plot}")
    lines.append(f"{seconds:.1f} s (numeric evidence: spurious end points have a tiny gradient and loss ≥ "
                 f"{protocol.spurious:g}; they are not certified minima)")
    return "\n".join(lines)


def _plot_teacher(runs, path: str, n_rule: str, field: str = "--plot") -> None:
    """Fraction of runs ending at spurious minima against k: ours with Wilson 95% bars, the paper's."""
    from verify.errors import InputError

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise InputError(field, "needs matplotlib (pip install matplotlib)") from None
    fig, ax = plt.subplots(figsize=(6, 4))
    ks = [r.k for r in runs]
    fr = [r.fraction for r in runs]
    ci = [r.interval() for r in runs]
    ax.errorbar(ks, fr, yerr=[[f - lo for f, (lo, _) in zip(fr, ci)], [hi - f for f, (_, hi) in zip(fr, ci)]],
                fmt="o-", capsize=3, label=f"this run ({runs[0].starts} starts, Wilson 95%)")
    paper = [(r.k, r.paper()) for r in runs if r.paper() is not None]
    if paper:
        ax.plot([k for k, _ in paper], [p for _, p in paper], "s--", label="Safran & Shamir 2018")
    ax.set(xlabel="k (student = teacher width)", ylabel="fraction of runs at spurious minima", ylim=(-0.03, 1.03),
           title=f"ReLU teacher–student, n = {n_rule}")
    ax.set_xticks(ks)
    ax.legend(fontsize=8)
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=110)
    except OSError as e:
        raise InputError(field, f"cannot write {path!r}: {e.strerror or e}") from None
    finally:
        plt.close(fig)


REPRODUCTIONS = {"freeman-bruna2017": freeman_bruna, "safran-shamir2018": safran_shamir}
"""Experiment name → function(args) → (JSON object, human text). Issue 14's papers are added here."""


ALIASES = {"safran-shamir": "safran-shamir2018"}


def run(args) -> int:
    args.name = ALIASES.get(args.name, args.name)
    entry = REPRODUCTIONS.get(args.name)
    if entry is None:
        emit(args, {"name": args.name, "available": False, "message": "not available yet"},
             f"{args.name}: not available yet (available: {', '.join(REPRODUCTIONS)})")
        return EXIT_OK
    out, human = entry(args)
    emit(args, out, human)
    return EXIT_OK
