"""The loss of the embedded problem, written once over any commutative ring the kernel needs:

* exact `int` / `Fraction` values;
* `Jet`   -- second-order truncated Taylor polynomial c + Σ l_i δ_i + Σ_{i<=j} q_ij δ_i δ_j (exact Fractions,
             or python-flint `arb` / complex `acb` balls over a box for Krawczyk): gradient and Hessian;
* `UPoly` -- univariate polynomial in t over Q (optionally truncated): the loss along p + t v or a curve θ(t);
* python-flint `fmpq_mpoly` -- L as a polynomial in the parameters (complete landscapes, and verify's solver
  attestations: ∇L).

    >>> from proofs.reader import read_problem
    >>> P = read_problem({"kind": "deep-linear", "widths": [1, 1, 1], "X": [[1]], "Y": [[1]], "reg": 0})
    >>> loss(P, [0, 0])      # ½(w2·w1·1 − 1)² at the origin
    Fraction(1, 2)
"""

from contextlib import contextmanager
from fractions import Fraction

from flint import acb, acb_mat, arb, arb_mat, ctx, fmpq, fmpq_mat, fmpq_poly

from .reader import need

HALF = Fraction(1, 2)


def fq(x):
    """int / Fraction (/ fmpq) -> flint fmpq."""
    return fmpq(x) if isinstance(x, (int, fmpq)) else fmpq(x.numerator, x.denominator)


def frac(v):
    """flint fmpq -> int (denominator 1) or Fraction."""
    p, q = int(v.p), int(v.q)
    return p if q == 1 else Fraction(p, q)


def qmat(A):
    return fmpq_mat([[fq(x) for x in row] for row in A])


# --------------------------------------------------------------------------- rings
def _iadd(out, b):
    """out += b for coefficient dicts, in place; returns out."""
    for k, v in b.items():
        out[k] = out[k] + v if k in out else v
    return out


class Ring:
    """−, the reflected operators and negation from a commutative ring's own + and ×."""

    __slots__ = ()

    def __radd__(self, o):
        return self + o

    def __rmul__(self, o):
        return self * o

    def __neg__(self):
        return self * -1

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return (-self) + o


class Jet(Ring):
    """c + Σ l[i] δ_i (+ Σ q[(i,j)] δ_i δ_j, i <= j, unless q is None): Taylor expansion to order 1 or 2."""

    __slots__ = ("c", "l", "q")

    def __init__(self, c, l, q):
        self.c, self.l, self.q = c, l, q

    def __add__(self, o):
        if not isinstance(o, Jet):
            return Jet(self.c + o, self.l, self.q)
        return Jet(self.c + o.c, _iadd(dict(self.l), o.l), None if self.q is None else _iadd(dict(self.q), o.q))

    def __mul__(self, o):
        if not isinstance(o, Jet):
            return Jet(self.c * o, {k: v * o for k, v in self.l.items()},
                       None if self.q is None else {k: v * o for k, v in self.q.items()})
        l = _iadd({k: v * o.c for k, v in self.l.items()}, {k: v * self.c for k, v in o.l.items()})
        if self.q is None:
            return Jet(self.c * o.c, l, None)
        q = _iadd({k: v * o.c for k, v in self.q.items()}, {k: v * self.c for k, v in o.q.items()})
        for i, a in self.l.items():
            for j, b in o.l.items():
                k = (i, j) if i <= j else (j, i)
                q[k] = q[k] + a * b if k in q else a * b
        return Jet(self.c * o.c, l, q)

    def apply(self, f0, f1, f2):
        """f(self) given f, f', f'' at self.c (chain rule to second order)."""
        l = {k: v * f1 for k, v in self.l.items()}
        if self.q is None:
            return Jet(f0, l, None)
        q = {k: v * f1 for k, v in self.q.items()}
        half = f2 / 2 if isinstance(f2, (arb, acb)) else \
            f2 // 2 if isinstance(f2, int) and f2 % 2 == 0 else Fraction(f2) / 2
        for i, a in self.l.items():
            for j, b in self.l.items():
                if i <= j:
                    q[(i, j)] = q.get((i, j), 0) + (a * b * half if i == j else 2 * a * b * half)
        return Jet(f0, l, q)


class UPoly(Ring):
    """Σ a_k t^k over Q (a flint fmpq_poly: one common denominator, fast products), truncated above degree
    `n` (n = None: exact). Constants combined with it must be int or fmpq."""

    __slots__ = ("p", "n")

    def __init__(self, p, n):
        self.p, self.n = (p if n is None or p.length() <= n + 1 else p.truncate(n + 1)), n

    def __add__(self, o):
        return UPoly(self.p + (o.p if isinstance(o, UPoly) else o), self.n)

    def __mul__(self, o):
        if not isinstance(o, UPoly):
            return UPoly(self.p * o, self.n)
        return UPoly(self.p * o.p if self.n is None else self.p.mul_low(o.p, self.n + 1), self.n)


def value(z):
    return z.c if isinstance(z, Jet) else z.p[0] if isinstance(z, UPoly) else z


# --------------------------------------------------------------------------- sums of squares
def _sum(terms):
    """Σ terms; Jets are accumulated in place (no coefficient dict copied per term)."""
    jets = [t for t in terms if isinstance(t, Jet)]
    if not jets:
        return sum(terms, 0)
    c, l, q = 0, {}, (None if jets[0].q is None else {})
    for t in terms:
        c = c + (t.c if isinstance(t, Jet) else t)
        if isinstance(t, Jet):
            _iadd(l, t.l)
            if q is not None:
                _iadd(q, t.q)
    return Jet(c, l, q)


def _squares(rs):
    """[r² for r in rs]. For second-order Jets with many linear terms the Gauss–Newton part Σ_r ∇r ∇rᵀ is one
    flint matrix product JᵀJ (exact fmpq_mat or ball arb_mat) instead of a Python double loop per residual."""
    jets = [r for r in rs if isinstance(r, Jet) and r.q is not None]
    idx = sorted({i for r in jets for i in r.l})
    if sum(len(r.l) ** 2 for r in jets) <= 4 * len(jets) * len(idx) + 1000:
        return [r * r for r in rs]
    ball = acb_mat if isinstance(jets[0].c, acb) else arb_mat if isinstance(jets[0].c, arb) else None
    exact = ball is None
    J = (qmat if exact else ball)([[r.l.get(i, 0) for i in idx] for r in jets])
    G = J.transpose() * J
    q = {}
    for a, i in enumerate(idx):
        for b in range(a, len(idx)):
            v = frac(G[a, b]) if exact else G[a, b]
            if not exact or v != 0:
                q[(i, idx[b])] = v if a == b else 2 * v
    # r² = c² + 2c·(l + q) + (l·δ)² for each residual r; the parts (l·δ)², summed, are G
    return [Jet(0, {}, q)] + [Jet(r.c * r.c, {k: 2 * r.c * v for k, v in r.l.items()},
                                  {k: 2 * r.c * v for k, v in r.q.items()}) if isinstance(r, Jet) and r.q is not None
                              else r * r for r in rs]


# --------------------------------------------------------------------------- the loss
def dot(r, c):
    return _sum([a * b for a, b in zip(r, c) if not (isinstance(b, (int, Fraction)) and b == 0)])


def matmul(A, B):
    cols = list(zip(*B))
    return [[dot(row, col) for col in cols] for row in A]


def _relu(z):
    v = value(z)
    if isinstance(z, UPoly) and z.p == 0:   # a pre-activation that is 0 along a whole path piece
        return 0
    if isinstance(v, arb):
        need(v > 0 or v < 0, "relu", "a pre-activation ball contains 0 (box meets a kink)")
    elif isinstance(z, (Jet, UPoly)):
        need(v != 0, "relu", "a pre-activation (W X)_ij is exactly 0 at the point (kink; not supported)")
    return z if v > 0 else 0


def _horner(cs, z):
    acc = cs[-1]
    for c in reversed(cs[:-1]):
        acc = acc * z + c
    return acc


def _poly(cs, z):
    """σ(z) = Σ c_k z^k; for a Jet by the chain rule from σ, σ', σ'' at its value (one Jet operation)."""
    if not isinstance(z, Jet) or len(cs) < 3:
        return _horner(cs, z)
    d1 = [k * c for k, c in enumerate(cs)][1:]
    return z.apply(_horner(cs, z.c), _horner(d1, z.c), _horner([k * c for k, c in enumerate(d1)][1:], z.c))


def split(x, shapes):
    out, k = [], 0
    for r, c in shapes:
        out.append([x[k + i * c: k + (i + 1) * c] for i in range(r)])
        k += r * c
    return out


def loss(P, x, lift=None):
    """L(x) for problem P over the ring of the entries of x; `lift` maps Fraction constants into it."""
    lift = lift or (lambda v: v)
    Ws = split(x, P.shapes)
    if P.kind == "relu-teacher":
        return _teacher_loss(P, Ws[0], lift)
    X = [[lift(v) for v in row] for row in P.X]
    if P.kind == "deep-linear":
        A = X
        for W in Ws:
            A = matmul(W, A)
    else:
        Z = matmul(Ws[0], X)
        if P.act == "relu":
            S = [[_relu(z) for z in row] for row in Z]
        else:
            cs = [lift(c) for c in P.act]
            S = [[_poly(cs, z) for z in row] for row in Z]
        U = Ws[1] if len(Ws) > 1 else [[lift(v) for v in row] for row in P.U]
        A = matmul(U, S)
    residuals = [a - lift(y) for arow, yrow in zip(A, P.Y) for a, y in zip(arow, yrow)]
    terms = _squares(residuals) if P.loss == ("square",) else []
    for W, Lam in zip(Ws, P.reg):
        for wrow, lrow in zip(W, Lam):
            terms += [w * w * lift(lam) for w, lam in zip(wrow, lrow) if lam != 0]
    if P.loss == ("square",):
        return _sum(terms) * lift(HALF)
    fit = _fit(P, A, residuals, lift)
    return fit + _sum(terms) * lift(HALF) if terms else fit


# --------------------------------------------------------------------------- the losses other than square
def nonnegative(cs):
    """Σ c_k t^k ≥ 0 on R, exactly: a positive leading coefficient and no real root of odd multiplicity (flint's
    square-free factorisation; arb_fmpz_poly_complex_roots returns the real roots with imaginary part exactly 0)."""
    p = fmpq_poly([fq(c) for c in cs]).numer()
    if p.degree() < 0 or p.degree() % 2 or p.leading_coefficient() < 0:
        return p.degree() < 0
    return all(e % 2 == 0 or not any(r.imag == 0 for r, _ in f.complex_roots())
               for f, e in p.factor_squarefree()[1])


def convex(loss):
    """ℓ convex in the output: every loss but a ``poly`` whose φ″ takes a negative value."""
    if loss[0] != "poly":
        return True
    cs = loss[1]
    return nonnegative([k * (k - 1) * c for k, c in enumerate(cs)][2:] or [0])


def _fit(P, A, E, lift):
    """ℓ(O, Y) for P.loss (FORMAT.md "Losses"), O = A the output, E = O − Y the residuals (row-major)."""
    name = P.loss[0]
    if name == "mse":
        return _sum(_squares(E)) * lift(Fraction(1, len(E)))
    if name == "poly":
        cs = [lift(c) for c in P.loss[1]]
        return _sum([_poly(cs, e) for e in E])
    if name == "huber":
        return _sum([_huber(e, P.loss[1], lift) for e in E])
    need(lift is to_arb, P.loss[0], "the loss is transcendental; only ball (box) claims are supported")
    if name == "logistic":
        return _sum([_softplus(a * lift(-y)) for arow, yrow in zip(A, P.Y) for a, y in zip(arow, yrow)])
    cols = list(zip(*A))
    return _sum([_logsumexp(col) - dot(col, [lift(row[j]) for row in P.Y]) for j, col in enumerate(cols)])


def _huber(e, delta, lift):
    """h_δ(e) = ½e² for |e| ≤ δ, δ(|e| − ½δ) beyond; the piece is read off the value, which must avoid ±δ."""
    need(isinstance(value(e), (int, Fraction, arb)), "huber",   # an ordered value: a point or a box, not s or t
         "the huber loss is piecewise; only point and box claims are supported")
    v, d = value(e), lift(delta)
    need(v < -d or (v > -d and v < d) or v > d, "huber", "a residual may be ±δ (the kink of h_δ)")
    if v > -d and v < d:
        return e * e * lift(HALF)
    return e * (d if v > d else -d) - d * d * lift(HALF)


def _softplus(z):
    """log(1 + e^z) of a ball (Jet): f′ = s, f″ = s(1 − s), s = 1 / (1 + e^{−z})."""
    c = value(z)
    sg = 1 / (1 + (-c).exp())
    f0 = c.exp().log1p()
    return z.apply(f0, sg, sg * (1 - sg)) if isinstance(z, Jet) else f0


def _logsumexp(o):
    """log Σ_i e^{o_i} of balls (Jets) to second order: p = softmax(c), ∇ = p, ∇² = diag(p) − p pᵀ."""
    c = [value(z) for z in o]
    ex = [x.exp() for x in c]
    tot = sum(ex[1:], ex[0])
    f0 = tot.log()
    if not any(isinstance(z, Jet) for z in o):
        return f0
    p = [x / tot for x in ex]
    d = [z - x for z, x in zip(o, c)]
    lin = _sum([pi * di for pi, di in zip(p, d)])
    return f0 + lin + (_sum([pi * di * di for pi, di in zip(p, d)]) - lin * lin) * arb(0.5)


# --------------------------------------------------------------------------- arb: balls, relu-teacher
@contextmanager
def precision(bits):
    old, ctx.prec = ctx.prec, bits
    try:
        yield
    finally:
        ctx.prec = old


def to_arb(q):
    return arb(q.numerator) / q.denominator


def _fn(z, name):
    """sqrt, rsqrt (1/sqrt) or acos of a ball Jet, requiring the argument strictly inside the domain."""
    c = value(z)
    if name == "acos":
        need(c > -1 and c < 1, "relu-teacher", "cos θ may be ±1 in the box (neurons may be parallel)")
        w = 1 - c * c
        f1 = -w.rsqrt()
        f0, f2 = c.acos(), f1 * c / w
    else:
        need(c > 0, "relu-teacher", "a norm or sin θ may be 0 in the box (arc-cosine kernel not smooth)")
        s = c.sqrt()
        f0, f1, f2 = (s, 1 / (2 * s), -1 / (4 * s * c)) if name == "sqrt" else \
            (1 / s, -1 / (2 * s * c), 3 / (4 * s * c * c))
    return z.apply(f0, f1, f2) if isinstance(z, Jet) else f0


def _teacher_loss(P, W, lift):
    """½E[(Σ relu(w_i·x) − Σ relu(v_j·x))²] minus its constant teacher-teacher part, x ~ N(0, I).
    E[relu(u·x)relu(w·x)] = (‖u‖‖w‖ sin θ + (π − θ) u·w)/(2π), ‖u‖‖w‖ sin θ = sqrt(‖u‖²‖w‖² − (u·w)²)."""
    need(lift is to_arb, "relu-teacher", "the loss involves arccos; only ball (box) claims are supported")
    pi = arb.pi()

    def cross(u, w):
        uu, ww, uw = dot(u, u), dot(w, w), dot(u, w)
        nn = uu * ww
        return (_fn(nn - uw * uw, "sqrt") + (pi - _fn(uw * _fn(nn, "rsqrt"), "acos")) * uw) * (1 / (2 * pi))

    V = [[lift(v) for v in row] for row in P.teacher]
    terms = []
    for i, wi in enumerate(W):
        terms.append(dot(wi, wi) * lift(HALF))
        terms += [cross(wi, wj) * 2 for wj in W[i + 1:]] + [cross(wi, v) * -2 for v in V]
    return _sum(terms) * lift(HALF)
