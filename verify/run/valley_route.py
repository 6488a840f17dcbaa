"""``no-spurious-valley`` (Venturi, Bandeira & Bruna 2018) beyond the theorem route: refuted by a certified spurious
STRICT local minimum, otherwise ``unknown`` with what was found.

A spurious valley is a connected component of a sublevel set {θ : L(θ) ≤ λ} that holds no global minimum.

Lemma. A strict local minimum p that is not global lies in a spurious valley. Proof: strict means L(θ) > L(p) for
0 < ‖θ − p‖ ≤ δ, for some δ > 0. The sphere S = {‖θ − p‖ = δ} is compact, so ε = min_S L − L(p) > 0. Let V be the
component of {L ≤ L(p) + ε/2} through p. V does not meet S (L > L(p) + ε/2 there), and V is connected and holds p,
so V lies inside the open ball (else it would be split by S into two non-empty relatively open parts). Every θ in the
ball has L(θ) ≥ L(p) > inf L (p is spurious: the certificate's witness has lower loss), so V holds no global
minimum. ∎  The certificate is the `spurious-local-min` one the kernel verified (H ≻ 0 by congruence: strict).

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
    strict = cert.get("claim", {}).get("kind") == "spurious-local-min"
    if result.status is Status.REFUTED and result.trust is Trust.KERNEL and strict:
        return ClaimResult(CLAIM, Status.REFUTED, Trust.KERNEL,
                           f"a certified spurious strict local minimum lies in a spurious valley (the component of "
                           f"{{L ≤ L(p) + ε}} through p stays in a small ball, where L ≥ L(p) > min L): {result.reason}",
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


__all__ = ["from_minima"]
