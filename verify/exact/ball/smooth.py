"""Smooth transcendental networks (tanh, sigmoid, softplus) in ball arithmetic: L, ∇L and ∇²L at a point or over
a box, by a second-order forward-mode jet pushed through the problem's own ring loss.

A :class:`Jet` is f + Σ_i g_i δ_i + ½ Σ_ij H_ij δ_i δ_j truncated after order two (order one when ``h`` is None),
with coefficients in a field of scalars — python-flint ``arb`` balls (outward rounded) or float64. Sums and products
follow the Leibniz rule, (fg)_ij = f_ij g + f g_ij + f_i g_j + f_j g_i, and an activation σ by the chain rule,
σ(f)_i = σ′(f) f_i, σ(f)_ij = σ′(f) f_ij + σ″(f) f_i f_j, with

    tanh′ = sech², tanh″ = −2 tanh sech²;   s = sigmoid: s(z) = ½(1 + tanh(z/2)), s′ = ¼ sech²(z/2),
    s″ = −¼ sech²(z/2) tanh(z/2);   softplus(z) = log(1 + eᶻ), softplus′ = s, softplus″ = s′.

:meth:`verify.problems.Problem.ring_loss` runs on jets with ``special`` = these functions, so one pass gives L, ∇L
and ∇²L. Seeded at a box (every θ_i a ball c_i ± r_i), each coefficient encloses its value over the whole box: the
Hessian enclosure J(X) of the Krawczyk test (Krawczyk 1969; Rump 1983, Theorem 2.1). Here:

* :func:`smooth_refuses` — why a problem's loss has no such evaluation (None: it has one);
* :func:`derivatives_float` — L, ∇L, ∇²L in float64 (Newton's start and the hints' linear algebra);
* :func:`gradient_ball`, :func:`loss_ball`, :func:`hessian_on_box`, :func:`loss_on_box` — arb at :data:`BITS`;
* :func:`newton_refine` — Newton's iteration in balls from a float start (any gradient, any iteration matrix);
  :func:`refine` — it on L, from a few float Newton steps;
* :func:`krawczyk_on_box` — K(X) ⊂ int X: exactly one critical point in the box (what the kernel re-checks).

False / None here means "not shown at this precision or radius", not that the box holds no critical point.

>>> from verify.problems.network import problem_from_network
>>> P = problem_from_network({"widths": [1, 1, 1], "activation": ["tanh"], "X": [[1]], "Y": [[1]]})
>>> L, g, H = derivatives_float(P, [0.0, 0.0])      # L = ½(w₂ tanh w₁ − 1)²: the origin is a strict saddle
>>> float(L), abs(g).tolist(), H.tolist()
(0.5, [0.0, 0.0], [[0.0, -1.0], [-1.0, 0.0]])
"""

from __future__ import annotations

import inspect
import math
from fractions import Fraction

import flint
import numpy as np

from verify.errors import InputError
from verify.exact.ball.balls import arb_of
from verify.problems import Problem

BITS = 256
"""Working precision of every ball evaluation here and of the kernel's box rules (proofs/FORMAT.md)."""


class Jet:
    """f + Σ g[i] δ_i + ½ Σ H[(i, j)] δ_i δ_j (i ≤ j; ``h`` None: first order) over arb or float (module docstring).

    >>> x, y = Jet(2.0, {0: 1.0}, {}), Jet(3.0, {1: 1.0}, {})
    >>> p = x * y * y                                  # x y²: ∇ = (y², 2xy), H = [[0, 2y], [2y, 2x]]
    >>> p.c, p.g, p.h
    (18.0, {0: 9.0, 1: 12.0}, {(0, 1): 6.0, (1, 1): 4.0})
    """

    __slots__ = ("c", "g", "h")

    def __init__(self, c, g: dict, h: dict | None):
        self.c, self.g, self.h = c, g, h

    def __add__(self, o):
        if not isinstance(o, Jet):
            return Jet(self.c + o, self.g, self.h)
        return Jet(self.c + o.c, _merge(self.g, o.g), None if self.h is None else _merge(self.h, o.h))

    __radd__ = __add__

    def __neg__(self):
        return self * -1

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return (-self) + o

    def __mul__(self, o):
        if not isinstance(o, Jet):
            return Jet(self.c * o, {k: v * o for k, v in self.g.items()},
                       None if self.h is None else {k: v * o for k, v in self.h.items()})
        g = _merge(_scaled(self.g, o.c), _scaled(o.g, self.c))
        if self.h is None:
            return Jet(self.c * o.c, g, None)
        h = _merge(_scaled(self.h, o.c), _scaled(o.h, self.c))
        for i, a in self.g.items():
            for j, b in o.g.items():
                k = (i, j) if i <= j else (j, i)
                ab = a * b
                ab = ab + ab if i == j else ab      # f_i g_j + f_j g_i on the diagonal
                h[k] = h[k] + ab if k in h else ab
        return Jet(self.c * o.c, g, h)

    __rmul__ = __mul__

    def apply(self, f0, f1, f2) -> "Jet":
        """σ(self) from σ, σ′, σ″ at ``self.c`` (the chain rule to second order)."""
        g = _scaled(self.g, f1)
        if self.h is None:
            return Jet(f0, g, None)
        h = _scaled(self.h, f1)
        items = sorted(self.g.items())
        for a, (i, u) in enumerate(items):
            for j, v in items[a:]:
                t = f2 * u * v
                h[(i, j)] = h[(i, j)] + t if (i, j) in h else t
        return Jet(f0, g, h)

    def hessian(self, n: int, zero) -> list[list]:
        """The dense symmetric n × n Hessian (``zero`` where no entry was produced)."""
        H = [[zero] * n for _ in range(n)]
        for (i, j), v in (self.h or {}).items():
            H[i][j] = H[j][i] = v
        return H


def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = out[k] + v if k in out else v
    return out


def _scaled(a: dict, s) -> dict:
    return {k: v * s for k, v in a.items()}


# ------------------------------------------------------------------ σ, σ′, σ″ in each field of scalars
def _arb_special(name: str, c: flint.arb):
    if name == "tanh":
        t, s2 = c.tanh(), c.sech() ** 2
        return t, s2, -2 * t * s2
    half = c / 2
    t, q = half.tanh(), half.sech() ** 2 / 4              # s = ½(1 + t), s′ = ¼ sech²(z/2)
    if name == "sigmoid":
        return (1 + t) / 2, q, -q * t
    return c.exp().log1p(), (1 + t) / 2, q                # softplus


def _float_special(name: str, c: float):
    if name == "tanh":
        t = math.tanh(c)
        s2 = 1 - t * t
        return t, s2, -2 * t * s2
    t = math.tanh(c / 2)
    q = (1 - t * t) / 4
    if name == "sigmoid":
        return (1 + t) / 2, q, -q * t
    return max(c, 0.0) + math.log1p(math.exp(-abs(c))), (1 + t) / 2, q


def _special(table):
    def special(name: str, z):
        c = z.c if isinstance(z, Jet) else z
        f0, f1, f2 = table(name, c)
        return z.apply(f0, f1, f2) if isinstance(z, Jet) else f0
    return special


ARB_SPECIAL = _special(_arb_special)
FLOAT_SPECIAL = _special(_float_special)


def _arb(x) -> flint.arb:
    return x if isinstance(x, flint.arb) else arb_of(Fraction(x))


def _ring(problem: Problem, xs, field: str):
    """L over the ring of ``xs`` (jets or scalars of ``field`` ∈ {"arb", "float"}), or None (no ring form)."""
    if field == "arb":
        conv, zero, special = _arb, flint.arb(0), ARB_SPECIAL
    else:
        conv, zero, special = float, 0.0, FLOAT_SPECIAL
    return problem.ring_loss(problem.unflatten(list(xs)), conv, zero, special=special)


def smooth_refuses(problem: Problem) -> str | None:
    """Why L of ``problem`` cannot be evaluated over jets of balls here (None when it can): its ring loss takes no
    ``special`` evaluator (a closed-form kind such as the arc-cosine kernel), the loss ℓ has no ring form (logistic,
    cross-entropy), or a relu layer needs an activation pattern that a box of balls does not fix."""
    if "special" not in inspect.signature(problem.ring_loss).parameters:
        return f"the {problem.kind} loss is not written over a ring with tanh / sigmoid / softplus"
    try:
        value = _ring(problem, [0.0] * problem.n_params, "float")
    except InputError as e:
        return f"{e.detail} (a relu layer among tanh / sigmoid / softplus ones: not supported by the ball layer)"
    if value is None:
        loss = getattr(problem, "loss", None)
        what = f"the {loss.describe()} loss" if loss is not None else "the loss"
        return f"{what} has no ring form over balls here"
    return None


def seeds(centre, radius=None, order: int = 2, field: str = "arb") -> list[Jet]:
    """θ_i = centre_i (± radius_i) + δ_i as jets of ``order`` 1 or 2 (the coordinates of the box, or the point)."""
    one = flint.arb(1) if field == "arb" else 1.0
    out = []
    for i, c in enumerate(centre):
        v = _arb(c) if field == "arb" else float(c)
        if radius is not None:
            v = v + _arb(radius[i]) * flint.arb(0, 1)
        out.append(Jet(v, {i: one}, {} if order == 2 else None))
    return out


def _jet(problem: Problem, xs, field: str) -> Jet:
    L = _ring(problem, xs, field)
    if L is None:
        raise InputError("problem", smooth_refuses(problem) or "the loss has no ring form")
    if not isinstance(L, Jet):                             # L does not depend on θ
        return Jet(L, {}, {})
    return L


def derivatives_float(problem: Problem, w) -> tuple[float, np.ndarray, np.ndarray]:
    """(L, ∇L, ∇²L) at the flat point ``w`` in float64."""
    n = problem.n_params
    J = _jet(problem, seeds([float(x) for x in w], field="float"), "float")
    g = np.zeros(n)
    for i, v in J.g.items():
        g[i] = v
    return J.c, g, np.array(J.hessian(n, 0.0), dtype=float)


def gradient_ball(problem: Problem, w) -> list[flint.arb]:
    """∇L(w) in balls at the current precision (``w``: Fractions, floats or balls; first-order jets)."""
    J = _jet(problem, seeds(w, order=1), "arb")
    return [J.g.get(i, flint.arb(0)) for i in range(problem.n_params)]


def hessian_ball(problem: Problem, w, radius=None) -> flint.arb_mat:
    """∇²L at ``w`` (or its enclosure over the box w ± radius) as an arb matrix, at the current precision."""
    n = problem.n_params
    J = _jet(problem, seeds(w, radius), "arb")
    return flint.arb_mat(n, n, [x for row in J.hessian(n, flint.arb(0)) for x in row])


def loss_ball(problem: Problem, w) -> flint.arb:
    """L(w) in a ball at the current precision."""
    L = _ring(problem, [_arb(x) for x in w], "arb")
    return L.c if isinstance(L, Jet) else L


def real_box(centre, radius) -> list[flint.arb]:
    return [_arb(c) + _arb(r) * flint.arb(0, 1) for c, r in zip(centre, radius)]


def loss_on_box(problem: Problem, centre, radius) -> flint.arb:
    """An enclosure of L over the box centre ± radius (plain interval evaluation, as the kernel's box-above rule)."""
    with flint.ctx.workprec(BITS):
        return _ring(problem, real_box(centre, radius), "arb")


def hessian_on_box(problem: Problem, centre, radius) -> flint.arb_mat:
    """J(X) ⊇ {∇²L(x) : x ∈ centre ± radius} at :data:`BITS`."""
    with flint.ctx.workprec(BITS):
        return hessian_ball(problem, centre, radius)


def krawczyk_on_box(problem: Problem, centre, radius, Y, J: flint.arb_mat | None = None) -> bool:
    """K(X) ⊂ int X for X = centre ± radius: K − x̃ = −Y ∇L(x̃) + (I − Y J(X))(X − x̃), x̃ = centre, Y any matrix
    (rationals; Y ≈ ∇²L(x̃)⁻¹ makes it pass). True proves that ∇L has exactly one zero in X. ``J``: J(X) when the
    caller has it (:func:`hessian_on_box`)."""
    n = len(centre)
    with flint.ctx.workprec(BITS):
        J = hessian_on_box(problem, centre, radius) if J is None else J
        g = flint.arb_mat(n, 1, gradient_ball(problem, centre))
        Ya = flint.arb_mat(n, n, [_arb(v) for row in Y for v in row])
        eye = flint.arb_mat(n, n, [int(i == j) for i in range(n) for j in range(n)])
        box = flint.arb_mat(n, 1, [_arb(r) * flint.arb(0, 1) for r in radius])
        K = (eye - Ya * J) * box - Ya * g
        return all(K[i, 0] < _arb(radius[i]) and K[i, 0] > -_arb(radius[i]) for i in range(n))


def exact_mid(x: flint.arb) -> Fraction:
    """The midpoint of a ball as an exact Fraction."""
    m, e = x.mid().man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2 ** e) if e >= 0 else Fraction(m, 2 ** -e)


def newton_refine(gradient, H: np.ndarray, w, target_bits: int = 160, steps: int = 12,
                  max_step: float = 1e-2) -> tuple[list | None, str]:
    """Newton's iteration x ← x − H⁻¹ g(x) with g = ``gradient(x)`` in balls at :data:`BITS` and H a fixed float64
    iteration matrix (≈ the Jacobian of g at the root: each step then gains ~12 digits); returns (x as exact
    Fractions, "") once max |g(x)| < 2^−target_bits, or (None, why). ``gradient`` may raise ValueError (where it does
    not exist); a step above ``max_step`` means no root near ``w``."""
    if not np.all(np.isfinite(H)):
        return None, "the float64 Hessian is not finite at the point"
    with flint.ctx.workprec(BITS):
        x = [_arb(float(v)) for v in w]
        tol = flint.arb(2) ** -target_bits
        for _ in range(steps):
            try:
                g = gradient(x)
            except ValueError as e:
                return None, str(e)
            if all(abs(v) < tol for v in g):
                return [exact_mid(v) for v in x], ""
            try:
                d = np.linalg.solve(H, [float(v.mid()) for v in g])
            except np.linalg.LinAlgError:
                return None, "the float64 Hessian is singular at the point"
            if not np.all(np.isfinite(d)) or np.abs(d).max() > max_step:
                return None, f"Newton's step grew to {np.abs(d).max():.3g}: no critical point near the point"
            x = [(xi - _arb(float(di))).mid() for xi, di in zip(x, d)]
    return None, f"Newton did not reach |∇L| < 2^-{target_bits} in {steps} steps"


def refine(problem: Problem, w, target_bits: int = 160, float_steps: int = 20) -> tuple[list | None, str]:
    """The critical point of L near ``w``: float64 Newton steps until ‖∇L‖∞ stops falling (at most ``float_steps``),
    then :func:`newton_refine` in 256-bit balls with the float Hessian there. (x as Fractions, "") or (None, why)."""
    w = np.array([float(x) for x in w])
    if not np.all(np.isfinite(w)):
        return None, "the point has entries beyond float64"
    _, g, H = derivatives_float(problem, w)
    for _ in range(float_steps):
        if not (np.all(np.isfinite(H)) and np.all(np.isfinite(g))):
            return None, "the float64 derivatives are not finite at the point"
        try:
            d = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            return None, "the float64 Hessian is singular at the point"
        if not np.all(np.isfinite(d)) or np.abs(d).max() > 1.0:
            return None, f"a float Newton step grew to {np.abs(d).max():.3g}: no critical point near the point"
        _, g2, H2 = derivatives_float(problem, w - d)
        if np.abs(g2).max() >= np.abs(g).max():
            break
        w, g, H = w - d, g2, H2
    return newton_refine(lambda x: gradient_ball(problem, x), H, w, target_bits=target_bits)


def descend(problem: Problem, starts: int, seed: int, steps: int = 200, deadline: float | None = None) -> list:
    """Seeded multi-start saddle-free Newton in float64 (d = −Σ_k q_k q_kᵀ∇L / (|λ_k| + μ), H = Σ λ_k q_k q_kᵀ, μ
    raised until L falls): the end points [(L, θ)], lowest L first. Starts: each block's entries N(0, 1/fan_in), as
    :func:`numeric.search.initial_points`. ``deadline`` (``time.monotonic()``) stops it with the points it has.
    A float search: its points are candidates and witnesses of lower loss, nothing more."""
    import time

    rng = np.random.default_rng(seed)
    ends = []
    for _ in range(starts):
        if deadline is not None and time.monotonic() > deadline:
            break
        w = np.concatenate([rng.normal(0.0, 1 / math.sqrt(c), r * c) for _, r, c in problem.param_shapes()])
        L, g, H = derivatives_float(problem, w)
        mu = 1e-3
        for _ in range(steps):
            if not (np.isfinite(L) and np.all(np.isfinite(H))) or np.abs(g).max() < 1e-12:
                break
            lam, Q = np.linalg.eigh(H)
            while mu < 1e12:
                w2 = w - Q @ ((Q.T @ g) / (np.abs(lam) + mu))
                L2, g2, H2 = derivatives_float(problem, w2)
                if L2 <= L:
                    w, L, g, H, mu = w2, L2, g2, H2, max(mu / 10, 1e-12)
                    break
                mu *= 10
            else:
                break
        if np.isfinite(L):
            ends.append((float(L), w))
    return sorted(ends, key=lambda e: e[0])
