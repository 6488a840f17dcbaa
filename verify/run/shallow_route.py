"""The ``shallow`` route of ``spurious check --claim depth-adds-no-bad-minima`` (Lu & Kawaguchi 2017).

The claim: for an unregularised deep linear net, L(θ) = f(W_H ⋯ W_1) with f(R) = ℓ(R X, Y), every local minimum θ
of L has R = W_H ⋯ W_1 a local minimum of the shallow problem min f(R) s.t. rank R ≤ r = min_i d_i
(:meth:`verify.problems.DeepLinear.shallow`). The theorem route proves it first where a theorem of the checker's
table applies (Laurent & von Brecht 2018: a convex ℓ, no narrow hidden layer; scalar layers: any ℓ). Otherwise this
route runs the batched search (:func:`numeric.search.search`), and maps every distinct deep minimum it found (class
global-min, local-min or spurious-local-min) to its product R, classified numerically in

* the shallow problem itself when there is no bottleneck (r = min(d_x, d_y): every matrix is a product);
* the two-layer factorisation problem of widths (d_x, r, d_y) at the balanced factors (U_r S^½, S^½ V_rᵀ) when
  rank R = r < min(d_x, d_y): near R the product map is a submersion onto the rank-r matrices, which are all the
  feasible matrices near R, so R is a local minimum of the rank-bounded problem iff those factors are one of the
  factorisation problem;
* undecided when rank R < r (the feasible set is not a manifold there).

Every product a shallow minimum: ``evidence`` (trust numeric), with the counts. A product the bands classify as no
minimum is a counterexample CANDIDATE only: ``unknown`` with the candidates (float data, no certificate — never
``refuted``). No deep minimum found, a search stopped at its time limit, or only undecided products: ``unknown``.
"""

from __future__ import annotations

from verify.claims import get_claim
from verify.problems import Problem
from verify.run.result import ClaimResult
from verify.verdict import PointClass, Status, Trust

MINIMA = (PointClass.GLOBAL_MIN, PointClass.LOCAL_MIN, PointClass.SPURIOUS_LOCAL_MIN)
RANK_TOL = 1e-8
"""Singular values below RANK_TOL · σ_max count as zero when the rank of a product R is read."""


def product_classes(problem: Problem, thetas) -> list[tuple[str, str]]:
    """(status, note) per deep point θ (rows of ``thetas``, a float64 tensor): status "minimum" (R = W_H ⋯ W_1 is a
    local minimum of the shallow problem by the numeric bands), "not-minimum" (classified as something else: a
    counterexample candidate) or "undecided" (a class in a band, or rank R < r under a bottleneck)."""
    import torch

    from numeric.classify import classify_points
    from numeric.losses import make_loss
    from verify.problems import DeepLinear

    dx, dy, r = problem.widths[0], problem.widths[-1], problem.rank_bound
    shapes = [(d_out, d_in) for _, d_out, d_in in problem.param_shapes()]
    if r >= min(dx, dy):
        target, where = problem.shallow(), "the shallow problem"
    else:
        target, where = DeepLinear(widths=(dx, r, dy), X=problem.X, Y=problem.Y, loss=problem.loss), \
            f"the rank-{r} factorisation"
    out, rows, at = [None] * len(thetas), [], []
    for k, theta in enumerate(thetas):
        mats, i = [], 0
        for n_rows, n_cols in shapes:
            mats.append(theta[i:i + n_rows * n_cols].reshape(n_rows, n_cols))
            i += n_rows * n_cols
        R = mats[0]
        for W in mats[1:]:
            R = W @ R
        if r >= min(dx, dy):
            rows.append(R.reshape(-1))
        else:
            U, S, Vh = torch.linalg.svd(R)
            rank = int((S > RANK_TOL * max(float(S[0]), 1e-300)).sum())
            if rank < r:
                out[k] = ("undecided", f"rank R = {rank} < r = {r}: the rank-bounded set is not a manifold at R")
                continue
            half = S[:r].sqrt()
            rows.append(torch.cat([(half[:, None] * Vh[:r]).reshape(-1), (U[:, :r] * half).reshape(-1)]))
        at.append(k)
    if rows:
        for k, c in zip(at, classify_points(make_loss(target, device=thetas.device), torch.stack(rows))):
            if c.cls in MINIMA:
                out[k] = ("minimum", f"{c.cls.value} of {where}")
            elif c.cls is PointClass.UNKNOWN:
                out[k] = ("undecided", f"{where}: {c.reason}")
            else:
                out[k] = ("not-minimum", f"{c.cls.value} of {where} ({c.reason})")
    return out


def shallow_check(problem: Problem, claim: str, starts: int = 500, seed: int = 0, timeout: float | None = None,
                  chosen_by: str = "auto") -> ClaimResult:
    """The route of the module docstring; the same :class:`ClaimResult` as every route."""
    get_claim(claim)
    backend = f"shallow (numeric search, chosen by {chosen_by})"
    if problem.kind != "deep-linear" or not problem.unregularised:
        why = (f"the claim is about deep linear nets, not {problem.kind}" if problem.kind != "deep-linear" else
               "the deep problem is ℓ(W_H ⋯ W_1 X, Y) only with Λ = 0 (reg = 0)")
        return ClaimResult(claim, Status.UNKNOWN, Trust.NONE, f"{why}; nothing was decided", backend=backend)
    import torch

    from numeric.search import SearchConfig, search

    res = search(problem, SearchConfig(starts=starts, method="both", seed=seed, time_limit=timeout))
    backend = f"shallow (numeric search, chosen by {chosen_by}; {res.device}, float64)"
    minima = [c for c in res.candidates if c["class"] in MINIMA]
    found = sum(c["count"] for c in minima)
    extra = {"starts": starts, "by_class": res.by_class, "deep_minima": {"distinct": len(minima), "runs": found}}
    if not minima:
        return ClaimResult(claim, Status.UNKNOWN, Trust.NONE, f"{starts} starts found no deep local minimum to map "
                           "(e.g. the infimum is not attained); nothing was decided", backend=backend, extra=extra)
    thetas = torch.tensor([c["params"] for c in minima], dtype=torch.float64)
    verdicts = product_classes(problem, thetas)
    counts = {s: sum(1 for v, _ in verdicts if v == s) for s in ("minimum", "not-minimum", "undecided")}
    extra["products"] = counts
    bad = [(c, note) for c, (v, note) in zip(minima, verdicts) if v == "not-minimum"]
    if bad:
        extra["candidates"] = [{"loss": c["loss"], "params": c["params"], "product": note} for c, note in bad]
        return ClaimResult(claim, Status.UNKNOWN, Trust.NONE,
                           f"{len(bad)} of {len(minima)} distinct deep minima have a product the numeric bands "
                           f"classify as no shallow minimum (first: loss {bad[0][0]['loss']:.6g}, {bad[0][1]}): "
                           "counterexample candidates, not certified", backend=backend, extra=extra)
    if counts["undecided"] or res.stopped_at_limit:
        why = (f"{counts['undecided']} undecided (first: {next(n for v, n in verdicts if v == 'undecided')})"
               if counts["undecided"] else "the search stopped at its time limit")
        return ClaimResult(claim, Status.UNKNOWN, Trust.NONE, f"{counts['minimum']} of {len(minima)} distinct deep "
                           f"minima map to shallow minima; {why}", backend=backend, extra=extra)
    return ClaimResult(claim, Status.EVIDENCE, Trust.NUMERIC,
                       f"{starts} starts: {len(minima)} distinct deep minima ({found} runs), each product "
                       f"W_H ⋯ W_1 a local minimum of the shallow problem (rank ≤ {problem.rank_bound}) by the "
                       "numeric bands — numeric evidence, not a proof", backend=backend, extra=extra)


__all__ = ["product_classes", "shallow_check"]
