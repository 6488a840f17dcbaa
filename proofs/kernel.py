"""The checking kernel: loss evaluation over exact rings, the rules that make `Fact`s, claim assembly.

LCF style (HOL Light's fusion.ml): a `Fact` can only be constructed with the private `_TOKEN`, which only
the `rule_*` functions below use; `assemble` builds the header's claim from facts alone, and
`certificate.check_certificate` compares the resulting claim fact with the header.
The kernel recomputes loss, gradient and Hessian from the embedded problem itself:

* `Jet`   -- second-order truncated Taylor polynomial c + Σ l_i δ_i + Σ_{i<=j} q_ij δ_i δ_j (exact Fractions,
             or python-flint `arb` balls over a box for Krawczyk);
* `UPoly` -- univariate polynomial in t (optionally truncated): the loss along p + t v or a curve θ(t).

Everything is search-free (the certificate carries every hint) and fail-closed: a claim is verified only
when every step checked. A rejection (`Rejected`) says which step failed and why. A rejection does NOT
mean the claim is false -- only that this certificate does not prove it.
"""

import math
from contextlib import contextmanager
from fractions import Fraction

from flint import arb, ctx

from .reader import MAX_CURVE_DEGREE, bad, field, mat, only, rat, vec

_TOKEN = object()
HALF = Fraction(1, 2)


class Rejected(Exception):
    """A well-formed certificate whose mathematics does not check (CLI: exit 1). Message: 'step: why'."""


class Fact:
    """A checked statement `what` about `about` (problem sha, point key ...). Only kernel rules make one."""

    __slots__ = ("what", "about", "data", "note")

    def __init__(self, token, what, about, data=None, note=""):
        if token is not _TOKEN:
            raise TypeError("a Fact can only be made by a kernel rule")
        for k, v in (("what", what), ("about", about), ("data", data), ("note", note)):
            object.__setattr__(self, k, v)

    def __setattr__(self, k, v):
        raise AttributeError("Fact is immutable")


def _need(cond, step, why):
    if not cond:
        raise Rejected(f"{step}: {why}")


# --------------------------------------------------------------------------- rings
def _addd(a, b):
    out = dict(a)
    for k, v in b.items():
        out[k] = out[k] + v if k in out else v
    return out


class Jet:
    """c + Σ l[i] δ_i (+ Σ q[(i,j)] δ_i δ_j, i <= j, unless q is None): Taylor expansion to order 1 or 2."""

    __slots__ = ("c", "l", "q")

    def __init__(self, c, l, q):
        self.c, self.l, self.q = c, l, q

    def __add__(self, o):
        if not isinstance(o, Jet):
            return Jet(self.c + o, self.l, self.q)
        return Jet(self.c + o.c, _addd(self.l, o.l), None if self.q is None else _addd(self.q, o.q))

    __radd__ = __add__

    def __neg__(self):
        return self * -1

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return (-self) + o

    def __mul__(self, o):
        if not isinstance(o, Jet):
            return Jet(self.c * o, {k: v * o for k, v in self.l.items()},
                       None if self.q is None else {k: v * o for k, v in self.q.items()})
        l = _addd({k: v * o.c for k, v in self.l.items()}, {k: v * self.c for k, v in o.l.items()})
        if self.q is None:
            return Jet(self.c * o.c, l, None)
        q = _addd({k: v * o.c for k, v in self.q.items()}, {k: v * self.c for k, v in o.q.items()})
        for i, a in self.l.items():
            for j, b in o.l.items():
                k = (i, j) if i <= j else (j, i)
                q[k] = q[k] + a * b if k in q else a * b
        return Jet(self.c * o.c, l, q)

    __rmul__ = __mul__

    def apply(self, f0, f1, f2):
        """f(self) given f, f', f'' at self.c (chain rule to second order)."""
        l = {k: v * f1 for k, v in self.l.items()}
        if self.q is None:
            return Jet(f0, l, None)
        q = {k: v * f1 for k, v in self.q.items()}
        half = f2 / 2
        for i, a in self.l.items():
            for j, b in self.l.items():
                if i <= j:
                    q[(i, j)] = q.get((i, j), 0) + (a * b * half if i == j else 2 * a * b * half)
        return Jet(f0, l, q)


class UPoly:
    """Σ a[k] t^k, truncated above degree `n` (n = None: exact)."""

    __slots__ = ("a", "n")

    def __init__(self, a, n):
        self.a, self.n = a, n

    def __add__(self, o):
        if not isinstance(o, UPoly):
            return UPoly([self.a[0] + o] + self.a[1:], self.n)
        a, b = (self.a, o.a) if len(self.a) >= len(o.a) else (o.a, self.a)
        return UPoly([x + y for x, y in zip(a, b)] + a[len(b):], self.n)

    __radd__ = __add__

    def __neg__(self):
        return UPoly([-x for x in self.a], self.n)

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return (-self) + o

    def __mul__(self, o):
        if not isinstance(o, UPoly):
            return UPoly([x * o for x in self.a], self.n)
        deg = len(self.a) + len(o.a) - 2
        if self.n is not None:
            deg = min(deg, self.n)
        out = [0] * (deg + 1)
        for i, x in enumerate(self.a):
            if x:
                for j, y in enumerate(o.a[: deg + 1 - i]):
                    out[i + j] += x * y
        return UPoly(out, self.n)

    __rmul__ = __mul__


def _value(z):
    return z.c if isinstance(z, Jet) else z.a[0] if isinstance(z, UPoly) else z


# --------------------------------------------------------------------------- the loss
def _dot(r, c):
    acc = 0
    for a, b in zip(r, c):
        if not (isinstance(b, (int, Fraction)) and b == 0):
            acc = a * b + acc
    return acc


def _matmul(A, B):
    cols = list(zip(*B))
    return [[_dot(row, col) for col in cols] for row in A]


def _relu(z):
    v = _value(z)
    if isinstance(v, arb):
        _need(v > 0 or v < 0, "relu", "a pre-activation ball contains 0 (box meets a kink)")
        return z if v > 0 else 0
    if not isinstance(z, (Jet, UPoly)):
        return z if z > 0 else 0
    _need(v != 0, "relu", "a pre-activation (W X)_ij is exactly 0 at the point (kink; not supported)")
    return z if v > 0 else 0


def _split(x, shapes):
    out, k = [], 0
    for r, c in shapes:
        out.append([x[k + i * c: k + (i + 1) * c] for i in range(r)])
        k += r * c
    return out


def loss(P, x, lift=None):
    """L(x) for problem P over the ring of the entries of x; `lift` maps Fraction constants into it."""
    lift = lift or (lambda v: v)
    Ws = _split(x, P.shapes)
    if P.kind == "relu-teacher":
        return _teacher_loss(P, Ws[0], lift)
    X = [[lift(v) for v in row] for row in P.X]
    if P.kind == "deep-linear":
        A = X
        for W in Ws:
            A = _matmul(W, A)
    else:
        Z = _matmul(Ws[0], X)
        if P.act == "relu":
            S = [[_relu(z) for z in row] for row in Z]
        else:
            cs = [lift(c) for c in P.act]
            S = []
            for row in Z:
                S.append([])
                for z in row:
                    acc = cs[-1]
                    for c in reversed(cs[:-1]):
                        acc = acc * z + c
                    S[-1].append(acc)
        U = Ws[1] if len(Ws) > 1 else [[lift(v) for v in row] for row in P.U]
        A = _matmul(U, S)
    total = 0
    for arow, yrow in zip(A, P.Y):
        for a, y in zip(arow, yrow):
            r = a - lift(y)
            total = r * r + total
    for W, Lam in zip(Ws, P.reg):
        for wrow, lrow in zip(W, Lam):
            for w, lam in zip(wrow, lrow):
                if lam != 0:
                    total = w * w * lift(lam) + total
    return total * lift(HALF)


# --------------------------------------------------------------------------- arb: balls, relu-teacher
@contextmanager
def _prec(bits):
    old, ctx.prec = ctx.prec, bits
    try:
        yield
    finally:
        ctx.prec = old


def _arb(q):
    return arb(q.numerator) / q.denominator


def _fn(z, name):
    """sqrt, rsqrt (1/sqrt) or acos of a ball Jet, requiring the argument strictly inside the domain."""
    c = _value(z)
    if name == "acos":
        _need(c > -1 and c < 1, "relu-teacher", "cos θ may be ±1 in the box (neurons may be parallel)")
        w = 1 - c * c
        f1 = -w.rsqrt()
        f0, f2 = c.acos(), f1 * c / w
    else:
        _need(c > 0, "relu-teacher", "a norm or sin θ may be 0 in the box (arc-cosine kernel not smooth)")
        s = c.sqrt()
        f0, f1, f2 = (s, 1 / (2 * s), -1 / (4 * s * c)) if name == "sqrt" else \
            (1 / s, -1 / (2 * s * c), 3 / (4 * s * c * c))
    return z.apply(f0, f1, f2) if isinstance(z, Jet) else f0


def _teacher_loss(P, W, lift):
    """½E[(Σ relu(w_i·x) − Σ relu(v_j·x))²] minus its constant teacher-teacher part, x ~ N(0, I).
    E[relu(u·x)relu(w·x)] = (‖u‖‖w‖ sin θ + (π − θ) u·w)/(2π), ‖u‖‖w‖ sin θ = sqrt(‖u‖²‖w‖² − (u·w)²)."""
    _need(lift is _arb, "relu-teacher", "the loss involves arccos; only ball (box) claims are supported")
    pi = arb.pi()

    def cross(u, w):
        dot = lambda a, b: _dot(a, b)  # noqa: E731
        uu, ww, uw = dot(u, u), dot(w, w), dot(u, w)
        nn = uu * ww
        return (_fn(nn - uw * uw, "sqrt") + (pi - _fn(uw * _fn(nn, "rsqrt"), "acos")) * uw) * (1 / (2 * pi))

    V = [[lift(v) for v in row] for row in P.teacher]
    total = 0
    for i, wi in enumerate(W):
        total = _dot(wi, wi) * lift(HALF) + total
        for wj in W[i + 1:]:
            total = cross(wi, wj) * 2 + total
        for v in V:
            total = cross(wi, v) * -2 + total
    return total * lift(HALF)


# --------------------------------------------------------------------------- exact linear algebra
def _gradient(P, p):
    L = loss(P, [Jet(v, {i: 1}, None) for i, v in enumerate(p)])
    return [L.l.get(i, 0) if isinstance(L, Jet) else 0 for i in range(len(p))]


def _hessian_of(L, n):
    H = [[0] * n for _ in range(n)]
    for (i, j), v in (L.q.items() if isinstance(L, Jet) else ()):
        v = 2 * v if i == j else v
        H[i][j] = H[j][i] = v.numerator if isinstance(v, Fraction) and v.denominator == 1 else v
    return H


def _hessian(P, p):
    return _hessian_of(loss(P, [Jet(v, {i: 1}, {}) for i, v in enumerate(p)]), len(p))


def _along(P, p, coeffs, trunc):
    """L(p + t c_1 + t² c_2 + ...) - L(p) as UPoly coefficients."""
    f = loss(P, [UPoly([pi] + [c[i] for c in coeffs], trunc) for i, pi in enumerate(p)])
    a = list(f.a) if isinstance(f, UPoly) else [f]
    return [0] + a[1:]


def _rank(A):
    A = [list(r) for r in A]
    rank, cols = 0, len(A[0]) if A else 0
    for c in range(cols):
        piv = next((r for r in range(rank, len(A)) if A[r][c] != 0), None)
        if piv is None:
            continue
        A[rank], A[piv] = A[piv], A[rank]
        for r in range(rank + 1, len(A)):
            if A[r][c] != 0:
                f = Fraction(A[r][c]) / A[rank][c]
                A[r] = [x - f * y for x, y in zip(A[r], A[rank])]
        rank += 1
    return rank


def _solve(G, B):
    """G^{-1} B for an invertible square Fraction matrix G (Gauss-Jordan)."""
    n = len(G)
    A = [list(G[i]) + list(B[i]) for i in range(n)]
    for c in range(n):
        piv = next(r for r in range(c, n) if A[r][c] != 0)
        A[c], A[piv] = A[piv], A[c]
        A[c] = [Fraction(x) / A[c][c] for x in A[c]]
        for r in range(n):
            if r != c and A[r][c] != 0:
                f = A[r][c]
                A[r] = [x - f * y for x, y in zip(A[r], A[c])]
    return [row[n:] for row in A]


def _transpose(A):
    return [list(c) for c in zip(*A)]


_P = (1 << 61) - 1   # a prime: det(M) != 0 mod p proves det(M) != 0


def _invertible(M):
    """Exact: rows scaled to integers, elimination mod p; if singular mod p, decide by exact rank."""
    n = len(M)
    A = []
    for row in M:
        den = 1
        for x in row:
            den = den * x.denominator // math.gcd(den, x.denominator)
        A.append([(x * den).numerator % _P for x in row] if den % _P else None)
    if None not in A:
        for c in range(n):
            piv = next((r for r in range(c, n) if A[r][c]), None)
            if piv is None:
                break
            A[c], A[piv] = A[piv], A[c]
            inv = pow(A[c][c], _P - 2, _P)
            for r in range(c + 1, n):
                if A[r][c]:
                    f = A[r][c] * inv % _P
                    A[r] = [(x - f * y) % _P for x, y in zip(A[r], A[c])]
        else:
            return True
    return _rank(M) == n


def _congruence(S, M, step):
    """D = M S Mᵀ; requires D diagonal and M invertible. Returns diag(D). (Sylvester: inertia(S) = inertia(D))."""
    n = len(S)
    _need(_invertible(M), step, f"M is singular (rank {_rank(M)} < {n})")
    nz = [[(k, v) for k, v in enumerate(row) if v] for row in M]
    MS = []
    for row in nz:
        acc = [0] * n
        for k, v in row:
            acc = [a + v * x for a, x in zip(acc, S[k])]
        MS.append(acc)
    for i in range(n):
        for j in range(i + 1, n):
            d = sum(MS[i][k] * v for k, v in nz[j])
            _need(d == 0, step, f"(M H Mᵀ)[{i}][{j}] = {d} is not 0")
    return [sum(MS[i][k] * v for k, v in nz[i]) for i in range(n)]


# --------------------------------------------------------------------------- rules (the only Fact makers)
def rule_gradient_zero(P, p):
    g = _gradient(P, p)
    bad_i = next((i for i, v in enumerate(g) if v != 0), None)
    _need(bad_i is None, "gradient", f"∂L/∂θ[{bad_i}] = {g[bad_i] if bad_i is not None else 0} is not 0")
    return Fact(_TOKEN, "grad0", (P.sha, tuple(p)), note="gradient = 0")


def rule_curvature(P, p, v, step):
    _need(any(v), step, "the direction is 0")
    a = _along(P, p, [v], 2)
    c = 2 * (a[2] if len(a) > 2 else 0)
    return Fact(_TOKEN, "curv", (P.sha, tuple(p)), c, note=f"{step}: vᵀHv = {c}")


def rule_curve(P, p, coeffs, step):
    """Lowest non-zero term a_k t^k of f(t) = L(θ(t)) − L(p), θ(t) = p + Σ t^j c_j: data = (k, a_k)."""
    a = _along(P, p, coeffs, None)
    k = next((k for k, v in enumerate(a) if v != 0), None)
    _need(k is not None, step, "L(θ(t)) − L(p) is identically 0")
    return Fact(_TOKEN, "curve", (P.sha, tuple(p)), (k, a[k]), note=f"{step}: L(θ(t)) − L(p) = ({a[k]}) t^{k} + …")


def rule_hessian_congruence(P, p, M):
    D = _congruence(_hessian(P, p), M, "congruence")
    return Fact(_TOKEN, "cong", (P.sha, tuple(p)), D, note=f"M H Mᵀ = diag({', '.join(map(str, D[:6]))}"
                f"{', …' if len(D) > 6 else ''})")


def rule_lower_loss(P, p, q):
    lp, lq = loss(P, p), loss(P, q)
    _need(lq < lp, "witness", f"L(witness) = {lq} is not < L(point) = {lp}")
    return Fact(_TOKEN, "lower", (P.sha, tuple(p)), note=f"L(witness) = {lq} < {lp}")


def rule_zero_loss(P, p):
    neg = any(lam < 0 for Lam in P.reg for row in Lam for lam in row)
    _need(not neg, "zero-loss", "some regularisation weight is negative, so L >= 0 does not hold")
    lp = loss(P, p)
    _need(lp == 0, "zero-loss", f"L(point) = {lp} is not 0")
    return Fact(_TOKEN, "global", (P.sha, tuple(p)), note="L(point) = 0 <= L everywhere (sum of squares)")


def rule_rank_dual(P, p, mu, Z, MZ, MG):
    """Deep-linear, no regularisation. L* = ½(‖Y‖² − σ_r(A)), A = Y Π Yᵀ, Π the projector on rowspace(X),
    r = min(widths), σ_r = sum of the r largest eigenvalues (Eckart–Young). Ky Fan duality: Z ⪰ 0 and
    Z + μI ⪰ A imply σ_r(A) <= rμ + tr Z. So rμ + tr Z <= ‖Y‖² − 2L(p) proves L(p) <= L*."""
    step = "rank-dual"
    _need(P.kind == "deep-linear", step, "only for deep-linear problems")
    _need(all(lam == 0 for Lam in P.reg for row in Lam for lam in row), step, "requires reg = 0")
    X, Y = P.X, P.Y
    B = []
    for row in X:
        if _rank(B + [row]) > len(B):
            B.append(row)
    d, r = len(Y), min(P.widths)
    if B:
        C = _matmul(Y, _transpose(B))
        A = _matmul(C, _solve(_matmul(B, _transpose(B)), _transpose(C)))
    else:
        A = [[Fraction(0)] * d for _ in range(d)]
    _need(all(Z[i][j] == Z[j][i] for i in range(d) for j in range(d)), step, "Z is not symmetric")
    dz = _congruence(Z, MZ, f"{step} (Z ⪰ 0)")
    _need(all(x >= 0 for x in dz), f"{step} (Z ⪰ 0)", f"diagonal entry {min(dz)} < 0")
    G = [[Z[i][j] + (mu if i == j else 0) - A[i][j] for j in range(d)] for i in range(d)]
    dg = _congruence(G, MG, f"{step} (Z + μI − A ⪰ 0)")
    _need(all(x >= 0 for x in dg), f"{step} (Z + μI − A ⪰ 0)", f"diagonal entry {min(dg)} < 0")
    bound = r * mu + sum(Z[i][i] for i in range(d))
    lp = loss(P, p)
    yy = sum(y * y for row in Y for y in row)
    _need(bound <= yy - 2 * lp, step, f"rμ + tr Z = {bound} is not <= ‖Y‖² − 2L(point) = {yy - 2 * lp}")
    return Fact(_TOKEN, "global", (P.sha, tuple(p)), note=f"σ_{r}(YΠYᵀ) <= {bound}, so L(point) = {lp} = L*")


def _box_jets(centre, radius, order):
    unit = arb(0, 1)
    return [Jet(_arb(c) + _arb(r) * unit, {i: 1}, {} if order == 2 else None)
            for i, (c, r) in enumerate(zip(centre, radius))]


def rule_krawczyk(P, centre, radius, Yp):
    """K = x̃ − Y g(x̃) + (I − Y J(X))(X − x̃) ⊂ int X  ⇒  g = ∇L has exactly one zero in X (Krawczyk; Rump)."""
    with _prec(256):
        n = len(centre)
        g0 = loss(P, [Jet(_arb(c), {i: 1}, None) for i, c in enumerate(centre)], _arb)
        g = [g0.l.get(i, 0) if isinstance(g0, Jet) else 0 for i in range(n)]
        J = _hessian_of(loss(P, _box_jets(centre, radius, 2), _arb), n)
        Ya = [[_arb(v) for v in row] for row in Yp]
        YJ = _matmul(Ya, J)
        unit = arb(0, 1)
        for i in range(n):
            k = -_dot(Ya[i], g)
            for j in range(n):
                k += ((1 if i == j else 0) - YJ[i][j]) * (_arb(radius[j]) * unit)
            r = _arb(radius[i])
            _need(k < r and k > -r, "krawczyk", f"K(X)[{i}] − x̃[{i}] = {k.str(5, radius=True)} is not "
                  f"inside (−r, r), r = {radius[i]}")
    return Fact(_TOKEN, "unique-zero", (P.sha, tuple(centre), tuple(radius)),
                note="Krawczyk K(X) ⊂ int X: exactly one critical point in the box")


def rule_box_pd(P, centre, radius, M):
    """M J(X) Mᵀ strictly diagonally dominant with positive diagonal for the ball Hessian J(X), M invertible
    ⇒ H(x) ≻ 0 for every x in the box (Gershgorin)."""
    _need(_invertible(M), "box-pd", "M is singular")
    with _prec(256):
        J = _hessian_of(loss(P, _box_jets(centre, radius, 2), _arb), len(centre))
        Ma = [[_arb(v) for v in row] for row in M]
        S = _matmul(_matmul(Ma, J), _transpose(Ma))
        for i, row in enumerate(S):
            off = sum((abs(v) for j, v in enumerate(row) if j != i), arb(0))
            _need(row[i] > off, "box-pd", f"row {i} of M H(X) Mᵀ is not diagonally dominant "
                  f"({row[i].str(5, radius=True)} vs {off.str(5, radius=True)})")
    return Fact(_TOKEN, "box-pd", (P.sha, tuple(centre), tuple(radius)), note="H ≻ 0 on the whole box")


def _ANY(data):
    return True


def rule_claim(what, about, facts, note):
    """Assemble a claim from facts; each (fact, required what, predicate on data, why) must hold."""
    for f, kind, ok, why in facts:
        _need(isinstance(f, Fact) and f.what == kind and f.about == about and ok(f.data), what, why)
    notes = list(dict.fromkeys([f[0].note for f in facts] + [note]))
    return Fact(_TOKEN, "claim", (what,) + about, note="; ".join(x for x in notes if x))


# --------------------------------------------------------------------------- certificate assembly
CLAIM_KINDS = ("critical-point", "strict-saddle", "non-strict-saddle", "local-min", "spurious-local-min",
               "global-min", "isolated-critical-point", "solver-attested", "sublevel-path")


def _curve(x, n, path):
    if not isinstance(x, list) or not 1 <= len(x) <= MAX_CURVE_DEGREE:
        bad(path, f"expected a list of 1..{MAX_CURVE_DEGREE} coefficient vectors")
    return [vec(c, n, f"{path}[{i}]") for i, c in enumerate(x)]


def _ascent(x, n, path):
    only(x, ("direction", "curve"), path)
    if len(x) != 1:
        bad(path, "expected exactly one of 'direction' or 'curve'")
    return ("direction", vec(x["direction"], n, f"{path}.direction")) if "direction" in x else \
        ("curve", _curve(x["curve"], n, f"{path}.curve"))


def _ascent_fact(P, p, asc):
    return rule_curvature(P, p, asc[1], "ascent") if asc[0] == "direction" else rule_curve(P, p, asc[1], "ascent")


def _ascends(f):   # the fact shows L takes values > L(p) arbitrarily close to p (p is not a local max)
    return f.data > 0 if f.what == "curv" else (f.data[1] > 0 or f.data[0] % 2 == 1)


def _descends(f):  # not a local min: a curve whose leading term is negative for small t > 0 (or odd order)
    return f.data[1] < 0 or f.data[0] % 2 == 1


def assemble(P, claim, body):
    """Parse the claim/body hints (malformed -> MalformedCertificate), then run the rules -> claim Fact."""
    kind, n = claim["kind"], P.nparams
    if kind == "sublevel-path":
        raise Rejected("sublevel-path: not supported in version 1")
    _need(field(body, "kind", "body") == kind, "claim", f"the claim says {kind!r} but the body proves "
          f"{str(body['kind'])[:40]!r}")
    keys = {"critical-point": (), "strict-saddle": ("direction", "ascent"), "local-min": ("congruence",),
            "non-strict-saddle": ("congruence", "descent_curve", "ascent"),
            "spurious-local-min": ("congruence", "witness"), "global-min": ("route", "mu", "Z", "Z_congruence",
                                                                            "gap_congruence"),
            "isolated-critical-point": ("preconditioner", "congruence")}[kind]
    only(body, ("kind",) + keys, "body")
    if kind == "isolated-critical-point":
        only(claim, ("kind", "centre", "radius", "minimum"), "claim")
        c = vec(field(claim, "centre", "claim"), n, "claim.centre")
        r = vec(field(claim, "radius", "claim"), n, "claim.radius")
        if any(v <= 0 for v in r):
            bad("claim.radius", "every radius must be > 0")
        minimum = field(claim, "minimum", "claim")
        if not isinstance(minimum, bool):
            bad("claim.minimum", "expected true or false")
        Yp = mat(field(body, "preconditioner", "body"), n, n, "body.preconditioner")
        M = mat(field(body, "congruence", "body"), n, n, "body.congruence") if minimum else None
        if not minimum and "congruence" in body:
            bad("body.congruence", "only for minimum = true")
        about = (P.sha, tuple(c), tuple(r))
        facts = [(rule_krawczyk(P, c, r, Yp), "unique-zero", _ANY, "")]
        if minimum:
            facts.append((rule_box_pd(P, c, r, M), "box-pd", _ANY, ""))
        return rule_claim(kind, about, facts, ""), c, r
    only(claim, ("kind", "point", "loss"), "claim")
    p = vec(field(claim, "point", "claim"), n, "claim.point")
    want_loss = rat(claim["loss"], "claim.loss") if "loss" in claim else None
    get = lambda k, read: read(field(body, k, "body"), f"body.{k}")  # noqa: E731
    if kind in ("strict-saddle",):
        v = get("direction", lambda x, s: vec(x, n, s))
        asc = get("ascent", lambda x, s: _ascent(x, n, s))
    if kind in ("non-strict-saddle", "local-min", "spurious-local-min"):
        M = get("congruence", lambda x, s: mat(x, n, n, s))
    if kind == "non-strict-saddle":
        curve = get("descent_curve", lambda x, s: _curve(x, n, s))
        asc = _ascent(body["ascent"], n, "body.ascent") if "ascent" in body else None
    if kind == "spurious-local-min":
        q = get("witness", lambda x, s: vec(x, n, s))
    if kind == "global-min":
        route = field(body, "route", "body")
        if route == "zero-loss":
            only(body, ("kind", "route"), "body")
        elif route == "rank-dual":
            d = len(P.Y) if P.kind == "deep-linear" else 1
            mu = get("mu", rat)
            Z, MZ, MG = (get(k, lambda x, s: mat(x, d, d, s)) for k in ("Z", "Z_congruence", "gap_congruence"))
        else:
            bad("body.route", f"expected 'zero-loss' or 'rank-dual', got {str(route)[:40]!r}")
    # ---- mathematics: every step below is a kernel rule
    about = (P.sha, tuple(p))
    if want_loss is not None:
        lp = loss(P, p)
        _need(lp == want_loss, "loss", f"L(point) = {lp}, not the claimed {want_loss}")
    if kind == "global-min":
        f = rule_zero_loss(P, p) if route == "zero-loss" else rule_rank_dual(P, p, mu, Z, MZ, MG)
        return rule_claim(kind, about, [(f, "global", _ANY, "")], ""), p, None
    g0 = (rule_gradient_zero(P, p), "grad0", _ANY, "")
    if kind == "critical-point":
        return rule_claim(kind, about, [g0], ""), p, None
    if kind == "strict-saddle":
        neg = rule_curvature(P, p, v, "strict-saddle")
        up = _ascent_fact(P, p, asc)
        return rule_claim(kind, about, [g0, (neg, "curv", lambda c: c < 0, f"vᵀHv = {neg.data} is not < 0"),
                                        (up, up.what, lambda d: _ascends(up),
                                         f"ascent: the witness does not ascend ({up.note})")], ""), p, None
    if kind in ("local-min", "spurious-local-min"):
        cong = rule_hessian_congruence(P, p, M)
        facts = [g0, (cong, "cong", lambda D: all(x > 0 for x in D),
                      f"M H Mᵀ has a diagonal entry {min(cong.data)} <= 0, so H is not shown positive definite")]
        if kind == "spurious-local-min":
            facts.append((rule_lower_loss(P, p, q), "lower", _ANY, ""))
        return rule_claim(kind, about, facts, ""), p, None
    if kind == "non-strict-saddle":
        cong = rule_hessian_congruence(P, p, M)
        down = rule_curve(P, p, curve, "descent")
        facts = [g0, (cong, "cong", lambda D: all(x >= 0 for x in D),
                      f"M H Mᵀ has a diagonal entry {min(cong.data)} < 0: H is indefinite (a strict saddle)"),
                 (cong, "cong", lambda D: any(x == 0 for x in D), "H is non-singular (all of M H Mᵀ > 0)"),
                 (down, "curve", lambda d: _descends(down),
                  f"descent: leading term ({down.data[1]}) t^{down.data[0]} is not negative")]
        if asc is not None:
            up = _ascent_fact(P, p, asc)
            facts.append((up, up.what, lambda d: _ascends(up), f"ascent: the witness does not ascend ({up.note})"))
        else:
            _need(any(x > 0 for x in cong.data) or down.data[0] % 2 == 1, "ascent", "all of M H Mᵀ is 0 and "
                  "the descent curve has even order: an ascent witness is required (the point might be a local max)")
        return rule_claim(kind, about, facts, ""), p, None
    raise AssertionError(kind)
