"""numeric.from_sequential on any nn.Sequential of Linear layers (bias or not) and the supported activations.

The returned problem, lowered by numeric.losses, must give the torch model's own loss at the returned point (the
model is an independent implementation of the same network); the point must be the model's weights exactly, in the
canonical order; the problem must be canonical (deep-linear / two-layer where the network is one); and every
unsupported model must be refused with an InputError naming the module.
"""

from fractions import Fraction as F

import pytest
import torch
from torch import nn

from numeric import Poly, from_sequential, make_loss
from verify.errors import InputError
from verify.problems import Activation, DeepLinear, Network, TwoLayer

D = torch.float64


def data(d_in=2, d_out=1, m=6, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(m, d_in, dtype=D, generator=gen), torch.randn(m, d_out, dtype=D, generator=gen)


def square(net, X, Y) -> float:
    with torch.no_grad():
        return float(0.5 * ((net(X) - Y) ** 2).sum())


def lowered(prob, point) -> float:
    return float(make_loss(prob, device="cpu")(torch.tensor([[float(x) for x in point]], dtype=D))[0])


def train(net, X, Y, steps=50):
    opt = torch.optim.Adam(net.parameters(), lr=0.05)
    for _ in range(steps):
        opt.zero_grad()
        (0.5 * ((net(X) - Y) ** 2).sum()).backward()
        opt.step()
    return net


def test_trained_tanh_relu_net_with_biases():
    torch.manual_seed(0)
    X, Y = data()
    net = train(nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 3, bias=False), nn.ReLU(),
                              nn.Linear(3, 1)).double(), X, Y)
    prob, point = from_sequential(net, X, Y)
    assert isinstance(prob, Network) and prob.widths == (2, 3, 3, 1) and prob.bias == (True, False, True)
    assert [a.name for a in prob.activations] == ["tanh", "relu"]
    assert [s[0] for s in prob.param_shapes()] == ["W1", "b1", "W2", "W3", "b3"]
    want = [net[0].weight, net[0].bias, net[2].weight, net[4].weight, net[4].bias]
    assert point == tuple(F(x) for t in want for x in t.detach().flatten().tolist())   # exact binary values
    assert lowered(prob, point) == pytest.approx(square(net, X, Y), rel=1e-12)
    assert prob.X == tuple(zip(*[[F(x) for x in row] for row in X.tolist()]))         # samples in columns


@pytest.mark.parametrize("act, want", [
    (nn.ReLU(), Activation(name="relu")),
    (nn.LeakyReLU(0.25), Activation(name="leaky_relu", alpha=F(1, 4))),
    (nn.Tanh(), Activation(name="tanh")),
    (nn.Sigmoid(), Activation(name="sigmoid")),
    (nn.Softplus(), Activation(name="softplus")),
    (Poly([1, 0, "1/2"]), Activation(name="poly", coeffs=(F(1), F(0), F(1, 2)))),
], ids=lambda v: type(v).__name__)
def test_every_activation_with_biases(act, want):
    X, Y = data(d_out=2, seed=1)
    torch.manual_seed(1)
    net = nn.Sequential(nn.Linear(2, 3), act, nn.Linear(3, 2)).double()
    prob, point = from_sequential(net, X, Y)
    assert isinstance(prob, Network) and prob.activations == (want,) and len(point) == prob.n_params == 17
    assert lowered(prob, point) == pytest.approx(square(net, X, Y), rel=1e-12)


def test_linear_layers_in_a_row_are_an_identity_activation():
    X, Y = data()
    torch.manual_seed(2)
    net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 3, bias=False), nn.Identity(), nn.Sigmoid(),
                        nn.Linear(3, 1)).double()
    prob, point = from_sequential(net, X, Y)
    assert isinstance(prob, Network) and [a.name for a in prob.activations] == ["identity", "sigmoid"]
    assert lowered(prob, point) == pytest.approx(square(net, X, Y), rel=1e-12)


def test_bias_free_linear_stack_is_deep_linear():
    X, Y = data(d_out=2)
    torch.manual_seed(3)
    net = nn.Sequential(nn.Linear(2, 3, bias=False), nn.Linear(3, 3, bias=False), nn.Identity(),
                        nn.Linear(3, 2, bias=False)).double()
    prob, point = from_sequential(net, X, Y, reg="1/10")
    assert isinstance(prob, DeepLinear) and prob.widths == (2, 3, 3, 2) and prob.reg == F(1, 10)
    reg = 0.05 * sum(float((layer.weight.detach() ** 2).sum()) for layer in net if isinstance(layer, nn.Linear))
    assert lowered(prob, point) == pytest.approx(square(net, X, Y) + reg, rel=1e-12)


def test_linear_square_linear_is_two_layer():
    X, Y = data()
    torch.manual_seed(4)
    net = nn.Sequential(nn.Linear(2, 3, bias=False), Poly([0, 0, 1]), nn.Linear(3, 1, bias=False)).double()
    prob, point = from_sequential(net, X, Y)
    assert isinstance(prob, TwoLayer) and prob.activation == (F(0), F(0), F(1)) and prob.train_output
    assert len(point) == 9 and lowered(prob, point) == pytest.approx(square(net, X, Y), rel=1e-12)
    fixed, w = from_sequential(net, X, Y, train_output=False)
    assert isinstance(fixed, TwoLayer) and not fixed.train_output and w == point[:6]
    assert fixed.output == (tuple(F(x) for x in net[2].weight[0].tolist()),)


def test_fixed_output_layer_keeps_its_bias_trained():
    X, Y = data()
    net = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1)).double()
    prob, point = from_sequential(net, X, Y, train_output=False)
    assert isinstance(prob, Network) and prob.train == (True, False) and prob.bias == (True, True)
    assert [s[0] for s in prob.param_shapes()] == ["W1", "b1", "b2"]
    assert lowered(prob, point) == pytest.approx(square(net, X, Y), rel=1e-12)


def test_torch_loss_module_on_a_network():
    X, Y = data()
    net = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1)).double()
    prob, point = from_sequential(net, X, Y, loss=nn.MSELoss())
    assert prob.loss.name == "mse"
    with torch.no_grad():
        want = float(nn.MSELoss()(net(X), Y))
    assert lowered(prob, point) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("model, field, words", [
    (lambda: nn.Sequential(nn.Linear(2, 2), nn.GELU(), nn.Linear(2, 1)), "model[1]", "GELU is not supported"),
    (lambda: nn.Sequential(nn.Linear(2, 2), nn.Dropout(), nn.Linear(2, 1)), "model[1]", "Dropout"),
    (lambda: nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(3, 1)), "model[2]", "in_features = 3"),
    (lambda: nn.Sequential(nn.Linear(2, 2), nn.Tanh()), "model[1]", "at the end"),
    (lambda: nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.ReLU(), nn.Linear(2, 1)), "model[2]", "in a row"),
    (lambda: nn.Sequential(nn.ReLU(), nn.Linear(2, 1)), "model[0]", "follow a Linear"),
    (lambda: nn.Sequential(nn.Linear(2, 2), nn.Softplus(beta=2), nn.Linear(2, 1)), "model[1]", "beta"),
    (lambda: nn.Sequential(nn.Identity()), "model", "no nn.Linear"),
    (lambda: nn.Linear(2, 1), "model", "nn.Sequential"),
    (lambda: nn.Sequential(nn.Linear(3, 1)), "X", "columns"),
], ids=["gelu", "dropout", "in_features", "activation-at-end", "two-activations", "activation-first", "softplus-beta",
        "no-linear", "not-sequential", "X-width"])
def test_refusals_name_the_module(model, field, words):
    X, Y = data()
    with pytest.raises(InputError) as e:
        from_sequential(model().double(), X, Y)
    assert e.value.field == field and words in e.value.detail


def test_poly_module():
    assert Poly([1, 0, "1/2"])(torch.tensor([2.0, -1.0], dtype=D)).tolist() == [3.0, 1.5]
    assert Poly([F(1, 3)]).coeffs == (F(1, 3),)
    with pytest.raises(InputError, match="coeffs"):
        Poly([0, 0])
    with pytest.raises(InputError, match="coeffs"):
        Poly([])
