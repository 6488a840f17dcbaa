"""Re-check a family of critical points from its record alone, with sympy, and derive the equations to exclude.

:mod:`verify.exact.smt.families` finds a family with python-flint. This module reads only the JSON record
(``Family.to_json``: the fixed values, the free names, the rescaling orbits, each argument's curve, scalings,
order and split) and the problem, and recomputes everything with sympy — no search, no flint arithmetic:

1. ∂L/∂θ_j (θ_F(a)) expands to 0 for every j (∇L ≡ 0 on F = {θ_i = v_i, i fixed});
2. for each argument node, with μ_i ∈ {1, λ = 1 + Σ a_j², a free a_j} and f(a, t) = L(θ_F(a) + Σ_k t^k μ∘c_k) −
   L(θ_F(a)) = Σ_k f_k(a) t^k: every f_j (j < K) is 0, or j is odd, or s·f_j has only even-exponent terms with
   positive coefficients; f_K is either definite (K odd) / s·f_K definite (K even) — "holds everywhere" — or a
   monomial in exactly the ``split`` variables times a definite polynomial, with s·f_K ≥ 0 by the same test when
   K is even; and each split variable has a later node on F ∩ {θ_i = 0}, re-checked the same way;
3. each rescaling orbit (:mod:`verify.exact.smt.orbits`): its coordinates fixed in F and disjoint from the other
   orbits', the pivot's value ≠ 0, some inverse-scaled value ≠ 0, and L(c·w, d·u) with deg_c = degree·deg_d in
   every term (so L ∘ g_c = L).

Only then are the family's equations derived (:class:`Recheck`): θ_i − v_i for fixed coordinates outside the
orbits, and each orbit's equations (orbits.py); their common zero set is ∪_c g_c F, the set argued about. The
route asserts Σ (equation)² > 0 — what this module derived, not what the search wrote.

"Definite" is the term test: a positive constant term and every other term of even exponents and positive
coefficient (or the negation of such a polynomial). A rejection names the node and the step that failed; it
means the record does not prove what it says, not that the family has a local minimum.

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> from verify.exact.smt.families import find_family
>>> prob = DeepLinear(widths=(1, 1, 1, 1, 1), X=((F(1),),), Y=((F(1),),))
>>> record = find_family(prob, [F(1), F(0), F(0), F(0)]).to_json(prob.param_names())
>>> r = recheck_family(prob, record)
>>> r.ok, r.text
(True, ['W2_0_0 = 0', 'W3_0_0 = 0', 'W4_0_0 = 0'])
>>> nodes = record["argument"]["nodes"]
>>> nodes[nodes[0]["sub"]["W1_0_0"]]["order"] = 2      # the origin's descent, now claimed at order 2
>>> recheck_family(prob, record).note
'not a local min, node {W1_0_0 = 0, W2_0_0 = 0, W3_0_0 = 0, W4_0_0 = 0}: f_2 = 0 is not definite'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import sympy

from verify.exact.loss import loss_in_ring, to_fraction


class _Rejected(Exception):
    pass


@dataclass
class Recheck:
    """``ok`` with the derived ``equations`` (sympy polynomials in the parameter symbols, canonical order) and
    their ``text``; or not ``ok`` with ``note`` saying where and why."""

    ok: bool
    note: str
    equations: list = field(default_factory=list)
    text: list = field(default_factory=list)
    symbols: list = field(default_factory=list)

    def exponent_dicts(self) -> list[dict]:
        """Each equation as {exponent tuple over the parameters: Fraction} (for a flint context)."""
        return [{tuple(int(e) for e in m): to_fraction(c)
                 for m, c in sympy.Poly(eq, *self.symbols).terms()} for eq in self.equations]


def _rational(text: str) -> sympy.Rational:
    value = Fraction(text)   # "p" or "p/q": Fraction's own parser, nothing evaluated
    return sympy.Rational(value.numerator, value.denominator)


def _terms(expr, symbols) -> list:
    """[(exponents, coefficient)] of an expanded polynomial in ``symbols`` ([] for 0)."""
    expr = sympy.expand(expr)
    if expr == 0:
        return []
    if not symbols:
        return [((), expr)]
    return sympy.Poly(expr, *symbols).terms()


def _nonnegative(terms) -> bool:
    return all(c > 0 and all(e % 2 == 0 for e in m) for m, c in terms if any(m)) and \
        all(c >= 0 for m, c in terms if not any(m))


def _positive(terms) -> bool:
    return _nonnegative(terms) and any(not any(m) and c > 0 for m, c in terms)


def _definite(terms) -> bool:
    return _positive(terms) or _positive([(m, -c) for m, c in terms])


class _Checker:
    def __init__(self, problem, record: dict):
        self.problem = problem
        self.names = problem.param_names()
        self.symbols = sympy.symbols(self.names, real=True) if self.names else []
        self.symbols = list(self.symbols) if isinstance(self.symbols, (list, tuple)) else [self.symbols]
        self.sym = dict(zip(self.names, self.symbols))
        self.t = sympy.Symbol("t", real=True)
        self.nodes = list(record["argument"]["nodes"])
        self.here = -1

    def loss(self, params):
        return loss_in_ring(self.problem, params, conv=lambda x: sympy.Rational(x.numerator, x.denominator),
                            zero=sympy.Integer(0))

    def point(self, fixed: dict):
        return [fixed[name] if name in fixed else sym for name, sym in zip(self.names, self.symbols)]

    def family(self, record: dict) -> dict:
        fixed = {}
        for name, value in record["fixed"].items():
            if name not in self.names:
                raise _Rejected(f"fixed {name!r} is not a parameter")
            fixed[name] = _rational(value)
        if sorted(record["free"]) != sorted(n for n in self.names if n not in fixed):
            raise _Rejected("the free coordinates are not exactly the parameters the family leaves free")
        return fixed

    def gradient(self, fixed: dict) -> None:
        subs = dict(zip(self.symbols, self.point(fixed)))
        full = self.loss(list(self.symbols))   # unexpanded: differentiated, restricted, then expanded
        for name, sym in zip(self.names, self.symbols):
            if sympy.expand(sympy.diff(full, sym).subs(subs, simultaneous=True)) != 0:
                raise _Rejected(f"∂L/∂{name} does not vanish identically on the family")

    def orbit_equations(self, orbit: dict, fixed: dict, used: set) -> list:
        scaled, inverse, k, pivot = list(orbit["scaled"]), list(orbit["inverse_scaled"]), orbit["degree"], \
            orbit["pivot"]
        coords = scaled + inverse
        if not isinstance(k, int) or isinstance(k, bool) or k < 1 or pivot not in scaled or \
                len(set(coords)) != len(coords) or not set(coords) <= set(fixed) or set(coords) & used:
            raise _Rejected(f"orbit {orbit}: bad degree or pivot, or coordinates not fixed, repeated or shared")
        if fixed[pivot] == 0 or all(fixed[b] == 0 for b in inverse):
            raise _Rejected(f"orbit {orbit}: the pivot or every inverse-scaled value is 0 (the zero set is not the "
                            "orbit)")
        c, d = sympy.symbols("c d", real=True)
        params = [s * c if n in scaled else s * d if n in inverse else s for n, s in zip(self.names, self.symbols)]
        for m, _ in sympy.Poly(sympy.expand(self.loss(params)), c, d).terms():
            if m[0] != k * m[1]:
                raise _Rejected(f"orbit {orbit}: L is not invariant under (c·w, u/c^{k}) (a term c^{m[0]} d^{m[1]})")
        used |= set(coords)
        wp, p = fixed[pivot], self.sym[pivot]
        return [wp * self.sym[a] - fixed[a] * p for a in scaled if a != pivot] + \
            [self.sym[b] * p ** k - fixed[b] * wp ** k for b in inverse]

    def node(self, node: dict, fixed: dict, sign: int, what: str):
        at = f"{what}, node {{{', '.join(f'{n} = {v}' for n, v in sorted(fixed.items()))}}}"
        if {k: _rational(v) for k, v in node["fixed"].items()} != fixed or \
                sorted(node["free"]) != sorted(n for n in self.names if n not in fixed):
            raise _Rejected(f"{at}: its family is not the one its parent names")
        free = [s for n, s in zip(self.names, self.symbols) if n not in fixed]
        free_by_name = {str(s): s for s in free}
        lam = 1 + sum(s ** 2 for s in free)
        by_lambda, by_coordinate = set(node["scaled_by_lambda"]), dict(node.get("scaled_by_coordinate", {}))
        if not by_lambda <= set(self.names) or not set(by_coordinate) <= set(self.names) - by_lambda or \
                not set(by_coordinate.values()) <= set(free_by_name):
            raise _Rejected(f"{at}: a scaled coordinate is not a parameter, or scales by a coordinate that is not free")

        def factor(name):
            return lam if name in by_lambda else free_by_name[by_coordinate[name]] if name in by_coordinate else 1

        theta = self.point(fixed)
        curve = [[_rational(x) for x in c] for c in node["curve"]]
        if not curve or any(len(c) != len(self.names) for c in curve):
            raise _Rejected(f"{at}: a curve vector does not have one entry per parameter")
        moved = [th + sum(c[i] * self.t ** (k + 1) for k, c in enumerate(curve)) * factor(n)
                 for i, (n, th) in enumerate(zip(self.names, theta))]
        f = sympy.Poly(sympy.expand(self.loss(moved) - self.loss(theta)), self.t)
        K = node["order"]
        coeff = {int(m[0]): c for m, c in f.terms()}
        if not isinstance(K, int) or K < 1 or coeff.get(0, 0) != 0:
            raise _Rejected(f"{at}: f(a, 0) ≠ 0 or order {K!r} is not a positive integer")
        for j in range(2, K, 2):
            if not _nonnegative([(m, sign * c) for m, c in _terms(coeff.get(j, 0), free)]):
                raise _Rejected(f"{at}: f_{j} (even, below the order) is not of the argument's sign")
        terms = _terms(coeff.get(K, 0), free)
        signed = [(m, sign * c) for m, c in terms]
        if not node["split"]:
            if not (_definite(terms) if K % 2 else _positive(signed)):
                raise _Rejected(f"{at}: f_{K} = {sympy.sstr(coeff.get(K, 0))[:80]} is not definite")
            return
        if not terms:
            raise _Rejected(f"{at}: f_{K} = 0 cannot split the family")
        low = [min(m[j] for m, _ in terms) for j in range(len(free))]
        q = [(tuple(e - d for e, d in zip(m, low)), c) for m, c in terms]
        if sorted(str(free[j]) for j, d in enumerate(low) if d) != sorted(node["split"]) or not _definite(q) or \
                (K % 2 == 0 and not _nonnegative(signed)):
            raise _Rejected(f"{at}: f_{K} is not a monomial in {node['split']} times a definite polynomial "
                            "of the argument's sign")
        for name in node["split"]:
            k = node.get("sub", {}).get(name)
            if not isinstance(k, int) or not self.here < k < len(self.nodes):
                raise _Rejected(f"{at}: no later node for the sub-argument where {name} = 0")
            self.visit(k, {**fixed, name: sympy.Integer(0)}, sign, what)

    def visit(self, k: int, fixed: dict, sign: int, what: str):
        """Check node ``k`` (sub-nodes only point forward, so the walk ends)."""
        previous, self.here = self.here, k
        self.node(self.nodes[k], fixed, sign, what)
        self.here = previous


def recheck_family(problem, record: dict) -> Recheck:
    """The family's equations when the record proves ∇L ≡ 0 on it and that no point of it is a local minimum or
    maximum (module docstring); otherwise not ``ok``, with "where: why"."""
    try:
        chk = _Checker(problem, record)
        fam = record["family"]
        fixed = chk.family(fam)
        chk.gradient(fixed)
        used: set = set()
        orbit_eqs = [eq for orbit in fam["orbits"] for eq in chk.orbit_equations(orbit, fixed, used)]
        coordinate = [(n, v) for n, v in fixed.items() if n not in used]
        equations = [chk.sym[n] - v for n, v in coordinate] + orbit_eqs
        text = [f"{n} = {v}" for n, v in coordinate] + [f"{sympy.sstr(sympy.expand(eq))} = 0" for eq in orbit_eqs]
        args = record["argument"]
        for key, sign, what in (("not_a_local_min", -1, "not a local min"), ("not_a_local_max", 1, "not a local max")):
            if not isinstance(args[key], int) or not 0 <= args[key] < len(chk.nodes):
                raise _Rejected(f"{what}: no node {args[key]!r}")
            chk.visit(args[key], fixed, sign, what)
    except _Rejected as e:
        return Recheck(False, str(e))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, AttributeError) as e:
        return Recheck(False, f"malformed family record: {type(e).__name__}: {e}")
    if not equations:
        return Recheck(False, "the family has no equation (it would exclude every point)")
    orbit_note = f", and {len(fam['orbits'])} rescaling orbit(s) leave L invariant" if fam["orbits"] else ""
    return Recheck(True, "re-checked with sympy from the record: ∇L ≡ 0 on the family, and at every point of it a "
                   f"curve along which L falls and one along which it rises{orbit_note}", equations, text,
                   chk.symbols)


__all__ = ["Recheck", "recheck_family"]
