"""Continuous symmetries as rational families of critical points θ(s) = P(s)/q(s) (Morse–Bott certificates).

For a problem's declared symmetries (``Problem.symmetries``) :func:`critical_family` builds, at a critical point p,
a family through p whose every member is critical, one parameter s_j per move, the moves acting on disjoint
coordinates (so the product family is critical when each move is):

* for every hidden layer the kind declares (:meth:`~verify.problems.Problem.hidden_layers`) whose σ is positively
  homogeneous of degree k (σ(c·z) = c^k σ(z); a polynomial loss: σ = a·t^k), whose outgoing weights are trained
  and which is not linear, and each unit i of it with w_i (its incoming row: W_l's row and b_l's entry) and u_i (its
  outgoing column) unregularised:
  - a live unit (w_i ≠ 0): the rescaling (c·w_i, u_i/c^k) with c = 1 + s_j (denominator (1 + s_j)^k, tangent
    (w_i, −k·u_i));
  - a dead unit (w_i = 0) with k ≥ 2: the translations u_{ri} + s_j (σ(0) = σ'(0) = 0, so the unit neither
    contributes nor feels a gradient).
* Permutations and sign flips are discrete (no tangents); the GL(d_l) families of a linear layer (identity, no
  bias) are not built, nor its rescalings (they lie in GL(d_l)): every local minimum of an unregularised deep linear
  net is global (Kawaguchi 2016), which ``classify`` decides first.

A piecewise-polynomial problem (relu / leaky relu) is handled on the open cell of p's activation pattern s, where L
equals the cell polynomial L_s (``relu_mask = s``) on a neighbourhood of p. Its families are symmetries of L_s:

* the translations θ ↦ θ + s_j·v_j for a basis v_j of V = {v : Σ_k v_k ∂L_s/∂θ_k ≡ 0} (then L_s(θ + s v) ≡ L_s(θ)):
  every coordinate of a dead relu unit (off on every sample: its incoming row W_l, b_l and outgoing column W_{l+1}
  do not occur in L_s), a first-layer unit's incoming row along every v with v·[x_j; 1] = 0 on the samples j where
  it is active, any coordinate L_s does not involve — and nothing a Λ > 0 touches (½Λθ_k² involves θ_k). It is read
  off the coefficients of ∇L_s (one exact null space), so a leaky unit's inactive samples (α·z) count as well;
* the rescaling (c·w_i, u_i/c), c = 1 + s_j, of every unregularised unit with w_i ≠ 0 of a positively homogeneous
  layer (relu and leaky relu are, with k = 1; on the cell σ is z or α·z).

Both are exact symmetries of L_s on all of R^N, so θ(s) = S(s)(p + Σ_j s_j v_j) is a family of critical points of
L_s; for small s it stays in p's open cell (q(0) ≠ 0: θ is continuous), where L = L_s: a family of critical points of
L near p, and the Morse–Bott argument is local (proofs/FORMAT.md). When these tangents do not span null(H), lines
p + s·v along a basis of the rest of null(H) are added (e.g. b_1 ↦ b_1 + s, b_2 ↦ b_2 − u·s for a unit active on every
sample, whose bias the output bias absorbs): they are not symmetries, and the family is kept only if the identity
below holds for all of it.

>>> from fractions import Fraction as F
>>> from verify.exact.derivatives import taylor
>>> from verify.problems import problem_from_dict
>>> d4 = problem_from_dict({"kind": "two-layer", "n": 2, "width": 2, "activation": "relu",
...                         "X": [[1, 0, 1], [0, 1, -1]], "Y": [[1, 2, 0]]})
>>> p = [F(-1), F(1), F(-1), F(-1, 2), F(2), F(0)]      # unit 2 dead, unit 1 active on sample 2 only
>>> s = d4.activation_pattern(p)
>>> t = taylor(d4, p, relu_mask=s)
>>> critical_family(d4, p, t.hessian, 5, relu_mask=s, expansion=t.expansion).names
['translation of W_0_0', 'translation of W_1_0', 'translation of W_1_1', 'translation of U_0_1', 'rescaling of unit 1']

The identity ∇L(θ(s)) ≡ 0 is re-checked here exactly (q^D ∇L(P/q) ≡ 0 as polynomials, D = deg ∇L) before a family
is returned; the checker re-checks it on its own ring (proofs/morse_bott.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import lcm

import flint

from verify.exact.loss import fq, loss_in_ring, to_fraction


@dataclass
class Family:
    """θ(s) = numerator(s)/denominator(s), s ∈ Q^m; tangents ∂θ/∂s_j(0); names: one move per parameter."""

    m: int
    denominator: object          # fmpq_mpoly in s
    numerator: list              # one fmpq_mpoly per parameter of the problem
    tangents: list
    names: list

    def to_json(self) -> dict:
        def terms(p):
            return [[[int(k) for k in e], _s(c)] for e, c in p.to_dict().items()]
        return {"parameters": self.m, "denominator": terms(self.denominator),
                "numerator": [terms(a) for a in self.numerator]}


def _s(c) -> str:
    x = to_fraction(c)
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def unit_coordinates(problem) -> list:
    """Per hidden layer (:meth:`~verify.problems.Problem.hidden_layers`, in order), per unit i: (w, u) — w the
    canonical indices of its incoming row as (block name, [indices]) per block of ``layer.incoming`` (W_l's row i,
    b_l's entry i), u those of its outgoing column (column i of each block of ``layer.outgoing``).

    >>> from verify.problems import problem_from_dict
    >>> net = problem_from_dict({"kind": "network", "widths": [2, 2, 1], "activation": ["relu"],
    ...                          "bias": [True, False], "X": [[1], [0]], "Y": [[1]]})
    >>> unit_coordinates(net)[0][1]          # W1 = θ_0..θ_3, b1 = θ_4, θ_5, W2 = θ_6, θ_7
    ([('W1', [2, 3]), ('b1', [5])], [7])
    """
    offsets, at = {}, 0
    for name, r, c in problem.param_shapes():
        offsets[name] = (at, r, c)
        at += r * c
    return [[([(name, [offsets[name][0] + i * offsets[name][2] + j for j in range(offsets[name][2])])
               for name in layer.incoming],
              [k0 + a * c + i for k0, r, c in map(offsets.get, layer.outgoing) for a in range(r)])
             for i in range(layer.width)] for layer in problem.hidden_layers()]


def _units(problem):
    """[(k, w coords, u coords)] for each unit of each hidden layer with a rescaling (module docstring)."""
    return [(layer.degree, [c for _, cs in w for c in cs], u)
            for layer, units in zip(problem.hidden_layers(), unit_coordinates(problem))
            if layer.degree is not None and not layer.linear and layer.incoming and layer.outgoing
            for w, u in units]


def _moves(problem, point, expansion=None):
    """[(name, kind, data, k)]: ('scale', (w coords, u coords)), ('shift', v) — θ + s·v, v a rational vector — each
    with its layer's k. ``expansion``: L_s(p + x) as an fmpq_mpoly in x (piecewise problems: the cell polynomial)."""
    piecewise = expansion is not None
    if not (problem.polynomial or piecewise):
        return []
    lam = problem.param_reg()
    moves = [(_translation_name(problem, v), "shift", v, 1) for v in _translations(expansion)] if piecewise else []
    for unit, (k, w, u) in enumerate(_units(problem), start=1):
        if any(lam[c] != 0 for c in w + u):
            continue
        if any(point[c] != 0 for c in w):
            moves.append((f"rescaling of unit {unit}", "scale", (w, u), k))
        elif k >= 2 and not piecewise:
            moves += [(f"u[{r + 1}][{unit}] of dead unit {unit}", "shift", _unit_vector(len(point), c), k)
                      for r, c in enumerate(u)]
    return moves


def _unit_vector(n, c):
    return [int(a == c) for a in range(n)]


def _translations(expansion) -> list:
    """A rational basis of V = {v : Σ_k v_k ∂P/∂x_k ≡ 0} for the polynomial P(x) (module docstring): the null space
    of the matrix whose column k holds the coefficients of ∂P/∂x_k, one row per monomial.

    >>> ctx = flint.fmpq_mpoly_ctx.get(("x", 3))
    >>> x, y, z = ctx.gens()
    >>> _translations((x - y) ** 2 + 1)          # z does not occur, x and y only through x − y
    [[1, 1, 0], [0, 0, 1]]
    """
    n = expansion.context().nvars()
    grads = [expansion.derivative(k).to_dict() for k in range(n)]
    return _null_space([[g.get(e, 0) for g in grads] for e in sorted({e for g in grads for e in g})], n)


def _null_space(rows, n) -> list:
    """{v ∈ Q^n : A v = 0} for A = ``rows`` (rationals), as the integer rows of its reduced echelon basis (canonical).

    >>> _null_space([[1, 2, 3]], 3)
    [[3, 0, -1], [0, 3, -2]]
    """
    if not rows:
        return [_unit_vector(n, c) for c in range(n)]
    N, nullity = flint.fmpq_mat([[fq(x) for x in r] for r in rows]).numer_denom()[0].nullspace()
    if nullity == 0:
        return []
    R, _ = flint.fmpq_mat([[N[a, j] for a in range(n)] for j in range(nullity)]).rref()
    basis = [[to_fraction(R[j, a]) for a in range(n)] for j in range(nullity)]
    return [[int(x * lcm(*(y.denominator for y in r))) for x in r] for r in basis]


def _translation_name(problem, v, what="translation") -> str:
    """"translation of W_1_0" (a unit vector), "line along 14·b1_0_0 − 5·b2_0_0" (parameter names)."""
    names = problem.param_names()
    (c0, a0), *rest = [(c, a) for a, c in enumerate(v) if c != 0]
    if not rest and c0 == 1:
        return f"{what} of {names[a0]}"
    return f"{what} along {c0}·{names[a0]}" + "".join(f" {'−' if c < 0 else '+'} {abs(c)}·{names[a]}" for c, a in rest)


def _build(problem, point, moves):
    """The product family of ``moves``: θ_a(s) = (θ_a + Σ_shift s_j v_{j,a}) · Π_{a ∈ w_j} (1 + s_j) / Π_{a ∈ u_j}
    (1 + s_j)^k_j over the common denominator q = Π_scale (1 + s_j)^k_j (a coordinate is in at most one unit's w and
    one unit's u: the units of consecutive layers share W_{l+1}'s entries)."""
    m, n = len(moves), len(point)
    ctx = flint.fmpq_mpoly_ctx.get(("s", m))
    s, one = ctx.gens(), ctx.from_dict({(0,) * m: 1})
    powers = [(one + s[j]) ** k if kind == "scale" else one for j, (_, kind, _, k) in enumerate(moves)]
    q = one
    for f in powers:
        q = q * f
    num = [fq(v) + ctx.from_dict({}) for v in point]
    for j, (_, kind, v, _) in enumerate(moves):
        if kind == "shift":
            num = [a + fq(c) * s[j] if c else a for a, c in zip(num, v)]
    for a in range(n):
        for j, (_, kind, c, _) in enumerate(moves):
            if kind == "scale":
                num[a] = num[a] * ((one + s[j]) if a in c[0] else one) * (one if a in c[1] else powers[j])
    zero = (0,) * m
    tangents = [[to_fraction(a.derivative(j)(*zero) - fq(v) * q.derivative(j)(*zero)) for a, v in zip(num, point)]
                for j in range(m)]
    return Family(m, q, num, tangents, [x[0] for x in moves]) if n else None


def _critical_identically(problem, fam: Family, relu_mask=None) -> bool:
    """q^D ∂L/∂θ_i(P/q) ≡ 0 for every i (homogenised substitution); L the cell polynomial when ``relu_mask``."""
    n = problem.n_params
    ctx = flint.fmpq_mpoly_ctx.get(("x", n))
    L = loss_in_ring(problem, list(ctx.gens()), relu_mask=relu_mask)
    for i in range(n):
        g = L.derivative(i)
        if g.is_zero():
            continue
        D = g.total_degree()
        acc = None
        for e, c in g.to_dict().items():
            t = fam.denominator ** (D - sum(e)) * c
            for a, k in zip(fam.numerator, e):
                if k:
                    t = t * a ** k
            acc = t if acc is None else acc + t
        if acc is not None and not acc.is_zero():
            return False
    return True


def critical_family(problem, point, hessian, nullity: int, relu_mask=None, expansion=None) -> Family | None:
    """A critical family through ``point`` whose tangents are a basis of null(H) (dim ``nullity``), or None. For a
    piecewise-polynomial problem pass the cell's ``relu_mask`` and ``expansion`` (L_s(p + x), :func:`taylor`'s)."""
    moves = _moves(problem, point, expansion if relu_mask is not None else None)
    if relu_mask is not None:   # then lines p + s·v along null(H), kept only if the whole family checks below
        moves += [(_translation_name(problem, v, "line"), "shift", v, 1) for v in _null_space(hessian, len(point))]
    if not moves:
        return None
    H = flint.fmpq_mat([[fq(x) for x in row] for row in hessian])
    fam = _build(problem, point, moves)
    chosen, rank = [], 0
    for j, t in enumerate(fam.tangents):   # a maximal independent subset of the moves' tangents
        T = flint.fmpq_mat([[fq(x) for x in fam.tangents[i]] for i in chosen + [j]])
        if T.rank() > rank and all(v == 0 for v in (H * flint.fmpq_mat([[fq(x)] for x in t])).entries()):
            chosen, rank = chosen + [j], rank + 1
    if rank != nullity:
        return None
    fam = _build(problem, point, [moves[j] for j in chosen])
    return fam if _critical_identically(problem, fam, relu_mask) else None


__all__ = ["Family", "critical_family", "unit_coordinates"]
