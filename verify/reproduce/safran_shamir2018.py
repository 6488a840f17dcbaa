"""Safran & Shamir 2018 (spurious local minima are common in two-layer ReLU networks): for the teacher–student loss
F(W) = ½ E_{x~N(0,I_n)}[(Σ_i relu(w_i·x) − Σ_j relu(v_j·x))²] with the teacher V the first k basis vectors, gradient
descent from entries N(0, 1/n) ends at a spurious local minimum (F ≥ 10⁻³) in a fraction of runs that grows with k
(0.3 % at k = n = 6, 95 % at k = n = 20, their Table 1).

Per k, :func:`numeric.teacher.reproduce` (the protocol is stated there): the fraction of runs that end with F ≥ 1e-3,
its Wilson 95% interval, the paper's fraction, and the spurious end points grouped up to permutation of the hidden
units. The fraction is numeric evidence (a run counted spurious ended at a point with a tiny gradient, not at a
certified minimum); the lowest spurious family of each k is then certified where it can be
(:func:`verify.certify.relu_teacher.spurious_min_certificate`: a ``spurious-isolated-min`` box the kernel checks in
ball arithmetic) — a family that is not certified is ``unknown``, not a proof that it is no minimum.
"""

from __future__ import annotations

import json
import time

from verify.errors import InputError
from verify.reproduce.common import out_dir

CLAIM = ("two-layer ReLU nets, Gaussian input, teacher of width k: spurious local minima exist, and gradient descent "
         "ends at one more often as k grows")
QUICK = {"k": (6, 7, 8, 9, 10), "starts": 200}
FULL = {"k": tuple(range(6, 21)), "starts": 1000}
MAX_K, MAX_STARTS = 40, 100_000


def safran_shamir2018(quick: bool, out=None, on_progress=None, *, k=None, n: str = "k", starts=None, seed: int = 0,
                      optimiser: str = "gd+newton", certify: bool = True, plot=None) -> tuple[dict, str]:
    """``k`` (student widths) and ``starts`` override the quick or full configuration; ``n`` is ``"k"`` or
    ``"k+1"``; the figure goes to ``plot`` if given, else ``DIR/fractions.png``; ``certify``: a certificate for the
    lowest spurious family of each k."""
    cfg = dict(QUICK if quick else FULL)
    if k is not None:
        cfg["k"] = tuple(dict.fromkeys(k))
    if not cfg["k"] or any(not isinstance(x, int) or not 1 <= x <= MAX_K for x in cfg["k"]):
        raise InputError("k", f"{k!r} must be integers between 1 and {MAX_K}")
    if n not in ("k", "k+1"):
        raise InputError("n", f"{n!r} must be k or k+1")
    if starts is not None:
        cfg["starts"] = starts
    if not isinstance(cfg["starts"], int) or not 1 <= cfg["starts"] <= MAX_STARTS:
        raise InputError("starts", f"{cfg['starts']!r} must be an integer between 1 and {MAX_STARTS}")
    from numeric.teacher import OPTIMISERS, Protocol, one_thread, reproduce  # one thread: far faster when busy

    if optimiser not in OPTIMISERS:
        raise InputError("optimiser", f"{optimiser!r} must be one of {', '.join(OPTIMISERS)}")
    protocol = Protocol(optimiser=optimiser)
    started = time.monotonic()
    d = out_dir(out, "safran-shamir2018")
    runs, rows = [], []
    with one_thread():
        for kk in cfg["k"]:
            nn = kk if n == "k" else kk + 1

            def progress(done, total, kk=kk, nn=nn):
                if on_progress:
                    on_progress(f"k={kk} n={nn}: {done}/{total} runs finished", None)

            run = reproduce(kk, nn, starts=cfg["starts"], seed=seed, protocol=protocol, on_progress=progress)
            runs.append(run)
            row = run.to_json()
            row["loss_levels"] = _levels(run)
            row["certified"] = _certify(run, d) if certify else None
            rows.append(row)
            if on_progress:
                on_progress(f"k={kk} n={nn}: {run.fraction:.3f} spurious ({run.seconds:.1f} s)", None)
    figure = str(plot or d / "fractions.png")
    _plot(runs, figure, n, "--plot" if plot else "--out")
    seconds = time.monotonic() - started
    certs = sum(1 for r in rows if r["certified"] and r["certified"]["certificate"])
    obj = {"name": "safran-shamir2018", "claim": CLAIM, "status": "evidence", "trust": "numeric", "quick": quick,
           "seed": seed, "n": n, "optimiser": protocol.optimiser,
           "protocol": {"init": "N(0, 1/n)", "step": protocol.step, "tol": protocol.tol,
                        "spurious": protocol.spurious, "switch": protocol.switch if protocol.optimiser != "gd"
                        else None}, "rows": rows, "plot": plot, "figure": figure, "out": str(d),
           "certificates": certs, "headline": _headline(rows), "seconds": seconds}
    (d / "rows.json").write_text(json.dumps(obj, indent=1) + "\n")
    return obj, _table(rows, protocol, figure, d, seconds)


def _certify(run, d) -> dict | None:
    """The lowest spurious family of ``run`` certified as a spurious minimum, or why not (None: no spurious run)."""
    from numeric.teacher import flat_hessian
    from verify.certify.relu_teacher import spurious_min_certificate
    from verify.errors import WallClockTimeout
    from verify.problems import ReluTeacher

    fams = run.spurious_families()
    if not fams:
        return None
    problem = ReluTeacher.from_dict({"kind": "relu-teacher", "k": run.k, "n": run.n})
    try:
        box = spurious_min_certificate(problem, fams[0].point.flatten().tolist(), timeout=60,
                                       hessian=flat_hessian)
    except WallClockTimeout as e:
        return {"loss": fams[0].loss, "certificate": None, "trust": "none", "reason": str(e)}
    if box.certificate is None:
        return {"loss": fams[0].loss, "certificate": None, "trust": "none", "reason": box.note}
    path = d / "certificates" / f"k{run.k}-n{run.n}-spurious-min.cert.json"
    path.write_text(json.dumps(box.certificate) + "\n")
    return {"loss": box.loss, "certificate": str(path), "trust": "kernel", "reason": box.note}


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


def _headline(rows) -> str:
    fr = ", ".join(f"k={r['k']} {r['fraction']:.3f}" + ("" if r["paper"] is None else f" (paper {r['paper']:.3f})")
                   for r in rows)
    certified = [r["k"] for r in rows if r["certified"] and r["certified"]["certificate"]]
    return (f"evidence (numeric): runs ending spurious {fr}; "
            + (f"no-spurious-local-min refuted (kernel) at k = {', '.join(map(str, certified))}: a spurious minimum "
               "certified" if certified else "no spurious minimum certified"))


def _table(rows, protocol, figure, d, seconds) -> str:
    opt = ("GD step 0.1, then a safeguarded Newton finish once every neuron's gradient norm < "
           f"{protocol.switch:g}" if protocol.optimiser == "gd+newton" else "plain GD, step 0.1")
    lines = ["Safran & Shamir 2018: ReLU teacher–student, V = first k basis vectors, entries N(0, 1/n); "
             f"stop when every neuron's gradient norm < {protocol.tol:g}; spurious: loss ≥ {protocol.spurious:g}",
             f"claim: {CLAIM}", f"optimiser: {opt}",
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
    certified = [r for r in rows if r["certified"]]
    if certified:
        lines.append("lowest spurious family of each k, certified as a spurious local minimum:")
        for r in certified:
            c = r["certified"]
            what = (f"refuted no-spurious-local-min (kernel): F = {c['loss']:.6f}, {c['certificate']}"
                    if c["certificate"] else f"unknown (not certified: {c['reason']})")
            lines.append(f"  k={r['k']} n={r['n']}: {what}")
    lines.append(f"figure: {figure}; rows: {d}/rows.json")
    lines.append(f"{seconds:.1f} s (the fractions are numeric evidence: spurious end points have a tiny gradient "
                 f"and loss ≥ {protocol.spurious:g}; they are not certified minima unless listed as certified)")
    return "\n".join(lines)


def _plot(runs, path: str, n_rule: str, field: str) -> None:
    """Fraction of runs ending at spurious minima against k: ours with Wilson 95% bars, the paper's."""
    from numeric.figure_file import pyplot, save_png

    plt = pyplot(field)
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
    save_png(fig, path, field)
