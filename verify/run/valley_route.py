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

Lemma (orbits). A spurious Morse–Bott minimum p of a two-layer net with σ = a·t^k, trained output and Λ = 0, whose
null(H) is spanned by the rescaling tangents of its units (all live: w_i(p) ≠ 0, u_i(p) ≠ 0), lies in a spurious
valley. Proof: the group G = (0, ∞)^p acts by g·(w_i, u_i) = (c_i w_i, u_i / c_i^k), freely and properly on
Ω = {every w_i ≠ 0}, and L(g·θ) = L(θ). On Ω let N(θ) = g·θ with c_i = ‖w_i(p)‖ / ‖w_i‖ (continuous, L∘N = L), onto
the closed slice T = {‖w_i‖ = ‖w_i(p)‖}. T_pT = {w_i·δw_i = 0} meets null(H) = span(r_i) only in 0 (w_i·r_i's
w-part = ‖w_i‖² ≠ 0) and has the complementary dimension, so H is positive definite on T_pT and p (∇L(p) = 0) is
a strict local minimum of L|T: L > L(p) on T ∩ {0 < ‖θ − p‖ <= δ}, with δ < min ‖w_i(p)‖, min ‖u_i(p)‖. Let
ε = min of L − L(p) on T ∩ {‖θ − p‖ = δ} (compact) > 0, A = {θ ∈ Ω : ‖N(θ) − p‖ < δ}, B = {θ ∈ Ω : ‖N(θ) − p‖ =
δ}. A sequence in A cannot converge to a point with some w_i = 0: then c_i → ∞ and ‖u_i‖ = c_i^k ‖u_i(N θ)‖ >=
c_i^k (‖u_i(p)‖ − δ) → ∞. So the boundary of A lies in B, where L = L∘N >= L(p) + ε. The component V of
{L <= L(p) + ε/2} through p is connected, meets A and misses B, so V ⊆ A, where L = L∘N >= L(p) > min L (the
witness). V holds no global minimum. ∎  The kernel checks these hypotheses (`spurious-rescaling-valley`,
proofs/FORMAT.md); a spurious Morse–Bott certificate of the exact route is re-submitted under that kind.
Other non-strict minima (dead units: a translation family; a regularised net) are not used.

A proof that every local minimum is global does NOT exclude spurious valleys (a valley may hold no critical point
of L when its closure is unbounded), so that answer is reported as ``unknown``.
"""

from __future__ import annotations

from verify.claims import Claim
from verify.run.result import ClaimResult
from verify.verdict import Status, Trust

VIA = "no-spurious-local-min"
"""The claim whose answer the ``minima`` route reads (:data:`verify.run.routes.ROUTES`)."""


def from_minima(result: ClaimResult, claim: Claim) -> ClaimResult:
    """The answer to ``claim`` (no-spurious-valley) read from a :data:`VIA` answer of the same instance."""
    cert = result.certificate or {}
    strict = cert.get("claim", {}).get("kind") in ("spurious-local-min", "spurious-isolated-min")
    if result.status is Status.REFUTED and result.trust is Trust.KERNEL and strict:
        return ClaimResult(claim.name, Status.REFUTED, Trust.KERNEL,
                           f"a certified spurious strict local minimum lies in a spurious valley (the component of "
                           f"{{L ≤ L(p) + ε}} through p stays in a small ball, where L ≥ L(p) > min L): "
                           f"{result.reason}",
                           backend=result.backend, witness=result.witness, certificate=result.certificate,
                           solvers=result.solvers)
    orbit = _rescaling_valley(cert, claim) if result.status is Status.REFUTED and result.trust is Trust.KERNEL else None
    if orbit is not None:
        return ClaimResult(claim.name, Status.REFUTED, Trust.KERNEL,
                           f"a certified spurious local minimum up to rescaling lies in a spurious valley (the "
                           f"component of {{L ≤ L(p) + ε}} through p stays in a thin tube around its orbit, where "
                           f"L ≥ L(p) > min L): {orbit.reason}", backend=result.backend, witness=result.witness,
                           certificate=orbit.certificate, solvers=result.solvers)
    if result.status is Status.REFUTED:
        why = (f"a spurious local minimum was found but not as a kernel-certified strict one ({result.trust.value}; "
               "a non-strict minimum does not by itself give a valley here)")
    elif result.status is Status.PROVED:
        why = "every local minimum is global here, which does not exclude spurious valleys"
    else:
        why = f"no spurious local minimum was certified ({result.reason})"
    return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE, f"{why}; nothing was decided about valleys",
                       backend=result.backend)


def _rescaling_valley(cert, claim: Claim):
    """The spurious Morse–Bott certificate re-submitted as `spurious-rescaling-valley`; a result holding the kernel's
    reason and the new certificate when the kernel verifies it, else None (its hypotheses fail)."""
    if cert.get("claim", {}).get("kind") != "spurious-morse-bott-min":
        return None
    import proofs

    kind = "spurious-rescaling-valley"
    new = {**cert, "claim": {**cert["claim"], "kind": kind}, "body": {**cert["body"], "kind": kind}}
    try:
        r = proofs.check_certificate(new, timeout=60)
    except proofs.MalformedCertificate:
        return None
    if not r.verified:
        return None
    return ClaimResult(claim.name, Status.REFUTED, Trust.KERNEL, r.reason, certificate=new)


MAX_MINIMA = 8
LEVEL_TOL = 1e-6   # relative: minima this close to the lowest loss count as its level


def dss_evidence(problem, claim: Claim, *, starts: int = 200, seed: int = 0,
                 timeout: float | None = 60.0) -> ClaimResult | None:
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
    if res.stopped_at_limit:   # a search cut short by the time left is no evidence about the starts it did not run
        return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE,
                           f"the search stopped at its time limit of {timeout:g} s before every one of {starts} starts "
                           f"had run ({len(found)} minima found); nothing was decided about valleys",
                           backend=f"numeric ({res.device}, float64; search + Dynamic String Sampling)",
                           extra={"starts": starts, "stopped_at_time_limit": True})
    low = mins[0]["loss"]
    above = [c for c in mins if c["loss"] > low + LEVEL_TOL * (1 + abs(low))]
    backend = f"numeric ({res.device}, float64; search + Dynamic String Sampling)"
    extra = {"starts": starts, "minima": len(mins), "above_lowest": len(above)}
    if not above:
        return ClaimResult(claim.name, Status.EVIDENCE, Trust.NUMERIC,
                           f"{starts} starts: all {len(found)} minima found lie at the lowest level (no string "
                           "needed) — numeric evidence, not a proof", backend=backend, extra=extra)
    left = None if timeout is None else max(1.0, timeout - (time.monotonic() - t0))
    strings = connect_pairs(problem, [(c["params"], mins[0]["params"]) for c in above], seed=seed, time_limit=left)
    extra["strings"] = [s.to_json(with_beads=False) for s in strings]
    beads = sum(s.counts.beads for s in strings)
    failed = [i for i, s in enumerate(strings) if not s.connected]
    if failed:
        s = strings[failed[0]]
        return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE,
                           f"Dynamic String Sampling did not join a minimum at L ≈ {s.loss_a:.6g} to the lowest "
                           f"(L ≈ {s.loss_b:.6g}) below L0 = {s.level:.6g} within its budget ({s.reason}); not a "
                           "proof of a valley either", backend=backend, extra=extra)
    return ClaimResult(claim.name, Status.EVIDENCE, Trust.NUMERIC,
                       f"{starts} starts found {len(found)} minima on {len(mins)} loss levels; Dynamic String Sampling "
                       f"joined one of each of the {len(above)} levels above the lowest to the lowest below its level "
                       f"({beads} beads in all) — "
                       "numeric evidence, not a proof", backend=backend, extra=extra)


__all__ = ["VIA", "dss_evidence", "from_minima"]
