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

from fractions import Fraction

from flint import acb, acb_mat, arb, arb_mat, ctx, fmpq, fmpq_mat, fmpq_poly

from .reader import MAX_POLY_DEGREE, _coeffs, bad_if, need, posint, rat

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
    """z at the point of expansion (a Jet's value at θ = p, a UPoly's at t = 0, a family's `at_p` at s = 0): what
    the side of a relu and the piece of huber are read off."""
    return getattr(z := z.c if isinstance(z, Jet) else z.p[0] if isinstance(z, UPoly) else z, "at_p", z)


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


def _leaky(z, a, lift):
    """σ(z) = z for z > 0, a·z for z < 0 (relu: a = 0); the side is read off the value, which must be ordered: an exact
    point (σ(0) = 0: the VALUE at a kink is defined, and so along a path piece on which z ≡ 0), a ball not containing
    0, or a Jet / curve not at 0 (derivatives at a kink are not). Rejected otherwise — also a value with no order (a
    polynomial in the parameters: relu supports point, box and path claims only)."""
    v = value(z)
    need(isinstance(z, (int, Fraction, fmpq)) or isinstance(z, UPoly) and z.p == 0 or isinstance(v, (int, Fraction,
         fmpq, arb)) and (v > 0 or v < 0), "relu", "a pre-activation (W X)_ij is exactly 0 at the point or in the box")
    return z if v > 0 else 0 if a == 0 else z * lift(a)


def _sigma(a, lift):
    """σ = (name, parameter) as a function over the ring (FORMAT.md "Problem": the network's activations); tanh,
    sigmoid and softplus over arb balls only (`_fn`; like the logistic loss: an exact claim about such a net is
    rejected)."""
    (name, c), cs = a, [lift(v) for v in a[1]] if a[0] == "poly" else None
    return {"identity": lambda z: z, "poly": lambda z: _poly(cs, z), "leaky_relu": lambda z: _leaky(z, c, lift)}.get(
        name, lambda z: _fn(z, name))


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
    """x (canonical order) as its blocks: one list of rows per (rows, cols) of `shapes`."""
    it = iter(x)
    return [[[next(it) for _ in range(c)] for _ in range(r)] for r, c in shapes]


def forward(P, blocks, lift):
    """The network's output Ŷ = W_H σ(⋯ σ(W_1 X + b_1) ⋯) + b_H over the ring of the parameter blocks (P.layers;
    biases broadcast over the samples)."""
    A = [[lift(v) for v in row] for row in P.X]
    for W, b, act in P.layers:
        A = matmul(blocks[W] if isinstance(W, int) else [[lift(v) for v in row] for row in W], A)
        A = A if b is None else [[z + bi for z in row] for row, (bi,) in zip(A, blocks[b])]
        A = A if act is None else [[f(z) for z in row] for f in [_sigma(act, lift)] for row in A]
    return A


def loss(P, x, lift=None):
    """L(x) for problem P over the ring of the entries of x; `lift` maps Fraction constants into it."""
    lift, blocks = lift or (lambda v: v), split(x, P.shapes)
    if P.teacher is not None:
        return _teacher_loss(P, blocks[0], lift)
    A = forward(P, blocks, lift)
    E = [a - lift(y) for arow, yrow in zip(A, P.Y) for a, y in zip(arow, yrow)]
    reg = [w * w * lift(lam) for W, Lam in zip([blocks[W] for W, _, _ in P.layers if isinstance(W, int)], P.reg)
           for wrow, lrow in zip(W, Lam) for w, lam in zip(wrow, lrow) if lam != 0]   # Σ_i ⟨Λ_i, W_i ∘ W_i⟩
    if P.loss == ("square",):
        return _sum(_squares(E) + reg) * lift(HALF)
    fit = LOSSES[P.loss[0]][3](P, A, E, lift)
    return fit + _sum(reg) * lift(HALF) if reg else fit


# --------------------------------------------------------------------------- the losses other than square
def nonnegative(cs):
    """Σ c_k t^k ≥ 0 on R, exactly: a positive leading coefficient and no real root of odd multiplicity (flint's
    square-free factorisation; arb_fmpz_poly_complex_roots returns the real roots with imaginary part exactly 0)."""
    p = fmpq_poly([fq(c) for c in cs]).numer()
    if p.degree() < 0 or p.degree() % 2 or p.leading_coefficient() < 0:
        return p.degree() < 0
    return all(e % 2 == 0 or not any(r.imag == 0 for r, _ in f.complex_roots()) for f, e in p.factor_squarefree()[1])


def convex(loss):
    """ℓ convex in the output: every loss but a ``poly`` whose φ″ takes a negative value."""
    if loss[0] != "poly":
        return True
    return nonnegative([k * (k - 1) * c for k, c in enumerate(loss[1])][2:] or [0])


def _balls(P, lift):
    need(lift is to_arb, P.loss[0], "the loss is transcendental; only ball (box) claims are supported")


# The checker's losses (FORMAT.md "Losses"), the only place it names them. file name → (
#   the syntax of its value in a one-key table {name: value} (for messages),
#   parse(value, path) → the loss tuple P.loss; None: a bare name, read as (name,),
#   (ok(Y), why) on the targets of a bare name, or None,
#   ℓ(P, O, E, lift): the fit over the ring of the output O = Ŷ, E = O − Y row-major).
# {"power": p} is read as ("poly", φ), φ = t^p / p, and evaluated by the "poly" entry; the transcendental losses
# (`_balls`) over arb balls only.
LOSSES = {
    "square": (None, None, None, None),   # evaluated in `loss`: ½ Σ E_ij² in one sum with the regulariser
    "mse": (None, None, None, lambda P, A, E, lift: _sum(_squares(E)) * lift(Fraction(1, len(E)))),
    "logistic": (None, None, (lambda Y: all(y in (1, -1) for row in Y for y in row),
                              "the logistic loss needs labels ±1"),
                 lambda P, A, E, lift: _balls(P, lift) or _sum([_fn(a * lift(-y), "softplus") for arow, yrow in
                                                                zip(A, P.Y) for a, y in zip(arow, yrow)])),
    "cross-entropy": (None, None, (lambda Y: not (len(Y) < 2 or any(min(col) < 0 or sum(col) != 1 for col in zip(*Y))),
                                   "the cross-entropy loss needs d_y ≥ 2 and probability columns (≥ 0, sum 1)"),
                      lambda P, A, E, lift: _balls(P, lift) or _sum([_logsumexp(col) - dot(col, [lift(row[j]) for row
                                                                     in P.Y]) for j, col in enumerate(zip(*A))])),
    "power": ("p", lambda v, path: bad_if(posint(v, path, MAX_POLY_DEGREE) % 2 or v < 4, path, "expected an even "
                                          "integer ≥ 4") or ("poly", [0] * v + [Fraction(1, v)]), None, None),
    "poly": ("[...]", lambda v, path: bad_if((cs := _coeffs(v, 3, path))[-1] <= 0 or (len(cs) - 1) % 2, path, "φ needs "
                                             "even degree and a positive leading coefficient (bounded below)")
             or ("poly", cs), None, lambda P, A, E, lift: _sum([_poly(cs, e) for cs in [[lift(c) for c in P.loss[1]]]
                                                                for e in E])),
    "huber": ("δ", lambda v, path: bad_if(rat(v, path) <= 0, path, "δ must be positive") or ("huber", rat(v, path)),
              None, lambda P, A, E, lift: _sum([_huber(e, P.loss[1], lift) for e in E])),
}


def _huber(e, delta, lift):
    """h_δ(e) = ½e² for |e| ≤ δ, δ(|e| − ½δ) beyond; the piece is read off the value, which must avoid ±δ."""
    v, d = value(e), lift(delta)   # v ordered: a point or a box, not a polynomial in s or t
    need(isinstance(v, (int, Fraction, arb)), "huber", "the huber loss is piecewise: point and box claims only")
    need(v < -d or (v > -d and v < d) or v > d, "huber", "a residual may be ±δ (the kink of h_δ)")
    if v > -d and v < d:
        return e * e * lift(HALF)
    return e * (d if v > d else -d) - d * d * lift(HALF)


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
def precision(bits):
    """A `with` block computing at `bits` bits of arb precision, restored after (python-flint's ctx.workprec)."""
    return ctx.workprec(bits)


def to_arb(q):
    return arb(q.numerator) / q.denominator


def _fn(z, name):
    """f(z) of a ball (Jet) from f, f′, f″ at its value c: tanh t (1 − t², −2t(1 − t²)), sigmoid s = 1/(1 + e^{−c})
    (s(1 − s), s(1 − s)(1 − 2s)), softplus log(1 + e^c) (s, s(1 − s)); and for the arc-cosine kernel sqrt, rsqrt =
    1/sqrt (requiring c > 0) and acos (requiring −1 < c < 1: the argument strictly inside the domain)."""
    c = value(z)
    need(isinstance(c, arb), name, "a transcendental function: only ball (box) claims are supported")
    if name == "acos":
        need(c > -1 and c < 1, "relu-teacher", "cos θ may be ±1 in the box (neurons may be parallel)")
    elif name in ("sqrt", "rsqrt"):
        need(c > 0, "relu-teacher", "a norm or sin θ may be 0 in the box (arc-cosine kernel not smooth)")
    r, s, t, w = c.sqrt(), 1 / (1 + (-c).exp()), c.tanh(), 1 - c * c
    f = {"acos": (c.acos(), -w.rsqrt(), -w.rsqrt() * c / w), "sqrt": (r, 1 / (2 * r), -1 / (4 * r * c)),
         "rsqrt": (1 / r, -1 / (2 * r * c), 3 / (4 * r * c * c)), "tanh": (t, 1 - t * t, -2 * t * (1 - t * t)),
         "sigmoid": (s, s * (1 - s), s * (1 - s) * (1 - 2 * s)), "softplus": (c.exp().log1p(), s, s * (1 - s))}[name]
    return z.apply(*f) if isinstance(z, Jet) else f[0]


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
