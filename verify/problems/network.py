"""Any feed-forward network: biases, an activation after every hidden layer (CONTRACT.md ``kind = "network"``).

ŷ = W_H a_{H−1}(⋯ a_1(W_1 x + b_1) ⋯) + b_H with ``widths = [d_0, …, d_H]`` (W_i is d_i × d_{i−1}), and

    L(θ) = ℓ(Ŷ(θ), Y) + ½ Σ_i ⟨Λ_i, W_i ∘ W_i⟩      (one Λ_i per trained W_i; biases are not regularised).

``activation[i]`` after hidden layer i+1 (the output layer is linear) is one of :data:`ACTIVATIONS`; ``bias[i]``
says whether b_{i+1} (d_{i+1} parameters, a d_{i+1} × 1 block) is trained; ``train[i] = false`` fixes W_{i+1} to the
next matrix of ``weights``. Canonical order: W_1 row-major, b_1, W_2, b_2, … (fixed weights left out).

One canonical form (:func:`canonical`): a network with identity activations, no bias and every layer trained IS
the deep-linear problem (Kawaguchi 2016), and a one-hidden-layer network with a polynomial or relu activation,
no bias and W_1 trained IS the two-layer one (Venturi et al. 2018) — :func:`verify.problems.problem_from_dict`
returns those kinds, so every route and theorem entry sees one problem and one hash.

>>> p = problem_from_network({"widths": [1, 1, 1], "activation": [{"poly": [0, 0, 1]}], "bias": [True, False],
...                           "X": [[1]], "Y": [[1]]})
>>> p.kind, [s[0] for s in p.param_shapes()], p.polynomial
('network', ['W1', 'b1', 'W2'], True)
>>> from fractions import Fraction as F
>>> p.ring_loss(p.unflatten([F(1), F(0), F(1)]), F, F(0))       # ½(1·(1·1 + 0)² − 1)²
Fraction(0, 1)
>>> problem_from_network({"widths": [2, 3, 1], "activation": ["identity"], "X": [[1], [0]], "Y": [[1]]}).kind
'deep-linear'
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from verify.errors import InputError
from verify.problems.base import (
    HiddenLayer,
    Matrix,
    Problem,
    Reg,
    check_data,
    check_fit,
    ring_const,
    ring_matmul,
    ring_objective,
    shape,
)
from verify.problems.losses import SQUARE, Loss
from verify.problems.numbers import (
    MAX_DEPTH,
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
NAMED = ("identity", "relu", "tanh", "sigmoid", "softplus")
ACTIVATIONS = NAMED + ("{ leaky_relu = a }", "{ poly = [c0, ..., ck] }")
"""What an ``activation`` entry may be (CONTRACT.md)."""
TRANSCENDENTAL = ("tanh", "sigmoid", "softplus")


def _taylor_tanh(order: int) -> tuple[Fraction, ...]:
    """tanh(z) = Σ a_n zⁿ up to ``order`` from tanh′ = 1 − tanh², tanh(0) = 0:
    (n+1)·a_{n+1} = [n = 0] − Σ a_i a_{n−i}."""
    a = [Fraction(0)] * (order + 1)
    for n in range(order):
        a[n + 1] = (Fraction(int(n == 0)) - sum((a[i] * a[n - i] for i in range(n + 1)), Fraction(0))) / (n + 1)
    return tuple(a)


@dataclass(frozen=True)
class Activation:
    """One activation σ: ``name`` ∈ :data:`NAMED` ∪ {"leaky_relu", "poly"}, ``alpha`` (leaky slope), ``coeffs``."""

    name: str
    coeffs: tuple[Fraction, ...] = ()
    alpha: Fraction = Fraction(0)

    @classmethod
    def from_value(cls, value, field: str) -> "Activation":
        if isinstance(value, str):
            if value not in NAMED:
                raise InputError(field, f"unknown activation {show(value)}; one of {', '.join(ACTIVATIONS)}")
            return cls(name=value)
        if not isinstance(value, dict) or len(value) != 1:
            raise InputError(field, f"expected one of {', '.join(ACTIVATIONS)}")
        (key, v), = value.items()
        if key == "leaky_relu":
            alpha = to_fraction(v, f"{field}.leaky_relu")
            if alpha == 1:
                return cls(name="identity")
            return cls(name="relu") if alpha == 0 else cls(name="leaky_relu", alpha=alpha)
        if key == "poly":
            if not isinstance(v, list) or not v:
                raise InputError(f"{field}.poly", "expected a non-empty list of coefficients [c0, c1, ...]")
            if len(v) > MAX_ACTIVATION_DEGREE + 1:
                raise InputError(f"{field}.poly", f"degree above {MAX_ACTIVATION_DEGREE} is not supported")
            cs = [to_fraction(c, f"{field}.poly[{j}]") for j, c in enumerate(v)]
            while len(cs) > 1 and cs[-1] == 0:
                cs.pop()
            if all(c == 0 for c in cs):
                raise InputError(f"{field}.poly", "needs at least one non-zero coefficient")
            return cls(name="identity") if cs == [0, 1] else cls(name="poly", coeffs=tuple(cs))
        raise InputError(field, f"unknown activation table key {show(key)}; one of leaky_relu, poly")

    def to_json(self):
        if self.name == "poly":
            return {"poly": [fraction_str(c) for c in self.coeffs]}
        if self.name == "leaky_relu":
            return {"leaky_relu": fraction_str(self.alpha)}
        return self.name

    @property
    def polynomial(self) -> bool:
        return self.name in ("identity", "poly")

    @property
    def piecewise(self) -> bool:
        """relu and leaky relu: linear on each side of 0 (an activation pattern picks the side)."""
        return self.name in ("relu", "leaky_relu")

    @property
    def transcendental(self) -> bool:
        return self.name in TRANSCENDENTAL

    @property
    def degree(self) -> int | None:
        """k when σ(c·z) = c^k σ(z) for every c > 0 (positively homogeneous): 1 for identity, relu and leaky relu;
        k for σ = a·z^k; None otherwise."""
        if self.name in ("identity", "relu", "leaky_relu"):
            return 1
        if self.name == "poly":
            nz = [k for k, c in enumerate(self.coeffs) if c != 0]
            return nz[0] if len(nz) == 1 and nz[0] >= 1 else None
        return None

    def taylor(self, order: int) -> tuple[Fraction, ...] | None:
        """σ(z) = Σ_{n ≤ order} a_n zⁿ + O(z^{order+1}) at z = 0 with rational a_n, or None (relu's kink; softplus(0)
        = log 2). sigmoid(z) = ½ + ½ tanh(z/2)."""
        if self.polynomial:
            cs = (Fraction(0), Fraction(1)) if self.name == "identity" else self.coeffs
            return tuple(cs[n] if n < len(cs) else Fraction(0) for n in range(order + 1))
        if self.name == "tanh":
            return _taylor_tanh(order)
        if self.name == "sigmoid":
            t = _taylor_tanh(order)
            return tuple((Fraction(1, 2) if n == 0 else Fraction(0)) + t[n] / 2 ** (n + 1) for n in range(order + 1))
        return None

    def apply(self, z, conv, zero, on=None, special=None):
        """σ(z) in the ring: ``on`` is the side of 0 for relu / leaky relu (from an activation pattern);
        ``special(name, z)`` evaluates tanh / sigmoid / softplus (None: not in this ring)."""
        if self.name == "identity":
            return z
        if self.name == "poly":
            acc = zero
            for c in reversed(self.coeffs):
                acc = acc * z + conv(c)
            return acc
        if self.piecewise:
            if on is None:
                raise InputError("activation", f"{self.name} needs an activation pattern (a point off the kinks)")
            if on:
                return z
            return zero if self.name == "relu" else conv(self.alpha) * z
        return None if special is None else special(self.name, z)

    def describe(self) -> str:
        if self.name == "poly":
            return "poly"
        return f"leaky_relu({fraction_str(self.alpha)})" if self.name == "leaky_relu" else self.name


@dataclass(frozen=True)
class Network(Problem):
    """ŷ = W_H a_{H−1}(⋯ a_1(W_1 x + b_1) ⋯) + b_H (module docstring); ``fixed`` maps a layer index i (1-based)
    whose W_i is not trained to its matrix."""

    widths: tuple[int, ...]
    activations: tuple[Activation, ...]
    bias: tuple[bool, ...]
    X: Matrix
    Y: Matrix
    train: tuple[bool, ...] = ()               # () is every W_i trained
    fixed: tuple[Matrix | None, ...] = ()
    reg: Reg = Fraction(0)
    loss: Loss = SQUARE
    kind = "network"
    file_keys = frozenset({"kind", "widths", "activation", "bias", "train", "weights", "X", "Y", "reg", "loss"})
    required_keys = ("widths", "activation", "X", "Y")
    symmetries = ("permutations of the units of each hidden layer",
                  "positive rescaling (c·in_i, c^-k·out_i) of a unit whose σ is homogeneous of degree k",
                  "GL(d_l) of a hidden layer with the identity activation and no bias")

    def __post_init__(self):
        H = self.depth
        if H < 1:
            raise InputError("widths", "need at least [d_0, d_H] (two entries)")
        for i, w in enumerate(self.widths):
            if not isinstance(w, int) or isinstance(w, bool) or w < 1:
                raise InputError(f"widths[{i}]", f"{w!r} must be a positive integer")
        if len(self.activations) != H - 1:
            raise InputError("activation", f"expected {H - 1} entries (one after each hidden layer; the output layer "
                             f"is linear), got {len(self.activations)}")
        if len(self.bias) != H:
            raise InputError("bias", f"expected {H} booleans (one per layer b_1 … b_H), got {len(self.bias)}")
        if not self.train and not self.fixed:
            object.__setattr__(self, "train", (True,) * H)
            object.__setattr__(self, "fixed", (None,) * H)
        if len(self.train) != H or len(self.fixed) != H:
            raise InputError("train", f"expected {H} booleans (one per weight W_1 … W_H), got {len(self.train)}")
        if not any(self.train) and not any(self.bias):
            raise InputError("train", "nothing is trained (every W_i fixed and no bias)")
        for i, (t, m) in enumerate(zip(self.train, self.fixed), start=1):
            want = (self.widths[i], self.widths[i - 1])
            if not t and (m is None or shape(m) != want):
                got = "none" if m is None else f"{shape(m)[0]}×{shape(m)[1]}"
                raise InputError("weights", f"the fixed W{i} must be {want[0]}×{want[1]}, got {got}")
        if shape(self.X)[0] != self.widths[0]:
            raise InputError("X", f"must have d_0 = widths[0] = {self.widths[0]} rows, got {shape(self.X)[0]}")
        if shape(self.Y)[0] != self.widths[-1]:
            raise InputError("Y", f"must have d_H = widths[-1] = {self.widths[-1]} rows, got {shape(self.Y)[0]}")
        check_data(self.X, self.Y, None)
        check_fit(self, "widths")

    # ------------------------------------------------------------------ file form
    @classmethod
    def from_dict(cls, d: dict) -> "Network":
        widths = d["widths"]
        if not isinstance(widths, list) or len(widths) < 2:
            raise InputError("widths", "must be a list of at least two positive integers [d_0, ..., d_H]")
        if len(widths) > MAX_DEPTH + 1:
            raise InputError("widths", f"{len(widths)} entries; at most {MAX_DEPTH + 1} (depth {MAX_DEPTH})")
        widths = tuple(to_int(w, f"widths[{i}]", maximum=MAX_WIDTH) for i, w in enumerate(widths))
        H = len(widths) - 1
        acts = d["activation"]
        if not isinstance(acts, list):
            raise InputError("activation", f"must be a list of {H - 1} activations (one after each hidden layer)")
        if len(acts) != H - 1:
            raise InputError("activation", f"expected {H - 1} entries (one after each hidden layer; the output "
                             f"layer is linear), got {len(acts)}")
        activations = tuple(Activation.from_value(a, f"activation[{i}]") for i, a in enumerate(acts))
        bias = _bools(d.get("bias", [False] * H), H, "bias")
        train = _bools(d.get("train", [True] * H), H, "train")
        given = d.get("weights", [])
        if not isinstance(given, list):
            raise InputError("weights", "must be a list of the fixed layers' matrices (one per false in train)")
        if len(given) != train.count(False):
            raise InputError("weights", f"expected {train.count(False)} matrices (one per false in train), "
                             f"got {len(given)}")
        it = iter(enumerate(given))
        fixed = []
        for t in train:
            if t:
                fixed.append(None)
            else:
                j, m = next(it)
                fixed.append(parse_matrix(m, f"weights[{j}]"))
        return cls(widths=widths, activations=activations, bias=bias, X=parse_matrix(d["X"], "X"),
                   Y=parse_matrix(d["Y"], "Y"), train=train, fixed=tuple(fixed), reg=parse_reg(d.get("reg", 0)),
                   loss=Loss.from_value(d.get("loss")))

    def to_json(self) -> dict:
        out = {"kind": self.kind, "widths": list(self.widths), "activation": [a.to_json() for a in self.activations],
               "bias": list(self.bias), "X": matrix_json(self.X), "Y": matrix_json(self.Y), "reg": reg_json(self.reg)}
        if not all(self.train):
            out["train"] = list(self.train)
            out["weights"] = [matrix_json(m) for m in self.fixed if m is not None]
        if not self.loss.is_square:
            out["loss"] = self.loss.to_json()
        return out

    # ------------------------------------------------------------------ parameters and loss
    @property
    def depth(self) -> int:
        """H, the number of layers (weight matrices)."""
        return len(self.widths) - 1

    def param_shapes(self):
        out = []
        for i in range(1, self.depth + 1):
            if self.train[i - 1]:
                out.append((f"W{i}", self.widths[i], self.widths[i - 1]))
            if self.bias[i - 1]:
                out.append((f"b{i}", self.widths[i], 1))
        return tuple(out)

    def weight_shapes(self):
        """The trained W_i, each with one Λ_i (``reg``)."""
        return tuple(s for s in self.param_shapes() if s[0].startswith("W"))

    def forward(self, mats, conv, zero, pattern=None, special=None):
        """Ŷ over the ring (list of rows), or None when an activation is not in the ring (``special`` None)."""
        Z = ring_const(self.X, conv)
        for i in range(1, self.depth + 1):
            W = mats[f"W{i}"] if self.train[i - 1] else ring_const(self.fixed[i - 1], conv)
            Z = ring_matmul(W, Z, zero)
            if self.bias[i - 1]:
                b = mats[f"b{i}"]
                Z = [[z + b[r][0] for z in row] for r, row in enumerate(Z)]
            if i < self.depth:
                act = self.activations[i - 1]
                mask = pattern[i - 1] if pattern is not None and act.piecewise else None
                if act.piecewise and mask is None:
                    raise InputError("activation", f"{act.name} needs an activation pattern (a point off the kinks)")
                Z = [[act.apply(z, conv, zero, on=None if mask is None else mask[r][c], special=special)
                      for c, z in enumerate(row)] for r, row in enumerate(Z)]
                if any(z is None for row in Z for z in row):
                    return None
        return Z

    def ring_loss(self, mats, conv, zero, relu_mask=None, special=None):
        out = self.forward(mats, conv, zero, relu_mask, special)
        if out is None:
            return None
        weights = [mats[name] for name, _, _ in self.weight_shapes()]
        return ring_objective(self.loss, out, self.Y, self.reg, weights, conv, zero)

    def activation_pattern(self, point, at_kinks: bool = False):
        """1[z > 0] for every pre-activation z of every relu / leaky-relu layer (None for the other layers), or None
        at a kink (some z = 0) unless ``at_kinks`` (then z = 0 counts as off: σ(0) = 0 either way, so the pattern
        gives L's exact value there, not its derivatives). Exact: Fractions; None for a net with a transcendental
        activation before a piecewise one (its pre-activations are not rational)."""
        if not self.piecewise_polynomial:
            return None
        mats = self.unflatten([Fraction(x) for x in point])
        Z = [list(r) for r in self.X]
        zero = Fraction(0)
        pattern = []
        for i in range(1, self.depth + 1):
            W = mats[f"W{i}"] if self.train[i - 1] else self.fixed[i - 1]
            Z = ring_matmul(W, Z, zero)
            if self.bias[i - 1]:
                b = mats[f"b{i}"]
                Z = [[z + b[r][0] for z in row] for r, row in enumerate(Z)]
            if i == self.depth:
                break
            act = self.activations[i - 1]
            if act.piecewise:
                if not at_kinks and any(z == 0 for row in Z for z in row):
                    return None
                mask = tuple(tuple(z > 0 for z in row) for row in Z)
                pattern.append(mask)
                Z = [[act.apply(z, Fraction, zero, on=m) for z, m in zip(row, mr)] for row, mr in zip(Z, mask)]
            else:
                pattern.append(None)
                Z = [[act.apply(z, Fraction, zero) for z in row] for row in Z]
        return tuple(pattern)

    def hidden_layers(self):
        out = []
        for l in range(1, self.depth):
            act = self.activations[l - 1]
            incoming = tuple(n for n in (f"W{l}" if self.train[l - 1] else None, f"b{l}" if self.bias[l - 1] else None)
                             if n)
            outgoing = (f"W{l + 1}",) if self.train[l] else ()
            out.append(HiddenLayer(width=self.widths[l], incoming=incoming, outgoing=outgoing, degree=act.degree,
                                   linear=act.name == "identity" and not self.bias[l - 1]))
        return tuple(out)

    @property
    def polynomial(self) -> bool:
        return all(a.polynomial for a in self.activations) and self.loss.polynomial

    @property
    def piecewise_polynomial(self) -> bool:
        return any(a.piecewise for a in self.activations) and not any(a.transcendental for a in self.activations) \
            and self.loss.polynomial

    @property
    def transcendental(self) -> bool:
        """Some activation is tanh, sigmoid or softplus: exact questions go to ball arithmetic (arb has them)."""
        return any(a.transcendental for a in self.activations)

    def taylor_surrogate(self, point, order: int) -> "Network | None":
        """The polynomial network whose tanh / sigmoid is replaced by its Taylor polynomial of degree ``order`` at 0
        (rational coefficients), when every pre-activation of those layers is 0 at ``point`` (e.g. the origin);
        None otherwise (softplus(0) = log 2 is not rational; a relu layer; a pre-activation ≠ 0).

        There L and the surrogate's loss agree up to order ``order`` in θ − p (σ(z) − T(z) = O(z^{order+1}) and
        z = O(|θ − p|)), so their Taylor data at p — the gradient, the Hessian, the leading term of L along a curve
        of order ≤ ``order`` — are the same.

        >>> net = Network.from_dict({"kind": "network", "widths": [1, 1, 1], "activation": ["tanh"], "X": [[1]],
        ...                          "Y": [[1]]})
        >>> net.taylor_surrogate([0, 0], 3).activations[0].coeffs
        (Fraction(0, 1), Fraction(1, 1), Fraction(0, 1), Fraction(-1, 3))
        """
        if not self.transcendental:
            return None
        acts = []
        for a in self.activations:
            t = a.taylor(order) if a.transcendental else None
            if a.transcendental and t is None or a.piecewise:
                return None
            acts.append(Activation(name="poly", coeffs=t) if a.transcendental else a)
        sur = Network(widths=self.widths, activations=tuple(acts), bias=self.bias, X=self.X, Y=self.Y,
                      train=self.train, fixed=self.fixed, reg=self.reg, loss=self.loss)
        mats = sur.unflatten([Fraction(x) for x in point])
        Z, zero = ring_const(self.X, Fraction), Fraction(0)
        for i in range(1, self.depth):
            W = mats[f"W{i}"] if self.train[i - 1] else self.fixed[i - 1]
            Z = ring_matmul(W, Z, zero)
            if self.bias[i - 1]:
                Z = [[z + mats[f"b{i}"][r][0] for z in row] for r, row in enumerate(Z)]
            if self.activations[i - 1].transcendental and any(z != 0 for row in Z for z in row):
                return None
            Z = [[acts[i - 1].apply(z, Fraction, zero) for z in row] for row in Z]
        return sur

    def canonical(self) -> Problem:
        return canonical(self)

    def describe(self) -> str:
        acts = ",".join(a.describe() for a in self.activations) or "linear"
        b = "" if not any(self.bias) else " +bias"
        loss = "" if self.loss.is_square else f", {self.loss.describe()} loss"
        return f"network {'-'.join(map(str, self.widths))} ({acts}){b}{loss}"


def _bools(v, n: int, field: str) -> tuple[bool, ...]:
    if not isinstance(v, list) or len(v) != n or not all(isinstance(x, bool) for x in v):
        raise InputError(field, f"must be a list of {n} booleans (one per layer), got {show(v)}")
    return tuple(v)


def canonical(net: Network) -> Problem:
    """The one problem ``net`` is: deep-linear when every activation is the identity, there is no bias and every W_i
    is trained; two-layer when it has one hidden layer with a polynomial or relu activation, no bias and W_1 trained
    (U = W_2, fixed to ``output`` when W_2 is not trained); ``net`` itself otherwise. Same loss, same parameter
    order, same regulariser (one Λ per trained W_i in both)."""
    from verify.problems.deep_linear import DeepLinear
    from verify.problems.two_layer import TwoLayer

    if any(net.bias):
        return net
    if all(a.name == "identity" for a in net.activations) and all(net.train):
        return DeepLinear(widths=net.widths, X=net.X, Y=net.Y, reg=net.reg, loss=net.loss)
    if net.depth == 2 and net.train[0] and net.activations[0].name in ("poly", "relu", "identity"):
        a = net.activations[0]
        act = "relu" if a.name == "relu" else (a.coeffs if a.name == "poly" else (Fraction(0), Fraction(1)))
        return TwoLayer(n=net.widths[0], width=net.widths[1], activation=act, X=net.X, Y=net.Y,
                        train_output=net.train[1], output=net.fixed[1], reg=net.reg, loss=net.loss)
    return net


def problem_from_network(d: dict) -> Problem:
    """A ``kind = "network"`` mapping (``kind`` optional here) as its canonical problem (:func:`canonical`)."""
    return canonical(Network.from_dict({"kind": "network", **d}))
