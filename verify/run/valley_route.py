"""``no-spurious-valley`` (Venturi, Bandeira & Bruna 2018) beyond the theorem route: refuted by a certified spurious
STRICT local minimum, otherwise ``unknown`` with what was found.

A spurious valley is a connected component of a sublevel set {θ : L(θ) ≤ λ} that holds no global minimum.

Lemma. A strict local minimum p that is not global lies in a spurious valley. Proof: strict means L(θ) > L(p) for
0 < ‖θ − p‖ ≤ δ, for some δ > 0. The sphere S = {‖θ − p‖ = δ} is compact, so ε = min_S L − L(p) > 0. Let V be the
component of {L ≤ L(p) + ε/2} through p. V does not meet S (L > L(p) + ε/2 there), and V is connected and holds p,
so V lies inside the open ball (else it would be split by S into two non-empty relatively open parts). Every θ in the
ball has L(θ) ≥ L(p) > inf L (p is spurious: the certificate's witness has lower loss), so V holds no global
minimum. ∎  The certificate is a `spurious-local-min` (H ≻ 0 by congruence at a rational point) or a
`spurious-isolated-min` (one critical point in a box, H ≻ 0 on the whole box) one the kernel verified: strict.

Not used: a non-strict (Morse–Bott) spurious minimum. Its critical manifold may be non-compact (a rescaling orbit),
and the small-ball argument fails; a slice argument for a proper free symmetry action would be needed.
A proof that every local minimum is global does NOT exclude spurious valleys (a valley may hold no critical point
of L when its closure is unbounded), so that answer is reported as ``unknown``.
"""

from __future__ import annotations

from verify.run.result import ClaimResult
from verify.verdict import Status, Trust

CLAIM = "no-spurious-valley"
VIA = "no-spurious-local-min"


def from_minima(result: ClaimResult) -> ClaimResult:
    """The ``no-spurious-valley`` answer read from a ``no-spurious-local-min`` answer of the same instance."""
    cert = result.certificate or {}
    strict = cert.get("claim", {}).get("kind") in ("spurious-local-min", "spurious-isolated-min")
    if result.status is Status.REFUTED and result.trust is Trust.KERNEL and strict:
        return ClaimResult(CLAIM, Status.REFUTED, Trust.KERNEL,
                           f"a certified spurious strict local minimum lies in a spurious valley (the component of "
                           f"{{L ≤ L(p) + ε}} through p stays in a small ball, where L ≥ L(p) > min L): "
                           f"{result.reason}",
                           backend=result.backend, witness=result.witness, certificate=result.certificate,
                           solvers=result.solvers)
    if result.status is Status.REFUTED:
        why = (f"a spurious local minimum was found but not as a kernel-certified strict one ({result.trust.value}; "
               "a non-strict minimum does not by itself give a valley here)")
    elif result.status is Status.PROVED:
        why = "every local minimum is global here, which does not exclude spurious valleys"
    else:
        why = f"no spurious local minimum was certified ({result.reason})"
    return ClaimResult(CLAIM, Status.UNKNOWN, Trust.NONE, f"{why}; nothing was decided about valleys",
                       backend=result.backend)


MAX_MINIMA = 8
LEVEL_TOL = 1e-6   # relative: minima this close to the lowest loss count as its level


def dss_evidence(problem, *, starts: int = 200, seed: int = 0, timeout: float | None = 60.0) -> ClaimResult | None:
    """Numeric evidence: a multi-start search for minima (one per loss level, the 8 lowest levels), then Dynamic
    String Sampling (:mod:`numeric.paths`) from each minimum above the lowest level to the lowest one, at DSS's
    default level (above both ends): a valley holding such a minimum then holds a lower point. Minima at the lowest
    level need no string. All joined → ``evidence`` with the counts; otherwise ``unknown`` naming the pair; None
    when the search found no minimum."""
    import time

    from numeric.paths import connect_pairs
    from numeric.search import SearchConfig, search
    from verify.verdict import PointClass

    t0 = time.monotonic()
    res = search(problem, SearchConfig(starts=starts, seed=seed, time_limit=timeout))
    found = sorted((c for c in res.candidates if PointClass(c["class"]) in
                    (PointClass.GLOBAL_MIN, PointClass.LOCAL_MIN, PointClass.SPURIOUS_LOCAL_MIN) and "params" in c),
                   key=lambda c: c["loss"])
    mins = []   # one per loss level, lowest first
    for c in found:
        if len(mins) < MAX_MINIMA and all(abs(c["loss"] - m["loss"]) > LEVEL_TOL * (1 + abs(m["loss"])) for m in mins):
            mins.append(c)
    if not mins:
        return None
    low = mins[0]["loss"]
    above = [c for c in mins if c["loss"] > low + LEVEL_TOL * (1 + abs(low))]
    backend = f"numeric ({res.device}, float64; search + Dynamic String Sampling)"
    extra = {"starts": starts, "minima": len(mins), "above_lowest": len(above)}
    if not above:
        return ClaimResult(CLAIM, Status.EVIDENCE, Trust.NUMERIC,
                           f"{starts} starts: all {len(found)} minima found lie at the lowest level (no string "
                           "needed) — numeric evidence, not a proof", backend=backend, extra=extra)
    left = None if timeout is None else max(1.0, timeout - (time.monotonic() - t0))
    strings = connect_pairs(problem, [(c["params"], mins[0]["params"]) for c in above], seed=seed, time_limit=left)
    extra["strings"] = [s.to_json(with_beads=False) for s in strings]
    beads = sum(s.counts.beads for s in strings)
    failed = [i for i, s in enumerate(strings) if not s.connected]
    if failed:
        s = strings[failed[0]]
        return ClaimResult(CLAIM, Status.UNKNOWN, Trust.NONE,
                           f"Dynamic String Sampling did not join a minimum at L ≈ {s.loss_a:.6g} to the lowest "
                           f"(L ≈ {s.loss_b:.6g}) below L0 = {s.level:.6g} within its budget ({s.reason}); not a "
                           "proof of a valley either", backend=backend, extra=extra)
    return ClaimResult(CLAIM, Status.EVIDENCE, Trust.NUMERIC,
                       f"{starts} starts found {len(found)} minima on {len(mins)} loss levels; Dynamic String Sampling "
                       f"joined one of each of the {len(above)} levels above the lowest to the lowest below its level "
                       f"({beads} beads in all) — "
                       "numeric evidence, not a proof", backend=backend, extra=extra)


__all__ = ["dss_evidence", "from_minima"]
