"""From numeric candidates to exactly certified points (typed exports, decided in Fractions); importing torch models."""

import json
from fractions import Fraction as F

import pytest
import torch
from torch import nn

from numeric import Criticality, Export, Route
from numeric.bridge import export_candidates, rationalise
from numeric.losses import make_loss
from numeric.search import search
from numeric.torch_import import Poly, from_sequential
from verify.errors import InputError
from verify.exact.classify import classify
from verify.problems import DeepLinear, ReluTeacher, TwoLayer, default_teacher
from verify.problems.files import load_point
from verify.verdict import PointClass

DEPTH3 = DeepLinear(widths=(1, 1, 1, 1), X=((F(1),),), Y=((F(1),),))
WIDE = DeepLinear(widths=(2, 3, 2), X=((F(1), F(0)), (F(0), F(1))), Y=((F(3, 2), F(0)), (F(0), F(1))))
IRRATIONAL = DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(2),),), reg=F(1, 2))  # minima at w1 = w2 = ±√(3/2)


def _matmul(A, B):
    return [[sum((A[i][k] * B[k][j] for k in range(len(B))), F(0)) for j in range(len(B[0]))] for i in range(len(A))]


def _two_layer_linear_gradient(p: DeepLinear, q):
    """∇L of ½‖W2 W1 X − Y‖² written out by hand in Fractions: ∂/∂W1 = W2ᵀ R Xᵀ, ∂/∂W2 = R (W1 X)ᵀ."""
    m = p.unflatten(q)
    W1, W2 = m["W1"], m["W2"]
    A = _matmul(W1, [list(r) for r in p.X])
    R = [[o - y for o, y in zip(orow, yrow)] for orow, yrow in zip(_matmul(W2, A), p.Y)]
    T = lambda M: [list(r) for r in zip(*M)]  # noqa: E731
    g1 = _matmul(_matmul(T(W2), R), T([list(r) for r in p.X]))
    g2 = _matmul(R, T(A))
    return [g for M in (g1, g2) for row in M for g in row]


@pytest.mark.parametrize("point,cls", [
    ([3e-10, -2e-10, 1e-10], PointClass.NON_STRICT_SADDLE),
    ([0.994974, -1.002382, -1.002663], PointClass.GLOBAL_MIN),       # on w1 w2 w3 = 1, snapped layer by layer
    ([0.0, -1.831861, 1e-12], PointClass.STRICT_SADDLE),
])
def test_rationalised_points_are_certified_exactly(point, cls):
    e = rationalise(DEPTH3, point)
    assert isinstance(e, Export) and e.exactly_critical is Criticality.YES and e.grad_inf == 0.0
    assert e.route in (Route.SNAPPED_RATIONAL, Route.LAYER_SNAP)
    c = classify(DEPTH3, e.point)
    assert c.cls is cls, (e.point, c.reason)
    assert c.gradient == [0, 0, 0]


def test_manifold_of_minima_snaps_to_exact_critical_point():
    # an explicit float point 1e-3 off the manifold W2 W1 = Y of global minima (fixed seed)
    g = torch.Generator().manual_seed(0)
    W1 = torch.randn(3, 2, generator=g, dtype=torch.float64)
    W2 = torch.tensor([[1.5, 0.0], [0.0, 1.0]], dtype=torch.float64) @ torch.linalg.pinv(W1)
    point = (torch.cat([W1.flatten(), W2.flatten()]) + 1e-3 * torch.randn(12, generator=g, dtype=torch.float64))
    e = rationalise(WIDE, point.tolist())
    assert e.route is Route.LAYER_SNAP and e.exactly_critical is Criticality.YES
    assert all(v.denominator <= 1024 for v in e.point[:6])            # W1 snapped whole, first
    assert _two_layer_linear_gradient(WIDE, e.point) == [0] * 12       # ∇L = 0 in Fractions, by hand
    assert e.loss == 0 and e.distance < 0.05
    assert classify(WIDE, e.point).cls is PointClass.GLOBAL_MIN


def test_isolated_irrational_point_is_reported_not_critical():
    e = rationalise(IRRATIONAL, [1.22, 1.23])
    assert e.route is Route.MP_REFINED
    assert e.exactly_critical is Criticality.NO and "≠ 0 exactly" in e.reason   # close to, never on
    assert 0 < e.grad_inf < 1e-30
    assert abs(float(e.point[0]) - 1.5 ** 0.5) < 1e-15
    assert classify(IRRATIONAL, e.point).cls is PointClass.NOT_CRITICAL


def test_unknown_criticality_for_relu_teacher_and_relu_kinks():
    p = ReluTeacher(k=2, n=2, teacher=default_teacher(2, 2))
    e = rationalise(p, [1.0, 0.0, 0.0, 1.0])                            # the global minimum W = V
    assert e.exactly_critical is Criticality.UNKNOWN and "not a polynomial" in e.reason
    assert e.loss is None and e.grad_inf < 1e-40                        # mpmath evidence only
    relu = TwoLayer(n=1, width=1, activation="relu", X=((F(1), F(-1)),), Y=((F(1), F(0)),))
    e = rationalise(relu, [0.0, 0.5], refine=False)                     # (W X) = (0, 0): on the kink
    assert e.exactly_critical is Criticality.UNKNOWN and "kink" in e.reason


def test_unknown_when_too_large(monkeypatch):
    import numeric.export as export

    monkeypatch.setattr(export, "EXACT_GRADIENT_MAX_PARAMS", 2)
    e = rationalise(DEPTH3, [1.0, 1.0, 1.0])
    assert e.exactly_critical is Criticality.UNKNOWN and "exceed" in e.reason


def test_export_skips_non_critical_and_keeps_one_point_per_orbit(tmp_path):
    # ½(u1 w1² + u2 w2² − 1)² at x = 1, y = 1 (σ(t) = t²): (w, u) = (1, 0, 1, 5) is a global minimum;
    # swapping the hidden units gives the same orbit; the third candidate is far from any critical point.
    p = TwoLayer(n=1, width=2, activation=(F(0), F(0), F(1)), X=((F(1),),), Y=((F(1),),))
    cands = [{"id": 0, "class": "global-min", "loss": 0.0, "params": [1.0, 0.0, 1.0, 5.0]},
             {"id": 1, "class": "global-min", "loss": 0.0, "params": [0.0, 1.0, 5.0, 1.0]},
             {"id": 2, "class": "local-min", "loss": 3.0, "params": [2.0, 3.0, 0.5, 0.5]}]
    entries = export_candidates(p, cands, tmp_path, rationalise_points=False)
    assert [e["file"] is not None for e in entries] == [True, False, False]
    assert entries[1]["skipped"].startswith("duplicate of candidate 0")
    assert entries[2]["skipped"].startswith("not exactly critical")
    manifest = json.loads((tmp_path / "candidates.json").read_text())
    assert manifest["summary"] == {"considered": 3, "exported": 1, "skipped_not_critical": 1, "skipped_duplicate": 1}
    assert sorted(f.name for f in tmp_path.iterdir()) == ["candidate-000.json", "candidates.json"]


def test_export_writes_point_files_that_load(tmp_path):
    r = search(DEPTH3, starts=32, method="newton", seed=0)
    entries = export_candidates(DEPTH3, r.candidates, tmp_path)
    assert (tmp_path / "candidates.json").exists() and len(entries) == len(r.candidates)
    written = [m for m in entries if m["file"]]
    assert written and {m["rationalisation"]["exactly_critical"] for m in written} == {"yes"}
    levels = set()
    for m in written:
        obj = json.loads((tmp_path / m["file"]).read_text())
        assert set(obj) == {"params"} and all(isinstance(s, str) for s in obj["params"])
        point = load_point(DEPTH3, tmp_path / m["file"])
        c = classify(DEPTH3, point)
        assert c.cls.value == m["numeric_class"] and c.gradient_zero
        levels.add(c.loss)
    assert levels == {F(0), F(1, 2)}                                  # the two critical values of ½(abc − 1)²
    with pytest.raises(InputError, match="--export-dir"):
        export_candidates(DEPTH3, r.candidates, tmp_path / "candidates.json" / "sub")


def test_old_tuple_unpacking_still_works():
    point, report = rationalise(DEPTH3, [1.0, 1.0, 1.0])
    assert point == [1, 1, 1] and report["exactly_critical"] == "yes" and report["route"] == "snapped-rational"


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
    with pytest.raises(InputError, match="GELU"):
        from_sequential(nn.Sequential(nn.Linear(2, 2, bias=False), nn.GELU(), nn.Linear(2, 1, bias=False)), X, Y)
    with pytest.raises(InputError, match="X"):
        from_sequential(nn.Sequential(nn.Linear(3, 1, bias=False)), X, Y)
    with pytest.raises(InputError, match="coeffs"):
        Poly([0, 0])


def test_an_export_cannot_claim_exactness_with_a_nonzero_gradient():
    from verify.errors import InternalError

    with pytest.raises(InternalError, match="exactly critical"):
        Export((F(1),), Route.ROUNDED, Criticality.YES, 1e-3, "forged", None, 0.0, 0.0)


CUBIC = TwoLayer(n=1, width=1, activation=(F(0), F(-3), F(0), F(1)), X=((F(1),),), Y=((F(3),),),
                 train_output=False, output=((F(1),),))
"""examples/cubic.toml: L(w) = ½(w³ − 3w − 3)², critical at w = −1 (local min, 1/2), w = 1 (local max, 25/2) and
the real root w* ≈ 2.1038 of w³ − 3w − 3 (global min, 0): L is of degree 6 in its only block W."""


def test_the_cubic_global_min_is_not_snapped_to_the_local_max():
    e = rationalise(CUBIC, [2.1038034027355366])
    assert e.point != (F(1),) and e.loss != F(25, 2)
    assert abs(float(e.point[0]) - 2.1038034027355366) < 1e-6 and e.distance < 1e-6
    assert e.exactly_critical is not Criticality.YES          # w* is irrational: close to critical, not on it


def test_a_solved_last_block_is_kept_only_when_the_loss_is_quadratic_in_it():
    from numeric.snap import solve_last_block

    assert solve_last_block(CUBIC, [], [2.1038034027355366]) is None         # degree 6 in W: nothing solved
    square = TwoLayer(n=1, width=1, activation=(F(0), F(0), F(1)), X=((F(1),),), Y=((F(3),),))
    assert solve_last_block(square, [F(2)], [0.7]) == [F(3, 4)]             # U: ½(4u − 3)², quadratic in u


def test_cubic_export_writes_the_global_min_candidate_near_itself_or_not_at_all(tmp_path):
    r = search(CUBIC, starts=20, method="both", seed=0)
    glob = [c for c in r.candidates if abs(c["params"][0] - 2.1038034027355366) < 1e-6]
    assert len(glob) == 1
    entries = {e["id"]: e for e in export_candidates(CUBIC, r.candidates, tmp_path)}
    e = entries[glob[0]["id"]]
    assert e["rationalisation"]["distance"] < 1e-6 and e["rationalisation"]["loss_exact"] != "25/2"
    if e["file"] is not None:
        assert abs(float(F(json.loads((tmp_path / e["file"]).read_text())["params"][0])) - 2.1038) < 1e-3
    for other in entries.values():
        if other["file"] is not None:
            w = F(json.loads((tmp_path / other["file"]).read_text())["params"][0])
            assert w in (F(-1), F(1)) and other["rationalisation"]["loss_exact"] == {F(-1): "1/2", F(1): "25/2"}[w]


def test_two_classes_at_one_point_are_exported_once(tmp_path):
    cands = [{"id": 0, "class": "spurious-local-min", "loss": 0.5, "params": [-1.0]},
             {"id": 1, "class": "local-min", "loss": 0.5, "params": [-1.0 + 1e-13]}]
    entries = export_candidates(CUBIC, cands, tmp_path)
    assert [e["file"] is not None for e in entries] == [True, False]
    assert entries[1]["skipped"].startswith("duplicate of candidate 0")
