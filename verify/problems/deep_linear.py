"""Deep linear networks (Kawaguchi 2016; Lu & Kawaguchi 2017; Mehta et al. 2018 for per-weight Λ_i).

L(W_1, …, W_H) = ½‖W_H ⋯ W_1 X − Y‖²_F + ½ Σ_i ⟨Λ_i, W_i ∘ W_i⟩, ``widths = (d_x, d_1, …, d_{H−1}, d_y)``,
W_i of shape widths[i] × widths[i−1]; canonical order W_1 row-major, then W_2, …, W_H. With a ``loss`` other than
the square loss (:mod:`verify.problems.losses`) the fit term is ℓ(W_H ⋯ W_1 X, Y) — Lu & Kawaguchi 2017's deep
problem over the end-to-end product R = W_H ⋯ W_1 (``spurious shallow`` gives its shallow problem min_R ℓ(R X, Y)).

>>> from fractions import Fraction as F
>>> p = DeepLinear.from_dict({"kind": "deep-linear", "widths": [1, 1, 1], "X": [[1]], "Y": [[2]]})
>>> p.ring_loss(p.unflatten([F(1), F(1)]), F, F(0))
Fraction(1, 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

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
    ring_const,
    ring_matmul,
    ring_objective,
    shape,
)
from verify.problems.losses import SQUARE, Loss
from verify.problems.numbers import MAX_DEPTH, MAX_WIDTH, matrix_json, parse_matrix, parse_reg, reg_json, to_int


@dataclass(frozen=True)
class DeepLinear(Problem):
    """Deep linear network ``widths = (d_x, d_1, …, d_{H−1}, d_y)``; W_i is widths[i] × widths[i−1]."""

    widths: tuple[int, ...]
    X: Matrix
    Y: Matrix
    reg: Reg = Fraction(0)
    loss: Loss = SQUARE
    kind = "deep-linear"
    file_keys = frozenset({"kind", "widths", "X", "Y", "reg", "loss"})
    required_keys = ("widths", "X", "Y")
    symmetries = ("GL(d_i) of each hidden layer: (W_{i+1} G^-1, G W_i) when unregularised",)
    sweep_axes = (SweepAxis("depth", low=2), SweepAxis("width", low=1), SweepAxis("dx", 2, 1), SweepAxis("dy", 1, 1),
                  SweepAxis("samples", 3, 1), SweepAxis("reg", 0), SweepAxis("loss", "square"))
    hunt_families = (HuntFamily("deep-linear", "deep linear nets of at most --max-depth weights, widths at most "
                                "--max-width", ("verify.testing.strategies:deep_linear_problems",)),)

    def __post_init__(self):
        if len(self.widths) < 2:
            raise InputError("widths", "need at least [d_x, d_y] (two entries)")
        for i, w in enumerate(self.widths):
            if not isinstance(w, int) or isinstance(w, bool) or w < 1:
                raise InputError(f"widths[{i}]", f"{w!r} must be a positive integer")
        dx, dy = self.widths[0], self.widths[-1]
        if shape(self.X)[0] != dx:
            raise InputError("X", f"must have d_x = widths[0] = {dx} rows, got {shape(self.X)[0]}")
        if shape(self.Y)[0] != dy:
            raise InputError("Y", f"must have d_y = widths[-1] = {dy} rows, got {shape(self.Y)[0]}")
        check_data(self.X, self.Y, None)
        check_fit(self, "widths")

    @classmethod
    def from_dict(cls, d: dict) -> "DeepLinear":
        widths = d["widths"]
        if not isinstance(widths, list):
            raise InputError("widths", "must be a list of positive integers [d_x, d_1, ..., d_y]")
        if len(widths) > MAX_DEPTH + 1:
            raise InputError("widths", f"{len(widths)} entries; at most {MAX_DEPTH + 1} (depth {MAX_DEPTH})")
        widths = tuple(to_int(w, f"widths[{i}]", maximum=MAX_WIDTH) for i, w in enumerate(widths))
        return cls(widths=widths, X=parse_matrix(d["X"], "X"), Y=parse_matrix(d["Y"], "Y"),
                   reg=parse_reg(d.get("reg", 0)), loss=Loss.from_value(d.get("loss")))

    @classmethod
    def sweep_problem(cls, p: dict, data) -> dict:
        """``depth`` weight matrices, every hidden layer ``width`` wide, ``dx`` inputs, ``dy`` outputs."""
        X, Y = data(p["dx"], p["dy"], p["samples"])
        return {"kind": cls.kind, "widths": [p["dx"]] + [p["width"]] * (p["depth"] - 1) + [p["dy"]], "X": X, "Y": Y,
                "reg": p["reg"]}

    def to_json(self) -> dict:
        out = {"kind": self.kind, "widths": list(self.widths), "X": matrix_json(self.X), "Y": matrix_json(self.Y),
               "reg": reg_json(self.reg)}
        if not self.loss.is_square:
            out["loss"] = self.loss.to_json()
        return out

    @property
    def depth(self) -> int:
        """H, the number of weight matrices."""
        return len(self.widths) - 1

    def param_shapes(self):
        return tuple((f"W{i}", self.widths[i], self.widths[i - 1]) for i in range(1, len(self.widths)))

    def ring_loss(self, mats, conv, zero, relu_mask=None):
        Ws = [mats[f"W{i}"] for i in range(1, self.depth + 1)]
        Z = ring_const(self.X, conv)
        for W in Ws:
            Z = ring_matmul(W, Z, zero)
        return ring_objective(self.loss, Z, self.Y, self.reg, Ws, conv, zero)

    def hidden_layers(self):
        return tuple(HiddenLayer(width=self.widths[l], incoming=(f"W{l}",), outgoing=(f"W{l + 1}",), degree=1,
                                 linear=True) for l in range(1, self.depth))

    @property
    def polynomial(self) -> bool:
        return self.loss.polynomial

    @property
    def closed_form_min(self) -> bool:
        """Square loss, unregularised: L* is the reduced-rank-regression value (Eckart–Young on Y P_X Yᵀ)."""
        return self.unregularised and self.loss.is_square

    @property
    def rank_bound(self) -> int:
        """r = min_i d_i: rank(W_H ⋯ W_1) ≤ r, and r < min(d_x, d_y) exactly when some hidden layer is a bottleneck."""
        return min(self.widths)

    def shallow(self) -> "DeepLinear":
        """Lu & Kawaguchi 2017's shallow problem: f(R) = ℓ(R X, Y) over d_y × d_x matrices R (one layer, Λ = 0, the
        same loss and data). The deep problem (Λ = 0) is L(θ) = f(W_H ⋯ W_1); the shallow one's feasible set is
        {rank R ≤ :attr:`rank_bound`}, all of R^{d_y × d_x} when there is no bottleneck.

        >>> from fractions import Fraction as F
        >>> DeepLinear(widths=(2, 1, 3), X=((F(1),), (F(0),)), Y=((F(1),), (F(2),), (F(0),))).shallow().widths
        (2, 3)
        """
        return DeepLinear(widths=(self.widths[0], self.widths[-1]), X=self.X, Y=self.Y, loss=self.loss)

    def product(self, point) -> tuple:
        """π(θ) = W_H ⋯ W_1 as a flat row-major tuple (the shallow problem's canonical point); exact for Fractions."""
        shapes = [(d_out, d_in) for _, d_out, d_in in self.param_shapes()]
        mats, k = [], 0
        for r, c in shapes:
            mats.append([list(point[k + i * c:k + (i + 1) * c]) for i in range(r)])
            k += r * c
        R = mats[0]
        for W in mats[1:]:
            R = [[sum((W[i][t] * R[t][j] for t in range(len(R))), 0 * W[i][0]) for j in range(len(R[0]))]
                 for i in range(len(W))]
        return tuple(x for row in R for x in row)

    def describe(self) -> str:
        loss = "" if self.loss.is_square else f", {self.loss.describe()} loss"
        return f"deep-linear {'-'.join(map(str, self.widths))}{loss}"
