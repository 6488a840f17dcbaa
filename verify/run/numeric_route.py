"""The numeric route for whole-instance claims (``spurious check --backend numeric``).

A batched multi-start search (:func:`numeric.search.search`) finds candidate critical points in float64. The
claim's refuting classes (:data:`verify.claims.CLAIMS`) select the suspects; each is exported
(:func:`numeric.bridge.rationalise`, a typed :class:`numeric.export.Export`), skipped when its rational point is
exactly not critical, and otherwise classified exactly; a suspect the exact layer certifies refutes the
claim (``trust: "kernel"``). With no suspect the answer is ``evidence`` (``trust: "numeric"``), never ``proved``;
suspects that cannot be certified (too large for the exact layer, not exactly critical once rounded, a local
minimum whose lower witness does not check) make the answer ``unknown`` with the count and the reason.

The lower-loss witness of a spurious local minimum need not be critical: it is the lowest point the search
found, rounded to nearby rationals (:func:`lower_witness`), and the certificate check decides whether its exact
loss is lower. ``timeout`` bounds the search (:attr:`numeric.search.SearchConfig.time_limit`): a search stopped
at the limit with no suspect is ``unknown`` (not every start ran, so not even evidence), never ``evidence``.
"""

from __future__ import annotations

from fractions import Fraction

from verify.claims import Claim, as_claim
from verify.problems import Problem
from verify.problems.numbers import fraction_str
from verify.run.result import ClaimResult
from verify.verdict import PointClass, Status, Trust

NEWTON_SEARCH_MAX_PARAMS = 512
"""Above this many parameters the search uses Adam only (no Newton polish)."""


def _certify(problem: Problem, bad: frozenset, suspect: dict, lowest: dict | None):
    """(point, class, certificate, note) for one numeric suspect, or the reason (a string) it was not certified.

    The suspect is exported (:func:`numeric.bridge.rationalise`); an export that is exactly NOT critical
    (``Criticality.NO``: e.g. an isolated irrational critical point, rounded) is skipped with that reason."""
    from numeric.bridge import rationalise
    from numeric.export import Criticality
    from verify.certify import classify_point as classify
    from verify.certify import emit_checked, spurious_certificate
    from verify.errors import TooLargeError

    export = rationalise(problem, suspect["params"])
    if export.exactly_critical is Criticality.NO:
        return f"the exported point is not exactly critical ({export.route.value}: {export.reason})"
    point = list(export.point)
    try:
        cls = classify(problem, point)
    except TooLargeError as e:
        return f"exported ({export.route.value}, exactly critical: {export.exactly_critical.value}), but {e}"
    if cls.cls in bad:
        cert, note = emit_checked(problem, point, cls)
        return (point, cls.cls, cert, note) if cert is not None else note
    if cls.cls is PointClass.LOCAL_MIN and PointClass.SPURIOUS_LOCAL_MIN in bad and lowest is not None:
        cert, note = spurious_certificate(problem, point, cls, lower_witness(lowest["params"]))
        return (point, PointClass.SPURIOUS_LOCAL_MIN, cert, note) if cert is not None else note
    return f"the rationalised point is {cls.cls.value} exactly ({cls.reason})"


def lower_witness(params, max_den: int = 10 ** 12) -> list[Fraction]:
    """θ rounded coordinate-wise to the nearest rational of denominator ≤ ``max_den``: a point whose exact loss
    the certificate check compares with L(θ_min); it need not be critical (nor near a rational critical point).

    >>> lower_witness([2.1038034027355366, -0.5])[1]
    Fraction(-1, 2)
    """
    return [Fraction(float(v)).limit_denominator(max_den) for v in params]


def numeric_check(problem: Problem, claim: Claim | str, starts: int = 500, seed: int = 0, chosen_by: str = "numeric",
                  method: str | None = None, timeout: float | None = None) -> ClaimResult:
    """Decide ``claim`` numerically (module docstring); the same :class:`ClaimResult` as the exact route.

    ``timeout``: seconds for the search (None: no limit); reached, the search keeps the points it has."""
    from numeric.search import SearchConfig, search
    from verify.exact.derivatives import MAX_EXACT_PARAMS

    claim = as_claim(claim)
    bad = claim.refuted_by
    method = method or ("both" if problem.n_params <= NEWTON_SEARCH_MAX_PARAMS else "adam")
    res = search(problem, SearchConfig(starts=starts, method=method, seed=seed, time_limit=timeout))
    backend = f"numeric (chosen by {chosen_by}; {res.device}, float64)"
    extra = {"starts": starts, "by_class": res.by_class, "not_attained": res.not_attained}
    falling = (f"; {res.not_attained['runs']} runs ended where L still falls along a path of growing norm (the "
               "infimum approached at infinity there: no minimum, counted apart)" if res.not_attained["runs"] else "")
    stopped = res.stopped_at_limit
    limit = (f"; the search stopped at the time limit of {timeout:g} s before every start had run"
             if stopped else "")
    if stopped:
        extra["stopped_at_time_limit"] = True
    suspects = [c for c in res.candidates if PointClass(c["class"]) in bad]
    if not suspects and stopped:
        return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE,
                           f"no candidate of class {' or '.join(sorted(b.value for b in bad))} among the points "
                           f"reached{limit}", backend=backend, extra=extra)
    if not suspects:
        return ClaimResult(claim.name, Status.EVIDENCE, Trust.NUMERIC,
                           f"{starts} starts ({method}): no candidate of class "
                           f"{' or '.join(sorted(b.value for b in bad))}{falling} — numeric evidence, not a proof",
                           backend=backend, extra=extra)
    if problem.n_params > MAX_EXACT_PARAMS:
        from numeric.bridge import rationalise

        first = rationalise(problem, suspects[0]["params"])
        return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE,
                           f"{len(suspects)} numeric counterexample candidate(s), but {problem.n_params} parameters "
                           f"exceed the exact layer's limit {MAX_EXACT_PARAMS}: none certified (the first exports "
                           f"by {first.route.value}, exactly critical: {first.exactly_critical.value} — "
                           f"{first.reason}){limit}", backend=backend, extra=extra)
    lowest = min(res.candidates, key=lambda c: c["loss"])
    notes = []
    for suspect in suspects:
        got = _certify(problem, bad, suspect, lowest)
        if isinstance(got, str):
            notes.append(got)
            continue
        point, cls, cert, note = got
        return ClaimResult(claim.name, Status.REFUTED, Trust.KERNEL, f"numeric candidate certified exactly: {note}",
                           backend=backend, certificate=cert, extra=extra,
                           witness={"point": [fraction_str(x) for x in point], "class": cls.value})
    return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE,
                       f"{len(suspects)} numeric counterexample candidate(s), none certified exactly "
                       f"(first: {notes[0]}){limit}", backend=backend, extra=extra)
