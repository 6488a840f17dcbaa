"""Local minima up to a symmetry: `morse-bott-min` and `spurious-morse-bott-min` (proofs/FORMAT.md).

The body gives a rational family θ(s) = P(s)/q(s), s ∈ R^m (P a vector and q a scalar polynomial over Q, q(0) ≠ 0,
P(0) = q(0)·p) and a congruence M H Mᵀ = diag(D) of the Hessian H at p. The rules check

* `rule_critical_family`: ∇L(P(s)/q(s)) ≡ 0 as elements of Q[s][1/q] (the loss evaluated over first-order Jets
  whose coefficients are fractions a/q^e: exact, an identity in s, not a sampling);
* `rule_null_tangents`: the tangents t_j = ∂θ/∂s_j(0) = (∂_jP(0) − p ∂_jq(0))/q(0) satisfy H t_j = 0 and are
  linearly independent (rank m over Q);
* with the congruence: D ≥ 0 with exactly m zeros (Sylvester), so H ⪰ 0 and dim null(H) = m = rank(t): the
  tangents span null(H) and H is positive definite on every complement of it.

Then p is a local minimum (Morse–Bott; R. Bott, "Nondegenerate critical manifolds", Ann. of Math. 60 (1954);
Banyaga & Hurtubise, Lectures on Morse Homology, §3.5): q ≠ 0 near 0, so θ is analytic there with ∇L(θ(s)) = 0,
and Dθ(0) has rank m, so θ restricted to a small ball is an embedding whose image C is an m-dimensional manifold
of critical points through p with T_pC = null(H). Write x + y for the split along null(H) ⊕ range(H); the
equation ∇_y L(p + x + y) = 0 has, by the implicit function theorem (H_yy ≻ 0), one solution y = φ(x) near p,
L(p + x + y) ≥ g(x) := L(p + x + φ(x)) near p (H_yy ≻ 0 nearby), and the critical points near p are the
p + x + φ(x) with ∇g(x) = 0. C consists of such points and projects onto a neighbourhood of 0 in null(H)
(the projection of Dθ(0) is onto), so ∇g = 0 near 0: g ≡ L(p), hence L ≥ L(p) near p. A witness of lower loss
(the spurious- kind) makes p a local minimum that is not global.
"""

from math import lcm, prod

from flint import fmpq_mat, fmpq_mpoly_ctx

from . import kernel as K
from .loss import Jet, Ring, fq, frac, loss
from .reader import bad, checked, field, listed, need, only, rat

MAX_FAMILY_PARAMS, MAX_FAMILY_EXPONENT, MAX_FAMILY_TERMS = 64, 64, 4096
MAX_FAMILY_DENOMINATOR_BITS, MAX_FAMILY_WORK = 10_000, 30_000_000   # FORMAT.md limits


class _Frac(Ring):
    """a / q^e in Q[s][1/q] for the family's fixed denominator q (a the numerator, an fmpq_mpoly), with its value
    `at_p` at s = 0 (evaluation at 0 is a ring homomorphism Q[s][1/q] → Q as q(0) ≠ 0; θ(0) = p): the side of a relu
    is read off it (proofs/loss.py `value`), so the loss is the polynomial of p's cell (FORMAT.md)."""

    __slots__ = ("a", "e", "q", "at_p")

    def __init__(self, a, e, q, at_p):
        self.a, self.e, self.q, self.at_p = a, e, q, at_p

    def _up(self, e):
        return self.a * self.q ** (e - self.e) if e > self.e else self.a

    def __add__(self, o):
        if not isinstance(o, _Frac):
            return _Frac(self.a + self.q ** self.e * o, self.e, self.q, self.at_p + o)
        e = max(self.e, o.e)
        return _Frac(self._up(e) + o._up(e), e, self.q, self.at_p + o.at_p)

    def __mul__(self, o):
        if not isinstance(o, _Frac):
            return _Frac(self.a * o, self.e, self.q, self.at_p * o)
        return _Frac(self.a * o.a, self.e + o.e, self.q, self.at_p * o.at_p)


class _Size(Ring):
    """Stands for a numerator in Q[s] in a dry run of the identity (the loss over _Frac(_Size)): bounds d_j on its
    degree in each s_j and b on the bits of its integer coefficients over the common denominator c (a sum: c the
    lcm, each side's bits scaled to it, plus 1; a product: c₁c₂ and b₁ + b₂ + log2 of the shorter one's
    n <= Π_j (d_j + 1) terms). `w`, shared by one check, sums n × 64-bit words (+ 64 for the operation) over every
    numerator the identity creates; the dry run stops (malformed) once it passes MAX_FAMILY_WORK."""

    __slots__ = ("d", "b", "c", "w", "n")

    def __init__(self, d, b, c, w):
        self.d, self.b, self.c, self.w, self.n = d, b, c, w, prod(x + 1 for x in d)
        w[0] += self.n * (1 + (b + c.bit_length()) // 64) + 64   # + 64: the cost of one operation
        if w[0] > MAX_FAMILY_WORK:
            bad("body.family", f"the identity ∇L(θ(s)) ≡ 0 needs more than {MAX_FAMILY_WORK:,} terms × words")

    def _with(self, o, deg, c, bits):
        o = o if isinstance(o, _Size) else _Size((0,) * len(self.d), fq(o).p.bit_length(), int(fq(o).q), self.w)
        c = c(self.c, o.c)
        return _Size(tuple(map(deg, self.d, o.d)), bits(o, c.bit_length()), c, self.w)

    def __add__(self, o):
        return self._with(o, max, lcm, lambda o, c: max(self.b - self.c.bit_length(), o.b - o.c.bit_length()) + c + 1)

    def __mul__(self, o):
        return self._with(o, int.__add__, int.__mul__, lambda o, c: self.b + o.b + min(self.n, o.n).bit_length())

    def __pow__(self, k):
        return _Size(tuple(k * x for x in self.d), k * (self.b + self.n.bit_length()), self.c ** k, self.w)


def _size(a, w):
    """_Size of an fmpq_mpoly: its largest numerator's bits over the lcm of its denominators (0 as a constant: its
    degrees -1 would make Π_j (d_j + 1) negative)."""
    cs = a.coeffs()
    return _Size(tuple(max(int(x), 0) for x in a.degrees()), max((c.p.bit_length() for c in cs), default=0),
                 lcm(*{int(c.q) for c in cs}), w)


def _terms(x, m, path):
    """[[exponents (m ints), "p/q"], ...] -> {exponent tuple: fmpq}."""
    if not isinstance(x, list) or len(x) > MAX_FAMILY_TERMS:
        bad(path, f"expected a list of at most {MAX_FAMILY_TERMS} terms [exponents, coefficient]")
    out = {}
    for i, t in enumerate(x):
        at = f"{path}[{i}]"
        if not (isinstance(t, list) and len(t) == 2 and isinstance(t[0], list) and len(t[0]) == m and
                all(type(k) is int and 0 <= k <= MAX_FAMILY_EXPONENT for k in t[0]) and tuple(t[0]) not in out):
            bad(at, f"expected [[{m} exponents in 0..{MAX_FAMILY_EXPONENT}], coefficient], exponents not repeated")
        out[tuple(t[0])] = rat(t[1], f"{at}[1]")
    if sum(d.bit_length() for d in {v.denominator for v in out.values()}) > MAX_FAMILY_DENOMINATOR_BITS:
        bad(path, f"its distinct denominators have more than {MAX_FAMILY_DENOMINATOR_BITS:,} bits in all")
    return {k: fq(v) for k, v in out.items()}


def _family(x, n, path):
    only(x, ("parameters", "denominator", "numerator"), path)   # each one read below: a missing one is named
    m = checked(x, "parameters", path, lambda v: type(v) is int and 1 <= v <= min(n, MAX_FAMILY_PARAMS),
                f"expected an integer in 1..{min(n, MAX_FAMILY_PARAMS)}")
    num = listed(x, "numerator", path, n, n, f"expected {n} polynomials (one per parameter)")
    ctx = fmpq_mpoly_ctx.get(("s", m))
    polys = [ctx.from_dict(_terms(t, m, f"{path}.numerator[{i}]")) for i, t in enumerate(num)]
    return m, ctx.from_dict(_terms(field(x, "denominator", path), m, f"{path}.denominator")), polys


@K.lemma("family")
def rule_critical_family(P, p, fam):
    """∇L(P(s)/q(s)) ≡ 0 in Q[s][1/q], θ(0) = p; data = the tangents ∂θ/∂s_j(0). Polynomial losses only, a relu
    net's on p's open cell (every pre-activation ≠ 0 at p, else `relu` rejects); called after the cheap ∇L(p) = 0
    (K.at), and expands nothing beyond MAX_FAMILY_WORK (a dry run over _Size first)."""
    step, (m, q, num) = "family", fam
    need(P.polynomial or P.piecewise and P.loss[0] in ("square", "mse", "poly"), step, "only for polynomial losses "
         "(not {})", P.describe() if P.loss in (None, ("square",), ("mse",)) or P.loss[0] == "poly" else P.loss[0])
    zero = [0] * m
    q0 = q(*zero) if m else q
    need(q0 != 0, step, "q(0) = 0: the family is not defined at s = 0")
    bad_i = next((i for i, (a, v) in enumerate(zip(num, p)) if a(*zero) != q0 * fq(v)), None)
    need(bad_i is None, step, "θ(0)[{}] = P(0)/q(0) is not the point", bad_i)
    w = [0]   # the dry run: MAX_FAMILY_WORK before any expansion
    Q = _size(q, w)
    loss(P, [Jet(_Frac(_size(a, w), 1, Q, fq(v)), {i: 1}, None) for i, (a, v) in enumerate(zip(num, p))], fq)
    L = loss(P, [Jet(_Frac(a, 1, q, fq(v)), {i: 1}, None) for i, (a, v) in enumerate(zip(num, p))], fq)
    g = [L.l.get(i, 0) if isinstance(L, Jet) else 0 for i in range(len(p))]
    bad_i = next((i for i, v in enumerate(g) if isinstance(v, _Frac) and v.a != 0 or
                  not isinstance(v, _Frac) and v != 0), None)
    need(bad_i is None, step, "∂L/∂θ[{}](θ(s)) is not identically 0", bad_i)
    T = [[frac((a.derivative(j)(*zero) - fq(v) * q.derivative(j)(*zero)) / q0) for a, v in zip(num, p)]
         for j in range(m)]
    return (P.sha, tuple(p)), T, f"∇L(θ(s)) ≡ 0 on a rational {m}-parameter family"


@K.lemma("null-tangents")
def rule_null_tangents(P, p, T):
    """H t_j = 0 for every tangent and rank(t) = m (independent); data = m."""
    Tq = fmpq_mat([[fq(v) for v in t] for t in T])
    HT = fmpq_mat([[fq(v) for v in row] for row in K.hessian(P, p)]) * Tq.transpose()
    bad_j = next((j for j in range(len(T)) if any(HT[i, j] != 0 for i in range(len(p)))), None)
    need(bad_j is None, "tangents", "H·t_{} ≠ 0: the tangent is not in null(H)", bad_j)
    r = Tq.rank()
    need(r == len(T), "tangents", "the {} tangents have rank {}: not linearly independent", len(T), r)
    return (P.sha, tuple(p)), r, f"{r} independent tangents in null(H)"


def _morse_bott_facts(P, h):
    about, facts = K.at(P, h)   # the claimed loss, ∇L(p) = 0 and L(witness) < L(p) (spurious kinds) first: cheap
    p = h["p"]
    fam = rule_critical_family(P, p, h["family"])
    null = rule_null_tangents(P, p, fam.data)
    cong = K.rule_hessian_congruence(P, p, h["congruence"])
    m = null.data
    facts += [fam, null,
              (cong, "cong", lambda D: all(x >= 0 for x in D), "congruence: M H Mᵀ has a negative diagonal entry"),
              (cong, "cong", lambda D: sum(x == 0 for x in D) == m, lambda: f"congruence: dim null(H) = "
               f"{sum(x == 0 for x in cong.data)}, not the {m} tangents: H is not positive definite on a complement")]
    return about, facts


def prove_morse_bott(P, h, kind="morse-bott-min"):
    return K.rule_claim(kind, *_morse_bott_facts(P, h))


@K.lemma("orbit")
def rule_rescaling_orbit(P, p):
    """The valley lemma's hypotheses (FORMAT.md): a two-layer net, trained output, σ = a·t^k (k >= 1), Λ = 0, every
    unit live (w_i ≠ 0, u_i ≠ 0), and each rescaling tangent r_i = (δw_i = w_i, δu_i = −k u_i) in null(H); data =
    the number of units (the r_i have disjoint supports and w_i ≠ 0: independent)."""
    step = "orbit"
    need(P.kind == "two-layer" and P.act != "relu" and len(P.shapes) == 2, step,
         "only for a two-layer net with a polynomial σ and a trained output layer")
    ks = [k for k, c in enumerate(P.act) if c != 0]
    need(len(ks) == 1 and ks[0] >= 1, step, "σ is not a monomial a·t^k with k >= 1: no rescaling symmetry")
    need(all(v == 0 for R in P.reg for row in R for v in row), step, "Λ ≠ 0 breaks the rescaling symmetry")
    (width, n), (dy, _) = P.shapes
    H, k = fmpq_mat([[fq(v) for v in row] for row in K.hessian(P, p)]), ks[0]
    for i in range(width):
        w, u = range(i * n, i * n + n), range(width * n + i, len(p), width)
        need(any(p[j] for j in w) and any(p[j] for j in u), step, "unit {}: w_i = 0 or u_i = 0 (not a free orbit)", i)
        Hr = H * fmpq_mat([[fq(p[j] if j in w else -k * p[j] if j in u else 0)] for j in range(len(p))])
        need(all(Hr[j, 0] == 0 for j in range(len(p))), step, "H·r_{} ≠ 0 for the rescaling of unit {}", i, i)
    return (P.sha, tuple(p)), width, \
        f"L is invariant under the free proper rescaling of (0, ∞)^{width} (σ = a·t^{k}, Λ = 0)"


def prove_valley(P, h):
    """`spurious-rescaling-valley`: a spurious Morse–Bott minimum whose null space is the rescaling orbit's."""
    orbit = rule_rescaling_orbit(P, h["p"])
    about, facts = _morse_bott_facts(P, h)
    facts.append((orbit, "orbit", lambda d: d == h["family"][0],
                  lambda: f"the family has {h['family'][0]} parameters, not one per unit ({orbit.data})"))
    return K.rule_claim("spurious-rescaling-valley", about, facts)


FAMILY = dict(family=(_family, True), congruence=K.CONG)
K.register("morse-bott-min", K.point_claim(**FAMILY), prove_morse_bott)
K.register("spurious-morse-bott-min", K.point_claim(**FAMILY, witness=K.VECTOR),
           lambda P, h: prove_morse_bott(P, h, "spurious-morse-bott-min"))
K.register("spurious-rescaling-valley", K.point_claim(**FAMILY, witness=K.VECTOR), prove_valley,
           describe=lambda c: " (a spurious local minimum up to rescaling: it lies in a spurious valley) at "
                              f"{K.short(c['point'])}")
