"""The checking kernel: the rules that make `Fact`s, and a table certificate kind → (parser, rule).

LCF style (HOL Light's fusion.ml): a `Fact` can only be constructed with the private `_TOKEN`, which only
the `rule_*` functions below use; `assemble` looks the claim kind up in `KINDS`, parses the hints with its
parser (malformed -> `MalformedCertificate`) and builds the header's claim from facts alone with its rule;
`certificate.check_certificate` compares the resulting fact with the header. A new certificate kind is one
`KINDS` entry plus its parser and rule.

The kernel recomputes loss, gradient and Hessian from the embedded problem itself (`proofs.loss`).
Everything is search-free (the certificate carries every hint) and fail-closed: a claim is verified only
when every step checked. A rejection (`Rejected`) says which step failed and why. A rejection does NOT
mean the claim is false -- only that this certificate does not prove it.
"""

from flint import arb, arb_mat, fmpq_poly

from . import attestation
from .linalg import congruence, dominant, eye_minus, invertible, projected_gram, rows
from .loss import Jet, UPoly, _split, fq, frac, loss, matmul, nonnegative, precision, to_arb
from .reader import MAX_CURVE_DEGREE, Problem, Rejected, bad, field, mat, need, num, only, rat, vec
from .theorems import parse_theorem_instance, rule_theorem_instance

__all__ = ["KINDS", "Fact", "Rejected", "assemble"]
_TOKEN = object()


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


# --------------------------------------------------------------------------- derivatives from the loss
def _gradient(P, p):
    L = loss(P, [Jet(v, {i: 1}, None) for i, v in enumerate(p)])
    return [L.l.get(i, 0) if isinstance(L, Jet) else 0 for i in range(len(p))]


def _hessian_of(L, n):
    H = [[0] * n for _ in range(n)]
    for (i, j), v in (L.q.items() if isinstance(L, Jet) else ()):
        H[i][j] = H[j][i] = 2 * v if i == j else v
    return H


def _hessian(P, p):
    return _hessian_of(loss(P, [Jet(v, {i: 1}, {}) for i, v in enumerate(p)]), len(p))


def _along(P, p, coeffs, trunc):
    """L(p + t c_1 + t² c_2 + ...) - L(p) as UPoly coefficients (exact up to degree `trunc`; computed over
    flint fmpq, whose GMP gcds keep 2,000-digit curve coefficients cheap)."""
    f = loss(P, [UPoly(fmpq_poly([fq(pi)] + [fq(c[i]) for c in coeffs]), trunc) for i, pi in enumerate(p)], fq)
    a = f.p.coeffs() if isinstance(f, UPoly) else [f]
    return [0] + [frac(fq(x)) for x in a[1:]]


def _box_jets(centre, radius, order):
    unit = arb(0, 1)
    return [Jet(to_arb(c) + to_arb(r) * unit, {i: 1}, {} if order == 2 else None)
            for i, (c, r) in enumerate(zip(centre, radius))]


# --------------------------------------------------------------------------- rules (the only Fact makers)
def rule_gradient_zero(P, p):
    g = _gradient(P, p)
    bad_i = next((i for i, v in enumerate(g) if v != 0), None)
    if bad_i is not None:
        need(False, "gradient", "∂L/∂θ[{}] = {} is not 0", bad_i, g[bad_i])
    return Fact(_TOKEN, "grad0", (P.sha, tuple(p)), note="gradient = 0")


def rule_curvature(P, p, v, step):
    need(any(v), step, "the direction is 0")
    a = _along(P, p, [v], 2)
    c = 2 * (a[2] if len(a) > 2 else 0)
    return Fact(_TOKEN, "curv", (P.sha, tuple(p)), c, note=f"{step}: vᵀHv = {num(c)}")


MAX_LOSS_DEGREE = 2 * 16 * MAX_CURVE_DEGREE   # deg L(θ(t)) <= 2H·8 (deep-linear), 2(10 + 1)·8 (two-layer)


def rule_curve(P, p, coeffs, step):
    """Lowest non-zero term a_k t^k of f(t) = L(θ(t)) − L(p), θ(t) = p + Σ t^j c_j: data = (k, a_k).
    f is expanded only up to degree 2, 4, 8, … until a non-zero term appears (exact up to that degree)."""
    n = 2
    while True:
        a = _along(P, p, coeffs, n)
        k = next((k for k, v in enumerate(a) if v != 0), None)
        if k is not None or n >= MAX_LOSS_DEGREE:
            break
        n *= 2
    need(k is not None, step, "L(θ(t)) − L(p) is identically 0")
    return Fact(_TOKEN, "curve", (P.sha, tuple(p)), (k, a[k]), note=f"{step}: L(θ(t)) − L(p) = ({num(a[k])}) t^{k} + …")


def rule_hessian_congruence(P, p, M):
    D = congruence(_hessian(P, p), M, "congruence")
    return Fact(_TOKEN, "cong", (P.sha, tuple(p)), D, note=f"M H Mᵀ = diag({', '.join(map(num, D[:6]))}"
                f"{', …' if len(D) > 6 else ''})")


def rule_lower_loss(P, p, q):
    lp, lq = loss(P, p), loss(P, q)
    need(lq < lp, "witness", "L(witness) = {} is not < L(point) = {}", lq, lp)
    return Fact(_TOKEN, "lower", (P.sha, tuple(p)), note=f"L(witness) = {num(lq)} < {num(lp)}")


def rule_loss(P, p, want):
    lp = loss(P, p)
    need(lp == want, "loss", "L(point) = {}, not the claimed {}", lp, want)
    return Fact(_TOKEN, "loss", (P.sha, tuple(p)), lp)


def rule_zero_loss(P, p):
    need(P.kind != "relu-teacher", "zero-loss", "relu-teacher losses omit their constant part (not a sum of squares)")
    need(P.loss[0] in ("square", "mse", "huber") or (P.loss[0] == "poly" and nonnegative(P.loss[1])), "zero-loss",
         "the loss {} is not ≥ 0 everywhere", P.loss[0])
    neg = any(lam < 0 for Lam in P.reg for row in Lam for lam in row)
    need(not neg, "zero-loss", "some regularisation weight is negative, so L >= 0 does not hold")
    lp = loss(P, p)
    need(lp == 0, "zero-loss", "L(point) = {} is not 0", lp)
    return Fact(_TOKEN, "global", (P.sha, tuple(p)), note="L(point) = 0 <= L everywhere (sum of squares)")


def rule_rank_dual(P, p, mu, Z, MZ, MG):
    """Deep-linear, no regularisation. L* = ½(‖Y‖² − σ_r(A)), A = Y Π Yᵀ, Π the projector on rowspace(X),
    r = min(widths), σ_r = sum of the r largest eigenvalues (Eckart–Young). Ky Fan duality: Z ⪰ 0 and
    Z + μI ⪰ A imply σ_r(A) <= rμ + tr Z. So rμ + tr Z <= ‖Y‖² − 2L(p) proves L(p) <= L*."""
    step = "rank-dual"
    need(P.kind == "deep-linear", step, "only for deep-linear problems")
    need(P.loss == ("square",), step, "Eckart–Young holds for the square loss only")
    need(all(lam == 0 for Lam in P.reg for row in Lam for lam in row), step, "requires reg = 0")
    d, r = len(P.Y), min(P.widths)
    need(all(Z[i][j] == Z[j][i] for i in range(d) for j in range(d)), step, "Z is not symmetric")
    A = projected_gram(P.X, P.Y)
    dz = congruence(Z, MZ, f"{step} (Z ⪰ 0)")
    need(all(x >= 0 for x in dz), f"{step} (Z ⪰ 0)", "diagonal entry {} < 0", min(dz))
    G = [[Z[i][j] + (mu if i == j else 0) - A[i][j] for j in range(d)] for i in range(d)]
    dg = congruence(G, MG, f"{step} (Z + μI − A ⪰ 0)")
    need(all(x >= 0 for x in dg), f"{step} (Z + μI − A ⪰ 0)", "diagonal entry {} < 0", min(dg))
    bound = r * mu + sum(Z[i][i] for i in range(d))
    lp = loss(P, p)
    yy = sum(y * y for row in P.Y for y in row)
    need(bound <= yy - 2 * lp, step, "rμ + tr Z = {} is not <= ‖Y‖² − 2L(point) = {}", bound, yy - 2 * lp)
    return Fact(_TOKEN, "global", (P.sha, tuple(p)), note=f"σ_{r}(YΠYᵀ) <= {num(bound)}, so L(point) = {num(lp)} = L*")


def rule_krawczyk(P, centre, radius, Yp):
    """K = x̃ − Y g(x̃) + (I − Y J(X))(X − x̃) ⊂ int X  ⇒  g = ∇L has exactly one zero in X (Krawczyk; Rump)."""
    with precision(256):
        n = len(centre)
        g0 = loss(P, [Jet(to_arb(c), {i: 1}, None) for i, c in enumerate(centre)], to_arb)
        g = arb_mat([[g0.l.get(i, 0) if isinstance(g0, Jet) else 0] for i in range(n)])
        J = arb_mat(_hessian_of(loss(P, _box_jets(centre, radius, 2), to_arb), n))
        Ya = arb_mat([[to_arb(v) for v in row] for row in Yp])
        box = arb_mat([[to_arb(r) * arb(0, 1)] for r in radius])
        K = rows(eye_minus(Ya * J) * box - Ya * g)
        for i in range(n):
            k, r = K[i][0], to_arb(radius[i])
            if not (k < r and k > -r):
                need(False, "krawczyk", "K(X)[{}] − x̃[{}] = {} is not inside (−r, r), r = {}", i, i,
                     k.str(5, radius=True), radius[i])
    return Fact(_TOKEN, "unique-zero", (P.sha, tuple(centre), tuple(radius)),
                note="Krawczyk K(X) ⊂ int X: exactly one critical point in the box")


def rule_box_pd(P, centre, radius, M):
    """M J(X) Mᵀ strictly diagonally dominant with positive diagonal for the ball Hessian J(X), M invertible
    ⇒ H(x) ≻ 0 for every x in the box (Gershgorin)."""
    need(invertible(M), "box-pd", "M is singular")
    with precision(256):
        J = arb_mat(_hessian_of(loss(P, _box_jets(centre, radius, 2), to_arb), len(centre)))
        Ma = arb_mat([[to_arb(v) for v in row] for row in M])
        dominant(Ma * J * Ma.transpose(), "box-pd")
    return Fact(_TOKEN, "box-pd", (P.sha, tuple(centre), tuple(radius)), note="H ≻ 0 on the whole box")


def rule_box_above(P, centre, radius, w):
    """L on the whole box > L(w) (both in arb balls: the box's lower bound above the witness's upper bound)."""
    with precision(256):
        box = loss(P, [to_arb(c) + to_arb(r) * arb(0, 1) for c, r in zip(centre, radius)], to_arb)
        at = loss(P, [to_arb(x) for x in w], to_arb)
        need(box > at, "box-above", "L on the box ({}) is not above L(witness) ({})", box.str(8, radius=True),
             at.str(8, radius=True))
    return Fact(_TOKEN, "box-above", (P.sha, tuple(centre), tuple(radius)), note=f"L(box) > L(witness) ∈ "
                f"{at.str(8, radius=True)}: not a global minimum")


def rule_attestation(P, h):
    """Not a proof: records that the query is tied to P and the fixed statement (proofs.attestation)."""
    scripts = attestation.check_query(P, h["text"])
    return Fact(_TOKEN, "attested", ("solver-attested", P.sha, h["statement"]),
                note=f"{scripts} query script(s), each asserting ∇L = 0 of the embedded problem")


def rule_claim(what, about, facts):
    """Assemble a claim from facts; each (fact, required what, predicate on data, why) must hold."""
    for f, kind, ok, why in facts:
        if not (isinstance(f, Fact) and f.what == kind and f.about == about and ok(f.data)):
            need(False, what, why() if callable(why) else why)
    notes = list(dict.fromkeys(f[0].note for f in facts))
    return Fact(_TOKEN, "claim", (what,) + about, note="; ".join(x for x in notes if x))


# --------------------------------------------------------------------------- parsers (hints -> Python values)
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




def point_claim(**hints):
    """Parser for {"kind", "point", ["loss"]} with body fields name=(reader(x, n, path), required)."""
    def parse(P, claim, body):
        n = P.nparams
        only(claim, ("kind", "point", "loss"), "claim")
        only(body, ("kind",) + tuple(hints), "body")
        h = {"p": vec(field(claim, "point", "claim"), n, "claim.point"),
             "loss": rat(claim["loss"], "claim.loss") if "loss" in claim else None}
        for k, (read, required) in hints.items():
            h[k] = read(field(body, k, "body"), n, f"body.{k}") if required or k in body else None
        return h
    return parse


def parse_global_min(P, claim, body):
    route = field(body, "route", "body")
    if route == "zero-loss":
        return point_claim(route=(lambda x, n, s: x, True))(P, claim, body)
    if route != "rank-dual":
        bad("body.route", f"expected 'zero-loss' or 'rank-dual', got {str(route)[:40]!r}")
    d = len(P.Y) if P.kind == "deep-linear" else 1
    dd = (lambda x, n, s: mat(x, d, d, s), True)
    return point_claim(route=(lambda x, n, s: x, True), mu=(lambda x, n, s: rat(x, s), True), Z=dd,
                       Z_congruence=dd, gap_congruence=dd)(P, claim, body)


def parse_box(P, claim, body):
    n = P.nparams
    only(claim, ("kind", "centre", "radius", "minimum"), "claim")
    only(body, ("kind", "preconditioner", "congruence"), "body")
    c, r = vec(field(claim, "centre", "claim"), n, "claim.centre"), vec(field(claim, "radius", "claim"), n,
                                                                      "claim.radius")
    if any(v <= 0 for v in r):
        bad("claim.radius", "every radius must be > 0")
    minimum = field(claim, "minimum", "claim")
    if not isinstance(minimum, bool):
        bad("claim.minimum", "expected true or false")
    if not minimum and "congruence" in body:
        bad("body.congruence", "only for minimum = true")
    return {"c": c, "r": r, "minimum": minimum, "Y": mat(field(body, "preconditioner", "body"), n, n,
                                                         "body.preconditioner"),
            "M": mat(field(body, "congruence", "body"), n, n, "body.congruence") if minimum else None}


def _text(x, path, limit):
    if not isinstance(x, str) or not x.strip() or len(x) > limit:
        bad(path, f"expected a non-empty string of at most {limit} characters")
    return x


def parse_attestation(P, claim, body):
    only(claim, ("kind", "statement"), "claim")
    only(body, ("kind", "query", "expected", "solvers"), "body")
    statement = _text(field(claim, "statement", "claim"), "claim.statement", 1000)
    query = field(body, "query", "body")
    only(query, ("language", "text"), "body.query")
    language = _text(field(query, "language", "body.query"), "body.query.language", 40)
    text = _text(field(query, "text", "body.query"), "body.query.text", 1_000_000)
    expected = field(body, "expected", "body")
    if expected not in ("sat", "unsat"):
        bad("body.expected", "expected 'sat' or 'unsat'")
    solvers = field(body, "solvers", "body")
    if not isinstance(solvers, list) or not 1 <= len(solvers) <= 10:
        bad("body.solvers", "expected a list of 1..10 solver records")
    runs = []
    for i, s in enumerate(solvers):
        at = f"body.solvers[{i}]"
        only(s, ("name", "version", "answer"), at)
        runs.append(tuple(_text(field(s, k, at), f"{at}.{k}", 80) for k in ("name", "version", "answer")))
    return {"statement": statement, "language": language, "text": text, "expected": expected, "runs": runs}


# --------------------------------------------------------------------------- rules for whole claims
def _ascends(f):   # the fact shows L takes values > L(p) arbitrarily close to p (p is not a local max)
    return f.data > 0 if f.what == "curv" else (f.data[1] > 0 or f.data[0] % 2 == 1)


def _descends(f):  # not a local min: a curve whose leading term is negative for small t > 0 (or odd order)
    return f.data[1] < 0 or f.data[0] % 2 == 1


def _ascent_fact(P, p, asc):
    up = rule_curvature(P, p, asc[1], "ascent") if asc[0] == "direction" else rule_curve(P, p, asc[1], "ascent")
    return (up, up.what, lambda d: _ascends(up), lambda: f"ascent: the witness does not ascend ({up.note})")


def _at(P, h):
    """The facts every point claim starts from: its claimed loss, if any."""
    p = h["p"]
    return (P.sha, tuple(p)), ([] if h["loss"] is None else [(rule_loss(P, p, h["loss"]), "loss", lambda d: True, "")])


def _grad0(P, p):
    return (rule_gradient_zero(P, p), "grad0", lambda d: True, "")


def prove_critical_point(P, h):
    about, facts = _at(P, h)
    return rule_claim("critical-point", about, facts + [_grad0(P, h["p"])])


def prove_strict_saddle(P, h):
    about, facts = _at(P, h)
    neg = rule_curvature(P, h["p"], h["direction"], "strict-saddle")
    return rule_claim("strict-saddle", about, facts + [
        _grad0(P, h["p"]), (neg, "curv", lambda c: c < 0, lambda: f"vᵀHv = {num(neg.data)} is not < 0"),
        _ascent_fact(P, h["p"], h["ascent"])])


def prove_local_min(P, h, kind="local-min"):
    about, facts = _at(P, h)
    cong = rule_hessian_congruence(P, h["p"], h["congruence"])
    facts += [_grad0(P, h["p"]), (cong, "cong", lambda D: all(x > 0 for x in D), lambda: f"M H Mᵀ has a diagonal "
              f"entry {num(min(cong.data))} <= 0, so H is not shown positive definite")]
    if kind == "spurious-local-min":
        facts.append((rule_lower_loss(P, h["p"], h["witness"]), "lower", lambda d: True, ""))
    return rule_claim(kind, about, facts)


def parse_product_min(P, claim, body, spurious=False):
    m = P.widths[0] * P.widths[-1] if P.kind == "deep-linear" else P.nparams
    hints = {"congruence": (lambda x, n, s: mat(x, m, m, s), True)}
    return point_claim(**hints, **({"witness": VECTOR} if spurious else {}))(P, claim, body)


def rule_product_min(P, p, M):
    """Deep-linear, Λ = 0, so L(θ) = ℓ(π(θ) X, Y) with π(θ) = W_H ⋯ W_1 continuous (Lu & Kawaguchi 2017's deep
    problem over the end-to-end product). If R = π(θ) is a strict local minimum of the shallow loss f(R) = ℓ(R X, Y)
    over ALL d_y × d_x matrices — ∇f(R) = 0 and M ∇²f(R) Mᵀ = D ≻ 0 — then f ≥ f(R) on a ball B around R, π maps
    a neighbourhood N of θ into B, and L = f ∘ π ≥ L(θ) on N: θ is a local minimum however singular its Hessian."""
    need(P.kind == "deep-linear", "product-min", "only for deep-linear problems")
    need(all(lam == 0 for Lam in P.reg for row in Lam for lam in row), "product-min",
         "requires reg = 0 (then L = ℓ(W_H ⋯ W_1 X, Y))")
    Ws = _split(p, P.shapes)
    R = Ws[0]
    for W in Ws[1:]:
        R = matmul(W, R)
    dx, dy = P.widths[0], P.widths[-1]
    S = Problem(kind="deep-linear", shapes=[(dy, dx)], labels=["R"], nparams=dx * dy, X=P.X, Y=P.Y,
                reg=[[[0] * dx for _ in range(dy)]], widths=[dx, dy], loss=P.loss, sha=("shallow", P.sha))
    r = [x for row in R for x in row]
    g = _gradient(S, r)
    k = next((i for i, v in enumerate(g) if v != 0), None)
    need(k is None, "product-min", "∂f/∂R[{}] = {} ≠ 0 at R = W_H ⋯ W_1: not a critical point of the shallow loss",
         k, g[k] if k is not None else 0)
    D = congruence(_hessian(S, r), M, "congruence")
    need(all(x > 0 for x in D), "product-min", "M ∇²f(R) Mᵀ has a diagonal entry {} <= 0: R = W_H ⋯ W_1 is not "
         "shown a strict local minimum of the shallow loss", min(D))
    return Fact(_TOKEN, "pmin", (P.sha, tuple(p)), D, note="R = W_H ⋯ W_1 has ∇f(R) = 0 and M ∇²f(R) Mᵀ ≻ 0 "
                "(f(R) = ℓ(R X, Y)): a strict local minimum of the shallow problem, so θ is a local minimum of L")


def prove_product_min(P, h, kind="product-min"):
    about, facts = _at(P, h)
    facts.append((rule_product_min(P, h["p"], h["congruence"]), "pmin", lambda d: True, ""))
    if kind == "spurious-product-min":
        facts.append((rule_lower_loss(P, h["p"], h["witness"]), "lower", lambda d: True, ""))
    return rule_claim(kind, about, facts)


def prove_non_strict_saddle(P, h):
    about, facts = _at(P, h)
    p = h["p"]
    cong = rule_hessian_congruence(P, p, h["congruence"])
    down = rule_curve(P, p, h["descent_curve"], "descent")
    facts += [_grad0(P, p), (cong, "cong", lambda D: all(x >= 0 for x in D), lambda: f"M H Mᵀ has a diagonal "
              f"entry {num(min(cong.data))} < 0: H is indefinite (a strict saddle)"),
              (cong, "cong", lambda D: any(x == 0 for x in D), "H is non-singular (all of M H Mᵀ > 0)"),
              (down, "curve", lambda d: _descends(down),
               lambda: f"descent: leading term ({num(down.data[1])}) t^{down.data[0]} is not negative")]
    if h["ascent"] is not None:
        facts.append(_ascent_fact(P, p, h["ascent"]))
    else:
        need(any(x > 0 for x in cong.data) or down.data[0] % 2 == 1, "ascent", "all of M H Mᵀ is 0 and the "
             "descent curve has even order: an ascent witness is required (the point might be a local max)")
    return rule_claim("non-strict-saddle", about, facts)


def prove_global_min(P, h):
    about, facts = _at(P, h)
    g = rule_zero_loss(P, h["p"]) if h["route"] == "zero-loss" else \
        rule_rank_dual(P, h["p"], h["mu"], h["Z"], h["Z_congruence"], h["gap_congruence"])
    return rule_claim("global-min", about, facts + [(g, "global", lambda d: True, "")])


def prove_box(P, h):
    facts = [(rule_krawczyk(P, h["c"], h["r"], h["Y"]), "unique-zero", lambda d: True, "")]
    if h["minimum"]:
        facts.append((rule_box_pd(P, h["c"], h["r"], h["M"]), "box-pd", lambda d: True, ""))
    return rule_claim("isolated-critical-point", (P.sha, tuple(h["c"]), tuple(h["r"])), facts)


def parse_spurious_box(P, claim, body):
    only(claim, ("kind", "centre", "radius"), "claim")
    h = parse_box(P, {**claim, "minimum": True}, {k: v for k, v in body.items() if k != "witness"})
    h["w"] = vec(field(body, "witness", "body"), P.nparams, "body.witness")
    return h


def prove_spurious_box(P, h):
    about = (P.sha, tuple(h["c"]), tuple(h["r"]))
    return rule_claim("spurious-isolated-min", about, [
        (rule_krawczyk(P, h["c"], h["r"], h["Y"]), "unique-zero", lambda d: True, ""),
        (rule_box_pd(P, h["c"], h["r"], h["M"]), "box-pd", lambda d: True, ""),
        (rule_box_above(P, h["c"], h["r"], h["w"]), "box-above", lambda d: True, "")])


def attest(P, h):
    """Solver attestation (never a proof): fixed statement, every answer 'unsat', query tied to P."""
    step = "solver-attested"
    need(h["statement"] in attestation.STATEMENTS, step, "the statement {} is not one of the fixed attestation "
         "statements ('<claim>: {}')", repr(h["statement"][:80]), attestation._CRIT)
    need(h["language"] == attestation.LANGUAGE, step, "query language {} is not {}", repr(h["language"][:40]),
         repr(attestation.LANGUAGE))
    need(h["expected"] == "unsat", step, "the statement is proved by 'unsat', not {}", repr(h["expected"]))
    for name, version, answer in h["runs"]:
        need(answer == "unsat", step, "{} {} answered {}, expected 'unsat'", name, version, repr(answer))
    return rule_attestation(P, h)


VECTOR = (vec, True)
CONG = (lambda x, n, s: mat(x, n, n, s), True)
from . import morse_bott  # noqa: E402  (its rules use the ones above)
from .landscape import parse_complete_landscape, rule_complete_landscape  # noqa: E402
from .sublevel import parse_sublevel_path, rule_sublevel_path  # noqa: E402

KINDS = {
    "critical-point": (point_claim(), prove_critical_point),
    "strict-saddle": (point_claim(direction=VECTOR, ascent=(_ascent, True)), prove_strict_saddle),
    "non-strict-saddle": (point_claim(congruence=CONG, descent_curve=(_curve, True), ascent=(_ascent, False)),
                          prove_non_strict_saddle),
    "local-min": (point_claim(congruence=CONG), prove_local_min),
    "spurious-local-min": (point_claim(congruence=CONG, witness=VECTOR),
                           lambda P, h: prove_local_min(P, h, "spurious-local-min")),
    "global-min": (parse_global_min, prove_global_min),
    "product-min": (parse_product_min, prove_product_min),
    "spurious-product-min": (lambda P, c, b: parse_product_min(P, c, b, True),
                             lambda P, h: prove_product_min(P, h, "spurious-product-min")),
    "isolated-critical-point": (parse_box, prove_box),
    "spurious-isolated-min": (parse_spurious_box, prove_spurious_box),
    "solver-attested": (parse_attestation, attest),
    "theorem-instance": (parse_theorem_instance, rule_theorem_instance),
    **morse_bott.KINDS,
    "complete-landscape": (parse_complete_landscape, rule_complete_landscape),
    "sublevel-path": (parse_sublevel_path, rule_sublevel_path),
}
"""certificate kind → (parser(P, claim, body) -> hints, rule(P, hints) -> Fact). FORMAT.md lists the bodies."""
CLAIM_KINDS = tuple(KINDS)


def assemble(P, claim, body):
    """The claim Fact for a header claim and body (parsed by the kind's parser, proved by its rule)."""
    kind = claim["kind"]
    parse, prove = KINDS[kind]
    need(field(body, "kind", "body") == kind, "claim", "the claim says {} but the body "
         "proves {}", repr(kind), repr(str(body["kind"])[:40]))
    return prove(P, parse(P, claim, body))
