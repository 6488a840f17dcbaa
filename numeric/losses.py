"""Batched torch losses for every problem kind, over a leading axis of flat parameter vectors.

Each kind is lowered by one :class:`Lowering` registered in :data:`LOWERINGS` with ``@lowering(kind)``: its loss,
its symmetry fingerprint (:func:`numeric.search.signature`, export de-duplication) and its closed-form global
value when it has one. A new kind adds one lowering and nothing else in ``numeric/``.

:func:`make_loss` lowers a :class:`verify.problems.Problem` to a callable ``L`` mapping a (B, N) tensor
of parameter vectors θ (the canonical order of CONTRACT.md: W_1 row-major, W_2, …; two-layer: W then U
when trained; network: W_1, b_1, W_2, b_2, …, fixed W_i left out; relu-teacher: W) to the (B,) tensor of
losses. Every row is an independent start: there is no Python loop over rows, so one call evaluates thousands
of starts (and autograd of ``L(θ).sum()`` gives every row's gradient at once).

* deep linear (Kawaguchi 2016): L = ½‖W_H ⋯ W_1 X − Y‖²_F + ½ Σ_i ⟨Λ_i, W_i ∘ W_i⟩;
* two-layer (Venturi et al. 2018; Freeman & Bruna 2017): L = ½‖U σ(W X) − Y‖²_F + ½⟨Λ_W, W∘W⟩ + ½⟨Λ_U, U∘U⟩,
  σ a polynomial Σ_j c_j t^j or relu (relu′(0) = 0, as torch has it; the exact layer calls kinks unknown);
* network (any depth, biases, an activation per hidden layer): L = ℓ(W_H a(⋯ a(W_1 X + b_1) ⋯) + b_H, Y)
  + ½ Σ_i ⟨Λ_i, W_i ∘ W_i⟩ over the trained W_i (biases are not regularised); softplus is the mathematical
  log(1 + e^z) (torch's ``softplus`` returns z above a threshold); at z = 0 relu′ = 0 and leaky relu′ = α;
* relu-teacher (Safran & Shamir 2018): F(W) = ½ Σ_{i,j} k(w_i, w_j) − Σ_{i,j} k(w_i, v_j) + ½ Σ_{i,j} k(v_i, v_j)
  with the arc-cosine kernel k(u, v) = E[relu(u·x) relu(v·x)] = ‖u‖‖v‖ h(cos θ)/(2π),
  h(c) = √(1 − c²) + (π − arccos c) c. Autograd through arccos gives NaN at θ = 0; here h has the
  analytic derivative h′(c) = π − arccos c (finite on [−1, 1]), and the diagonal k(w, w) = ‖w‖²/2 is
  computed outside arccos. h″(c) = 1/√(1 − c²) is infinite at c = ±1: the Hessian does not exist where
  a student neuron is parallel to another neuron (e.g. at the global minimum W = V).

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> L = make_loss(DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(1),),)))
>>> L(torch.tensor([[0.0, 0.0], [1.0, 1.0]], dtype=torch.float64)).tolist()
[0.5, 0.0]
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable

import torch

from verify.errors import InputError
from verify.problems import Problem

from .poly import horner


def default_device() -> torch.device:
    """CUDA when available, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def to_float(x, field: str) -> float:
    """float(x) for an exact number of the problem's field ``field`` (``X``, ``Y``, ``reg``, …), or an
    :class:`InputError` naming the field when |x| is beyond float64 (the numeric layer's arithmetic).

    >>> to_float(Fraction(1, 4), "X")
    0.25
    """
    try:
        return float(x)
    except OverflowError:
        raise InputError(field, "has an entry too large for float64 (the numeric layer); use the exact backend"
                         ) from None


def to_tensor(m, device, dtype, field: str = "matrix") -> torch.Tensor:
    """An exact matrix (tuple of rows of Fractions) as a float tensor (nearest float per entry); an entry
    beyond float64 is an :class:`InputError` naming ``field``."""
    return torch.tensor([[to_float(x, field) for x in row] for row in m], device=device, dtype=dtype)


def elementwise(f: Callable, df: Callable) -> Callable[[torch.Tensor], torch.Tensor]:
    """z ↦ f(z) elementwise with the analytic derivative f′ = ``df`` (itself differentiable by autograd) in place of
    autograd through f, for an f whose autograd derivative is NaN or wrong somewhere. Its derivatives nest as
    reverse-over-reverse and forward-over-reverse (:mod:`numeric.hessian`), not as forward-over-forward."""

    class Elementwise(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(z):
            return f(z)

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])
            ctx.save_for_forward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            (z,) = ctx.saved_tensors
            return g * df(z)

        @staticmethod
        def jvp(ctx, t):
            (z,) = ctx.saved_tensors
            return t * df(z)

    return Elementwise.apply


_softplus = elementwise(lambda z: torch.clamp(z, min=0) + torch.log1p(torch.exp(-z.abs())), torch.sigmoid)

_arccos_h = elementwise(lambda c: torch.sqrt(torch.clamp(1 - c * c, min=0)) + (math.pi - torch.arccos(c)) * c,
                        lambda c: math.pi - torch.arccos(c))
"""h(c) = √(1 − c²) + (π − arccos c)·c on [−1, 1], with h′(c) = π − arccos c (no NaN at c = ±1; differentiable
again: h″ = 1/√(1 − c²))."""


def softplus(z: torch.Tensor) -> torch.Tensor:
    """log(1 + e^z) = max(z, 0) + log1p(e^{−|z|}) elementwise, to float64's relative precision for every z, with
    softplus′ = sigmoid: every derivative finite (``logaddexp``'s second derivative is NaN at z ≈ −800; torch's
    ``softplus`` is z itself above its threshold)."""
    return _softplus(z)


def arccos_kernel(U: torch.Tensor, V: torch.Tensor, same: bool = False) -> torch.Tensor:
    """k(u_i, v_j) = E_{x~N(0,I)}[relu(u_i·x) relu(v_j·x)] for rows of U (…, a, n) and V (…, b, n) → (…, a, b).

    ``same=True`` (V is U): the diagonal k(u_i, u_i) = ‖u_i‖²/2 is computed without arccos, so that no
    infinite h″(1) enters the derivatives of the off-diagonal part (0·∞ would be NaN).
    """
    nu = torch.linalg.vector_norm(U, dim=-1)
    nv = torch.linalg.vector_norm(V, dim=-1)
    dots = U @ V.transpose(-1, -2)
    prod = nu.unsqueeze(-1) * nv.unsqueeze(-2)
    c = torch.clamp(dots / torch.clamp(prod, min=torch.finfo(U.dtype).tiny), -1.0, 1.0)
    if not same:
        return prod * _arccos_h(c) / (2 * math.pi)
    eye = torch.eye(U.shape[-2], dtype=torch.bool, device=U.device)
    off = prod * _arccos_h(torch.where(eye, torch.zeros_like(c), c)) / (2 * math.pi)
    return torch.where(eye, torch.diag_embed(nu * nu / 2), off)


LOWERINGS: dict[str, type["Lowering"]] = {}
"""Problem kind → its torch lowering; a new kind is one class decorated with :func:`lowering`."""


def lowering(kind: str):
    """Class decorator: register a :class:`Lowering` for ``kind`` in :data:`LOWERINGS`."""
    def register(cls):
        LOWERINGS[kind] = cls
        return cls
    return register


class Lowering:
    """One kind's loss in torch over batched matrices (…, r, c) in canonical order, and what only it knows:
    a symmetry-invariant fingerprint and, when it has a closed form, the global minimum value."""

    def __init__(self, problem: Problem, device: torch.device, dtype: torch.dtype):
        self.problem, self.device, self.dtype = problem, device, dtype

    def tensor(self, m, field: str = "matrix") -> torch.Tensor:
        return to_tensor(m, self.device, self.dtype, field)

    def loss(self, mats: list[torch.Tensor]) -> torch.Tensor:
        raise NotImplementedError

    def terms(self, mats: list[torch.Tensor]) -> torch.Tensor:
        """(…, T): the summands of L (default: L itself, T = 1) — see :meth:`BatchedLoss.terms`."""
        return self.loss(mats).unsqueeze(-1)

    def fingerprint(self, mats: list[torch.Tensor]) -> torch.Tensor:
        """(…, d): equal for points related by the kind's declared symmetries (default: the point itself)."""
        return torch.cat([M.flatten(-2) for M in mats], dim=-1)

    def global_value(self) -> float | None:
        """The global minimum value of L when known in closed form, else None."""
        return None

    def output_linear_in(self) -> range | None:
        """Indices (canonical order, consecutive) of the parameter matrices the output is jointly linear in —
        scaling them all by c scales O by c (:mod:`numeric.escape`'s ray) — or None."""
        return None


def data_term(loss, out: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    """ℓ(O, Y) of :mod:`verify.problems.losses` for batched outputs O (…, d_y, m) → (…,): the same definitions as
    the exact layer and the checker (square ½ΣE², mse ΣE²/(d_y m), Σφ(E) for power and poly, Σh_δ(E) for huber,
    Σ log(1 + e^{−Y∘O}) for logistic, Σ_j logsumexp(O_:j) − ⟨Y_:j, O_:j⟩ for cross-entropy)."""
    return data_terms(loss, out, Y).sum(-1)


def data_terms(loss, out: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    """The summands of :func:`data_term`, (…, T): one per entry E_ij (T = d_y m), or per sample for cross-entropy
    (T = m), each to float64's RELATIVE precision where it is small — softplus for logistic, and for cross-entropy
    logsumexp(o) − ⟨y, o⟩ = Σ_k y_k ((M − o_k) + log1p(Σ_{i ≠ i*} e^{o_i − M})), M = o_{i*} = max_i o_i, instead of
    a difference of two large numbers (the escape test, :mod:`numeric.escape`, compares summands far out on a ray)."""
    name = loss.name
    if name == "logistic":
        return softplus(-Y * out).flatten(-2)
    if name == "cross-entropy":
        M, arg = out.max(dim=-2, keepdim=True)
        rest = torch.exp(out - M).scatter(-2, arg, 0.0).sum(-2, keepdim=True)
        return (Y * ((M - out) + torch.log1p(rest))).sum(-2)
    R = out - Y
    if name == "huber":
        delta = to_float(loss.delta, "loss.huber")
        return torch.nn.functional.huber_loss(out, Y.expand_as(out), reduction="none", delta=delta).flatten(-2)
    if name == "square":
        return (R * R).flatten(-2) / 2
    return horner([to_float(c, "loss") for c in loss.phi(Y.shape[-1], Y.shape[-2])], R).flatten(-2)


class _SquareLoss(Lowering):
    """ℓ(out, Y) + ½ Σ_i ⟨Λ_i, W_i ∘ W_i⟩ over the trained weights (ℓ the problem's loss, :func:`data_term`; the
    weights are :meth:`regularised`, one Λ_i each)."""

    def __init__(self, problem, device, dtype):
        super().__init__(problem, device, dtype)
        self.X, self.Y = self.tensor(problem.X, "X"), self.tensor(problem.Y, "Y")
        self.data_loss = problem.loss
        reg = problem.reg
        if isinstance(reg, Fraction):
            self.reg = None if reg == 0 else to_float(reg, "reg")
        elif all(x == 0 for m in reg for row in m for x in row):
            self.reg = None
        else:
            self.reg = [self.tensor(m, "reg") for m in reg]

    def output(self, mats) -> torch.Tensor:
        """The network's output O (…, d_y, m)."""
        raise NotImplementedError

    def regularised(self, mats) -> list[torch.Tensor]:
        """The matrices Λ covers, in the order of ``problem.weight_shapes()`` (default: every parameter matrix)."""
        return mats

    def loss(self, mats):
        return self.fit(self.output(mats), self.regularised(mats))

    def terms(self, mats):
        """ℓ's summands (:func:`data_terms`), then one regulariser term ½⟨Λ_i, W_i ∘ W_i⟩ per weight."""
        parts = [data_terms(self.data_loss, self.output(mats), self.Y)]
        weights = self.regularised(mats)
        if self.reg is not None and weights:
            lams = [self.reg] * len(weights) if isinstance(self.reg, float) else self.reg
            parts.append(torch.stack([(lam * M * M).sum((-1, -2)) / 2 for lam, M in zip(lams, weights)], dim=-1))
        return torch.cat(parts, dim=-1)

    def fit(self, out: torch.Tensor, weights) -> torch.Tensor:
        """ℓ(out, Y) + ½ Σ_i ⟨Λ_i, W_i ∘ W_i⟩ over ``weights`` (:meth:`regularised`)."""
        if self.data_loss.is_square:
            R = out - self.Y
            value = (R * R).sum((-1, -2)) / 2
        else:
            value = data_term(self.data_loss, out, self.Y)
        if self.reg is None:
            return value
        if isinstance(self.reg, float):
            return value + self.reg * sum((M * M).sum((-1, -2)) for M in weights) / 2
        return value + sum((lam * M * M).sum((-1, -2)) for lam, M in zip(self.reg, weights)) / 2


@lowering("deep-linear")
class DeepLinearLowering(_SquareLoss):
    """L = ½‖W_H ⋯ W_1 X − Y‖²_F + ½ Σ_i ⟨Λ_i, W_i ∘ W_i⟩ (Kawaguchi 2016)."""

    def output(self, mats):
        Z = self.X
        for W in mats:
            Z = W @ Z
        return Z

    def output_linear_in(self):
        H = len(self.problem.widths) - 1
        return range(H - 1, H)                          # W_H

    def fingerprint(self, mats):
        """The end-to-end product R = W_H ⋯ W_1, invariant under GL(d_i) of each hidden layer; with the
        cross-entropy loss centred over the classes (R − 1·mean_i R_i:), which quotients its flat directions
        R + 1vᵀ (softmax does not see a constant added to every logit)."""
        prod = mats[0]
        for W in mats[1:]:
            prod = W @ prod
        if self.data_loss.name == "cross-entropy":
            prod = prod - prod.mean(-2, keepdim=True)
        return prod.flatten(-2)

    def global_value(self):
        """Unregularised: L* = ½(‖Y‖² − Σ_{i≤r} λ_i(Y P_X Yᵀ)), r = min width (reduced-rank regression)."""
        if not self.problem.closed_form_min:
            return None
        X = to_tensor(self.problem.X, "cpu", torch.float64, "X")
        Y = to_tensor(self.problem.Y, "cpu", torch.float64, "Y")
        M = Y @ torch.linalg.pinv(X) @ X @ Y.T       # Y P_X Yᵀ, P_X the projector onto the row space of X
        lam = torch.linalg.eigvalsh((M + M.T) / 2).flip(0)
        r = min(self.problem.widths)
        return float(((Y * Y).sum() - lam[:r].clamp(min=0).sum()) / 2)


@lowering("two-layer")
class TwoLayerLowering(_SquareLoss):
    """L = ½‖U σ(W X) − Y‖²_F + ½⟨Λ_W, W∘W⟩ + ½⟨Λ_U, U∘U⟩, σ a polynomial or relu (relu′(0) = 0)."""

    def __init__(self, problem, device, dtype):
        super().__init__(problem, device, dtype)
        self.U_fixed = None if problem.train_output else self.tensor(problem.output, "output")
        self.coeffs = None if problem.is_relu else [to_float(c, "activation.poly") for c in problem.activation]

    def output(self, mats):
        Z = mats[0] @ self.X
        S = torch.relu(Z) if self.coeffs is None else horner(self.coeffs, Z)
        U = mats[1] if self.problem.train_output else self.U_fixed
        return U @ S

    def output_linear_in(self):
        return range(1, 2) if self.problem.train_output else None   # U

    def fingerprint(self, mats):
        """Hidden units (w_i, u_i) sorted lexicographically: invariant under permutations of hidden units; for
        σ(t) = c t^k, U trained and no regulariser, each unit is first rescaled to (w_i/s, s^k u_i), s the
        first entry of w_i that is not ~0, so that the declared symmetry (c·w_i, u_i/c^k) is quotiented too."""
        W = mats[0]
        p = self.problem
        if not p.train_output:
            return sort_rows(W).flatten(-2)
        U = mats[1].transpose(-1, -2)
        k = p.rescaling_degree
        if k is not None and self.reg is None:
            tiny = 1e-9 * (1 + W.abs().amax(-1, keepdim=True))
            big = W.abs() > tiny
            first = torch.where(big.any(-1, keepdim=True), big.float().argmax(-1, keepdim=True), 0)
            s = torch.gather(W, -1, first)
            s = torch.where(s.abs() > tiny, s, torch.ones_like(s))
            W, U = W / s, U * s ** k
        return sort_rows(torch.cat([W, U], dim=-1)).flatten(-2)


def torch_activation(act) -> Callable[[torch.Tensor], torch.Tensor]:
    """σ as an elementwise torch function for a network activation ``act`` (:class:`verify.problems.Activation`):
    relu and leaky relu take the slope of their z ≤ 0 side at z = 0 (0 resp. α), softplus is :func:`softplus`;
    a coefficient beyond float64 is an :class:`InputError` naming ``activation``."""
    name = act.name
    if name == "poly":
        coeffs = [to_float(c, "activation.poly") for c in act.coeffs]
        return lambda z: horner(coeffs, z)
    if name == "leaky_relu":
        alpha = to_float(act.alpha, "activation.leaky_relu")
        return lambda z: torch.where(z > 0, z, alpha * z)
    named = {"identity": lambda z: z, "relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
             "softplus": softplus}
    if name not in named:
        raise InputError("activation", f"no torch form for the activation {name!r}")
    return named[name]


@lowering("network")
class NetworkLowering(_SquareLoss):
    """L = ℓ(W_H a_{H−1}(⋯ a_1(W_1 X + b_1) ⋯) + b_H, Y) + ½ Σ_i ⟨Λ_i, W_i ∘ W_i⟩ over the trained W_i: each layer
    W_i (…, d_i, d_{i−1}) — a trained block or the fixed matrix — then b_i (…, d_i, 1) broadcast over the samples,
    then σ_i (:func:`torch_activation`); the output layer is linear."""

    def __init__(self, problem, device, dtype):
        super().__init__(problem, device, dtype)
        p = problem
        self.fixed = [None if m is None else self.tensor(m, "weights") for m in p.fixed]
        names = [name for name, _, _ in p.param_shapes()]
        self.index = {name: k for k, name in enumerate(names)}
        self.weight_index = [self.index[name] for name, _, _ in p.weight_shapes()]
        self.sigmas = [torch_activation(a) for a in p.activations]

    def layer(self, mats, i: int, Z: torch.Tensor) -> torch.Tensor:
        """W_i Z + b_i (1-based i; without b_i when the layer has no bias)."""
        W = mats[self.index[f"W{i}"]] if self.problem.train[i - 1] else self.fixed[i - 1]
        Z = W @ Z
        return Z + mats[self.index[f"b{i}"]] if self.problem.bias[i - 1] else Z

    def output(self, mats):
        H = self.problem.depth
        Z = self.X
        for i, sigma in enumerate(self.sigmas, start=1):
            Z = sigma(self.layer(mats, i, Z))
        return self.layer(mats, H, Z)

    def regularised(self, mats):
        return [mats[k] for k in self.weight_index]

    def output_linear_in(self):
        """W_H and b_H (the last blocks) when W_H is trained: O = W_H a + b_H scales with them."""
        p = self.problem
        if not p.train[-1]:
            return None
        k = self.index[f"W{p.depth}"]
        return range(k, k + 1 + p.bias[-1])

    def fingerprint(self, mats):
        """Hidden layer by hidden layer (:meth:`verify.problems.Problem.hidden_layers`), the units of a layer whose
        incoming W_l and outgoing W_{l+1} are both trained are sorted lexicographically by [W_l | b_l | W_{l+1}ᵀ]
        (rows) and W_{l+1}'s columns permuted alike (permutation symmetry; a scalar or no Λ); with no regulariser, a
        unit of a positively homogeneous σ of degree k is first rescaled to (in_i/s, s^k·out_i), s = |first entry of
        in_i = [W_l | b_l]_i that is not ~0| (the rescaling symmetry, s > 0). Layer l's order and scale are fixed
        before layer l+1 reads W_{l+1}, so the result is invariant under both symmetries of every layer as long as
        the incoming rows of a layer before the last hidden one are distinct after rescaling (a tie is broken by
        W_{l+1}'s column, whose entries layer l+1's own symmetries still move: such points may not be merged).
        The GL(d_l) of a linear layer and the sign flips of odd σ are not quotiented."""
        p = self.problem
        mats = list(mats)
        if not isinstance(self.reg, list):
            for l, hidden in enumerate(p.hidden_layers(), start=1):
                if f"W{l}" not in hidden.incoming or not hidden.outgoing:
                    continue
                ins = [self.index[n] for n in hidden.incoming]
                out = self.index[f"W{l + 1}"]
                units = torch.cat([mats[k] for k in ins], dim=-1)
                V = mats[out]
                if hidden.degree is not None and self.reg is None:
                    tiny = 1e-9 * (1 + units.abs().amax(-1, keepdim=True))
                    big = units.abs() > tiny
                    first = torch.where(big.any(-1, keepdim=True), big.to(units.dtype).argmax(-1, keepdim=True), 0)
                    s = torch.gather(units, -1, first).abs()
                    s = torch.where(s > tiny, s, torch.ones_like(s))
                    units, V = units / s, V * (s ** hidden.degree).transpose(-1, -2)
                order = sort_order(torch.cat([units, V.transpose(-1, -2)], dim=-1))
                units = torch.gather(units, -2, order[..., None].expand_as(units))
                V = torch.gather(V, -1, order[..., None, :].expand_as(V))
                widths = [mats[k].shape[-1] for k in ins]
                for k, part in zip(ins, torch.split(units, widths, dim=-1)):
                    mats[k] = part
                mats[out] = V
        return torch.cat([M.flatten(-2) for M in mats], dim=-1)


@lowering("relu-teacher")
class ReluTeacherLowering(Lowering):
    """F(W) = ½ Σ k(w_i, w_j) − Σ k(w_i, v_j) + ½ Σ k(v_i, v_j), the arc-cosine kernel (Safran & Shamir 2018)."""

    def __init__(self, problem, device, dtype):
        super().__init__(problem, device, dtype)
        self.V = self.tensor(problem.teacher, "teacher")
        self.teacher_term = arccos_kernel(self.V, self.V, same=True).sum() / 2   # a constant

    def loss(self, mats):
        W = mats[0]
        kw = arccos_kernel(W, W, same=True)                  # diagonal ‖w_i‖²/2, outside arccos
        cross = arccos_kernel(W, self.V).sum((-1, -2))
        return kw.sum((-1, -2)) / 2 - cross + self.teacher_term

    def fingerprint(self, mats):
        """Student rows sorted lexicographically: invariant under permutations of student neurons."""
        return sort_rows(mats[0]).flatten(-2)

    def global_value(self):
        """0, attained (W = the teacher, padded with zero rows) when k ≥ the teacher's rows."""
        return 0.0 if self.problem.k >= len(self.problem.teacher) else None


def sort_order(units: torch.Tensor) -> torch.Tensor:
    """(…, p): the permutation sorting the rows of each (p, d) block of a (…, p, d) tensor lexicographically (keys
    rounded to 1e-6 so that noise cannot reorder rows that agree to that precision)."""
    lead = units.shape[:-2]
    flat = units.reshape(-1, *units.shape[-2:])
    key = torch.round(flat * 1e6) / 1e6
    order = torch.arange(flat.shape[1], device=units.device).expand(flat.shape[0], -1)
    for j in reversed(range(flat.shape[2])):                   # stable sorts, least significant key first
        col = torch.gather(key[:, :, j], 1, order)
        idx = torch.sort(col, dim=1, stable=True).indices
        order = torch.gather(order, 1, idx)
    return order.reshape(*lead, flat.shape[1])


def sort_rows(units: torch.Tensor) -> torch.Tensor:
    """The rows of each (p, d) block of a (…, p, d) tensor sorted lexicographically (:func:`sort_order`)."""
    return torch.gather(units, -2, sort_order(units)[..., None].expand_as(units))


class BatchedLoss:
    """L: (B, N) → (B,) for one problem (its :class:`Lowering` from :data:`LOWERINGS`); also the parameter
    layout, a single-vector form for torch.func, the symmetry fingerprint and the known global value."""

    def __init__(self, problem: Problem, device=None, dtype=torch.float64):
        if not isinstance(problem, Problem):
            raise InputError("problem", f"expected a verify.problems.Problem, got {type(problem).__name__}")
        if dtype not in (torch.float64, torch.float32):
            raise InputError("dtype", f"{dtype!r} must be torch.float64 or torch.float32")
        if problem.kind not in LOWERINGS:
            raise InputError("problem", f"no torch lowering for kind {problem.kind!r} (numeric.losses.LOWERINGS: "
                             f"{', '.join(sorted(LOWERINGS))})")
        self.problem = problem
        self.device = torch.device(device) if device is not None else default_device()
        self.dtype = dtype
        self.shapes = problem.param_shapes()
        self.n_params = problem.n_params
        self.lowering = LOWERINGS[problem.kind](problem, self.device, dtype)

    def unflatten(self, theta: torch.Tensor) -> list[torch.Tensor]:
        """Views (…, r, c) of the matrices in canonical order."""
        out, k = [], 0
        lead = theta.shape[:-1]
        for _, r, c in self.shapes:
            out.append(theta[..., k:k + r * c].reshape(*lead, r, c))
            k += r * c
        return out

    def __call__(self, theta: torch.Tensor) -> torch.Tensor:
        if theta.shape[-1] != self.n_params:
            raise InputError("theta", f"last axis has {theta.shape[-1]} entries; the problem has {self.n_params}")
        return self.lowering.loss(self.unflatten(theta))

    def terms(self, theta: torch.Tensor) -> torch.Tensor:
        """(B, T): summands of L (data-term entries, then regulariser terms; relu-teacher: L itself) with
        ``terms(θ).sum(-1)`` = L(θ) up to rounding; each summand small where the fit is good, to its own relative
        precision, so that Σ(terms(θ′) − terms(θ)) resolves a change of L far below float64's resolution of L."""
        if theta.shape[-1] != self.n_params:
            raise InputError("theta", f"last axis has {theta.shape[-1]} entries; the problem has {self.n_params}")
        return self.lowering.terms(self.unflatten(theta))

    def fingerprint(self, theta: torch.Tensor) -> torch.Tensor:
        """(B, d) symmetry-invariant fingerprints of a (B, N) batch (:meth:`Lowering.fingerprint`)."""
        return self.lowering.fingerprint(self.unflatten(theta))

    def global_value(self) -> float | None:
        return self.lowering.global_value()

    def output_block(self) -> slice | None:
        """The slice of θ holding the matrices the output is linear in (:meth:`Lowering.output_linear_in`), or None."""
        ks = self.lowering.output_linear_in()
        if ks is None:
            return None
        start = sum(r * c for _, r, c in self.shapes[:ks.start])
        return slice(start, start + sum(r * c for _, r, c in self.shapes[ks.start:ks.stop]))

    def single(self, theta: torch.Tensor) -> torch.Tensor:
        """L at one flat vector (N,) → scalar: the form torch.func.grad/hessian/vmap expect."""
        return self(theta.unsqueeze(0)).squeeze(0)

    def to(self, device) -> "BatchedLoss":
        return BatchedLoss(self.problem, device=device, dtype=self.dtype)


def make_loss(problem: Problem, device=None, dtype=torch.float64) -> BatchedLoss:
    """Lower ``problem`` to a batched torch loss: a callable (B, N) → (B,) (see the module docstring)."""
    return BatchedLoss(problem, device=device, dtype=dtype)


def value_and_grad(loss: BatchedLoss, theta: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(L(θ_b))_b and (∇L(θ_b))_b for a (B, N) batch in one reverse pass (rows are independent, so
    ∇ of Σ_b L(θ_b) with respect to row b is ∇L(θ_b)).

    This is the optimisers' hot loop, so it uses ``torch.autograd.grad`` directly: on this project's CPU it
    measured about 2× faster than ``torch.func.grad_and_value`` for small problems (same values).
    """
    with torch.enable_grad():
        x = theta.detach().requires_grad_(True)
        v = loss(x)
        if not v.requires_grad:                      # L does not depend on θ (e.g. σ constant)
            return v.detach(), torch.zeros_like(x)
        (g,) = torch.autograd.grad(v.sum(), x, materialize_grads=True)
    return v.detach(), g
