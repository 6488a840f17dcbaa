"""Losses beyond the square loss in the numeric layer: torch models import with their loss, and the search is
honest when the infimum is not attained (logistic / cross-entropy on separable data)."""

from fractions import Fraction as F

import pytest
import torch
from torch import nn

from numeric.classify import classify_points
from numeric.depth_evidence import losses_evidence, random_instance
from numeric.escape import Route, escape_test
from numeric.losses import make_loss, value_and_grad
from numeric.search import search
from numeric.shallow import ShallowStatus, shallow_check
from numeric.torch_import import Poly, from_sequential
from verify.errors import InputError
from verify.problems import DeepLinear, TwoLayer
from verify.problems.losses import Loss
from verify.verdict import PointClass

D = torch.float64


def _model(two_layer: bool, dy: int):
    torch.manual_seed(3)
    if two_layer:
        net = nn.Sequential(nn.Linear(2, 3, bias=False), Poly([0, 1, "1/2"]), nn.Linear(3, dy, bias=False))
    else:
        net = nn.Sequential(nn.Linear(2, 3, bias=False), nn.Linear(3, 2, bias=False), nn.Linear(2, dy, bias=False))
    return net.double()


def _targets(kind: str, m: int, dy: int):
    g = torch.Generator().manual_seed(5)
    if kind == "signs":
        return torch.where(torch.rand(m, dy, generator=g, dtype=D) > 0.5, 1.0, -1.0).to(D)
    if kind == "bits":
        return (torch.rand(m, dy, generator=g, dtype=D) > 0.5).to(D)
    if kind == "classes":
        return torch.randint(0, dy, (m,), generator=g)
    if kind == "probabilities":         # dyadic, so that each row sums to 1 exactly (the exact layer checks it)
        w = torch.randint(0, 4, (m, dy), generator=g).to(D)
        w[:, 0] = 8 - w[:, 1:].sum(1)
        return w / 8
    return torch.randn(m, dy, generator=g, dtype=D)


TORCH_LOSSES = [
    (nn.MSELoss(), "real", "mse"),
    (nn.MSELoss(reduction="sum"), "real", "poly"),
    (nn.HuberLoss(reduction="sum", delta=0.75), "real", "huber"),
    (nn.SoftMarginLoss(reduction="sum"), "signs", "logistic"),
    (nn.BCEWithLogitsLoss(reduction="sum"), "bits", "logistic"),
    (nn.CrossEntropyLoss(reduction="sum"), "classes", "cross-entropy"),
    (nn.CrossEntropyLoss(reduction="sum"), "probabilities", "cross-entropy"),
]


@pytest.mark.parametrize("two_layer", [False, True])
@pytest.mark.parametrize("module, targets, name", TORCH_LOSSES, ids=lambda x: getattr(x, "__name__", str(x)))
def test_from_sequential_takes_the_torch_loss(module, targets, name, two_layer):
    """The imported problem's loss is the torch module's, value and gradient (float64, all weights)."""
    dy = 3
    net = _model(two_layer, dy)
    X = torch.randn(7, 2, generator=torch.Generator().manual_seed(4), dtype=D)
    Y = _targets(targets, 7, dy)
    prob, point = from_sequential(net, X, Y, loss=module)
    assert prob.loss.name == name
    out = module(net(X), Y)
    grads = torch.autograd.grad(out, [layer.weight for layer in net if isinstance(layer, nn.Linear)])
    want = torch.cat([g.flatten() for g in grads])
    v, g = value_and_grad(make_loss(prob, device="cpu"), torch.tensor([[float(x) for x in point]], dtype=D))
    assert float(v[0]) == pytest.approx(out.item(), rel=1e-12)
    assert torch.allclose(g[0], want, rtol=1e-10, atol=1e-12)


def test_from_sequential_loss_values_and_default():
    net = _model(False, 1)
    X, Y = torch.ones(2, 2, dtype=D), torch.tensor([[1.0], [-1.0]], dtype=D)
    assert from_sequential(net, X, Y)[0].loss.is_square
    assert from_sequential(net, X, Y, loss="logistic")[0].loss.name == "logistic"
    assert from_sequential(net, X, Y, loss={"huber": "1/2"})[0].loss.delta == F(1, 2)


@pytest.mark.parametrize("loss, field", [
    (nn.HuberLoss(), "loss"),                                   # mean over samples
    (nn.CrossEntropyLoss(), "loss"),
    (nn.L1Loss(reduction="sum"), "loss"),
    (nn.CrossEntropyLoss(reduction="sum", label_smoothing=0.1), "loss"),
    ({"power": 3}, "loss.power"),
    ("logistic", "Y[0][1]"),                                     # labels must be ±1: Y is 2 × 1 → Yᵀ[0][1]
])
def test_from_sequential_bad_loss(loss, field):
    net = _model(False, 1)
    X, Y = torch.ones(2, 2, dtype=D), torch.tensor([[1.0], [0.5]], dtype=D)
    with pytest.raises(InputError) as e:
        from_sequential(net, X, Y, loss=loss)
    assert e.value.field == field


# ------------------------------------------------------------------ summands, escape, search, shallow, evidence
ALL = ["square", "mse", {"power": 4}, {"poly": [0, 1, -1, 0, 1]}, {"huber": "1/2"}, "logistic", "cross-entropy"]


@pytest.mark.parametrize("value", ALL, ids=str)
def test_terms_sum_to_the_loss(value):
    loss = Loss.from_value(value)
    Y = ((F(1), F(0), F(1, 2)), (F(0), F(1), F(1, 2))) if loss.name == "cross-entropy" else \
        ((F(1), F(-1), F(1)), (F(-1), F(-1), F(1)))
    X = ((F(1), F(2), F(-1)), (F(0), F(1), F(3)))
    th = torch.randn(5, 12, generator=torch.Generator().manual_seed(2), dtype=D)
    for prob in (DeepLinear(widths=(2, 3, 2), X=X, Y=Y, loss=loss, reg=F(1, 3)),
                 TwoLayer(n=2, width=2, activation=(F(0), F(1), F(1)), X=X, Y=Y, loss=loss, train_output=True,
                          reg=((((F(1), F(0)), (F(2), F(1))), ((F(0), F(1)), (F(1), F(1))))))):
        L = make_loss(prob, device="cpu")
        t = th[:, :prob.n_params]
        assert torch.allclose(L.terms(t).sum(-1), L(t), rtol=1e-13, atol=1e-13)


def _stuck_sample_problem():
    """Logistic, d = 1: a zero input (its loss log 2 whatever θ) beside two separable samples."""
    return DeepLinear(widths=(1, 1, 1), X=((F(0), F(1), F(2)),), Y=((F(1), F(1), F(1)),), loss=Loss(name="logistic"))


def test_escape_sees_a_fall_below_the_resolution_of_L():
    """L = log 2 + e^{−64} + e^{−128}: L itself does not change in floats along the ray, its summands do."""
    L = make_loss(_stuck_sample_problem(), device="cpu")
    th = torch.tensor([[8.0, 8.0]], dtype=D)
    assert float(L(th * torch.tensor([1.0, 2.0], dtype=D))) == float(L(th))
    (e,) = escape_test(L, th)
    assert e.escaping and e.route is Route.RAY
    assert classify_points(L, th)[0].cls is PointClass.UNKNOWN


def test_escape_by_descent_without_an_output_ray():
    """U fixed (no ray): the descent continuation finds the fall; σ(t) = t, so the output is w·x·u."""
    prob = TwoLayer(n=1, width=1, activation=(F(0), F(1)), X=((F(1), F(2)),), Y=((F(1), F(1)),),
                    train_output=False, output=((F(1),),), loss=Loss(name="logistic"))
    L = make_loss(prob, device="cpu")
    (e,) = escape_test(L, torch.tensor([[30.0]], dtype=D))
    assert e.escaping and e.route is Route.DESCENT


def _non_separable(loss_value, widths, seed=0):
    return random_instance(widths, Loss.from_value(loss_value), seed, separable=False)


@pytest.mark.parametrize("value, widths", [("logistic", (2, 2, 1)), ("cross-entropy", (2, 2, 2))])
def test_minima_of_non_separable_data_do_not_escape(value, widths):
    """Minima exist (a positively spanning block of samples): the search finds them, none escapes, none spurious."""
    res = search(_non_separable(value, widths), starts=16, seed=1, method="both")
    mins = [c for c in res.candidates if c["class"] in (PointClass.LOCAL_MIN, PointClass.GLOBAL_MIN)]
    assert mins and res.not_attained["runs"] == 0
    assert not any(c["class"] is PointClass.SPURIOUS_LOCAL_MIN for c in res.candidates)
    L = make_loss(res.problem, device="cpu")
    assert not any(e.escaping for e in escape_test(L, torch.tensor([c["params"] for c in mins], dtype=D)))


@pytest.mark.parametrize("value, widths", [("logistic", (2, 2, 1)), ("cross-entropy", (2, 2, 2))])
def test_separable_end_points_are_not_minima(value, widths, monkeypatch):
    """Separable data: no minimiser. No end point of the search is a minimum of any kind; nor are the points
    further out on their rays (output layer × 10³: what a longer run reaches) — those are ``unknown`` with
    ``not_attained``, counted apart. Without the escape test (monkeypatched away) they pass for minima: the test
    can fail."""
    prob = random_instance(widths, Loss.from_value(value), 0, separable=True)
    res = search(prob, starts=12, seed=0, method="adam")
    minima = {PointClass.LOCAL_MIN, PointClass.GLOBAL_MIN, PointClass.SPURIOUS_LOCAL_MIN}
    assert not {c.cls for c in res.classes} & minima
    L = make_loss(prob, device="cpu")
    far = res.points.clone()
    far[:, L.output_block()] *= 1e3
    got = classify_points(L, far)
    assert not {c.cls for c in got} & minima
    assert sum(bool(c.details.get("not_attained")) for c in got) >= 6
    again = search(prob, starts=12, method="adam", initial=far.tolist(), steps=0, newton_steps=0)
    assert again.not_attained["runs"] >= 6 and again.to_json()["not_attained"] == again.not_attained
    monkeypatch.setattr("numeric.classify.may_escape", lambda loss: False)
    assert {c.cls for c in classify_points(L, far)} & minima


def test_shallow_check_cases():
    X, Y = ((F(1), F(0), F(1)), (F(0), F(1), F(1))), ((F(1), F(2), F(0)), (F(-1), F(1), F(1)))
    quartic = Loss.from_value({"power": 4})
    wide = DeepLinear(widths=(2, 2, 2), X=X, Y=Y, loss=quartic)
    res = search(wide, starts=8, seed=0, method="both")
    best = min(res.candidates, key=lambda c: c["loss"])
    assert best["class"] in (PointClass.LOCAL_MIN, PointClass.GLOBAL_MIN)
    got = shallow_check(wide, best["params"])
    assert got.status is ShallowStatus.LOCAL_MIN and got.tested == "R" and got.rank == 2
    assert got.loss == pytest.approx(best["loss"], rel=1e-9)
    assert shallow_check(wide, [0.0] * 8).status is ShallowStatus.NOT_LOCAL_MIN      # R = 0: ∇ℓ(0) ≠ 0
    narrow = DeepLinear(widths=(2, 1, 2), X=X, Y=Y, loss=quartic)                    # the bound rank R ≤ 1 is active
    res = search(narrow, starts=8, seed=0, method="both")
    best = min(res.candidates, key=lambda c: c["loss"])
    got = shallow_check(narrow, best["params"])
    assert got.status is ShallowStatus.LOCAL_MIN and got.tested.startswith("factorisation") and got.rank == 1
    assert shallow_check(narrow, [0.0] * 4).status is ShallowStatus.UNDECIDED         # rank 0 < r = 1
    with pytest.raises(InputError) as e:
        shallow_check(DeepLinear(widths=(2, 1, 2), X=X, Y=Y, reg=F(1)), [0.0] * 4)
    assert e.value.field == "reg"


def test_shallow_check_refutes_a_non_minimum_image():
    """A deep point that is not a deep minimum maps to an R that is no shallow minimum either: the check says so
    (here R = W_2 W_1 = 2, ℓ = ½(R − 1)², ∇ℓ(2) = 1)."""
    prob = DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(1),),))
    got = shallow_check(prob, [1.0, 2.0])
    assert got.status is ShallowStatus.NOT_LOCAL_MIN and got.cls is PointClass.NOT_CRITICAL


def test_losses_evidence_small_family():
    ev = losses_evidence((2, 2, 2), Loss.from_value({"power": 4}), seeds=[0, 1], starts=8)
    assert [e.seed for e in ev] == [0, 1]
    for e in ev:
        assert e.starts == 8 and e.runs == 8 and sum(e.by_class.values()) == 8
        assert e.spurious == [] and e.not_attained == 0
        assert e.shallow and set(e.shallow_counts) == {ShallowStatus.LOCAL_MIN}
        assert e.to_json()["shallow"] == {"local-min": len(e.shallow)}
    sep = losses_evidence((2, 2, 1), Loss(name="logistic"), seeds=[3], separable=True, starts=8)[0]
    assert sep.not_attained >= 1 and sep.shallow == [] and sep.spurious == []


def test_random_instances():
    for value, dy in (("logistic", 1), ("cross-entropy", 3), ({"huber": 1}, 2)):
        for separable in (False, True):
            p = random_instance((3, 2, dy), Loss.from_value(value), 7, separable)
            assert p == random_instance((3, 2, dy), Loss.from_value(value), 7, separable)   # reproducible
            assert len(p.X[0]) == 3 * 4 + dy
    p = random_instance((2, 1), Loss(name="logistic"), 0, separable=False)
    assert p.Y[0][-3:] == (1, 1, 1)                      # the positively spanning block, labelled +1
    block = [col for col in zip(*p.X)][-3:]
    assert block[0][0] * block[1][1] != block[0][1] * block[1][0]                  # z_1, z_2 independent
    assert any(all(block[2][i] == -(a * block[0][i] + b * block[1][i]) for i in range(2))
               for a in (1, 2) for b in (1, 2))                                       # z_3 = −(a z_1 + b z_2)
    with pytest.raises(InputError):
        random_instance((2, 1), Loss(name="cross-entropy"), 0, separable=True)
