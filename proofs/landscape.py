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
from fractions import Fraction

from flint import acb, acb_mat, arb, arb_mat, fmpq_mpoly_ctx, fmpz_mpoly_ctx, fmpz_mpoly_vec

from . import kernel as K
from .loss import Jet, fq, loss, precision, to_arb
from .reader import bad, field, mat, need, only, posint, rat, vec

STEP = "complete-landscape"
STATEMENTS = ("count", "strict-saddle", "no-spurious-local-min")
MAX_POINTS = 2000          # D
MAX_BASIS = 5000           # polynomials in G
MAX_TERMS = 2_000_000      # terms in G and the cofactors together
MAX_EXPONENT = 255
MAX_LANDSCAPE_PARAMS = 16


# --------------------------------------------------------------------------- parsing
def _terms(x, n, path, budget):
    if not isinstance(x, list):
        bad(path, "expected a list of [[exponents], rational] terms")
    budget[0] -= len(x)
    if budget[0] < 0:
        bad(path, f"more than {MAX_TERMS} polynomial terms in the certificate")
    out = {}
    for t, term in enumerate(x):
        if not isinstance(term, list) or len(term) != 2 or not isinstance(term[0], list) or len(term[0]) != n:
            bad(f"{path}[{t}]", f"expected [[{n} exponents], rational]")
        e = term[0]
        if any(isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_EXPONENT for v in e):
            bad(f"{path}[{t}][0]", f"exponents must be integers in [0, {MAX_EXPONENT}]")
        c = rat(term[1], f"{path}[{t}][1]")
        if c == 0 or tuple(e) in out:
            bad(f"{path}[{t}]", "zero coefficient or repeated monomial")
        out[tuple(e)] = c
    if not out:
        bad(path, "the zero polynomial")
    return out


def _box(x, n, path):
    only(x, ("re", "im", "radius", "congruence", "direction"), path)
    b = {"re": vec(field(x, "re", path), n, f"{path}.re"), "im": vec(field(x, "im", path), n, f"{path}.im"),
         "r": rat(field(x, "radius", path), f"{path}.radius")}
    if b["r"] <= 0:
        bad(f"{path}.radius", "must be > 0")
    if "congruence" in x and "direction" in x:
        bad(path, "a box is a minimum (congruence) or a saddle (direction), not both")
    if ("congruence" in x or "direction" in x) and any(b["im"]):
        bad(path, "only real boxes (every im = 0) carry a classification")
    b["M"] = mat(x["congruence"], n, n, f"{path}.congruence") if "congruence" in x else None
    b["v"] = vec(x["direction"], n, f"{path}.direction") if "direction" in x else None
    return b


def _symmetry(x, n, path):
    if not isinstance(x, list) or len(x) != n:
        bad(path, f"expected {n} [index, ±1] pairs")
    for i, pair in enumerate(x):
        if not (isinstance(pair, list) and len(pair) == 2 and [type(v) for v in pair] == [int, int]
                and 0 <= pair[0] < n and pair[1] in (1, -1)):
            bad(f"{path}[{i}]", f"expected [j, ±1] with 0 <= j < {n}")
    out = [tuple(pair) for pair in x]
    if len({j for j, _ in out}) != n:
        bad(path, "not a permutation")
    return out


def parse_complete_landscape(P, claim, body):
    only(claim, ("kind", "statement", "critical_points", "real", "minima", "saddles"), "claim")
    only(body, ("kind", "variables", "ideal", "basis", "cofactors", "precision", "boxes", "symmetries"), "body")
    st = field(claim, "statement", "claim")
    if st not in STATEMENTS:
        bad("claim.statement", f"expected one of {', '.join(STATEMENTS)}")
    counts = {}
    for k in ("critical_points", "real", "minima", "saddles"):
        v = field(claim, k, "claim")
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_POINTS:
            bad(f"claim.{k}", f"expected an integer in [0, {MAX_POINTS}]")
        counts[k] = v
    n = P.nparams
    if n > MAX_LANDSCAPE_PARAMS:
        bad("problem", f"{n} parameters exceed the complete-landscape limit of {MAX_LANDSCAPE_PARAMS}")
    order = field(body, "variables", "body")
    if not isinstance(order, list) or any(type(v) is not int for v in order) or sorted(order) != list(range(n)):
        bad("body.variables", f"expected a permutation of 0..{n - 1}")
    ideal = field(body, "ideal", "body")
    if ideal not in ("cofactors", "recompute"):
        bad("body.ideal", "expected 'cofactors' or 'recompute'")
    if (ideal == "cofactors") != ("cofactors" in body):
        bad("body.cofactors", "required with ideal 'cofactors' and only then")
    basis = field(body, "basis", "body")
    if not isinstance(basis, list) or not 1 <= len(basis) <= MAX_BASIS:
        bad("body.basis", f"expected a list of 1..{MAX_BASIS} polynomials")
    budget = [MAX_TERMS]
    G = [_terms(g, n, f"body.basis[{i}]", budget) for i, g in enumerate(basis)]
    C = None
    if ideal == "cofactors":
        cs = body["cofactors"]
        if not isinstance(cs, list) or len(cs) != len(G):
            bad("body.cofactors", f"expected {len(G)} rows (one per basis polynomial)")
        C = []
        for i, row in enumerate(cs):
            if not isinstance(row, list) or len(row) != n:
                bad(f"body.cofactors[{i}]", f"expected {n} polynomials (one per ∂L/∂x_k)")
            C.append([{} if c == [] else _terms(c, n, f"body.cofactors[{i}][{k}]", budget) for k, c in enumerate(row)])
    prec = posint(body.get("precision", 256), "body.precision", 4096)
    if prec < 64:
        bad("body.precision", "expected at least 64 bits")
    boxes = field(body, "boxes", "body")
    if not isinstance(boxes, list) or len(boxes) > MAX_POINTS:
        bad("body.boxes", f"expected a list of at most {MAX_POINTS} boxes")
    syms = body.get("symmetries", [])
    if not isinstance(syms, list) or len(syms) > 64:
        bad("body.symmetries", "expected a list of at most 64 signed permutations")
    return {"statement": st, **counts, "order": list(order), "ideal": ideal, "G": G, "C": C, "prec": prec,
            "boxes": [_box(b, n, f"body.boxes[{i}]") for i, b in enumerate(boxes)],
            "syms": [_symmetry(s, n, f"body.symmetries[{i}]") for i, s in enumerate(syms)]}


# --------------------------------------------------------------------------- the ideal and its monomials
def _ring(P, order):
    """(ctx, L, [∂L/∂x_k]) over Q[x_0..x_{n-1}] with θ_{order[k]} = x_k, degrevlex."""
    n = len(order)
    ctx = fmpq_mpoly_ctx.get([f"x{k}" for k in range(n)], "degrevlex")
    gens, theta = ctx.gens(), [None] * n
    for k, v in enumerate(order):
        theta[v] = gens[k]
    L = loss(P, theta, fq)
    return ctx, theta, L, [L.derivative(k) for k in range(n)]


def _mpoly(ctx, terms):
    return ctx.from_dict({e: fq(c) for e, c in terms.items()}) if terms else ctx.from_dict({})


def _lead(terms):
    """The leading exponent in degrevlex, x_0 > … > x_{n-1}: highest degree, then the smallest last exponent."""
    return max(terms, key=lambda e: (sum(e), tuple(-v for v in reversed(e))))


def _normal(terms):
    """A polynomial up to a non-zero rational factor: divided by its leading coefficient."""
    c = terms[_lead(terms)]
    return frozenset((e, Fraction(v) / c) for e, v in terms.items())


def rule_ideal(P, h):
    ctx, _, _, grads = _ring(P, h["order"])
    if h["ideal"] == "cofactors":
        for i, (g, row) in enumerate(zip(h["G"], h["C"])):
            s = sum((_mpoly(ctx, c) * d for c, d in zip(row, grads) if c), ctx.from_dict({}))
            need(s == _mpoly(ctx, g), f"{STEP}: ideal", "basis polynomial {} is not Σ_k c_{}k ∂L/∂x_k", i, i)
        return "G ⊆ ⟨∇L⟩ by cofactors (checked by polynomial multiplication)"
    n = len(h["order"])
    zctx = fmpz_mpoly_ctx.get([f"x{k}" for k in range(n)], "degrevlex")
    zs = []
    for d in grads:
        if d.is_zero():
            continue
        t = {tuple(e): c for e, c in zip(d.monoms(), d.coeffs())}
        den = math.lcm(*(int(c.q) for c in t.values()))
        zs.append(zctx.from_dict({e: int(c.p) * (den // int(c.q)) for e, c in t.items()}))
    red = fmpz_mpoly_vec(zs, zctx).buchberger_naive().autoreduction()   # the check's child process bounds its time
    mine = {_normal({tuple(int(v) for v in e): int(c) for e, c in zip(p.monoms(), p.coeffs())}) for p in red}
    theirs = {_normal(g) for g in h["G"]}
    need(len(theirs) == len(h["G"]), f"{STEP}: ideal", "the basis repeats a polynomial (up to a factor)")
    need(mine == theirs, f"{STEP}: ideal", "the basis is not the reduced Gröbner basis of ⟨∇L⟩ in this variable "
         "order (FLINT's Buchberger gives {} polynomials, the certificate {})", len(mine), len(theirs))
    return "G = the reduced Gröbner basis of ⟨∇L⟩, recomputed (FLINT Buchberger, trusted)"


def standard_monomials(leads, n, limit):
    """The number of monomials divisible by no leading monomial (depth-first over the order ideal: a monomial
    is visited only if its predecessor is standard). None if some x_k has no pure power (infinite)."""
    for k in range(n):
        if not any(e[k] > 0 and sum(e) == e[k] for e in leads):
            return None
    count, stack = 0, [(0, (0,) * n)]
    while stack:
        k, m = stack.pop()
        if any(all(a >= b for a, b in zip(m, e)) for e in leads):
            continue
        count += 1
        if count > limit:
            return count
        # children: raise the exponent of x_j for j >= k (each monomial generated once)
        for j in range(k, n):
            stack.append((j, m[:j] + (m[j] + 1,) + m[j + 1:]))
    return count


def rule_standard_monomials(h, n):
    leads = [_lead(g) for g in h["G"]]
    D = standard_monomials(leads, n, MAX_POINTS)
    need(D is not None, f"{STEP}: standard monomials", "some variable has no pure power among the leading "
         "monomials: infinitely many standard monomials (not a finite critical set, or G too small)")
    need(D == h["critical_points"], f"{STEP}: standard monomials", "the leading monomials of G leave {} standard "
         "monomials, the claim says {} critical points", D, h["critical_points"])
    return D


# --------------------------------------------------------------------------- boxes
def _apart(a, b):
    r, s = a["r"], b["r"]
    for part in ("re", "im"):
        for x, y in zip(a[part], b[part]):
            if x + r < y - s or y + s < x - r:
                return True
    return False


def rule_disjoint(boxes):
    order = sorted(range(len(boxes)), key=lambda i: boxes[i]["re"][0] - boxes[i]["r"])
    for a in range(len(order)):
        i = order[a]
        hi = boxes[i]["re"][0] + boxes[i]["r"]
        for b in range(a + 1, len(order)):
            j = order[b]
            if boxes[j]["re"][0] - boxes[j]["r"] > hi:
                break
            need(_apart(boxes[i], boxes[j]), f"{STEP}: boxes", "boxes {} and {} overlap", i, j)


def to_acb(q):
    return acb(to_arb(q))


def rule_complex_krawczyk(P, b, i):
    """K = x̃ − Y∇L(x̃) + (I − Y J(X))(X − x̃) ⊂ int X in acb balls: exactly one zero of ∇L in the box X."""
    n, r = len(b["re"]), to_arb(b["r"])
    mid = [acb(to_arb(x), to_arb(y)) for x, y in zip(b["re"], b["im"])]
    d = acb(arb(0, 1), arb(0, 1)) * r
    g0 = loss(P, [Jet(c, {k: 1}, None) for k, c in enumerate(mid)], to_acb)
    g = acb_mat([[g0.l.get(k, 0) if isinstance(g0, Jet) else 0] for k in range(n)])
    L2 = loss(P, [Jet(c + d, {k: 1}, {}) for k, c in enumerate(mid)], to_acb)
    J = acb_mat(K.hessian_of(L2, n))
    try:
        Y = acb_mat([[J[a, c].mid() for c in range(n)] for a in range(n)]).inv().mid()
    except (ZeroDivisionError, ValueError):
        need(False, f"{STEP}: box {i}", "the Jacobian at the centre is numerically singular (a multiple root?)")
    E = acb_mat([[int(a == c) for c in range(n)] for a in range(n)]) - Y * J
    Kx = E * acb_mat([[d] for _ in range(n)]) - Y * g
    for k in range(n):
        z = Kx[k, 0]
        for part, v in (("re", z.real), ("im", z.imag)):
            need(v < r and v > -r, f"{STEP}: box {i}", "Krawczyk: {}(K − x̃)[{}] = {} is not inside (−r, r), r = {}",
                 part, k, v.str(5, radius=True), b["r"])


def rule_classify(P, b, i):
    """'min' (M J Mᵀ strictly diagonally dominant, positive diagonal, M invertible: H ≻ 0 on the box) or
    'saddle' (vᵀ J v < 0 on the box); also the loss enclosure on the box."""
    n = len(b["re"])
    if b["M"] is not None:
        K.rule_box_pd(P, b["re"], [b["r"]] * n, b["M"])
        kind = "min"
    else:
        need(b["v"] is not None, f"{STEP}: box {i}", "a real box needs a congruence (minimum) or a direction "
             "(saddle)")
        J = arb_mat(K.hessian_of(loss(P, K.box_jets(b["re"], [b["r"]] * n, 2), to_arb), n))
        v = arb_mat([[to_arb(x)] for x in b["v"]])
        q = (v.transpose() * J * v)[0, 0]
        need(q < 0, f"{STEP}: box {i}", "vᵀ H v = {} is not < 0 on the whole box", q.str(5, radius=True))
        kind = "saddle"
    lv = loss(P, [to_arb(c) + to_arb(b["r"]) * arb(0, 1) for c in b["re"]], to_arb)
    return kind, lv


# --------------------------------------------------------------------------- global structure
def _coercive(P):
    """Every trained parameter carries λ > 0 and the data term is bounded below (every loss is: a poly φ has even
    degree and a positive leading coefficient, reader._loss): L ≥ c + ½ Σ λ θ² → ∞."""
    return all(v > 0 for Lam in P.reg for row in Lam for v in row)


def _orbits(P, h, real):
    """Union-find over real boxes joined by the symmetries (each checked: L(gθ) ≡ L(θ))."""
    ctx, theta, L, _ = _ring(P, h["order"])
    parent = {i: i for i in real}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    key = {(tuple(h["boxes"][i]["re"]), h["boxes"][i]["r"]): i for i in real}
    for s, g in enumerate(h["syms"]):
        need(loss(P, [theta[j] * sign for j, sign in g], fq) == L, f"{STEP}: symmetry {s}",
             "L(gθ) is not identically L(θ)")
        for i in real:
            b = h["boxes"][i]
            j = key.get((tuple(sign * b["re"][t] for t, sign in g), b["r"]))
            if j is not None:
                parent[find(i)] = find(j)
    return find


@K.lemma("landscape")
def rule_complete_landscape(P, h):
    need(P.kind == "deep-linear" or (P.kind == "two-layer" and P.act != "relu"), STEP,
         "complete landscapes need a polynomial loss (deep-linear or a polynomial activation), not {}", P.kind)
    n = P.nparams
    note = [rule_ideal(P, h)]
    D = rule_standard_monomials(h, n)
    boxes = h["boxes"]
    need(len(boxes) == D, f"{STEP}: boxes", "{} boxes for {} standard monomials", len(boxes), D)
    rule_disjoint(boxes)
    real, kinds, level = [], {}, {}
    with precision(h["prec"]):
        for i, b in enumerate(boxes):
            rule_complex_krawczyk(P, b, i)
            if not any(b["im"]):
                real.append(i)
                kinds[i], level[i] = rule_classify(P, b, i)
            else:
                need(any(abs(y) > b["r"] for y in b["im"]), f"{STEP}: box {i}", "neither real (every im = 0) nor "
                     "off the real space (some |im| > radius)")
        m = sum(kinds[i] == "min" for i in real)
        for k, v in (("real", len(real)), ("minima", m), ("saddles", len(real) - m)):
            need(h[k] == v, f"{STEP}: real", "the boxes give {} {}, the claim says {}", v, k, h[k])
        if h["statement"] != "count":   # strict-saddle (CONTRACT.md) also needs every local minimum global
            need(_coercive(P), f"{STEP}: coercivity", "needs every regulariser entry > 0 (L → ∞, so the global "
                 "minimum is attained at a critical point)")
            need(real, f"{STEP}: real", "no real critical point")
            find = _orbits(P, h, real)
            low = min(real, key=lambda i: float(level[i].upper()) if level[i].is_finite() else float("inf"))
            orbit = [i for i in real if find(i) == find(low)]
            top = max((level[i].upper() for i in orbit), key=float)
            for i in real:
                if find(i) != find(low):
                    need(level[i].lower() > top, f"{STEP}: levels", "box {} (L ∈ {}) is not strictly above the "
                         "lowest orbit (L <= {}) and not joined to it by a symmetry", i, level[i].str(5, radius=True),
                         top.str(5))
                    need(kinds[i] != "min", f"{STEP}: spurious", "box {} is a strict local minimum with L ∈ {} above "
                         "the global minimum value (L <= {}): a spurious local minimum", i,
                         level[i].str(5, radius=True), top.str(5))
            need(any(kinds[i] == "min" for i in orbit), f"{STEP}: levels", "the lowest orbit holds no minimum")
            note.append(f"coercive; the {len(orbit)} lowest real point(s) form one symmetry orbit holding every "
                        "local minimum")
    note.insert(0, f"{D} complex critical points (standard monomials = disjoint Krawczyk boxes), {len(real)} real: "
                   f"{m} strict local minima, {len(real) - m} with negative curvature")
    return (P.sha, h["statement"], D, len(real), m), None, "; ".join(note)


def prove_complete_landscape(P, h):
    f = rule_complete_landscape(P, h)
    return K.rule_claim(STEP, f.about, [f])


K.register(STEP, parse_complete_landscape, prove_complete_landscape,
           lambda c, n: tuple(c.get(k) for k in ("statement", "critical_points", "real", "minima")),
           lambda c: f": {c['critical_points']} complex critical points, {c['real']} real ({c['minima']} minima, "
                     f"{c['saddles']} saddles); {c['statement']}")


__all__ = ["parse_complete_landscape", "prove_complete_landscape", "standard_monomials"]
