"""Theorem instances (certificate kind ``theorem-instance``): a fixed table of published theorems whose
hypotheses the kernel re-checks EXACTLY on the embedded problem (python-flint fmpq_mat / fmpq_poly, no floats).

A certificate names a theorem of :data:`THEOREMS` and one claim it concludes; the body carries at most a hint
(Σ's characteristic polynomial, recomputed and compared). :func:`rule_theorem_instance` is a kernel rule (the
``KINDS`` entry of :mod:`proofs.kernel` names it): it checks every hypothesis in the table's order and fails closed,
naming the first one that fails ("theorem-instance: hypothesis rank(X Yᵀ) = d_y fails (rank 1 < 2)"). What is
trusted beyond the kernel's arithmetic: that the cited theorem is true as stated below (hence ``trust: "theorem"``
in ``spurious check``).

Sources read (the theorem's abstract and statement as summarised in ../shared/REFERENCE.md; the full text of
the theorem statements was not reachable through the project's search, so the hypotheses are stated as
REFERENCE.md and the abstracts give them):

* Kawaguchi, "Deep Learning without Poor Local Minima", NeurIPS 2016 (arXiv 1605.07110), Theorem 2.3, for the
  square loss ½‖W_H ⋯ W_1 X − Y‖²_F of a deep linear network of any depth and any widths (bottlenecks allowed):
  if X Xᵀ and X Yᵀ have full rank, d_y ≤ d_x, and Σ = Y Xᵀ (X Xᵀ)⁻¹ X Yᵀ has d_y distinct eigenvalues, then
  (ii) every local minimum is a global minimum, (iii) every other critical point is a saddle point, and (iv) a
  saddle at which the product of the inner matrices W_{H−1} ⋯ W_2 has full rank p (the smallest hidden width) has
  a negative Hessian eigenvalue. With one hidden layer (H = 2 weight matrices here; "three layers" in the
  paper) that product is empty, so every saddle is strict. For H ≥ 3 it is not: the origin is a saddle with
  H ⪰ 0 (abstract, item 4), so ``strict-saddle`` is concluded for H = 2 only.
* Laurent & von Brecht, "Deep linear networks with arbitrary loss: All local minima are global", ICML 2018
  (arXiv 1712.01473; PMLR 80:2902–2907): for a deep linear network and any convex differentiable loss, every
  local minimum is global if every hidden layer is at least as wide as the input layer or at least as wide as
  the output layer (i.e. every hidden width ≥ min(d_x, d_y)). The square loss without regularisation is convex
  and differentiable in the end-to-end product, so the hypotheses are: deep linear, Λ = 0, the widths.
* Venturi, Bandeira & Bruna, "Spurious Valleys in Two-layer Neural Network Optimization Landscapes" (arXiv
  1802.06384; JMLR 2019; first version "Neural Networks with Finite Intrinsic Dimension have no Spurious
  Valleys"): for Φ(x) = U σ(W x) with both layers trained and a convex loss, as soon as the hidden width p
  reaches the intrinsic dimension — the dimension of the span of {σ(⟨w, ·⟩)}, on the data points for the
  empirical risk — there are no spurious valleys (no connected component of a sublevel set without a global
  minimum). Hypotheses: two-layer, U trained, Λ = 0 (the square loss is convex), p ≥ dim, the dimension
  computed exactly on the samples (:func:`data_intrinsic_dimension`; polynomial σ only in the kernel).
* Freeman & Bruna, "Topology and Geometry of Half-Rectified Network Optimization", ICLR 2017 (arXiv 1611.01540):
  for a linear network with the square loss whose hidden layers are all wider than min(input, output) (no
  bottleneck), every sublevel set is connected; so no component of a sublevel set misses the global minimum.
  Hypotheses as REFERENCE.md states them ("linear nets without a bottleneck"), read strictly: deep-linear, Λ = 0,
  every hidden width > min(d_x, d_y) (the strict inequality is the safer reading).
* Lu & Kawaguchi, "Depth Creates No Bad Local Minima" (arXiv 1702.08580) is NOT in the table: its abstract says
  it proves every local minimum of a deep linear net with the square loss is global "with fewer assumptions"
  than Kawaguchi 2016, and that every local minimum of the deep problem maps to a local minimum of the shallow,
  rank-constrained one, but its exact hypotheses could not be read here, and the table holds only theorems whose
  hypotheses are stated precisely. Its claim ``depth-adds-no-bad-minima`` is concluded by Laurent & von Brecht
  (convex loss, no narrow hidden layer: a deep local minimum is global, so its product minimises the shallow loss
  over every matrix) and, for scalar layers and any loss, by :func:`scalar_product_open`, whose proof is given in
  full in its docstring (an elementary lemma, trusted like the cited theorems).
"""

from .loss import convex, fq, frac, qmat
from .reader import Rejected, bad, field, num, only, vec

STEP = "theorem-instance"


def _fails(hypothesis, why):
    raise Rejected(f"{STEP}: hypothesis {hypothesis} fails ({why})")


def _loss(P, need_square):
    """The square loss (or mse, a positive multiple of it) when ``need_square``, else any convex ℓ (exactly)."""
    if need_square and P.loss[0] not in ("square", "mse"):
        _fails("the square loss", f"the loss is {P.loss[0]}")
    if not need_square and not convex(P.loss):
        _fails("a convex loss", "φ″ takes a negative value (φ″ has a real root of odd multiplicity or a negative "
               "leading coefficient)")
    return "square loss" if P.loss[0] in ("square", "mse") else f"{P.loss[0]} loss (convex)"


def _deep_linear_unregularised(P, need_square=True):
    """Deep linear, Λ = 0; the square loss (need_square), a convex loss (False) or any loss (None)."""
    if P.kind != "deep-linear":
        _fails("deep linear network", f"the problem is {P.kind}")
    if need_square is not None:
        _loss(P, need_square)
    nonzero = [(i + 1, r, c) for i, Lam in enumerate(P.reg) for r, row in enumerate(Lam) for c, v in enumerate(row)
               if v != 0]
    if nonzero:
        i, r, c = nonzero[0]
        _fails("no regularisation (Λ = 0)", f"Λ_{i}[{r}][{c}] = {num(P.reg[i - 1][r][c])} ≠ 0")


def _gram(A, B):
    return qmat(A) * qmat(B).transpose()


def _sigma(P):
    """Σ = Y Xᵀ (X Xᵀ)⁻¹ X Yᵀ (X Xᵀ invertible: checked before)."""
    XY = _gram(P.X, P.Y)
    return XY.transpose() * _gram(P.X, P.X).solve(XY)


def charpoly(P):
    """χ_Σ(t) = det(t I − Σ) as coefficients, lowest degree first (exact)."""
    return [frac(c) for c in _sigma(P).charpoly().coeffs()]


def kawaguchi_2016(P, statement, hints):
    """Kawaguchi 2016, Theorem 2.3: the hypotheses in the module docstring, each recomputed exactly."""
    _deep_linear_unregularised(P)
    H, dx, dy = len(P.widths) - 1, P.widths[0], P.widths[-1]
    if statement == "strict-saddle" and H != 2:
        raise Rejected(f"{STEP}: 'strict-saddle' is concluded only with one hidden layer "
                       f"(H = 2), not H = {H} (for H ≥ 3 the origin is a saddle with no negative eigenvalue)")
    if dy > dx:
        _fails("d_y ≤ d_x", f"d_y = {dy} > d_x = {dx}")
    rx = _gram(P.X, P.X).rank()
    if rx != dx:
        _fails("rank(X Xᵀ) = d_x", f"rank {rx} < {dx}")
    rxy = _gram(P.X, P.Y).rank()
    if rxy != dy:
        _fails("rank(X Yᵀ) = d_y", f"rank {rxy} < {dy}")
    S = _sigma(P)
    chi = S.charpoly()
    if hints.get("charpoly") is not None and [fq(c) for c in hints["charpoly"]] != list(chi.coeffs()):
        raise Rejected(f"{STEP}: hint charpoly {[num(c) for c in hints['charpoly'][:6]]} is not the characteristic "
                       f"polynomial of Σ = Y Xᵀ (X Xᵀ)⁻¹ X Yᵀ ({[num(frac(c)) for c in chi.coeffs()[:6]]})")
    g = chi.gcd(chi.derivative())
    if g.degree() > 0:
        _fails("Σ = Y Xᵀ (X Xᵀ)⁻¹ X Yᵀ has d_y distinct eigenvalues",
               f"gcd(χ_Σ, χ_Σ′) = {g} has degree {g.degree()}: a repeated eigenvalue")
    return (f"{H} weight matrices, d_y = {dy} ≤ d_x = {dx}, rank(X Xᵀ) = {dx}, rank(X Yᵀ) = {dy}, χ_Σ = {chi} "
            "square-free (distinct eigenvalues)")


def _no_narrow_hidden_layer(P, strict):
    w, low = P.widths, min(P.widths[0], P.widths[-1])
    narrow = next((i for i in range(1, len(w) - 1) if w[i] < low or (strict and w[i] == low)), None)
    if narrow is not None:
        _fails(f"every hidden width {'>' if strict else '≥'} min(d_x, d_y)" + (" (no bottleneck)" if strict else ""),
               f"hidden width d_{narrow} = {w[narrow]} {'≤' if strict else '<'} {low}")
    return f"hidden widths {list(w[1:-1])} {'>' if strict else '≥'} min(d_x, d_y) = {low}"


def laurent_von_brecht_2018(P, statement, hints):
    """Laurent & von Brecht 2018: every hidden width ≥ min(d_x, d_y), a convex differentiable loss, Λ = 0.

    ``depth-adds-no-bad-minima`` follows: with no hidden width below min(d_x, d_y) the products W_H ⋯ W_1 are all
    d_y × d_x matrices, so a deep local minimum — global by the theorem — has a product R minimising ℓ(R X) over
    every R: a (global, so local) minimum of the shallow problem."""
    _deep_linear_unregularised(P, need_square=False)
    return f"{_no_narrow_hidden_layer(P, False)}, {_loss(P, False)}, Λ = 0"


def data_intrinsic_dimension(P):
    """dim span{(σ(w·x_1), …, σ(w·x_m)) : w ∈ R^n} for σ(t) = Σ_j c_j t^j, exactly: σ(λw·x) = Σ_j c_j λ^j (w·x)^j and
    a Vandermonde in λ put each (w·x)^j with c_j ≠ 0 in the span, and the (w·x)^j span the degree-j forms, so the
    span is that of the monomials x^α (|α| = j, c_j ≠ 0) evaluated at the samples: the rank of Φ (m × monomials).
    K = Σ_j (x_i·x_k)^j = Φ D Φᵀ with D the positive multinomial weights, so rank K = rank Φ (over R)."""
    cols = [list(c) for c in zip(*P.X)]
    G = [[sum(a * b for a, b in zip(u, v)) for v in cols] for u in cols]
    K = [[sum(c * g ** j for j, c in enumerate(P.act) if c != 0) for g in row] for row in G]
    return qmat(K).rank()


def venturi_2018(P, statement, hints):
    """Venturi, Bandeira & Bruna 2018: U σ(W X), both layers trained, convex loss, width ≥ intrinsic dimension."""
    if P.kind != "two-layer" or P.act == "relu":
        _fails("two-layer net with a polynomial activation", f"the problem is {P.describe()} (the kernel computes "
               "the intrinsic dimension exactly for polynomial σ only)")
    if P.U is not None:
        _fails("both layers trained", "the output layer U is fixed (train_output = false)")
    nonzero = [v for Lam in P.reg for row in Lam for v in row if v != 0]
    if nonzero:
        _fails("no regularisation (Λ = 0)", f"a regulariser entry is {num(nonzero[0])} ≠ 0")
    loss = _loss(P, False)
    p, q = P.shapes[0][0], data_intrinsic_dimension(P)
    if p < q:
        _fails("width p ≥ the intrinsic dimension on the data", f"p = {p} < {q} = rank Σ_j (x_i·x_k)^j")
    return f"width p = {p} ≥ {q} = the intrinsic dimension on the {len(P.X[0])} samples, both layers trained, " \
        f"{loss}, Λ = 0"


def freeman_bruna_2017(P, statement, hints):
    """Freeman & Bruna 2017, linear nets without a bottleneck: connected sublevel sets, so no spurious valleys."""
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
    if wide is not None:
        _fails("every width is 1 (scalar layers)", f"d_{wide} = {P.widths[wide]}")
    return f"scalar layers (widths {list(P.widths)}), Λ = 0, any loss ({P.loss[0]})"


THEOREMS = {
    "kawaguchi-2016-theorem-2.3": ("Kawaguchi 2016, Theorem 2.3", ("no-spurious-local-min", "strict-saddle"),
                                   kawaguchi_2016),
    "laurent-von-brecht-2018": ("Laurent & von Brecht 2018", ("no-spurious-local-min", "depth-adds-no-bad-minima"),
                                laurent_von_brecht_2018),
    "venturi-bandeira-bruna-2018": ("Venturi, Bandeira & Bruna 2018", ("no-spurious-valley",), venturi_2018),
    "freeman-bruna-2017": ("Freeman & Bruna 2017", ("no-spurious-valley",), freeman_bruna_2017),
    "scalar-product-open": ("the open product map of scalar layers (elementary; Lu & Kawaguchi 2017's statement)",
                            ("depth-adds-no-bad-minima",), scalar_product_open),
}
"""theorem id → (citation, claims it can conclude, hypotheses(P, statement, hints) -> note; raises Rejected)."""


def parse_theorem_instance(P, claim, body):
    only(claim, ("kind", "theorem", "statement"), "claim")
    only(body, ("kind", "charpoly"), "body")
    theorem, statement = field(claim, "theorem", "claim"), field(claim, "statement", "claim")
    for k, v in (("theorem", theorem), ("statement", statement)):
        if not isinstance(v, str) or not 1 <= len(v) <= 100:
            bad(f"claim.{k}", "expected a string of 1..100 characters")
    cp = body.get("charpoly")
    if cp is not None and (not isinstance(cp, list) or not 2 <= len(cp) <= 402):
        bad("body.charpoly", "expected a list of 2..402 rational coefficients")
    return {"theorem": theorem, "statement": statement, "charpoly": None if cp is None else vec(cp, None,
                                                                                              "body.charpoly")}


def rule_theorem_instance(P, h):
    """The claim Fact for theorem h["theorem"] concluding h["statement"] on P, after every hypothesis checked."""
    from .kernel import _TOKEN, Fact  # a kernel rule in its own module (kernel imports this one)

    theorem, statement = h["theorem"], h["statement"]
    if theorem not in THEOREMS:
        raise Rejected(f"{STEP}: unknown theorem {theorem[:60]!r} (the table holds {', '.join(THEOREMS)})")
    cite, concludes, hypotheses = THEOREMS[theorem]
    if statement not in concludes:
        raise Rejected(f"{STEP}: {cite} does not conclude {statement[:60]!r} (it concludes {', '.join(concludes)})")
    if h.get("charpoly") is not None and not theorem.startswith("kawaguchi"):
        raise Rejected(f"{STEP}: {theorem} takes no charpoly hint")
    note = hypotheses(P, statement, h)
    return Fact(_TOKEN, "claim", (STEP, P.sha, (theorem, statement)),
                note=f"{cite} concludes {statement}; hypotheses checked exactly: {note}")


__all__ = ["THEOREMS", "charpoly", "parse_theorem_instance", "rule_theorem_instance"]
