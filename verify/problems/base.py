"""The problem model every backend shares: the abstract :class:`Problem`, exact matrices, the ring helpers.

A problem is a frozen dataclass (exact ``Fraction`` data) of one *kind*; each kind is one module of this
package (``deep_linear``, ``two_layer``, ``relu_teacher``) and one entry of :data:`verify.problems.KINDS`.
A kind says, in one place:

* its file form — :attr:`Problem.file_keys`, :meth:`Problem.from_dict`, :meth:`Problem.to_json`;
* its parameters — :meth:`Problem.param_shapes`, ONE canonical flat order used by every backend;
* its loss, written once over any commutative ring — :meth:`Problem.ring_loss` (only ``+``, ``−``, ``×``;
  the exact layer passes python-flint numbers or polynomials, the numeric bridge ``Fraction`` duals, sympy
  symbols for display) — or ``None`` when the loss is not a polynomial (the relu-teacher arccos kernel);
* its capabilities — :attr:`Problem.polynomial`, :attr:`Problem.closed_form_min`, :attr:`Problem.symmetries`.

What every other layer reads instead of branching on a kind's name (only this package and the checker's kind
table name kinds) — each a default here, overridden by the kinds that have it:

========================================  ==========================================================================
capability                                read by
========================================  ==========================================================================
:meth:`~Problem.hidden_layers`            unit symmetries: sign flips and swaps (``exact/discrete_symmetry``), the
                                          GL(d_l) slices of z3 queries (``exact/polysystem``), rescaling families
                                          of Morse–Bott minima (``exact/symmetry``)
:meth:`~Problem.param_reg`,               Λ per parameter (which moves keep L), Λ = 0 (the shallow problem, GL
:attr:`~Problem.unregularised`            slices)
:meth:`~Problem.shallow`                  Lu & Kawaguchi's shallow problem f(R) = ℓ(R X, Y) of L = f(W_H ⋯ W_1):
                                          ``spurious shallow``, the shallow route, the product-min classification,
                                          the Σ hint of Kawaguchi 2016's theorem instance
:attr:`~Problem.arccos_teacher`           the arc-cosine teacher–student loss: the teacher route (torch search,
                                          mpmath gradient, arb boxes, the kernel's spurious-isolated-min rule)
:attr:`~Problem.transcendental`,          which exact machinery applies (z3/Gröbner/Taylor data, activation
:attr:`~Problem.polynomial`,              patterns, balls); solver attestations need :attr:`~Problem.polynomial`
:attr:`~Problem.piecewise_polynomial`
:attr:`~Problem.sweep_axes`,              ``spurious sweep``: the ``[family]`` axes of a conjecture file and the
:meth:`~Problem.sweep_problem`            instance drawn for one grid point and seed
:attr:`~Problem.hunt_families`            ``spurious hunt --family``: the hypothesis strategies a family draws from
========================================  ==========================================================================

The loss ℓ is one registry of its own (:data:`verify.problems.losses.LOSSES`).

This package is pure Python: ``numeric/`` imports it and nothing else of ``verify/`` (no flint, sympy, z3).

>>> from verify.problems import DeepLinear
>>> p = DeepLinear(widths=(1, 1, 1), X=((Fraction(1),),), Y=((Fraction(1),),), reg=Fraction(0))
>>> p.param_shapes(), p.n_params
((('W1', 1, 1), ('W2', 1, 1)), 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar, Union

from verify.errors import InputError
from verify.problems.numbers import short

Matrix = tuple[tuple[Fraction, ...], ...]
Reg = Union[Fraction, tuple[Matrix, ...]]

MAX_PARAMS = 10_000_000
"""Largest parameter count of any problem (the exact layer has much smaller limits of its own)."""


def shape(m: Matrix) -> tuple[int, int]:
    return (len(m), len(m[0]) if m else 0)


def zeros(rows: int, cols: int) -> Matrix:
    return tuple(tuple(Fraction(0) for _ in range(cols)) for _ in range(rows))


def positive_int(value, field: str) -> None:
    """Validate a size field of a dataclass (a width, a count)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InputError(field, f"{value!r} must be a positive integer")


def reg_is_zero(reg: Reg) -> bool:
    if isinstance(reg, Fraction):
        return reg == 0
    return all(x == 0 for m in reg for row in m for x in row)


def check_reg(reg: Reg, shapes: tuple[tuple[str, int, int], ...], field: str = "reg") -> None:
    """Λ is a scalar, or one matrix per weight shaped like it, with every entry ≥ 0.

    A negative Λ is refused: it makes L unbounded below as soon as the weight can grow without changing the fit
    (any hidden layer's rescaling (W_{i+1}/c, c·W_i)), and every exact route assumes L ≥ 0.
    """
    unbounded = "the loss is then unbounded below wherever a weight can grow without changing the fit (e.g. " \
                "the rescaling of a hidden layer); Spurious supports reg ≥ 0"
    if isinstance(reg, Fraction):
        if reg < 0:
            raise InputError(field, f"{short(reg)} is negative: {unbounded}")
        return
    if len(reg) != len(shapes):
        raise InputError(field, f"expected {len(shapes)} matrices (one per weight: "
                         f"{', '.join(s[0] for s in shapes)}), got {len(reg)}")
    for i, (m, (name, r, c)) in enumerate(zip(reg, shapes)):
        if shape(m) != (r, c):
            raise InputError(f"{field}[{i}]", f"Λ for {name} must be {r}×{c}, got {shape(m)[0]}×{shape(m)[1]}")
        for a, row in enumerate(m):
            for b, x in enumerate(row):
                if x < 0:
                    raise InputError(f"{field}[{i}][{a}][{b}]", f"{short(x)} is negative: {unbounded}")


def check_data(X: Matrix, Y: Matrix, rows_x: int | None, field_x: str = "X") -> None:
    """X and Y hold one sample per column and have the same number of columns."""
    if rows_x is not None and shape(X)[0] != rows_x:
        raise InputError(field_x, f"must have {rows_x} rows, got {shape(X)[0]}")
    if shape(X)[1] < 1:
        raise InputError(field_x, "needs at least one sample (column)")
    if shape(Y)[1] != shape(X)[1]:
        raise InputError("Y", f"must have as many columns (samples) as X: {shape(X)[1]} vs {shape(Y)[1]}")


def check_size(problem: "Problem", field: str) -> None:
    if problem.n_params > MAX_PARAMS:
        raise InputError(field, f"{problem.n_params} parameters exceed the limit {MAX_PARAMS}")


def check_fit(problem: "Problem", size_field: str) -> None:
    """The last checks of a kind that fits targets Y under a loss with a regulariser Λ: N ≤ MAX_PARAMS (naming
    ``size_field``), Λ against the weights' shapes, Y against the loss."""
    check_size(problem, size_field)
    check_reg(problem.reg, problem.weight_shapes())
    problem.loss.check_targets(problem.Y)


# ------------------------------------------------------------------ the ring helpers (lists of rows)

def ring_matmul(A, B, zero):
    return [[sum((A[i][k] * B[k][j] for k in range(len(B))), zero) for j in range(len(B[0]))]
            for i in range(len(A))]


def ring_const(m, conv):
    return [[conv(x) for x in row] for row in m]


def ring_reg(reg: Reg, mats, conv, zero):
    """Σ_i ⟨Λ_i, W_i ∘ W_i⟩ in the ring (Λ a scalar or one matrix per weight)."""
    total = zero
    for idx, W in enumerate(mats):
        for i, row in enumerate(W):
            for j, w in enumerate(row):
                lam = reg if isinstance(reg, Fraction) else reg[idx][i][j]
                if lam != 0:
                    total = total + conv(lam) * w * w
    return total


def ring_fit(out, Y, conv, zero):
    """‖out − Y‖²_F in the ring."""
    return sum(((o - conv(y)) * (o - conv(y)) for orow, yr in zip(out, Y) for o, y in zip(orow, yr)), zero)


def ring_objective(loss, out, Y, reg: Reg, weights, conv, zero):
    """L = ℓ(out, Y) + ½ Σ_i ⟨Λ_i, W_i ∘ W_i⟩ over the regularised ``weights``, in the ring: for the square loss
    written ½(‖out − Y‖²_F + Σ_i ⟨Λ_i, W_i ∘ W_i⟩); None when ``loss`` (a :class:`~verify.problems.losses.Loss`)
    has no ring form (not a polynomial)."""
    if not loss.is_square:
        fit = loss.ring_fit(out, Y, conv, zero)
        return None if fit is None else fit + conv(Fraction(1, 2)) * ring_reg(reg, weights, conv, zero)
    return conv(Fraction(1, 2)) * (ring_fit(out, Y, conv, zero) + ring_reg(reg, weights, conv, zero))


@dataclass(frozen=True)
class HiddenLayer:
    """A hidden layer as data, from which the exact, numeric and checker sides derive their symmetry code.

    Unit i of the layer reads row i of every block in ``incoming`` (its W_l and b_l) and feeds column i of every
    block in ``outgoing`` (W_{l+1}; empty when that weight is fixed). So swapping two units (those rows and columns)
    is a candidate permutation symmetry, and negating one (rows, columns or both) a candidate sign symmetry — the
    exact layer keeps those with L(gθ) ≡ L(θ) (:mod:`verify.exact.discrete_symmetry`). ``degree`` is k when σ is
    positively homogeneous of degree k (σ(c·z) = c^k σ(z), c > 0: (c·in_i, c^-k·out_i) leaves the output unchanged);
    ``linear`` when σ is the identity and there is no bias (then all of GL(d_l) acts: (W_{l+1}G⁻¹, G W_l)).
    """

    width: int
    incoming: tuple[str, ...]
    outgoing: tuple[str, ...]
    degree: int | None = None
    linear: bool = False


@dataclass(frozen=True)
class SweepAxis:
    """One axis of a conjecture sweep's ``[family]`` table (:mod:`verify.run.sweep`): its ``name``, its ``default``
    (None: the file must give it) and, for an integer axis, its range ``low``..``high``."""

    name: str
    default: object = None
    low: int | None = None
    high: int = 64


@dataclass(frozen=True)
class HuntFamily:
    """A family ``spurious hunt --family NAME`` draws instances from (:mod:`verify.run.hunt`).

    ``strategies`` are hypothesis strategies named ``"module:function"`` (this package imports no hypothesis), drawn
    as one ``st.one_of`` in their order (hypothesis shrinks towards the first); each is called with those of the
    hunt's bounds — ``max_depth``, ``max_width`` (also as ``max_n``: every input and hidden width),
    ``max_samples``, ``elements`` — and of ``options`` (keyword, value) that its signature takes."""

    name: str
    summary: str
    strategies: tuple[str, ...]
    options: tuple[tuple[str, object], ...] = ()


class Problem:
    """One problem kind: file form, canonical parameters, the ring loss and capabilities (module docstring)."""

    kind: ClassVar[str]
    file_keys: ClassVar[frozenset]
    """Keys a problem file of this kind may hold (``kind`` included)."""
    required_keys: ClassVar[tuple]
    symmetries: ClassVar[tuple] = ()
    """Names of the continuous or discrete symmetries of L this kind declares (for certificates and slices)."""
    sweep_axes: ClassVar[tuple[SweepAxis, ...]] = ()
    """The ``[family]`` axes of a conjecture sweep over this kind, in file order; none: the kind is not swept."""
    hunt_families: ClassVar[tuple[HuntFamily, ...]] = ()
    """The families ``spurious hunt`` draws instances of this kind from."""

    @classmethod
    def from_dict(cls, d: dict) -> "Problem":
        """Build from a parsed file mapping (keys already checked against :attr:`file_keys`)."""
        raise NotImplementedError

    def to_json(self) -> dict:
        """The canonical JSON form (rationals as "p/q" strings), as embedded in certificates."""
        raise NotImplementedError

    def param_shapes(self) -> tuple[tuple[str, int, int], ...]:
        raise NotImplementedError

    def weight_shapes(self) -> tuple[tuple[str, int, int], ...]:
        """The parameter blocks a regulariser Λ covers (one Λ_i each): every block unless the kind says otherwise
        (a network's biases are not regularised)."""
        return self.param_shapes()

    def canonical(self) -> "Problem":
        """The one problem this is (a network with identity activations IS a deep linear net): what
        :func:`~verify.problems.problem_from_dict` returns and every route sees."""
        return self

    def hidden_layers(self) -> tuple[HiddenLayer, ...]:
        """The hidden layers as data (:class:`HiddenLayer`): the source of every kind's unit symmetries."""
        return ()

    def activation_pattern(self, point, at_kinks: bool = False):
        """For a piecewise-polynomial kind, the cell of ``point`` (which side of 0 each pre-activation of a relu
        lies on), which :meth:`ring_loss` takes as ``relu_mask``; None at a kink (unless ``at_kinks``: then the
        pattern gives L's value there) and for kinds without one."""
        return None

    def ring_loss(self, mats: dict, conv, zero, relu_mask=None):
        """L at the parameters ``mats`` (name → list of rows of ring elements); None if L is not polynomial."""
        return None

    def taylor_surrogate(self, point, order: int) -> "Problem | None":
        """A polynomial problem whose loss agrees with L up to order ``order`` in θ − ``point`` (rational Taylor data
        of a transcendental activation at 0), or None: what lets the exact layer classify such a point."""
        return None

    @property
    def transcendental(self) -> bool:
        """True when L involves tanh, exp, log or arccos: exact questions go to ball arithmetic."""
        return False

    @property
    def polynomial(self) -> bool:
        """True when L is a polynomial in θ (exact Taylor data, z3 queries and Gröbner bases apply)."""
        return False

    @property
    def piecewise_polynomial(self) -> bool:
        """True when L is polynomial on each cell of an activation pattern (ReLU)."""
        return False

    @property
    def closed_form_min(self) -> bool:
        """True when the global minimum value L* has a closed form the exact layer computes."""
        return False

    @property
    def rescaling_degree(self) -> int | None:
        """k when rescaling each hidden unit, (w_i, u_i) ↦ (c·w_i, c^(−k)·u_i) for c ≠ 0, leaves the data term
        invariant (σ(z) = a·z^k, k ≥ 1, output layer trained); None for kinds without that symmetry."""
        return None

    @property
    def n_params(self) -> int:
        return sum(r * c for _, r, c in self.param_shapes())

    @property
    def reg_nonnegative(self) -> bool:
        """L ≥ 0 everywhere: every kind's regulariser is validated ≥ 0 at construction (:func:`check_reg`) and the
        data term is ≥ 0 — false only for a ``poly`` loss whose φ is negative somewhere
        (:mod:`verify.problems.losses`)."""
        loss = getattr(self, "loss", None)
        return loss is None or loss.nonnegative

    def describe(self) -> str:
        return self.kind

    def param_names(self) -> list[str]:
        """Canonical scalar names ``W1_0_1`` (matrix, row, column; zero-based), one per parameter."""
        return [f"{name}_{i}_{j}" for name, r, c in self.param_shapes() for i in range(r) for j in range(c)]

    @classmethod
    def sweep_problem(cls, p: dict, data) -> dict:
        """The problem file (a mapping) of the sweep instance at the grid point ``p`` (one value per
        :attr:`sweep_axes` name); ``data(d_in, d_out, samples)`` draws its X (d_in × samples) and targets Y
        (d_out × samples, made fit for the loss) from the instance's seed. The sweep adds ``loss`` when it is not
        the square loss."""
        raise NotImplementedError

    def param_reg(self) -> tuple[Fraction, ...]:
        """Λ's entry for every parameter, canonical order: 0 where no Λ applies (blocks outside
        :meth:`weight_shapes`, such as a network's biases; kinds without a ``reg``)."""
        reg = getattr(self, "reg", None)
        index = {name: i for i, (name, _, _) in enumerate(self.weight_shapes())}
        out: list[Fraction] = []
        for name, r, c in self.param_shapes():
            i = index.get(name) if reg is not None else None
            if i is None:
                out += [Fraction(0)] * (r * c)
            else:
                out += [reg] * (r * c) if isinstance(reg, Fraction) else [x for row in reg[i] for x in row]
        return tuple(out)

    @property
    def unregularised(self) -> bool:
        """Λ = 0 (so also for kinds without a regulariser)."""
        reg = getattr(self, "reg", None)
        return reg is None or reg_is_zero(reg)

    def shallow(self) -> "Problem | None":
        """Lu & Kawaguchi 2017's shallow problem f(R) = ℓ(R X, Y) when L(θ) = f(π(θ)) + regulariser for the product
        map π(θ) = W_H ⋯ W_1 (the kind then also has ``product(point)`` = π(θ) and ``rank_bound`` = min_i d_i ≥
        rank π(θ)); None for kinds without one. L = f∘π exactly when :attr:`unregularised`."""
        return None

    @property
    def arccos_teacher(self) -> bool:
        """L is Safran & Shamir's Gaussian-input teacher–student loss, in closed form through the arc-cosine kernel
        (student ``W``, k × n; teacher rows ``teacher``): what the teacher route evaluates — the torch search and
        Hessian (``numeric.teacher``), the mpmath gradient, arb boxes and the kernel's spurious-isolated-min rule."""
        return False

    def unflatten(self, params) -> dict:
        """Split a flat parameter vector into named matrices (lists of rows), canonical order."""
        out, k = {}, 0
        for name, r, c in self.param_shapes():
            out[name] = [list(params[k + i * c: k + (i + 1) * c]) for i in range(r)]
            k += r * c
        return out
