"""From numeric candidates to exactly certified points; importing torch models."""

import json
from fractions import Fraction as F

import pytest
import torch
from torch import nn

from numeric.bridge import export_candidates, rationalise
from numeric.losses import make_loss
from numeric.search import search
from numeric.torch_import import Poly, from_sequential
from verify.errors import InputError
from verify.exact.classify import classify
from verify.problems import DeepLinear, TwoLayer
from verify.problems.files import load_point
from verify.verdict import PointClass

DEPTH3 = DeepLinear(widths=(1, 1, 1, 1), X=((F(1),),), Y=((F(1),),))


@pytest.mark.parametrize("point,cls", [
    ([3e-10, -2e-10, 1e-10], PointClass.NON_STRICT_SADDLE),
    ([0.994974, -1.002382, -1.002663], PointClass.GLOBAL_MIN),       # on w1 w2 w3 = 1, snapped and repaired
    ([0.0, -1.831861, 1e-12], PointClass.STRICT_SADDLE),
])
def test_rationalised_points_are_certified_exactly(point, cls):
    q, rep = rationalise(DEPTH3, point)
    assert rep["route"] == "snap-and-repair"
    c = classify(DEPTH3, q)
    assert c.cls is cls, (q, c.reason)


def test_manifold_of_minima_snaps_to_exact_critical_point():
    p = DeepLinear(widths=(2, 3, 2), X=((F(1), F(0)), (F(0), F(1))), Y=((F(3, 2), F(0)), (F(0), F(1))))
    r = search(p, starts=8, method="adam", seed=0)
    q, rep = rationalise(p, r.candidates[0]["params"])
    assert classify(p, q).cls is PointClass.GLOBAL_MIN
    assert rep["distance"] < 0.5


def test_isolated_irrational_point_refined_in_multiple_precision():
    # ½(w2 w1 − 2)² + ¼(w1² + w2²): minimum at w1 = w2 = √(3/2) (irrational)
    p = DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(2),),), reg=F(1, 2))
    q, rep = rationalise(p, [1.22, 1.23])
    assert rep["route"].startswith("multiple-precision")
    assert float(rep["gradient_max_abs"]) < 1e-30
    assert abs(float(q[0]) - 1.5 ** 0.5) < 1e-15


def test_export_writes_point_files_that_load(tmp_path):
    r = search(DEPTH3, starts=32, method="newton", seed=0)
    manifest = export_candidates(DEPTH3, r.candidates, tmp_path)
    assert (tmp_path / "candidates.json").exists()
    for m in manifest:
        obj = json.loads((tmp_path / m["file"]).read_text())
        assert set(obj) == {"params"} and all(isinstance(s, str) for s in obj["params"])
        point = load_point(DEPTH3, tmp_path / m["file"])
        assert classify(DEPTH3, point).cls.value == m["numeric_class"]
    with pytest.raises(InputError, match="--export-dir"):
        export_candidates(DEPTH3, r.candidates, tmp_path / "candidates.json" / "sub")


def test_import_deep_linear_and_two_layer():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 3, bias=False), nn.Identity(), nn.Linear(3, 2, bias=False)).double()
    X, Y = torch.randn(5, 2, dtype=torch.float64), torch.randn(5, 2, dtype=torch.float64)
    prob, point = from_sequential(net, X, Y)
    assert isinstance(prob, DeepLinear) and prob.widths == (2, 3, 2)
    L = make_loss(prob)
    want = 0.5 * ((net(X) - Y) ** 2).sum()
    assert L(torch.tensor([[float(x) for x in point]], dtype=torch.float64)).item() == pytest.approx(want.item(),
                                                                                                      rel=1e-12)
    for act, coeffs in ((Poly([0, "1/2", 1]), (F(0), F(1, 2), F(1))), (nn.ReLU(), "relu")):
        net = nn.Sequential(nn.Linear(2, 4, bias=False), act, nn.Linear(4, 1, bias=False)).double()
        Y1 = torch.randn(5, 1, dtype=torch.float64)
        prob, point = from_sequential(net, X, Y1)
        assert isinstance(prob, TwoLayer) and prob.activation == coeffs and len(point) == prob.n_params == 12
        got = make_loss(prob)(torch.tensor([[float(x) for x in point]], dtype=torch.float64)).item()
        assert got == pytest.approx(0.5 * ((net(X) - Y1) ** 2).sum().item(), rel=1e-12)
        prob2, point2 = from_sequential(net, X, Y1, train_output=False)
        assert not prob2.train_output and len(point2) == 8
    # the weights' exact binary values
    net = nn.Sequential(nn.Linear(1, 1, bias=False)).double()
    net[0].weight.data.fill_(0.1)
    _, point = from_sequential(net, torch.ones(1, 1), torch.ones(1, 1))
    assert point[0] == F(0.1) and point[0] != F(1, 10)


def test_import_rejects_unsupported_models():
    X, Y = torch.ones(2, 2), torch.ones(2, 1)
    with pytest.raises(InputError, match="bias"):
        from_sequential(nn.Sequential(nn.Linear(2, 1)), X, Y)
    with pytest.raises(InputError, match="Tanh"):
        from_sequential(nn.Sequential(nn.Linear(2, 2, bias=False), nn.Tanh(), nn.Linear(2, 1, bias=False)), X, Y)
    with pytest.raises(InputError, match="X"):
        from_sequential(nn.Sequential(nn.Linear(3, 1, bias=False)), X, Y)
    with pytest.raises(InputError, match="coeffs"):
        Poly([0, 0])
