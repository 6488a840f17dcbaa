"""Import a torch model: an ``nn.Sequential`` of bias-free ``nn.Linear`` layers → a Spurious problem and point.

Accepted architectures (activations: ``nn.Identity``, :class:`Poly`, ``nn.ReLU``):

* ``Linear, Linear, …`` (identities allowed between them) → :class:`verify.problems.DeepLinear`,
  widths [d_x, d_1, …, d_y], the point (W_1, …, W_H) in canonical order;
* ``Linear(n, p), act, Linear(p, d_y)`` with act = Poly or ReLU → :class:`verify.problems.TwoLayer`
  (``train_output=False`` fixes U to the second layer's weights: then the point is W alone).

The data term is the square loss ½‖O − Y‖²_F unless ``loss`` names another (:func:`torch_loss`: a torch loss module
such as ``nn.MSELoss()`` or ``nn.HuberLoss(reduction="sum")``, or a loss value of a problem file).

Data follow torch's convention, one sample per ROW: X is (m, d_x), Y is (m, d_y); Spurious stores them
transposed (one sample per column). Every float becomes its exact binary value as a Fraction (no rounding),
so the problem is exactly the one the model computes in float64 arithmetic — up to that arithmetic's rounding.

>>> import torch
>>> from torch import nn
>>> net = nn.Sequential(nn.Linear(1, 1, bias=False), nn.Linear(1, 1, bias=False)).double()
>>> _ = [l.weight.data.fill_(0.5) for l in net]
>>> prob, point = from_sequential(net, torch.ones(1, 1), torch.ones(1, 1))
>>> prob.kind, prob.widths, [str(x) for x in point]
('deep-linear', (1, 1, 1), ['1/2', '1/2'])
"""

from __future__ import annotations

from fractions import Fraction

import torch
from torch import nn

from verify.errors import InputError
from verify.problems import DeepLinear, Problem, TwoLayer
from verify.problems.losses import Loss


class Poly(nn.Module):
    """σ(t) = Σ_j c_j t^j elementwise; the coefficients are kept exactly (ints, Fractions, "p/q" strings)."""

    def __init__(self, coeffs):
        super().__init__()
        from verify.problems.numbers import to_fraction

        if not isinstance(coeffs, (list, tuple)) or not coeffs:
            raise InputError("coeffs", "must be a non-empty list of polynomial coefficients [c0, c1, ...]")
        self.coeffs = tuple(to_fraction(c, f"coeffs[{j}]") for j, c in enumerate(coeffs))
        if all(c == 0 for c in self.coeffs):
            raise InputError("coeffs", "needs at least one non-zero coefficient")

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        out = torch.zeros_like(t)
        for c in reversed(self.coeffs):
            out = out * t + float(c)
        return out

    def extra_repr(self) -> str:
        return "coeffs=[" + ", ".join(str(c) for c in self.coeffs) + "]"


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


def from_sequential(model: nn.Sequential, X: torch.Tensor, Y: torch.Tensor, *, reg=0, train_output: bool = True,
                    loss=None) -> tuple[Problem, tuple[Fraction, ...]]:
    """(problem, point) for ``model`` with data ``X`` (m × d_x) and ``Y`` (m × d_y), samples in rows, and the
    data term ``loss`` (default: the square loss ½‖O − Y‖²; any form :func:`torch_loss` takes — a torch loss
    module such as ``nn.MSELoss()``, or a loss value such as ``"logistic"``)."""
    if not isinstance(model, nn.Sequential):
        raise InputError("model", f"expected nn.Sequential, got {type(model).__name__}")
    layers, acts = [], []
    for i, mod in enumerate(model):
        if isinstance(mod, nn.Linear):
            if mod.bias is not None:
                raise InputError(f"model[{i}]", "nn.Linear must have bias=False (Spurious nets have no biases)")
            layers.append(mod)
        elif isinstance(mod, nn.Identity):
            continue
        elif isinstance(mod, (Poly, nn.ReLU)):
            if not layers:
                raise InputError(f"model[{i}]", "an activation must follow a Linear layer")
            acts.append((len(layers), mod))
        else:
            raise InputError(f"model[{i}]", f"{type(mod).__name__} is not supported (Linear, Identity, Poly, ReLU)")
    if not layers:
        raise InputError("model", "has no nn.Linear layer")
    for k in range(1, len(layers)):
        if layers[k].in_features != layers[k - 1].out_features:
            raise InputError(f"model[{k}]", "in_features does not match the previous layer's out_features")
    from verify.problems.numbers import to_fraction

    reg_f = to_fraction(reg, "reg")
    data_loss, Y = torch_loss(loss, Y)
    Xe = _exact(X, "X")
    Ye = _exact(Y, "Y")
    Xt = tuple(zip(*Xe))
    Yt = tuple(zip(*Ye))
    if len(Xe[0]) != layers[0].in_features:
        raise InputError("X", f"has {len(Xe[0])} columns (features); the first layer takes {layers[0].in_features}")
    if len(Ye) != len(Xe):
        raise InputError("Y", f"has {len(Ye)} rows (samples); X has {len(Xe)}")
    weights = [_exact(layer.weight, f"model layer {k} weight") for k, layer in enumerate(layers)]
    flat = lambda mats: tuple(x for M in mats for row in M for x in row)  # noqa: E731
    if not acts:
        widths = (layers[0].in_features,) + tuple(layer.out_features for layer in layers)
        return DeepLinear(widths=widths, X=Xt, Y=Yt, reg=reg_f, loss=data_loss), flat(weights)
    if len(layers) != 2 or len(acts) != 1 or acts[0][0] != 1:
        raise InputError("model", "with an activation, the model must be Linear(n, p), activation, Linear(p, d_y)")
    act = acts[0][1]
    activation = "relu" if isinstance(act, nn.ReLU) else act.coeffs
    W, U = weights
    if train_output:
        prob = TwoLayer(n=layers[0].in_features, width=layers[0].out_features, activation=activation, X=Xt, Y=Yt,
                        train_output=True, reg=reg_f, loss=data_loss)
        return prob, flat([W, U])
    prob = TwoLayer(n=layers[0].in_features, width=layers[0].out_features, activation=activation, X=Xt, Y=Yt,
                    train_output=False, output=U, reg=reg_f, loss=data_loss)
    return prob, flat([W])
