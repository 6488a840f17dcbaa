"""Multi-start search: the non-strict saddle at the origin, minima, de-duplication, seeds, spurious minima."""

import json
from fractions import Fraction as F

import pytest
import torch

from numeric.losses import make_loss
from numeric.search import SearchConfig, initial_points, search, signature
from verify.errors import InputError
from verify.problems import DeepLinear, ReluTeacher, TwoLayer, default_teacher
from verify.verdict import PointClass

D = torch.float64
DEPTH3 = DeepLinear(widths=(1, 1, 1, 1), X=((F(1),),), Y=((F(1),),))
EYE3 = tuple(tuple(F(int(i == j)) for j in range(3)) for i in range(3))


def test_newton_reaches_the_non_strict_saddle_at_the_origin():
    r = search(DEPTH3, starts=64, method="newton", seed=0)
    origin = [c for c in r.candidates if max(abs(x) for x in c["params"]) < 1e-6]
    assert origin, r.candidates
    c = origin[0]
    assert c["class"] not in ("global-min", "local-min", "spurious-local-min")
    assert c["class"] == "non-strict-saddle" and c["status"] == "evidence"
    assert c["loss"] == pytest.approx(0.5)
    j = r.to_json()
    assert j["status"] == "evidence" and j["backend"] == "numeric"
    assert "non-strict-saddle" in j["by_class"]


def test_adam_finds_only_global_minima_of_deep_linear():
    p = DeepLinear(widths=(2, 3, 2), X=((F(1), F(0)), (F(0), F(1))), Y=((F(3, 2), F(0)), (F(0), F(1))))
    r = search(p, starts=64, method="adam", seed=1)
    assert set(r.by_class) == {"global-min"}
    assert r.by_class["global-min"]["distinct"] == 1     # one end-to-end product W2W1 = Y


def test_reproducible_seeds():
    a = search(DEPTH3, starts=32, method="both", seed=7)
    b = search(DEPTH3, starts=32, method="both", seed=7)
    assert torch.equal(a.points, b.points)
    c = search(DEPTH3, starts=32, method="both", seed=8)
    assert not torch.equal(a.points, c.points)


def test_signature_is_permutation_invariant():
    p = ReluTeacher(k=3, n=3, teacher=default_teacher(3, 3))
    L = make_loss(p)
    th = torch.randn(1, 9, dtype=D, generator=torch.Generator().manual_seed(0))
    perm = th.reshape(3, 3)[[2, 0, 1]].reshape(1, 9)
    v = L(th)
    assert torch.allclose(signature(L, th, v), signature(L, perm, L(perm)))
    t = TwoLayer(n=2, width=2, activation=(F(0), F(0), F(1)), X=((F(1), F(2)), (F(0), F(1))), Y=((F(1), F(0)),))
    Lt = make_loss(t)
    x = torch.tensor([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]], dtype=D)     # W rows (1,2), (3,4); U = (5, 6)
    y = torch.tensor([[3.0, 4.0, 1.0, 2.0, 6.0, 5.0]], dtype=D)
    assert torch.allclose(signature(Lt, x, Lt(x)), signature(Lt, y, Lt(y)))


def test_relu_teacher_small_search_finds_global_min():
    p = ReluTeacher(k=2, n=2, teacher=default_teacher(2, 2))
    r = search(p, starts=32, method="adam", seed=0, steps=3000, lr=0.05)
    assert "global-min" in r.by_class
    g = [c for c in r.candidates if c["class"] == "global-min"][0]
    assert g["loss"] < 1e-9


def test_spurious_local_min_gets_a_witness():
    # regularised scalar net ½(w2 w1 − 2)² + ¼(w1² + w2²): minima at w1 = w2 = ±√(3/2), loss 7/8;
    # the origin is a strict saddle. No spurious minimum → none reported.
    p = DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(2),),), reg=F(1, 2))
    r = search(p, starts=32, method="both", seed=0)
    assert "spurious-local-min" not in r.by_class
    assert r.by_class["local-min"]["loss_min"] == pytest.approx(7 / 8)


def test_initial_points_scale_and_bad_config():
    p = ReluTeacher(k=4, n=100, teacher=default_teacher(4, 100))
    x = initial_points(make_loss(p), 200, seed=0)
    assert x.std().item() == pytest.approx(0.1, rel=0.05)      # N(0, 1/n)
    with pytest.raises(InputError, match="--method"):
        search(DEPTH3, starts=4, method="bfgs")
    with pytest.raises(InputError, match="--starts"):
        search(DEPTH3, starts=0)
    with pytest.raises(InputError, match="--lr"):
        search(DEPTH3, starts=2, lr=-1.0)
    big = DeepLinear(widths=(30, 30), X=tuple((F(1),) for _ in range(30)), Y=tuple((F(1),) for _ in range(30)))
    with pytest.raises(InputError, match="dense Hessians"):
        SearchConfig(method="newton").check(big)


def test_signature_quotients_the_declared_rescaling_of_homogeneous_units():
    # σ(t) = t³: (c·w_i, u_i/c³) is a symmetry when U is trained and there is no regulariser
    t = TwoLayer(n=2, width=2, activation=(F(0), F(0), F(0), F(1)), X=((F(1), F(2)), (F(0), F(1))), Y=((F(1), F(0)),))
    L = make_loss(t)
    x = torch.tensor([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]], dtype=D)
    y = torch.tensor([[-2.0, -4.0, 1.5, 2.0, -5.0 / 8, 48.0]], dtype=D)   # c = −2 on unit 1, c = 1/2 on unit 2
    assert L(x).item() == pytest.approx(L(y).item(), rel=1e-12)
    assert torch.allclose(signature(L, x, L(x)), signature(L, y, L(y)))
    z = torch.tensor([[1.0, 2.0, 3.0, 4.0, 5.0, 7.0]], dtype=D)
    assert not torch.allclose(signature(L, x, L(x)), signature(L, z, L(z)))
    reg = TwoLayer(n=2, width=2, activation=(F(0), F(0), F(0), F(1)), X=t.X, Y=t.Y, reg=F(1, 10))
    Lr = make_loss(reg)                                                  # with Λ > 0 it is no symmetry
    assert not torch.allclose(signature(Lr, x, Lr(x)), signature(Lr, y, Lr(y)))


def test_explicit_initial_points():
    r = search(DEPTH3, starts=2, method="newton", initial=[[1e-3, 2e-3, -1e-3], [1.0, 1.0, 1.01]])
    assert torch.allclose(r.points[1], r.points[1].new_tensor([1.0, 1.0, 1.0]), atol=1e-2)
    assert any(max(abs(x) for x in c["params"]) < 1e-6 for c in r.candidates)      # the origin, from row 0
    with pytest.raises(InputError, match="--start"):
        search(DEPTH3, starts=3, method="newton", initial=[[0.0, 0.0, 0.0]])
    with pytest.raises(InputError, match=r"--start\[0\]"):
        search(DEPTH3, starts=1, method="newton", initial=[[0.0, 0.0]])


def test_a_time_limit_stops_the_optimisers_and_is_reported():
    from numeric.search import SearchConfig

    r = search(DeepLinear(widths=(3, 5, 5, 3), X=EYE3, Y=EYE3), SearchConfig(starts=500, method="both", seed=0,
                                                                          time_limit=1e-3))
    assert r.stopped_at_limit and r.to_json()["stopped_at_time_limit"] is True and "time limit" in r.to_json()["note"]
    assert r.run_method == ["adam"] * 500                              # newton never started
    full = search(DEPTH3, starts=4, method="newton", seed=0)
    assert not full.stopped_at_limit and full.to_json()["stopped_at_time_limit"] is False
    with pytest.raises(InputError, match="--time-limit"):
        search(DEPTH3, starts=4, time_limit=-1.0)


def test_candidate_classes_are_typed_and_serialised_as_strings():
    r = search(DEPTH3, starts=16, method="both", seed=0)
    assert r.candidates and all(isinstance(c["class"], PointClass) for c in r.candidates)
    j = r.to_json()
    assert all(type(c["class"]) is str for c in j["candidates"]) and all(type(k) is str for k in j["by_class"])
    assert json.loads(json.dumps(j))["candidates"][0]["class"] == r.candidates[0]["class"].value


def test_no_status_strings_compared_in_numeric_code():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    files = sorted((root / "numeric").glob("*.py")) + [root / "verify" / "run" / "numeric_route.py"]
    hits = [(f.name, m.group(0)) for f in files for m in re.finditer(r"\.value\s*(==|!=|in\b)", f.read_text())]
    assert hits == []
