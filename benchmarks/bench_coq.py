"""The Coq re-check (``spurious check-cert --coq``) against the Python kernel, per certificate, as N grows.

For each N (number of parameters) the script builds certificates exactly (Fractions / python-flint; data are
small random rationals, seed 0) and checks each one, side by side in this process, with

* the Python kernel: ``proofs.check_certificate(text)`` in-process (reading, exact loss / gradient / Hessian, rules);
* Coq end to end: ``verify.certify.coq_check.check_with_coq(text)`` (reading in a child process, the hints of
  verify/certify/coq_hints.py, proofs/coq/translate.py, then ``coqc`` on the instance file). The Coq library
  (proofs/coq/theories) is built ONCE before any timing (``ensure_library``); its build is not in any figure;
* coqc alone on the same instance file (``coqc -time``: the Require of the library, and the ``Qed`` of each
  theorem, where the kernel's ``vm_compute`` runs the boolean check), and ``Eval vm_compute in
  (t0 (taylor pb th))`` alone: the Taylor model of the loss (Taylor.v), the part every kind needs.

Certificate families (widths in the table):

* ``local-min``: deep-linear depth 2 at the origin, reg λ = ⌊‖Y Xᵀ‖_F⌋ + 1 > σ_max(Y Xᵀ) (H ≻ 0 there); M from
  the emitter's exact congruence (verify/exact/inertia.py);
* ``strict-saddle``: the same data with λ = 0 at the origin; direction W₁ = e₁e₁ᵀ, W₂ = (C e₁)e₁ᵀ with
  C = Y Xᵀ (vᵀHv = −2‖C e₁‖² < 0), ascent the same with W₁ negated;
* ``non-strict-saddle``: deep-linear depth 3, λ = 0, the origin (H = 0); descent curve t·(e₁e₁ᵀ, e₁e₁ᵀ, (C e₁)e₁ᵀ),
  L − L(0) = −t³‖C e₁‖² + O(t⁶) (odd order: not a local max either);
* ``local-min (non-origin)``: a two-layer net U σ(W x), σ(t) = t + t² + t³, U fixed (2 outputs), W a random
  rational point, Y = U σ(W X) exactly (loss 0) with m = N/2 + 2 samples, so H = JᵀJ ≻ 0: a point whose Hessian
  is dense, unlike the origin's. Once its Coq check times out, larger N of this family are not run.

Every certificate must be VERIFIED by the Python kernel and by Coq (asserted; a Coq check past ``--coq-timeout``
is reported as a miss, "> T s", never as verified).

    .venv/bin/python benchmarks/bench_coq.py [--quick] [--repeat 3] [--coq-timeout 120] [--markdown out.md]
"""

import argparse
import json
import math
import os
import pathlib
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from proofs import check_certificate, problem_hash  # noqa: E402
from proofs.coq.translate import translate  # noqa: E402
from proofs.kernel import hessian  # noqa: E402
from proofs.reader import read_problem  # noqa: E402
from verify.certify.coq_check import CoqOutcome, check_with_coq, ensure_library  # noqa: E402
from verify.certify.coq_hints import coq_hints  # noqa: E402
from verify.exact.inertia import congruence_diagonalise  # noqa: E402

NS = [6, 12, 18, 24, 32, 40, 48, 56, 64]
QUICK = [6, 12, 24]
SAMPLES = 8   # deep-linear samples
DEPTH2 = {6: [2, 2, 1], 12: [2, 3, 2], 18: [3, 3, 3], 24: [3, 4, 3], 32: [4, 4, 4], 40: [4, 5, 4], 48: [4, 6, 4],
          56: [4, 7, 4], 64: [4, 8, 4]}
DEPTH3 = {6: [1, 2, 1, 2], 12: [2, 2, 2, 2], 18: [2, 3, 2, 3], 24: [3, 3, 3, 2], 32: [2, 4, 4, 2], 40: [4, 4, 4, 2],
          48: [4, 4, 4, 4], 56: [4, 4, 5, 4], 64: [4, 4, 6, 4]}
TWO_LAYER = {6: (3, 2), 12: (6, 2), 18: (6, 3), 24: (6, 4), 32: (8, 4), 40: (8, 5), 48: (8, 6), 56: (8, 7),
             64: (8, 8)}   # N -> (inputs n, width p); 2 fixed outputs
KINDS = ["local-min", "strict-saddle", "non-strict-saddle", "local-min (non-origin)"]


# --------------------------------------------------------------------------- certificates
def draw(rng, nonzero=False):
    return Fraction(rng.choice([-4, -3, -2, -1, 1, 2, 3, 4] if nonzero else range(-4, 5)), rng.choice((1, 2, 3, 4)))


def matrix(rng, r, c, nonzero=False):
    return [[draw(rng, nonzero) for _ in range(c)] for _ in range(r)]


def text(A):
    return [[str(x) for x in row] for row in A]


def certificate(problem, kind, point, loss, body):
    return {"format": "spurious-certificate", "version": 1,
            "claim": {"kind": kind, "point": [str(x) for x in point], "loss": str(loss)},
            "problem": problem, "problem_sha256": problem_hash(problem), "body": {"kind": kind, **body}}


def deep_linear(widths, reg, seed):
    """(problem, C = Y Xᵀ, L(0)) for random data with SAMPLES samples."""
    rng = random.Random(seed)
    X, Y = matrix(rng, widths[0], SAMPLES), matrix(rng, widths[-1], SAMPLES)
    C = [[sum(y * x for y, x in zip(yr, xr)) for xr in X] for yr in Y]
    problem = {"kind": "deep-linear", "widths": widths, "X": text(X), "Y": text(Y), "reg": str(reg)}
    return problem, C, sum(y * y for row in Y for y in row) / 2


def unit(r, c, col=None):
    """An r × c matrix, 1 at (0, 0) — or, with col, the column vector col in column 0."""
    return [[(col[i] if col is not None else 1) if j == 0 and (col is not None or i == 0) else 0 for j in range(c)]
            for i in range(r)]


def flat(*mats):
    return [Fraction(x) for A in mats for row in A for x in row]


def local_min(N):
    w = DEPTH2[N]
    _, C, _ = deep_linear(w, 0, N)
    lam = math.floor(math.sqrt(sum(float(c) ** 2 for row in C for c in row))) + 1   # > ‖C‖_F ≥ σ_max(C)
    problem, _, loss0 = deep_linear(w, lam, N)
    H = hessian(read_problem(problem), [Fraction(0)] * N)
    M, D = congruence_diagonalise(H)
    assert all(d > 0 for d in D), "the origin should be a strict local minimum"
    return certificate(problem, "local-min", [0] * N, loss0, {"congruence": text(M)}), f"{w}, λ={lam}"


def strict_saddle(N):
    w = DEPTH2[N]
    problem, C, loss0 = deep_linear(w, 0, N)
    u = [row[0] for row in C]
    W1, W2 = unit(w[1], w[0]), unit(w[2], w[1], u)
    body = {"direction": [str(x) for x in flat(W1, W2)],
            "ascent": {"direction": [str(x) for x in flat([[-x for x in r] for r in W1], W2)]}}
    return certificate(problem, "strict-saddle", [0] * N, loss0, body), f"{w}, λ=0"


def non_strict_saddle(N):
    w = DEPTH3[N]
    problem, C, loss0 = deep_linear(w, 0, N)
    u = [row[0] for row in C]
    curve = flat(unit(w[1], w[0]), unit(w[2], w[1]), unit(w[3], w[2], u))
    M, _ = congruence_diagonalise(hessian(read_problem(problem), [Fraction(0)] * N))
    body = {"congruence": text(M), "descent_curve": [[str(x) for x in curve]]}
    return certificate(problem, "non-strict-saddle", [0] * N, loss0, body), f"{w}, λ=0"


def two_layer_min(N):
    n, p = TWO_LAYER[N]
    m, rng = N // 2 + 2, random.Random(N)
    X, W, U = matrix(rng, n, m), matrix(rng, p, n), matrix(rng, 2, p, nonzero=True)
    hidden = [[(t + t * t + t ** 3) for t in (sum(a * b for a, b in zip(wr, xc)) for xc in zip(*X))] for wr in W]
    Y = [[sum(a * b for a, b in zip(ur, hc)) for hc in zip(*hidden)] for ur in U]
    problem = {"kind": "two-layer", "n": n, "width": p, "activation": {"poly": [0, 1, 1, 1]}, "X": text(X),
               "Y": text(Y), "train_output": False, "output": text(U), "reg": "0"}
    point = flat(W)
    M, D = congruence_diagonalise(hessian(read_problem(problem), point))
    assert all(d > 0 for d in D), "H = JᵀJ should be positive definite"
    return certificate(problem, "local-min", point, 0, {"congruence": text(M)}), f"n={n}, p={p}, m={m}"


BUILDERS = dict(zip(KINDS, [local_min, strict_saddle, non_strict_saddle, two_layer_min]))


# --------------------------------------------------------------------------- timing
def timed(fn, repeat):
    out, times = None, []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return out, times


def coqc_time(coqc, lib, source, timeout):
    """(wall seconds, {"load", "qed", "eval"}: seconds by sentence from ``coqc -time``) or None at the timeout."""
    with tempfile.TemporaryDirectory(prefix="bench-coq-") as tmp:
        (pathlib.Path(tmp) / "Certificate.v").write_text(source, encoding="ascii")
        t = time.perf_counter()
        try:
            proc = subprocess.run([coqc, "-time", "-R", str(lib), "Spurious", "Certificate.v"], cwd=tmp,
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        wall = time.perf_counter() - t
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    parts = {"load": 0.0, "qed": 0.0, "eval": 0.0}
    for label, secs in re.findall(r"^Chars \d+ - \d+ \[(.*?)\] ([0-9.]+) secs", proc.stdout, re.M):
        key = "load" if label.startswith(("From", "Import")) else "qed" if label == "Qed." else \
            "eval" if label.startswith("Eval") else None
        if key:
            parts[key] += float(secs)
    return wall, parts


def hint_digits(hints):
    nums = [hints["mu"]] if "mu" in hints else []
    nums += [x for d, ell in hints.get("terms", []) + hints.get("psd", []) for x in [d, *ell]]
    return max((len(str(abs(Fraction(x).numerator))) for x in nums), default=0)


def measure(kind, N, args, coqc, lib):
    cert, shape = BUILDERS[kind](N)
    data = json.dumps(cert).encode()
    res, py = timed(lambda: check_certificate(data), args.repeat)
    assert res.verified, f"{kind} N={N}: the Python kernel says {res.outcome}: {res.reason}"
    hints, ht = timed(lambda: coq_hints(read_problem(cert["problem"]), cert["claim"], cert["body"]), 1)
    source = translate(cert, hints)
    row = {"N": N, "kind": kind, "shape": shape, "bytes": len(data), "python": py, "hints": ht[0],
           "hint_digits": hint_digits(hints), "load": os.getloadavg()[0]}
    coq, times = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        r = check_with_coq(data, timeout=args.coq_timeout)
        times.append(time.perf_counter() - t)
        coq.append(r.seconds)
        if r.outcome is CoqOutcome.TIMEOUT:
            row["timeout"] = True
            return row
        assert r.verified, f"{kind} N={N}: Coq says {r.outcome}: {r.reason} {r.stderr[-600:]}"
        if times[-1] > 2 * args.coq_timeout / 3:   # one slow run says enough
            break
    row |= {"coq": times, "coq_seconds": coq}
    alone = [a for a in (coqc_time(coqc, lib, source, args.coq_timeout) for _ in times) if a is not None]
    assert alone, f"{kind} N={N}: coqc alone timed out where check_with_coq did not"
    row["coqc"], row["parts"] = [a[0] for a in alone], min(alone, key=lambda a: a[0])[1]
    defs = "\n".join(line for line in source.splitlines() if line.startswith(("From", "Import", "Definition")))
    taylor = coqc_time(coqc, lib, defs + "\nEval vm_compute in (t0 (taylor pb th)).\n", args.coq_timeout)
    row["taylor"] = taylor[1]["eval"]
    return row


# --------------------------------------------------------------------------- output
HEADER = ["N", "certificate", "shape", "Python best / median", "Coq end to end best / median", "coqc alone",
          "of which Require / Qed", "Taylor model alone", "hints (Python)", "hint digits", "Coq / Python", "load"]


def cells(r):
    s = lambda x: f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 10 else f"{x:.1f}"  # noqa: E731
    py = f"{s(min(r['python']))} / {s(statistics.median(r['python']))}"
    head = [str(r["N"]), r["kind"], r["shape"], py]
    if r.get("timeout"):
        return head + [f"**> {r['timeout_at']:g} s (timeout)**"] + ["—"] * 4 + [s(r["hints"]), str(r["hint_digits"]),
                                                                           "—", f"{r['load']:.2f}"]
    c = f"{s(min(r['coq']))} / {s(statistics.median(r['coq']))}"
    return head + [c, s(min(r["coqc"])), f"{s(r['parts']['load'])} / {s(r['parts']['qed'])}", s(r["taylor"]),
                   s(r["hints"]), str(r["hint_digits"]), f"{min(r['coq']) / min(r['python']):,.0f}×",
                   f"{r['load']:.2f}"]


def markdown(rows):
    out = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---:" if i in (0, 3, 4, 5, 6, 7, 8, 9, 10, 11) else "---"
                                                          for i in range(len(HEADER))) + "|"]
    return "\n".join(out + ["| " + " | ".join(cells(r)) + " |" for r in rows]) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help=f"N in {QUICK} only")
    ap.add_argument("--repeat", type=int, default=3, help="runs per checker and certificate (best and median)")
    ap.add_argument("--coq-timeout", type=float, default=120.0, help="seconds for one Coq check")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated subset of: " + ", ".join(KINDS))
    ap.add_argument("--markdown", metavar="FILE", help="also write the table as markdown to FILE")
    args = ap.parse_args()
    coqc = shutil.which("coqc")
    if coqc is None:
        sys.exit("coqc not found (apt-get install coq)")
    t = time.perf_counter()
    lib = ensure_library(coqc)
    version = subprocess.run([coqc, "--print-version"], capture_output=True, text=True).stdout.split()[0]
    print(f"Coq library {lib} built (or up to date) in {time.perf_counter() - t:.1f} s, before any timing")
    start_load = os.getloadavg()
    print(f"python {platform.python_version()}, coqc {version}, {os.cpu_count()} CPUs, "
          f"load average at start {start_load[0]:.2f} / {start_load[1]:.2f} / {start_load[2]:.2f}")
    kinds = [k.strip() for k in args.kinds.split(",")]
    rows, stopped = [], set()
    for N in QUICK if args.quick else NS:
        for kind in kinds:
            if kind in stopped:
                continue
            r = measure(kind, N, args, coqc, lib)
            r["timeout_at"] = args.coq_timeout
            rows.append(r)
            print(" | ".join(cells(r)), flush=True)
            if r.get("timeout"):
                stopped.add(kind)
                print(f"  ({kind}: Coq timed out at N = {N}; larger N of this kind are not run)")
    end_load = os.getloadavg()
    print(f"load average at end {end_load[0]:.2f} / {end_load[1]:.2f} / {end_load[2]:.2f}")
    print()
    print(markdown(rows))
    if args.markdown:
        note = (f"\npython {platform.python_version()}, coqc {version}, {os.cpu_count()} CPUs; load average (1 min) "
                f"{start_load[0]:.2f} at start, {end_load[0]:.2f} at end; times in seconds, best and median of "
                f"{args.repeat}.\n")
        pathlib.Path(args.markdown).write_text(markdown(rows) + note)


if __name__ == "__main__":
    main()
