"""Theorem instances (certificate kind ``theorem-instance``): a fixed table of published theorems whose
hypotheses the kernel re-checks EXACTLY on the embedded problem (python-flint fmpq_mat / fmpq_poly, no floats).

A certificate names a theorem of :data:`THEOREMS` and one claim it concludes; the body carries at most a hint
(Σ's characteristic polynomial, recomputed and compared). The kernel rule ``theorem`` (:func:`rule_theorem`,
registered with ``proofs.kernel.lemma``) checks every hypothesis in the entry's order and fails closed, naming the
first one that fails ("theorem-instance: hypothesis rank(X Yᵀ) = d_y fails (rank 1 < 2)"); the claim itself is made
by the kernel's ``rule_claim``. What is trusted beyond the kernel's arithmetic: that the cited theorem is true as
printed (hence ``trust: "theorem"``). Each entry implements the statement as printed, quoted in its docstring from
../shared/REFERENCE.md ("Theorem statements, as printed", read from the papers' own text on 2026-12-07); a theorem
whose hypotheses need more than the kernel can check exactly is left out. Notation: H weight matrices W_1 … W_H,
widths d_0 = d_x, …, d_H = d_y, X is d_x × m and Y is d_y × m (one sample per column). The ``mse`` loss is a positive
multiple of the square loss (the same minima and saddles), so "square loss" admits it.
"""

from itertools import combinations_with_replacement as cwr
from math import comb, prod

from .kernel import lemma, register, rule_claim, unregularised
from .linalg import rank
from .loss import convex, fq, frac, qmat
from .reader import MAX_ENTRIES, Rejected, bad_if, checked, need, num, only, vec

STEP = "theorem-instance"


def _loss(P, need_square):
    """The square loss (or mse, a positive multiple of it) when ``need_square``, else any convex ℓ (exactly)."""
    need(not need_square or P.loss[0] in ("square", "mse"), STEP, "hypothesis the square loss fails (the loss is {})",
         P.loss[0])
    need(need_square or convex(P.loss), STEP, "hypothesis a convex loss fails (φ″ takes a negative value: φ″ has a "
         "real root of odd multiplicity or a negative leading coefficient)")
    return "square loss" if P.loss[0] in ("square", "mse") else f"{P.loss[0]} loss (convex)"


def _deep_linear_unregularised(P, need_square=True):
    """Deep linear, Λ = 0; the square loss (need_square), a convex loss (False) or any loss (None)."""
    need(P.kind == "deep-linear", STEP, "hypothesis deep linear network fails (the problem is {})", P.kind)
    if need_square is not None:
        _loss(P, need_square)
    unregularised(P, STEP)


def _gram(A, B):
    return qmat(A) * qmat(B).transpose()


def _sigma(P):
    """Σ = Y Xᵀ (X Xᵀ)⁻¹ X Yᵀ (X Xᵀ invertible: checked before)."""
    XY = _gram(P.X, P.Y)
    return XY.transpose() * _gram(P.X, P.X).solve(XY)


def _full_row_rank(name, A):
    """rank A = rows(A) (d_x > m, say, fails at once; else the exact rank, see linalg.rank)."""
    r = rank(A) if len(A) <= len(A[0]) else len(A[0])
    need(r == len(A), STEP, "hypothesis {} has full row rank fails (rank {} ≤ {} < {} rows)", name, name, r, len(A))
    return f"rank {name} = {r}"


def kawaguchi_2016(P, statement, hints):
    """Kawaguchi 2016, Theorem 2.3 (square loss ½‖W_H⋯W_1X − Y‖², no regulariser): "Assume that XXᵀ and XYᵀ are of
    full rank with d_y ≤ d_x and Σ [= YXᵀ(XXᵀ)⁻¹XYᵀ] has d_y distinct eigenvalues. Then, for any depth and any layer
    widths (ii) every local minimum is a global minimum; (iii) every critical point that is not a global minimum is a
    saddle point; (iv) if rank(W_{H−1}⋯W_2) = p, the Hessian at any saddle point has at least one strictly negative
    eigenvalue." Corollary 2.4: with one hidden layer (H = 2) every saddle has a negative eigenvalue (the product in
    (iv) is I_{d_1}). So ``no-spurious-local-min`` from (ii), and ``strict-saddle`` (every critical point that is not
    a global minimum has a negative eigenvalue) from (iii) + Corollary 2.4 for H = 2 only — deeper nets have saddles
    without one. rank(XXᵀ) = rank X and rank(XYᵀ) are decided exactly; distinct eigenvalues: gcd(χ_Σ, χ_Σ′) = 1."""
    _deep_linear_unregularised(P)
    H, dx, dy = len(P.widths) - 1, P.widths[0], P.widths[-1]
    need(statement != "strict-saddle" or H == 2, STEP, "'strict-saddle' is concluded only with one hidden layer "
         "(H = 2), not H = {} (for H ≥ 3 the origin is a saddle with no negative eigenvalue)", H)
    need(dy <= dx, STEP, "hypothesis d_y ≤ d_x fails (d_y = {} > d_x = {})", dy, dx)
    _full_row_rank("X", P.X)
    rxy = _gram(P.X, P.Y).rank()
    need(rxy == dy, STEP, "hypothesis rank(X Yᵀ) = d_y fails (rank {} < {})", rxy, dy)
    chi = _sigma(P).charpoly()
    if hints.get("charpoly") is not None and [fq(c) for c in hints["charpoly"]] != list(chi.coeffs()):
        raise Rejected(f"{STEP}: hint charpoly {[num(c) for c in hints['charpoly'][:6]]} is not the characteristic "
                       f"polynomial of Σ = Y Xᵀ (X Xᵀ)⁻¹ X Yᵀ ({[num(frac(c)) for c in chi.coeffs()[:6]]})")
    g = chi.gcd(chi.derivative())
    need(g.degree() <= 0, STEP, "hypothesis Σ = Y Xᵀ (X Xᵀ)⁻¹ X Yᵀ has d_y distinct eigenvalues fails (gcd(χ_Σ, χ_Σ′) "
         "has degree {}: a repeated eigenvalue)", g.degree())
    return f"{H} weight matrices, d_y = {dy} ≤ d_x = {dx}, rank(X Xᵀ) = {dx}, rank(X Yᵀ) = {dy}, χ_Σ square-free"


def lu_kawaguchi_2017(P, statement, hints):
    """Lu & Kawaguchi 2017 (square loss ½‖W_H⋯W_1X − Y‖²_F, no regulariser; p = argmin_{0≤i≤H} d_i; the shallow
    problem (2): min ‖RX − Y‖²_F s.t. rank R ≤ d_p). Theorem 2.3: "If X and Y have full row rank, then all local
    minima of problem (1) are global minima." (``no-spurious-local-min``; any widths, bottlenecks and d_y > d_x
    included.) Theorem 2.1: "Assume that X and Y have full row rank. If W̄ is a local minimum of problem (1), then
    R̄ = W̄_H⋯W̄_1 achieves the value of a local minimum of problem (2)." (``depth-adds-no-bad-minima``.)"""
    _deep_linear_unregularised(P)
    return f"square loss, Λ = 0, {_full_row_rank('X', P.X)}, {_full_row_rank('Y', P.Y)} (full row rank)"


def _no_narrow_hidden_layer(P, strict):
    w, low = P.widths, min(P.widths[0], P.widths[-1])
    narrow = next((i for i in range(1, len(w) - 1) if w[i] < low or (strict and w[i] == low)), None)
    need(narrow is None, STEP, "hypothesis every hidden width {} min(d_x, d_y) fails (hidden width d_{} = {} {} {})",
         ">" if strict else "≥", narrow, w[narrow or 0], "≤" if strict else "<", low)
    return f"hidden widths {'>' if strict else '≥'} min(d_x, d_y) = {low}"


def laurent_von_brecht_2018(P, statement, hints):
    """Laurent & von Brecht 2018: "deep linear nets, any differentiable convex loss, every hidden layer at least as
    wide as the input or every hidden layer at least as wide as the output: every local minimum is global" — i.e.
    every hidden width ≥ min(d_x, d_y), Λ = 0, ℓ convex (decided exactly for ``poly``; square, mse, huber, logistic
    and cross-entropy are convex and differentiable). ``depth-adds-no-bad-minima`` follows: no hidden width is
    below min(d_x, d_y), so the shallow problem (2) is unconstrained and a deep local minimum — global — has a
    product R minimising ℓ(R X, Y) over every R: a local minimum of (2)."""
    _deep_linear_unregularised(P, need_square=False)
    return f"{_no_narrow_hidden_layer(P, False)}, {_loss(P, False)}, Λ = 0"


def data_intrinsic_dimension(P):
    """q = dim span{(σ(w·x_1), …, σ(w·x_m)) : w ∈ R^n} for σ(t) = Σ_j c_j t^j, exactly: σ(λw·x) = Σ_j c_j λ^j (w·x)^j
    and a Vandermonde in λ put each (w·x)^j with c_j ≠ 0 in the span, and the (w·x)^j span the degree-j forms, so the
    span is that of the monomials x^α (|α| = j, c_j ≠ 0) at the samples: q = rank Φ (m × monomials). UNWEIGHTED:
    K = Σ_{j: c_j ≠ 0} (x_i·x_k)^j = Φ D Φᵀ with D the positive multinomial weights, so rank K = rank Φ (over R).
    (Weighting degree j by c_j can cancel rank when the c_j have mixed signs: σ = −t⁵ + 5t³ + t² − 4t, X = [[1, −1]]
    gives Σ_j c_j (x_i·x_k)^j = [[1, 1], [1, 1]] of rank 1, while q = 2.)"""
    cols, js = [list(c) for c in zip(*P.X)], [j for j, c in enumerate(P.act) if c != 0]
    if sum(comb(len(P.X) + j - 1, j) for j in js) <= len(cols):   # Φ itself is no larger than K (m × m)
        return rank([[prod((x[k] for k in ks), start=1) for j in js for ks in cwr(range(len(x)), j)] for x in cols])
    bad_if(len(cols) ** 2 > MAX_ENTRIES, "problem.X",
           f"{len(cols)} samples: the intrinsic dimension's m × m kernel exceeds {MAX_ENTRIES} entries")
    G = [[sum(a * b for a, b in zip(u, v)) for v in cols] for u in cols]
    return rank([[sum(g ** j for j in js) for g in row] for row in G])


def venturi_2018(P, statement, hints):
    """Venturi, Bandeira & Bruna 2018, as ../shared/REFERENCE.md states what an entry may use (their primary text was
    not at hand): one hidden layer, both layers trained, no regulariser, a convex loss whose minimum over the
    network's outputs is ATTAINED, width p ≥ q = dim span{x ↦ σ(w·x)} on the data (:func:`data_intrinsic_dimension`,
    unweighted) ⇒ no spurious valleys. Attained: the outputs U σ(W X) with p ≥ q fill the linear space V^{d_y}
    (V the span above), and a coercive convex ℓ attains its minimum on it — so square, mse, power, convex poly and
    huber only; not logistic or cross-entropy (no global minimum on separable data: the claim would be false)."""
    need(P.kind == "two-layer" and P.act != "relu", STEP, "hypothesis two-layer net with a polynomial activation fails "
         "(the problem is {}; the kernel computes the intrinsic dimension exactly for polynomial σ only)", P.describe())
    need(P.U is None, STEP, "hypothesis both layers trained fails (the output layer U is fixed: train_output = false)")
    unregularised(P, STEP)
    need(P.loss[0] not in ("logistic", "cross-entropy"), STEP, "hypothesis an attained minimum (a coercive loss) fails "
         "(the {} loss need not attain its infimum)", P.loss[0])
    loss = _loss(P, False)
    p, q = P.shapes[0][0], data_intrinsic_dimension(P)
    need(p >= q, STEP, "hypothesis width p ≥ the intrinsic dimension on the data fails (p = {} < {} = rank "
         "Σ_{{j: c_j ≠ 0}} (x_i·x_k)^j)", p, q)
    return f"width p = {p} ≥ {q} = the intrinsic dimension on the {len(P.X[0])} samples, both layers trained, " \
        f"{loss} (coercive: the minimum is attained), Λ = 0"


def freeman_bruna_2017(P, statement, hints):
    """Freeman & Bruna 2017, Proposition 2.2 (linear nets; final version): "if every hidden width n_j > min(d_x, d_y)
    (strictly), the sublevel sets of the (unregularised) loss are connected for every level and every depth" —
    square loss, Λ = 0. Connected sublevel sets: every component contains the global minimum
    (``no-spurious-valley``)."""
    _deep_linear_unregularised(P)
    return f"{_no_narrow_hidden_layer(P, True)}, square loss, Λ = 0"


def scalar_product_open(P, statement, hints):
    """Scalar deep linear nets (every width 1), Λ = 0, ANY loss ℓ: every local minimum θ of L = f ∘ π, f(R) = ℓ(R x,
    y), π(w) = w_H ⋯ w_1, has R = π(θ) a local minimum of f — depth adds no bad local minimum (the statement of Lu &
    Kawaguchi 2017, shown here for scalar layers by an elementary argument, not taken from the paper).

    Proof: π is open at every θ. If at most one w_j is 0, some ∂π/∂w_i = Π_{k≠i} w_k ≠ 0 and π is a submersion at
    θ. If k ≥ 2 entries are 0, set one of them to s and the others to ε ≠ 0: π = s ε^{k−1} c with c the product of
    the non-zero entries, which covers (−ε^k|c|, ε^k|c|) ∋ π(θ) = 0 as s runs over (−ε, ε). So π maps every
    neighbourhood N of θ onto a set containing a neighbourhood of R; f ∘ π ≥ L(θ) on N gives f ≥ f(R) there. The
    rank bound is 1 = min(d_x, d_y): the shallow problem is f over all of R."""
    _deep_linear_unregularised(P, need_square=None)
    wide = next((i for i, w in enumerate(P.widths) if w != 1), None)
    need(wide is None, STEP, "hypothesis every width is 1 (scalar layers) fails (d_{} = {})", wide, P.widths[wide or 0])
    return f"scalar layers (widths {list(P.widths)}), Λ = 0, any loss ({P.loss[0]})"


THEOREMS = {
    "kawaguchi-2016-theorem-2.3": ("Kawaguchi 2016, Theorem 2.3", ("no-spurious-local-min", "strict-saddle"),
                                   kawaguchi_2016),
    "lu-kawaguchi-2017-theorem-2.3": ("Lu & Kawaguchi 2017, Theorem 2.3", ("no-spurious-local-min",),
                                      lu_kawaguchi_2017),
    "lu-kawaguchi-2017-theorem-2.1": ("Lu & Kawaguchi 2017, Theorem 2.1", ("depth-adds-no-bad-minima",),
                                      lu_kawaguchi_2017),
    "laurent-von-brecht-2018": ("Laurent & von Brecht 2018", ("no-spurious-local-min", "depth-adds-no-bad-minima"),
                                laurent_von_brecht_2018),
    "venturi-bandeira-bruna-2018": ("Venturi, Bandeira & Bruna 2018", ("no-spurious-valley",), venturi_2018),
    "freeman-bruna-2017": ("Freeman & Bruna 2017, Proposition 2.2", ("no-spurious-valley",), freeman_bruna_2017),
    "scalar-product-open": ("the open product map of scalar layers (elementary; Lu & Kawaguchi 2017's statement)",
                            ("depth-adds-no-bad-minima",), scalar_product_open),
}
"""theorem id → (citation, claims it can conclude, hypotheses(P, statement, hints) -> note; raises Rejected)."""


def parse_theorem_instance(P, claim, body):
    only(claim, ("kind", "theorem", "statement"), "claim")
    only(body, ("kind", "charpoly"), "body")
    h = {k: checked(claim, k, "claim", lambda v: isinstance(v, str) and 1 <= len(v) <= 100, "expected a string of "
                    "1..100 characters") for k in ("theorem", "statement")}
    cp = body.get("charpoly")
    bad_if(cp is not None and (not isinstance(cp, list) or not 2 <= len(cp) <= 402), "body.charpoly",
           "expected a list of 2..402 rational coefficients")
    return {**h, "charpoly": None if cp is None else vec(cp, None, "body.charpoly")}


@lemma("theorem")
def rule_theorem(P, h):
    """Every hypothesis of theorem h["theorem"] checked on P, and h["statement"] one of its conclusions."""
    theorem, statement = h["theorem"], h["statement"]
    need(theorem in THEOREMS, STEP, "unknown theorem {} (the table holds {})", repr(theorem[:60]), ", ".join(THEOREMS))
    cite, concludes, hypotheses = THEOREMS[theorem]
    need(statement in concludes, STEP, "{} does not conclude {} (it concludes {})", cite, repr(statement[:60]),
         ", ".join(concludes))
    need(h["charpoly"] is None or theorem.startswith("kawaguchi"), STEP, "{} takes no charpoly hint", theorem)
    return (P.sha, (theorem, statement)), None, \
        f"{cite} concludes {statement}; hypotheses checked exactly: {hypotheses(P, statement, h)}"


def prove_theorem_instance(P, h):
    f = rule_theorem(P, h)
    return rule_claim(STEP, f.about, [f])


register(STEP, parse_theorem_instance, prove_theorem_instance, lambda c, n: ((c["theorem"], c["statement"]),),
         lambda c: f": {c['statement']} by {c['theorem']}", sized=False, trust="theorem")
__all__ = ["THEOREMS", "data_intrinsic_dimension", "parse_theorem_instance", "prove_theorem_instance"]
