"""The numeric route of ``spurious check``: suspects are exported (typed), skipped when not exactly critical, and a
problem beyond the exact layer's size gives ``unknown`` with a reason, never a crash."""

from fractions import Fraction as F
from types import SimpleNamespace

import numeric.search
from verify.problems import DeepLinear
from verify.run.numeric_route import numeric_check
from verify.verdict import Status, Trust


def _fake_search(candidates):
    def search(problem, config=None, device=None, **kw):
        return SimpleNamespace(candidates=candidates, device="cpu", by_class={}, stopped_at_limit=False,
                               not_attained={"runs": 0, "loss_min": None})
    return search


def test_more_than_64_parameters_and_a_suspect_gives_unknown_with_a_reason(monkeypatch):
    eye = tuple(tuple(F(int(i == j)) for j in range(3)) for i in range(3))
    p = DeepLinear(widths=(3,) * 9, X=eye, Y=eye)                 # 8 weights of 3 × 3: 72 parameters
    assert p.n_params == 72
    suspect = {"id": 0, "class": "non-strict-saddle", "loss": 1.5, "params": [1e-9] * 72}   # near the origin
    monkeypatch.setattr(numeric.search, "search", _fake_search([suspect]))
    r = numeric_check(p, "strict-saddle", starts=4)
    assert r.status is Status.UNKNOWN and r.trust is Trust.NONE
    assert "72 parameters exceed" in r.reason and "exactly critical: yes" in r.reason
    assert r.to_json()["status"] == "unknown"


def test_a_suspect_whose_export_is_not_critical_is_skipped_with_that_reason(monkeypatch):
    p = DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(2),),), reg=F(1, 2))   # minima at ±√(3/2): irrational
    suspect = {"id": 0, "class": "spurious-local-min", "loss": 0.875, "params": [1.22, 1.23]}
    monkeypatch.setattr(numeric.search, "search", _fake_search([suspect]))
    r = numeric_check(p, "no-spurious-local-min", starts=4)
    assert r.status is Status.UNKNOWN
    assert "not exactly critical" in r.reason and "mp-refined" in r.reason


def test_a_certified_suspect_refutes():
    p = DeepLinear(widths=(1, 1, 1, 1), X=((F(1),),), Y=((F(1),),))        # the origin: a non-strict saddle
    r = numeric_check(p, "strict-saddle", starts=16, seed=0)
    assert r.status is Status.REFUTED and r.trust is Trust.KERNEL and r.witness["class"] == "non-strict-saddle"


def test_cubic_spurious_local_min_is_refuted_with_a_rounded_lower_witness():
    """examples/cubic.toml, L(w) = ½(w³ − 3w − 3)²: w = −1 is a local minimum (L = 1/2) and the real root
    w* ≈ 2.1038 of w³ − 3w − 3 has L = 0; the witness is w* rounded (not critical, not snapped to w = 1)."""
    import json
    import pathlib
    import subprocess
    import sys

    root = pathlib.Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-m", "verify.cli", "check", str(root / "examples" / "cubic.toml"),
                           "--claim", "no-spurious-local-min", "--backend", "numeric", "--json"],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["status"] == "refuted" and out["trust"] == "kernel", out["reason"]
    assert out["witness"] == {"point": ["-1"], "class": "spurious-local-min"}


def test_lower_witness_is_a_rounding_not_a_snap():
    from verify.run.numeric_route import lower_witness

    (w,) = lower_witness([2.1038034027355366])
    assert abs(float(w) - 2.1038034027355366) < 1e-11 and w != 1


def test_the_timeout_stops_the_search_and_the_answer_says_so():
    import time

    from verify.run.check import decide

    eye = tuple(tuple(F(int(i == j)) for j in range(4)) for i in range(4))
    # 54 parameters; a hidden layer narrower than d_x = d_y = 4 and Y of rank 3 < 4 rows: no theorem instance
    # (Lu & Kawaguchi 2017 needs Y of full row rank, Laurent & von Brecht no narrow layer, Kawaguchi rank(X Yᵀ) = 4)
    p = DeepLinear(widths=(4, 6, 3, 4), X=eye, Y=eye[:3] + ((F(0),) * 4,))
    t0 = time.monotonic()
    r = decide(p, "no-spurious-local-min", backend="numeric", timeout=0.5, starts=3000)
    assert time.monotonic() - t0 < 30                                      # not the full budget (minutes)
    assert r.status is Status.UNKNOWN and r.trust is Trust.NONE
    assert "time limit" in r.reason and r.to_json()["stopped_at_time_limit"] is True
