"""Produce + check time of relu-teacher spurious-isolated-min certificates for k = n = 6, 10, 12, 20 (Markdown).

Per k: the seeded descent until one spurious minimum is found ("search"), the refinement and certificate
construction ("produce": 256-bit Newton, float64 Hessian, Y and M), the kernel's check inside the producer
("check", proofs.check_certificate), and a second, stand-alone check of the written file in a fresh
``check_certificate`` call ("re-check"); the certificate size as compact JSON. One torch thread.

    .venv/bin/python benchmarks/bench_teacher_cert.py [--k 6 10 12 20] [--seed 0] [--json out.json]
"""

import argparse
import json
import os
import pathlib
import platform
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import proofs  # noqa: E402
from numeric.teacher import find_spurious_minima, flat_hessian  # noqa: E402
from verify.certify.relu_teacher import spurious_min_certificate  # noqa: E402
from verify.problems import ReluTeacher, default_teacher  # noqa: E402

STARTS = {6: 1000, 7: 500}


def bench(k: int, seed: int) -> dict:
    problem = ReluTeacher(k=k, n=k, teacher=default_teacher(k, k))
    d = find_spurious_minima(problem, starts=STARTS.get(k, 200 if k < 16 else 16), seed=seed, want=1)
    if not d.minima:
        return {"k": k, "error": f"no spurious minimum among {d.starts} runs"}
    box = spurious_min_certificate(problem, d.minima[0], timeout=300, hessian=flat_hessian)
    if box.certificate is None:
        return {"k": k, "error": box.note}
    text = json.dumps(box.certificate, separators=(",", ":"))
    t0 = time.perf_counter()
    r = proofs.check_certificate(text, timeout=300)
    recheck = time.perf_counter() - t0
    return {"k": k, "params": k * k, "loss": box.loss, "lambda_min": box.lam_min,
            "radius_bits": box.radius.denominator.bit_length() - 1, "search_s": d.seconds,
            "produce_s": box.seconds["produce"], "check_s": box.seconds["check"], "recheck_s": recheck,
            "verified": r.verified, "bytes": len(text)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, nargs="*", default=[6, 10, 12, 20])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=pathlib.Path)
    args = ap.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}")
    print()
    print("| k = n | params | F at the minimum | λ_min(H) | radius | search s | produce s | check s "
          "| produce + check s | re-check s | size |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for k in args.k:
        r = bench(k, args.seed)
        rows.append(r)
        if "error" in r:
            print(f"| {k} | {k * k} | {r['error']} |", flush=True)
            continue
        print(f"| {k} | {r['params']} | {r['loss']:.6f} | {r['lambda_min']:.4g} | 2^-{r['radius_bits']} | "
              f"{r['search_s']:.1f} | {r['produce_s']:.1f} | {r['check_s']:.1f} | "
              f"{r['produce_s'] + r['check_s']:.1f} | {r['recheck_s']:.1f} | {r['bytes'] / 1e6:.2f} MB |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
