"""The complete landscape of a polynomial problem with a finite critical set: every complex critical point counted
and put in its own Krawczyk box, each real one classified (the search behind :mod:`verify.certify.landscape`,
which turns a :class:`Landscape` into a ``complete-landscape`` certificate).

:func:`find_landscape` finds, in degrevlex with ring variable x_k = θ_{v_k} (:func:`variable_order`):

1. **G ⊆ ⟨∇L⟩, exactly.** FLINT's reduced Gröbner basis (``buchberger_naive`` + ``autoreduction``), computed as the
   checker recomputes it — not msolve's basis over Q, which is probabilistic (:data:`verify.exact.algebra.msolve.
   AGREEING_RUNS`: one wrong coefficient for 2 seeds in 60 on 2-2-2). The order matters for that Buchberger: the
   *reversed* parameter order by default (measured 0.04 s vs 0.11 s on 1-2-3, 0.5 s vs 82 s on 1-3-3, 1.1 s vs 12 s
   on a 1-2-1 two-layer net with σ(t) = t + t², and bases 2–4× smaller). With ``ideal="cofactors"`` Singular's
   ``std`` gives G and ``lift`` the cofactors g_i = Σ_k c_ik ∂L/∂x_k w.r.t. the EXACT partial derivatives (L with its
   ½ and rationals; Singular gets the integer-scaled gradient and the cofactors are rescaled). ``"auto"``: the
   cofactors first when Singular is installed and D ≤ :data:`COFACTOR_MAX_POINTS` (unless ``lift`` exceeds
   :data:`COFACTOR_TIMEOUT`), then the recomputed basis. msolve's own basis only supplies leading monomials
   beforehand (finiteness, the route).
2. **D** = the number of standard monomials of G: at most D complex critical points.
3. **D boxes**, each holding exactly one critical point (complex Krawczyk test), pairwise disjoint: at least D
   (:mod:`verify.exact.ball.critical_boxes`, from msolve's rational parametrisation ``-P 1``).
4. **The real boxes classified**: a congruence proving H ≻ 0 on the box (a strict local minimum) or a direction
   with vᵀHv < 0 (not a local minimum). For a statement about minima (``strict-saddle``, ``no-spurious-local-min``:
   every local minimum is global) the loss must be coercive (:func:`verify.exact.algebra.enumerate.is_coercive`: the
   minimum is attained at a real critical point) and the signed-permutation symmetries of L join the symmetric
   copies of the global minimum into one orbit that holds every minimum (:func:`global_orbit`). ``count`` needs
   neither.

A :class:`Failure` (``landscape.failure``) does NOT mean the landscape is different from what was found: an infinite
critical set, a multiple root (no box isolates it), a spurious minimum for a statement about minima, a tool missing
or a timeout only say that this landscape could not be completed.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction

import flint

from verify.errors import InternalError, WallClockTimeout
from verify.exact.algebra.enumerate import is_coercive
from verify.exact.algebra.groebner import NotFiniteError, degrevlex_key, missing_pure_powers, standard_monomials
from verify.exact.ball import critical_boxes as cb
from verify.exact.loss import to_fraction
from verify.problems import Problem

STATEMENTS = ("count", "strict-saddle", "no-spurious-local-min")
"""What a complete landscape is asked to show: the count (every critical point, the real ones classified), or also
that every local minimum is global (proofs/landscape.py's table of the statements it checks)."""
AUTO = "auto"
"""``statement="auto"``: ``strict-saddle`` when it holds (it implies no-spurious-local-min and needs the same
checks), else ``count``."""
IDEALS = ("auto", "recompute", "cofactors")
ORDERS = ("auto", "canonical", "reversed")
COFACTOR_MAX_POINTS = 160
"""Above it ``auto`` skips the lift: the cofactors of 1-3-3 (D = 245) make 6.4 MB, over the certificate format's
limit; those of 1-2-3 (D = 73) 405 KB. In between the certificate's size decides (the emitter falls back to
recompute)."""
COFACTOR_TIMEOUT = 60.0
DEFAULT_PRECISION = 256
PARAMETRISATION_RUNS = 2
"""msolve -P 1 runs tried (fresh seeds) when its points cannot be boxed or look multiple."""
RADIUS_STEPS = 4
"""How many times the box radius exponent ρ (r = 2^−ρ) is doubled when a Krawczyk test fails."""


class Failure(str, Enum):
    """Why no complete landscape (or no certificate of it) was made; the landscape is not thereby different from
    what was found."""

    MISSING_TOOL = "missing-tool"
    NOT_FINITE = "not-finite"
    EMPTY = "no-critical-points"
    MULTIPLE_ROOT = "multiple-root"
    NOT_ISOLATED = "not-isolated"
    NOT_CLASSIFIED = "not-classified"
    NOT_COERCIVE = "not-coercive"
    NOT_SEPARATED = "loss-levels-not-separated"
    SPURIOUS_MINIMUM = "spurious-minimum"
    TOO_LARGE = "too-large"
    TIMEOUT = "timeout"


@dataclass
class Landscape:
    """What :func:`find_landscape` reached: ``failure`` None, or why it stopped (with what it had counted).

    ``ideals``: [(route, G, cofactors or None)] in order of preference (``cofactors``, ``recompute``), G as
    {ring exponent: int}; ``boxes`` (real ones first, by loss) with ``radius`` r and working ``precision`` bits;
    ``symmetries``: the signed-permutation generators used to build them."""

    statement: str
    failure: Failure | None = None
    reason: str = ""
    variables: list | None = None
    ideals: list = field(default_factory=list)
    critical_points: int | None = None
    boxes: list | None = None
    radius: Fraction | None = None
    precision: int | None = None
    symmetries: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)

    @property
    def real(self) -> int | None:
        return None if self.boxes is None else sum(b.real for b in self.boxes)

    @property
    def minima(self) -> int | None:
        return None if self.boxes is None else sum(b.minimum for b in self.boxes)

    @property
    def saddles(self) -> int | None:
        return None if self.boxes is None else self.real - self.minima


def variable_order(problem: Problem, order: str = "auto") -> list[int]:
    """The permutation v (ring variable x_k = θ_{v_k}); ``auto`` is the reversed order, measured faster for the
    checker's Buchberger on every deep linear and two-layer instance tried (module docstring)."""
    n = problem.n_params
    if order == "auto":
        order = "reversed"
    return list(range(n))[::-1] if order == "reversed" else list(range(n))


def time_left(deadline: float | None, cap: float | None = None) -> float | None:
    """Seconds until ``deadline`` (``time.monotonic()``), at most ``cap``; ``cap`` when there is no deadline.
    :class:`WallClockTimeout` when it has passed."""
    if deadline is None:
        return cap
    left = deadline - time.monotonic()
    if left <= 0:
        raise WallClockTimeout("wall-clock limit reached")
    return left if cap is None else min(left, cap)


def _fail(found: Landscape, failure: Failure, reason: str) -> Landscape:
    found.failure, found.reason = failure, reason
    return found


# ---------------------------------------------------------------------------------------------------------
# part 1: the ideal


def ring_gradients(problem: Problem, variables):
    """For each ring variable x_k: (∂L/∂x_k as {ring exponent: Fraction}, its integer primitive multiple f_k, s_k)
    with f_k = s_k·∂L/∂x_k (zero gradients: ({}, {}, 1))."""
    from verify.exact.algebra.groebner import loss_polynomial

    loss, _ = loss_polynomial(problem, "canonical")
    out = []
    for v in variables:
        exact = {tuple(int(e[i]) for i in variables): to_fraction(c) for e, c in loss.derivative(v).terms()}
        den = math.lcm(1, *(c.denominator for c in exact.values()))
        g = math.gcd(0, *(int(c * den) for c in exact.values())) or 1
        out.append((exact, {e: int(c * den) // g for e, c in exact.items()}, Fraction(den, g)))
    return out


def _flint_basis(problem: Problem, variables) -> list[dict]:
    """The reduced Gröbner basis of ⟨∇L⟩ in the ring order, exactly as the checker recomputes it (FLINT's
    ``buchberger_naive`` then ``autoreduction``; exact over Z, unlike msolve's probabilistic basis over Q)."""
    n = len(variables)
    zctx = flint.fmpz_mpoly_ctx.get(("x", n), "degrevlex")
    polys = [zctx.from_dict(f) for _, f, _ in ring_gradients(problem, variables) if f]
    red = flint.fmpz_mpoly_vec(polys, zctx).buchberger_naive().autoreduction()
    return [{tuple(int(k) for k in e): int(c) for e, c in red[i].terms()} for i in range(len(red))]


def _exact_count(basis, n: int) -> int:
    lms = [max(g, key=degrevlex_key) for g in basis]
    if missing_pure_powers(lms, n):
        raise InternalError("the exact basis is not zero-dimensional although msolve's leading monomials are")
    return len(standard_monomials(lms, n))


def _cofactor_ideal(problem: Problem, variables, timeout):
    """(basis, cofactors) from Singular: g_i = Σ_k c_ik·∂L/∂x_k exactly; D re-counted from Singular's G."""
    from verify.exact.algebra import singular

    grads = ring_gradients(problem, variables)
    used = [k for k, (exact, _, _) in enumerate(grads) if exact]
    basis, T = singular.std_lift(len(variables), [grads[k][1] for k in used], timeout=timeout)
    cof = []
    for row in T:
        full = [{} for _ in variables]
        for pos, k in enumerate(used):
            full[k] = {e: c * grads[k][2] for e, c in row[pos].items()}
        cof.append(full)
    return basis, cof


def _ideals(problem, ideal: str, variables, D_estimate: int, deadline, found: Landscape) -> bool:
    """Fill ``found.ideals`` in order of preference: Singular's standard basis with its cofactors, FLINT's reduced
    basis for ``recompute`` (both exact); False with a failure filled in."""
    from verify.exact.algebra import singular

    if ideal == "cofactors" or (ideal == "auto" and singular.available() and D_estimate <= COFACTOR_MAX_POINTS):
        if not singular.available():
            _fail(found, Failure.MISSING_TOOL, f"ideal='cofactors' needs Singular: {singular.INSTALL_HINT}")
            return False
        t0 = time.perf_counter()
        try:
            cap = COFACTOR_TIMEOUT if ideal == "auto" else None
            found.ideals.append(("cofactors", *_cofactor_ideal(problem, variables, time_left(deadline, cap))))
        except WallClockTimeout:
            if ideal != "auto" or (deadline is not None and time.monotonic() >= deadline):
                raise
        finally:
            found.timings["cofactors"] = time.perf_counter() - t0
    if ideal != "cofactors":
        t0 = time.perf_counter()
        found.ideals.append(("recompute", _flint_basis(problem, variables), None))
        found.timings["flint_basis"] = time.perf_counter() - t0
    return True


# ---------------------------------------------------------------------------------------------------------
# parts 3-4: boxes and classification


def _boxes(problem: Problem, par, D: int, found: Landscape) -> bool:
    """Fill ``found``'s boxes, radius, precision and symmetries; False with a failure filled in."""
    from verify.exact.ball.krawczyk import GradientSystem, loss_on_box
    from verify.exact.discrete_symmetry import group, signed_symmetries

    n = problem.n_params
    f = flint.fmpz_poly(par.elim)
    distinct = par.degree if f.gcd(f.derivative()).degree() == 0 else None
    if distinct != D:
        _fail(found, Failure.MULTIPLE_ROOT, f"D = {D} solutions counted with multiplicity but the parametrisation "
              f"has {'a non-squarefree' if distinct is None else f'only {distinct} distinct'} eliminating "
              "polynomial: a multiple critical point (degenerate: its Hessian is singular), which no Krawczyk box "
              "isolates and no congruence classifies")
        return False
    t0 = time.perf_counter()
    points, _ = cb.approximate_points(par, n)
    if points is None:
        _fail(found, Failure.NOT_ISOLATED, "the parametrisation could not be evaluated accurately enough")
        return False
    gens = signed_symmetries(problem)
    elements = group(gens, n)
    if elements is None:
        gens, elements = [], group([], n)
    rep, via, stab = cb.orbits(points, elements)
    found.timings["points"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    system = GradientSystem(problem)
    rho = cb.radius_bits_for(points)
    why = "Newton's method did not converge"
    for _ in range(RADIUS_STEPS):
        bits = DEFAULT_PRECISION if rho <= 96 else min(4096, 2 * rho + 64)
        r = Fraction(1, 2 ** rho)
        boxes = cb.orbit_boxes(system, points, rep, via, stab, rho)
        why = "Newton's method did not converge" if boxes is None else cb.check_boxes(system, boxes, r, bits)
        if why is None:
            break
        rho *= 2
    else:
        _fail(found, Failure.NOT_ISOLATED, f"boxes not certified down to radius 2^-{rho // 2}: {why}")
        return False
    found.timings["boxes"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for k, b in enumerate(boxes):
        if b.real and not cb.classify_real(system, b, r, bits):
            _fail(found, Failure.NOT_CLASSIFIED, f"real critical point {k}: the Hessian's inertia was not certified "
                  "on its box (neither H ≻ 0 nor a negative direction)")
            return False
        if b.real:
            b.loss = loss_on_box(system, b.re, r, bits)
    found.timings["classify"] = time.perf_counter() - t0
    real = sorted((b for b in boxes if b.real), key=lambda b: float(b.loss.mid()))
    rest = sorted((b for b in boxes if not b.real), key=lambda b: [float(x) for x in b.re + b.im])
    found.boxes, found.radius, found.precision, found.symmetries = real + rest, r, bits, gens
    return True


def global_orbit(boxes) -> tuple[Failure, str] | None:
    """FORMAT.md's (c)–(d): the orbit O of the lowest real box holds a minimum, every real box outside O has a loss
    lower bound above O's upper bounds, and every minimum lies in O. None when they hold."""
    real = [(k, b) for k, b in enumerate(boxes) if b.real]
    O = real[0][1].orbit
    inside = [b for _, b in real if b.orbit == O]
    if not any(b.minimum for b in inside):
        return Failure.NOT_SEPARATED, "the lowest real critical point is not a certified minimum"
    top = max((b.loss.upper() for b in inside), key=float)
    for k, b in real:
        if b.orbit == O:
            continue
        if not b.loss.lower() > top:
            return Failure.NOT_SEPARATED, (f"box {k}'s loss is not certified above the lowest orbit's (equal "
                                           "losses outside one symmetry orbit)")
        if b.minimum:
            return Failure.SPURIOUS_MINIMUM, (f"box {k} is a strict local minimum with loss ≈ {float(b.loss.mid()):.6g}"
                                              f" above the global minimum ≈ {float(top):.6g}: a spurious local "
                                              "minimum")
    return None


# ---------------------------------------------------------------------------------------------------------
# the search


def _search(problem: Problem, statement: str, ideal: str, order: str, deadline: float | None,
            found: Landscape) -> Landscape:
    from verify.exact.algebra import msolve

    if not msolve.available():
        return _fail(found, Failure.MISSING_TOOL, f"msolve is needed for the critical points: {msolve.INSTALL_HINT}")
    if statement not in ("count", AUTO) and not is_coercive(problem):
        return _fail(found, Failure.NOT_COERCIVE, f"{statement} needs every Λ entry > 0 (coercivity: the global "
                     "minimum is then a real critical point, and every other local minimum must lie above it)")
    n = problem.n_params
    variables = found.variables = variable_order(problem, order)
    t0 = time.perf_counter()
    try:
        estimate = msolve.groebner_basis(problem, timeout=time_left(deadline, msolve.DEFAULT_TIMEOUT),
                                         variables=variables, runs=1)  # only its leading monomials: finiteness, route
    except NotFiniteError as e:   # ∇L ≡ 0: no system to hand to msolve
        return _fail(found, Failure.NOT_FINITE, e.detail)
    found.timings["msolve_basis"] = time.perf_counter() - t0
    lms = [max(g, key=degrevlex_key) for g in estimate]
    if any(sum(m) == 0 for m in lms):
        return _fail(found, Failure.EMPTY, "1 ∈ ⟨∇L⟩: there are no critical points, not even complex ones")
    missing = missing_pure_powers(lms, n)
    if missing:
        names = problem.param_names()
        return _fail(found, Failure.NOT_FINITE, "the critical set is not finite (no pure power of "
                     f"{', '.join(names[variables[k]] for k in missing)} among the leading monomials)")
    if not _ideals(problem, ideal, variables, len(standard_monomials(lms, n)), deadline, found):
        return found
    counts = {_exact_count(basis, n) for _, basis, _ in found.ideals}
    if len(counts) != 1:
        raise InternalError(f"Singular's and FLINT's exact bases count different quotient dimensions {counts}")
    D = found.critical_points = counts.pop()
    for _ in range(PARAMETRISATION_RUNS):  # msolve over Q is probabilistic: a fresh seed each time
        t0 = time.perf_counter()
        par = msolve.parametrisation(problem, timeout=time_left(deadline, msolve.DEFAULT_TIMEOUT))
        found.timings["parametrisation"] = found.timings.get("parametrisation", 0.0) + time.perf_counter() - t0
        if par is None:
            raise InternalError("msolve's parametrisation reports an infinite set for a zero-dimensional basis")
        found.failure = None
        if _boxes(problem, par, D, found) or found.failure not in (Failure.NOT_ISOLATED, Failure.MULTIPLE_ROOT):
            break
    if found.boxes is None:
        return found
    if statement == AUTO:
        holds = is_coercive(problem) and global_orbit(found.boxes) is None
        statement = found.statement = "strict-saddle" if holds else "count"
    if statement != "count":
        bad = global_orbit(found.boxes)
        if bad is not None:
            return _fail(found, *bad)
    return found


def find_landscape(problem: Problem, statement: str = "count", ideal: str = "auto", order: str = "auto",
                   deadline: float | None = None) -> Landscape:
    """Every critical point of ``problem`` in its own box, the real ones classified, for ``statement`` (one of
    :data:`STATEMENTS` or :data:`AUTO`, resolved in ``landscape.statement``), with the exact ideals ``ideal`` asks
    for, in the ring order ``order``, by ``deadline`` (``time.monotonic()``; a :attr:`Failure.TIMEOUT` after it).
    The arguments are not validated here (:func:`verify.certify.landscape.complete_landscape_certificate` does).

    >>> from verify.testing.instances import generic_regularised_net
    >>> found = find_landscape(generic_regularised_net((1, 1, 1)))   # doctest: +SKIP
    >>> found.critical_points, found.real, [route for route, _, _ in found.ideals]   # doctest: +SKIP
    (5, 1, ['cofactors', 'recompute'])
    """
    found = Landscape(statement)
    try:
        return _search(problem, statement, ideal, order, deadline, found)
    except WallClockTimeout as e:
        return _fail(found, Failure.TIMEOUT, f"timeout: {e}; nothing was decided")


__all__ = ["AUTO", "COFACTOR_MAX_POINTS", "DEFAULT_PRECISION", "Failure", "IDEALS", "Landscape", "ORDERS",
           "STATEMENTS", "find_landscape", "global_orbit", "ring_gradients", "time_left", "variable_order"]
