"""Complete landscapes (certificate kind ``complete-landscape``; proofs/FORMAT.md): every critical point of a
polynomial problem with a finite critical set, counted over C, each real one classified.

Upper bound (`rule_ideal`, `rule_standard_monomials`): a set G ⊆ ⟨∇L⟩ — by cofactors g_i = Σ_k c_ik ∂L/∂x_k,
or by recomputing the reduced Gröbner basis with FLINT's Buchberger (which then joins the trusted base) — whose
leading monomials leave D standard monomials: V(∇L) ⊆ V(G) and |V(G)| ≤ dim Q[x]/⟨G⟩ ≤ D, because
⟨LT(G)⟩ ⊆ LT(⟨G⟩) (Cox, Little & O'Shea, Ideals, Varieties, and Algorithms, §5.3, Thm 6 and Prop. 4 of §2.4; G need
not be a Gröbner basis for the inequality). Lower bound (`rule_complex_krawczyk`): D pairwise disjoint complex
boxes, each with K(X) ⊂ int X (Krawczyk 1969; Rump, "Verification methods", Acta Numerica 2010, Thm 13.1 over C):
each holds exactly one zero. So the critical points are exactly one per box. A box symmetric under conjugation
holds a real zero (∇L has rational coefficients: the conjugate of its zero is a zero in the same box; it is unique);
a box off the real space holds none. Real boxes are classified on the whole box (arb Hessian).

A rejection does NOT mean the landscape is different -- only that this certificate does not prove it.
"""

import math
from bisect import bisect_right
from fractions import Fraction

from flint import acb, acb_mat, arb, fmpq_mpoly_ctx, fmpz_mpoly_ctx, fmpz_mpoly_vec

from . import kernel as K
from .loss import Jet, fq, loss, precision, to_arb
from .reader import bad, bad_if, checked, field, listed, mat, need, only, posint, rat, vec

STEP = "complete-landscape"
STATEMENTS = ("count", "strict-saddle", "no-spurious-local-min")
MAX_POINTS = 2000          # D
MAX_BASIS = 5000           # polynomials in G
MAX_TERMS = 2_000_000      # terms in G and the cofactors together
MAX_EXPONENT = 255
MAX_LANDSCAPE_PARAMS = 16


# --------------------------------------------------------------------------- parsing
def _terms(x, n, path, budget):
    """A polynomial as {exponents: non-zero rational}; budget[0] counts down the terms left in the certificate."""
    bad_if(not isinstance(x, list), path, "expected a list of [[exponents], rational] terms")
    budget[0] -= len(x)
    bad_if(budget[0] < 0, path, f"more than {MAX_TERMS} polynomial terms in the certificate")
    out = {}
    for t, term in enumerate(x):
        if not isinstance(term, list) or len(term) != 2 or not isinstance(term[0], list) or len(term[0]) != n:
            bad(f"{path}[{t}]", f"expected [[{n} exponents], rational]")
        if any(isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_EXPONENT for v in term[0]):
            bad(f"{path}[{t}][0]", f"exponents must be integers in [0, {MAX_EXPONENT}]")
        e, c = tuple(term[0]), rat(term[1], f"{path}[{t}][1]")
        if c == 0 or e in out:
            bad(f"{path}[{t}]", "zero coefficient or repeated monomial")
        out[e] = c
    bad_if(not out, path, "the zero polynomial")
    return out


def _box(x, n, path):
    only(x, ("re", "im", "radius", "congruence", "direction"), path)
    b = {"re": vec(field(x, "re", path), n, f"{path}.re"), "im": vec(field(x, "im", path), n, f"{path}.im"),
         "r": rat(field(x, "radius", path), f"{path}.radius")}
    bad_if(b["r"] <= 0, f"{path}.radius", "must be > 0")
    labels = [k for k in ("congruence", "direction") if k in x]
    bad_if(len(labels) > 1, path, "a box is a minimum (congruence) or a saddle (direction), not both")
    bad_if(labels and any(b["im"]), path, "only real boxes (every im = 0) carry a classification")
    return b | {"M": mat(x["congruence"], n, n, f"{path}.congruence") if "congruence" in x else None,
                "v": vec(x["direction"], n, f"{path}.direction") if "direction" in x else None}


def _symmetry(x, n, path):
    bad_if(not isinstance(x, list) or len(x) != n, path, f"expected {n} [index, ±1] pairs")
    for i, pair in enumerate(x):   # [int, int] types: a pair of integers (no bool)
        bad_if(not (isinstance(pair, list) and [type(v) for v in pair] == [int, int] and 0 <= pair[0] < n
                    and pair[1] in (1, -1)), f"{path}[{i}]", f"expected [j, ±1] with 0 <= j < {n}")
    bad_if(len({j for j, _ in x}) != n, path, "not a permutation")
    return [tuple(pair) for pair in x]


def _cofactors(body, n, G, budget):
    """C: one row per basis polynomial g_i, the cofactors c_ik of ∂L/∂x_k ([] for 0)."""
    rows = listed(body, "cofactors", "body", len(G), len(G), f"expected {len(G)} rows (one per basis polynomial)")
    for i, r in enumerate(rows):
        bad_if(not isinstance(r, list) or len(r) != n, f"body.cofactors[{i}]",
               f"expected {n} polynomials (one per ∂L/∂x_k)")
        yield [{} if c == [] else _terms(c, n, f"body.cofactors[{i}][{k}]", budget) for k, c in enumerate(r)]


def parse_complete_landscape(P, claim, body):
    only(claim, ("kind", "statement", "critical_points", "real", "minima", "saddles"), "claim")
    only(body, ("kind", "variables", "ideal", "basis", "cofactors", "precision", "boxes", "symmetries"), "body")
    st = checked(claim, "statement", "claim", STATEMENTS, f"expected one of {', '.join(STATEMENTS)}")
    counts = {k: checked(claim, k, "claim", lambda v: type(v) is int and 0 <= v <= MAX_POINTS, "expected an "
                         f"integer in [0, {MAX_POINTS}]") for k in ("critical_points", "real", "minima", "saddles")}
    n = P.nparams
    bad_if(n > MAX_LANDSCAPE_PARAMS, "problem", f"{n} parameters exceed the {STEP} limit of {MAX_LANDSCAPE_PARAMS}")
    order = checked(body, "variables", "body", lambda v: isinstance(v, list) and all(type(x) is int for x in v)
                    and sorted(v) == list(range(n)), f"expected a permutation of 0..{n - 1}")
    ideal = checked(body, "ideal", "body", ("cofactors", "recompute"), "expected 'cofactors' or 'recompute'")
    bad_if((ideal == "cofactors") != ("cofactors" in body), "body.cofactors",
           "required with ideal 'cofactors' and only then")
    basis = listed(body, "basis", "body", 1, MAX_BASIS, f"expected a list of 1..{MAX_BASIS} polynomials")
    budget = [MAX_TERMS]
    G = [_terms(g, n, f"body.basis[{i}]", budget) for i, g in enumerate(basis)]
    C = list(_cofactors(body, n, G, budget)) if ideal == "cofactors" else None
    prec = posint(body.get("precision", 256), "body.precision", 4096)
    bad_if(prec < 64, "body.precision", "expected at least 64 bits")
    boxes = listed(body, "boxes", "body", 0, MAX_POINTS, f"expected a list of at most {MAX_POINTS} boxes")
    syms = listed(body, "symmetries", "body", 0, 64, "expected a list of at most 64 signed permutations", [])
    return {"statement": st, **counts, "order": list(order), "ideal": ideal, "G": G, "C": C, "prec": prec,
            "boxes": [_box(b, n, f"body.boxes[{i}]") for i, b in enumerate(boxes)],
            "syms": [_symmetry(s, n, f"body.symmetries[{i}]") for i, s in enumerate(syms)]}


# --------------------------------------------------------------------------- the ideal and its monomials
def _ring(P, order):
    """(ctx, θ, L, [∂L/∂x_k]) over Q[x_0..x_{n-1}] with θ_{order[k]} = x_k, degrevlex."""
    ctx = fmpq_mpoly_ctx.get([f"x{k}" for k in range(len(order))], "degrevlex")
    theta = [ctx.gens()[order.index(v)] for v in range(len(order))]
    L = loss(P, theta, fq)
    return ctx, theta, L, [L.derivative(k) for k in range(len(order))]


def _mpoly(ctx, terms):
    return ctx.from_dict({e: fq(c) for e, c in terms.items()})


def _lead(terms):
    """The leading exponent in degrevlex, x_0 > … > x_{n-1}: highest degree, then the smallest last exponent."""
    return max(terms, key=lambda e: (sum(e), tuple(-v for v in reversed(e))))


def _normal(terms):
    """A polynomial up to a non-zero rational factor: divided by its leading coefficient."""
    c = terms[_lead(terms)]
    return frozenset((e, Fraction(v) / c) for e, v in terms.items())


def rule_ideal(P, h):
    """G ⊆ ⟨∇L⟩: each g_i = Σ_k c_ik ∂L/∂x_k checked by multiplication, or G equal (up to factors) to the reduced
    Gröbner basis FLINT's Buchberger computes from ∇L with its denominators cleared (Z[x], same ideal over Q). The
    check's child process bounds Buchberger's time."""
    ctx, _, _, grads = _ring(P, h["order"])
    if h["ideal"] == "cofactors":
        for i, (g, row) in enumerate(zip(h["G"], h["C"])):
            s = sum((_mpoly(ctx, c) * d for c, d in zip(row, grads) if c), ctx.from_dict({}))
            need(s == _mpoly(ctx, g), f"{STEP}: ideal", "basis polynomial {} is not Σ_k c_{}k ∂L/∂x_k", i, i)
        return "G ⊆ ⟨∇L⟩ by cofactors (checked by polynomial multiplication)"
    zctx = fmpz_mpoly_ctx.get([f"x{k}" for k in range(len(grads))], "degrevlex")
    dens = [math.lcm(*(int(c.q) for c in d.coeffs())) for d in grads]
    zs = [zctx.from_dict({e: int(c * m) for e, c in d.to_dict().items()}) for d, m in zip(grads, dens) if d]
    red = fmpz_mpoly_vec(zs, zctx).buchberger_naive().autoreduction()
    mine = {_normal({tuple(int(v) for v in e): int(c) for e, c in zip(p.monoms(), p.coeffs())}) for p in red}
    theirs = {_normal(g) for g in h["G"]}
    need(len(theirs) == len(h["G"]), f"{STEP}: ideal", "the basis repeats a polynomial (up to a factor)")
    need(mine == theirs, f"{STEP}: ideal", "the basis is not the reduced Gröbner basis of ⟨∇L⟩ in this variable "
         "order (FLINT's Buchberger gives {} polynomials, the certificate {})", len(mine), len(theirs))
    return "G = the reduced Gröbner basis of ⟨∇L⟩, recomputed (FLINT Buchberger, trusted)"


def standard_monomials(leads, n, limit):
    """The number of monomials divisible by no leading monomial (depth-first over the order ideal: a monomial
    is visited only if its predecessor is standard; its children raise the exponent of x_j for j >= k, the last
    variable raised, so each monomial is generated once). None if some x_k has no pure power (infinite)."""
    if any(not any(e[k] > 0 and sum(e) == e[k] for e in leads) for k in range(n)):
        return None
    count, stack = 0, [(0, (0,) * n)]
    while stack and count <= limit:
        k, m = stack.pop()
        if not any(all(a >= b for a, b in zip(m, e)) for e in leads):
            count += 1
            stack.extend((j, m[:j] + (m[j] + 1,) + m[j + 1:]) for j in range(k, n))
    return count


def rule_standard_monomials(h, n):
    D = standard_monomials([_lead(g) for g in h["G"]], n, MAX_POINTS)
    need(D is not None, f"{STEP}: standard monomials", "some variable has no pure power among the leading "
         "monomials: infinitely many standard monomials (not a finite critical set, or G too small)")
    need(D == h["critical_points"], f"{STEP}: standard monomials", "the leading monomials of G leave {} standard "
         "monomials, the claim says {} critical points", D, h["critical_points"])
    return D


# --------------------------------------------------------------------------- boxes
def _apart(p, q):
    return any(x + p["r"] < y - q["r"] or y + q["r"] < x - p["r"] for k in ("re", "im") for x, y in zip(p[k], q[k]))


def rule_disjoint(boxes):
    """No two boxes meet: a sweep over the boxes sorted by the lower end of their first real coordinate; box i is
    compared with the later ones whose lower end is at most its upper end."""
    order = sorted((b["re"][0] - b["r"], i) for i, b in enumerate(boxes))   # (lower end, index)
    for a, (_, i) in enumerate(order):
        for _, j in order[a + 1:bisect_right(order, boxes[i]["re"][0] + boxes[i]["r"], key=lambda t: t[0])]:
            need(_apart(boxes[i], boxes[j]), f"{STEP}: boxes", "boxes {} and {} overlap", i, j)


def to_acb(q):
    return acb(to_arb(q))


def rule_complex_krawczyk(P, b, i):
    """K = x̃ − Y∇L(x̃) + (I − Y J(X))(X − x̃) ⊂ int X in acb balls: exactly one zero of ∇L in the box X."""
    n, r = len(b["re"]), to_arb(b["r"])
    mid, d = [acb(to_arb(x), to_arb(y)) for x, y in zip(b["re"], b["im"])], acb(arb(0, 1), arb(0, 1)) * r
    g0 = loss(P, [Jet(c, {k: 1}, None) for k, c in enumerate(mid)], to_acb)
    g = acb_mat([[g0.l.get(k, 0) if isinstance(g0, Jet) else 0] for k in range(n)])
    J = acb_mat(K.hessian_of(loss(P, [Jet(c + d, {k: 1}, {}) for k, c in enumerate(mid)], to_acb), n))
    try:
        Y = acb_mat([[J[a, c].mid() for c in range(n)] for a in range(n)]).inv().mid()
    except (ZeroDivisionError, ValueError):
        need(False, f"{STEP}: box {i}", "the Jacobian at the centre is numerically singular (a multiple root?)")
    Kx = (acb_mat([[int(a == c) for c in range(n)] for a in range(n)]) - Y * J) * acb_mat([[d]] * n) - Y * g
    for k in range(n):
        for part, v in (("re", Kx[k, 0].real), ("im", Kx[k, 0].imag)):
            need(v < r and v > -r, f"{STEP}: box {i}", "Krawczyk: {}(K − x̃)[{}] = {} is not inside (−r, r), r = {}",
                 part, k, v.str(5, radius=True), b["r"])


def rule_classify(P, b, i):
    """'min' (M J Mᵀ strictly diagonally dominant, positive diagonal, M invertible: H ≻ 0 on the box) or
    'saddle' (vᵀ J v < 0 on the box); also the loss enclosure on the box."""
    radius = [b["r"]] * len(b["re"])
    if b["M"] is not None:
        K.rule_box_pd(P, b["re"], radius, b["M"])
    else:
        need(b["v"] is not None, f"{STEP}: box {i}", "a real box needs a congruence (minimum) or a direction (saddle)")
        q = K.box_quadratic(K.box_hessian(P, b["re"], radius), b["v"])
        need(q < 0, f"{STEP}: box {i}", "vᵀ H v = {} is not < 0 on the whole box", q.str(5, radius=True))
    kind = "min" if b["M"] is not None else "saddle"
    return kind, loss(P, [to_arb(c) + to_arb(b["r"]) * arb(0, 1) for c in b["re"]], to_arb)


# --------------------------------------------------------------------------- global structure
def _orbits(P, h, real):
    """Union-find over real boxes joined by the symmetries (each checked: L(gθ) ≡ L(θ)); a box whose image under
    g is no box is joined to itself."""
    _, theta, L, _ = _ring(P, h["order"])
    parent, key = {i: i for i in real}, {(tuple(h["boxes"][i]["re"]), h["boxes"][i]["r"]): i for i in real}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for s, g in enumerate(h["syms"]):
        need(loss(P, [theta[j] * e for j, e in g], fq) == L, f"{STEP}: symmetry {s}", "L(gθ) is not identically L(θ)")
        for (re, r), i in key.items():   # one entry per real box: the boxes are disjoint
            parent[find(i)] = find(key.get((tuple(e * re[j] for j, e in g), r), i))
    return find


def _lowest_orbit(P, h, real, level):
    """statement ≠ count: L is coercive when every trained parameter carries λ > 0 and the data term is bounded
    below (every loss is: a poly φ has even degree and a positive leading coefficient, reader._loss), L ≥ c + ½ Σ λ θ²
    → ∞, so the global minimum is attained at a real critical point. Every box not joined by a symmetry to the lowest
    one lies strictly above that orbit and is no minimum; the orbit holds a minimum: every local minimum is global."""
    need(all(v > 0 for Lam in P.reg for row in Lam for v in row), f"{STEP}: coercivity", "needs every regulariser "
         "entry > 0 (L → ∞, so the global minimum is attained at a critical point)")
    need(real, f"{STEP}: real", "no real critical point")
    find = _orbits(P, h, real)
    low = min(real, key=lambda i: float(level[i].upper()) if level[i].is_finite() else float("inf"))
    orbit = [i for i in real if find(i) == find(low)]
    top = max((level[i].upper() for i in orbit), key=float)
    for i in (j for j in real if find(j) != find(low)):
        need(level[i].lower() > top, f"{STEP}: levels", "box {} (L ∈ {}) is not strictly above the lowest orbit "
             "(L <= {}) and not joined to it by a symmetry", i, level[i].str(5, radius=True), top.str(5))
        need(real[i] != "min", f"{STEP}: spurious", "box {} is a strict local minimum with L ∈ {} above the global "
             "minimum value (L <= {}): a spurious local minimum", i, level[i].str(5, radius=True), top.str(5))
    need(any(real[i] == "min" for i in orbit), f"{STEP}: levels", "the lowest orbit holds no minimum")
    return f"coercive; the {len(orbit)} lowest real point(s) form one symmetry orbit holding every local minimum"


@K.lemma("landscape")
def rule_complete_landscape(P, h):
    """The count: D = the number of standard monomials = the number of disjoint Krawczyk boxes; the real boxes
    classified (`real`: box index → 'min' or 'saddle'); then the global structure (`_lowest_orbit`)."""
    need(P.polynomial, STEP, "complete landscapes need a polynomial loss (polynomial or identity activations, "
         "a polynomial ℓ, degree ≤ 256), not {}", P.describe())
    boxes, note, D = h["boxes"], [rule_ideal(P, h)], rule_standard_monomials(h, P.nparams)
    need(len(boxes) == D, f"{STEP}: boxes", "{} boxes for {} standard monomials", len(boxes), D)
    rule_disjoint(boxes)
    real, level = {}, {}
    with precision(h["prec"]):
        for i, b in enumerate(boxes):
            rule_complex_krawczyk(P, b, i)
            need(not any(b["im"]) or any(abs(y) > b["r"] for y in b["im"]), f"{STEP}: box {i}", "neither real "
                 "(every im = 0) nor off the real space (some |im| > radius)")
            if not any(b["im"]):
                real[i], level[i] = rule_classify(P, b, i)
        m = list(real.values()).count("min")
        for k, v in (("real", len(real)), ("minima", m), ("saddles", len(real) - m)):
            need(h[k] == v, f"{STEP}: real", "the boxes give {} {}, the claim says {}", v, k, h[k])
        if h["statement"] != "count":   # strict-saddle (CONTRACT.md) also needs every local minimum global
            note.append(_lowest_orbit(P, h, real, level))
    note.insert(0, f"{D} complex critical points (standard monomials = disjoint Krawczyk boxes), {len(real)} real: "
                   f"{m} strict local minima, {len(real) - m} with negative curvature")
    return (P.sha, h["statement"], D, len(real), m), None, "; ".join(note)


def prove_complete_landscape(P, h):
    return K.rule_claim(STEP, (f := rule_complete_landscape(P, h)).about, [f])


K.register(STEP, parse_complete_landscape, prove_complete_landscape, lambda c, n: tuple(
    c.get(k) for k in ("statement", "critical_points", "real", "minima")), lambda c: f": {c['critical_points']} complex"
    f" critical points, {c['real']} real ({c['minima']} minima, {c['saddles']} saddles); {c['statement']}")


__all__ = ["parse_complete_landscape", "prove_complete_landscape", "standard_monomials"]
