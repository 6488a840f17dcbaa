"""Benchmarks of the numeric layer, each against its baseline measured in the same run.

    .venv/bin/python benchmarks/bench_numeric.py [--threads 2] [--batched] [--gflops] [--scaling] [--lanczos]
                                                 [--json benchmarks/bench_numeric.json]

(no section flag: batched + gflops + scaling; --lanczos is opt-in, it takes minutes.)

* batched: Adam steps on B = 1,000 starts at once vs a Python loop over starts (same optimiser, same code,
  B = 1 per call); start-steps per second, and the ratio, as the problem grows. Also the whole search
  (``search(…, method="both")``) batched vs a loop of one-start searches.
* gflops: deep linear nets of width ≥ 64: achieved GFLOP/s of the batched value-and-gradient step, against
  this machine's float64 matmul rate measured in the same run (a large GEMM and a batched GEMM of the
  same shapes).
* lanczos: extreme eigenvalues of the Hessian of a ~1.07M-parameter MLP (784-1024-256-10, tanh, squared
  loss, 256 random samples) by Lanczos vs power iteration (power on H, then on H − λ_d I), both to the
  same accuracy: |λ̂ − λ_ref| ≤ 1e-3·max|λ_ref| for λ_min and λ_max, with λ_ref from a long Lanczos run.
* scaling: time of 50 batched Adam steps as starts, width and depth grow; a log-log figure
  (benchmarks/scaling.png).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from fractions import Fraction as F
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from numeric.hessian import hvp, lanczos  # noqa: E402
from numeric.losses import make_loss, value_and_grad  # noqa: E402
from numeric.optimizers import first_order  # noqa: E402
from numeric.search import initial_points, search  # noqa: E402
from verify.problems import DeepLinear, ReluTeacher, TwoLayer, default_teacher  # noqa: E402

D = torch.float64


def now():
    return time.perf_counter()


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def deep(widths, m=None, seed=0):
    g = torch.Generator().manual_seed(seed)
    m = m or widths[0]
    X = torch.randint(-2, 3, (widths[0], m), generator=g).tolist()
    Y = torch.randint(-2, 3, (widths[-1], m), generator=g).tolist()
    return DeepLinear(widths=tuple(widths), X=tuple(tuple(F(v) for v in r) for r in X),
                      Y=tuple(tuple(F(v) for v in r) for r in Y))


def small_problems():
    two = TwoLayer(n=2, width=3, activation=(F(0), F(0), F(1)), X=((F(1), F(2), F(0), F(-1)), (F(0), F(1), F(1), F(2))),
                   Y=((F(1), F(0), F(2), F(1)),))
    out = [("deep-linear [1,1,1,1]", DeepLinear(widths=(1, 1, 1, 1), X=((F(1),),), Y=((F(1),),))),
           ("two-layer t^2 n=2 p=3", two)]
    for k in (4, 6, 10, 20):
        out.append((f"relu-teacher k=n={k}", ReluTeacher(k=k, n=k, teacher=default_teacher(k, k))))
    return out


def bench_batched(B=1000, K=100, loop_starts=100):
    rows = []
    for name, prob in small_problems():
        L = make_loss(prob, device="cpu")
        x0 = initial_points(L, B, seed=0)
        first_order(L, x0[:8], steps=5, tol=0.0)                       # warm-up
        t = now()
        first_order(L, x0, steps=K, tol=0.0, check_every=K + 1)
        tb = now() - t
        S = min(loop_starts, B)
        t = now()
        for i in range(S):
            first_order(L, x0[i:i + 1], steps=K, tol=0.0, check_every=K + 1)
        tl = now() - t
        rb, rl = B * K / tb, S * K / tl
        rows.append({"problem": name, "N": prob.n_params, "B": B, "steps": K, "batched_s": tb,
                     "batched_start_steps_per_s": rb, "loop_starts_timed": S, "loop_s": tl,
                     "loop_start_steps_per_s": rl, "ratio": rb / rl})
        log(f"batched {name:28s} N={prob.n_params:4d}  batched {rb:10.0f}/s  loop {rl:8.0f}/s  ratio {rb / rl:7.1f}x")
    # the whole search, batched vs a loop of one-start searches (same seeds are not comparable one-to-one;
    # both run the same method and budgets)
    prob = DeepLinear(widths=(1, 1, 1, 1), X=((F(1),),), Y=((F(1),),))
    search(prob, starts=4, method="both")
    t = now()
    search(prob, starts=B, method="both", seed=0)
    tb = now() - t
    S = 20
    t = now()
    for i in range(S):
        search(prob, starts=1, method="both", seed=i)
    tl = now() - t
    e2e = {"problem": "deep-linear [1,1,1,1], search(method=both) incl. classification", "B": B,
           "batched_s": tb, "batched_starts_per_s": B / tb, "loop_starts_timed": S, "loop_s": tl,
           "loop_starts_per_s": S / tl, "ratio": (B / tb) / (S / tl)}
    log(f"end-to-end search: batched {B / tb:.0f} starts/s, loop {S / tl:.1f} starts/s, ratio {e2e['ratio']:.0f}x")
    return {"steps": rows, "end_to_end": e2e}


def matmul_rate():
    n = 1024
    A = torch.randn(n, n, dtype=D)
    Bm = torch.randn(n, n, dtype=D)
    A @ Bm
    reps = 5
    t = now()
    for _ in range(reps):
        A @ Bm
    return 2 * n ** 3 * reps / (now() - t) / 1e9


def bench_gflops(depth=4, B=16):
    peak = matmul_rate()
    log(f"float64 GEMM 1024^3: {peak:.2f} GFLOP/s")
    rows = []
    for w in (64, 128, 256):
        prob = deep([w] * (depth + 1), m=w)
        L = make_loss(prob, device="cpu")
        x = initial_points(L, B, seed=0)
        value_and_grad(L, x)
        reps = max(3, int(2e9 / (6 * depth * w ** 3 * B)))
        t = now()
        for _ in range(reps):
            value_and_grad(L, x)
        dt = (now() - t) / reps
        flops = B * (6 * depth - 2) * w ** 3   # forward 2Hw²m, backward 4Hw²m − 2w²m, with m = w
        # batched GEMM of the same shapes, as a second reference
        Wb = torch.randn(B, w, w, dtype=D)
        Zb = torch.randn(B, w, w, dtype=D)
        torch.bmm(Wb, Zb)
        t = now()
        for _ in range(20):
            torch.bmm(Wb, Zb)
        bmm = 2 * B * w ** 3 * 20 / (now() - t) / 1e9
        g = flops / dt / 1e9
        rows.append({"width": w, "depth": depth, "samples": w, "B": B, "step_s": dt, "gflops": g,
                     "gemm_gflops": peak, "bmm_same_shape_gflops": bmm, "fraction_of_gemm": g / peak,
                     "fraction_of_bmm": g / bmm})
        log(f"width {w:4d} depth {depth}: {g:.2f} GFLOP/s = {100 * g / peak:.0f}% of GEMM, {100 * g / bmm:.0f}% of bmm")
    return rows


def mlp_hvp(seed=0):
    g = torch.Generator().manual_seed(seed)
    sizes = [784, 1024, 256, 10]
    shapes = [(sizes[i + 1], sizes[i]) for i in range(3)]
    N = sum(r * c for r, c in shapes)
    X = torch.randn(256, 784, generator=g, dtype=D)
    Y = torch.randn(256, 10, generator=g, dtype=D)
    theta = torch.cat([torch.randn(r * c, generator=g, dtype=D) / math.sqrt(c) for r, c in shapes])

    def f(th):
        k, h = 0, X
        for i, (r, c) in enumerate(shapes):
            W = th[k:k + r * c].reshape(r, c)
            k += r * c
            h = h @ W.T
            if i < 2:
                h = torch.tanh(h)
        return 0.5 * ((h - Y) ** 2).sum() / X.shape[0]

    return f, theta, N


def bench_lanczos(max_power=1500):
    f, theta, N = mlp_hvp()
    log(f"MLP 784-1024-256-10: {N} parameters")
    op = hvp(f, theta)
    op(torch.randn(N, dtype=D))
    t = now()
    for _ in range(5):
        op(torch.randn(N, dtype=D))
    t_hvp = (now() - t) / 5
    ref = lanczos(op, N, steps=150, seed=1)
    log(f"reference (Lanczos 150 steps): λ_min {ref.lam_min:.6g} (res {ref.res_min:.1e}), "
        f"λ_max {ref.lam_max:.6g} (res {ref.res_max:.1e}); one HVP {t_hvp * 1e3:.0f} ms")
    scale = max(abs(ref.lam_min), abs(ref.lam_max))
    tol = 1e-3 * scale

    def ok(lo, hi):
        return abs(lo - ref.lam_min) <= tol and abs(hi - ref.lam_max) <= tol

    steps = None
    for k in (10, 15, 20, 25, 30, 40, 50, 60, 80, 100):
        r = lanczos(op, N, steps=k, seed=0)
        if ok(r.lam_min, r.lam_max):
            steps = k
            break
    t = now()
    r = lanczos(op, N, steps=steps, seed=0)
    t_lz = now() - t
    # power iteration to the same accuracy, stopping as soon as the Rayleigh quotient is within tol of the reference
    gen = torch.Generator().manual_seed(0)
    used = 0
    t = now()
    hits = {}
    for phase in ("dominant", "shifted"):
        v = torch.randn(N, generator=gen, dtype=D)
        v /= v.norm()
        shift = 0.0 if phase == "dominant" else hits["dominant"]
        target_hi = phase == "dominant" and abs(ref.lam_max) >= abs(ref.lam_min)
        for _ in range(max_power):
            w = op(v) - shift * v
            used += 1
            mu = float(v @ w) + shift
            v = w / w.norm()
            want = (ref.lam_max if target_hi else ref.lam_min) if phase == "dominant" else \
                (ref.lam_min if abs(ref.lam_max) >= abs(ref.lam_min) else ref.lam_max)
            if abs(mu - want) <= tol:
                hits[phase] = mu
                break
        else:
            hits[phase] = mu
            hits[phase + "_unconverged"] = True
    t_pw = now() - t
    converged = not any(k.endswith("_unconverged") for k in hits)
    res = {"N": N, "hvp_ms": t_hvp * 1e3, "ref_lambda_min": ref.lam_min, "ref_lambda_max": ref.lam_max,
           "ref_residuals": [ref.res_min, ref.res_max], "accuracy": tol, "lanczos_steps": steps,
           "lanczos_matvecs": r.matvecs, "lanczos_s": t_lz, "lanczos_residuals": [r.res_min, r.res_max],
           "power_matvecs": used, "power_s": t_pw, "power_converged": converged, "power_cap": max_power,
           "ratio_time": t_pw / t_lz, "ratio_matvecs": used / r.matvecs}
    log(f"Lanczos {steps} steps ({r.matvecs} HVPs) {t_lz:.1f}s; power {used} HVPs {t_pw:.1f}s "
        f"({'converged' if converged else 'NOT converged, capped'}); ratio {t_pw / t_lz:.1f}x")
    return res


def time_steps(prob, B, K=50):
    L = make_loss(prob, device="cpu")
    x0 = initial_points(L, B, seed=0)
    first_order(L, x0, steps=3, tol=0.0)
    t = now()
    first_order(L, x0, steps=K, tol=0.0, check_every=K + 1)
    return (now() - t)


def bench_scaling():
    out = {"starts": [], "width": [], "depth": []}
    rt = ReluTeacher(k=6, n=6, teacher=default_teacher(6, 6))
    for B in (1, 10, 100, 1000, 10000):
        out["starts"].append({"x": B, "s": time_steps(rt, B)})
    for w in (4, 8, 16, 32, 64, 128):
        out["width"].append({"x": w, "s": time_steps(deep([w] * 4, m=w), 100)})
    for H in (2, 4, 8, 16, 32):
        out["depth"].append({"x": H, "s": time_steps(deep([16] * (H + 1), m=16), 100)})
    for k, rows in out.items():
        log(f"scaling in {k}: " + ", ".join(f"{r['x']}→{r['s']:.3f}s" for r in rows))
    return out


def plot(scaling, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    titles = {"starts": "starts B (relu-teacher k=n=6)", "width": "width w (deep linear, depth 3, B=100, m=w)",
              "depth": "depth H (deep linear, width 16, B=100)"}
    for ax, (k, rows) in zip(axes, scaling.items()):
        xs = [r["x"] for r in rows]
        ys = [r["s"] for r in rows]
        ax.loglog(xs, ys, "o-")
        ax.set_xticks(xs, [str(x) for x in xs])
        ax.minorticks_off()
        slope = (math.log(ys[-1]) - math.log(ys[-2])) / (math.log(xs[-1]) - math.log(xs[-2]))
        ax.set_title(f"{titles[k]}\nlast-segment slope {slope:.2f}", fontsize=9)
        ax.set_xlabel(k)
        ax.set_ylabel("seconds for 50 Adam steps")
        ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batched", action="store_true")
    ap.add_argument("--gflops", action="store_true")
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--lanczos", action="store_true")
    ap.add_argument("--json", default=str(ROOT / "benchmarks" / "bench_numeric.json"))
    ap.add_argument("--figure", default=str(ROOT / "benchmarks" / "scaling.png"))
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    if not (a.batched or a.gflops or a.scaling or a.lanczos):
        a.batched = a.gflops = a.scaling = True
    res = {"machine": {"threads": a.threads, "cpus": os.cpu_count(), "torch": torch.__version__,
                       "python": platform.python_version(), "loadavg_start": os.getloadavg()}}
    if a.batched:
        res["batched"] = bench_batched()
    if a.gflops:
        res["gflops"] = bench_gflops()
    if a.scaling:
        res["scaling"] = bench_scaling()
        plot(res["scaling"], a.figure)
    if a.lanczos:
        res["lanczos"] = bench_lanczos()
    res["machine"]["loadavg_end"] = os.getloadavg()
    old = {}
    if os.path.exists(a.json):
        try:
            old = json.loads(Path(a.json).read_text())
        except ValueError:
            old = {}
    old.update(res)
    Path(a.json).write_text(json.dumps(old, indent=1) + "\n")
    print(json.dumps(res))


if __name__ == "__main__":
    main()
