"""The network kind's torch lowering (numeric.losses ``@lowering("network")``) agrees with the problem model.

For random small networks (:func:`verify.testing.strategies.network_problems`: depth 2–4, widths 1–3, every
activation, random bias flags and fixed layers, rational data and Λ) and rational points:

* polynomial and relu / leaky-relu nets: the float L equals the exact ``problem.ring_loss`` in Fractions (relu nets
  on the cell of the point, ``problem.activation_pattern``; kinks skipped), and the torch gradient the exact dual-number
  gradient (:func:`numeric.dual.dual_value_and_grad` in Fractions);
* nets with tanh / sigmoid / softplus: L and ∇L equal ``ring_loss`` over float dual numbers with :mod:`math`'s
  functions (:func:`numeric.dual.ring_special`) — plain Python, no torch; a relu after such a layer takes the side
  torch's pre-activation is on, only where that side is clear (|z| > 1e-6; a wrong side changes the reference).

The fingerprint (search de-duplication) is invariant under the symmetries it quotients and tells points apart; the
multi-start search runs on tiny tanh and relu nets with biases, from Python and from the command line.
"""

import json
import math
from dataclasses import replace
from fractions import Fraction as F

import pytest
import torch
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from numeric.dual import dual_value_and_grad, ring_special
from numeric.hessian import hessians
from numeric.losses import make_loss, value_and_grad
from numeric.search import search
from verify.cli import main
from verify.problems import Network
from verify.problems.base import reg_is_zero, shape, zeros
from verify.testing.strategies import network_problems, rationals

D = torch.float64
REL = 1e-9


def close(got, want, rel=REL) -> bool:
    """‖got − want‖∞ ≤ rel · max(1, ‖want‖∞)."""
    got, want = [float(x) for x in got], [float(x) for x in want]
    scale = max([1.0] + [abs(w) for w in want])
    return all(abs(g - w) <= rel * scale for g, w in zip(got, want, strict=True))


def torch_value_grad(prob, point):
    L = make_loss(prob, device="cpu")
    v, g = value_and_grad(L, torch.tensor([[float(x) for x in point]], dtype=D))
    return float(v[0]), g[0].tolist()


def torch_pattern(prob, point, margin=1e-6):
    """The side of 0 of every relu / leaky-relu pre-activation in torch (None for the other layers), or None when
    some |z| ≤ ``margin``."""
    low = make_loss(prob, device="cpu").lowering
    mats = make_loss(prob, device="cpu").unflatten(torch.tensor([float(x) for x in point], dtype=D))
    Z, pattern = low.X, []
    for i, (act, sigma) in enumerate(zip(prob.activations, low.sigmas), start=1):
        Z = low.layer(mats, i, Z)
        if act.piecewise:
            if bool((Z.abs() <= margin).any()):
                return None
            pattern.append(tuple(tuple(bool(z > 0) for z in row) for row in Z))
        else:
            pattern.append(None)
        Z = sigma(Z)
    return tuple(pattern)


@settings(max_examples=150, deadline=None)
@given(network_problems(), st.data())
def test_lowering_matches_the_exact_and_the_plain_python_loss(prob, data):
    point = data.draw(st.tuples(*[rationals()] * prob.n_params))
    value, grad = torch_value_grad(prob, point)
    event("transcendental" if prob.transcendental else "piecewise" if prob.piecewise_polynomial else "polynomial")
    if prob.transcendental:
        mask = torch_pattern(prob, point)
        assume(mask is not None)
        want, want_grad = dual_value_and_grad(prob, [float(x) for x in point], float, relu_mask=mask,
                                              special=ring_special(math))
    else:
        mask = prob.activation_pattern(point)
        assume(mask is not None or not prob.piecewise_polynomial)
        exact = prob.ring_loss(prob.unflatten(list(point)), F, F(0), relu_mask=mask)
        want, want_grad = dual_value_and_grad(prob, list(point), F, relu_mask=mask)
        assert want == exact
    assert close([value], [want]), (value, float(want), prob.describe())
    assert close(grad, want_grad), (grad, [float(g) for g in want_grad], prob.describe())


def test_a_wrong_activation_is_caught():
    """The comparison can fail: the same net with σ = sigmoid instead of tanh gives another loss."""
    def net(act):
        return Network.from_dict({"widths": [1, 2, 1], "activation": [act], "bias": [True, False], "X": [[1, 2]],
                                  "Y": [[1, 0]]})

    point = [F(1), F(-1, 2), F(1, 3), F(2), F(1), F(-1)]
    want = dual_value_and_grad(net("tanh"), [float(x) for x in point], float, special=ring_special(math))[0]
    assert close([torch_value_grad(net("tanh"), point)[0]], [want])
    assert not close([torch_value_grad(net("sigmoid"), point)[0]], [want])


def test_softplus_is_the_mathematical_one_far_out():
    """softplus(z) = log(1 + e^z) also above torch's threshold 20 (at z = 25 the two differ by e^-25 ≈ 1.4e-11, far
    above float64's resolution of 25), and its second derivative stays finite far below 0 (where ``logaddexp``'s is
    NaN): L = ½(u·softplus(w) − y)² with x = 1, u = 1, y = 0."""
    prob = Network.from_dict({"widths": [1, 1, 1], "activation": ["softplus"], "X": [[1]], "Y": [[0]]})
    for w in (25.0, 0.0, -800.0):
        sp = max(w, 0) + math.log1p(math.exp(-abs(w)))
        assert torch_value_grad(prob, [w, 1.0])[0] == pytest.approx(sp * sp / 2, rel=1e-15, abs=0)
    H = hessians(make_loss(prob, device="cpu"), torch.tensor([[-800.0, 1.0]], dtype=D))
    assert bool(torch.isfinite(H).all())


def _symmetric_layers(prob):
    """The hidden layers l whose units the fingerprint permutes (W_l and W_{l+1} trained, Λ scalar or 0), each with
    whether it also rescales them (σ positively homogeneous, Λ = 0)."""
    if not (isinstance(prob.reg, F) or reg_is_zero(prob.reg)):
        return []
    return [(l, act.degree is not None and reg_is_zero(prob.reg)) for l, act in enumerate(prob.activations, start=1)
            if prob.train[l - 1] and prob.train[l]]


def _unit_symmetry(prob, point, gen):
    """A random permutation of the units of every symmetric layer and, where it applies, a random positive
    rescaling (c·in_i, c^-k·out_i) of each unit (σ positively homogeneous of degree k)."""
    mats = {k: [list(r) for r in v] for k, v in prob.unflatten(list(point)).items()}
    for l, rescale in _symmetric_layers(prob):
        ins = [n for n in (f"W{l}", f"b{l}") if n in mats]
        out = f"W{l + 1}"
        perm = torch.randperm(prob.widths[l], generator=gen).tolist()
        for n in ins:
            mats[n] = [mats[n][p] for p in perm]
        mats[out] = [[row[p] for p in perm] for row in mats[out]]
        if rescale:
            k = prob.activations[l - 1].degree
            cs = [0.5 + 1.5 * float(torch.rand(1, generator=gen)) for _ in perm]
            for n in ins:
                mats[n] = [[x * c for x in row] for row, c in zip(mats[n], cs)]
            mats[out] = [[x / c ** k for x, c in zip(row, cs)] for row in mats[out]]
    return [x for name, _, _ in prob.param_shapes() for row in mats[name] for x in row]


@settings(max_examples=60, deadline=None)
@given(network_problems(names=("relu", "leaky_relu", "tanh", "poly", "identity")), st.integers(0, 2 ** 31))
def test_fingerprint_quotients_unit_symmetries(prob, seed):
    """Invariance where the fingerprint promises it: a rescaled layer before the last hidden one has incoming rows
    of ≥ 2 entries (1-entry rows all rescale to ±1, a tie broken by the next layer's weights)."""
    last = prob.depth - 1
    assume(all(not rescale or l == last or prob.widths[l - 1] + prob.bias[l - 1] >= 2
               for l, rescale in _symmetric_layers(prob)))
    gen = torch.Generator().manual_seed(seed)
    point = torch.randn(prob.n_params, dtype=D, generator=gen).tolist()
    moved = _unit_symmetry(prob, point, gen)
    L = make_loss(prob, device="cpu")
    both = torch.tensor([point, moved], dtype=D)
    values = L(both)
    assert close([values[1]], [values[0]])
    fp = L.fingerprint(both)
    assert torch.allclose(fp[0], fp[1], rtol=1e-9, atol=1e-9), (prob.describe(), fp)
    other = torch.tensor([point], dtype=D) + 0.1
    assert not torch.allclose(L.fingerprint(other)[0], fp[0], rtol=1e-6, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(network_problems(regularised=False), st.integers(0, 2 ** 31))
def test_output_block_scales_the_output(prob, seed):
    """The escape test's ray (:meth:`numeric.losses.BatchedLoss.output_block`, W_H and b_H): with Y = 0 and no Λ,
    scaling the block by 2 scales L = ½‖O‖² by 4; None exactly when W_H is fixed."""
    prob = replace(prob, Y=zeros(*shape(prob.Y)))
    L = make_loss(prob, device="cpu")
    block = L.output_block()
    assert (block is None) == (not prob.train[-1])
    assume(block is not None)
    theta = torch.randn(1, prob.n_params, dtype=D, generator=torch.Generator().manual_seed(seed))
    scaled = theta.clone()
    scaled[:, block] *= 2
    assert close([L(scaled)[0]], [4 * L(theta)[0]])


TANH = {"widths": [1, 2, 1], "activation": ["tanh"], "bias": [True, True], "X": [[-1, 0, 1, 2]], "Y": [[0, 1, 0, 1]]}
RELU = {**TANH, "activation": ["relu"], "bias": [True, False]}


@pytest.mark.parametrize("spec", [pytest.param(TANH, marks=pytest.mark.slow), RELU], ids=["tanh", "relu"])
def test_search_runs_on_networks_with_biases(spec):
    """Multi-start search (adam and newton from 12 starts) on a 1-2-1 net with biases: every run is classified, every
    candidate is a point of the network's 7 (tanh) or 6 (relu) parameters."""
    prob = Network.from_dict(spec)
    out = search(prob, starts=12, seed=0, steps=2000).to_json()
    assert out["status"] == "evidence" and out["runs"] == 24
    assert sum(v["runs"] for v in out["by_class"].values()) == 24
    assert out["candidates"] and all(len(c["params"]) == prob.n_params for c in out["candidates"])
    if spec is TANH:    # 4 samples, two tanh units with biases: an exact fit exists and Adam finds one
        assert min(c["loss"] for c in out["candidates"]) < 1e-12


def test_search_command_on_a_network_file(tmp_path, capsys):
    f = tmp_path / "relu.toml"
    f.write_text('kind = "network"\nwidths = [1, 2, 1]\nactivation = ["relu"]\nbias = [true, false]\n'
                 'X = [[-1, 0, 1, 2]]\nY = [[0, 1, 0, 1]]\n')
    assert main(["search", str(f), "--starts", "6", "--steps", "500", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["backend"] == "numeric" and out["runs"] == 12 and out["candidates"]
    assert len(out["candidates"][0]["params"]) == 6          # W1 (2), b1 (2), W2 (2)
