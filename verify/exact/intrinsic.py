"""The intrinsic dimension of a two-layer net (Venturi, Bandeira & Bruna 2018), decided exactly.

For ŷ = U σ(W x) the dimension that matters is dim V, V = span{x ↦ σ(w·x) : w ∈ R^n}: once the width p reaches it
(convex loss, both layers trained) there are no spurious valleys; below it they can exist (REFERENCE.md).
V is taken either as functions on R^n (``population``: the population risk) or as vectors of values on the m samples
(the empirical risk, the default): V_X = span{(σ(w·x_1), …, σ(w·x_m)) : w ∈ R^n} ⊆ R^m, x_i the columns of X.

**Population, σ(t) = Σ_j c_j t^j** (:func:`population_dimension`): dim V = Σ_{j: c_j ≠ 0} C(n + j − 1, j).
Let P_j be the forms of degree j on R^n (dim C(n + j − 1, j)). (a) The powers (w·x)^j, w ∈ R^n, span P_j: a linear
functional ℓ on P_j vanishing on every one has 0 = ℓ((w·x)^j) = Σ_{|α|=j} (j choose α) w^α ℓ(x^α) for all w, a
polynomial identity in w, so every ℓ(x^α) = 0 and ℓ = 0. (b) V contains each c_j (w·x)^j separately:
σ((λw)·x) = Σ_j λ^j c_j (w·x)^j for every λ, and d + 1 distinct λ give an invertible Vandermonde system in the
unknowns c_j (w·x)^j, j = 0 … d. So V ⊇ ⊕_{c_j ≠ 0} P_j; V ⊆ it is clear; the sum of forms of distinct degrees is
direct. Example: t² on R^n → n(n+1)/2; t³ on R² → 4; t + t² on R² → 2 + 3 = 5.
For σ = relu: n = 1 gives 2 (relu(wx) = w·relu(x) for w > 0, |w|·relu(−x) for w < 0); n ≥ 2 gives an infinite
dimension (relu(w·x) has its kink on w^⊥: pairwise non-parallel w give independent functions, by the kink argument
below), reported as ``Bound.INFINITE``.

**Data, polynomial σ** (:func:`data_dimension`): the evaluation map E(f) = (f(x_1), …, f(x_m)) is linear, so
V_X = E(⊕_{c_j ≠ 0} P_j), spanned by the monomial vectors (x_i^α)_i, |α| = j, c_j ≠ 0: dim V_X = rank M, M the
m × D matrix of those monomials, ≤ min(m, D), exact over Q (python-flint ``fmpq_mat``). When D > m the same rank
is that of the m × m kernel K_ik = Σ_{j: c_j ≠ 0} (x_i·x_k)^j: (x·y)^j = Σ_{|α|=j} (j choose α) x^α y^α, so
K = Σ_j M_j D_j M_jᵀ with D_j diagonal and positive, range(M_j D_j M_jᵀ) = range(M_j), and the range of a sum of
positive semidefinite matrices is the sum of their ranges: rank K = rank M. A rank modulo ``PRIME`` (below) equal to
min(m, D) decides it at once; otherwise the rank over Q is computed.

**Data, σ = relu** — the generic evaluation rank, exact on both sides:
- lower bound: for any w_1 … w_K, the rows relu(w_k·X) lie in V_X, so the rank of the K × m rational matrix
  [relu(w_k·X)]_k ≤ dim V_X (relu is exact on rationals). Each row times the lcm of its denominators is an integer
  row (same rank), and its rank modulo the prime ``PRIME`` is at most its rank over Q (an r × r minor non-zero
  mod p is non-zero over Z): a lower bound certified by exact arithmetic, at word-size cost.
  :func:`evaluation_rank` adds rational w's (random ones and ones just beside each sample's hyperplane x_i^⊥) in
  rounds until the rank reaches the upper bound, or stops growing for ``patience`` rounds, or a budget ends;
  it works for any activation evaluated exactly.
- upper bound: explicit relations a with a·relu(w·X) = 0 for every w. Group the non-zero samples into rays
  (positive multiples): r rays, q of them lines holding both rays ±y_k. Each zero sample, each sample beyond the
  first of its ray (relu(w·cx) = c·relu(w·x), c > 0), and each b ∈ null[y_1 … y_q] (relu(t) − relu(−t) = t, so
  Σ_k b_k (relu(w·y_k) − relu(−w·y_k)) = w·Σ_k b_k y_k = 0) gives an independent relation: dim V_X ≤ r − q + rank Y.
- These are all the relations (so enough well-placed evaluations do reach the bound): in a relation
  Σ_ρ b_ρ relu(w·u_ρ) ≡ 0, at a point of the hyperplane y^⊥ of one line off every other line's hyperplane, the
  other terms are linear, and the slopes of b_+ relu(t) + b_− relu(−t) on both sides of t = 0 agree only if
  b_− = −b_+ (b = 0 when the line holds one ray); what remains is w·Σ_k b_k y_k ≡ 0.
The status is ``exact`` only when the certified lower bound meets the upper bound; otherwise ``lower-bound``, and
the upper bound is reported beside it. A ``lower-bound`` answer does NOT mean the dimension is below the bound: it
means the random evaluations ran out (budget or time) before reaching it.

>>> from verify.problems import TwoLayer
>>> p = TwoLayer.from_dict({"kind": "two-layer", "n": 2, "width": 3, "activation": {"poly": [0, 0, 1]},
...                         "X": [[1, 0, 1, 2], [0, 1, 1, 3]], "Y": [[0, 0, 0, 0]]})
>>> r = intrinsic_dimension(p, population=True); (r.dimension, r.status.value, r.width_reaches)
(3, 'exact', True)
>>> intrinsic_dimension(p).dimension        # 4 samples, but the quadratic forms on R² have dimension 3
3
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from enum import Enum
from math import comb

import flint

from verify.errors import InputError, InternalError, TooLargeError
from verify.exact.loss import fq
from verify.problems import Problem, TwoLayer
from verify.problems.numbers import fraction_str

PRIME = 2**61 - 1
"""The evaluation rank is computed modulo this prime: rank_p ≤ rank over Q, so it stays a certified lower bound."""

MAX_SAMPLES = 2_000
"""Largest m for the data dimension (an m × m exact rank, or evaluations with m columns)."""


class Bound(str, Enum):
    """What the reported dimension is: the dimension, a certified lower bound, or infinite (no number)."""

    EXACT = "exact"
    LOWER_BOUND = "lower-bound"
    INFINITE = "infinite"


class Source(str, Enum):
    """Where the functions σ(w·x) live: on R^n (population risk) or on the m samples (empirical risk)."""

    POPULATION = "population"
    DATA = "data"


class Method(str, Enum):
    """How the dimension was obtained (the module docstring has each argument)."""

    DEGREE_FORMS = "degree-forms"          # Σ_{j: c_j ≠ 0} C(n + j − 1, j)
    MONOMIAL_RANK = "monomial-rank"        # rank over Q of the monomials x^α (or their kernel) on the samples
    RELU_KINKS = "relu-kinks"              # relu on R^n: 2 for n = 1, infinite otherwise
    EVALUATION_RANK = "evaluation-rank"    # rank of [σ(w_k·X)]_k (mod a prime) against the relations' upper bound


@dataclass(frozen=True)
class IntrinsicDimension:
    """dim span{σ(w·x)} (``dimension``, None when infinite) with what it rests on; ``width_reaches`` is p ≥ dim
    (None when a lower bound leaves it open)."""

    dimension: int | None
    status: Bound
    source: Source
    method: Method
    width: int
    n: int
    samples: int | None
    upper_bound: int | None
    reason: str
    terms: tuple = ()                      # ((j, c_j, C(n + j − 1, j)), ...) for a polynomial σ
    evaluations: int | None = None
    seed: int | None = None
    activation: object = field(default=None, repr=False)

    @property
    def width_reaches(self) -> bool | None:
        if self.status is Bound.INFINITE:
            return False
        if self.width >= (self.upper_bound if self.status is Bound.LOWER_BOUND else self.dimension):
            return True
        return False if self.width < self.dimension else None

    def formula(self) -> str:
        if not self.terms:
            return ""
        parts = [f"C({self.n + j - 1}, {j})" for j, _, _ in self.terms]
        return "Σ_{j: c_j ≠ 0} C(n + j − 1, j) = " + " + ".join(parts) + f" = {sum(d for *_, d in self.terms)}"

    def to_json(self) -> dict:
        act = "relu" if self.activation == "relu" else {"poly": [fraction_str(c) for c in self.activation]}
        out = {"intrinsic_dimension": self.dimension, "width": self.width, "width_at_least_dimension":
               self.width_reaches, "status": self.status.value, "source": self.source.value,
               "method": self.method.value, "n": self.n, "samples": self.samples, "upper_bound": self.upper_bound,
               "activation": act, "reason": self.reason}
        if self.terms:
            out["terms"] = [{"degree": j, "coefficient": fraction_str(c), "dimension": d} for j, c, d in self.terms]
            out["formula"] = self.formula()
        if self.evaluations is not None:
            out["evaluations"], out["seed"] = self.evaluations, self.seed
        return out


def intrinsic_dimension(problem: Problem, population: bool = False, *, timeout: float | None = None,
                        seed: int = 0) -> IntrinsicDimension:
    """dim span{σ(w·x)} for a two-layer ``problem``: on R^n with ``population``, else on the columns of X."""
    if not isinstance(problem, TwoLayer):
        raise InputError("kind", f"intrinsic-dim needs kind = \"two-layer\" (ŷ = U σ(W x)), got {problem.kind!r}")
    return population_dimension(problem) if population else data_dimension(problem, timeout=timeout, seed=seed)


def degree_terms(problem: TwoLayer) -> tuple:
    """((j, c_j, C(n + j − 1, j)) for every c_j ≠ 0): the spaces of degree-j forms V is the direct sum of."""
    return tuple((j, c, comb(problem.n + j - 1, j)) for j, c in enumerate(problem.activation) if c != 0)


def population_dimension(problem: TwoLayer) -> IntrinsicDimension:
    """dim span{x ↦ σ(w·x) : w ∈ R^n} as functions on R^n (the module docstring has the argument)."""
    common = dict(source=Source.POPULATION, width=problem.width, n=problem.n, samples=None,
                  activation=problem.activation)
    if problem.is_relu:
        if problem.n == 1:
            return IntrinsicDimension(2, Bound.EXACT, method=Method.RELU_KINKS, upper_bound=2, reason=
                                      "n = 1: span{relu(x), relu(−x)} (relu(wx) = |w|·relu(±x))", **common)
        return IntrinsicDimension(None, Bound.INFINITE, method=Method.RELU_KINKS, upper_bound=None, reason=
                                  f"n = {problem.n}: relu(w·x) has its kink on w^⊥, and pairwise non-parallel "
                                  "w give linearly independent functions", **common)
    terms = degree_terms(problem)
    dim = sum(d for *_, d in terms)
    return IntrinsicDimension(dim, Bound.EXACT, method=Method.DEGREE_FORMS, upper_bound=dim, terms=terms, reason=
                              "the direct sum of the degree-j forms with c_j ≠ 0 (powers (w·x)^j span the forms; "
                              "a Vandermonde in the scale of w separates the degrees)", **common)


def data_dimension(problem: TwoLayer, *, timeout: float | None = None, seed: int = 0) -> IntrinsicDimension:
    """dim span{(σ(w·x_1), …, σ(w·x_m)) : w ∈ R^n} ⊆ R^m, x_i the columns of X (the module docstring)."""
    m = len(problem.X[0])
    if m > MAX_SAMPLES:
        raise TooLargeError("X", f"{m} samples exceed the intrinsic-dim limit of {MAX_SAMPLES}")
    X = flint.fmpq_mat([[fq(v) for v in row] for row in problem.X])
    common = dict(source=Source.DATA, width=problem.width, n=problem.n, samples=m, activation=problem.activation)
    if problem.is_relu:
        upper = relu_relations_bound(problem.X)
        deadline = None if not timeout or timeout <= 0 else time.monotonic() + timeout
        rank, k, why = evaluation_rank(X, _relu, upper, seed=seed, deadline=deadline)
        if rank > upper:
            raise InternalError(f"intrinsic-dim: evaluation rank {rank} above the relations' bound {upper}")
        found = f"the rank (exact, modulo 2^61 − 1) of {k} relu evaluations at rational w"
        if rank == upper:
            reason = (f"{found} meets the bound r − q + rank Y = {upper} from explicit relations (zero samples, "
                      "repeated rays, opposite rays)")
        else:
            reason = f"a certified lower bound: {found} ({why}); the relations give ≤ {upper}"
        return IntrinsicDimension(rank, Bound.EXACT if rank == upper else Bound.LOWER_BOUND,
                                  method=Method.EVALUATION_RANK, upper_bound=upper, reason=reason, evaluations=k,
                                  seed=seed, **common)
    terms = degree_terms(problem)
    forms = sum(d for *_, d in terms)
    rank, what = polynomial_data_rank(X, tuple(j for j, *_ in terms), forms)
    if rank > min(m, forms):
        raise InternalError(f"intrinsic-dim: rank {rank} above min(m, population dimension) = {min(m, forms)}")
    return IntrinsicDimension(rank, Bound.EXACT, method=Method.MONOMIAL_RANK, upper_bound=min(m, forms), terms=terms,
                              reason=f"{what}; at most min(m, Σ C(n + j − 1, j)) = min({m}, {forms})", **common)


def polynomial_data_rank(X: flint.fmpq_mat, degrees: tuple, forms: int) -> tuple[int, str]:
    """(dim span{x_i ↦ x_i^α : |α| = j ∈ ``degrees``} on the columns of X, how): exact over Q.

    With ``forms`` (= Σ C(n + j − 1, j)) at most m, the m × forms matrix of the monomials; otherwise the m × m
    kernel Σ_j (x_i·x_k)^j of the same rank (module docstring). Either way its rank modulo ``PRIME`` is tried first:
    it is ≤ the rank over Q ≤ min(m, forms), so reaching min(m, forms) decides it; otherwise the exact rank over Q.
    """
    n, m = X.nrows(), X.ncols()
    if forms <= m:
        cols = [[X[r, i] for r in range(n)] for i in range(m)]
        alphas = [a for j in degrees for a in _exponents(n, j)]
        M = flint.fmpq_mat(m, len(alphas), [_monomial(x, a) for x in cols for a in alphas])
        what = f"the {m} × {len(alphas)} matrix of the monomials x^α (|α| = j, c_j ≠ 0) at the samples"
    else:
        gram = (X.transpose() * X).entries()
        M = flint.fmpq_mat(m, m, [sum((g ** j for j in degrees), flint.fmpq(0)) for g in gram])
        what = (f"the {m} × {m} kernel Σ_{{j: c_j ≠ 0}} (x_i·x_k)^j (its rank is that of the monomials x^α, "
                "|α| = j, at the samples)")
    rows = [_integer_row([M[i, j] for j in range(M.ncols())]) for i in range(M.nrows())]
    full = min(m, forms)
    if flint.nmod_mat(M.nrows(), M.ncols(), [v % PRIME for row in rows for v in row], PRIME).rank() == full:
        return full, f"rank {full} of {what}, full: shown modulo 2^61 − 1 (rank mod p ≤ rank over Q)"
    rank = M.rank()
    return rank, f"rank {rank} of {what}, exact over Q"


def _exponents(n: int, j: int):
    """Every α ∈ N^n with |α| = j."""
    if n == 1:
        yield (j,)
        return
    for first in range(j, -1, -1):
        for rest in _exponents(n - 1, j - first):
            yield (first, *rest)


def _monomial(x: list, alpha: tuple) -> flint.fmpq:
    out = flint.fmpq(1)
    for v, a in zip(x, alpha):
        if a:
            out *= v ** a
    return out


def relu_relations_bound(X) -> int:
    """r − q + rank[y_1 … y_q] (module docstring): r rays among the non-zero columns of X, q lines holding both
    rays, y_k those lines' directions. An upper bound on dim span{relu(w·X)} from explicit relations (and the
    dimension itself, by the kink argument)."""
    rays: set = set()
    for col in zip(*X):
        lead = next((v for v in col if v != 0), None)
        if lead is not None:
            rays.add(tuple(v / abs(lead) for v in col))
    lines = [ray for ray in rays if ray[next(i for i, v in enumerate(ray) if v != 0)] > 0
             and tuple(-v for v in ray) in rays]
    if not lines:
        return len(rays)
    Y = flint.fmpq_mat([[fq(v) for v in ray] for ray in lines])
    return len(rays) - len(lines) + Y.rank()


def _relu(t: flint.fmpq) -> flint.fmpq:
    return t if t > 0 else flint.fmpq(0)


def evaluation_rank(X: flint.fmpq_mat, sigma, target: int, *, seed: int = 0, patience: int = 4,
                    max_rounds: int = 64, deadline: float | None = None) -> tuple[int, int, str]:
    """(rank, K, why it stopped): the rank modulo ``PRIME`` of [σ(w_k·X)]_{k ≤ K} (rows cleared of denominators) at
    rational w_k, a lower bound on dim span{σ(w·X)} for any ``sigma`` exact on ``fmpq`` (whatever the w_k: each row
    lies in the span; rank mod p ≤ rank over Q).

    Rounds of max(target, 1) points (:func:`_proposals`) are added until the rank reaches ``target`` (an upper
    bound the caller has proved), or has not grown for ``patience`` rounds, or ``max_rounds`` or ``deadline``
    (time.monotonic) ends the search. Falling short proves nothing about the dimension beyond the rank found.
    """
    rng = random.Random(seed)
    n, m = X.nrows(), X.ncols()
    cols = [[X[r, i] for r in range(n)] for i in range(m)]
    batch = max(target, 1)
    basis = flint.nmod_mat(0, m, PRIME)
    rank, k, stalled = 0, 0, 0
    for _ in range(max_rounds):
        if rank >= target:
            return rank, k, "reached the upper bound"
        if deadline is not None and time.monotonic() > deadline:
            return rank, k, "timeout"
        values = (_proposals(rng, X, cols, batch) * X).entries()
        k += batch
        rows = [_integer_row([sigma(z) for z in values[i * m:(i + 1) * m]]) for i in range(batch)]
        stacked = flint.nmod_mat(rank + batch, m, [basis[i, j] for i in range(rank) for j in range(m)]
                                 + [v % PRIME for row in rows for v in row], PRIME)
        R, new_rank = stacked.rref()
        basis = flint.nmod_mat(new_rank, m, [R[i, j] for i in range(new_rank) for j in range(m)], PRIME)
        stalled = 0 if new_rank > rank else stalled + 1
        rank = new_rank
        if stalled >= patience:
            return rank, k, f"the rank stopped growing for {patience} rounds"
    return rank, k, "reached the upper bound" if rank >= target else f"the budget of {max_rounds} rounds ended"


def _integer_row(row: list) -> list[int]:
    """The row times the lcm of its denominators (a positive scaling: the same rank)."""
    lcm = flint.fmpz(1)
    for v in row:
        lcm = lcm * v.q // lcm.gcd(v.q)
    return [int(v.p * (lcm // v.q)) for v in row]


def _proposals(rng: random.Random, X: flint.fmpq_mat, cols: list, count: int, scale: int = 2**12) -> flint.fmpq_mat:
    """``count`` rational points w (rows): alternately a random one (entries p/q, |p|, q ≤ ``scale``) and one just
    beside the hyperplane x_i^⊥ of a random sample, w = w0 ± δ x_i with w0 a random point of x_i^⊥ and
    δ = min_k |w0·x_k| / (2 max_k |x_i·x_k|) (over w0·x_k ≠ 0), so that no other sign of w·x_k changes: where a
    piecewise activation switches branch (relu's cells, however thin). Only a search heuristic: any w gives a row."""
    n = X.nrows()

    def rand():
        return [flint.fmpq(rng.randint(-scale, scale), rng.randint(1, scale)) for _ in range(n)]

    nonzero = [c for c in cols if any(v != 0 for v in c)]
    near = count // 2 if nonzero else 0
    picks = [rng.choice(nonzero) for _ in range(near)]
    w0s = []
    for x in picks:
        r = rand()
        c = sum((a * b for a, b in zip(r, x)), flint.fmpq(0)) / sum((b * b for b in x), flint.fmpq(0))
        w0s.append([a - c * b for a, b in zip(r, x)])
    out = [rand() for _ in range(count - near)]
    if near:
        A = (flint.fmpq_mat(near, n, [v for w in w0s for v in w]) * X).entries()
        B = (flint.fmpq_mat(near, n, [v for x in picks for v in x]) * X).entries()
        m = X.ncols()
        for t, (w0, x) in enumerate(zip(w0s, picks)):
            a = [abs(v) for v in A[t * m:(t + 1) * m] if v != 0]
            delta = (min(a) / (2 * max(abs(v) for v in B[t * m:(t + 1) * m])) if a else flint.fmpq(1))
            delta *= rng.choice((1, -1))
            out.append([u + delta * v for u, v in zip(w0, x)])
    return flint.fmpq_mat(count, n, [v for w in out for v in w])


__all__ = ["MAX_SAMPLES", "PRIME", "Bound", "IntrinsicDimension", "Method", "Source", "data_dimension",
           "degree_terms", "evaluation_rank", "intrinsic_dimension", "polynomial_data_rank", "population_dimension",
           "relu_relations_bound"]
