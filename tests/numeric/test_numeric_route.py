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
        return SimpleNamespace(candidates=candidates, device="cpu", by_class={})
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
