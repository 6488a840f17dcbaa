"""The one problem description every backend shares (pure Python, exact ``Fraction`` data).

Three kinds (CONTRACT.md):

* :class:`DeepLinear` — L(W_1, …, W_H) = ½‖W_H ⋯ W_1 X − Y‖²_F + ½ Σ_i ⟨Λ_i, W_i ∘ W_i⟩
  (Kawaguchi 2016; Lu & Kawaguchi 2017; Mehta et al. 2018 for per-weight Λ_i).
* :class:`TwoLayer` — L(W, U) = ½‖U σ(W X) − Y‖²_F + ½⟨Λ_W, W∘W⟩ + ½⟨Λ_U, U∘U⟩ with σ(t) = Σ_j c_j t^j
  (Venturi, Bandeira & Bruna 2018) or σ = relu (Freeman & Bruna 2017); U fixed when not trained.
* :class:`ReluTeacher` — F(W) = ½ E_{x~N(0,I)}[(Σ_i relu(w_i·x) − Σ_j relu(v_j·x))²] (Safran & Shamir 2018).

Data matrices hold one sample per COLUMN. Parameters have ONE canonical flat order
(:meth:`Problem.param_shapes`): W_1 row-major, then W_2, …; two-layer: W then U (U only when
trained); relu-teacher: W.

>>> p = DeepLinear(widths=(1, 1, 1), X=((Fraction(1),),), Y=((Fraction(1),),), reg=Fraction(0))
>>> p.param_shapes(), p.n_params
((('W1', 1, 1), ('W2', 1, 1)), 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Union

from .errors import InputError

Matrix = tuple[tuple[Fraction, ...], ...]
Reg = Union[Fraction, tuple[Matrix, ...]]

MAX_PARAMS = 10_000_000
"""Largest parameter count of any problem (the exact layer has much smaller limits of its own)."""


def shape(m: Matrix) -> tuple[int, int]:
    return (len(m), len(m[0]) if m else 0)


def zeros(rows: int, cols: int) -> Matrix:
    return tuple(tuple(Fraction(0) for _ in range(cols)) for _ in range(rows))


def _reg_nonnegative(reg: Reg) -> bool:
    if isinstance(reg, Fraction):
        return reg >= 0
    return all(x >= 0 for m in reg for row in m for x in row)


def _check_reg(reg: Reg, shapes: tuple[tuple[str, int, int], ...], field: str = "reg") -> None:
    if isinstance(reg, Fraction):
        return
    if len(reg) != len(shapes):
        raise InputError(field, f"expected {len(shapes)} matrices (one per weight: "
                         f"{', '.join(s[0] for s in shapes)}), got {len(reg)}")
    for i, (m, (name, r, c)) in enumerate(zip(reg, shapes)):
        if shape(m) != (r, c):
            raise InputError(f"{field}[{i}]", f"Λ for {name} must be {r}×{c}, got {shape(m)[0]}×{shape(m)[1]}")


class Problem:
    """Common interface: parameter shapes in canonical order and their count."""

    kind: str

    def param_shapes(self) -> tuple[tuple[str, int, int], ...]:
        raise NotImplementedError

    @property
    def n_params(self) -> int:
        return sum(r * c for _, r, c in self.param_shapes())

    @property
    def reg_nonnegative(self) -> bool:
        """True when the regulariser is ≥ 0 everywhere, so that L ≥ 0 (a sum of squares)."""
        return True

    def unflatten(self, params) -> dict:
        """Split a flat parameter vector into named matrices (lists of rows), canonical order."""
        out, k = {}, 0
        for name, r, c in self.param_shapes():
            out[name] = [list(params[k + i * c: k + (i + 1) * c]) for i in range(r)]
            k += r * c
        return out


@dataclass(frozen=True)
class DeepLinear(Problem):
    """Deep linear network ``widths = (d_x, d_1, …, d_{H−1}, d_y)``; W_i is widths[i] × widths[i−1]."""

    widths: tuple[int, ...]
    X: Matrix
    Y: Matrix
    reg: Reg = Fraction(0)
    kind = "deep-linear"

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
        if shape(self.X)[1] != shape(self.Y)[1]:
            raise InputError("Y", f"must have as many columns (samples) as X: {shape(self.X)[1]} vs {shape(self.Y)[1]}")
        if shape(self.X)[1] < 1:
            raise InputError("X", "needs at least one sample (column)")
        if self.n_params > MAX_PARAMS:
            raise InputError("widths", f"{self.n_params} parameters exceed the limit {MAX_PARAMS}")
        _check_reg(self.reg, self.param_shapes())

    @property
    def depth(self) -> int:
        """H, the number of weight matrices."""
        return len(self.widths) - 1

    def param_shapes(self):
        return tuple((f"W{i}", self.widths[i], self.widths[i - 1]) for i in range(1, len(self.widths)))

    @property
    def reg_nonnegative(self) -> bool:
        return _reg_nonnegative(self.reg)

    @property
    def unregularised(self) -> bool:
        if isinstance(self.reg, Fraction):
            return self.reg == 0
        return all(x == 0 for m in self.reg for row in m for x in row)


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
    kind = "two-layer"

    def __post_init__(self):
        for name in ("n", "width"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise InputError(name, f"{v!r} must be a positive integer")
        if isinstance(self.activation, str):
            if self.activation != "relu":
                raise InputError("activation",
                                 f"unknown activation {self.activation!r}; use \"relu\" or {{poly = [c0, c1, ...]}}")
        elif not self.activation or all(c == 0 for c in self.activation):
            raise InputError("activation.poly", "needs at least one non-zero coefficient")
        if shape(self.X)[0] != self.n:
            raise InputError("X", f"must have n = {self.n} rows, got {shape(self.X)[0]}")
        if shape(self.X)[1] < 1:
            raise InputError("X", "needs at least one sample (column)")
        if shape(self.Y)[1] != shape(self.X)[1]:
            raise InputError("Y", f"must have as many columns (samples) as X: {shape(self.X)[1]} vs {shape(self.Y)[1]}")
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
        if self.n_params > MAX_PARAMS:
            raise InputError("width", f"{self.n_params} parameters exceed the limit {MAX_PARAMS}")
        _check_reg(self.reg, self.param_shapes())

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

    @property
    def reg_nonnegative(self) -> bool:
        return _reg_nonnegative(self.reg)


@dataclass(frozen=True)
class ReluTeacher(Problem):
    """Safran–Shamir teacher–student: k student neurons W (k × n), teacher V (default: first k basis vectors)."""

    k: int
    n: int
    teacher: Matrix
    kind = "relu-teacher"

    def __post_init__(self):
        for name in ("k", "n"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise InputError(name, f"{v!r} must be a positive integer")
        if not self.teacher or shape(self.teacher)[1] != self.n:
            raise InputError("teacher", f"must have n = {self.n} columns")
        if self.n_params > MAX_PARAMS:
            raise InputError("k", f"{self.n_params} parameters exceed the limit {MAX_PARAMS}")

    def param_shapes(self):
        return (("W", self.k, self.n),)


def default_teacher(k: int, n: int) -> Matrix:
    """V = the first k standard basis vectors of R^n (requires k ≤ n)."""
    if k > n:
        raise InputError("teacher", f"default teacher (first k basis vectors) needs k ≤ n, got k={k}, n={n}; "
                         "give teacher explicitly")
    zero, one = Fraction(0), Fraction(1)  # shared (Fractions are immutable): k × n can be 10^7 entries
    row = (zero,) * n
    return tuple(row[:i] + (one,) + row[i + 1:] for i in range(k))
