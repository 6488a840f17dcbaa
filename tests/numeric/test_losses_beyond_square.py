"""Losses beyond the square loss in the numeric layer: torch models import with their loss, and the search is
honest when the infimum is not attained (logistic / cross-entropy on separable data)."""

from fractions import Fraction as F

import pytest
import torch
from torch import nn

from numeric.losses import make_loss, value_and_grad
from numeric.torch_import import Poly, from_sequential
from verify.errors import InputError

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
