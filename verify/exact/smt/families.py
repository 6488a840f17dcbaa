"""Families of critical points that are not local minima, certified so that an SMT query may exclude them.

The exact route (:mod:`verify.run.exact_route`) asks z3 for a critical point θ with ∇²L(θ) ⪰ 0 that is not a
global minimum. When the answer θ* is a certified non-strict saddle it used to exclude that one point
(‖θ − θ*‖² > 0) and ask again — which never ends on a continuum such as the saddles (a, 0, 0, 0) of the scalar
depth-4 net ½(w₄w₃w₂w₁ − 1)². Here we look for a **coordinate family** through θ*,

    F = {θ : θ_i = θ*_i for i ∈ I}     (the other coordinates a = θ_J free, θ = θ_F(a)),

and certify, exactly and for **every** a ∈ R^J:

1. ∇L(θ_F(a)) ≡ 0, an identity in Q[a] (python-flint);
2. θ_F(a) is not a local minimum, and not a local maximum: an :class:`Argument` for each.

A family may also carry **rescaling orbits** (:mod:`verify.exact.smt.orbits`: two-layer units with σ(z) = a·z^k,
(w_i, u_i) ↦ (c·w_i, u_i/c^k)); their coordinates are then fixed in F, and the family is ∪_c g_c F — the points of
the curve {w_1 = 0, u·w_0³ = 1} of a cubic unit, say — every one of the class of a point of F by the symmetry.

**The lemma behind an argument** (the one :mod:`verify.exact.descent` applies at a point, here uniformly in a).
For a polynomial curve θ(a, t) = θ_F(a) + Σ_k t^k μ(a) ∘ c_k (c_k rational vectors; μ_i(a) = 1, λ(a) = 1 +
Σ_{j∈J} a_j² or a free coordinate a_j, per coordinate i — λ makes some moves dominate wherever a is large, a_j
turns a sign-changing even coefficient a_j·q into a_j²·q), write f(a, t) = L(θ(a, t)) − L(θ_F(a)) =
Σ_k f_k(a) t^k. If at a fixed a the lowest non-zero coefficient f_k(a) has k odd or sign(f_k(a)) = s, then for
arbitrarily small t (of a suitable sign) s·(L(θ(a, t)) − L(θ_F(a))) > 0: θ_F(a) is not a local minimum
(s = −1) / maximum (s = +1). An argument states an order K with: every f_j (j < K) is ≡ 0, or j is odd, or
s·f_j ≥ 0 everywhere; and either f_K ≠ 0 everywhere with (K odd or s·f_K > 0) — it holds on all of F — or
f_K = m(a)·q(a) with m a monomial, q ≠ 0 everywhere, (K odd or s·f_K ≥ 0): it holds wherever m(a) ≠ 0, and
F ∩ {a_i = 0} for each variable a_i of m is a smaller coordinate family with its own argument (``sub``; ∇L ≡ 0 is
inherited). Signs are decided by a crude but exact sufficient test: p > 0 everywhere when p has a positive
constant term and every other term has even exponents and a positive coefficient (p ≥ 0 when the constant term
may be 0).

Everything here is search; :mod:`verify.exact.smt.family_check` re-checks a found family from its record alone
with sympy before the route excludes it. Not finding a family does NOT mean θ* is isolated or that the points
near it are local minima: the route then excludes the point alone, as before.

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> prob = DeepLinear(widths=(1, 1, 1, 1, 1), X=((F(1),),), Y=((F(1),),))
>>> fam = find_family(prob, [F(1), F(0), F(0), F(0)])
>>> fam.to_json(prob.param_names())["family"]
{'fixed': {'W2_0_0': '0', 'W3_0_0': '0', 'W4_0_0': '0'}, 'free': ['W1_0_0'], 'orbits': []}
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from fractions import Fraction

import flint

from verify.exact.loss import fq, loss_in_ring, to_fraction
from verify.exact.smt.orbits import rescaling_orbits
from verify.problems.numbers import fraction_str

MAX_SCALED_SUPPORT = 6
"""Curves with at most this many moving coordinates get every subset of them scaled by λ; larger ones only
singletons and the whole support (2^6 − 1 = 63 candidates at most per curve). Each moving coordinate is also
tried scaled by each free coordinate, one at a time."""

LAMBDA = "lambda"
"""A ``scale`` entry: the coordinate's moves are multiplied by λ = 1 + Σ a_j² (an int j: by a_j; None: by 1)."""

MAX_NODES = 24
"""At most this many arguments (families and sub-families) in one search: the search is bounded, not complete."""

DESCENT, ASCENT = -1, +1


@dataclass
class Argument:
    """Not a local minimum (``sign`` = −1) or maximum (+1) at every point of the family ``fixed``/``free``.

    ``curve`` = [c_1, c_2, …] and ``scale`` (μ_i per coordinate: None, :data:`LAMBDA` or a free coordinate's
    index) give θ(a, t) (module docstring); ``order`` is K;
    ``split`` lists the coordinates of the monomial m (empty: the argument holds on the whole family) and
    ``sub[i]`` the argument on F ∩ {θ_i = 0}.
    """

    sign: int
    fixed: dict
    free: list
    curve: list
    scale: list
    order: int
    split: list = field(default_factory=list)
    sub: dict = field(default_factory=dict)

    def to_json(self, names: list[str], nodes: list) -> int:
        """Append this node and then its sub-nodes (pre-order) to ``nodes``; return its index. A flat list keeps
        the record shallow (the certificate reader limits JSON nesting); ``sub`` maps a name to a later index."""
        k = len(nodes)
        out = {"fixed": {names[i]: fraction_str(v) for i, v in sorted(self.fixed.items())},
               "free": [names[i] for i in self.free],
               "curve": [[fraction_str(x) for x in c] for c in self.curve],
               "scaled_by_lambda": [names[i] for i, e in enumerate(self.scale) if e == LAMBDA],
               "scaled_by_coordinate": {names[i]: names[e] for i, e in enumerate(self.scale)
                                        if isinstance(e, int) and not isinstance(e, bool)},
               "order": self.order, "split": [names[i] for i in self.split],
               "holds": "everywhere" if not self.split else f"where {' · '.join(names[i] for i in self.split)} ≠ 0"}
        nodes.append(out)
        if self.sub:
            out["sub"] = {names[i]: a.to_json(names, nodes) for i, a in self.sub.items()}
        return k


@dataclass
class Family:
    """A certified family: ∇L ≡ 0 on F = {θ_i = fixed[i]} and neither a local minimum nor maximum anywhere on it;
    with ``orbits`` (:mod:`verify.exact.smt.orbits`, their coordinates all in ``fixed``) the family is the union
    of the images g_c F, each point of the class of a point of F. The equations the query excludes are derived
    from this record by :func:`verify.exact.smt.family_check.recheck_family`, not here."""

    fixed: dict
    free: list
    descent: Argument
    ascent: Argument
    orbits: list = field(default_factory=list)

    def free_names(self, names: list[str]) -> list[str]:
        return [names[i] for i in self.free]

    def to_json(self, names: list[str]) -> dict:
        nodes: list = []
        down, up = self.descent.to_json(names, nodes), self.ascent.to_json(names, nodes)
        return {"family": {"fixed": {names[i]: fraction_str(v) for i, v in sorted(self.fixed.items())},
                           "free": self.free_names(names), "orbits": [o.to_json(names) for o in self.orbits]},
                "points": "saddles: critical points that are neither local minima nor local maxima",
                "argument": {"gradient": "∇L(θ) ≡ 0 identically in the free coordinates",
                             "not_a_local_min": down, "not_a_local_max": up, "nodes": nodes,
                             "lambda": "1 + Σ free²  (the node's free coordinates)",
                             "curve_form": "θ(t) = θ + Σ_k t^k curve[k-1], coordinate i times lambda if "
                                           "scaled_by_lambda lists it, times a_j if scaled_by_coordinate maps it to j"}}


class _Search:
    """One bounded search: the problem's gradient, cached, and the node count / deadline."""

    def __init__(self, problem, deadline: float):
        self.problem, self.deadline, self.nodes = problem, deadline, 0
        self.n = problem.n_params
        self._grad = None
        self._curves: dict = {}

    def gradient(self):
        if self._grad is None:
            ctx = flint.fmpq_mpoly_ctx.get(self.problem.param_names())
            L = loss_in_ring(self.problem, list(ctx.gens()))
            self._grad = [L.derivative(i) for i in range(self.n)]
        return self._grad

    def curves_at(self, point) -> list:
        key = tuple(point)
        if key not in self._curves:
            self._curves[key] = _curves_at(self.problem, point)
        return self._curves[key]

    def out_of_time(self) -> bool:
        return time.perf_counter() > self.deadline or self.nodes >= MAX_NODES


def _ring(search: _Search, fixed: dict, free: list):
    """The context (a_free…, t) and θ_F(a) in it."""
    names = [f"a{i}" for i in free] + ["t"]
    ctx = flint.fmpq_mpoly_ctx.get(names)
    gens = ctx.gens()
    pos = {i: k for k, i in enumerate(free)}
    base = [gens[pos[i]] if i in pos else ctx.from_dict({(0,) * len(names): fq(fixed[i])} if fixed[i] else {})
            for i in range(search.n)]
    return ctx, base


def gradient_vanishes(search: _Search, fixed: dict, free: list) -> bool:
    """∇L(θ_F(a)) ≡ 0 in Q[a]."""
    ctx, base = _ring(search, fixed, free)
    return all(g.compose(*base, ctx=ctx).is_zero() for g in search.gradient())


def t_coefficients(search: _Search, fixed, free, curve, scale) -> dict:
    """{k: {exponents of a: coefficient}} for f(a, t) = L(θ(a, t)) − L(θ_F(a)) (module docstring)."""
    ctx, base = _ring(search, fixed, free)
    gens = ctx.gens()
    t = gens[-1]
    lam = sum((g * g for g in gens[:-1]), ctx.from_dict({(0,) * len(gens): 1}))
    moved = []
    for i, b in enumerate(base):
        step = sum((fq(c[i]) * t ** (k + 1) for k, c in enumerate(curve) if c[i] != 0), ctx.from_dict({}))
        factor = lam if scale[i] == LAMBDA else None if scale[i] is None else gens[free.index(scale[i])]
        moved.append(b + (step if factor is None else step * factor))
    f = loss_in_ring(search.problem, moved) - loss_in_ring(search.problem, base)
    out: dict = {}
    for exps, c in f.terms():
        out.setdefault(int(exps[-1]), {})[tuple(int(e) for e in exps[:-1])] = to_fraction(c)
    return out


def _even_positive(p: dict, strict: bool) -> bool:
    """p ≥ 0 everywhere (> 0 with ``strict``) by the term test of the module docstring."""
    const = p.get(tuple(0 for _ in next(iter(p))), 0) if p else 0
    rest = all(c > 0 and all(e % 2 == 0 for e in exps) for exps, c in p.items() if any(exps))
    return rest and (const > 0 if strict else const >= 0)


def _definite(p: dict) -> int:
    """+1 if p > 0 everywhere, −1 if p < 0 everywhere, 0 when the term test cannot tell."""
    if p and _even_positive(p, strict=True):
        return 1
    if p and _even_positive({e: -c for e, c in p.items()}, strict=True):
        return -1
    return 0


def monomial_split(p: dict) -> list | None:
    """The variables (positions in a) of m when p = m·q with m a non-constant monomial and q definite, else None."""
    m = [min(e[j] for e in p) for j in range(len(next(iter(p))))]
    if not any(m):
        return None
    q = {tuple(x - y for x, y in zip(e, m)): c for e, c in p.items()}
    return [j for j, x in enumerate(m) if x] if _definite(q) else None


def walk(coefficients: dict, sign: int):
    """("holds", K, []) / ("split", K, positions) / ("fails", None, []) for f's coefficients (module docstring)."""
    split = None
    for k in sorted(coefficients):
        c = {e: x for e, x in coefficients[k].items() if x != 0}
        if not c or k == 0:
            if c:   # f(a, 0) ≠ 0 cannot happen for f(a, t) = L(θ(a, t)) − L(θ(a, 0))
                return "fails", None, []
            continue
        signed = {e: sign * x for e, x in c.items()}
        if (k % 2 == 1 and _definite(c)) or _definite(signed) == 1:
            return "holds", k, []
        if k % 2 == 0 and not _even_positive(signed, strict=False):
            break
        if split is None:
            where = monomial_split(c)
            split = (k, where) if where else None
    return ("split", split[0], split[1]) if split else ("fails", None, [])


def _scalings(curve, free: list, n: int):
    """Scale lists to try: none; each moving coordinate times each free coordinate; subsets of the moving
    coordinates times λ (only when a is not empty)."""
    yield [None] * n
    if not free:
        return
    support = [i for i in range(n) if any(c[i] != 0 for c in curve)]
    for i in support:
        for j in free:
            yield [j if k == i else None for k in range(n)]
    subsets = (itertools.chain.from_iterable(itertools.combinations(support, r) for r in range(1, len(support) + 1))
               if len(support) <= MAX_SCALED_SUPPORT else [(i,) for i in support] + [tuple(support)])
    for S in subsets:
        yield [LAMBDA if i in S else None for i in range(n)]


def _curves_at(problem, point) -> list:
    """Candidate curves from the exact classification of one point: its descent curve (and a bent one as the line
    θ + t(c_1 + c_2)), its ascent line, its negative Hessian direction."""
    from verify.exact.classify import classify

    c = classify(problem, point)
    out = []
    if c.curve is not None:
        out.append(list(c.curve.coefficients))
        if len(c.curve.coefficients) > 1:   # the bend as a line: its lowest term may be odd (split) off a point
            out.append([[sum(xs, flint.fmpq(0)) for xs in zip(*c.curve.coefficients)]])
    if c.ascent is not None:
        out.append([list(c.ascent)])
    if c.direction is not None:
        out.append([list(c.direction)])
    return [[[to_fraction(x) for x in v] for v in cv] for cv in out]


def _argument(search: _Search, fixed, free, point, sign, inherited) -> Argument | None:
    search.nodes += 1
    if search.out_of_time():
        return None
    candidates = search.curves_at(point) + inherited
    first_split = None
    for curve in candidates:
        for scale in _scalings(curve, free, search.n):
            if search.out_of_time():
                return None
            how, k, where = walk(t_coefficients(search, fixed, free, curve, scale), sign)
            if how == "holds":
                return Argument(sign, dict(fixed), list(free), curve, scale, k)
            if how == "split" and first_split is None:
                first_split = (curve, scale, k, [free[j] for j in where])
    if first_split is None:
        return None
    curve, scale, k, split = first_split
    subs = {}
    for i in split:
        sub_point = [Fraction(0) if j == i else x for j, x in enumerate(point)]
        sub = _argument(search, {**fixed, i: Fraction(0)}, [j for j in free if j != i], sub_point, sign,
                        candidates)
        if sub is None:
            return None
        subs[i] = sub
    return Argument(sign, dict(fixed), list(free), curve, scale, k, split, subs)


def candidate_families(problem, point, pinned=()) -> list[tuple[dict, list, list]]:
    """(fixed, free, orbits) to try through θ*, in order: the zero coordinates fixed; also the ``pinned`` ones
    (coordinates a symmetry slice fixes) at their values; then, when some unit's rescaling orbit applies, its
    coordinates fixed too and the orbit added, with the other non-zero coordinates free, then with none free.
    Coordinate families with no free coordinate are left out (the route excludes such a point alone)."""
    n = len(point)
    zeros = {i: Fraction(0) for i in range(n) if point[i] == 0}
    out = []
    for fixed in (zeros, {**zeros, **{i: Fraction(point[i]) for i in pinned}}):
        free = [i for i in range(n) if i not in fixed]
        if free and (fixed, free, []) not in out:
            out.append((fixed, free, []))
    orbits = rescaling_orbits(problem, point)
    if orbits:
        moved = {i: Fraction(point[i]) for o in orbits for i in o.coordinates()}
        fixed = {**zeros, **moved}
        free = [i for i in range(n) if i not in fixed]
        out += [(fixed, free, orbits)] + ([(dict(enumerate(point)), [], orbits)] if free else [])
    return out


def find_family(problem, point, pinned=(), seconds: float = 10.0) -> Family | None:
    """A :class:`Family` through the critical point ``point`` (rationals) whose arguments were found, or None
    within ``seconds``. Callers re-check it (:mod:`verify.exact.smt.family_check`) before excluding it.

    None does not mean there is no family: only that none of :func:`candidate_families` was certified here.
    """
    point = [Fraction(x) for x in point]
    search = _Search(problem, time.perf_counter() + seconds)
    for fixed, free, orbits in candidate_families(problem, point, pinned):
        search.nodes = 0
        if search.out_of_time() or not gradient_vanishes(search, fixed, free):
            continue
        down = _argument(search, fixed, free, point, DESCENT, [])
        up = _argument(search, fixed, free, point, ASCENT, []) if down is not None else None
        if down is not None and up is not None:
            return Family(dict(fixed), list(free), down, up, list(orbits))
    return None


__all__ = ["ASCENT", "DESCENT", "LAMBDA", "Argument", "Family", "candidate_families", "find_family",
           "gradient_vanishes", "monomial_split", "t_coefficients", "walk"]
