"""The exact route for whole-instance claims (``spurious check --backend exact``): z3 over the reals, then the
exact classifier.

Claims (CONTRACT.md):

* ``strict-saddle`` — every critical point that is not a global minimum has a negative Hessian
  eigenvalue. Counterexamples satisfy  φ(θ) := ∇L(θ) = 0 ∧ ∇²L(θ) ⪰ 0 ∧ θ is not a global minimum.
* ``no-spurious-local-min`` — every local minimum is global. Every spurious local minimum satisfies φ
  (second-order necessary conditions), so φ unsat proves it.

"Not a global minimum" is encoded as L(θ) > L* where L* is known exactly and rational (unregularised
deep linear nets: reduced-rank regression, :mod:`verify.exact.global_min`), and otherwise as
∃θ′: L(θ′) < L(θ) (a second copy of the parameters). H ⪰ 0 is encoded by principal minors ≥ 0: first
the 1×1 and 2×2 minors only (a relaxation: its unsat is still a proof), then all of them.

Outcomes, never stronger than the evidence:

* every slice unsat → ``proved`` with ``trust: "solver"`` (z3, re-run by cvc5 where it answers);
* sat → the model is made exact (rational) and classified by :func:`verify.exact.classify.classify`: a
  non-strict saddle refutes ``strict-saddle`` (kernel-checked certificate); for
  ``no-spurious-local-min`` it is excluded and the query re-run — with the whole family through it (a
  coordinate family, possibly swept by rescaling orbits; Σ_j g_j² > 0 for its equations g_j = 0) when
  :func:`verify.exact.smt.families.find_family` finds ∇L ≡ 0 and "no local minimum or maximum" on all of it
  and :func:`verify.exact.smt.family_check.recheck_family` re-checks that record with sympy and derives the
  g_j, else the point alone (‖θ − θ*‖² > 0, its certificate kernel-checked); a local minimum with a rational
  witness of lower loss refutes both claims. A continuum of non-strict saddles (the (a, 0, 0, 0) of
  ½(w₄w₃w₂w₁ − 1)²) is thus one exclusion, not an endless list of points;
* timeouts, irrational models, undecided classes → ``unknown`` with the reason.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields
from fractions import Fraction

import flint

from verify.certify import emit_checked
from verify.claims import Claim, as_claim
from verify.errors import InputError, InternalError
from verify.exact.classify import classify
from verify.exact.global_min import rational_global_min
from verify.exact.loss import fq, loss_value, to_fraction
from verify.exact.polysystem import (
    Slice,
    apply_slice_to_point,
    check_polynomial,
    gradient_hessian,
    identity_slice,
    loss_poly,
    principal_minors,
    restrict,
    symmetry_slices,
)
from verify.exact.smt.families import find_family
from verify.exact.smt.family_check import recheck_family
from verify.exact.smt.z3_backend import build_query, run_solver
from verify.problems import Problem
from verify.problems.numbers import fraction_str, short
from verify.run.result import ClaimResult
from verify.verdict import PointClass, SolverAnswer, Status, Trust

MAX_EXACT_CLAIM_PARAMS = 16

_q = to_fraction


@dataclass
class _Draft:
    """The answer while the route builds it (solver runs, queries and exclusions accumulate); :meth:`done` is the
    immutable :class:`ClaimResult`."""

    claim: str
    status: Status = Status.UNKNOWN
    trust: Trust = Trust.NONE
    reason: str = ""
    witness: dict | None = None
    certificate: dict | None = None
    solvers: list = field(default_factory=list)
    excluded: list = field(default_factory=list)
    queries: list = field(default_factory=list)

    def done(self) -> ClaimResult:
        return ClaimResult(**{f.name: getattr(self, f.name) for f in fields(self)})


class _Budget:
    def __init__(self, seconds: float):
        self.end = time.perf_counter() + seconds

    def left(self) -> float:
        return max(0.0, self.end - time.perf_counter())


def _system(problem: Problem, use_lstar: bool):
    """(context names, ∇L, H, 'non-global' polynomial, slices) in a common context."""
    names = problem.param_names()
    n = len(names)
    if use_lstar:
        L, ctx = loss_poly(problem)
        lstar = rational_global_min(problem)
        grad, H = gradient_hessian(L, n)
        gap = L - fq(lstar)
        return names, grad, H, gap, symmetry_slices(problem, ctx), f"L(θ) > L* = {short(lstar)}", ctx
    all_names = names + [f"{x}_lower" for x in names]
    ctx = flint.fmpq_mpoly_ctx.get(all_names)
    gens = ctx.gens()
    from verify.exact.loss import loss_in_ring

    La = loss_in_ring(problem, list(gens[:n]))
    Lb = loss_in_ring(problem, list(gens[n:]))
    grad, H = gradient_hessian(La, n)
    return all_names, grad, H, La - Lb, [Slice("all", list(gens), ctx, all_names)], "∃θ′: L(θ′) < L(θ)", ctx


def check_claim(problem: Problem, claim: Claim | str, timeout: float = 60.0, max_rounds: int = 6,
                second_solver: bool = True, encodings=("2x2-minors", "all-minors"),
                use_symmetry: bool = True) -> ClaimResult:
    """Decide ``claim`` on ``problem`` with z3 (exact backend). See the module docstring.

    The search gives up (``unknown``) after ``max_rounds`` single points or :data:`MAX_FAMILIES` families were
    excluded, or when the ``timeout`` budget is spent."""
    claim = as_claim(claim)
    if "exact" not in claim.routes:
        raise InputError("--claim", f"{claim.name!r} is not decided by the exact route")
    check_polynomial(problem)
    if problem.n_params > MAX_EXACT_CLAIM_PARAMS:
        raise InputError("problem", f"{problem.n_params} parameters exceed the exact claim limit "
                         f"{MAX_EXACT_CLAIM_PARAMS}; use --backend numeric")
    from verify.infra.limits import WallClockTimeout, wall_clock_limit

    try:
        with wall_clock_limit(timeout + 5.0):  # our own polynomial work (minors) is bounded too
            return _check_claim(problem, claim, timeout, max_rounds, second_solver, encodings, use_symmetry)
    except WallClockTimeout as e:
        return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE, f"timeout: {e}; nothing is proved")


MAX_FAMILIES = 32
"""At most this many certified families are excluded before the route gives up (each costs one more query)."""

MAX_ALL_MINORS_PARAMS = 10
"""Above this many parameters the 2^n − 1 principal minors are not built (n = 12 did not finish in 30 min)."""


def _check_claim(problem, claim, timeout, max_rounds, second_solver, encodings, use_symmetry) -> ClaimResult:
    budget = _Budget(timeout)
    use_lstar = problem.closed_form_min and rational_global_min(problem) is not None
    names, grad, H, gap, slices, gap_text, full_ctx = _system(problem, use_lstar)
    n = problem.n_params
    minors_all = None
    away: list = []   # one polynomial per exclusion (a point or a family), asserted > 0
    points = families = 0
    result = _Draft(claim.name)
    if not use_symmetry:
        slices = [identity_slice(problem, full_ctx)] if use_lstar else slices
    for encoding in encodings:
        if encoding == "2x2-minors":
            minors = principal_minors(H, max_order=2)
        elif n > MAX_ALL_MINORS_PARAMS:
            result.reason = (f"the 2×2-minor relaxation was not decisive and the full principal-minor encoding is "
                             f"not built above {MAX_ALL_MINORS_PARAMS} parameters; undecided")
            return result.done()
        else:
            minors_all = minors_all or principal_minors(H)
            minors = minors_all
        while points < max_rounds and families < MAX_FAMILIES:
            sat_model, answers, texts = None, [], []
            for sl in slices:
                eqs = _on_slice(grad, sl, "=")
                nonneg = _on_slice(minors, sl, ">=")
                pos = _on_slice([gap, *away], sl, ">")
                fixed = [(name, 0 if s.is_zero() else s.leading_coefficient()) for name, s in zip(names, sl.subs)
                         if s.is_constant()]
                text = build_query(names, grad + eqs, nonneg, pos, fixed=fixed,
                                   comment=f"{claim.name} on {problem.kind}; slice: {sl.name}; PSD: {encoding}; "
                                           f"non-global: {gap_text}")
                texts.append(text)
                if budget.left() <= 0:
                    answers.append(SolverAnswer.TIMEOUT)
                    break
                run = run_solver(text, "z3", timeout=budget.left())
                result.solvers.append({"name": run.solver, "version": run.version, "answer": run.answer.value,
                                       "seconds": round(run.seconds, 3), "slice": sl.name, "psd": encoding})
                answers.append(run.answer)
                if run.answer is SolverAnswer.SAT:
                    sat_model = (sl, run.model)
                    break
            result.queries = texts
            if sat_model is None:
                if all(a is SolverAnswer.UNSAT for a in answers) and len(answers) == len(slices):
                    return _proved(result, problem, texts, budget, gap_text, encoding, second_solver)
                said = ", ".join(sorted({a.value for a in answers}))
                result.reason = f"z3 did not decide ({said}) within the limit; nothing is proved"
                return result.done()
            sl, model = sat_model
            point = _exact_point(sl, model, n)
            c = classify(problem, point)
            if c.cls is PointClass.NOT_CRITICAL:
                result.reason = "z3 found a model with irrational (algebraic) coordinates and no nearby rational " \
                                "point is exactly critical; the claim is undecided"
                result.witness = {"point": None, "class": PointClass.UNKNOWN.value, "model": model}
                return result.done()
            wit = {"point": [fraction_str(x) for x in point], "class": c.cls.value, "loss": fraction_str(c.loss)
                   if c.loss is not None else None}
            if c.cls is PointClass.STRICT_SADDLE and encoding == "2x2-minors":
                break  # the relaxation admitted a non-PSD point: use the exact PSD encoding
            if c.cls is PointClass.NON_STRICT_SADDLE:
                cert, note = emit_checked(problem, point, c)
                if PointClass.NON_STRICT_SADDLE in claim.refuted_by:
                    result.status, result.trust, result.witness, result.certificate = \
                        Status.REFUTED, Trust.KERNEL, wit, cert
                    result.reason = (f"the critical point {_short(point)} is not a global minimum (it is not even a "
                                     f"local one) yet has no negative Hessian eigenvalue; {note}")
                    return result.done()
                fam = _certified_family(problem, point, sl, names[:n], budget, full_ctx)
                if fam is not None:
                    record, outside = fam
                    away.append(outside)
                    result.excluded.append(record | {"found_at": wit})
                    families += 1
                    continue
                away.append(sum(((x - fq(v)) ** 2 for x, v in zip(full_ctx.gens()[:n], point)), full_ctx.from_dict({})))
                result.excluded.append({**wit, "certificate_check": note, "certificate": cert})
                points += 1
                continue
            if c.cls is PointClass.LOCAL_MIN and not use_lstar:
                lower = _exact_point_lower(model, names, n)
                if loss_value(problem, lower) < c.loss:
                    return _refuted_spurious(result, problem, point, lower, c, wit)
            result.witness = wit
            result.reason = f"z3 found a second-order critical point that the exact classifier calls " \
                            f"{c.cls.value!r} ({c.reason}); undecided"
            return result.done()
        else:
            result.reason = (f"gave up after {points + families} rounds of excluding certified saddles ({families} "
                             f"famil{'y' if families == 1 else 'ies'} and {points} single point(s) excluded; the "
                             f"limits are {MAX_FAMILIES} families and {max_rounds} points); nothing is proved")
            return result.done()
    return result.done()


FAMILY_SECONDS = 10.0
"""At most this long (and never past the route's budget) is spent looking for a family through one saddle."""


def _certified_family(problem, point, sl, names, budget, ctx):
    """(record, Σ g_j²) for a family through the certified saddle ``point`` that the search found AND the sympy
    re-check accepted — the g_j are the equations the re-check derived from the record, as polynomials of ``ctx``
    (the parameters first) — or None (then the point alone is excluded). Coordinates the slice fixes are tried
    pinned."""
    pinned = [i for i, sub in enumerate(sl.subs[:len(point)]) if sub.is_constant()]
    fam = find_family(problem, point, pinned, seconds=min(FAMILY_SECONDS, budget.left()))
    if fam is None:
        return None
    record = fam.to_json(names)
    check = recheck_family(problem, record)
    if not check.ok:   # the search proposed what its re-check rejects: a bug, never an exclusion
        raise InternalError(f"a family found by the search does not re-check: {check.note} "
                            "(verify/exact/smt/families.py)")
    pad = (0,) * (ctx.nvars() - len(names))
    outside = ctx.from_dict({})
    for eq in check.exponent_dicts():
        g = ctx.from_dict({e + pad: fq(c) for e, c in eq.items()})
        outside = outside + g * g
    record["family"]["equations"] = check.text
    return record | {"certificate_check": check.note}, outside


def _on_slice(polys, sl, relation: str) -> list:
    """The polynomials restricted to the slice, for assertions ``p <relation> 0``. A restriction that is a constant
    is dropped when the relation holds for it, and kept unrestricted (over the full parameters, equivalent with
    the slice's fixed coordinates) when it fails: every assertion mentions a parameter, as the checker requires."""
    holds = {"=": lambda c: c == 0, ">=": lambda c: c >= 0, ">": lambda c: c > 0}[relation]
    out = []
    for p in polys:
        r = restrict(p, sl)
        if not r.is_constant():
            out.append(r)
        elif not holds(0 if r.is_zero() else r.leading_coefficient()):
            out.append(p)
    return out


def _short(point) -> str:
    s = ", ".join(fraction_str(x) for x in point[:6])
    return f"({s}{', …' if len(point) > 6 else ''})"


def _model_value(v) -> flint.fmpq:
    """A model value: exact "p/q", or an algebraic number's decimal rounded to a nearby small rational
    (the caller only keeps the point if the exact classifier finds ∇L = 0 there)."""
    if isinstance(v, dict):
        x = Fraction(v["approx"]).limit_denominator(10**6)
        return flint.fmpq(x.numerator, x.denominator)
    p, q = v.split("/")
    return flint.fmpq(int(p), int(q))


def _exact_point(sl, model: dict, n: int):
    values = {name: _model_value(model.get(name, "0/1")) for name in sl.free}
    return [_q(x) for x in apply_slice_to_point(sl, values)[:n]]


def _exact_point_lower(model: dict, names: list, n: int):
    """θ′ from the model (rounded when algebraic: only its loss matters, and that is re-checked exactly)."""
    return [_q(_model_value(model.get(name, "0/1"))) for name in names[n:]]


def _refuted_spurious(result, problem, point, lower, c, wit):
    from verify.certify import spurious_certificate

    cert, note = spurious_certificate(problem, point, c, lower)
    if cert is not None:
        result.status, result.trust, result.certificate = Status.REFUTED, Trust.KERNEL, cert
        result.witness = {**wit, "class": PointClass.SPURIOUS_LOCAL_MIN.value,
                          "lower": [fraction_str(x) for x in lower]}
        what = ("local minimum up to a symmetry (Morse–Bott)" if "morse_bott" in c.details else
                "local minimum whose product W_H ⋯ W_1 is a strict minimum of the shallow loss" if "product_min" in
                c.details else "strict local minimum")
        result.reason = f"a {what} with loss {short(c.loss)} and a point of lower loss " \
                        f"{short(loss_value(problem, lower))}; {note}"
        return result.done()
    result.witness = wit
    result.reason = (f"a local minimum with a lower point was found but its certificate did not check ({note}); "
                     "undecided")
    return result.done()


def _proved(result, problem, texts, budget, gap_text, encoding, second_solver):
    from verify.certify.attestation import attestation_checked

    z3_runs = [s for s in result.solvers if s["answer"] == SolverAnswer.UNSAT.value][-len(texts):]
    confirm = []
    if second_solver:
        for text in texts:
            run = run_solver(text, "cvc5", timeout=max(1.0, min(budget.left(), 30.0)))
            confirm.append(run)
            result.solvers.append({"name": run.solver, "version": run.version, "answer": run.answer.value,
                                   "seconds": round(run.seconds, 3), "role": "re-confirmation"})
        if any(r.answer is SolverAnswer.SAT for r in confirm):
            result.reason = "z3 answered unsat but cvc5 answered sat on the same query: solvers disagree; undecided"
            return result.done()
    confirmed = bool(confirm) and all(r.answer is SolverAnswer.UNSAT for r in confirm)
    result.status, result.trust = Status.PROVED, Trust.SOLVER
    parts = [f"z3 {z3_runs[0]['version']}: unsat on ∃θ: ∇L = 0 ∧ ∇²L ⪰ 0 ({encoding}) ∧ {gap_text}"
             f" over {len(texts)} symmetry slice(s)"]
    parts.append("re-confirmed by cvc5 (unsat)" if confirmed else
                 f"cvc5: {', '.join(sorted({r.answer.value for r in confirm})) or 'not run'}")
    parts += _exclusions_text(result.excluded)
    solvers = [{"name": "z3", "version": z3_runs[0]["version"], "answer": SolverAnswer.UNSAT.value}]
    if confirmed:
        solvers.append({"name": "cvc5", "version": confirm[0].version, "answer": SolverAnswer.UNSAT.value})
    result.certificate, note = attestation_checked(problem, result.claim, texts, solvers, result.excluded)
    parts.append(note)
    result.reason = "; ".join(parts)
    return result.done()


def _exclusions_text(excluded: list) -> list[str]:
    """What the query excluded, for the reason: each family by its equations, then the count of points."""
    families = [e for e in excluded if "family" in e]
    points = len(excluded) - len(families)
    out = []
    if families:
        listed = "; ".join(f"{{{', '.join(e['family']['equations'])}}} ({', '.join(e['family']['free'])} free)"
                           for e in families)
        out.append(f"excluded {len(families)} famil{'y' if len(families) == 1 else 'ies'} of critical points, each "
                   "certified during the search — ∇L ≡ 0 on it and, at every point of it, a curve along which L falls "
                   f"and one along which it rises (no local minimum or maximum), re-checked with sympy: {listed}")
    if points:
        out.append(f"{points} point(s) excluded from the query, each a non-strict saddle whose certificate the checker "
                   "accepted during the search")
    if excluded:
        out.append("every exclusion is kept in the attestation's meta.excluded; re-check them separately: the "
                   "attestation itself is not verified")
    return out
