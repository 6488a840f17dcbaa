"""Certified sublevel paths (certificate kind ``sublevel-path``; proofs/FORMAT.md): a polygonal path from a to b on
which L < λ everywhere, so a and b lie in one path-component of {L < λ}, hence in one connected component of the
sublevel set {L ≤ λ} (Freeman & Bruna 2017's question, answered exactly for one pair and one level).

Each segment θ(t) = θ_i + t(θ_{i+1} − θ_i), t ∈ [0, 1], is cut at the exact breakpoints where a first-layer
pre-activation (W(t) X)_jk of a two-layer relu net changes sign (it is affine in t: one rational root); on each piece
the relu pattern is that of its midpoint and L(θ(t)) is a polynomial in t. Written around the midpoint,
f(s) = L(θ(m + s)) − λ on [−h, h]: the kernel computes f exactly (flint fmpq_poly) and proves f < 0 there by
f(−h) < 0, f(h) < 0 and no root in (−h, h) (Sturm's theorem: V(−h) − V(h) = 0 for the Sturm chain of f, which
counts the distinct real roots in (−h, h] when f(±h) ≠ 0). A rejection does NOT mean a and b are disconnected.
"""

from fractions import Fraction

from flint import fmpq_poly

from . import kernel as K
from .loss import UPoly, forward, fq, frac, loss, split
from .reader import MAX_PARAMS, field, listed, need, only, rat, vec

STEP = "sublevel-path"
MAX_BEADS = 4096


def parse_sublevel_path(P, claim, body):
    n = P.nparams
    only(claim, ("kind", "a", "b", "level"), "claim")
    only(body, ("kind", "beads"), "body")
    beads = listed(body, "beads", "body", 0, min(MAX_BEADS, 40 * MAX_PARAMS * MAX_PARAMS // max(n, 1)),
                   f"expected a list of at most {MAX_BEADS} points")
    a, b = vec(field(claim, "a", "claim"), n, "claim.a"), vec(field(claim, "b", "claim"), n, "claim.b")
    return {"path": [a] + [vec(x, n, f"body.beads[{i}]") for i, x in enumerate(beads)] + [b],
            "level": rat(field(claim, "level", "claim"), "claim.level")}


def _breakpoints(P, p, q):
    """Sorted t ∈ (0, 1) where a first-layer pre-activation of a relu net changes sign along p → q: (W_1 X + b_1)_ik is
    z0 at p and z1 at q, affine in t, so it vanishes at t = z0 / (z0 − z1) when z0 and z1 have opposite signs. A relu
    in a later layer is refused: its pre-activations are polynomials in t whose roots need not be rational."""
    if not P.piecewise:
        return []
    need(P.layers[0][2][0] == "leaky_relu" and not any(a and a[0] == "leaky_relu" for _, _, a in P.layers[1:]), STEP,
         "a relu after a later layer than the first: its breakpoints along a segment are not computed")
    first = P._replace(layers=[P.layers[0][:2] + (None,)])   # W_1 X + b_1, no σ
    z0, z1 = ([z for row in forward(first, split(r, P.shapes), Fraction) for z in row] for r in (p, q))
    return sorted({a / (a - b) for a, b in zip(z0, z1) if a < 0 < b or b < 0 < a})


def _sturm_roots(f, lo, hi):
    """Distinct real roots of f in (lo, hi], f(lo), f(hi) ≠ 0 (Sturm's theorem). The chain is f, f′ and the
    negated remainders -rem(f_{i-1}, f_i), stopped before the first zero remainder."""
    chain = [f, f.derivative()]
    while chain[-1] != 0 and (r := -(chain[-2] % chain[-1])) != 0:
        chain.append(r)

    def variations(x):
        signs = [v > 0 for v in (g(x) for g in chain) if v != 0]
        return sum(u != w for u, w in zip(signs, signs[1:]))
    return variations(lo) - variations(hi)


def rule_below(P, p, q, lam, i):
    """L < λ on the segment p → q, piece by piece (module docstring)."""
    d = [Fraction(y) - Fraction(x) for x, y in zip(p, q)]
    cuts = [Fraction(0)] + _breakpoints(P, p, q) + [Fraction(1)]
    for t0, t1 in zip(cuts, cuts[1:]):
        m, h = (t0 + t1) / 2, (t1 - t0) / 2
        L = loss(P, [UPoly(fmpq_poly([fq(Fraction(x) + m * dx), fq(dx)]), None) for x, dx in zip(p, d)], fq)
        f = (L.p if isinstance(L, UPoly) else fmpq_poly([fq(L)])) - fq(lam)
        for s in (-h, h):
            need(f(fq(s)) < 0, f"{STEP}: segment {i}", "L = {} is not < λ = {} at t = {}", frac(f(fq(s))) + lam, lam,
                 m + s)
        need(f.degree() < 1 or _sturm_roots(f, fq(-h), fq(h)) == 0, f"{STEP}: segment {i}",
             "L reaches λ = {} inside t ∈ ({}, {}) (Sturm: a root of L − λ)", lam, t0, t1)
    return len(cuts) - 1


@K.lemma("below")
def rule_path_below(P, h):
    need(P.teacher is None, STEP, "the relu-teacher loss is not piecewise polynomial (arccos)")
    path, lam = h["path"], h["level"]
    pieces = sum(rule_below(P, p, q, lam, i) for i, (p, q) in enumerate(zip(path, path[1:])))
    return (P.sha, tuple(path[0]), tuple(path[-1]), lam), None, f"L < {lam} on all {len(path) - 1} segments " \
        f"({pieces} polynomial pieces, exact: endpoint values and Sturm sequences): a and b are connected in the " \
        "sublevel set"


def prove_sublevel_path(P, h):
    return K.rule_claim(STEP, (f := rule_path_below(P, h)).about, [f])


K.register(STEP, parse_sublevel_path, prove_sublevel_path, lambda c, n: (
    tuple(vec(c["a"], n, "claim.a")), tuple(vec(c["b"], n, "claim.b")), rat(c["level"], "claim.level")),
    lambda c: f": {K.short(c['a'])} and {K.short(c['b'])} connected below L = {c['level']}")


__all__ = ["parse_sublevel_path", "prove_sublevel_path"]
