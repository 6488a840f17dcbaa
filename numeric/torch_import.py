"""Import a torch model: an ``nn.Sequential`` of ``nn.Linear`` layers and activations → a Spurious problem and point.

``nn.Linear`` layers (with or without bias) with at most one activation between two of them — ``nn.ReLU``,
``nn.LeakyReLU(α)``, ``nn.Tanh``, ``nn.Sigmoid``, ``nn.Softplus`` (β = 1) or :class:`Poly`; no activation means the
identity, and ``nn.Identity`` is skipped — and a linear output layer, give the ``network`` problem
(CONTRACT.md) in its canonical form (:meth:`verify.problems.Problem.canonical`): a bias-free stack with identity
activations is a :class:`verify.problems.DeepLinear` (widths [d_x, d_1, …, d_y], the point (W_1, …, W_H)); a
bias-free ``Linear(n, p), act, Linear(p, d_y)`` with act = Poly or ReLU is a :class:`verify.problems.TwoLayer`
(the point (W, U)); anything else a :class:`verify.problems.Network` (the point W_1, b_1, W_2, b_2, …).
``train_output=False`` fixes the output layer's weight W_H to its current value (two-layer: U; then the point leaves
it out; an output bias stays trained).

The data term is the square loss ½‖O − Y‖²_F unless ``loss`` names another (:func:`torch_loss`: a torch loss module
such as ``nn.MSELoss()`` or ``nn.HuberLoss(reduction="sum")``, or a loss value of a problem file).

Data follow torch's convention, one sample per ROW: X is (m, d_x), Y is (m, d_y); Spurious stores them
transposed (one sample per column). Every float becomes its exact binary value as a Fraction (no rounding),
so the problem is exactly the one the model computes in float64 arithmetic — up to that arithmetic's rounding, and
for ``nn.Softplus`` up to its linear switch above ``threshold`` (the problem's softplus is log(1 + e^z) everywhere).

>>> import torch
>>> from torch import nn
>>> net = nn.Sequential(nn.Linear(1, 1, bias=False), nn.Linear(1, 1, bias=False)).double()
>>> _ = [l.weight.data.fill_(0.5) for l in net]
>>> prob, point = from_sequential(net, torch.ones(1, 1), torch.ones(1, 1))
>>> prob.kind, prob.widths, [str(x) for x in point]
('deep-linear', (1, 1, 1), ['1/2', '1/2'])
>>> net = nn.Sequential(nn.Linear(1, 2), nn.Tanh(), nn.Linear(2, 1))
>>> from_sequential(net, torch.ones(1, 1), torch.ones(1, 1))[0].describe()
'network 1-2-1 (tanh) +bias'
"""

from __future__ import annotations

from fractions import Fraction

import torch
from torch import nn

from verify.errors import InputError
from verify.problems import Activation, Network, Problem
from verify.problems.losses import Loss
from verify.problems.numbers import to_fraction

from .poly import Poly


def _exact(t: torch.Tensor, field: str) -> tuple[tuple[Fraction, ...], ...]:
    t = t.detach().to("cpu", torch.float64)
    if t.ndim != 2:
        raise InputError(field, f"must be a matrix, got shape {tuple(t.shape)}")
    if not bool(torch.isfinite(t).all()):
        raise InputError(field, "has a non-finite entry")
    return tuple(tuple(Fraction(float(x)) for x in row) for row in t.tolist())


_SUM_ONLY = {nn.HuberLoss: "huber", nn.SoftMarginLoss: "logistic", nn.BCEWithLogitsLoss: "logistic",
             nn.CrossEntropyLoss: "cross-entropy"}


def torch_loss(loss, Y: torch.Tensor) -> tuple[Loss, torch.Tensor]:
    """(ℓ, Y) for a loss given as a :class:`~verify.problems.losses.Loss`, a problem file's ``loss`` value
    (``"mse"``, ``{"huber": "1/2"}``, …) or a torch loss module, with Y (m × d_y, or class indices (m,)) in the
    form that ℓ reads. Torch modules map onto the same definitions (:mod:`verify.problems.losses`):

    ==========================================  =====================================================
    ``nn.MSELoss()`` (mean)                     ``"mse"``;  ``reduction="sum"``: ``{poly = [0, 0, 1]}``
    ``nn.HuberLoss(reduction="sum", delta=δ)``  ``{huber = δ}``
    ``nn.SoftMarginLoss(reduction="sum")``      ``"logistic"`` (labels ±1)
    ``nn.BCEWithLogitsLoss(reduction="sum")``   ``"logistic"`` with labels 2y − 1 (y ∈ {0, 1})
    ``nn.CrossEntropyLoss(reduction="sum")``    ``"cross-entropy"``; class indices become one-hot rows
    ==========================================  =====================================================

    Other reductions divide by the sample count, which no loss of the registry does (but ``"mse"``); they are an
    :class:`InputError` naming ``loss``, as are weights, label smoothing and ignored indices.
    """
    if loss is None or isinstance(loss, Loss):
        return loss or Loss(), Y
    if not isinstance(loss, nn.Module):
        return Loss.from_value(loss), Y
    if isinstance(loss, nn.MSELoss):
        if loss.reduction not in ("mean", "sum"):
            raise InputError("loss", f"nn.MSELoss(reduction={loss.reduction!r}): use 'mean' or 'sum'")
        return Loss.from_value("mse" if loss.reduction == "mean" else {"poly": [0, 0, 1]}), Y
    name = next((v for k, v in _SUM_ONLY.items() if isinstance(loss, k)), None)
    if name is None:
        raise InputError("loss", f"{type(loss).__name__} is not supported (MSELoss, HuberLoss, SoftMarginLoss, "
                         "BCEWithLogitsLoss, CrossEntropyLoss; or a loss value such as \"logistic\")")
    if loss.reduction != "sum":
        raise InputError("loss", f"{type(loss).__name__}(reduction={loss.reduction!r}) averages over samples; "
                         "Spurious' losses sum over them: use reduction=\"sum\"")
    extras = [k for k in ("weight", "pos_weight") if getattr(loss, k, None) is not None]
    if extras or getattr(loss, "label_smoothing", 0) or getattr(loss, "ignore_index", -100) != -100:
        raise InputError("loss", f"{type(loss).__name__} with {', '.join(extras) or 'label smoothing or ignore_index'}"
                         " is not supported")
    if isinstance(loss, nn.HuberLoss):
        return Loss.from_value({"huber": Fraction(float(loss.delta))}, "loss"), Y
    if isinstance(loss, nn.BCEWithLogitsLoss):
        return Loss(name="logistic"), 2 * Y - 1
    if isinstance(loss, nn.CrossEntropyLoss) and Y.ndim == 1:
        if Y.dtype.is_floating_point or Y.numel() == 0:
            raise InputError("Y", "class-index targets of nn.CrossEntropyLoss must be a non-empty integer tensor")
        return Loss(name="cross-entropy"), nn.functional.one_hot(Y.long()).to(torch.float64)
    return Loss(name=name), Y


_ACTIVATIONS = "ReLU, LeakyReLU, Tanh, Sigmoid, Softplus, Poly"


def _activation(mod: nn.Module, field: str) -> Activation | None:
    """The network activation of a torch module, or None when ``mod`` is not an activation; an activation the
    network kind does not have (Softplus with β ≠ 1) is an :class:`InputError` naming ``field``."""
    if isinstance(mod, Poly):
        return Activation.from_value({"poly": list(mod.coeffs)}, field)
    if isinstance(mod, nn.LeakyReLU):
        return Activation.from_value({"leaky_relu": Fraction(float(mod.negative_slope))}, field)
    if isinstance(mod, nn.Softplus):
        if mod.beta != 1:
            raise InputError(field, f"nn.Softplus(beta={mod.beta!r}): only beta = 1, σ(z) = log(1 + e^z), is supported")
        return Activation(name="softplus")
    named = {nn.ReLU: "relu", nn.Tanh: "tanh", nn.Sigmoid: "sigmoid"}
    name = next((v for k, v in named.items() if isinstance(mod, k)), None)
    return None if name is None else Activation(name=name)


def _layers(model: nn.Sequential) -> tuple[list[nn.Linear], list[Activation]]:
    """The Linear layers and the activation after each hidden one (identity where two Linears meet)."""
    layers: list[nn.Linear] = []
    acts: list[Activation] = []
    pending: tuple[int, Activation] | None = None         # an activation not yet followed by a Linear
    for i, mod in enumerate(model):
        field = f"model[{i}]"
        if isinstance(mod, nn.Identity):
            continue
        if isinstance(mod, nn.Linear):
            if layers:
                if mod.in_features != layers[-1].out_features:
                    raise InputError(field, f"in_features = {mod.in_features} does not match the previous Linear's "
                                     f"out_features = {layers[-1].out_features}")
                acts.append(pending[1] if pending else Activation(name="identity"))
            layers.append(mod)
            pending = None
            continue
        act = _activation(mod, field)
        if act is None:
            raise InputError(field, f"{type(mod).__name__} is not supported (Linear, Identity, {_ACTIVATIONS})")
        if not layers:
            raise InputError(field, "an activation must follow a Linear layer")
        if pending is not None:
            raise InputError(field, f"two activations in a row (model[{pending[0]}] and model[{i}]); at most one "
                             "between two Linear layers")
        pending = (i, act)
    if not layers:
        raise InputError("model", "has no nn.Linear layer")
    if pending is not None:
        raise InputError(f"model[{pending[0]}]", "an activation at the end: the output layer must be linear (end with "
                         "an nn.Linear)")
    return layers, acts


def from_sequential(model: nn.Sequential, X: torch.Tensor, Y: torch.Tensor, *, reg=0, train_output: bool = True,
                    loss=None) -> tuple[Problem, tuple[Fraction, ...]]:
    """(problem, point) for ``model`` with data ``X`` (m × d_x) and ``Y`` (m × d_y), samples in rows, and the
    data term ``loss`` (default: the square loss ½‖O − Y‖²; any form :func:`torch_loss` takes — a torch loss
    module such as ``nn.MSELoss()``, or a loss value such as ``"logistic"``). The problem is canonical (module
    docstring); the point is the model's current weights, exactly, in its canonical order."""
    if not isinstance(model, nn.Sequential):
        raise InputError("model", f"expected nn.Sequential, got {type(model).__name__}")
    layers, acts = _layers(model)
    reg_f = to_fraction(reg, "reg")
    data_loss, Y = torch_loss(loss, Y)
    Xe = _exact(X, "X")
    Ye = _exact(Y, "Y")
    if not Xe:
        raise InputError("X", "needs at least one sample (row)")
    if len(Xe[0]) != layers[0].in_features:
        raise InputError("X", f"has {len(Xe[0])} columns (features); the first layer takes {layers[0].in_features}")
    if len(Ye) != len(Xe):
        raise InputError("Y", f"has {len(Ye)} rows (samples); X has {len(Xe)}")
    blocks = {}
    for k, layer in enumerate(layers, start=1):
        blocks[f"W{k}"] = _exact(layer.weight, f"model layer {k} weight")
        if layer.bias is not None:
            blocks[f"b{k}"] = _exact(layer.bias.reshape(-1, 1), f"model layer {k} bias")
    H = len(layers)
    train = (True,) * (H - 1) + (bool(train_output),)
    net = Network(widths=(layers[0].in_features,) + tuple(layer.out_features for layer in layers),
                  activations=tuple(acts), bias=tuple(layer.bias is not None for layer in layers),
                  X=tuple(zip(*Xe)), Y=tuple(zip(*Ye)), train=train,
                  fixed=(None,) * (H - 1) + (None if train_output else blocks[f"W{H}"],), reg=reg_f, loss=data_loss)
    point = tuple(x for name, _, _ in net.param_shapes() for row in blocks[name] for x in row)
    return net.canonical(), point
