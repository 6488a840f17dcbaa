"""Exact algebra of a finite critical set: ∇L = 0, its reduced Gröbner basis, and the quotient algebra.

The critical-point equations ∂L/∂θ_i = 0 are polynomials with rational coefficients (deep linear nets,
polynomial two-layer nets). We clear denominators, compute a Gröbner basis in degrevlex with
python-flint's ``fmpz_mpoly_vec.buchberger_naive`` and reduce it (``autoreduction()``).
The ideal I = ⟨∇L⟩ is zero-dimensional (finitely many complex critical points) iff every variable has a
pure power among the leading monomials; otherwise the critical set is not finite — for instance with a
scalar regulariser λ the net keeps the continuous symmetry (W_{i+1}Qᵀ, QW_i), Q orthogonal — and we
raise :class:`NotFiniteError`.

For a zero-dimensional ideal, the quotient A = Q[θ]/I has the basis B of standard monomials (those not
divisible by any leading monomial); D = |B| is the number of complex solutions counted with
multiplicity. :class:`QuotientAlgebra` computes exact normal forms with a hand-written reducer (python-flint
0.9 only exposes ``reduction_primitive_part``, which returns the remainder up to an unknown scalar), the
multiplication matrices M_{x_i}, and the Hermite trace form H_jk = Tr(M_{b_j b_k}), whose rank is the
number of DISTINCT complex solutions and whose signature is the number of distinct REAL solutions
(Hermite; Pedersen, Roy & Szpirglas 1993).

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> m = lambda *rows: tuple(tuple(F(x) for x in row) for row in rows)
>>> prob = DeepLinear(widths=(1, 1, 1), X=m((2,)), Y=m((3,)), reg=(m((1,)), m((F(1, 2),))))
>>> A = QuotientAlgebra.from_problem(prob)
>>> A.dimension, A.hermite_counts()
(5, (5, 3))
"""

from __future__ import annotations

import math
import time
from fractions import Fraction

import flint

from verify.errors import InputError, InternalError, TooLargeError
from verify.exact.loss import fq, loss_in_ring
from verify.problems import Problem

MAX_ENUM_PARAMS = 16
"""Largest number of parameters the enumeration accepts (Gröbner bases grow fast; see BENCHMARKS.md)."""

MAX_STANDARD_MONOMIALS = 5000
"""Largest quotient dimension D handled (the Hermite form is D × D over Q)."""


class NotFiniteError(InputError):
    """The critical set is not finite (the ideal ⟨∇L⟩ is not zero-dimensional)."""


# ---------------------------------------------------------------------------------------------------------
# The polynomial system


def check_enumerable(problem: Problem) -> None:
    from verify.exact.polysystem import check_polynomial

    check_polynomial(problem, "critical-point enumeration and Gröbner bases")
    if problem.n_params > MAX_ENUM_PARAMS:
        raise TooLargeError("problem", f"{problem.n_params} parameters exceed the enumeration limit of "
                            f"{MAX_ENUM_PARAMS} (Gröbner bases grow quickly; see benchmarks/BENCHMARKS.md)")


VARIABLE_ORDERS = ("canonical", "reversed")
"""Orders of the ring variables tried for the Gröbner basis. Buchberger's running time depends on the order a
great deal and not predictably (measured, BENCHMARKS.md: the 1-3-3 deep linear net takes 19 s reversed and had
not finished after 15 min canonical; a polynomial two-layer net the other way round), so by default both run
side by side in child processes and the first to finish is used (:func:`race_groebner`)."""


SMALL_SYSTEM = 4
"""Up to this many parameters the basis is computed in-process in the canonical order (no race)."""


def param_to_ring(order: str, n: int) -> list[int]:
    """Ring variable index of each parameter (canonical order) under a variable ``order``."""
    if order == "canonical":
        return list(range(n))
    if order == "reversed":
        return list(range(n - 1, -1, -1))
    raise InputError("order", f"unknown variable order {order!r}; use one of {', '.join(VARIABLE_ORDERS)}")


def loss_polynomial(problem: Problem, order: str = "canonical"):
    """L as an ``fmpq_mpoly`` in degrevlex over ring variables t_0 … t_{n−1}; parameter i is t_{σ(i)}."""
    n = problem.n_params
    ctx = flint.fmpq_mpoly_ctx.get(("t", n), "degrevlex")
    gens = ctx.gens()
    sigma = param_to_ring(order, n)
    return loss_in_ring(problem, [gens[sigma[i]] for i in range(n)]), ctx


def to_integer(poly, zctx):
    """The primitive integer multiple of a rational polynomial (denominators cleared), as fmpz_mpoly."""
    terms = poly.to_dict()
    den = 1
    for c in terms.values():
        den = math.lcm(den, int(c.q))
    ints = {e: int(c.p) * (den // int(c.q)) for e, c in terms.items()}
    g = 0
    for v in ints.values():
        g = math.gcd(g, v)
    return zctx.from_dict({e: v // g for e, v in ints.items()} if g > 1 else ints)


def critical_system(problem: Problem, order: str = "canonical"):
    """(∂L/∂t_i with integer coefficients in an fmpz_mpoly degrevlex context, L as fmpq_mpoly, contexts)."""
    check_enumerable(problem)
    loss, qctx = loss_polynomial(problem, order)
    zctx = flint.fmpz_mpoly_ctx.get(("t", problem.n_params), "degrevlex")
    grads = [g for g in (to_integer(loss.derivative(i), zctx) for i in range(problem.n_params)) if not g.is_zero()]
    if not grads:   # ⟨0⟩: msolve would refuse the empty system ("Number of generators not valid")
        raise NotFiniteError("reg", "the critical set is not finite: ∇L ≡ 0 (L is constant), so every point is "
                             "critical")
    return grads, loss, qctx, zctx


def groebner_flint(polys, zctx):
    """Reduced Gröbner basis (degrevlex) with python-flint: Buchberger, then autoreduction."""
    if not polys:
        return []
    vec = flint.fmpz_mpoly_vec(polys, zctx).buchberger_naive()
    red = vec.autoreduction()   # interreducing a Gröbner basis gives the reduced one; groebner=True gave the
    # same bases here but took 18.6 s against 0.009 s on 1-3-3 (199 polynomials; Buchberger itself 0.33 s)
    return [red[i] for i in range(len(red))]


def exps(e) -> tuple[int, ...]:
    """An exponent vector as a tuple of Python ints (python-flint returns fmpz entries)."""
    return tuple(int(k) for k in e)


def _groebner_in_order(problem: Problem, order: str):
    """(seconds, basis as exponent dicts) of the reduced Gröbner basis for one variable order (picklable)."""
    polys, _, _, zctx = critical_system(problem, order)
    t0 = time.perf_counter()
    gb = groebner_flint(polys, zctx)
    return time.perf_counter() - t0, [{exps(e): int(c) for e, c in g.terms()} for g in gb]


def race_groebner(problem: Problem, orders=VARIABLE_ORDERS):
    """Run Buchberger for each variable order in its own forked child (:func:`verify.infra.child.race`); return
    (order, basis, seconds) of the first to finish, the others killed."""
    from verify.infra.child import race

    index, (secs, dicts) = race([(_groebner_in_order, (problem, order)) for order in orders],
                                what="the Gröbner basis")
    zctx = flint.fmpz_mpoly_ctx.get(("t", problem.n_params), "degrevlex")
    return orders[index], [zctx.from_dict(d) for d in dicts], secs


def leading_monomial(poly) -> tuple[int, ...]:
    return exps(poly.monoms()[0])


def degrevlex_key(m):
    """Sort key with key(a) < key(b) ⇔ a < b in degrevlex with θ_0 > θ_1 > … (python-flint's convention)."""
    return (sum(m), tuple(-e for e in reversed(m)))


def _divides(a, b) -> bool:
    return all(x <= y for x, y in zip(a, b))


def missing_pure_powers(lms, n) -> list[int]:
    """Variables with no pure power θ_i^k among the leading monomials (none ⇔ zero-dimensional ideal)."""
    out = []
    for i in range(n):
        if not any(m[i] > 0 and all(m[j] == 0 for j in range(n) if j != i) for m in lms):
            out.append(i)
    return out


def standard_monomials(lms, n, limit=MAX_STANDARD_MONOMIALS) -> list[tuple[int, ...]]:
    """The monomials divisible by no leading monomial, sorted increasingly in degrevlex."""
    if any(sum(m) == 0 for m in lms):
        return []
    zero = (0,) * n
    seen, frontier = {zero}, [zero]
    while frontier:
        nxt = []
        for m in frontier:
            for i in range(n):
                c = m[:i] + (m[i] + 1,) + m[i + 1:]
                if c not in seen and not any(_divides(lm, c) for lm in lms):
                    seen.add(c)
                    nxt.append(c)
        if len(seen) > limit:
            raise TooLargeError("problem", f"more than {limit} standard monomials (solutions with multiplicity); "
                                "too large for exact enumeration")
        frontier = nxt
    return sorted(seen, key=degrevlex_key)


def _not_finite_message(problem: Problem, names: list[str]) -> str:
    scalar = isinstance(problem.reg, Fraction)
    head = (f"the critical set is not finite (the ideal of ∇L = 0 is positive-dimensional: no pure power of "
            f"{', '.join(names)} among the leading monomials)")
    if scalar:
        return (head + "; a scalar regulariser leaves a continuous symmetry (e.g. W_{i+1}Qᵀ, QW_i with Q "
                "orthogonal, or a rescaling); use a per-weight regulariser (reg = a list of matrices Λ_i with "
                "generic positive entries, Mehta et al. 2018)")
    return head + "; generic positive per-weight Λ_i (Mehta et al. 2018) make it finite"


# ---------------------------------------------------------------------------------------------------------
# The quotient algebra


def _accumulate(acc: dict, c, vec: dict) -> None:
    """acc += c · vec for sparse vectors {basis index: coefficient}, keeping no zero entries."""
    for t, d in vec.items():
        v = acc.get(t, 0) + c * d
        if v == 0:
            acc.pop(t, None)
        else:
            acc[t] = v


class QuotientAlgebra:
    """Q[θ]/I for a zero-dimensional ideal I given by its reduced Gröbner basis (degrevlex).

    ``basis`` are the standard monomials (exponent tuples, increasing); vectors are dicts {index: fmpq}
    of coordinates in that basis.
    """

    def __init__(self, gb_int, n: int, qctx, timings=None):
        self.n = n
        self.qctx = qctx
        self.timings = dict(timings or {})
        self.gb_int = gb_int
        self.lms = [leading_monomial(g) for g in gb_int]
        unit = any(sum(m) == 0 for m in self.lms)  # 1 ∈ I: no solutions at all (a finite, empty set)
        missing = [] if unit else missing_pure_powers(self.lms, n)
        self.zero_dimensional = not missing
        self.missing = missing
        if missing:
            self.basis, self.index = None, None
            return
        self.basis = standard_monomials(self.lms, n)
        self.index = {m: k for k, m in enumerate(self.basis)}
        self._rules = {}
        for g in gb_int:
            terms = list(g.terms())
            lm, lc = exps(terms[0][0]), fq(int(terms[0][1]))
            tail = {}
            for e, c in terms[1:]:
                e = exps(e)
                if e not in self.index:
                    raise InternalError("the Gröbner basis is not reduced (a tail monomial is not standard)")
                tail[self.index[e]] = -fq(int(c)) / lc
            self._rules[lm] = tail
        self._memo = {}
        self._mult = None

    # -- construction ------------------------------------------------------------------------------------
    @classmethod
    def from_problem(cls, problem: Problem, require_finite=True, order: str = "auto"):
        """The quotient algebra of ⟨∇L⟩; ``order`` = "auto" races the variable orders (see VARIABLE_ORDERS)."""
        check_enumerable(problem)
        t0 = time.perf_counter()
        if order == "auto" and problem.n_params <= SMALL_SYSTEM:
            order = "canonical"  # milliseconds in-process; a race costs ~15 ms of process start-up
        if order == "auto":
            order, gb, _ = race_groebner(problem)
        else:
            polys, _, _, zctx = critical_system(problem, order)
            gb = groebner_flint(polys, zctx)
        t1 = time.perf_counter()
        loss, qctx = loss_polynomial(problem, order)
        return cls._finish(problem, gb, qctx, loss, order, {"groebner": t1 - t0}, require_finite)

    @classmethod
    def from_msolve(cls, problem: Problem, basis_dicts, require_finite=True):
        """The quotient algebra from msolve's reduced basis (integer exponent dicts, canonical order)."""
        check_enumerable(problem)
        zctx = flint.fmpz_mpoly_ctx.get(("t", problem.n_params), "degrevlex")
        gb = [zctx.from_dict(d) for d in basis_dicts]
        gb.sort(key=lambda g: degrevlex_key(leading_monomial(g)))
        loss, qctx = loss_polynomial(problem, "canonical")
        return cls._finish(problem, gb, qctx, loss, "canonical", {}, require_finite)

    @classmethod
    def _finish(cls, problem, gb, qctx, loss, order, timings, require_finite):
        A = cls(gb, problem.n_params, qctx, timings=timings)
        A.loss = loss
        A.problem = problem
        A.order = order
        A.param_to_ring = param_to_ring(order, problem.n_params)
        if require_finite and not A.zero_dimensional:
            names = problem.param_names()
            ring_to_param = {r: p for p, r in enumerate(A.param_to_ring)}
            raise NotFiniteError("reg", _not_finite_message(problem, [names[ring_to_param[i]] for i in A.missing]))
        return A

    @property
    def dimension(self) -> int:
        """D = |B|, the number of complex solutions counted with multiplicity."""
        return len(self.basis)

    # -- normal forms --------------------------------------------------------------------------------------
    def nf_monomial(self, m) -> dict:
        """Normal form of the monomial θ^m as {basis index: fmpq} (hand-written, memoised reducer).

        A standard monomial is its own normal form; a leading monomial of g ∈ G reduces to −tail(g)/lc(g);
        otherwise m = θ_k·m' with m' non-standard and NF(m) = Σ_s c_s NF(θ_k·s) over NF(m') = Σ_s c_s s.
        Every θ_k·s is smaller than m in the monomial order, so the recursion terminates.
        """
        m = exps(m)
        if m in self.index:
            return {self.index[m]: flint.fmpq(1)}
        got = self._memo.get(m)
        if got is not None:
            return got
        if m in self._rules:
            res = self._rules[m]
        else:
            k = next((k for k in range(self.n) if m[k] > 0
                      and (m[:k] + (m[k] - 1,) + m[k + 1:]) not in self.index), None)
            if k is None:
                raise InternalError(f"monomial {m} is neither standard nor a multiple of a leading monomial")
            inner = self.nf_monomial(m[:k] + (m[k] - 1,) + m[k + 1:])
            res = {}
            for s, c in inner.items():
                b = self.basis[s]
                _accumulate(res, c, self.nf_monomial(b[:k] + (b[k] + 1,) + b[k + 1:]))
        self._memo[m] = res
        return res

    def normal_form(self, poly) -> dict:
        """Normal form of an fmpq_mpoly (or fmpz_mpoly) modulo I, as {basis index: fmpq}."""
        out = {}
        for e, c in poly.terms():
            c = fq(int(c)) if isinstance(c, flint.fmpz) else c
            _accumulate(out, c, self.nf_monomial(exps(e)))
        return out

    def as_poly(self, vec: dict):
        """A coordinate vector back as an fmpq_mpoly over the standard monomials."""
        return self.qctx.from_dict({self.basis[k]: c for k, c in vec.items()})

    def column_matrix(self, columns) -> flint.fmpq_mat:
        D = self.dimension
        flat = [flint.fmpq(0)] * (D * len(columns))
        for j, col in enumerate(columns):
            for i, c in col.items():
                flat[i * len(columns) + j] = c
        return flint.fmpq_mat(D, len(columns), flat)

    # -- multiplication matrices ------------------------------------------------------------------------------
    def mult_matrices(self) -> list:
        """M_{θ_i} for every variable: column k is NF(θ_i · b_k)."""
        if self._mult is None:
            t0 = time.perf_counter()
            needed = {b[:i] + (b[i] + 1,) + b[i + 1:] for b in self.basis for i in range(self.n)}
            for m in sorted(needed, key=degrevlex_key):  # ascending: every recursive call hits the memo
                self.nf_monomial(m)
            mats = []
            for i in range(self.n):
                cols = [self.nf_monomial(b[:i] + (b[i] + 1,) + b[i + 1:]) for b in self.basis]
                mats.append(self.column_matrix(cols))
            self._mult = mats
            self.timings["multiplication_matrices"] = time.perf_counter() - t0
        return self._mult

    def mult_matrix_of(self, poly) -> flint.fmpq_mat:
        """M_f for a polynomial f: column k is NF(f · b_k)."""
        terms = [(exps(e), c) for e, c in poly.terms()]
        needed = {tuple(x + y for x, y in zip(e, b)) for e, _ in terms for b in self.basis}
        for m in sorted(needed, key=degrevlex_key):
            self.nf_monomial(m)
        cols = []
        for b in self.basis:
            col = {}
            for e, c in terms:
                _accumulate(col, c, self.nf_monomial(tuple(x + y for x, y in zip(e, b))))
            cols.append(col)
        return self.column_matrix(cols)

    # -- Hermite's trace form -------------------------------------------------------------------------------
    def traces(self) -> list:
        """τ_l = Tr(M_{b_l}) = Σ_ζ μ(ζ) b_l(ζ).

        M_b = M_{θ_i} M_{b'} for b = θ_i b' (i the first variable of b), so the products share prefixes along a
        tree; a depth-first walk keeps only one root-to-leaf path of matrices in memory. A leaf's matrix is never
        formed: Tr(M_{θ_i} M_{b'}) = Σ_{(j,k)} (M_{θ_i})_{jk} (M_{b'})_{kj} over the few non-zeros of M_{θ_i}.
        """
        if getattr(self, "_tau", None) is not None:
            return self._tau
        t0 = time.perf_counter()
        Ms = self.mult_matrices()
        D = self.dimension
        nonzeros = []
        for M in Ms:
            ent = M.entries()
            nonzeros.append([(j, k, ent[j * D + k]) for j in range(D) for k in range(D) if ent[j * D + k] != 0])
        children = {}
        for b in self.basis[1:]:
            i = next(i for i in range(self.n) if b[i] > 0)
            children.setdefault(b[:i] + (b[i] - 1,) + b[i + 1:], []).append((i, b))
        tau = [None] * D
        root = self.basis[0]
        tau[self.index[root]] = flint.fmpq(D)
        stack = [(i, b, None) for i, b in children.get(root, [])]  # (variable, monomial, parent matrix or None=I)
        while stack:
            i, b, parent = stack.pop()
            if b in children:
                Mb = Ms[i] if parent is None else Ms[i] * parent
                tau[self.index[b]] = sum((Mb[r, r] for r in range(D)), flint.fmpq(0))
                stack.extend((j, c, Mb) for j, c in children[b])
            elif parent is None:
                tau[self.index[b]] = sum((v for j, k, v in nonzeros[i] if j == k), flint.fmpq(0))
            else:
                tau[self.index[b]] = sum((v * parent[k, j] for j, k, v in nonzeros[i]), flint.fmpq(0))
        self._tau = tau
        self.timings["traces"] = time.perf_counter() - t0
        return tau

    def hermite_matrix(self) -> flint.fmpq_mat:
        """H_jk = Tr(M_{b_j b_k}); row j = τᵀ M_{b_j}, computed as τᵀ M_{parent} M_{θ_i} (vector products)."""
        if getattr(self, "_herm", None) is not None:
            return self._herm
        tau = self.traces()
        t0 = time.perf_counter()
        Ms = self.mult_matrices()
        D = self.dimension
        rows = {}
        tau_row = flint.fmpq_mat(1, D, tau)
        for b in self.basis:
            if sum(b) == 0:
                rows[b] = tau_row
                continue
            i = next(i for i in range(self.n) if b[i] > 0)
            rows[b] = rows[b[:i] + (b[i] - 1,) + b[i + 1:]] * Ms[i]
        flat = []
        for b in self.basis:
            r = rows[b]
            flat += [r[0, c] for c in range(D)]
        self._herm = flint.fmpq_mat(D, D, flat)
        self.timings["hermite"] = time.perf_counter() - t0
        return self._herm

    def hermite_rank(self) -> int:
        """rank H = number of distinct complex solutions (exact, multimodular rank of the cleared integer matrix)."""
        N, _ = self.hermite_matrix().numer_denom()
        return N.rank()

    def hermite_counts(self, signature: bool = True) -> tuple[int, int | None]:
        """(rank H, signature H) = (distinct complex solutions, distinct real solutions), exactly.

        H is real symmetric, so its characteristic polynomial has only real roots and Descartes' rule of
        signs is exact: positive eigenvalues = sign changes of χ_H(t), negative = sign changes of χ_H(−t).
        The characteristic polynomial is the expensive step (D = 245: 140 s and 6 GB); with
        ``signature=False`` only the rank is computed and the signature is None.
        """
        t0 = time.perf_counter()
        rank = self.hermite_rank()
        if not signature:
            self.timings["rank"] = time.perf_counter() - t0
            return rank, None
        N, _ = self.hermite_matrix().numer_denom()  # a positive multiple of H: same inertia
        chi = N.charpoly()
        coeffs = [chi[i] for i in range(chi.degree() + 1)]
        zero_mult = next(i for i, c in enumerate(coeffs) if c != 0)
        pos = _sign_changes(coeffs)
        neg = _sign_changes([c if i % 2 == 0 else -c for i, c in enumerate(coeffs)])
        if pos + neg != rank or self.dimension - zero_mult != rank:
            raise InternalError("Hermite form: Descartes counts disagree with the rank")
        self.timings["signature"] = time.perf_counter() - t0
        return rank, pos - neg


def _sign_changes(coeffs) -> int:
    signs = [c > 0 for c in coeffs if c != 0]
    return sum(1 for a, b in zip(signs, signs[1:]) if a != b)
