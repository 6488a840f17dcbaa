"""Regenerate proofs/library/relu-teacher-k{k}-n{k}-spurious-min.json for k = n = 6 … 12 (seeded, re-runnable).

For each k: the seeded batched gradient descent of Safran & Shamir (2018) (W₀ entries N(0, 1/n), step 0.1; runs
that stay at F ≥ 10⁻³ are polished by Newton) until one spurious strict local minimum is found; it is refined in
256-bit balls and written as a ``spurious-isolated-min`` certificate the kernel verified
(:func:`verify.certify.relu_teacher.spurious_min_certificate`). Prints one Markdown row per file: the minimum's
loss and λ_min(H), the box radius, the search / produce / check seconds and the file size.

    .venv/bin/python benchmarks/make_teacher_certificates.py [--k 6 7 …] [--seed 0] [--out proofs/library]
"""

import argparse
import json
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import proofs  # noqa: E402
from numeric.teacher import find_spurious_minima, flat_hessian  # noqa: E402
from verify.certify.relu_teacher import spurious_min_certificate  # noqa: E402
from verify.problems import ReluTeacher, default_teacher  # noqa: E402

STARTS = {6: 1000, 7: 500}   # spurious runs: ~0.3% at k = 6, 5.5% at k = 7 (Safran & Shamir); 200 above


def make(k: int, seed: int, out: pathlib.Path) -> dict:
    problem = ReluTeacher(k=k, n=k, teacher=default_teacher(k, k))
    d = find_spurious_minima(problem, starts=STARTS.get(k, 200), seed=seed, want=1)
    if not d.minima:
        raise SystemExit(f"k = {k}: no spurious minimum among {d.starts} runs (seed {seed})")
    box = spurious_min_certificate(problem, d.minima[0], timeout=120, hessian=flat_hessian)
    if box.certificate is None:
        raise SystemExit(f"k = {k}: {box.note}")
    cert = box.certificate
    cert["meta"]["source"] = (f"Safran & Shamir 2018, k = n = {k}: a spurious local minimum found by seeded batched "
                              f"gradient descent (seed {seed}, {d.starts} starts), refined by Newton in 256-bit "
                              "balls; benchmarks/make_teacher_certificates.py")
    path = out / f"relu-teacher-k{k}-n{k}-spurious-min.json"
    text = json.dumps(cert, separators=(",", ":"))
    path.write_text(text + "\n")
    t0 = time.perf_counter()
    r = proofs.check_file(path)
    check = time.perf_counter() - t0
    if not r.verified:
        raise SystemExit(f"{path.name}: {r.reason}")
    return {"k": k, "loss": box.loss, "lam": box.lam_min, "radius": box.radius, "search": d.seconds,
            "produce": box.seconds["produce"], "check": check, "bytes": len(text) + 1, "file": path.name}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, nargs="*", default=list(range(6, 13)))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=pathlib.Path, default=ROOT / "proofs" / "library")
    args = ap.parse_args()
    print("| k = n | F at the minimum | λ_min(H) | radius | search s | produce s | check s | size |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k in args.k:
        r = make(k, args.seed, args.out)
        print(f"| {k} | {r['loss']:.6f} | {r['lam']:.4g} | 2^-{r['radius'].denominator.bit_length() - 1} | "
              f"{r['search']:.1f} | {r['produce']:.1f} | {r['check']:.2f} | {r['bytes'] / 1e6:.2f} MB |", flush=True)


if __name__ == "__main__":
    main()
