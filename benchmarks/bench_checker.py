"""Certificates checked per second by proofs/ on the stored library, beside two baselines run in the same
process on the same certificates:

* floor    -- json.loads of the certificate text alone (no checking at all);
* sympy    -- a naive independent recomputation of the same facts with sympy (tests/soundness/certlib
              oracle: symbolic loss, gradient and Hessian, exact inertia), without its caches.

    .venv/bin/python benchmarks/bench_checker.py [--seconds 2]
"""

import argparse
import json
import os
import pathlib
import platform
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "soundness")]

from proofs import check_certificate  # noqa: E402


def rate(fn, items, seconds):
    """(checks per wall second, checks per CPU second of this process, number of checks)."""
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while True:
        for x in items:
            fn(x)
        n += len(items)
        dt = time.perf_counter() - t0
        if dt >= seconds:
            return n / dt, n / (time.process_time() - c0), n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=2.0)
    args = ap.parse_args()
    files = sorted((ROOT / "proofs" / "library").glob("*.json"))
    texts = [f.read_bytes() for f in files]
    kinds = [(json.loads(t)["claim"]["kind"], json.loads(t)["problem"]["kind"]) for t in texts]
    # by claim kind (file names no longer tell: the relu-teacher spurious minima are ball certificates too)
    balls = [t for t, (k, _) in zip(texts, kinds) if "isolated" in k]
    exact = [t for t, (k, _) in zip(texts, kinds) if "isolated" not in k and k != "complete-landscape"]
    # the sympy oracle recomputes point claims; it declines theorem instances, landscapes and relu-teacher problems
    sym = [t for t, (k, pk) in zip(texts, kinds) if t in exact and k != "theorem-instance" and pk != "relu-teacher"]
    for t in texts:
        assert check_certificate(t).verified
    print(f"python {platform.python_version()} on {platform.machine()}, {len(texts)} library certificates")
    rows = [("floor: json.loads only (all)", lambda t: json.loads(t), texts),
            ("proofs: exact certificates", check_certificate, exact),
            ("proofs: ball (Krawczyk) certificates", check_certificate, balls),
            ("proofs: whole library", check_certificate, texts)]
    try:
        import certlib

        def sympy_check(t):
            certlib._sym.cache_clear()
            certlib._oracle_cached.cache_clear()
            assert certlib.oracle(json.loads(t)) is True

        rows.insert(2, ("proofs: the certificates sympy recomputes", check_certificate, sym))
        rows.append(("sympy recomputation: the same certificates", sympy_check, sym))
    except ImportError:
        pass
    print(f"{'':42s} {'per wall s':>10s} {'per CPU s':>10s}")
    for name, fn, items in rows:
        r, c, n = rate(fn, items, args.seconds)
        print(f"{name:42s} {r:10.0f} {c:10.0f}  ({n} checks)")
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
