"""D8 (../shared/defects): a theorem instance whose hypotheses do not depend on the hidden widths is decided by the
theorem route at any width — [1, 5000, 1] was refused ("widths[1] in [1, 400]") and [1, 100000, 1] ran far past
``--timeout 20``. The theorem route runs first, costs what the data costs (ranks of X, Y, X Yᵀ), and is bounded by
``--timeout`` (a child process): a large rank-deficient X Xᵀ once kept it busy for minutes in verify's own hint."""

import json
import random
import time

from verify.run.theorem_route import theorem_check

# theorems whose hypotheses hold at every width of [1, w, 1] with X = Y = [[1]] (Kawaguchi's Σ is 1 × 1)
WIDTH_FREE = {"kawaguchi-2016-theorem-2.3", "lu-kawaguchi-2017-theorem-2.3", "laurent-von-brecht-2018"}


def _wide(tmp_path, width):
    f = tmp_path / f"wide{width}.toml"
    f.write_text(f'kind = "deep-linear"\nwidths = [1, {width}, 1]\nX = [[1]]\nY = [[1]]\n')
    return f


def _proved_by_theorem(r):
    out = r.json()
    assert r.code == 0 and (out["status"], out["trust"]) == ("proved", "theorem"), r
    assert out["backend"].startswith("theorem"), out
    return out


def test_width_5000_is_not_refused(cli, tmp_path):
    cert = tmp_path / "c.json"
    r = cli("check", _wide(tmp_path, 5000), "--claim", "no-spurious-local-min", "--cert", cert, "--json")
    _proved_by_theorem(r)
    assert json.loads(cert.read_text())["claim"]["theorem"] in WIDTH_FREE
    check = cli("check-cert", cert, "--json")
    assert check.code == 0 and check.json()["verified"] is True, check


def test_width_100000_within_its_timeout(cli, tmp_path):
    t = time.monotonic()
    r = cli("check", _wide(tmp_path, 100_000), "--claim", "no-spurious-local-min", "--timeout", "20", "--json")
    elapsed = time.monotonic() - t
    _proved_by_theorem(r)
    assert elapsed < 25, f"{elapsed:.1f} s for --timeout 20"


def test_large_rank_deficient_data_decided_within_its_timeout(cli, tmp_path):
    """widths [160, 1, 1], X 160 × 100 of 40-digit integers: X Xᵀ (160 × 160) is singular, and its exact rank over Q
    took 32 s here — verify computed it for Kawaguchi's optional hint before the checker ran. Laurent & von Brecht
    apply (the hidden width 1 ≥ min(d_x, d_y) = 1); the check stays well inside --timeout 20."""
    rng = random.Random(7)
    X = [[rng.randint(-10**40, 10**40) for _ in range(100)] for _ in range(160)]
    Y = [[rng.randint(-9, 9) for _ in range(100)]]
    f = tmp_path / "deficient.toml"
    f.write_text(f'kind = "deep-linear"\nwidths = [160, 1, 1]\nX = {json.dumps(X)}\nY = {json.dumps(Y)}\nreg = 0\n')
    t = time.monotonic()
    r = cli("check", f, "--claim", "no-spurious-local-min", "--timeout", "20", "--json")
    elapsed = time.monotonic() - t
    out = _proved_by_theorem(r)
    assert "Laurent & von Brecht 2018" in out["reason"], out
    assert elapsed < 20, f"{elapsed:.1f} s"


def test_theorem_route_is_a_hard_limit(monkeypatch):
    """A theorem route that would not finish (stood in for by a sleep) is cut at its timeout: nothing proved."""
    import verify.certify.theorem as theorem
    from verify import DeepLinear

    monkeypatch.setattr(theorem, "theorem_certificate", lambda problem, claim: time.sleep(60))
    problem = DeepLinear.from_dict({"widths": [1, 1], "X": [[1]], "Y": [[1]]})
    t = time.monotonic()
    proved, why = theorem_check(problem, "no-spurious-local-min", timeout=1.0)
    assert proved is None and "not decided within the time limit of 1 s" in why, why
    assert time.monotonic() - t < 5


def _in_daemon(queue):   # runs in a daemonic process, as a Dask worker's tasks do
    from verify import DeepLinear

    proved, why = theorem_check(DeepLinear.from_dict({"widths": [1, 3, 1], "X": [[1]], "Y": [[1]]}),
                                "no-spurious-local-min", timeout=30)
    queue.put(None if proved is None else proved.status.value)


def test_theorem_route_runs_inside_a_daemonic_worker():
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_in_daemon, args=(queue,), daemon=True)
    proc.start()
    try:
        assert queue.get(timeout=60) == "proved"
    finally:
        proc.join(10)
