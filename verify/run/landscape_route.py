"""The landscape route of ``spurious check``: every critical point found, counted and classified, and the verdict
read from a ``complete-landscape`` certificate the kernel verified (proofs/FORMAT.md, "Complete landscapes").

:func:`landscape_check` is tried after the theorem and witness routes on polynomial instances whose critical set
is finite (regularised deep linear nets with a weight per parameter; polynomial two-layer nets). It decides a claim
whose refuting point classes (:attr:`verify.claims.Claim.refuted_by`) a complete landscape can exclude
(:data:`verify.certify.landscape.RULES_OUT`: spurious local minima, non-strict saddles): it proves the claim with
``trust: kernel`` when the checker VERIFIED the certificate — there are exactly D complex critical points, the R
real ones are certified minima or have a certified negative Hessian eigenvalue, and every local minimum lies on
the lowest level. Otherwise it returns None and why (an infinite critical set, a multiple root, a degenerate real
point, a spurious minimum — refuted here with the kernel-verified box of that minimum when the claim is refuted by
one — or the time budget), and ``decide`` goes on to the exact route.
"""

from __future__ import annotations

from verify.claims import Claim
from verify.problems import Problem
from verify.run.result import ClaimResult
from verify.verdict import PointClass, Status, Trust

BUDGET_SHARE = 0.5          # of the claim's --timeout; the rest stays for the exact route
MAX_LANDSCAPE_PARAMS = 12   # 1-3-3 (245 points) is the largest measured within a minute


def landscape_check(problem: Problem, claim: Claim, timeout: float) -> tuple[ClaimResult | None, str]:
    """(proved ClaimResult, "") from a kernel-verified complete landscape — or (refuted, "") from a kernel-verified
    spurious-isolated-min box the landscape found —, else (None, why not). Only for a claim whose record names
    this route: its record then says the claim means "no critical point of a class in ``refuted_by``" (not so for
    no-spurious-valley, refuted by a spurious minimum but not proved by their absence)."""
    from verify.certify.landscape import complete_landscape_certificate, statement_for

    if "landscape" not in claim.routes:
        return None, f"the landscape route does not decide {claim.name!r} (not among its routes)"
    statement = statement_for(claim.refuted_by)
    if statement is None:
        return None, f"no complete-landscape statement for {claim.name!r}"
    if not problem.polynomial:
        return None, "the loss is not a polynomial"
    if problem.n_params > MAX_LANDSCAPE_PARAMS:
        return None, f"{problem.n_params} parameters exceed the complete-landscape route's {MAX_LANDSCAPE_PARAMS}"
    from verify.errors import SpuriousError

    try:
        made = complete_landscape_certificate(problem, statement=statement, timeout=max(1.0, timeout * BUDGET_SHARE))
    except SpuriousError as e:   # not enumerable (e.g. a continuous symmetry), too large: not a proof either way
        return None, f"no complete landscape: {e}"
    if made.spurious is not None and PointClass.SPURIOUS_LOCAL_MIN in claim.refuted_by:
        c = made.spurious
        return ClaimResult(claim.name, Status.REFUTED, Trust.KERNEL, f"a spurious strict local minimum (a "
                           f"ball-certified box: exactly one critical point, H ≻ 0 on it, L above a point of lower "
                           f"loss): {made.reason}", backend="landscape", certificate=c,
                           witness={"box": {"centre": c["claim"]["centre"], "radius": c["claim"]["radius"]},
                                    "class": PointClass.SPURIOUS_LOCAL_MIN.value, "lower": c["body"]["witness"]}), ""
    if made.certificate is None or made.kernel is None:
        return None, f"no complete landscape: {made.reason or 'the kernel did not check it'}"
    return ClaimResult(claim.name, Status.PROVED, Trust.KERNEL, f"every critical point found (a complete landscape, "
                       f"G ⊆ ⟨∇L⟩ by {made.route}); {made.kernel}", backend="landscape",
                       certificate=made.certificate), ""


__all__ = ["landscape_check"]
