"""Test-side helpers for the certificate checker: builders (emit valid certificates) and an independent
sympy ORACLE that decides whether a claim is true. Neither shares code with proofs/ (the oracle builds
the loss as a sympy polynomial and differentiates it symbolically). Theorem instances are decided as "the cited
theorem applies" (hypotheses recomputed in sympy, the theorem trusted); Morse–Bott minima by H's signature from its
characteristic polynomial and the certificate's family re-evaluated as an identity in sympy's polynomial rings.

Builders live here, with the search, not in proofs/ (STYLE.md: code that BUILDS certificates lives with the
search)."""

import copy
import json
from fractions import Fraction
from functools import lru_cache

import sympy as sp

from proofs import problem_hash


# --------------------------------------------------------------------------- certificate assembly
def q(x):
    """Fraction / int / sympy Rational -> canonical certificate rational string."""
    x = sp.Rational(x) if not isinstance(x, Fraction) else x
    return str(Fraction(int(sp.numer(x)), int(sp.denom(x)))) if not isinstance(x, Fraction) else str(x)


def qv(v):
    return [q(x) for x in v]


def qm(M):
    return [qv(r) for r in M]


def make_cert(problem, claim, body, meta=None):
    c = {"format": "spurious-certificate", "version": 1, "claim": claim, "problem": problem,
         "problem_sha256": problem_hash(problem), "body": body}
    if meta is not None:
        c["meta"] = meta
    return c


# --------------------------------------------------------------------------- sympy model of the loss
def nparams(problem):
    if problem["kind"] == "deep-linear":
        w = problem["widths"]
        return sum(w[i] * w[i - 1] for i in range(1, len(w)))
    if problem["kind"] == "two-layer":
        p, n, dy = problem["width"], problem["n"], len(problem["Y"])
        return p * n + (dy * p if problem["train_output"] else 0)
    return problem["k"] * problem["n"]


def _R(x):
    return sp.Rational(str(x))


def _M(rows):
    return sp.Matrix([[_R(v) for v in r] for r in rows])


def _reg_mats(problem, shapes):
    reg = problem["reg"]
    if isinstance(reg, list):
        return [_M(m) for m in reg]
    return [sp.Matrix(r, c, lambda i, j: _R(reg)) for r, c in shapes]


class _Sym:
    """The loss as a sympy expression and as a sparse polynomial over QQ (gens x_0..x_{N-1}, t)."""

    def __init__(self, xs, L):
        self.xs, self.L = xs, L
        self.R, *gens = sp.ring([str(x) for x in xs] + ["t"], sp.QQ)
        self.gens, self.t = gens[:-1], gens[-1]
        self.Lr = self.R.from_expr(L) if L != 0 else self.R.zero
        self.grad = [self.Lr.diff(g) for g in self.gens]
        self.H = [[gi.diff(gj) for gj in self.gens] for gi in self.grad]


def _symbolic_forward(problem, pattern):
    """Parameter symbols, their weight matrices with shapes, and the network output A(θ) (unexpanded)."""
    xs = sp.symbols(f"x0:{nparams(problem)}")
    if problem["kind"] == "deep-linear":
        w = problem["widths"]
        shapes = [(w[i], w[i - 1]) for i in range(1, len(w))]
    else:
        p, n, dy = problem["width"], problem["n"], len(problem["Y"])
        shapes = [(p, n)] + ([(dy, p)] if problem["train_output"] else [])
    mats, k = [], 0
    for r, c in shapes:
        mats.append(sp.Matrix(r, c, lambda i, j, k=k, c=c: xs[k + i * c + j]))
        k += r * c
    X = _M(problem["X"])
    if problem["kind"] == "deep-linear":
        A = X
        for W in mats:
            A = W * A
    else:
        Z = mats[0] * X
        act = problem["activation"]
        if act == "relu":
            S = sp.Matrix(Z.rows, Z.cols, lambda i, j: Z[i, j] if pattern[i * Z.cols + j] else 0)
        else:
            cs = [_R(c) for c in act["poly"]]
            S = Z.applyfunc(lambda z: sum(c * z**e for e, c in enumerate(cs)))
        U = mats[1] if problem["train_output"] else _M(problem["output"])
        A = U * S
    return xs, mats, shapes, A


@lru_cache(maxsize=4096)
def _sym(problem_json, pattern):
    """_Sym of a problem; `pattern` fixes the relu activation pattern."""
    problem = json.loads(problem_json)
    xs, mats, shapes, A = _symbolic_forward(problem, pattern)
    R = A - _M(problem["Y"])
    phi = loss_phi(problem)
    L = sum(sum(c * e**k for k, c in enumerate(phi)) for e in R)
    for W, Lam in zip(mats, _reg_mats(problem, shapes)):
        L += sum(Lam[i, j] * W[i, j] ** 2 for i in range(W.rows) for j in range(W.cols)) / 2
    return _Sym(xs, sp.expand(L))


def loss_phi(problem):
    """Coefficients of φ with ℓ = Σ φ(E_ij), E = O − Y, read from the problem's ``loss`` (FORMAT.md "Losses");
    ValueError for a loss that is not a polynomial (huber, logistic, cross-entropy: the oracle does not decide)."""
    loss = problem.get("loss", "square")
    if loss == "square":
        return [0, 0, sp.Rational(1, 2)]
    if loss == "mse":
        return [0, 0, sp.Rational(1, len(problem["Y"]) * len(problem["Y"][0]))]
    if isinstance(loss, dict) and "power" in loss:
        return [0] * loss["power"] + [sp.Rational(1, loss["power"])]
    if isinstance(loss, dict) and "poly" in loss:
        return [_R(c) for c in loss["poly"]]
    raise ValueError(f"loss {loss!r} is not a polynomial")


def loss_convex(problem):
    """φ″ ≥ 0 on R (sympy: positive leading coefficient, no real root of odd multiplicity); True off ``poly``."""
    t = sp.Symbol("t")
    try:
        phi = loss_phi(problem)
    except ValueError:
        return True   # huber, logistic, cross-entropy: convex
    d2 = sp.Poly(sp.diff(sum(c * t**k for k, c in enumerate(phi)), t, 2), t)
    if d2.is_zero:
        return True
    lead, factors = d2.sqf_list()
    return lead > 0 and all(m % 2 == 0 or f.count_roots() == 0 for f, m in factors)


def relu_pattern(problem, point):
    """Activation pattern at a point, or None when some pre-activation is exactly 0."""
    if problem["kind"] != "two-layer" or problem["activation"] != "relu":
        return ()
    p, n = problem["width"], problem["n"]
    W = sp.Matrix(p, n, [_R(v) for v in point[: p * n]])
    Z = W * _M(problem["X"])
    if any(z == 0 for z in Z):
        return None
    return tuple(bool(z > 0) for z in Z)


def _peval(poly, vals, one=None):
    """Evaluate a sparse QQ polynomial term by term (values in QQ, or in the ring itself when one = R.one)."""
    total = sp.QQ(0) if one is None else one * 0
    powers = {}
    for monom, coef in poly.terms():
        term = coef if one is None else one * coef
        for i, (v, e) in enumerate(zip(vals, monom)):
            if e:
                if (i, e) not in powers:
                    powers[(i, e)] = v**e
                term = term * powers[(i, e)]
        total += term
    return total


def _qq(v):
    f = Fraction(str(v))
    return sp.QQ(f.numerator, f.denominator)


def _rat(v):
    return sp.Rational(int(v.numerator), int(v.denominator))


class Model:
    """Exact loss, gradient, Hessian of a problem at a point (sympy), for the oracle and the builders."""

    def __init__(self, problem, point):
        self.problem, self.point = problem, [_R(v) for v in point]
        self.pattern = relu_pattern(problem, point)
        if self.pattern is None:
            raise ValueError("relu kink")
        self.S = _sym(json.dumps(problem, sort_keys=True), self.pattern)
        self.xs, self.L = self.S.xs, self.S.L
        self.vals = [_qq(v) for v in point] + [sp.QQ(0)]

    def _ev(self, poly, vals=None):
        return _rat(_peval(poly, vals or self.vals))

    def loss_at(self, pt):
        """Exact loss at any point (relu: max(0, .), which needs no smoothness for a value)."""
        pat = tuple(bool(z > 0) for z in self._pre(pt)) if self.pattern else ()
        S = _sym(json.dumps(self.problem, sort_keys=True), pat)
        return _rat(_peval(S.Lr, [_qq(v) for v in pt] + [sp.QQ(0)]))

    def _pre(self, pt):
        p, n = self.problem["width"], self.problem["n"]
        return sp.Matrix(p, n, [_R(v) for v in pt[: p * n]]) * _M(self.problem["X"])

    @property
    def loss(self):
        return self._ev(self.S.Lr)

    @property
    def grad(self):
        return [self._ev(g) for g in self.S.grad]

    @property
    def H(self):
        n = len(self.point)
        return sp.Matrix(n, n, lambda i, j: self._ev(self.S.H[i][j]))

    def along(self, coeffs):
        """Coefficients [a_0, a_1, ...] of L(p + Σ t^k c_k) − L(p) in t (exact)."""
        S, t = self.S, self.S.t
        sub = [v + sum((_qq(c[i]) * t ** (k + 1) for k, c in enumerate(coeffs)), S.R.zero)
               for i, v in enumerate(self.vals[:-1])]
        f = _peval(S.Lr, sub + [t], S.R.one) - _peval(S.Lr, self.vals)
        out = {}
        for monom, coef in f.terms():
            out[monom[-1]] = _rat(coef)
        return [out.get(k, 0) for k in range(max(out, default=0) + 1)]


def inertia(H):
    """(neg, zero, pos) of a symmetric rational matrix, exactly (via LDL-type congruence)."""
    _, D = congruence(H)
    return (sum(1 for d in D if d < 0), sum(1 for d in D if d == 0), sum(1 for d in D if d > 0))


def congruence(H):
    """Invertible rational M with M H Mᵀ = diag(D) (symmetric elimination with pivoting). Returns (M, D)."""
    n = H.rows
    S = sp.Matrix(H)
    M = sp.eye(n)
    for k in range(n):
        if S[k, k] == 0:
            j = next((j for j in range(k + 1, n) if S[j, j] != 0), None)
            if j is not None:
                S.row_swap(k, j), S.col_swap(k, j), M.row_swap(k, j)
            else:
                j = next((j for j in range(k + 1, n) if S[k, j] != 0), None)
                if j is None:
                    continue
                S[k, :] = S[k, :] + S[j, :]
                S[:, k] = S[:, k] + S[:, j]
                M[k, :] = M[k, :] + M[j, :]
        for i in range(k + 1, n):
            if S[i, k] != 0:
                f = S[i, k] / S[k, k]
                S[i, :] = S[i, :] - f * S[k, :]
                S[:, i] = S[:, i] - f * S[:, k]
                M[i, :] = M[i, :] - f * M[k, :]
    assert (M * H * M.T).is_diagonal()
    return M, [S[i, i] for i in range(n)]


# --------------------------------------------------------------------------- the oracle
def _leading(coeffs):
    k = next((k for k, v in enumerate(coeffs) if v != 0), None)
    return None if k is None else (k, coeffs[k])


def _ascent_ok(m, asc):
    if "direction" in asc:
        u = sp.Matrix([_R(v) for v in asc["direction"]])
        return (u.T * m.H * u)[0] > 0
    lead = _leading(m.along(asc["curve"]))
    return lead is not None and (lead[1] > 0 or lead[0] % 2 == 1)


def _top_eigsum_leq(A, r, s):
    """sum of the r largest eigenvalues of symmetric rational A <= s ?  (exact when sympy can decide)"""
    ev = []
    for lam, mult in A.eigenvals().items():
        ev += [lam] * mult
    ev = sorted(ev, key=lambda e: sp.N(e, 50), reverse=True)
    diff = sp.nsimplify(sp.simplify(s - sum(ev[:r])))
    return bool(diff >= 0) if diff.is_comparable else None


def oracle(cert):
    """Cached `decide` (tampering repeats certificates)."""
    return _oracle_cached(json.dumps(cert, sort_keys=True))


@lru_cache(maxsize=100_000)
def _oracle_cached(text):
    return decide(json.loads(text))


def decide(cert):
    """True / False when the header claim is decided exactly by sympy; None when undecided.

    Uses only the problem and the claim, plus -- where no decision procedure is at hand (not-a-local-min
    for a PSD Hessian, not-a-local-max for an NSD one, spurious witnesses, a non-isolated minimum) -- the
    certificate's own curve / witness / critical family, re-evaluated here symbolically and independently of
    proofs/. A theorem instance is decided as "the cited theorem applies" (its hypotheses recomputed here; the
    theorem itself trusted, as the checker trusts it). None never means false."""
    problem, claim, body = cert["problem"], cert["claim"], cert["body"]
    kind = claim["kind"]
    if kind == "theorem-instance":
        return _oracle_theorem(problem, claim)
    if kind == "isolated-critical-point" and problem["kind"] == "relu-teacher":
        return _oracle_teacher(json.dumps(problem, sort_keys=True), json.dumps(claim, sort_keys=True))
    if kind == "isolated-critical-point":
        return _oracle_box(problem, claim)
    if kind == "complete-landscape":
        return _oracle_landscape(problem, claim)
    if kind in ("solver-attested", "sublevel-path") or problem["kind"] == "relu-teacher":
        return None
    try:
        m = Model(problem, claim["point"])
    except ValueError:
        return None
    if "loss" in claim and m.loss != _R(claim["loss"]):
        return False
    if any(g != 0 for g in m.grad):
        return False
    if kind == "critical-point":
        return True
    if kind in MORSE_BOTT_KINDS:
        return _oracle_morse_bott(m, kind, body)
    if kind in PRODUCT_KINDS:
        return _oracle_product(m, kind, body)
    neg, zero, pos = inertia(m.H)
    if kind == "strict-saddle":
        if neg == 0:
            return False
        return True if pos > 0 else (None if not _ascent_ok(m, body["ascent"]) else True)
    if kind == "local-min" or kind == "spurious-local-min":
        if neg > 0:
            return False
        if zero > 0:
            return None
        if kind == "local-min":
            return True
        return True if m.loss_at(body["witness"]) < m.loss else None
    if kind == "non-strict-saddle":
        if neg > 0 or zero == 0:
            return False
        lead = _leading(m.along(body["descent_curve"]))
        if lead is None or not (lead[1] < 0 or lead[0] % 2 == 1):
            return None
        if pos > 0 or lead[0] % 2 == 1:
            return True
        return True if "ascent" in body and _ascent_ok(m, body["ascent"]) else None
    if kind == "global-min":
        L = m.loss
        reg = problem.get("reg", 0)
        regs = [_R(v) for M_ in reg for r in M_ for v in r] if isinstance(reg, list) else [_R(reg)]
        if L == 0 and all(v >= 0 for v in regs):
            return True
        if problem["kind"] == "deep-linear" and all(v == 0 for v in regs):
            X, Y = _M(problem["X"]), _M(problem["Y"])
            P = X.T * (X * X.T).pinv() * X
            A = Y * P * Y.T
            r = min(problem["widths"])
            yy = sum(v**2 for v in Y)
            return _top_eigsum_leq(A, r, yy - 2 * L)
        return None
    return None


def _oracle_box(problem, claim):
    """1-parameter polynomial problems (relu: a box not containing w = 0, where every pre-activation w·x_j
    keeps its sign, so the loss is one polynomial): count the real roots of L' in the closed box exactly."""
    if nparams(problem) != 1 or problem["kind"] == "relu-teacher":
        return None
    c, r = _R(claim["centre"][0]), _R(claim["radius"][0])
    pattern = ()
    if problem.get("activation") == "relu":
        if c - r <= 0 <= c + r:
            return None
        pattern = relu_pattern(problem, [claim["centre"][0]])
        if pattern is None:
            return None
    S = _sym(json.dumps(problem, sort_keys=True), pattern)
    xs = S.xs
    grad = [sp.diff(S.L, xs[0])]
    H = sp.Matrix([[sp.diff(S.L, xs[0], 2)]])
    g = sp.Poly(grad[0], xs[0])
    if g.is_zero:
        return False
    roots = [z for z in sp.real_roots(g) if c - r <= z <= c + r]
    if len(set(roots)) != 1:
        return False
    if claim["minimum"]:
        return bool(H[0, 0].subs(xs[0], roots[0]) > 0) if H[0, 0].subs(xs[0], roots[0]) != 0 else None
    return True


# --------------------------------------------------------------------------- the oracle: theorem instances
def _reg_is_zero(problem):
    reg = problem.get("reg", 0)
    vals = [v for M_ in reg for r in M_ for v in r] if isinstance(reg, list) else [reg]
    return all(_R(v) == 0 for v in vals)


def sigma_matrix(problem):
    """Σ = Y Xᵀ (X Xᵀ)⁻¹ X Yᵀ of a deep-linear problem (sympy, exact; X Xᵀ must be invertible)."""
    X, Y = _M(problem["X"]), _M(problem["Y"])
    XYt = X * Y.T
    return XYt.T * (X * X.T).inv() * XYt


def kawaguchi_fails(problem):
    """The first hypothesis of Kawaguchi 2016, Theorem 2.3 that fails on `problem`, or None when all hold.
    Recomputed here in sympy: deep linear, Λ = 0, d_y ≤ d_x, rank(X Xᵀ) = d_x, rank(X Yᵀ) = d_y, and Σ has d_y
    distinct eigenvalues -- decided by the discriminant of det(tI − Σ) (not by a gcd with the derivative, as
    proofs/theorems.py does). Example: X = I₂, Y = diag(2, 1): Σ = diag(4, 1), disc = 9 ≠ 0, so None."""
    if problem.get("kind") != "deep-linear":
        return "deep linear"
    if not _reg_is_zero(problem):
        return "Λ = 0"
    dx, dy = problem["widths"][0], problem["widths"][-1]
    if dy > dx:
        return "d_y ≤ d_x"
    X, Y = _M(problem["X"]), _M(problem["Y"])
    if (X * X.T).rank() != dx:
        return "rank(X Xᵀ) = d_x"
    if (X * Y.T).rank() != dy:
        return "rank(X Yᵀ) = d_y"
    t = sp.Symbol("t")
    if dy >= 2 and sp.discriminant(sigma_matrix(problem).charpoly(t).as_expr(), t) == 0:
        return "distinct eigenvalues of Σ"
    return None


def laurent_von_brecht_fails(problem):
    """Laurent & von Brecht 2018: deep linear, Λ = 0, a convex loss, every hidden width ≥ min(d_x, d_y)."""
    if problem.get("kind") != "deep-linear":
        return "deep linear"
    if not _reg_is_zero(problem):
        return "Λ = 0"
    if not loss_convex(problem):
        return "convex loss"
    w = problem["widths"]
    return "hidden widths" if any(h < min(w[0], w[-1]) for h in w[1:-1]) else None


THEOREM_TABLE = {
    "kawaguchi-2016-theorem-2.3": (lambda problem, statement: statement == "no-spurious-local-min" or (
        statement == "strict-saddle" and len(problem["widths"]) == 3), kawaguchi_fails),
    "laurent-von-brecht-2018": (lambda problem, statement: statement in ("no-spurious-local-min",
                                                                         "depth-adds-no-bad-minima"),
                                laurent_von_brecht_fails),
    "scalar-product-open": (lambda problem, statement: statement == "depth-adds-no-bad-minima",
                            lambda problem: None if _reg_is_zero(problem) and set(problem["widths"]) == {1}
                            else "scalar layers, Λ = 0"),
}
"""The oracle's own reading of FORMAT.md's theorem table: id -> (concludes(problem, statement), first failing
hypothesis or None). Kawaguchi concludes strict-saddle only with one hidden layer (two weight matrices)."""


def _oracle_theorem(problem, claim):
    """True when the cited theorem concludes the statement and its hypotheses hold on the problem; False when it
    does not conclude it or a hypothesis fails (then the claim "S by T" is false -- S itself may still be true
    on the problem); None for a theorem this table does not know."""
    if claim.get("theorem") not in THEOREM_TABLE:
        return None
    concludes, fails = THEOREM_TABLE[claim["theorem"]]
    if problem.get("kind") != "deep-linear" or not concludes(problem, claim.get("statement")):
        return False
    return fails(problem) is None


# --------------------------------------------------------------------------- the oracle: products of deep minima
PRODUCT_KINDS = ("product-min", "spurious-product-min")


def _oracle_product(m, kind, body):
    """Deep-linear, Λ = 0: p (critical, checked by the caller) is a local minimum when R = W_H ⋯ W_1 is a strict
    local minimum of f(R) = ℓ(R X, Y) over all matrices (gradient 0, Hessian ≻ 0 by its characteristic polynomial;
    L = f ∘ π with π continuous). False when H(p) has a negative eigenvalue; None when R is not shown a strict
    minimum (p may still be a local minimum) or the witness is not lower."""
    problem = m.problem
    if problem["kind"] != "deep-linear" or not _reg_is_zero(problem):
        return None
    if spectrum_signs(m.H)[0]:
        return False
    w = problem["widths"]
    _, mats, _, _ = _symbolic_forward(problem, ())
    R = mats[0]
    for W in mats[1:]:
        R = W * R
    R = R.subs(dict(zip(sp.symbols(f"x0:{nparams(problem)}"), m.point)))
    shallow = {**problem, "widths": [w[0], w[-1]], "reg": "0"}
    s = Model(shallow, list(R))
    if any(g != 0 for g in s.grad) or spectrum_signs(s.H)[:2] != (0, 0):
        return None
    if kind == "product-min":
        return True
    return True if m.loss_at(body["witness"]) < m.loss else None


# --------------------------------------------------------------------------- the oracle: minima up to a symmetry
MORSE_BOTT_KINDS = ("morse-bott-min", "spurious-morse-bott-min", "spurious-rescaling-valley")


def spectrum_signs(H):
    """(neg, zero, pos) eigenvalue counts of a symmetric rational matrix from χ(t) = det(tI − H) alone: its roots
    are all real, so Descartes' rule of signs is exact -- pos = sign changes of χ(t), neg = those of χ(−t), zero =
    the multiplicity of t = 0. A route independent of `congruence` and of the kernel's. diag(2, 0): χ = t² − 2t,
    so (0, 1, 1)."""
    from sympy.polys.matrices import DomainMatrix

    high = DomainMatrix.from_Matrix(H).convert_to(sp.QQ).charpoly()
    low = list(reversed(high))
    zero = next(k for k, v in enumerate(low) if v != 0)

    def changes(cs):
        s = [v for v in cs if v != 0]
        return sum(1 for a, b in zip(s, s[1:]) if (a > 0) != (b > 0))

    pos, neg = changes(low), changes([v if k % 2 == 0 else -v for k, v in enumerate(low)])
    if neg + zero + pos != H.rows:
        raise ValueError("characteristic polynomial of a symmetric matrix is not real-rooted")
    return neg, zero, pos


def _family_polys(family):
    """(m, q, [P_i]) of a certificate family as sympy ring polynomials in s0..s{m-1} over QQ."""
    mpar = family["parameters"]
    Rs, *ss = sp.ring([f"s{j}" for j in range(mpar)], sp.QQ)

    def poly(terms):
        out = Rs.zero
        for ex, c in terms:
            term = Rs.one * _qq(c)
            for s_, e in zip(ss, ex):
                term *= s_**e
            out += term
        return out

    return mpar, poly(family["denominator"]), [poly(t) for t in family["numerator"]]


def family_spans_null(m, family, nullity):
    """Does θ(s) = P(s)/q(s) make ∇L vanish identically, pass through the point at s = 0 (q(0) ≠ 0), and have
    `nullity` independent tangents at 0 that H annihilates? The gradient identity is tested on homogenised
    numerators, q^D · g(P/q) = Σ_e c_e P^e q^(D − |e|) ≡ 0 for each ∂L/∂θ_i = g of degree D (sympy ring
    arithmetic, no sampling). The tangents are (∂_jP(0) q(0) − P(0) ∂_jq(0)) / q(0)²."""
    mpar, qs, Ps = _family_polys(family)
    zero = (0,) * mpar
    unit = [tuple(int(i == j) for i in range(mpar)) for j in range(mpar)]
    q0 = qs.get(zero, sp.QQ(0))
    if q0 == 0 or len(Ps) != len(m.point) or mpar != nullity:
        return False
    if any(_rat(P.get(zero, sp.QQ(0)) / q0) != v for P, v in zip(Ps, m.point)):
        return False
    T = sp.Matrix(mpar, len(Ps), lambda j, i: _rat((Ps[i].get(unit[j], sp.QQ(0)) * q0 - Ps[i].get(zero, sp.QQ(0))
                                                    * qs.get(unit[j], sp.QQ(0))) / q0**2))
    if T.rank() != mpar or any(v != 0 for v in m.H * T.T):
        return False
    qpow, ppow = {}, {}
    for g in m.S.grad:
        if g == 0:
            continue
        D = max(sum(mon[:-1]) for mon in g.monoms())
        acc = qs * 0
        for mon, c in g.terms():
            term = qpow.setdefault(D - sum(mon[:-1]), qs ** (D - sum(mon[:-1]))) * c
            for i, e in enumerate(mon[:-1]):
                if e:
                    term = term * ppow.setdefault((i, e), Ps[i] ** e)
            acc = term + acc
        if acc != 0:
            return False
    return True


def congruence_proves(H, M, nullity):
    """The test side's reading of a certificate congruence: M (rows of rational strings) invertible, M H Mᵀ
    diagonal with every entry ≥ 0 and exactly `nullity` zeros (Sylvester: H ⪰ 0 with that nullity)."""
    M = _M(M)
    if M.shape != H.shape or M.det() == 0:
        return False
    C = M * H * M.T
    D = [C[i, i] for i in range(C.rows)]
    return C.is_diagonal() and all(d >= 0 for d in D) and sum(1 for d in D if d == 0) == nullity


def _oracle_morse_bott(m, kind, body):
    """A critical point p (checked by the caller) with H ⪰ 0 is a local minimum when H ≻ 0, or when a critical
    family through p spans null(H) (Morse–Bott: FORMAT.md's argument); False when H has a negative eigenvalue;
    spurious- also needs a witness of lower loss. None: not decided (a PSD-singular H without such a family, a
    witness that is not lower, a relu problem) -- which does not mean p is not a (spurious) local minimum."""
    if m.pattern:
        return None
    neg, zero, _ = spectrum_signs(m.H)
    if neg:
        return False
    if zero and not (isinstance(body.get("family"), dict) and family_spans_null(m, body["family"], zero)):
        return None
    if kind == "morse-bott-min":
        return True
    if body.get("witness") is None or not m.loss_at(body["witness"]) < m.loss:
        return None
    return True if kind == "spurious-morse-bott-min" else valley_hypotheses(m.problem, m.point, zero)


def valley_hypotheses(problem, point, nullity):
    """The orbit lemma of verify/run/valley_route.py, re-read from the problem data: two-layer, trained output,
    σ = a t^k (k >= 1), Λ = 0, every unit live (w_i ≠ 0 and u_i ≠ 0), and dim null(H) = the width (the rescaling
    tangents, one per unit, are in null(H) by invariance and independent). False when one fails."""
    if problem["kind"] != "two-layer" or not problem.get("train_output") or problem["activation"] == "relu":
        return False
    if sum(_R(c) != 0 for c in problem["activation"]["poly"]) != 1 or _R(problem["activation"]["poly"][0]) != 0:
        return False
    reg = problem.get("reg", "0")
    if any(_R(v) != 0 for v in (sp.flatten(reg) if isinstance(reg, list) else [reg])):
        return False
    p, n, dy = _two_layer_shape(problem)
    pt = [_R(v) for v in point]
    live = all(any(pt[i * n + j] for j in range(n)) and any(pt[p * n + r * p + i] for r in range(dy))
               for i in range(p))
    return live and nullity == p


# --------------------------------------------------------------------------- the oracle: complete landscapes
LANDSCAPE_MAX_PARAMS = 4
"""The oracle decides complete landscapes of polynomial problems with at most this many parameters."""


def _is_polynomial(problem):
    return problem["kind"] == "deep-linear" or (problem["kind"] == "two-layer" and problem["activation"] != "relu")


def _grevlex_ring(problem, order):
    """(R, L, [∂L/∂y_k]) over QQ[y_0..y_{n-1}] in grevlex, y_0 > … > y_{n-1}, with y_k = θ_{order[k]} (sympy's ring;
    the loss from certlib's sympy model, not from proofs/)."""
    S = _sym(json.dumps(problem, sort_keys=True), ())
    R, *ys = sp.ring([str(S.xs[v]) for v in order], sp.QQ, sp.grevlex)
    L = R.from_expr(S.L) if S.L != 0 else R.zero
    return R, L, [L.diff(y) for y in ys]


def _standard_monomials(leads, n):
    """The exponent vectors divisible by no leading monomial (enumerated in the box below the pure powers); None if
    some variable has no pure power (an infinite quotient). [(2, 0), (0, 3)] -> the 6 monomials x^a y^b, a < 2,
    b < 3."""
    import itertools

    caps = []
    for k in range(n):
        pure = [e[k] for e in leads if e[k] > 0 and sum(e) == e[k]]
        if not pure:
            return None
        caps.append(min(pure))
    return [m for m in itertools.product(*(range(c) for c in caps))
            if not any(all(a >= b for a, b in zip(m, e)) for e in leads)]


def _qq_matrix(rows, n):
    from sympy.polys.matrices import DomainMatrix

    return DomainMatrix(rows, (n, len(rows[0]) if rows else 0), sp.QQ)


class _Quotient:
    """A = QQ[y]/I for I = ⟨polys⟩: the reduced grevlex Gröbner basis G (sympy's Buchberger, not FLINT's), the standard
    monomials B and multiplication matrices M_f (column j = coordinates of NF(f·b_j)). dim A = |B| counts the zeros of
    a zero-dimensional I with multiplicity (Cox, Little & O'Shea, IVA §5.3, Thm 6; §2.4), and the joint eigenvalues of
    the M_{y_k} are the zeros (Stickelberger). `basis` is None when I is not zero-dimensional."""

    def __init__(self, R, polys):
        from sympy.polys.groebnertools import groebner

        self.R, self.G = R, groebner([p for p in polys if p], R)
        self.basis = [] if self.G == [R.one] else _standard_monomials([g.LM for g in self.G], R.ngens)
        if self.basis is not None:
            self.index = {m: i for i, m in enumerate(self.basis)}
            self.D = len(self.basis)
            self.mult = [self.matrix_of(y) for y in R.gens]

    def coords(self, f):
        """Coordinates of NF(f) on the standard monomials."""
        v = [sp.QQ(0)] * self.D
        for m, c in f.rem(self.G).terms():
            v[self.index[m]] = c
        return v

    def matrix_of(self, f):
        """The matrix of multiplication by f on A."""
        return _qq_matrix([self.coords(f * self.R({m: 1})) for m in self.basis], self.D).transpose()


def _univariate(coeffs):
    """A list of QQ coefficients, highest degree first, as a sympy Poly in t."""
    return sp.Poly([_rat(c) for c in coeffs], sp.Symbol("t"))


@lru_cache(maxsize=64)
def landscape_quotient(problem_json):
    """(Q, L): the quotient by the radical √⟨∇L⟩ (parameter order) and L in its ring; None when ∇L = 0 has
    infinitely many complex solutions. The radical by Seidenberg's lemma (IVA §4.2, Prop. 2.7; Kreuzer & Robbiano
    3.7.15): I + ⟨sqf χ_k(y_k)⟩, χ_k the characteristic polynomial of M_{y_k} (in I by Cayley–Hamilton), so
    Q.D counts the DISTINCT complex critical points. Example: L = ½(ab − 2)² + (a² + b²)/6 gives D = 5."""
    problem = json.loads(problem_json)
    R, L, grads = _grevlex_ring(problem, tuple(range(nparams(problem))))
    Q = _Quotient(R, grads)
    if Q.basis is None:
        return None
    sqf = [_univariate(M.charpoly()).sqf_part() for M in Q.mult]
    if Q.D and all(s.degree() < Q.D for s in sqf):    # no M_{y_k} with D distinct eigenvalues: maybe not radical
        Q = _Quotient(R, grads + [sum((R.gens[k] ** e * _qq(c) for (e,), c in s.terms()), R.zero)
                                  for k, s in enumerate(sqf)])
    return Q, L


def separating_form(Q):
    """(c, χ_u, r): a linear form u = Σ c_k y_k with D distinct values on the zeros (its characteristic polynomial χ_u
    square-free) and the shape-lemma coordinates y_k ≡ r_k(u) mod √I (r_k: QQ coefficients, lowest degree first),
    from the Krylov system [v, M_u v, …, M_u^{D−1} v] a = M_{y_k} v, v = NF(1). None if no form of a fixed list
    separates (then the oracle says unknown)."""
    import random

    n, rng = Q.R.ngens, random.Random(7)
    one = _qq_matrix([[c] for c in Q.coords(Q.R.one)], Q.D)
    for c in [[1] * n, [1, 2, 3, 5][:n], [1, -3, 7, 11][:n]] + [[rng.randint(-20, 20) for _ in range(n)]
                                                                for _ in range(12)]:
        Mu = Q.matrix_of(sum((y * c_ for y, c_ in zip(Q.R.gens, c)), Q.R.zero))
        chi = _univariate(Mu.charpoly())
        if sp.gcd(chi, chi.diff()).degree() > 0:
            continue
        cols, v = [], one
        for _ in range(Q.D):
            cols.append([v[i, 0].element for i in range(Q.D)])
            v = Mu * v
        K = _qq_matrix(cols, Q.D).transpose()
        return c, chi, [[x[j, 0].element for j in range(Q.D)] for x in (K.lu_solve(M * one) for M in Q.mult)]
    return None


def hermite_signature(Q):
    """(rank, signature) of Hermite's trace form Tr(M_{b_i b_j}) on A: the number of distinct complex zeros and of
    real zeros (Hermite 1856; Basu, Pollack & Roy, Algorithms in Real Algebraic Geometry, Thm 4.102). An exact count
    of the real critical points that shares nothing with the root isolation of χ_u."""
    mons = [Q.matrix_of(Q.R({m: 1})) for m in Q.basis]
    flat = [[M[i, j].element for i in range(Q.D) for j in range(Q.D)] for M in mons]
    tr = [[M[j, i].element for i in range(Q.D) for j in range(Q.D)] for M in mons]
    T = sp.Matrix(Q.D, Q.D, lambda a, b: _rat(sum((x * y for x, y in zip(flat[a], tr[b])), sp.QQ(0))))
    neg, _, pos = spectrum_signs(T)
    return pos + neg, pos - neg


def _horner(coeffs, z):
    """Σ coeffs[j] z^j (QQ coefficients, lowest degree first) at an mpmath number."""
    import mpmath as mp

    acc = mp.mpf(0)
    for c in reversed(coeffs):
        acc = acc * z + mp.mpf(int(c.numerator)) / int(c.denominator)
    return acc


@lru_cache(maxsize=64)
def _mp_model(problem_json):
    """mpmath callables (∇L, Hessian, L) of a polynomial problem, in parameter order (sympy lambdify)."""
    S = _sym(problem_json, ())
    g = [sp.diff(S.L, x) for x in S.xs]
    f = lambda e: sp.lambdify(S.xs, e, "mpmath")  # noqa: E731
    return f(g), f([[sp.diff(gi, x) for x in S.xs] for gi in g]), f(S.L)


def _polish(problem_json, p, steps=6):
    """Newton on ∇L = 0 from p at the current mpmath precision: (point, max |∇L| there)."""
    import mpmath as mp

    grad, hess, _ = _mp_model(problem_json)
    x = mp.matrix(p)
    for _ in range(steps):
        x = x - mp.lu_solve(mp.matrix(hess(*x)), mp.matrix(grad(*x)))
    return list(x), max(abs(v) for v in grad(*x))


def _level_classes(Q, L, levels):
    """Which numerical levels (≈ L at the real critical points) are EQUAL, decided exactly: every level is a root of
    χ_L, the characteristic polynomial of M_L on A; each value is matched to the one isolating interval (width
    ≤ 10⁻⁴⁰) of a real root of sqf(χ_L) that holds it. One class index per level, ascending with the level; None when
    a value matches no interval or two."""
    import mpmath as mp

    chi = _univariate(Q.matrix_of(L).charpoly()).sqf_part()
    out = []
    with mp.workdps(100):
        ivs = [(mp.mpf(a.p) / a.q, mp.mpf(b.p) / b.q) for (a, b), _ in chi.intervals(eps=sp.Rational(1, 10**40))]
        tol = mp.mpf(10) ** -60
        for v in levels:
            hit = [i for i, (a, b) in enumerate(ivs) if a - tol <= v <= b + tol]
            if len(hit) != 1:
                return None
            out.append(hit[0])
    return out


@lru_cache(maxsize=64)
def landscape_facts(problem_json):
    """The oracle's landscape of a polynomial problem with ≤ LANDSCAPE_MAX_PARAMS parameters: "infinite" (∇L = 0 not
    zero-dimensional over C), or {"D": distinct complex critical points, "R": real ones, "kinds": "min" | "saddle" |
    "degenerate" per real point, "levels": equal-level class per real point (ascending)}; None when undecided (too
    many parameters, no separating form, Newton or the level matching failed).

    D is exact (sympy Gröbner basis of the radical); R is exact twice over (Sturm isolation of χ_u's real roots and
    Hermite's signature, which must agree); the real points are the shape-lemma coordinates at those roots, polished
    by Newton at 100 digits (and required to stay in their root's isolating interval of width 10⁻⁸⁰); "min" / "saddle"
    is the smallest Hessian eigenvalue > 10⁻³⁰ / < −10⁻³⁰ (mpmath eigsy), else "degenerate"."""
    problem = json.loads(problem_json)
    if not _is_polynomial(problem) or nparams(problem) > LANDSCAPE_MAX_PARAMS:
        return None
    got = landscape_quotient(problem_json)
    if got is None:
        return "infinite"
    Q, L = got
    if Q.D == 0:
        return {"D": 0, "R": 0, "kinds": [], "levels": []}
    sep = separating_form(Q)
    if sep is None:
        return None
    c, chi, r = sep
    ivs = [iv for iv, _ in chi.intervals(eps=sp.Rational(1, 10**80))]
    rank, signature = hermite_signature(Q)
    if (rank, signature) != (Q.D, len(ivs)):
        raise AssertionError(f"oracle: Hermite (rank, signature) = {(rank, signature)}, Sturm {(Q.D, len(ivs))}")
    try:
        kinds, levels = _classify_real_roots(problem_json, c, r, ivs)
    except (ZeroDivisionError, ValueError):      # a singular Newton step: undecided
        return None
    if kinds is None:
        return None
    classes = _level_classes(Q, L, levels)
    return None if classes is None else {"D": Q.D, "R": len(ivs), "kinds": kinds, "levels": classes}


def _classify_real_roots(problem_json, c, r, ivs):
    """(kinds, levels) at the real points r(ρ), one per isolating interval of a real root ρ of χ_u; (None, None) when
    Newton does not settle or leaves the root's interval (u = Σ c_k θ_k must stay within 10⁻⁶⁰ of it)."""
    import mpmath as mp

    _, hess, loss_fn = _mp_model(problem_json)
    kinds, levels = [], []
    with mp.workdps(100):
        tol, near = mp.mpf(10) ** -30, mp.mpf(10) ** -60
        for a, b in ivs:
            lo, hi = mp.mpf(a.p) / a.q, mp.mpf(b.p) / b.q
            p, res = _polish(problem_json, [_horner(rk, (lo + hi) / 2) for rk in r])
            u = mp.fsum(ck * x for ck, x in zip(c, p))
            if res > mp.mpf(10) ** -80 or not lo - near <= u <= hi + near:
                return None, None
            low = min(mp.eigsy(mp.matrix(hess(*p)), eigvals_only=True))
            kinds.append("min" if low > tol else "saddle" if low < -tol else "degenerate")
            levels.append(loss_fn(*p))
    return kinds, levels


def _oracle_landscape(problem, claim):
    """A complete-landscape claim against landscape_facts: False when D or R differs, when the minima / saddles
    differ (or do not add up to R), or -- for strict-saddle and no-spurious-local-min -- when some strict local
    minimum lies above the lowest real critical level (it is not global: that lower point exists). True for those
    statements only when, moreover, L is coercive (every Λ entry > 0, so the global minimum is attained at a real
    critical point, the lowest one): CONTRACT.md's strict-saddle (every critical point that is not a global minimum
    has a negative Hessian eigenvalue) and no-spurious-local-min (every local minimum is global) then both hold.
    None when undecided: a degenerate real critical point, no coercivity, an instance beyond the oracle."""
    facts = landscape_facts(json.dumps(problem, sort_keys=True))
    counts = [claim.get(k) for k in ("critical_points", "real", "minima", "saddles")]
    if facts is None or claim.get("statement") not in ("count", "strict-saddle", "no-spurious-local-min") or not all(
            type(v) is int for v in counts):
        return None
    if facts == "infinite" or counts[:2] != [facts["D"], facts["R"]] or counts[2] + counts[3] != counts[1]:
        return False
    kinds, levels = facts["kinds"], facts["levels"]
    if "degenerate" in kinds:
        return None
    if counts[2:] != [kinds.count("min"), kinds.count("saddle")]:
        return False
    if claim["statement"] == "count":
        return True
    if not levels:
        return None
    if any(k == "min" and lv > min(levels) for k, lv in zip(kinds, levels)):
        return False
    return True if all(v > 0 for v in _reg_flat(problem)) else None


# --------------------------------------------------------------------------- builders
def cert_for_point(problem, point, kind=None, extra_claim=None):
    """A valid certificate for the exact class of a critical `point` (strict saddle / local-min), or None."""
    m = Model(problem, point)
    if any(g != 0 for g in m.grad):
        return None
    M, D = congruence(m.H)
    claim = {"kind": None, "point": qv(m.point), "loss": q(m.loss)}
    neg = [i for i, d in enumerate(D) if d < 0]
    pos = [i for i, d in enumerate(D) if d > 0]
    if neg and pos:
        claim["kind"] = "strict-saddle"
        body = {"kind": "strict-saddle", "direction": qv(M.row(neg[0])),
                "ascent": {"direction": qv(M.row(pos[0]))}}
    elif not neg and not any(d == 0 for d in D):
        claim["kind"] = "local-min"
        body = {"kind": "local-min", "congruence": qm(M.tolist())}
    else:
        return None
    if kind is not None and kind != claim["kind"]:
        return None
    claim.update(extra_claim or {})
    return make_cert(problem, claim, body)


def _reg_flat(problem):
    w = problem
    if w["kind"] == "deep-linear":
        ws = w["widths"]
        shapes = [(ws[i], ws[i - 1]) for i in range(1, len(ws))]
    else:
        shapes = [(w["width"], w["n"])] + ([(len(w["Y"]), w["width"])] if w["train_output"] else [])
    return [v for M_ in _reg_mats(problem, shapes) for v in M_]


def critical_problem(problem, point, unknowns):
    """Solve ∇L(point) = 0 (linear in Y) for the listed Y entries (i, j); the other unknowns... returns a new
    problem with a rational Y making `point` critical, or None."""
    ys = sp.symbols(f"y0:{len(unknowns)}")
    Ysym = _M(problem["Y"]).as_mutable()
    for (i, j), y in zip(unknowns, ys):
        Ysym[i, j] = y
    A = _outputs(problem, point)
    lam = _reg_flat(problem)
    grads = []
    for k in range(nparams(problem)):
        dA = _outputs_diff(problem, point, k)
        g = sum((A[i, j] - Ysym[i, j]) * dA[i, j] for i in range(A.rows) for j in range(A.cols))
        grads.append(sp.expand(g + lam[k] * _R(point[k])))
    sol = sp.solve(grads, ys, dict=True)
    if not sol:
        return None
    out = copy.deepcopy(problem)
    for (i, j), y in zip(unknowns, ys):
        val = sp.sympify(sol[0].get(y, y)).subs({s_: 0 for s_ in ys})
        out["Y"][i][j] = q(val)
    return out


@lru_cache(maxsize=256)
def _outputs_sym_cached(problem_json, pattern):
    xs, _, _, A = _symbolic_forward(json.loads(problem_json), pattern)
    return xs, A.applyfunc(sp.expand)


def _outputs_sym(problem, pattern=()):
    return _outputs_sym_cached(json.dumps(problem, sort_keys=True), pattern)[1]


def _outputs(problem, point):
    pat = relu_pattern(problem, point) or ()
    xs, A = _outputs_sym_cached(json.dumps(problem, sort_keys=True), pat)
    return A.subs(dict(zip(xs, [_R(v) for v in point])))


def _outputs_diff(problem, point, k):
    pat = relu_pattern(problem, point) or ()
    xs, A = _outputs_sym_cached(json.dumps(problem, sort_keys=True), pat)
    return A.diff(xs[k]).subs(dict(zip(xs, [_R(v) for v in point])))


# --------------------------------------------------------------------------- a pool of valid certificates
def _rand_q(rng, lo=-3, hi=3, dens=(1, 2)):
    return Fraction(rng.randint(lo * 4, hi * 4), 4) if rng.random() < 0.5 else Fraction(rng.randint(lo, hi),
                                                                                        rng.choice(dens))


def _rand_mat(rng, r, c, **kw):
    return [[str(_rand_q(rng, **kw)) for _ in range(c)] for _ in range(r)]


def _deep_origin(rng, depth):
    widths = [rng.randint(1, 2) for _ in range(depth + 1)]
    m = rng.randint(1, 3)
    prob = {"kind": "deep-linear", "widths": widths, "X": _rand_mat(rng, widths[0], m),
            "Y": _rand_mat(rng, widths[-1], m), "reg": 0}
    N = nparams(prob)
    if depth == 2:
        return cert_for_point(prob, [0] * N)
    m_ = Model(prob, [0] * N)
    for _ in range(20):
        c = [str(_rand_q(rng, -2, 2)) for _ in range(N)]
        lead = _leading(m_.along([c]))
        if lead and lead[0] % 2 == 1:
            return make_cert(prob, {"kind": "non-strict-saddle", "point": ["0"] * N},
                             {"kind": "non-strict-saddle", "congruence": qm(sp.eye(N).tolist()),
                              "descent_curve": [c]})
    return None


def _zero_loss(rng):
    widths = [rng.randint(1, 2) for _ in range(rng.randint(2, 4))]
    m = rng.randint(1, 3)
    prob = {"kind": "deep-linear", "widths": widths, "X": _rand_mat(rng, widths[0], m), "Y": None, "reg": 0}
    N = nparams(prob)
    point = [str(_rand_q(rng, -2, 2)) for _ in range(N)]
    prob["Y"] = [["0"] * m for _ in range(widths[-1])]
    prob["Y"] = [[q(v) for v in row] for row in _outputs(prob, point).tolist()]
    return make_cert(prob, {"kind": "global-min", "point": point, "loss": "0"},
                     {"kind": "global-min", "route": "zero-loss"})


def rank_dual_cert(prob):
    """Exact Ky Fan dual certificate and a global minimiser for a reg-free deep-linear problem whose
    A = YΠYᵀ has rational eigenvalues and X full row rank; None otherwise."""
    X, Y = _M(prob["X"]), _M(prob["Y"])
    if X.rank() != X.rows:
        return None
    P = X.T * (X * X.T).inv() * X
    A = Y * P * Y.T
    r, d = min(prob["widths"]), A.rows
    ev = A.eigenvects()
    if any(not lam.is_rational for lam, _, _ in ev):
        return None
    ev.sort(key=lambda t: -t[0])
    lams = [lam for lam, mult, _ in ev for _ in range(mult)]
    if r < d and lams[r - 1] == lams[r]:
        return None   # tie at the cut: skip (still provable, but the builder keeps it simple)
    mu = lams[r] if r < d else sp.Integer(0)
    Z, Ptop = sp.zeros(d, d), sp.zeros(d, d)
    for lam, _mult, vecs in ev:
        B = sp.Matrix.hstack(*vecs)
        Pi = B * (B.T * B).inv() * B.T
        if lam > mu:
            Z += (lam - mu) * Pi
            Ptop += Pi
    Mstar = Ptop * Y * X.T * (X * X.T).inv()
    widths = prob["widths"]
    k = Mstar.rank()
    if k == 0:
        return None
    cols = Mstar.columnspace()
    C = sp.Matrix.hstack(*cols)                        # d_y × k
    R = (C.T * C).inv() * C.T * Mstar                  # k × d_x, Mstar = C R
    mats = []
    H = len(widths) - 1
    for i in range(1, H + 1):
        W = sp.zeros(widths[i], widths[i - 1])
        for a in range(k):
            if i == 1:
                W[a, :] = R[a, :]
            elif i == H:
                W[:, a] = C[:, a]
            else:
                W[a, a] = 1
        if H == 1:
            W = Mstar
        mats.append(W)
    point = [v for W in mats for v in W]
    MZ, _ = congruence(Z)
    G = Z + mu * sp.eye(d) - A
    MG, _ = congruence(G)
    m = Model(prob, point)
    return make_cert(prob, {"kind": "global-min", "point": qv(point), "loss": q(m.loss)},
                     {"kind": "global-min", "route": "rank-dual", "mu": q(mu), "Z": qm(Z.tolist()),
                      "Z_congruence": qm(MZ.tolist()), "gap_congruence": qm(MG.tolist())})


def _rot(rng):
    a, b, c = rng.choice([(3, 4, 5), (5, 12, 13), (8, 15, 17), (7, 24, 25)])
    s = rng.choice([1, -1])
    return sp.Matrix([[sp.Rational(a, c), -s * sp.Rational(b, c)], [sp.Rational(b, c), s * sp.Rational(a, c)]])


def _rank_dual(rng):
    s1, s2 = rng.sample([1, 2, 3, 4, 5], 2)
    Q, Qp = _rot(rng), _rot(rng)
    Y = Q * sp.diag(s1, s2) * Qp.T
    widths = [2] + [1] * rng.randint(1, 2) + [2]
    prob = {"kind": "deep-linear", "widths": widths, "X": [["1", "0"], ["0", "1"]], "Y": qm(Y.tolist()),
            "reg": 0}
    if rng.random() < 0.5:   # a non-trivial X: Y' = Y G, X' = G^{-1}... keep Π = I by using square X
        G = sp.Matrix([[1, rng.randint(-2, 2)], [0, 1]])
        prob["X"] = qm(G.tolist())
        prob["Y"] = qm((Y * G).tolist())
    return rank_dual_cert(prob)


def _poly_critical(rng, relu=False):
    n, p = rng.randint(1, 2), rng.randint(1, 2)
    train = rng.random() < 0.4 and not relu
    dy = 1
    N = p * n + (dy * p if train else 0)
    m = N + 1
    act = "relu" if relu else {"poly": [str(_rand_q(rng, -1, 1)) for _ in range(rng.randint(2, 4))]}
    prob = {"kind": "two-layer", "n": n, "width": p, "activation": act, "X": _rand_mat(rng, n, m),
            "Y": [["0"] * m], "train_output": train, "output": None if train else _rand_mat(rng, dy, p),
            "reg": rng.choice([0, 0, "1/10", "1/2"])}
    point = [str(_rand_q(rng, -2, 2)) for _ in range(N)]
    if relu_pattern(prob, point) is None:
        return None
    prob = critical_problem(prob, point, [(0, j) for j in range(m)])
    if prob is None:
        return None
    c = cert_for_point(prob, point)
    if c is None or c["claim"]["kind"] != "local-min":
        return c
    mdl = Model(prob, point)
    f = sp.lambdify(mdl.xs, mdl.L) if mdl.pattern == () else None
    cands = [[rng.uniform(-3, 3) for _ in range(N)] for _ in range(400)] if f else []
    cands.sort(key=lambda w: f(*w))
    for w in cands[:3]:
        w = [str(Fraction(v).limit_denominator(8)) for v in w]
        if mdl.loss_at(w) < mdl.loss:
            c2 = copy.deepcopy(c)
            c2["claim"]["kind"] = c2["body"]["kind"] = "spurious-local-min"
            c2["body"]["witness"] = w
            return c2
    return c


def _box(rng):
    """1-parameter polynomial net with a rational critical point and a small Krawczyk box."""
    for _ in range(20):
        c = _poly_critical(rng)
        if c is None or len(c["claim"]["point"]) != 1:
            continue
        prob = c["problem"]
        m = Model(prob, c["claim"]["point"])
        h = m.H[0, 0]
        if h == 0:
            continue
        centre = m.point[0] + sp.Rational(rng.randint(-3, 3), 10**6)
        claim = {"kind": "isolated-critical-point", "centre": [q(centre)], "radius": [q(sp.Rational(1, 1000))],
                 "minimum": bool(h > 0)}
        body = {"kind": "isolated-critical-point", "preconditioner": [[q(1 / h)]]}
        if h > 0:
            body["congruence"] = [["1"]]
        return make_cert(prob, claim, body)
    return None


@lru_cache(maxsize=1)
def build_pool(seed=20240613, size=56):
    """Deterministic list of valid certificates of every exactly-checkable kind (built with sympy; ~30 s).
    Stored as tests/soundness/data/pool.json by `python tests/soundness/build_fixtures.py`."""
    import random

    rng = random.Random(seed)
    makers = [lambda: _deep_origin(rng, 2), lambda: _deep_origin(rng, 3), lambda: _zero_loss(rng),
              lambda: _rank_dual(rng), lambda: _poly_critical(rng), lambda: _poly_critical(rng, relu=True),
              lambda: _box(rng)]
    out = []
    while len(out) < size:
        c = makers[len(out) % len(makers)]()
        if c is not None:
            out.append(c)
    return out


def pool():
    """The stored pool (tests/soundness/data/pool.json)."""
    import pathlib

    return json.loads((pathlib.Path(__file__).parent / "data" / "pool.json").read_text())


# ------------------------------------------------------------------ builders: theorem instances, symmetry families
def sigma_charpoly(problem):
    """det(tI − Σ) as rational strings, lowest degree first (FORMAT.md's `charpoly` hint)."""
    t = sp.Symbol("t")
    return [q(c) for c in reversed(sigma_matrix(problem).charpoly(t).all_coeffs())]


def theorem_cert(problem, theorem, statement, hint=False, meta=None):
    """A theorem-instance certificate (valid when the theorem applies), with Σ's charpoly as a hint if asked."""
    body = {"kind": "theorem-instance"}
    if hint:
        body["charpoly"] = sigma_charpoly(problem)
    return make_cert(problem, {"kind": "theorem-instance", "theorem": theorem, "statement": statement}, body, meta)


def _terms(poly):
    """A sympy ring polynomial as FORMAT.md's terms [[exponents], "p/q"], exponents in descending order."""
    return [[list(ex), q(_rat(c))] for ex, c in sorted(poly.terms(), reverse=True)]


def _two_layer_shape(problem):
    return problem["width"], problem["n"], len(problem["Y"])


def dead_unit_family(problem, point, unit):
    """θ(s) = p + Σ_j s_j e(u[j][unit]): translations of a dead unit's output weights (w_unit = 0 and
    σ(0) = σ′(0) = 0, so the unit's output is 0 and stays critical). m = d_y, q = 1."""
    p, n, dy = _two_layer_shape(problem)
    Rs, *ss = sp.ring([f"s{j}" for j in range(dy)], sp.QQ)
    num = [Rs.one * _qq(v) for v in point]
    for j, s_ in enumerate(ss):
        num[p * n + j * p + unit] += s_
    return dy, Rs.one, num


def rescaling_family(problem, point, units, k):
    """c_a = 1 + s_a for each listed unit: (c_a w_a, u_a / c_a^k) leaves u σ(w x) unchanged for σ(t) = a t^k. One
    denominator q = Π (1 + s_a)^k, so θ = P/q with P_w = c_a w q, P_u = u q / c_a^k, P = p q elsewhere."""
    p, n, dy = _two_layer_shape(problem)
    Rs, *ss = sp.ring([f"s{j}" for j in range(len(units))], sp.QQ)
    cs = [Rs.one + s_ for s_ in ss]
    qd = Rs.one
    for c in cs:
        qd *= c**k
    num = [qd * _qq(v) for v in point]
    for c, unit in zip(cs, units):
        for i in range(n):
            num[unit * n + i] *= c
        for j in range(dy):
            num[p * n + j * p + unit] = num[p * n + j * p + unit].exquo(c**k)
    return len(units), qd, num


def morse_bott_cert(problem, point, family, witness=None, meta=None, valley=False):
    """A (spurious-)morse-bott-min certificate: the family (m, q, P) as built above and the test-side congruence
    of H; None unless the point is critical with H ⪰ 0 of nullity m (and the witness, if given, is lower).
    valley: the kind `spurious-rescaling-valley` (same body; a witness needed)."""
    mdl = Model(problem, point)
    mpar, qs, Ps = family
    if any(g != 0 for g in mdl.grad):
        return None
    M, D = congruence(mdl.H)
    if any(d < 0 for d in D) or sum(1 for d in D if d == 0) != mpar:
        return None
    if witness is not None and not mdl.loss_at(witness) < mdl.loss:
        return None
    kind = "morse-bott-min" if witness is None else "spurious-rescaling-valley" if valley else "spurious-morse-bott-min"
    body = {"kind": kind, "family": {"parameters": mpar, "denominator": _terms(qs),
                                     "numerator": [_terms(P) for P in Ps]}, "congruence": qm(M.tolist())}
    if witness is not None:
        body["witness"] = qv(witness)
    return make_cert(problem, {"kind": kind, "point": qv(mdl.point), "loss": q(mdl.loss)}, body, meta)


def _lower_witness(rng, mdl, tries=60):
    for _ in range(tries):
        w = [str(_rand_q(rng, -2, 2)) for _ in mdl.point]
        if mdl.problem.get("activation") == "relu" and relu_pattern(mdl.problem, w) is None:
            continue
        if mdl.loss_at(w) < mdl.loss:
            return w
    return None


def _kawaguchi_instance(rng, i):
    """The i-th Kawaguchi instance: 2, 3, 2, 1, 4, … weight matrices; strict-saddle for every other H = 2 one."""
    H = [2, 3, 2, 1, 4][i % 5]
    dx = rng.randint(1, 3)
    dy = rng.randint(1, dx)
    widths = [dx] + [rng.randint(1, 3) for _ in range(H - 1)] + [dy]
    m = dx + rng.randint(0, 1)
    prob = {"kind": "deep-linear", "widths": widths, "X": _rand_mat(rng, dx, m), "Y": _rand_mat(rng, dy, m),
            "reg": "0"}
    if kawaguchi_fails(prob) is not None:
        return None
    statement = "strict-saddle" if H == 2 and i % 4 == 0 else "no-spurious-local-min"
    return theorem_cert(prob, "kawaguchi-2016-theorem-2.3", statement, hint=i % 2 == 0)


def _lvb_instance(rng, _i):
    """Laurent–von Brecht instances (no data hypotheses); about half have a zero row of Y, so that Kawaguchi's
    rank(X Yᵀ) = d_y fails there, and d_y > d_x fails it in others."""
    dx, dy = rng.randint(1, 3), rng.randint(1, 3)
    low = min(dx, dy)
    widths = [dx] + [rng.randint(low, 3) for _ in range(rng.randint(1, 2))] + [dy]
    m = dx + rng.randint(0, 1)
    Y = _rand_mat(rng, dy, m)
    if rng.random() < 0.5:
        Y[0] = ["0"] * m
    prob = {"kind": "deep-linear", "widths": widths, "X": _rand_mat(rng, dx, m), "Y": Y, "reg": "0"}
    return theorem_cert(prob, "laurent-von-brecht-2018", "no-spurious-local-min")


def _dead_unit_instance(rng, _i):
    n, dy = rng.randint(1, 2), rng.randint(1, 2)
    mdata = rng.randint(1, 3)
    act = ["0", "0", str(_rand_q(rng, -2, 2))] + ([str(_rand_q(rng, -1, 1))] if rng.random() < 0.5 else [])
    prob = {"kind": "two-layer", "n": n, "width": 1, "activation": {"poly": act}, "X": _rand_mat(rng, n, mdata),
            "Y": _rand_mat(rng, dy, mdata), "train_output": True, "output": None, "reg": "0"}
    point = ["0"] * n + [str(_rand_q(rng, -2, 2)) for _ in range(dy)]
    if act[2] == "0" or any(v == "0" for v in point[n:]):
        return None
    w = _lower_witness(rng, Model(prob, point))
    return morse_bott_cert(prob, point, dead_unit_family(prob, point, 0), w)


def _rescaling_instance(rng, _i):
    """σ(t) = a t^k, one live unit, d_y = 1: a critical point with residual r in the left null space of the
    output Jacobian J (so ∇L = Jᵀr = 0), r = 0 (a zero-loss global minimum) or small."""
    n, k = rng.randint(1, 2), rng.randint(2, 3)
    N = n + 1
    mdata = N + 1
    act = ["0"] * k + [str(_rand_q(rng, -2, 2))]
    prob = {"kind": "two-layer", "n": n, "width": 1, "activation": {"poly": act}, "X": _rand_mat(rng, n, mdata),
            "Y": [["0"] * mdata], "train_output": True, "output": None, "reg": "0"}
    point = [str(_rand_q(rng, -2, 2)) for _ in range(N)]
    if act[-1] == "0" or "0" in point:
        return None
    A = _outputs(prob, point)
    J = sp.Matrix.hstack(*[_outputs_diff(prob, point, i).T for i in range(N)])
    r = sp.zeros(mdata, 1)
    if rng.random() < 0.6 and J.T.nullspace():
        r = J.T.nullspace()[0] * sp.Rational(rng.choice([1, -1]), rng.choice([10, 20]))
    prob["Y"] = [[q(A[0, j] - r[j]) for j in range(mdata)]]
    w = _lower_witness(rng, Model(prob, point)) if r != sp.zeros(mdata, 1) else None
    return morse_bott_cert(prob, point, rescaling_family(prob, point, [0], k), w,
                           valley=w is not None and rng.random() < 0.5)


@lru_cache(maxsize=1)
def new_kind_pool(seed=20250117, per_maker=5):
    """Deterministic valid certificates of the theorem-instance and Morse–Bott kinds (sympy, about a second):
    Kawaguchi and Laurent–von Brecht instances, dead-unit and rescaling families."""
    import random

    rng = random.Random(seed)
    out = []
    for maker in (_kawaguchi_instance, _lvb_instance, _dead_unit_instance, _rescaling_instance):
        made = 0
        for _ in range(200):
            c = maker(rng, made)
            if c is not None:
                out.append(c)
                made += 1
                if made == per_maker:
                    break
    return out


# --------------------------------------------------------------------------- builders: complete landscapes
def landscape_points(problem):
    """Every complex critical point of a polynomial problem with a finite, radical critical ideal, in parameter order
    (mpmath mpc, 100 digits): the roots of χ_u (mpmath polyroots) mapped through the shape-lemma coordinates and
    polished by Newton. The R points with real u are returned with im exactly 0 (R by Sturm, as in the oracle)."""
    import mpmath as mp

    text = json.dumps(problem, sort_keys=True)
    Q, _ = landscape_quotient(text)
    c, chi, r = separating_form(Q)
    R = len(chi.intervals())
    with mp.workdps(100):
        roots = mp.polyroots([mp.mpf(int(sp.numer(a))) / int(sp.denom(a)) for a in chi.all_coeffs()], maxsteps=400,
                             extraprec=600)
        roots = sorted(roots, key=lambda z: abs(mp.im(z)))
        out = []
        for k, z in enumerate(roots):
            z = mp.re(z) if k < R else z
            p, res = _polish(text, [_horner(rk, z) for rk in r])
            if res > mp.mpf(10) ** -80 or (k < R and any(mp.im(v) != 0 for v in p)):
                raise ValueError(f"Newton did not settle at root {k}")
            out.append(p)
    return out


def _compose(g, h):
    """(g∘h)θ for signed permutations as lists of (j, s): (gθ)_i = s θ_j."""
    return tuple((h[j][0], s * h[j][1]) for j, s in g)


def _orbit_group(symmetries, n):
    """The group the signed permutations generate (closure under composition), identity included."""
    group, todo = {tuple((i, 1) for i in range(n))}, [tuple(map(tuple, g)) for g in symmetries]
    while todo:
        g = todo.pop()
        if g not in group:
            group.add(g)
            todo += [_compose(g, h) for h in list(group)] + [_compose(h, g) for h in list(group)]
    return group


def _dec(x, digits=50):
    """An mpmath real as a short exact rational (its decimal expansion to `digits` significant digits); 0 below
    10⁻⁴⁰."""
    import mpmath as mp

    return Fraction(0) if abs(x) < mp.mpf(10) ** -40 else Fraction(mp.nstr(x, digits, min_fixed=-mp.inf,
                                                                              max_fixed=mp.inf))


def _real_centres(points, symmetries):
    """Rational centres of the real points (decimal, 50 digits) such that a symmetry g with g(p_i) = p_j maps centre i
    EXACTLY onto centre j (FORMAT.md's orbit rule compares centres exactly): each orbit's first point is rounded and
    its images are the images of that rounded centre."""
    import mpmath as mp

    n = len(points[0]) if points else 0
    group, centres = _orbit_group(symmetries, n), [None] * len(points)
    for i, p in enumerate(points):
        if centres[i] is not None:
            continue
        c = [_dec(mp.re(v)) for v in p]
        for g in group:
            gc = [s * c[j] for j, s in g]
            k = min(range(len(points)), key=lambda k: max(abs(mp.re(points[k][t]) - gc[t].numerator / mp.mpf(
                gc[t].denominator)) for t in range(n)))
            if centres[k] is None:
                centres[k] = gc
    return centres


def _classify_box(problem, centre):
    """("min", congruence) or ("saddle", direction) from the Hessian at the centre rounded to 12 digits: the
    test-side LDL congruence M H Mᵀ = diag(D) (certlib.congruence); M's rows for D > 0 / a row with D < 0."""
    import mpmath as mp

    _, hess, _ = _mp_model(json.dumps(problem, sort_keys=True))
    with mp.workdps(60):
        H = hess(*[mp.mpf(x.numerator) / x.denominator for x in centre])
    Hq = sp.Matrix(len(centre), len(centre), lambda i, j: sp.Rational(_dec(H[i][j], 12)))
    M, D = congruence(Hq)
    if all(d > 0 for d in D):
        return "min", qm(M.tolist())
    if any(d < 0 for d in D):
        return "saddle", qv(M.row(next(i for i, d in enumerate(D) if d < 0)))
    raise ValueError("a degenerate real critical point: not classifiable on a box")


def ideal_cofactors(g, grads, R, max_degree=8):
    """c with g = Σ_k c_k ∂L/∂y_k, each c_k of the least degree d ≤ max_degree that works: an exact linear solve over
    QQ (sympy DomainMatrix rref) for the coefficients of the c_k. None if no such degree."""
    import itertools

    from sympy.polys.matrices import DomainMatrix

    n = R.ngens
    for d in range(max_degree + 1):
        mons = [m for m in itertools.product(range(d + 1), repeat=n) if sum(m) <= d]
        cols = [(k, m) for k in range(n) for m in mons]
        prods = [dict((R({m: 1}) * grads[k]).terms()) for k, m in cols]
        rows = sorted(set().union(*prods, dict(g.terms())))
        want = dict(g.terms())
        A = DomainMatrix([[p.get(e, sp.QQ(0)) for p in prods] + [want.get(e, sp.QQ(0))] for e in rows],
                         (len(rows), len(cols) + 1), sp.QQ).to_sparse()
        E, pivots = A.rref()
        if len(cols) in pivots:
            continue
        sol = [sp.QQ(0)] * len(cols)
        for i, j in enumerate(pivots):
            sol[j] = E[i, len(cols)].element
        out = [R.zero] * n
        for (k, m), v in zip(cols, sol):
            if v:
                out[k] += R({m: v})
        return out
    return None


def landscape_cert(problem, statement="count", ideal="recompute", order=None, symmetries=(), precision=None,
                   radius=Fraction(1, 10**24), meta=None):
    """A complete-landscape certificate (FORMAT.md) for a polynomial problem whose critical ideal is finite and
    radical: G = sympy's reduced grevlex basis of ⟨∇L⟩ in the variable order `order` (y_k = θ_{order[k]}); with
    ideal "cofactors" the cofactors by an exact linear solve; one box of the given radius per complex critical point
    (centres: 50-digit decimals; symmetric real points get exactly mapped centres), real boxes classified by the
    Hessian at the centre. The counts in the claim are what the builder found; the statement is as given (true or
    not -- the checker and the oracle decide)."""
    n = nparams(problem)
    order = list(order or range(n))
    R, _, grads = _grevlex_ring(problem, tuple(order))
    from sympy.polys.groebnertools import groebner

    G = groebner(grads, R)
    boxes, points = [], landscape_points(problem)
    real = [p for p in points if all(v.imag == 0 for v in p)]
    centres = _real_centres(real, symmetries)
    kinds = []
    for c in centres:
        kind, hint = _classify_box(problem, c)
        kinds.append(kind)
        boxes.append({"re": qv(c), "im": ["0"] * n, "radius": q(radius),
                      **({"congruence": hint} if kind == "min" else {"direction": hint})})
    for p in points[len(real):]:
        boxes.append({"re": qv([_dec(v.real) for v in p]), "im": qv([_dec(v.imag) for v in p]), "radius": q(radius)})
    body = {"kind": "complete-landscape", "variables": order, "ideal": ideal, "basis": [_terms(g) for g in G]}
    if ideal == "cofactors":
        body["cofactors"] = [[_terms(c) for c in ideal_cofactors(g, grads, R)] for g in G]
    if precision is not None:
        body["precision"] = precision
    body["boxes"] = boxes
    if symmetries:
        body["symmetries"] = [[list(pair) for pair in g] for g in symmetries]
    claim = {"kind": "complete-landscape", "statement": statement, "critical_points": len(points), "real": len(real),
             "minima": kinds.count("min"), "saddles": kinds.count("saddle")}
    return make_cert(problem, claim, body, meta)


DEEP_111 = {"kind": "deep-linear", "widths": [1, 1, 1], "X": [["1"]], "Y": [["2"]], "reg": "1/3"}
DEEP_121 = {"kind": "deep-linear", "widths": [1, 2, 1], "X": [["1"]], "Y": [["2"]],
            "reg": [[["1/3"], ["1/5"]], [["1/4", "1/7"]]]}
DEEP_211 = {"kind": "deep-linear", "widths": [2, 1, 1], "X": [["1", "0", "1"], ["0", "1", "1"]],
            "Y": [["2", "1", "-1"]], "reg": [[["1/3", "1/5"]], [["1/4"]]]}
POLY_NET_REG = {"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": ["0", "1/2", "1"]}, "X": [["1", "2"]],
                "Y": [["1", "3"]], "train_output": True, "output": None, "reg": [[["1/5"]], [["1/3"]]]}
POLY_NET_UNREG = {"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": ["-1/4", "-1", "3/4"]},
                  "X": [["1", "2"]], "Y": [["11/2", "0"]], "train_output": False, "output": [["1"]], "reg": "0"}
POLY_NET_HALF_REG = {"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": ["0", "1", "1"]}, "X": [["-2"]],
                     "Y": [["1/2"]], "train_output": True, "output": None, "reg": [[["0"]], [["1/3"]]]}
FLIP_ALL = {2: [[[0, -1], [1, -1]]], 3: [[[0, -1], [1, -1], [2, -1]]]}
FLIP_UNITS_121 = [[[0, -1], [1, 1], [2, -1], [3, 1]], [[0, 1], [1, -1], [2, 1], [3, -1]]]   # (W1[i], W2[i]) -> −


def random_landscape_problem(rng):
    """A small polynomial problem for the landscape oracle: a deep-linear net of widths [1,1,1], [1,2,1], [2,1,1] or
    [1,1,2] (1–3 samples), or a one-unit two-layer net with a quadratic or linear activation and trained output; Λ
    entries drawn from (0, 6]: coercive, so the critical set is finite for generic data. Returns (problem, the
    all-sign flip when it preserves L (two deep-linear layers), else ())."""
    def r(lo=-4, hi=4, den=2):
        return str(Fraction(rng.randint(lo, hi), den))

    def lam():
        return str(Fraction(rng.randint(1, 6), rng.randint(1, 6)))

    m = rng.randint(1, 3)
    if rng.random() < 0.75:
        w = rng.choice([[1, 1, 1], [1, 2, 1], [2, 1, 1], [1, 1, 2]])
        prob = {"kind": "deep-linear", "widths": w, "X": [[r() for _ in range(m)] for _ in range(w[0])],
                "Y": [[r() for _ in range(m)] for _ in range(w[-1])],
                "reg": [[[lam() for _ in range(w[i - 1])] for _ in range(w[i])] for i in range(1, len(w))]}
        n = nparams(prob)
        return prob, [[[j, -1] for j in range(n)]]
    act = [r(-2, 2) for _ in range(rng.randint(2, 3))]
    prob = {"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": act},
            "X": [[r() for _ in range(m)]], "Y": [[r() for _ in range(m)]], "train_output": True, "output": None,
            "reg": [[[lam()]], [[lam()]]]}
    return prob, ()


@lru_cache(maxsize=1)
def landscape_pool():
    """Valid complete-landscape certificates (sympy, well under a second): the 1-1-1 net (no-spurious-local-min,
    recomputed basis), the 1-2-1 net with a generic Λ (strict-saddle; two minima joined by a hidden-unit sign flip),
    the 2-1-1 net (cofactors, variables permuted, 128 bits), a regularised two-layer net σ(t) = t² + t/2 with three
    minima at different levels (count only: it has spurious minima), an unregularised one (count: Λ = 0) and one
    regularised in U only (count: one minimum, at the lowest critical level, but L → 0 along u·σ(−2w) = ½ as w → ∞,
    so coercivity is what a stronger statement lacks; the oracle leaves that statement undecided)."""
    return [
        landscape_cert(DEEP_111, "no-spurious-local-min", symmetries=FLIP_ALL[2]),
        landscape_cert(DEEP_121, "strict-saddle", symmetries=FLIP_UNITS_121),
        landscape_cert(DEEP_211, "no-spurious-local-min", "cofactors", order=[2, 0, 1], symmetries=FLIP_ALL[3],
                       precision=128, radius=Fraction(1, 10**20)),
        landscape_cert(POLY_NET_REG, "count", "cofactors"),
        landscape_cert(POLY_NET_UNREG, "count"),
        landscape_cert(POLY_NET_HALF_REG, "count", "cofactors"),
    ]


# --------------------------------------------------------------------------- tally of outcomes
import collections  # noqa: E402

TALLY = collections.Counter()


def expected_trust(cert):
    """FORMAT.md's trust of a verified certificate: 'theorem' for a theorem instance (it also rests on the cited
    theorem), 'kernel' otherwise."""
    return "theorem" if cert["claim"]["kind"] == "theorem-instance" else "kernel"


def classify(cert, prop):
    """Check `cert` with proofs/ (a solver attestation with verify/certify/attestation_check.py: check_any) and, if
    accepted, with the oracle. Records and returns the outcome: malformed | rejected | attested | accepted-true |
    accepted-false | accepted-unconfirmed. A solver attestation that comes back VERIFIED counts as accepted-false:
    nothing the solver says is a proof."""
    from proofs import MalformedCertificate, Outcome
    from verify.certify.attestation_check import check_any

    try:
        r = check_any(cert)
    except MalformedCertificate:
        out = "malformed"
    else:
        if r.outcome is Outcome.REJECTED:
            out = "rejected"
        elif r.outcome is Outcome.ATTESTED:
            out = "attested" if not r.verified and r.trust == "solver" else "accepted-false"
        elif cert["claim"]["kind"] == "solver-attested" or r.trust != expected_trust(cert):
            out = "accepted-false"
        else:
            o = oracle(cert)
            out = {True: "accepted-true", False: "accepted-false", None: "accepted-unconfirmed"}[o]
    TALLY[(prop, out)] += 1
    return out


# --------------------------------------------------------------------------- solver attestations (FORMAT.md)
ATTEST_TAIL = ": no critical point with PSD Hessian that is not a global minimum"


def smt_names(problem):
    """FORMAT.md's parameter constants, written here independently of verify/certify/attestation_check.py."""
    if problem["kind"] == "deep-linear":
        w = problem["widths"]
        shapes = [(f"W{i}", w[i], w[i - 1]) for i in range(1, len(w))]
    else:
        shapes = [("W", problem["width"], problem["n"])] + (
            [("U", len(problem["Y"]), problem["width"])] if problem["train_output"] else [])
    return [f"{lab}_{i}_{j}" for lab, r, c in shapes for i in range(r) for j in range(c)]


def _smt_coef(c):
    c = Fraction(int(c.numerator), int(c.denominator))
    s = f"{abs(c.numerator)}.0" if c.denominator == 1 else f"(/ {abs(c.numerator)}.0 {c.denominator}.0)"
    return f"(- {s})" if c < 0 else s


def smt_poly(poly, names):
    """A sympy ring polynomial (gens x_0..x_{N-1}, t) as FORMAT.md's canonical SMT-LIB term."""
    terms = []
    for monom, c in sorted(((m[:-1], c) for m, c in poly.terms()), key=lambda t: t[0], reverse=True):
        fs = ([_smt_coef(c)] if c != 1 or not any(monom) else []) + [n for n, e in zip(names, monom) for _ in range(e)]
        terms.append(fs[0] if len(fs) == 1 else f"(* {' '.join(fs)})")
    return "0.0" if not terms else terms[0] if len(terms) == 1 else f"(+ {' '.join(terms)})"


def attestation_query(problem, extra=(), scripts=1):
    """A query tied to the problem as FORMAT.md specifies (sympy expansion of L; independent of proofs/)."""
    S = _sym(json.dumps(problem, sort_keys=True), ())
    names = smt_names(problem)
    one = ["; built by tests/soundness/certlib.py", "(set-logic QF_NRA)"]
    one += [f"(declare-fun {n} () Real)" for n in names] + [f"(declare-fun {n}_lower () Real)" for n in names]
    one += [f"(assert (= {smt_poly(g, names)} 0.0))" for g in S.grad if g != 0]
    one += list(extra) + ["(check-sat)"]
    return "\n(reset)\n".join(["\n".join(one) + "\n"] * scripts)


def attestation_cert(problem, claim="no-spurious-local-min", text=None, solvers=None):
    """A well-formed solver attestation for `problem` (the solvers' answers are simply asserted)."""
    query = {"language": "smt-lib2", "text": attestation_query(problem) if text is None else text}
    solvers = solvers or [{"name": "z3", "version": "4.13.0", "answer": "unsat"},
                          {"name": "cvc5", "version": "1.1.2", "answer": "unsat"}]
    return make_cert(problem, {"kind": "solver-attested", "statement": claim + ATTEST_TAIL},
                     {"kind": "solver-attested", "query": query, "expected": "unsat", "solvers": solvers})


# --------------------------------------------------------------------------- relu-teacher boxes (mpmath)
def _teacher_loss_mp(problem, w):
    import mpmath as mp

    k, n = problem["k"], problem["n"]
    W = [w[i * n:(i + 1) * n] for i in range(k)]
    V = [[mp.mpf(Fraction(v).numerator) / Fraction(v).denominator for v in row] for row in problem["teacher"]]

    def g(u, v):
        nu, nv = mp.norm(u), mp.norm(v)
        th = mp.acos(max(-1, min(1, mp.fdot(u, v) / (nu * nv))))
        return nu * nv * (mp.sin(th) + (mp.pi - th) * mp.cos(th)) / (2 * mp.pi)

    tot = sum(g(a, b) for a in W for b in W) - 2 * sum(g(a, v) for a in W for v in V)
    return tot / 2


@lru_cache(maxsize=4096)
def _oracle_teacher(problem_json, claim_json):
    """Numerical (mpmath, 40 digits) confirmation of a relu-teacher box claim: Newton from the centre stays in
    the box and converges to a critical point there, and the Hessian is positive definite at the centre, that
    point and every corner (so the box holds one critical point, a strict local minimum). False when no
    critical point is found in the box; None when undecided. A test oracle, not a proof."""
    import itertools

    import mpmath as mp

    problem, claim = json.loads(problem_json), json.loads(claim_json)
    mp.mp.dps = 40
    c = [mp.mpf(Fraction(v).numerator) / Fraction(v).denominator for v in claim["centre"]]
    r = [mp.mpf(Fraction(v).numerator) / Fraction(v).denominator for v in claim["radius"]]
    N = len(c)
    L = lambda *w: _teacher_loss_mp(problem, list(w))  # noqa: E731
    grad = lambda *w: [mp.diff(L, w, tuple(int(i == j) for i in range(N))) for j in range(N)]  # noqa: E731

    def pd(w):
        H = mp.matrix(N, N)
        for i in range(N):
            for j in range(N):
                H[i, j] = mp.diff(L, w, tuple((i == a) + (j == a) for a in range(N)))
        return all(e > 0 for e in mp.eigsy(H)[0])

    try:
        x = mp.findroot(grad, c) if N > 1 else [mp.findroot(lambda a: grad(a)[0], c[0])]
        x = [x[i] for i in range(N)]
    except (ValueError, ZeroDivisionError):
        return False
    if any(abs(xi - ci) >= ri for xi, ci, ri in zip(x, c, r)) or max(abs(v) for v in grad(*x)) > mp.mpf(10) ** -20:
        return False
    corners = [[ci + s * ri for ci, ri, s in zip(c, r, signs)] for signs in itertools.product((-1, 1), repeat=N)]
    return True if all(pd(w) for w in [c, x] + corners) else None
