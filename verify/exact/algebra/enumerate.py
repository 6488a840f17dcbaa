"""``spurious critical-points``: count, isolate and classify every critical point of a finite critical set.

Pipeline (all counts exact; every real point certified by ball arithmetic):

1. ∇L = 0 with integer coefficients, reduced Gröbner basis in degrevlex (python-flint Buchberger; the canonical
   and the reversed variable order race in two child processes), and the quotient algebra A = Q[θ]/⟨∇L⟩
   (:mod:`verify.exact.algebra.groebner`). D = dim A counts solutions with multiplicity; the Hermite trace form gives
   rank = distinct complex and signature = distinct real solutions (the signature only for D ≤ 160).
2. A random integer linear form u (12-bit coefficients, fixed seed) with χ_u = charpoly(M_u): u separates
   the solutions iff the squarefree part of χ_u has degree rank(H) (an exact test; otherwise another u is
   drawn). Then the real roots of χ_u correspond one-to-one to the real critical points, and their number
   must equal signature(H) (for D > 160 it is the real count). Each real root is isolated by python-flint
   (``fmpz_poly.complex_roots``, whose real roots come with an imaginary part of exactly zero), and the
   coordinates follow from the rational univariate representation θ_i = g_i(u)/g_1(u) (Rouillier 1999),
   g_v(T) = Σ_k Tr(M_v M_u^k) f_k(T), evaluated in ball arithmetic: a certified box containing the point.
3. Classification on the box: the Hessian is evaluated on the whole box (interval arithmetic); with an
   approximate congruence M (eigenvectors of the midpoint Hessian), M·H(box)·Mᵀ strictly diagonally
   dominant certifies that every Hessian in the box has the inertia given by the signs of the diagonal.
   The loss values are identified EXACTLY: they are eigenvalues of the multiplication matrix M_L, so each
   real point's loss ball is matched to one real root of the squarefree part of charpoly(M_L) (disjoint
   isolating balls); equal losses are therefore decided exactly, not by tolerance.
   With every Λ entry > 0 the loss is coercive and the global minimum value is the lowest loss of a real
   critical point: those points are ``global-min``. A certified positive-definite point with a strictly
   higher loss is a ``spurious-local-min`` (the lowest point is its witness). Without coercivity the lowest
   local minima stay ``local-min``. Indefinite: ``strict-saddle``; negative definite: ``local-max``;
   anything not certified (e.g. a multiple root, whose Hessian is singular): ``unknown``.
"""

from __future__ import annotations

import random
import time
from fractions import Fraction
from typing import NamedTuple

import flint

from verify.errors import InputError, InternalError, WallClockTimeout
from verify.exact.algebra.groebner import MAX_ENUM_PARAMS, NotFiniteError, QuotientAlgebra, exps
from verify.exact.ball.balls import certify_inertia, disjoint, eval_terms, float_down, float_up
from verify.problems import Problem
from verify.verdict import Completion, PointClass

ENGINE = "flint-buchberger"
ENGINES = ("auto", "msolve", "flint")
MSOLVE_ENGINE = "msolve"
HERMITE_SIGNATURE_MAX = 160
"""Largest D for which the exact Hermite signature is computed (its characteristic polynomial took 140 s and 6 GB
at D = 245); above it the real count rests on the certified real roots of the separating χ_u alone."""

PRECISIONS = (128, 256, 512, 1024, 2048, 4096)
"""Working precisions (bits) tried in turn until every simple real point is certified."""

CLASSES = (PointClass.GLOBAL_MIN, PointClass.SPURIOUS_LOCAL_MIN, PointClass.LOCAL_MIN, PointClass.STRICT_SADDLE,
           PointClass.LOCAL_MAX, PointClass.UNKNOWN)

__all__ = ["critical_points", "is_coercive", "NotFiniteError", "MAX_ENUM_PARAMS"]


# ---------------------------------------------------------------------------------------------------------
# univariate helpers


def _int_charpoly(M: flint.fmpq_mat):
    """(χ of d·M as fmpz_poly, d) with d the common denominator of M: the roots are d × eigenvalues of M."""
    A, d = M.numer_denom()
    return A.charpoly(), int(d)


def _squarefree_factors(chi: flint.fmpz_poly):
    """[(f_k, k)]: χ = c·Π f_k^k with f_k squarefree and pairwise coprime."""
    _, facs = chi.factor_squarefree()
    return [(f, int(k)) for f, k in facs]


def _real_roots(f: flint.fmpz_poly):
    """Real roots of f (squarefree, integer) as arb balls, each certified to contain exactly one root."""
    if f.degree() < 1:
        return []
    out = []
    for c, _ in f.complex_roots():
        if c.imag.is_zero():
            out.append(c.real)
    return out


# ---------------------------------------------------------------------------------------------------------
# separating form and rational univariate representation


class _Separation:
    """A separating linear form u with χ_u's squarefree factors and the RUR polynomials g_v."""

    def __init__(self, A: QuotientAlgebra, rank: int, seed: int = 0):
        Ms = A.mult_matrices()
        rng = random.Random(seed)
        bound = 2 ** 12  # checked exactly below; a larger range is drawn after a failure
        for attempts in range(1, 11):  # noqa: B007 — the count is reported
            u = [rng.choice((-1, 1)) * rng.randint(bound // 2, bound) for _ in range(A.n)]
            Mu = Ms[0] * u[0]
            for ui, Mi in zip(u[1:], Ms[1:]):
                Mu += Mi * ui
            chi = Mu.charpoly().numer()  # same roots, integer coefficients
            facs = _squarefree_factors(chi)
            deg = sum(f.degree() for f, _ in facs)
            if deg == rank:
                break
            bound *= 2 ** 12
        else:
            raise InternalError("no separating linear form found in 10 attempts")
        self.attempts = attempts
        self.u = u
        self.Mu = Mu
        self.factors = facs
        f = flint.fmpz_poly(1)
        for g, _ in facs:
            f *= g
        self.f = f
        self.rank = rank
        # distinct real roots of χ_u = distinct real critical points (u separates); certified isolation
        self.real_count = sum(len(_real_roots(g)) for g, _ in facs)
        self._rur(A)

    def _rur(self, A: QuotientAlgebra):
        """g_v(T) = Σ_k Tr(M_v M_u^k) f_k(T), f_k(T) = Σ_{j>k} a_j T^{j−k−1}, for v = 1, θ_0, …, θ_{n−1}.

        Tr(M_v M_u^k) = r_k · NF(v) with the row vectors r_k = τᵀ M_u^k (one vector chain for every v).
        """
        t0 = time.perf_counter()
        tau = A.traces()
        D, n = A.dimension, A.n
        zero = (0,) * n
        nfs = [A.nf_monomial(zero)] + [A.nf_monomial(zero[:i] + (1,) + zero[i + 1:]) for i in range(n)]
        r = flint.fmpq_mat(1, D, tau)
        d = self.f.degree()
        S = []
        for k in range(d):
            S.append([sum((r[0, j] * c for j, c in nf.items()), flint.fmpq(0)) for nf in nfs])
            if k + 1 < d:
                r = r * self.Mu
        # Σ_k s_k f_k(T) is the part of degree ≥ d of f(T)·Σ_k s_k T^(d−1−k), shifted down by d
        fq_poly = flint.fmpq_poly([int(self.f[j]) for j in range(d + 1)])
        self.g = []
        for v in range(n + 1):
            P = flint.fmpq_poly([S[d - 1 - i][v] for i in range(d)])
            self.g.append((fq_poly * P).right_shift(d))
        self.seconds = time.perf_counter() - t0

    def real_points(self):
        """[(u-value ball, multiplicity, coordinate balls)] at the current working precision."""
        gpolys = [flint.arb_poly(g) for g in self.g]
        out = []
        for fk, mult in self.factors:
            for r in _real_roots(fk):
                den = gpolys[0](r)
                if den.contains(0):
                    return None  # precision too low to divide
                out.append((r, mult, [gp(r) / den for gp in gpolys[1:]]))
        return out


# ---------------------------------------------------------------------------------------------------------
# certification of one point


class _BallTerms(NamedTuple):
    """L, its gradient and its Hessian in A's ring variables, as [(exponents, coefficient)] for :func:`eval_terms`."""

    loss: list
    grad: list
    hess: list


class _Point:
    def __init__(self, u_ball, mult, coords):
        self.u_ball, self.mult, self.coords = u_ball, mult, coords
        self.loss = None
        self.level = None         # index of the real loss root it matched
        self.inertia = None
        self.cls = None
        self.reason = ""
        self.witness = None


def _classify_all(A: QuotientAlgebra, T: _BallTerms, sep: _Separation, loss_factors, loss_scale: int, prec: int):
    """Evaluate, certify and match every real point at working precision ``prec``; None if it must rise."""
    with flint.ctx.workprec(prec):
        raw = sep.real_points()
        if raw is None or len(raw) != sep.real_count:
            return None
        grad_terms, hess_terms, loss_terms = T.grad, T.hess, T.loss
        level_balls = []
        for fk, _ in loss_factors:
            level_balls += [r / loss_scale for r in _real_roots(fk)]
        if not disjoint(level_balls):
            return None
        points = []
        n = A.n
        for u_ball, mult, xs in raw:
            p = _Point(u_ball, mult, xs)
            if not all(eval_terms(t, xs).contains(0) for t in grad_terms):
                raise InternalError("a certified box misses the critical point (gradient ≠ 0 on it)")
            p.loss = eval_terms(loss_terms, xs)
            if not (p.loss.is_finite() and all(x.is_finite() for x in xs)):
                return None
            hits = [k for k, b in enumerate(level_balls) if b.overlaps(p.loss)]
            if len(hits) == 1:
                p.level = hits[0]
            elif not hits:
                raise InternalError("a real critical point's loss matches no eigenvalue of M_L")
            if mult == 1:
                H = [[eval_terms(hess_terms[i][j], xs) for j in range(n)] for i in range(n)]
                p.inertia = certify_inertia(H)
            points.append(p)
        done = all(p.level is not None and (p.mult > 1 or p.inertia is not None) for p in points)
        return points, level_balls, done


def _assign_classes(points, level_balls, coercive: bool) -> None:
    levels_known = all(p.level is not None for p in points)
    order = sorted(range(len(level_balls)), key=lambda k: float(level_balls[k].mid()))
    rank_of = {k: r for r, k in enumerate(order)}
    lowest = None
    if points and levels_known:
        lowest = min(rank_of[p.level] for p in points)
    witness = next((i for i, p in enumerate(points) if levels_known and rank_of[p.level] == lowest), None)
    for p in points:
        at_lowest = levels_known and rank_of[p.level] == lowest
        above = levels_known and rank_of[p.level] > lowest
        inert = p.inertia
        if at_lowest and coercive:
            p.cls = PointClass.GLOBAL_MIN
            p.reason = ("lowest loss among the real critical points (exact: same eigenvalue of M_L); every Λ > 0, "
                        "so the loss is coercive and its global minimum is attained at a critical point")
        elif inert is None:
            p.cls = PointClass.UNKNOWN
            p.reason = (f"multiple solution (multiplicity {p.mult}): the Hessian is singular there"
                        if p.mult > 1 else "Hessian inertia not certified on the box at the highest precision")
        elif inert[0] == 0:
            if above:
                p.cls = PointClass.SPURIOUS_LOCAL_MIN
                p.witness = witness
                p.reason = ("Hessian positive definite on the certified box; a real critical point with "
                            "strictly lower loss exists (exact comparison of eigenvalues of M_L)")
            else:
                p.cls = PointClass.LOCAL_MIN
                p.reason = "Hessian positive definite on the certified box; globality undecided"
        elif inert[2] == 0:
            p.cls = PointClass.LOCAL_MAX
            p.reason = "Hessian negative definite on the certified box"
        else:
            p.cls = PointClass.STRICT_SADDLE
            p.reason = f"Hessian inertia {inert} (negative, zero, positive) certified on the box"


# ---------------------------------------------------------------------------------------------------------
# the command


def is_coercive(problem: Problem) -> bool:
    """Every entry of Λ is > 0, so L ≥ ½Σλθ² + c → ∞: the global minimum is attained at a real
    critical point (a scalar λ counts as every entry)."""
    reg = problem.reg
    if isinstance(reg, Fraction):
        return reg > 0
    return all(x > 0 for m in reg for row in m for x in row)


def _ball_terms(A: QuotientAlgebra) -> _BallTerms:
    """L, ∇L and ∇²L of A's ring as term lists for ball evaluation."""
    n = A.n
    grads = [A.loss.derivative(i) for i in range(n)]
    return _BallTerms([(exps(e), c) for e, c in A.loss.terms()],
                      [[(exps(e), c) for e, c in g.terms()] for g in grads],
                      [[[(exps(e), c) for e, c in grads[i].derivative(j).terms()] for j in range(n)]
                       for i in range(n)])


def _base(problem: Problem, A: QuotientAlgebra, engine: str) -> dict:
    return {"engine": engine, "status": Completion.COMPLETE.value, "variables": A.n,
            "parameter_order": problem.param_names(), "groebner_basis_size": len(A.gb_int),
            "variable_order": A.order, "multiplicity_count": A.dimension, "coercive": is_coercive(problem)}


def _empty(base: dict, A: QuotientAlgebra, t_start: float) -> dict:
    base.update({"complex": 0, "real": 0, "by_class": {c.value: 0 for c in CLASSES}, "points": [],
                 "seconds": time.perf_counter() - t_start, "timings": A.timings})
    return base


def _enumerate(problem: Problem, seed: int = 0, engine: str = "auto", deadline: float | None = None) -> dict:
    """Dispatch: msolve when its binary is installed (``engine`` "auto" or "msolve"), else python-flint."""
    from verify.exact.algebra import msolve

    if engine == "flint" or (engine == "auto" and not msolve.available()):
        return _enumerate_flint(problem, seed)
    try:
        return _enumerate_msolve(problem, deadline)
    except WallClockTimeout as e:  # an msolve run killed at its limit: nothing was decided
        out = _timeout_result(problem, 0)
        out["reason"] = f"timeout: {e}; nothing was decided"
        return out


def _enumerate_flint(problem: Problem, seed: int = 0) -> dict:
    t_start = time.perf_counter()
    A = QuotientAlgebra.from_problem(problem)
    base = _base(problem, A, ENGINE)
    if A.dimension == 0:
        return _empty(base, A, t_start)
    exact_signature = A.dimension <= HERMITE_SIGNATURE_MAX
    rank, signature = A.hermite_counts(signature=exact_signature)
    T = _ball_terms(A)
    t0 = time.perf_counter()
    sep = _Separation(A, rank, seed=seed)
    if signature is not None and signature != sep.real_count:
        raise InternalError(f"Hermite signature {signature} ≠ {sep.real_count} real roots of the separating χ_u")
    signature = sep.real_count
    real_method = ("signature of the Hermite form, equal to the number of real roots of χ_u" if exact_signature else
                   f"real roots of χ_u (D = {A.dimension} > {HERMITE_SIGNATURE_MAX}: the Hermite signature, an "
                   "exact characteristic polynomial of a D × D matrix, was skipped)")
    A.timings["separating_form_and_rur"] = time.perf_counter() - t0
    points, level_balls, prec = [], [], None
    if signature > 0:
        t0 = time.perf_counter()
        ML = A.mult_matrix_of(A.loss)
        chiL, dL = _int_charpoly(ML)
        loss_factors = _squarefree_factors(chiL)
        A.timings["loss_values"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        got = None
        for bits in PRECISIONS:
            attempt = _classify_all(A, T, sep, loss_factors, dL, bits)
            if attempt is not None:
                got, prec = attempt, bits
                if attempt[2]:
                    break
        if got is None:
            raise InternalError(f"real roots could not be isolated consistently at {PRECISIONS[-1]} bits")
        points, level_balls, _ = got
        _assign_classes(points, level_balls, base["coercive"])
        A.timings["certify"] = time.perf_counter() - t0
    base.update({"separating_form": [str(x) for x in sep.u], "separating_attempts": sep.attempts,
                 "method": ("reduced Gröbner basis (python-flint Buchberger, degrevlex); Hermite trace form: rank = "
                            "distinct complex, signature = distinct real solutions; RUR + ball arithmetic for the "
                            "real points; loss levels exact via charpoly(M_L)")})
    return _finish(base, A, points, level_balls, rank, signature, real_method, prec, t_start)


def _finish(base, A, points, level_balls, rank, signature, real_method, prec, t_start) -> dict:
    if len(points) != signature:
        raise InternalError(f"{len(points)} real points isolated but {signature} were counted")
    order = sorted(range(len(points)), key=lambda i: (float(points[i].loss.mid()),
                                                      [float(points[i].coords[r].mid()) for r in A.param_to_ring]))
    new_index = {old: new for new, old in enumerate(order)}
    level_order = sorted({p.level for p in points if p.level is not None},
                         key=lambda k: float(level_balls[k].mid()))
    level_rank = {k: r for r, k in enumerate(level_order)}
    out_points = []
    for i in order:
        p = points[i]
        rad = max((float_up(x.rad()) for x in p.coords), default=0.0)
        coords = [p.coords[r] for r in A.param_to_ring]  # ring variables back to the canonical parameter order
        out_points.append({
            "approx": [0.0 if x.contains(0) else float(x.mid()) for x in coords],
            "class": p.cls.value,
            "loss_interval": [float_down(p.loss), float_up(p.loss)],
            "loss_level": level_rank.get(p.level),
            "hessian_inertia": list(p.inertia) if p.inertia else None,
            "multiplicity": p.mult,
            "box_radius": rad,
            "witness": new_index[p.witness] if p.witness is not None else None,
            "reason": p.reason,
        })
    by_class = {c.value: 0 for c in CLASSES}
    for q in out_points:
        by_class[q["class"]] += 1
    if sum(by_class.values()) != signature:
        raise InternalError(f"{sum(by_class.values())} points classified but {signature} real points counted")
    base.update({
        "complex": rank, "real": signature, "by_class": by_class, "points": out_points,
        "real_count_method": real_method, "precision_bits": prec, "seconds": time.perf_counter() - t_start,
        "timings": {k: round(v, 4) for k, v in A.timings.items()},
    })
    return base


# ---------------------------------------------------------------------------------------------------------
# the msolve engine


MSOLVE_PRECISIONS = (128, 512, 2048)
"""Output precisions (bits) of msolve's isolating boxes tried in turn until every real point is certified."""


def _left(deadline: float | None) -> float | None:
    if deadline is None:
        return msolve_module().DEFAULT_TIMEOUT
    left = deadline - time.monotonic()
    if left <= 0:
        raise WallClockTimeout("wall-clock limit reached before msolve")
    return left


def msolve_module():
    from verify.exact.algebra import msolve

    return msolve


def _box_ball(lo, hi) -> flint.arb:
    a = flint.arb(flint.fmpq(lo.numerator, lo.denominator))
    return a.union(flint.arb(flint.fmpq(hi.numerator, hi.denominator)))


def _classify_boxes(A: QuotientAlgebra, T: _BallTerms, boxes, level_balls):
    """_Points of msolve's boxes at the current working precision; None when a loss ball meets ≠ 1 level."""
    points = []
    for box in boxes:
        xs = [_box_ball(lo, hi) for lo, hi in box]
        p = _Point(None, 1, xs)
        if not all(eval_terms(t, xs).contains(0) for t in T.grad):
            raise InternalError("an msolve box misses the critical point (gradient ≠ 0 on it)")
        p.loss = eval_terms(T.loss, xs)
        hits = [k for k, b in enumerate(level_balls) if b.overlaps(p.loss)]
        if not hits:
            raise InternalError("a real critical point's loss matches no root of the loss eliminant")
        if len(hits) > 1:
            return None
        p.level = hits[0]
        H = [[eval_terms(T.hess[i][j], xs) for j in range(A.n)] for i in range(A.n)]
        p.inertia = certify_inertia(H)
        points.append(p)
    return points


def _enumerate_msolve(problem: Problem, deadline: float | None = None) -> dict:
    """msolve pipeline: reduced basis (→ D and finiteness), isolating boxes of the real points, the loss eliminant
    (exact critical values); classification on the boxes in ball arithmetic as in the flint pipeline."""
    ms = msolve_module()
    t_start = time.perf_counter()
    gb = ms.groebner_basis(problem, timeout=_left(deadline))
    A = QuotientAlgebra.from_msolve(problem, gb)
    A.timings = {"groebner": time.perf_counter() - t_start}
    base = _base(problem, A, MSOLVE_ENGINE)
    if A.dimension == 0:
        return _empty(base, A, t_start)
    D = A.dimension
    exact_signature = D <= HERMITE_SIGNATURE_MAX
    rank = signature = None
    if exact_signature:
        t0 = time.perf_counter()
        rank, signature = A.hermite_counts(signature=True)
        A.timings["hermite"] = time.perf_counter() - t0
    T = _ball_terms(A)
    t0 = time.perf_counter()
    coeffs = ms.loss_eliminant(problem, timeout=_left(deadline))
    loss_factors = _squarefree_factors(flint.fmpz_poly(coeffs))
    A.timings["loss_eliminant"] = time.perf_counter() - t0
    points, level_balls, prec = [], [], None
    for bits in MSOLVE_PRECISIONS:
        t0 = time.perf_counter()
        boxes = ms.real_roots(problem, timeout=_left(deadline), precision=bits)
        A.timings["real_roots"] = A.timings.get("real_roots", 0.0) + time.perf_counter() - t0
        if boxes is None:
            raise InternalError("msolve reports a positive-dimensional set for a zero-dimensional basis")
        t0 = time.perf_counter()
        got = None
        with flint.ctx.workprec(max(2 * bits, 128)):
            level_balls = []
            for fk, _ in loss_factors:
                level_balls += _real_roots(fk)
            if disjoint(level_balls):
                got = _classify_boxes(A, T, boxes, level_balls)
        A.timings["certify"] = A.timings.get("certify", 0.0) + time.perf_counter() - t0
        if got is not None:
            points, prec = got, bits
            if all(p.inertia is not None for p in points):
                break
    else:
        if not points and boxes:
            raise InternalError(f"loss levels not separated at {MSOLVE_PRECISIONS[-1]} bits")
    if signature is not None and signature != len(boxes):
        raise InternalError(f"Hermite signature {signature} ≠ {len(boxes)} real points isolated by msolve")
    if rank is not None and rank != D:
        pass  # multiple roots: D counts with multiplicity, rank the distinct solutions
    real = len(boxes)
    _assign_classes(points, level_balls, base["coercive"])
    real_method = ("real solutions isolated by msolve, equal to the signature of the Hermite form" if exact_signature
                   else f"real solutions isolated by msolve (D = {D} > {HERMITE_SIGNATURE_MAX}: the Hermite "
                   "signature, an exact characteristic polynomial of a D × D matrix, was skipped)")
    complex_count = rank if rank is not None else D
    base.update({
        "complex_count_method": ("rank of the Hermite form (distinct complex solutions)" if rank is not None else
                                 "standard monomials of the reduced basis (counted with multiplicity; distinctness "
                                 f"not decided above D = {HERMITE_SIGNATURE_MAX})"),
        "method": ("reduced Gröbner basis over Q (msolve -g 2, degrevlex); real points: msolve's isolating boxes; "
                   "loss levels exact via the eliminant of ⟨∇L, ℓ − L⟩ ∩ Q[ℓ] (msolve -e); Hessian inertia "
                   "certified on each box in ball arithmetic"),
    })
    return _finish(base, A, points, level_balls, complex_count, real, real_method, prec, t_start)


def _timeout_result(problem: Problem, timeout: float) -> dict:
    return {"engine": ENGINE, "status": Completion.UNKNOWN.value, "complex": None, "real": None,
            "by_class": {}, "points": [], "multiplicity_count": None,
            "reason": f"timeout: wall-clock limit of {timeout:g} s reached; nothing was decided",
            "variables": problem.n_params}


def critical_points(problem: Problem, timeout: float | None = None, seed: int = 0, engine: str = "auto") -> dict:
    """Count (complex, real) and classify the critical points of a problem whose critical set is finite.

    Returns the CONTRACT.md object ``{"complex", "real", "by_class", "points", ...}``. Raises
    :class:`NotFiniteError` (an :class:`InputError` on field ``reg``) when the critical set is not finite,
    :class:`TooLargeError` beyond the enumeration limits. With ``timeout`` (seconds, > 0) the work runs in a
    child process that is killed at the limit, and the result has ``"status": "unknown"``.
    """
    if engine not in ENGINES:
        raise InputError("engine", f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if not timeout or timeout <= 0:
        return _enumerate(problem, seed, engine)
    from verify.infra.child import run_in_child

    deadline = time.monotonic() + timeout  # msolve runs are limited to what is left, and die with the child
    try:
        return run_in_child(_enumerate, problem, seed, engine, deadline, timeout=timeout, what="the enumeration")
    except WallClockTimeout:
        return _timeout_result(problem, timeout)
