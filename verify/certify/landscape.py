"""Complete-landscape certificates (proofs/FORMAT.md, ``complete-landscape``): every critical point, counted over C,
each real one classified — for a polynomial problem whose critical set is finite.

:func:`complete_landscape_certificate` builds the certificate in four parts, the checker re-deriving each:

1. **G and why it lies in ⟨∇L⟩**, in degrevlex with ring variable x_k = θ_{v_k}. With ``ideal="recompute"`` G is
   FLINT's reduced Gröbner basis (``buchberger_naive`` + ``autoreduction``), computed here exactly as the checker
   recomputes it — not msolve's basis over Q, which is probabilistic (:data:`verify.exact.algebra.msolve.
   AGREEING_RUNS`: one wrong coefficient for 2 seeds in 60 on 2-2-2, which the checker rightly rejected). The
   order matters for that Buchberger: the *reversed* parameter order by default (:func:`variable_order`; measured
   0.04 s vs 0.11 s on 1-2-3, 0.5 s vs 82 s on 1-3-3, 1.1 s vs 12 s on a 1-2-1 two-layer net with σ(t) = t + t²,
   and bases 2–4× smaller). With ``ideal="cofactors"`` Singular's ``std`` gives G and ``lift`` the cofactors
   g_i = Σ_k c_ik ∂L/∂x_k w.r.t. the EXACT partial derivatives (L with its ½ and rationals; Singular gets the
   integer-scaled gradient and the cofactors are rescaled); the checker only multiplies polynomials and FLINT's
   Buchberger stays out of the trusted base. ``"auto"``: cofactors when Singular is installed and D ≤
   :data:`COFACTOR_MAX_POINTS`, unless ``lift`` exceeds :data:`COFACTOR_TIMEOUT` or the certificate would exceed
   the format's 5 MB; then recompute (measured in the reversed order: 2-2-2 244 KB, 1-2-3 405 KB, 1-3-3 6.4 MB —
   over the limit — with ``lift`` in 3–4 s). msolve's own basis only supplies leading monomials beforehand
   (finiteness, the route).
2. **D** = the number of standard monomials of G: at most D complex critical points.
3. **D boxes**, each holding exactly one critical point (complex Krawczyk test), pairwise disjoint: at least D
   (:mod:`verify.certify.landscape_boxes`, from msolve's rational parametrisation ``-P 1``).
4. **The real boxes classified**: a congruence proving H ≻ 0 on the box (a strict local minimum) or a direction
   with vᵀHv < 0 (not a local minimum). ``strict-saddle`` (CONTRACT.md: every critical point that is not a global
   minimum has a negative eigenvalue) and ``no-spurious-local-min`` both need every local minimum to be global: they
   add the signed-permutation symmetries of L, so that the checker can join the symmetric copies of the global
   minimum into one orbit, and need coercivity (every Λ entry > 0: the minimum is attained at a real critical
   point). ``count`` needs neither.

The certificate is checked by ``proofs.check_certificate`` before it is returned when the kernel has the
``complete-landscape`` rule (:func:`verify.certify.emit_checked`'s contract); ``result.kernel`` is its reason.

No certificate (``result.failure`` says why) does NOT mean the landscape is different from what was found: an
infinite critical set, a multiple root (no box isolates it), a spurious minimum for ``no-spurious-local-min``, a
tool missing or a timeout only say that this certificate could not be made.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction

import flint

from verify.certify import landscape_boxes as lb
from verify.certify.common import envelope, mat, vec
from verify.errors import InputError, InternalError, WallClockTimeout
from verify.exact.algebra.groebner import degrevlex_key, missing_pure_powers, standard_monomials
from verify.problems import Problem
from verify.problems.numbers import fraction_str
from verify.verdict import Completion

KIND = "complete-landscape"
STATEMENTS = ("count", "strict-saddle", "no-spurious-local-min")
AUTO = "auto"
"""``statement="auto"``: ``strict-saddle`` when it holds (it implies no-spurious-local-min and needs the same
checks), else ``count``."""
IDEALS = ("auto", "recompute", "cofactors")
ORDERS = ("auto", "canonical", "reversed")
COFACTOR_MAX_POINTS = 160
"""Above it ``auto`` skips the lift: the cofactors of 1-3-3 (D = 245) make 6.4 MB, over the limit; those of
1-2-3 (D = 73) 405 KB. In between the certificate's size decides (a too-large one falls back to recompute)."""
COFACTOR_TIMEOUT = 60.0
MAX_BYTES = 5_000_000
DEFAULT_PRECISION = 256
MAX_SYMMETRIES = 64
"""The format's limit on listed symmetries (generators; their orbits are what the checker joins)."""
PARAMETRISATION_RUNS = 2
"""msolve -P 1 runs tried (fresh seeds) when its points cannot be boxed or look multiple."""
RADIUS_STEPS = 4
"""How many times the box radius exponent ρ (r = 2^−ρ) is doubled when a Krawczyk test fails."""


class Failure(str, Enum):
    """Why no certificate was made (the landscape is not thereby different from what was found)."""

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
class LandscapeResult:
    """A certificate (``failure`` None) or why none was made; counts and route when they were reached."""

    statement: str
    certificate: dict | None = None
    failure: Failure | None = None
    reason: str = ""
    route: str | None = None
    variables: list | None = None
    critical_points: int | None = None
    real: int | None = None
    minima: int | None = None
    saddles: int | None = None
    size_bytes: int | None = None
    kernel: str | None = None
    spurious: dict | None = None   # failure SPURIOUS_MINIMUM: a kernel-verified spurious-isolated-min certificate
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)

    @property
    def status(self) -> Completion:
        return Completion.COMPLETE if self.certificate is not None else Completion.UNKNOWN

    def to_json(self, path: str | None = None) -> dict:
        return {"status": self.status.value, "statement": self.statement, "certificate": path,
                "failure": None if self.failure is None else self.failure.value, "reason": self.reason,
                "route": self.route, "variables": self.variables, "critical_points": self.critical_points,
                "real": self.real, "minima": self.minima, "saddles": self.saddles, "size_bytes": self.size_bytes,
                "kernel": self.kernel, "seconds": round(self.seconds, 3),
                "timings": {k: round(v, 3) for k, v in self.timings.items()}}


# ---------------------------------------------------------------------------------------------------------
# helpers


def coercive(problem: Problem) -> bool:
    """Every entry of every trained layer's Λ is > 0 (L ≥ ½Σλθ² → ∞)."""
    from verify.exact.algebra.enumerate import _is_coercive

    return _is_coercive(problem)


def variable_order(problem: Problem, order: str = "auto") -> list[int]:
    """The permutation v (ring variable x_k = θ_{v_k}); ``auto`` is the reversed order, measured faster for the
    checker's Buchberger on every deep linear and two-layer instance tried (module docstring)."""
    n = problem.n_params
    if order == "auto":
        order = "reversed"
    return list(range(n))[::-1] if order == "reversed" else list(range(n))


def _terms(poly: dict) -> list:
    return [[list(e), fraction_str(Fraction(poly[e]))] for e in sorted(poly, key=degrevlex_key, reverse=True)]


def _left(deadline: float | None, cap: float | None = None) -> float | None:
    if deadline is None:
        return cap
    left = deadline - time.monotonic()
    if left <= 0:
        raise WallClockTimeout("wall-clock limit reached")
    return left if cap is None else min(left, cap)


def _fail(res: LandscapeResult, failure: Failure, reason: str) -> LandscapeResult:
    res.failure, res.reason = failure, reason
    return res


# ---------------------------------------------------------------------------------------------------------
# part 1: the ideal


def _ring_gradients(problem: Problem, variables):
    """For each ring variable x_k: (∂L/∂x_k as {ring exponent: Fraction}, its integer primitive multiple f_k, s_k)
    with f_k = s_k·∂L/∂x_k (zero gradients: ({}, {}, 1))."""
    from verify.exact.algebra.groebner import loss_polynomial

    loss, _ = loss_polynomial(problem, "canonical")
    out = []
    for v in variables:
        exact = {tuple(int(e[i]) for i in variables): Fraction(int(c.p), int(c.q))
                 for e, c in loss.derivative(v).terms()}
        den = math.lcm(1, *(c.denominator for c in exact.values()))
        g = math.gcd(0, *(int(c * den) for c in exact.values())) or 1
        out.append((exact, {e: int(c * den) // g for e, c in exact.items()}, Fraction(den, g)))
    return out


def _flint_basis(problem: Problem, variables) -> list[dict]:
    """The reduced Gröbner basis of ⟨∇L⟩ in the ring order, exactly as the checker recomputes it (FLINT's
    ``buchberger_naive`` then ``autoreduction``; exact over Z, unlike msolve's probabilistic basis over Q)."""
    n = len(variables)
    zctx = flint.fmpz_mpoly_ctx.get(("x", n), "degrevlex")
    polys = [zctx.from_dict(f) for _, f, _ in _ring_gradients(problem, variables) if f]
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

    grads = _ring_gradients(problem, variables)
    used = [k for k, (exact, _, _) in enumerate(grads) if exact]
    basis, T = singular.std_lift(len(variables), [grads[k][1] for k in used], timeout=timeout)
    cof = []
    for row in T:
        full = [{} for _ in variables]
        for pos, k in enumerate(used):
            full[k] = {e: c * grads[k][2] for e, c in row[pos].items()}
        cof.append(full)
    return basis, cof


# ---------------------------------------------------------------------------------------------------------
# parts 3-4: boxes, classification, statement


def _boxes(problem: Problem, par, D: int, res: LandscapeResult, statement: str):
    """(boxes, radius, precision, generators) or a filled-in failure (returns None)."""
    from verify.exact.ball.krawczyk import GradientSystem, loss_on_box
    from verify.exact.discrete_symmetry import group, signed_symmetries

    n = problem.n_params
    f = flint.fmpz_poly(par.elim)
    distinct = par.degree if f.gcd(f.derivative()).degree() == 0 else None
    if distinct != D:
        _fail(res, Failure.MULTIPLE_ROOT, f"D = {D} solutions counted with multiplicity but the parametrisation has "
              f"{'a non-squarefree' if distinct is None else f'only {distinct} distinct'} eliminating polynomial: "
              "a multiple critical point (degenerate: its Hessian is singular), which no Krawczyk box isolates and no "
              "congruence classifies")
        return None
    t0 = time.perf_counter()
    points, _ = lb.approximate_points(par, n)
    if points is None:
        _fail(res, Failure.NOT_ISOLATED, "the parametrisation could not be evaluated accurately enough")
        return None
    gens = signed_symmetries(problem)
    elements = group(gens, n)
    if elements is None:
        gens, elements = [], group([], n)
    rep, via, stab = lb.orbits(points, elements)
    res.timings["points"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    system = GradientSystem(problem)
    rho = lb.radius_bits_for(points)
    why = "Newton's method did not converge"
    for _ in range(RADIUS_STEPS):
        bits = DEFAULT_PRECISION if rho <= 96 else min(4096, 2 * rho + 64)
        r = Fraction(1, 2 ** rho)
        boxes = lb.orbit_boxes(system, points, rep, via, stab, rho)
        why = "Newton's method did not converge" if boxes is None else lb.check_boxes(system, boxes, r, bits)
        if why is None:
            break
        rho *= 2
    else:
        _fail(res, Failure.NOT_ISOLATED, f"boxes not certified down to radius 2^-{rho // 2}: {why}")
        return None
    res.timings["boxes"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for k, b in enumerate(boxes):
        if b.real and not lb.classify_real(system, b, r, bits):
            _fail(res, Failure.NOT_CLASSIFIED, f"real critical point {k}: the Hessian's inertia was not certified on "
                  "its box (neither H ≻ 0 nor a negative direction)")
            return None
        if b.real:
            b.loss = loss_on_box(system, b.re, r, bits)
    res.timings["classify"] = time.perf_counter() - t0
    real = sorted((b for b in boxes if b.real), key=lambda b: float(b.loss.mid()))
    rest = sorted((b for b in boxes if not b.real), key=lambda b: [float(x) for x in b.re + b.im])
    return real + rest, r, bits, gens


def _global_orbit(boxes) -> tuple[Failure, str] | None:
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


def spurious_box_certificate(problem: Problem, boxes, r: Fraction, bits: int, timeout) -> dict | None:
    """A ``spurious-isolated-min`` certificate (proofs/FORMAT.md) for the first real minimum box whose loss is above
    the lowest real box's: its Krawczyk box (preconditioner: the inverse Hessian at the centre, rationalised), its
    congruence, and the lowest box's centre as the witness of lower loss. Kernel-checked; None if it does not check."""
    import numpy as np

    import proofs
    from verify.exact.ball.krawczyk import GradientSystem, hessian_on_box

    real = [b for b in boxes if b.real]
    low = min(real, key=lambda b: float(b.loss.upper()))
    for b in real:
        if not (b.minimum and b.loss.lower() > low.loss.upper()):
            continue
        H = hessian_on_box(GradientSystem(problem), b.re, r, bits)
        n = H.nrows()
        Y = np.linalg.inv(np.array([[float(H[i, j].mid()) for j in range(n)] for i in range(n)]))
        Yq = [[Fraction(float(v)).limit_denominator(1 << 40) for v in row] for row in Y]
        cert = envelope(problem, {"kind": "spurious-isolated-min", "centre": vec(b.re), "radius": vec([r] * n)},
                        {"kind": "spurious-isolated-min", "preconditioner": mat(Yq), "congruence": mat(b.congruence),
                         "witness": vec(low.re)}, {"generator": "spurious critical-points (a spurious minimum of "
                                                   "the complete landscape)"})
        try:
            if proofs.check_certificate(cert, timeout=timeout).verified:
                return cert
        except proofs.MalformedCertificate:
            return None
    return None


def _box_json(b) -> dict:
    out = {"re": vec(b.re), "im": vec(b.im)}
    if b.congruence is not None:
        out["congruence"] = mat(b.congruence)
    elif b.direction is not None:
        out["direction"] = vec(b.direction)
    return out


def _kernel_check(cert: dict, timeout) -> str | None:
    import proofs
    from proofs.kernel import KINDS

    if KIND not in KINDS:
        return None
    try:
        result = proofs.check_certificate(cert, timeout=timeout)
    except proofs.CheckTimeout as e:
        raise WallClockTimeout(f"the kernel's check: {e}") from e
    except proofs.MalformedCertificate as e:
        raise InternalError(f"the checker cannot read our own {KIND} certificate: {e}") from e
    if not result.verified:
        raise InternalError(f"the checker rejected our own {KIND} certificate: {result.reason}")
    return result.reason


# ---------------------------------------------------------------------------------------------------------
# the pipeline


def _certificate(problem, claim, variables, route, basis, cofactors, boxes, r, bits, gens, statement) -> dict:
    body = {"kind": KIND, "variables": variables, "ideal": route, "basis": [_terms(g) for g in basis]}
    if route == "cofactors":
        body["cofactors"] = [[_terms(c) for c in row] for row in cofactors]
    if bits != DEFAULT_PRECISION:
        body["precision"] = bits
    body["boxes"] = [{**_box_json(b), "radius": fraction_str(r)} for b in boxes]
    if statement != "count" and gens:
        body["symmetries"] = [[[j, s] for j, s in g] for g in gens[:MAX_SYMMETRIES]]
    meta = {"generator": "spurious critical-points --cert", "route": route,
            "radius": f"2^-{int(math.log2(r.denominator))}", "symmetries": len(gens)}
    return envelope(problem, claim, body, meta)


def size_of(cert: dict) -> int:
    """Bytes of the certificate as written (compact JSON, UTF-8)."""
    return len(json.dumps(cert, separators=(",", ":"), ensure_ascii=False).encode())


def _ideal(problem, ideal: str, variables, D_estimate: int, deadline, res: LandscapeResult):
    """[(route, basis, cofactors or None)] in order of preference, or a filled-in failure (returns None). The bases
    are exact: Singular's standard basis with its cofactors, FLINT's reduced basis for ``recompute``."""
    from verify.exact.algebra import singular

    options = []
    if ideal == "cofactors" or (ideal == "auto" and singular.available() and D_estimate <= COFACTOR_MAX_POINTS):
        if not singular.available():
            _fail(res, Failure.MISSING_TOOL, f"ideal='cofactors' needs Singular: {singular.INSTALL_HINT}")
            return None
        t0 = time.perf_counter()
        try:
            cap = COFACTOR_TIMEOUT if ideal == "auto" else None
            options.append(("cofactors", *_cofactor_ideal(problem, variables, _left(deadline, cap))))
        except WallClockTimeout:
            if ideal != "auto" or (deadline is not None and time.monotonic() >= deadline):
                raise
        finally:
            res.timings["cofactors"] = time.perf_counter() - t0
    if ideal != "cofactors":
        t0 = time.perf_counter()
        options.append(("recompute", _flint_basis(problem, variables), None))
        res.timings["flint_basis"] = time.perf_counter() - t0
    return options


def _build(problem: Problem, statement: str, ideal: str, order: str, deadline: float | None) -> LandscapeResult:
    from verify.exact.algebra import msolve

    t_start = time.perf_counter()
    res = LandscapeResult(statement)
    try:
        if not msolve.available():
            return _fail(res, Failure.MISSING_TOOL, f"msolve is needed for the critical points: {msolve.INSTALL_HINT}")
        if statement not in ("count", AUTO) and not coercive(problem):
            return _fail(res, Failure.NOT_COERCIVE, f"{statement} needs every Λ entry > 0 (coercivity: the global "
                         "minimum is then a real critical point, and every other local minimum must lie above it)")
        n = problem.n_params
        variables = variable_order(problem, order)
        res.variables = variables
        t0 = time.perf_counter()
        estimate = msolve.groebner_basis(problem, timeout=_left(deadline, msolve.DEFAULT_TIMEOUT), variables=variables,
                                         runs=1)  # only its leading monomials are used: finiteness and the route
        res.timings["msolve_basis"] = time.perf_counter() - t0
        lms = [max(g, key=degrevlex_key) for g in estimate]
        if any(sum(m) == 0 for m in lms):
            return _fail(res, Failure.EMPTY, "1 ∈ ⟨∇L⟩: there are no critical points, not even complex ones")
        missing = missing_pure_powers(lms, n)
        if missing:
            names = problem.param_names()
            return _fail(res, Failure.NOT_FINITE, "the critical set is not finite (no pure power of "
                         f"{', '.join(names[variables[k]] for k in missing)} among the leading monomials)")
        options = _ideal(problem, ideal, variables, len(standard_monomials(lms, n)), deadline, res)
        if options is None:
            return res
        counts = {_exact_count(basis, n) for _, basis, _ in options}
        if len(counts) != 1:
            raise InternalError(f"Singular's and FLINT's exact bases count different quotient dimensions {counts}")
        D = res.critical_points = counts.pop()
        for _ in range(PARAMETRISATION_RUNS):  # msolve over Q is probabilistic: a fresh seed each time
            t0 = time.perf_counter()
            par = msolve.parametrisation(problem, timeout=_left(deadline, msolve.DEFAULT_TIMEOUT))
            res.timings["parametrisation"] = res.timings.get("parametrisation", 0.0) + time.perf_counter() - t0
            if par is None:
                raise InternalError("msolve's parametrisation reports an infinite set for a zero-dimensional basis")
            res.failure = None
            got = _boxes(problem, par, D, res, statement)
            if got is not None or res.failure not in (Failure.NOT_ISOLATED, Failure.MULTIPLE_ROOT):
                break
        if got is None:
            return res
        boxes, r, bits, gens = got
        res.real = sum(b.real for b in boxes)
        res.minima = sum(b.minimum for b in boxes)
        res.saddles = res.real - res.minima
        if statement == AUTO:
            holds = coercive(problem) and _global_orbit(boxes) is None
            statement = res.statement = "strict-saddle" if holds else "count"
        if statement != "count":
            bad = _global_orbit(boxes)
            if bad is not None:
                if bad[0] is Failure.SPURIOUS_MINIMUM:
                    res.spurious = spurious_box_certificate(problem, boxes, r, bits, _left(deadline))
                return _fail(res, *bad)
        claim = {"kind": KIND, "statement": statement, "critical_points": D, "real": res.real,
                 "minima": res.minima, "saddles": res.saddles}
        for route, G, C in options:
            cert = _certificate(problem, claim, variables, route, G, C, boxes, r, bits, gens, statement)
            res.size_bytes = size_of(cert)
            if res.size_bytes <= MAX_BYTES:
                break
        else:
            return _fail(res, Failure.TOO_LARGE, f"the certificate has {res.size_bytes} bytes, over the format's "
                         f"{MAX_BYTES} ({' and '.join(o[0] for o in options)} tried)")
        t0 = time.perf_counter()
        res.kernel = _kernel_check(cert, _left(deadline))
        res.timings["kernel_check"] = time.perf_counter() - t0
        res.route, res.certificate = route, cert
        res.reason = (f"{D} complex critical points, {res.real} real ({res.minima} minima, {res.saddles} saddles); "
                      f"G ⊆ ⟨∇L⟩ by {route}")
        return res
    except WallClockTimeout as e:
        return _fail(res, Failure.TIMEOUT, f"timeout: {e}; nothing was decided")
    finally:
        res.seconds = time.perf_counter() - t_start


def complete_landscape_certificate(problem: Problem, statement: str = "count", timeout: float | None = None,
                                   ideal: str = "auto", order: str = "auto") -> LandscapeResult:
    """A ``complete-landscape`` certificate for ``statement`` on a polynomial problem with a finite critical set.

    ``statement``: ``count`` | ``strict-saddle`` | ``no-spurious-local-min`` | ``auto`` (:data:`AUTO`);
    ``ideal``: ``auto`` | ``recompute`` | ``cofactors``; ``order``: ``auto`` | ``canonical`` | ``reversed`` (the
    body's ring variable order).
    ``timeout`` (seconds): the whole construction runs in a child process killed at the limit (a
    :attr:`Failure.TIMEOUT` result). Bad arguments or a non-polynomial problem raise :class:`InputError`.

    >>> from verify.testing.instances import generic_regularised_net
    >>> r = complete_landscape_certificate(generic_regularised_net((1, 1, 1)))   # doctest: +SKIP
    >>> r.critical_points, r.real, r.route                                      # doctest: +SKIP
    (5, 1, 'cofactors')
    """
    from verify.exact.polysystem import check_polynomial

    for name, value, allowed in (("statement", statement, STATEMENTS + (AUTO,)), ("ideal", ideal, IDEALS),
                                 ("order", order, ORDERS)):
        if value not in allowed:
            raise InputError(name, f"{value!r} is not one of {', '.join(allowed)}")
    check_polynomial(problem, "complete-landscape certificates")
    from verify.exact.algebra.groebner import _check_enumerable

    _check_enumerable(problem)
    if not timeout or timeout <= 0:
        return _build(problem, statement, ideal, order, None)
    from verify.infra.child import run_in_child

    deadline = time.monotonic() + timeout
    try:
        return run_in_child(_build, problem, statement, ideal, order, deadline, timeout=timeout + 1.0,
                            what="the complete-landscape certificate")
    except WallClockTimeout:
        return _fail(LandscapeResult(statement, seconds=timeout), Failure.TIMEOUT,
                     f"timeout: wall-clock limit of {timeout:g} s reached; nothing was decided")


__all__ = ["AUTO", "COFACTOR_MAX_POINTS", "Failure", "IDEALS", "KIND", "LandscapeResult", "ORDERS", "STATEMENTS",
           "complete_landscape_certificate", "variable_order"]
