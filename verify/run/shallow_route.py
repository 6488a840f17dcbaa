"""The ``shallow`` route of ``spurious check --claim depth-adds-no-bad-minima`` (Lu & Kawaguchi 2017).

The claim: for an unregularised deep linear net, L(θ) = f(W_H ⋯ W_1) with f(R) = ℓ(R X, Y), every local minimum θ
of L has R = W_H ⋯ W_1 a local minimum of the shallow problem min f(R) s.t. rank R ≤ r = min_i d_i
(:meth:`verify.problems.DeepLinear.shallow`). The theorem route proves it first where a theorem of the checker's
table applies (Laurent & von Brecht 2018: a convex ℓ, no narrow hidden layer; scalar layers: any ℓ). Otherwise this
route runs the batched search (:func:`numeric.search.search`), and maps every distinct deep minimum it found (class
global-min, local-min or spurious-local-min) to its product R, tested on the shallow problem by
:func:`numeric.shallow.shallow_check`: R itself when there is no bottleneck; the balanced factorisation
(U_r S^½, S^½ V_rᵀ) of the two-layer problem of widths (d_x, r, d_y) when rank R = r < min(d_x, d_y) (the product
map is a submersion onto the rank-r matrices there); undecided when rank R < r.

Every product a shallow minimum: ``evidence`` (trust numeric), with the counts. A product the bands classify as no
minimum is a counterexample CANDIDATE only: ``unknown`` with the candidates (float data, no certificate — never
``refuted``). No deep minimum found, a search stopped at its time limit, or only undecided products: ``unknown``.
"""

from __future__ import annotations

from verify.claims import Claim, as_claim
from verify.problems import Problem
from verify.run.result import ClaimResult
from verify.verdict import PointClass, Status, Trust

MINIMA = (PointClass.GLOBAL_MIN, PointClass.LOCAL_MIN, PointClass.SPURIOUS_LOCAL_MIN)


def shallow_check(problem: Problem, claim: Claim | str, starts: int = 500, seed: int = 0, timeout: float | None = None,
                  chosen_by: str = "auto") -> ClaimResult:
    """The route of the module docstring; the same :class:`ClaimResult` as every route."""
    claim = as_claim(claim)
    backend = f"shallow (numeric search, chosen by {chosen_by})"
    if problem.shallow() is None or not problem.unregularised:
        why = (f"the claim is about deep linear nets (L = ℓ(W_H ⋯ W_1 X, Y)), not {problem.describe()}"
               if problem.shallow() is None else "the deep problem is ℓ(W_H ⋯ W_1 X, Y) only with Λ = 0 (reg = 0)")
        return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE, f"{why}; nothing was decided", backend=backend)
    from numeric.search import SearchConfig, search
    from numeric.shallow import ShallowStatus
    from numeric.shallow import shallow_check as shallow_check_one

    res = search(problem, SearchConfig(starts=starts, method="both", seed=seed, time_limit=timeout))
    backend = f"shallow (numeric search, chosen by {chosen_by}; {res.device}, float64)"
    minima = [c for c in res.candidates if c["class"] in MINIMA]
    found = sum(c["count"] for c in minima)
    extra = {"starts": starts, "by_class": res.by_class, "deep_minima": {"distinct": len(minima), "runs": found},
             "not_attained": res.not_attained}
    if not minima:
        falling = res.not_attained["runs"]
        return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE, f"{starts} starts found no deep local minimum to map"
                           + (f" ({falling} runs still falling along a path of growing norm: the infimum is "
                              "approached at infinity)" if falling else "") + "; nothing was decided",
                           backend=backend, extra=extra)
    checks = [shallow_check_one(problem, c["params"]) for c in minima]
    counts = {s.value: sum(1 for c in checks if c.status is s) for s in ShallowStatus}
    extra["products"] = counts
    bad = [(c, chk) for c, chk in zip(minima, checks) if chk.status is ShallowStatus.NOT_LOCAL_MIN]
    if bad:
        extra["candidates"] = [{"loss": c["loss"], "params": c["params"], "product": chk.to_json()} for c, chk in bad]
        return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE,
                           f"{len(bad)} of {len(minima)} distinct deep minima have a product the numeric bands "
                           f"classify as no shallow minimum (first: loss {bad[0][0]['loss']:.6g}, {bad[0][1].reason}): "
                           "counterexample candidates, not certified", backend=backend, extra=extra)
    undecided = [chk for chk in checks if chk.status is ShallowStatus.UNDECIDED]
    if undecided or res.stopped_at_limit:
        why = (f"{len(undecided)} undecided (first: {undecided[0].reason})" if undecided
               else "the search stopped at its time limit")
        return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE, f"{counts['local-min']} of {len(minima)} "
                           f"distinct deep minima map to shallow minima; {why}", backend=backend, extra=extra)
    return ClaimResult(claim.name, Status.EVIDENCE, Trust.NUMERIC,
                       f"{starts} starts: {len(minima)} distinct deep minima ({found} runs), each product "
                       f"W_H ⋯ W_1 a local minimum of the shallow problem (rank ≤ {problem.rank_bound}) by the "
                       "numeric bands — numeric evidence, not a proof", backend=backend, extra=extra)


__all__ = ["shallow_check"]
