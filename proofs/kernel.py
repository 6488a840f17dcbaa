"""The checking kernel: the only maker of `Fact`s, and the table certificate kind → `Kind`.

LCF style (HOL Light's fusion.ml): a `Fact` can only be constructed with the private `_TOKEN`, which only this
module uses, in two places: :func:`lemma` (each registered rule turns its checked computation into a Fact named
after it; one rule per name) and :func:`rule_claim` (the ONLY maker of final "claim" Facts, from facts alone).
Rule modules (morse_bott, landscape, sublevel, theorems) import public names only: they register their checks
with ``@lemma`` and their certificate kinds with :func:`register` (parser, prover, header key, description);
``tests/soundness/test_independence.py`` reads every module's AST and fails if another module names the token,
builds a Fact or imports a private kernel name. `assemble` looks the claim kind up in `KINDS`, parses the hints
with its parser (malformed -> `MalformedCertificate`) and proves the claim with its prover;
`certificate.check_certificate` compares the resulting fact with the header's key.

The kernel recomputes loss, gradient and Hessian from the embedded problem itself (`proofs.loss`).
Everything is search-free (the certificate carries every hint) and fail-closed: a claim is verified only
when every step checked. A rejection (`Rejected`) says which step failed and why. A rejection does NOT
mean the claim is false -- only that this certificate does not prove it.
"""

from collections import namedtuple
from functools import reduce

from flint import arb, arb_mat, fmpq_poly

from .linalg import congruence, dominant, eye_minus, invertible, projected_gram, rows
from .loss import Jet, UPoly, fq, frac, loss, matmul, nonnegative, precision, split, to_arb
from .reader import MAX_CURVE_DEGREE, MAX_PARAMS, MAX_SAMPLE_PARAMS, bad_if, field, mat, need, num, only, rat, vec

__all__ = ["KINDS", "Fact", "Kind", "assemble", "lemma", "register", "rule_claim", "unregularised"]
_TOKEN = object()
_RULES = {}


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


def lemma(what):
    """Register ``fn(*args) -> (about, data, note)`` (raising `Rejected` when its check fails) as the kernel rule
    making Facts `what`; returns that rule. "claim" is reserved for `rule_claim`, and each name has one rule."""
    if what == "claim" or what in _RULES:
        raise ValueError(f"kernel rule {what!r} is reserved or already registered")

    def wrap(fn):
        _RULES[what] = fn

        def rule(*args):
            about, data, note = fn(*args)
            return Fact(_TOKEN, what, about, data, note)
        rule.__name__, rule.__doc__ = fn.__name__, fn.__doc__
        return rule
    return wrap


def rule_claim(what, about, facts):
    """The claim Fact `what` about `about`, from facts alone: each entry is a Fact (it must be about `about`) or
    (fact, required what, predicate on its data, why) -- all must hold, else Rejected("what: why")."""
    for f in facts:
        f, kind, ok, why = (f, f.what, None, "") if isinstance(f, Fact) else f
        if not (isinstance(f, Fact) and f.what == kind and f.about == about and (ok is None or ok(f.data))):
            need(False, what, why() if callable(why) else why or "a fact is not about this claim")
    notes = dict.fromkeys((f if isinstance(f, Fact) else f[0]).note for f in facts)
    return Fact(_TOKEN, "claim", (what,) + about, note="; ".join(x for x in notes if x))


# A certificate kind: parse(P, claim, body) -> hints; prove(P, hints) -> the claim Fact (via `rule_claim`); key(claim,
# n) -> what the fact must be about after (kind, problem sha); describe(claim) -> text after the kind; sized: reads
# points (at most MAX_PARAMS parameters; a theorem instance does not); trust: what a VERIFIED outcome rests on
# ("theorem": the kernel AND the cited theorem).
Kind = namedtuple("Kind", "parse prove key describe sized trust", defaults=(True, "kernel"))


def short(values, limit=6):
    s = ", ".join(num(v) for v in values[:limit])
    return f"({s}{', …' if len(values) > limit else ''})"


def point_key(claim, n):
    return (tuple(vec(claim["point"], n, "claim.point")),)


KINDS = {}
"""certificate kind → Kind (FORMAT.md lists the bodies)."""


def register(kind, parse, prove, key=point_key, describe=lambda c: f" at {short(c['point'])}", sized=True,
             trust="kernel"):
    if kind in KINDS:
        raise ValueError(f"certificate kind {kind!r} is already registered")
    KINDS[kind] = Kind(parse, prove, key, describe, sized, trust)


# --------------------------------------------------------------------------- derivatives from the loss
def gradient(P, p):
    L = loss(P, [Jet(v, {i: 1}, None) for i, v in enumerate(p)])
    return [L.l.get(i, 0) if isinstance(L, Jet) else 0 for i in range(len(p))]


def hessian_of(L, n):
    H = [[0] * n for _ in range(n)]
    for (i, j), v in (L.q.items() if isinstance(L, Jet) else ()):
        H[i][j] = H[j][i] = 2 * v if i == j else v
    return H


def hessian(P, p):
    return hessian_of(loss(P, [Jet(v, {i: 1}, {}) for i, v in enumerate(p)]), len(p))


def _along(P, p, coeffs, trunc):
    """L(p + t c_1 + t² c_2 + ...) - L(p) as UPoly coefficients (exact up to degree `trunc`; computed over
    flint fmpq, whose GMP gcds keep 2,000-digit curve coefficients cheap)."""
    f = loss(P, [UPoly(fmpq_poly([fq(pi)] + [fq(c[i]) for c in coeffs]), trunc) for i, pi in enumerate(p)], fq)
    a = f.p.coeffs() if isinstance(f, UPoly) else [f]
    return [0] + [frac(fq(x)) for x in a[1:]]


def box_jets(centre, radius, order):
    return [Jet(to_arb(c) + to_arb(r) * arb(0, 1), {i: 1}, {} if order == 2 else None)
            for i, (c, r) in enumerate(zip(centre, radius))]


def box_hessian(P, centre, radius):
    """J(X): an arb matrix enclosing ∇²L(x) for every x in the box X = centre ± radius (call inside `precision`)."""
    return arb_mat(hessian_of(loss(P, box_jets(centre, radius, 2), to_arb), len(centre)))


def box_quadratic(J, v):
    """vᵀ J v (arb) for a ball matrix J and a rational vector v: encloses vᵀHv for every H in J."""
    v = arb_mat([[to_arb(x)] for x in v])
    return (v.transpose() * J * v)[0, 0]


def unregularised(P, step, what="hypothesis no regularisation (Λ = 0) fails"):
    nz = next(((i + 1, r, c, v) for i, Lam in enumerate(P.reg) for r, row in enumerate(Lam) for c, v in enumerate(row)
               if v != 0), None)
    need(not nz, step, what + " (Λ_{}[{}][{}] = {} ≠ 0)", *(nz or [0] * 4))


# --------------------------------------------------------------------------- rules: checked steps -> Facts
@lemma("grad0")
def rule_gradient_zero(P, p):
    g = gradient(P, p)
    i = next((i for i, v in enumerate(g) if v != 0), 0)
    need(not any(g), "gradient", "∂L/∂θ[{}] = {} is not 0", i, g[i])
    return (P.sha, tuple(p)), None, "gradient = 0"


@lemma("curv")
def rule_curvature(P, p, v, step):
    need(any(v), step, "the direction is 0")
    a = _along(P, p, [v], 2)
    c = 2 * (a[2] if len(a) > 2 else 0)
    return (P.sha, tuple(p)), c, f"{step}: vᵀHv = {num(c)}"


MAX_LOSS_DEGREE = 2 * 16 * MAX_CURVE_DEGREE   # expanded to degree ≤ 256 (deep-linear: deg L(θ(t)) ≤ 2H·8)


@lemma("curve")
def rule_curve(P, p, coeffs, step):
    """Lowest non-zero term a_k t^k of f(t) = L(θ(t)) − L(p), θ(t) = p + Σ t^j c_j: data = (k, a_k).
    f is expanded only up to degree 2, 4, 8, … until a non-zero term appears (exact up to that degree)."""
    n, k = 1, None
    while k is None and n < MAX_LOSS_DEGREE:
        n *= 2
        a = _along(P, p, coeffs, n)
        k = next((k for k, v in enumerate(a) if v != 0), None)
    need(k is not None, step, "L(θ(t)) − L(p) is identically 0")
    return (P.sha, tuple(p)), (k, a[k]), f"{step}: L(θ(t)) − L(p) = ({num(a[k])}) t^{k} + …"


@lemma("cong")
def rule_hessian_congruence(P, p, M):
    D = congruence(hessian(P, p), M, "congruence")
    return (P.sha, tuple(p)), D, f"M H Mᵀ = diag{short(D)}"


@lemma("lower")
def rule_lower_loss(P, p, q):
    lp, lq = loss(P, p), loss(P, q)
    need(lq < lp, "witness", "L(witness) = {} is not < L(point) = {}", lq, lp)
    return (P.sha, tuple(p)), None, f"L(witness) = {num(lq)} < {num(lp)}"


@lemma("loss")
def rule_loss(P, p, want):
    lp = loss(P, p)
    need(lp == want, "loss", "L(point) = {}, not the claimed {}", lp, want)
    return (P.sha, tuple(p)), lp, ""


@lemma("zero-loss")
def rule_zero_loss(P, p):
    need(P.teacher is None, "zero-loss", "relu-teacher losses omit their constant part (not a sum of squares)")
    need(P.loss[0] in ("square", "mse", "huber") or (P.loss[0] == "poly" and nonnegative(P.loss[1])), "zero-loss",
         "the loss {} is not ≥ 0 everywhere", P.loss[0])
    need(not any(lam < 0 for Lam in P.reg for row in Lam for lam in row), "zero-loss",
         "some regularisation weight is negative, so L >= 0 does not hold")
    lp = loss(P, p)
    need(lp == 0, "zero-loss", "L(point) = {} is not 0", lp)
    return (P.sha, tuple(p)), None, "L(point) = 0 <= L everywhere (sum of squares)"


@lemma("rank-dual")
def rule_rank_dual(P, p, mu, Z, MZ, MG):
    """Deep-linear, no regularisation. L* = ½(‖Y‖² − σ_r(A)), A = Y Π Yᵀ, Π the projector on rowspace(X),
    r = min(widths), σ_r = sum of the r largest eigenvalues (Eckart–Young). Ky Fan duality: Z ⪰ 0 and
    Z + μI ⪰ A imply σ_r(A) <= rμ + tr Z. So rμ + tr Z <= ‖Y‖² − 2L(p) proves L(p) <= L*."""
    step = "rank-dual"
    need(P.kind == "deep-linear", step, "only for deep-linear problems")
    need(P.loss == ("square",), step, "Eckart–Young holds for the square loss only")
    unregularised(P, step, "requires reg = 0")
    d, r = len(P.Y), min(P.widths)
    need(all(Z[i][j] == Z[j][i] for i in range(d) for j in range(d)), step, "Z is not symmetric")
    A = projected_gram(P.X, P.Y)
    G = [[Z[i][j] + (mu if i == j else 0) - A[i][j] for j in range(d)] for i in range(d)]
    for S, M, what in ((Z, MZ, "Z ⪰ 0"), (G, MG, "Z + μI − A ⪰ 0")):
        D = congruence(S, M, f"{step} ({what})")
        need(all(x >= 0 for x in D), f"{step} ({what})", "diagonal entry {} < 0", min(D))
    bound = r * mu + sum(Z[i][i] for i in range(d))
    lp = loss(P, p)
    yy = sum(y * y for row in P.Y for y in row)
    need(bound <= yy - 2 * lp, step, "rμ + tr Z = {} is not <= ‖Y‖² − 2L(point) = {}", bound, yy - 2 * lp)
    return (P.sha, tuple(p)), None, f"σ_{r}(YΠYᵀ) <= {num(bound)}, so L(point) = {num(lp)} = L*"


@lemma("unique-zero")
def rule_krawczyk(P, centre, radius, Yp):
    """K = x̃ − Y g(x̃) + (I − Y J(X))(X − x̃) ⊂ int X  ⇒  g = ∇L has exactly one zero in X (Krawczyk; Rump)."""
    with precision(256):
        g0 = loss(P, [Jet(to_arb(c), {i: 1}, None) for i, c in enumerate(centre)], to_arb)
        g = arb_mat([[g0.l.get(i, 0) if isinstance(g0, Jet) else 0] for i in range(len(centre))])
        J = box_hessian(P, centre, radius)
        Ya = arb_mat([[to_arb(v) for v in row] for row in Yp])
        box = arb_mat([[to_arb(r) * arb(0, 1)] for r in radius])
        K = [k for k, in rows(eye_minus(Ya * J) * box - Ya * g)]
        i = next((i for i, k in enumerate(K) if not (k < to_arb(radius[i]) and k > -to_arb(radius[i]))), None)
        need(i is None, "krawczyk", "K(X)[{}] − x̃[{}] = {} is not inside (−r, r), r = {}", i, i,
             K[i or 0].str(5, radius=True), radius[i or 0])
    return (P.sha, tuple(centre), tuple(radius)), None, "Krawczyk K(X) ⊂ int X: exactly one critical point in the box"


@lemma("box-pd")
def rule_box_pd(P, centre, radius, M):
    """M J(X) Mᵀ strictly diagonally dominant with positive diagonal for the ball Hessian J(X), M invertible
    ⇒ H(x) ≻ 0 for every x in the box (Gershgorin)."""
    need(invertible(M), "box-pd", "M is singular")
    with precision(256):
        Ma = arb_mat([[to_arb(v) for v in row] for row in M])
        dominant(Ma * box_hessian(P, centre, radius) * Ma.transpose(), "box-pd")
    return (P.sha, tuple(centre), tuple(radius)), None, "H ≻ 0 on the whole box"


@lemma("box-saddle")
def rule_box_saddle(P, centre, radius, v, u):
    """vᵀ J(X) v < 0 < uᵀ J(X) u for the ball Hessian J(X) ⇒ every H(x), x in the box, has a negative and a positive
    eigenvalue (Rayleigh quotients); with Krawczyk's unique critical point x* ∈ X, x* is a strict saddle."""
    with precision(256):
        J = box_hessian(P, centre, radius)
        neg, pos = box_quadratic(J, v), box_quadratic(J, u)
        need(neg < 0, "box-saddle", "vᵀ J(X) v = {} is not < 0 on the whole box (direction)", neg.str(5, radius=True))
        need(pos > 0, "box-saddle", "uᵀ J(X) u = {} is not > 0 on the whole box (ascent)", pos.str(5, radius=True))
    return (P.sha, tuple(centre), tuple(radius)), None, "vᵀHv < 0 < uᵀHu on the whole box: a strict saddle"


@lemma("box-above")
def rule_box_above(P, centre, radius, w):
    """L on the whole box > L(w) (both in arb balls: the box's lower bound above the witness's upper bound)."""
    with precision(256):
        box = loss(P, [to_arb(c) + to_arb(r) * arb(0, 1) for c, r in zip(centre, radius)], to_arb)
        at = loss(P, [to_arb(x) for x in w], to_arb)
        need(box > at, "box-above", "L on the box ({}) is not above L(witness) ({})", box.str(8, radius=True),
             at.str(8, radius=True))
    return (P.sha, tuple(centre), tuple(radius)), None, \
        f"L(box) > L(witness) ∈ {at.str(8, radius=True)}: not a global minimum"


@lemma("pmin")
def rule_product_min(P, p, M):
    """Deep-linear, Λ = 0, so L(θ) = ℓ(π(θ) X, Y) with π(θ) = W_H ⋯ W_1 continuous (Lu & Kawaguchi 2017's deep
    problem over the end-to-end product). If R = π(θ) is a strict local minimum of the shallow loss f(R) = ℓ(R X, Y)
    over ALL d_y × d_x matrices — ∇f(R) = 0 and M ∇²f(R) Mᵀ = D ≻ 0 — then f ≥ f(R) on a ball B around R, π maps
    a neighbourhood N of θ into B, and L = f ∘ π ≥ L(θ) on N: θ is a local minimum however singular its Hessian."""
    need(P.kind == "deep-linear", "product-min", "only for deep-linear problems")
    unregularised(P, "product-min", "requires reg = 0 (then L = ℓ(W_H ⋯ W_1 X, Y))")
    Ws = split(p, P.shapes)
    R = reduce(lambda A, W: matmul(W, A), Ws[1:], Ws[0])
    dx, dy = P.widths[0], P.widths[-1]
    S = P._replace(shapes=[(dy, dx)], nparams=dx * dy, layers=[(0, None, None)], reg=[[[0] * dx for _ in range(dy)]],
                   sha=("shallow", P.sha))   # the shallow problem: one d_y × d_x layer R, same X, Y and loss
    r = [x for row in R for x in row]
    g = gradient(S, r)
    k = next((i for i, v in enumerate(g) if v != 0), None)
    need(k is None, "product-min", "∂f/∂R[{}] = {} ≠ 0 at R = W_H ⋯ W_1: not a critical point of the shallow loss",
         k, g[k] if k is not None else 0)
    D = congruence(hessian(S, r), M, "congruence")
    need(all(x > 0 for x in D), "product-min", "M ∇²f(R) Mᵀ has a diagonal entry {} <= 0: R = W_H ⋯ W_1 is not "
         "shown a strict local minimum of the shallow loss", min(D))
    return (P.sha, tuple(p)), D, "R = W_H ⋯ W_1 has ∇f(R) = 0 and M ∇²f(R) Mᵀ ≻ 0 (f(R) = ℓ(R X, Y)): a strict " \
        "local minimum of the shallow problem, so θ is a local minimum of L"


# --------------------------------------------------------------------------- parsers (hints -> Python values)
def _curve(x, n, path):
    bad_if(not isinstance(x, list) or not 1 <= len(x) <= MAX_CURVE_DEGREE, path,
           f"expected a list of 1..{MAX_CURVE_DEGREE} coefficient vectors")
    return [vec(c, n, f"{path}[{i}]") for i, c in enumerate(x)]


def _ascent(x, n, path):
    only(x, ("direction", "curve"), path)
    bad_if(len(x) != 1, path, "expected exactly one of 'direction' or 'curve'")
    return ("direction", vec(x["direction"], n, f"{path}.direction")) if "direction" in x else \
        ("curve", _curve(x["curve"], n, f"{path}.curve"))


def point_claim(**hints):
    """Parser for {"kind", "point", ["loss"]} with body fields name=(reader(x, n, path), required)."""
    def parse(P, claim, body):
        n = P.nparams
        only(claim, ("kind", "point", "loss"), "claim")
        only(body, ("kind",) + tuple(hints), "body")
        h = {"kind": claim["kind"], "p": vec(field(claim, "point", "claim"), n, "claim.point"),
             "loss": rat(claim["loss"], "claim.loss") if "loss" in claim else None}
        for k, (read, required) in hints.items():
            h[k] = read(field(body, k, "body"), n, f"body.{k}") if required or k in body else None
        return h
    return parse


VECTOR = (vec, True)
CONG = (lambda x, n, s: mat(x, n, n, s), True)
ANY = (lambda x, n, s: x, True)


def parse_global_min(P, claim, body):
    route = field(body, "route", "body")
    if route == "zero-loss":
        return point_claim(route=ANY)(P, claim, body)
    bad_if(route != "rank-dual", "body.route", f"expected 'zero-loss' or 'rank-dual', got {str(route)[:40]!r}")
    d = len(P.Y) if P.kind == "deep-linear" else 1
    dd = (lambda x, n, s: mat(x, d, d, s), True)
    return point_claim(route=ANY, mu=(lambda x, n, s: rat(x, s), True), Z=dd, Z_congruence=dd,
                       gap_congruence=dd)(P, claim, body)


def parse_box(P, claim, body, mode=None):
    """Hints of a box claim: mode None (isolated-critical-point), "spurious" (a witness) or "saddle" (v and u)."""
    n, spurious, saddle = P.nparams, mode == "spurious", mode == "saddle"
    only(claim, ("kind", "centre", "radius") + (() if mode else ("minimum",)), "claim")
    only(body, ("kind", "preconditioner") + {"spurious": ("congruence", "witness"), "saddle": ("direction", "ascent")}
         .get(mode, ("congruence",)), "body")
    c, r = vec(field(claim, "centre", "claim"), n, "claim.centre"), vec(field(claim, "radius", "claim"), n,
                                                                      "claim.radius")
    bad_if(any(v <= 0 for v in r), "claim.radius", "every radius must be > 0")
    minimum = spurious if mode else field(claim, "minimum", "claim")
    bad_if(not isinstance(minimum, bool), "claim.minimum", "expected true or false")
    bad_if(not minimum and "congruence" in body, "body.congruence", "only for minimum = true")
    return {"kind": claim["kind"], "c": c, "r": r,   # M, w, vu: the arguments of box-pd, box-above, box-saddle
            "Y": mat(field(body, "preconditioner", "body"), n, n, "body.preconditioner"),
            "M": [mat(field(body, "congruence", "body"), n, n, "body.congruence")] if minimum else None,
            "w": [vec(field(body, "witness", "body"), n, "body.witness")] if spurious else None,
            "vu": [vec(field(body, k, "body"), n, f"body.{k}") for k in ("direction", "ascent")] if saddle else None}


def parse_product_min(P, claim, body, spurious=False):
    m = P.widths[0] * P.widths[-1] if P.kind == "deep-linear" else P.nparams
    hints = {"congruence": (lambda x, n, s: mat(x, m, m, s), True)}
    return point_claim(**hints, **({"witness": VECTOR} if spurious else {}))(P, claim, body)


# --------------------------------------------------------------------------- provers: whole claims from facts
def ascent_fact(P, p, asc):
    """Not a local max: L takes values > L(p) arbitrarily close to p (vᵀHv > 0, or a curve's leading term)."""
    up = rule_curvature(P, p, asc[1], "ascent") if asc[0] == "direction" else rule_curve(P, p, asc[1], "ascent")
    return (up, up.what, lambda d: d > 0 if up.what == "curv" else d[1] > 0 or d[0] % 2,
            lambda: f"ascent: the witness does not ascend ({up.note})")


def at(P, h, grad=True):
    """(about, facts) every point claim starts from: its claimed loss if any, ∇L(p) = 0 (`grad`), and L(witness) <
    L(p) when the body has a witness (a spurious- kind)."""
    p, facts = h["p"], []
    if h["loss"] is not None:
        facts.append(rule_loss(P, p, h["loss"]))
    if grad:
        facts.append(rule_gradient_zero(P, p))
    if h.get("witness") is not None:
        facts.append(rule_lower_loss(P, p, h["witness"]))
    return (P.sha, tuple(p)), facts


def prove_strict_saddle(P, h):
    about, facts = at(P, h)
    neg = rule_curvature(P, h["p"], h["direction"], "strict-saddle")
    return rule_claim("strict-saddle", about, facts + [
        (neg, "curv", lambda c: c < 0, lambda: f"vᵀHv = {num(neg.data)} is not < 0"),
        ascent_fact(P, h["p"], h["ascent"])])


def prove_local_min(P, h):
    about, facts = at(P, h)
    cong = rule_hessian_congruence(P, h["p"], h["congruence"])
    return rule_claim(h["kind"], about, facts + [(cong, "cong", lambda D: all(x > 0 for x in D), lambda: "M H Mᵀ has "
                      f"a diagonal entry {num(min(cong.data))} <= 0, so H is not shown positive definite")])


def prove_non_strict_saddle(P, h):
    about, facts = at(P, h)
    p = h["p"]
    cong, down = rule_hessian_congruence(P, p, h["congruence"]), rule_curve(P, p, h["descent_curve"], "descent")
    facts += [(cong, "cong", lambda D: all(x >= 0 for x in D), lambda: f"M H Mᵀ has a diagonal "
               f"entry {num(min(cong.data))} < 0: H is indefinite (a strict saddle)"),
              (cong, "cong", lambda D: any(x == 0 for x in D), "H is non-singular (all of M H Mᵀ > 0)"),
              (down, "curve", lambda d: d[1] < 0 or d[0] % 2,   # f < 0 for small t > 0, or for t < 0 (odd order)
               lambda: f"descent: leading term ({num(down.data[1])}) t^{down.data[0]} is not negative")]
    if h["ascent"] is not None:
        facts.append(ascent_fact(P, p, h["ascent"]))
    else:
        need(any(x > 0 for x in cong.data) or down.data[0] % 2 == 1, "ascent", "all of M H Mᵀ is 0 and the "
             "descent curve has even order: an ascent witness is required (the point might be a local max)")
    return rule_claim("non-strict-saddle", about, facts)


def prove_global_min(P, h):
    about, facts = at(P, h, grad=False)
    return rule_claim("global-min", about, facts + [rule_zero_loss(P, h["p"]) if h["route"] == "zero-loss" else
                                                    rule_rank_dual(P, h["p"], h["mu"], h["Z"], h["Z_congruence"],
                                                                   h["gap_congruence"])])


def prove_product_min(P, h):
    about, facts = at(P, h, grad=False)
    return rule_claim(h["kind"], about, facts + [rule_product_min(P, h["p"], h["congruence"])])


def prove_box(P, h):
    c, r = h["c"], h["r"]
    extra = ((rule_box_pd, h["M"]), (rule_box_above, h["w"]), (rule_box_saddle, h["vu"]))
    return rule_claim(h["kind"], (P.sha, tuple(c), tuple(r)), [rule_krawczyk(P, c, r, h["Y"])] +
                      [rule(P, c, r, *args) for rule, args in extra if args is not None])


def _box_key(claim, n):
    return tuple(vec(claim["centre"], n, "claim.centre")), tuple(vec(claim["radius"], n, "claim.radius"))


def _box(what):
    return lambda c: f"{what(c)} in box {short(c['centre'])} ± {short(c['radius'])}"


POINT = [("critical-point", {}, lambda P, h: rule_claim("critical-point", *at(P, h))),
         ("strict-saddle", dict(direction=VECTOR, ascent=(_ascent, True)), prove_strict_saddle),
         ("non-strict-saddle", dict(congruence=CONG, descent_curve=(_curve, True), ascent=(_ascent, False)),
          prove_non_strict_saddle),
         ("local-min", dict(congruence=CONG), prove_local_min),
         ("spurious-local-min", dict(congruence=CONG, witness=VECTOR), prove_local_min)]
for _kind, _hints, _prove in POINT:
    register(_kind, point_claim(**_hints), _prove)
register("global-min", parse_global_min, prove_global_min)
for _kind in ("product-min", "spurious-product-min"):
    register(_kind, lambda P, c, b, s=_kind[0] == "s": parse_product_min(P, c, b, s), prove_product_min)
register("isolated-critical-point", parse_box, prove_box, _box_key,
         _box(lambda c: " (a strict local minimum)" if c["minimum"] else ""))
register("isolated-strict-saddle", lambda P, c, b: parse_box(P, c, b, "saddle"), prove_box, _box_key,
         _box(lambda c: " (a strict saddle: H has a negative and a positive eigenvalue)"))
register("spurious-isolated-min", lambda P, c, b: parse_box(P, c, b, "spurious"), prove_box, _box_key,
         _box(lambda c: " (a strict local minimum above a point of lower loss: spurious)"))
from . import landscape, morse_bott, sublevel, theorems  # noqa: E402,F401  (they register their kinds here)


def assemble(P, claim, body):
    """The claim Fact for a header claim and body (parsed by the kind's parser, proved by its prover)."""
    kind = claim["kind"]
    need(field(body, "kind", "body") == kind, "claim", "the claim says {} but the body "
         "proves {}", repr(kind), repr(str(body["kind"])[:40]))
    K = KINDS[kind]
    bad_if(K.sized and P.nparams > MAX_PARAMS, "problem",
           f"{P.nparams} parameters exceed the limit of {MAX_PARAMS} for a {kind} certificate")
    bad_if(K.sized and P.X is not None and len(P.X[0]) * P.size > MAX_SAMPLE_PARAMS, "problem",   # N + fixed weights
           f"{P.X and len(P.X[0])} samples × {P.size} parameters exceeds the limit of {MAX_SAMPLE_PARAMS:,}")
    return K.prove(P, K.parse(P, claim, body))
