"""The checker of this tree beside another tree's (an older commit: `git worktree add OLD_TREE 8623481`), on the same
certificates (this tree's proofs/library), each checker in its own process, alternating; certificates per CPU second
by group (ball = Krawczyk boxes, landscape = complete landscapes, exact = the rest).

    .venv/bin/python benchmarks/bench_checker_side_by_side.py OLD_TREE [--seconds 3] [--rounds 2]
"""

import argparse
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
CODE = r'''
import json, pathlib, sys, time
sys.path.insert(0, sys.argv[1])
from proofs import check_certificate
texts = [f.read_bytes() for f in sorted(pathlib.Path(sys.argv[3]).glob("*.json"))]
kinds = [json.loads(t)["claim"]["kind"] for t in texts]
groups = {"ball": [t for t, k in zip(texts, kinds) if "isolated" in k],
          "landscape": [t for t, k in zip(texts, kinds) if k == "complete-landscape"],
          "exact": [t for t, k in zip(texts, kinds) if "isolated" not in k and k != "complete-landscape"]}
out = {}
for g, items in groups.items():
    assert all(check_certificate(t).verified for t in items), g
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < float(sys.argv[2]):
        for t in items:
            check_certificate(t)
        n += len(items)
    out[g] = f"{len(items)} certificates, {n / (time.process_time() - c0):.1f}/CPU s"
print(json.dumps(out))
'''


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old_tree")
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    for rnd in range(args.rounds):
        for name, tree in (("this tree", ROOT), ("old tree", pathlib.Path(args.old_tree).resolve())):
            argv = [sys.executable, "-c", CODE, str(tree), str(args.seconds), str(ROOT / "proofs" / "library")]
            r = subprocess.run(argv, capture_output=True, text=True)
            print(rnd, name, r.stdout.strip() or r.stderr[-500:])


if __name__ == "__main__":
    main()
