"""Two-layer networks ŷ = U σ(W x) (Venturi, Bandeira & Bruna 2018; Freeman & Bruna 2017 for σ = relu).

L(W, U) = ½‖U σ(W X) − Y‖²_F + ½⟨Λ_W, W∘W⟩ + ½⟨Λ_U, U∘U⟩, σ(t) = Σ_j c_j t^j or relu; W is p × n
(p = ``width``), U is d_y × p, fixed to ``output`` when not trained. Canonical order: W, then U.

For σ = relu the loss is piecewise polynomial: on the open cell of an activation pattern
1[(W X)_ij > 0] it is the polynomial with σ(t) = t on active entries and 0 elsewhere (``relu_mask``).

>>> from fractions import Fraction as F
>>> p = TwoLayer.from_dict({"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": [0, 0, 1]},
...                         "X": [[1]], "Y": [[1]]})
>>> p.ring_loss(p.unflatten([F(1), F(1)]), F, F(0))
Fraction(0, 1)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Union

from verify.errors import InputError
from verify.problems.base import (
    HiddenLayer,
    HuntFamily,
    Matrix,
    Problem,
    Reg,
    SweepAxis,
    check_data,
    check_fit,
    positive_int,
    ring_const,
    ring_matmul,
    ring_objective,
    shape,
)
from verify.problems.losses import SQUARE, Loss
from verify.problems.numbers import (
    MAX_WIDTH,
    fraction_str,
    matrix_json,
    parse_matrix,
    parse_reg,
    reg_json,
    show,
    to_fraction,
    to_int,
)

MAX_ACTIVATION_DEGREE = 63


@dataclass(frozen=True)
class TwoLayer(Problem):
    """Two-layer network ŷ = U σ(W x), W is p × n (p = ``width``), U is d_y × p.

    ``activation`` is a tuple of polynomial coefficients (c_0, c_1, …) or the string ``"relu"``.
    """

    n: int
    width: int
    activation: Union[tuple[Fraction, ...], str]
    X: Matrix
    Y: Matrix
    train_output: bool = True
    output: Matrix | None = None
    reg: Reg = Fraction(0)
    loss: Loss = SQUARE
    kind = "two-layer"
    file_keys = frozenset({"kind", "n", "width", "activation", "X", "Y", "train_output", "output", "reg", "loss"})
    required_keys = ("n", "width", "activation", "X", "Y")
    symmetries = ("permutations of hidden units", "rescaling (c·w_i, u_i/c^k) for σ(t) = t^k")
    sweep_axes = (SweepAxis("n", 2, 1), SweepAxis("width", low=1), SweepAxis("activation"), SweepAxis("dy", 1, 1),
                  SweepAxis("samples", 3, 1), SweepAxis("reg", 0), SweepAxis("train_output", True),
                  SweepAxis("loss", "square"))
    hunt_families = (HuntFamily("two-layer-poly", "two-layer nets with polynomial activations of degree at most 3, "
                                "the one-parameter nets with cubic activations first",
                                ("verify.testing.strategies:smallest_two_layer_problems",
                                 "verify.testing.strategies:two_layer_problems"), (("max_degree", 3),)),)

    def __post_init__(self):
        positive_int(self.n, "n")
        positive_int(self.width, "width")
        if isinstance(self.activation, str):
            if self.activation != "relu":
                raise InputError("activation",
                                 f"unknown activation {self.activation!r}; use \"relu\" or {{poly = [c0, c1, ...]}}")
        elif not self.activation or all(c == 0 for c in self.activation):
            raise InputError("activation.poly", "needs at least one non-zero coefficient")
        if shape(self.X)[0] != self.n:
            raise InputError("X", f"must have n = {self.n} rows, got {shape(self.X)[0]}")
        check_data(self.X, self.Y, None)
        if shape(self.Y)[0] < 1:
            raise InputError("Y", "needs at least one output row")
        if not self.train_output:
            if self.output is None:
                raise InputError("output", "required when train_output = false (the fixed U, d_y × width)")
            if shape(self.output) != (self.d_y, self.width):
                raise InputError("output", f"must be d_y × width = {self.d_y}×{self.width}, got "
                                 f"{shape(self.output)[0]}×{shape(self.output)[1]}")
        elif self.output is not None:
            raise InputError("output", "only allowed when train_output = false")
        check_fit(self, "width")

    @classmethod
    def from_dict(cls, d: dict) -> "TwoLayer":
        act = d["activation"]
        if isinstance(act, str):
            if act != "relu":
                raise InputError("activation",
                                 f"unknown activation {show(act)}; use \"relu\" or {{ poly = [c0, c1, ...] }}")
            activation = "relu"
        elif isinstance(act, dict) and set(act) == {"poly"} and isinstance(act["poly"], list):
            if len(act["poly"]) > MAX_ACTIVATION_DEGREE + 1:
                raise InputError("activation.poly", f"degree above {MAX_ACTIVATION_DEGREE} is not supported")
            activation = tuple(to_fraction(c, f"activation.poly[{j}]") for j, c in enumerate(act["poly"]))
        else:
            raise InputError("activation", "must be \"relu\" or { poly = [c0, c1, ...] }")
        train = d.get("train_output", True)
        if not isinstance(train, bool):
            raise InputError("train_output", f"{show(train)} must be true or false")
        output = d.get("output")
        return cls(n=to_int(d["n"], "n", maximum=MAX_WIDTH), width=to_int(d["width"], "width", maximum=MAX_WIDTH),
                   activation=activation, X=parse_matrix(d["X"], "X"), Y=parse_matrix(d["Y"], "Y"),
                   train_output=train, output=None if output is None else parse_matrix(output, "output"),
                   reg=parse_reg(d.get("reg", 0)), loss=Loss.from_value(d.get("loss")))

    @classmethod
    def sweep_problem(cls, p: dict, data) -> dict:
        """``n`` inputs, ``width`` units of ``activation``, ``dy`` outputs; a fixed output layer is all ones."""
        X, Y = data(p["n"], p["dy"], p["samples"])
        out = {"kind": cls.kind, "n": p["n"], "width": p["width"], "activation": p["activation"], "X": X, "Y": Y,
               "train_output": p["train_output"], "reg": p["reg"]}
        if not p["train_output"]:
            out["output"] = [[1] * p["width"] for _ in range(p["dy"])]
        return out

    def to_json(self) -> dict:
        act = "relu" if self.is_relu else {"poly": [fraction_str(c) for c in self.activation]}
        out = {"kind": self.kind, "n": self.n, "width": self.width, "activation": act, "X": matrix_json(self.X),
               "Y": matrix_json(self.Y), "train_output": self.train_output,
               "output": None if self.output is None else matrix_json(self.output), "reg": reg_json(self.reg)}
        if not self.loss.is_square:
            out["loss"] = self.loss.to_json()
        return out

    @property
    def d_y(self) -> int:
        return len(self.Y)

    @property
    def is_relu(self) -> bool:
        return self.activation == "relu"

    def param_shapes(self):
        shapes = [("W", self.width, self.n)]
        if self.train_output:
            shapes.append(("U", self.d_y, self.width))
        return tuple(shapes)

    def ring_loss(self, mats, conv, zero, relu_mask=None):
        W = mats["W"]
        Z = ring_matmul(W, ring_const(self.X, conv), zero)
        if self.is_relu:
            if relu_mask is None:
                raise InputError("activation", "relu loss needs an activation pattern (a point off the kinks)")
            S = [[z if on else zero for z, on in zip(zr, mr)] for zr, mr in zip(Z, relu_mask)]
        else:
            coeffs = [conv(c) for c in self.activation]
            S = [[_horner(coeffs, z, zero) for z in zr] for zr in Z]
        U = mats["U"] if self.train_output else ring_const(self.output, conv)
        regd = [W, mats["U"]] if self.train_output else [W]
        return ring_objective(self.loss, ring_matmul(U, S, zero), self.Y, self.reg, regd, conv, zero)

    def hidden_layers(self):
        return (HiddenLayer(width=self.width, incoming=("W",), outgoing=("U",) if self.train_output else (),
                            degree=1 if self.is_relu else self._monomial_degree(),
                            linear=not self.is_relu and tuple(self.activation) in ((0, 1), (0, 1, 0))),)

    def activation_pattern(self, point, at_kinks: bool = False):
        """Activation pattern 1[(W X)_ij > 0] at ``point`` (relu), or None when some (W X)_ij = 0 (a kink).

        With ``at_kinks`` the pattern is returned at a kink too: relu(z) = z·1[z > 0] also at z = 0, so it gives
        the exact VALUE of L there (not its derivatives: L is not differentiable at a kink)."""
        if not self.is_relu:
            return None
        W = self.unflatten([Fraction(x) for x in point])["W"]
        Z = ring_matmul(W, [list(r) for r in self.X], Fraction(0))
        if not at_kinks and any(z == 0 for row in Z for z in row):
            return None
        return tuple(tuple(z > 0 for z in row) for row in Z)

    def _monomial_degree(self) -> int | None:
        nonzero = [k for k, c in enumerate(self.activation) if c != 0]
        return nonzero[0] if len(nonzero) == 1 and nonzero[0] >= 1 else None

    @property
    def rescaling_degree(self) -> int | None:
        """k when σ(z) = a·z^k (a ≠ 0, k ≥ 1) and U is trained: σ((c·w_i)·x) = c^k σ(w_i·x), so u_i ↦ c^(−k)·u_i
        undoes it. E.g. σ = [0, 0, 3] (3z²) gives 2; σ = [1, 1], relu or a fixed U give None."""
        if self.is_relu or not self.train_output:
            return None
        return self._monomial_degree()

    @property
    def polynomial(self) -> bool:
        return not self.is_relu and self.loss.polynomial

    @property
    def piecewise_polynomial(self) -> bool:
        return self.is_relu and self.loss.polynomial

    def describe(self) -> str:
        act = "relu" if self.is_relu else "poly"
        loss = "" if self.loss.is_square else f", {self.loss.describe()} loss"
        return f"two-layer n={self.n} p={self.width} ({act}){loss}"


def _horner(coeffs, z, zero):
    acc = zero
    for c in reversed(coeffs):
        acc = acc * z + c
    return acc
