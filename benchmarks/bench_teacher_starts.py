"""Safran & Shamir's protocol (numeric.teacher): starts per second batched vs one start at a time, and plain GD vs
gd+newton from the same initial points.

    .venv/bin/python benchmarks/bench_teacher_starts.py [--speed] [--agreement] [--k 6,10,20] [--agree-k 6..9]
                                                        [--agree-starts 1000] [--json FILE.json]

(no section flag: --speed only; --agreement takes minutes: plain GD is the slow arm.)

* speed: the whole protocol (GD step 0.1, the safeguarded Newton finish, every neuron's gradient norm < 1e-9) on
  B seeded starts in ONE :func:`numeric.teacher.descend` call (converged starts leave the batch), against a Python
  loop of the same function on the first S of the same starts one at a time (B = 1 per call); starts per second and
  the ratio, at k = n = 6, 10, 20, in the same process, one arm after the other. One torch thread.
* agreement: for each k, :func:`numeric.teacher.reproduce` with the paper's plain GD and with gd+newton on the same
  initial points (same seed); how many starts end at the same point up to permutation of the hidden units, each
  arm's spurious fraction, and each arm's seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from numeric.teacher import Protocol, agreement, descend, initial_points, reproduce  # noqa: E402

SIZES = {6: (1000, 40), 10: (1000, 20), 20: (200, 8)}
"""k → (starts in the batched arm, starts in the loop arm)."""


def now():
    return time.perf_counter()


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def bench_speed(ks):
    rows = []
    for k in ks:
        B, S = SIZES.get(k, (200, 8))
        V = torch.eye(k, k, dtype=torch.float64)
        W0 = initial_points(k, k, B, seed=0)
        descend(W0[:2], V)                                         # warm-up
        t = now()
        _, steps, _, conv = descend(W0, V)
        tb = now() - t
        t = now()
        loop_steps = 0
        for i in range(S):
            _, st, _, _ = descend(W0[i:i + 1], V)
            loop_steps += int(st)
        tl = now() - t
        rb, rl = B / tb, S / tl
        assert loop_steps == int(steps[:S].sum())                   # the same runs, start by start
        rows.append({"k": k, "n": k, "batched_starts": B, "batched_s": tb, "batched_starts_per_s": rb,
                     "loop_starts": S, "loop_s": tl, "loop_starts_per_s": rl, "ratio": rb / rl,
                     "converged": int(conv.sum()), "median_gd_steps": int(steps.median())})
        log(f"k={k}: batched {rb:8.2f} starts/s ({B} in {tb:.1f} s)  loop {rl:6.2f} starts/s ({S} in {tl:.1f} s)  "
            f"ratio {rb / rl:.1f}x")
    return rows


def bench_agreement(ks, starts, seed=0):
    rows = []
    for k in ks:
        ours = reproduce(k, k, starts=starts, seed=seed, device="cpu")
        gd = reproduce(k, k, starts=starts, seed=seed, protocol=Protocol(optimiser="gd"), device="cpu")
        same = agreement(ours, gd)
        rows.append({"k": k, "n": k, "starts": starts, "same_minimum": same, "gd_spurious": gd.fraction,
                     "ours_spurious": ours.fraction, "gd_s": gd.seconds, "ours_s": ours.seconds,
                     "gd_median_steps": int(gd.steps.median()), "ours_median_steps": int(ours.steps.median()),
                     "newton_finished": int(ours.by_newton.sum())})
        log(f"k={k}: same {same}/{starts}  spurious gd {gd.fraction:.3f} ours {ours.fraction:.3f}  "
            f"time gd {gd.seconds:.1f} s ours {ours.seconds:.1f} s")
    return rows


def markdown(res) -> str:
    out = []
    if "speed" in res:
        out += ["| k = n | batched starts/s (B) | per-start loop starts/s (S) | ratio |", "|---|---:|---:|---:|"]
        out += [f"| {r['k']} | {r['batched_starts_per_s']:.2f} ({r['batched_starts']}) | "
                f"{r['loop_starts_per_s']:.2f} ({r['loop_starts']}) | {r['ratio']:.1f}× |" for r in res["speed"]]
    if "agreement" in res:
        out += ["", "| k = n | starts | same minimum (plain GD vs gd+newton) | spurious, plain GD | spurious, "
                "gd+newton | plain GD s | gd+newton s |", "|---|---:|---:|---:|---:|---:|---:|"]
        out += [f"| {r['k']} | {r['starts']} | {r['same_minimum']}/{r['starts']} | {r['gd_spurious']:.3f} | "
                f"{r['ours_spurious']:.3f} | {r['gd_s']:.1f} | {r['ours_s']:.1f} |" for r in res["agreement"]]
    return "\n".join(out)


def _ks(text):
    if ".." in text:
        a, b = text.split("..")
        return list(range(int(a), int(b) + 1))
    return [int(t) for t in text.split(",")]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--agreement", action="store_true")
    ap.add_argument("--k", default="6,10,20", help="speed: k = n values")
    ap.add_argument("--agree-k", default="6..9", help="agreement: k = n values")
    ap.add_argument("--agree-starts", type=int, default=1000)
    ap.add_argument("--json", default=None, help="also write the results here (merged into an existing file)")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    if not (a.speed or a.agreement):
        a.speed = True
    res = {"machine": {"threads": 1, "cpus": os.cpu_count(), "torch": torch.__version__,
                       "python": platform.python_version(), "loadavg_start": os.getloadavg()}}
    if a.speed:
        res["speed"] = bench_speed(_ks(a.k))
    if a.agreement:
        res["agreement"] = bench_agreement(_ks(a.agree_k), a.agree_starts)
    res["machine"]["loadavg_end"] = os.getloadavg()
    old = {}
    if a.json and os.path.exists(a.json):
        try:
            old = json.loads(Path(a.json).read_text())
        except ValueError:
            old = {}
    old.update(res)
    if a.json:
        Path(a.json).write_text(json.dumps(old, indent=1) + "\n")
    print(markdown(res))


if __name__ == "__main__":
    main()
