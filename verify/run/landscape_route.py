"""The landscape route of ``spurious check``: every critical point found, counted and classified, and the verdict
read from a ``complete-landscape`` certificate the kernel verified (proofs/FORMAT.md, "Complete landscapes").

:func:`landscape_check` is tried after the theorem and witness routes on polynomial instances whose critical set
is finite (regularised deep linear nets with a weight per parameter; polynomial two-layer nets). It proves
``strict-saddle`` / ``no-spurious-local-min`` with ``trust: kernel`` when the checker VERIFIED the certificate:
there are exactly D complex critical points, the R real ones are certified minima or have a certified negative
Hessian eigenvalue, and every local minimum lies on the lowest level. Otherwise it returns None and why (an
infinite critical set, a multiple root, a degenerate real point, a spurious minimum — which the exact route then
refutes with a point certificate — or the time budget), and ``decide`` goes on to the exact route.
"""

from __future__ import annotations

from verify.problems import Problem
from verify.run.result import ClaimResult
from verify.verdict import Status, Trust

CLAIMS = ("strict-saddle", "no-spurious-local-min")
BUDGET_SHARE = 0.5          # of the claim's --timeout; the rest stays for the exact route
MAX_LANDSCAPE_PARAMS = 12   # 1-3-3 (245 points) is the largest measured within a minute


def landscape_check(problem: Problem, claim: str, timeout: float) -> tuple[ClaimResult | None, str]:
    """(proved ClaimResult, "") from a kernel-verified complete landscape — or (refuted, "") from a kernel-verified
    spurious-isolated-min box the landscape found —, else (None, why not)."""
    if claim not in CLAIMS:
        return None, f"no complete-landscape statement for {claim!r}"
    if not problem.polynomial:
        return None, "the loss is not a polynomial"
    if problem.n_params > MAX_LANDSCAPE_PARAMS:
        return None, f"{problem.n_params} parameters exceed the complete-landscape route's {MAX_LANDSCAPE_PARAMS}"
    from verify.certify.landscape import complete_landscape_certificate
    from verify.errors import SpuriousError

    try:
        made = complete_landscape_certificate(problem, statement=claim, timeout=max(1.0, timeout * BUDGET_SHARE))
    except SpuriousError as e:   # not enumerable (e.g. a continuous symmetry), too large: not a proof either way
        return None, f"no complete landscape: {e}"
    if made.spurious is not None and claim in ("no-spurious-local-min", "strict-saddle"):
        c = made.spurious
        return ClaimResult(claim, Status.REFUTED, Trust.KERNEL, f"a spurious strict local minimum (a ball-certified "
                           f"box: exactly one critical point, H ≻ 0 on it, L above a point of lower loss): "
                           f"{made.reason}", backend="landscape", certificate=c,
                           witness={"box": {"centre": c["claim"]["centre"], "radius": c["claim"]["radius"]},
                                    "class": "spurious-local-min", "lower": c["body"]["witness"]}), ""
    if made.certificate is None or made.kernel is None:
        return None, f"no complete landscape: {made.reason or 'the kernel did not check it'}"
    cert = made.certificate
    return ClaimResult(claim, Status.PROVED, Trust.KERNEL, f"every critical point found (a complete landscape, "
                       f"G ⊆ ⟨∇L⟩ by {made.route}); {made.kernel}", backend="landscape", certificate=cert), ""


__all__ = ["landscape_check"]
