"""Sublevel-path certificates (certificate kind ``sublevel-path``, proofs/FORMAT.md) from a string of beads.

:func:`sublevel_certificate` rationalises a polygonal path θ_a → beads → θ_b (floats from Dynamic String Sampling,
:mod:`numeric.paths`, or exact rationals), writes the certificate for "a and b are connected below λ" and has the
checker verify it: L < λ on every segment, exactly (polynomial pieces, Sturm chains). A float bead becomes the
rational nearest it with a denominator ≤ 2^40 (a straight segment between two rationalised beads is what is
certified, not the float string). When the checker rejects it, the reason names the segment where L reaches λ;
a straight segment cannot be repaired by subdividing it, only by a new bead (DSS at a lower level).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from verify.certify.common import envelope, vec
from verify.errors import InputError
from verify.problems import Problem

KIND = "sublevel-path"
MAX_DENOMINATOR = 1 << 40


@dataclass
class SublevelResult:
    """A kernel-verified certificate, or None and why."""

    certificate: dict | None
    reason: str
    segments: int = 0


def rationalise(x) -> Fraction:
    """An exact rational for a float / int / Fraction / numeric string (floats to denominators ≤ 2^40)."""
    if isinstance(x, (int, Fraction)):
        return Fraction(x)
    if isinstance(x, str):
        return Fraction(x)
    v = float(x)
    if v != v or v in (float("inf"), float("-inf")):
        raise InputError("beads", f"{x!r} is not a finite number")
    return Fraction(v).limit_denominator(MAX_DENOMINATOR)


def sublevel_certificate(problem: Problem, beads, level, *, timeout: float | None = 60.0) -> SublevelResult:
    """The ``sublevel-path`` certificate that beads[0] and beads[-1] are connected in {L ≤ level} along the beads.

    ``beads``: at least two points (the endpoints first and last), each ``problem.n_params`` long.
    >>> from verify import DeepLinear                                              # doctest: +SKIP
    >>> p = DeepLinear(widths=(1, 1, 1), X=((1,),), Y=((1,),))                     # doctest: +SKIP
    >>> sublevel_certificate(p, [(1, 1), (1.5, 2 / 3), (2, 0.5)], "1/1000").reason  # doctest: +SKIP
    'kernel-checked: L < 1/1000 on all 2 segments ...'
    """
    import proofs

    path = [[rationalise(x) for x in bead] for bead in beads]
    if len(path) < 2:
        raise InputError("beads", "a path needs two endpoints")
    if any(len(b) != problem.n_params for b in path):
        raise InputError("beads", f"every bead must have {problem.n_params} coordinates")
    lam = rationalise(level)
    claim = {"kind": KIND, "a": vec(path[0]), "b": vec(path[-1]), "level": vec([lam])[0]}
    cert = envelope(problem, claim, {"kind": KIND, "beads": [vec(b) for b in path[1:-1]]},
                    {"generator": "spurious connect (Dynamic String Sampling, rationalised)"})
    try:
        checked = proofs.check_certificate(cert, timeout=timeout)
    except proofs.MalformedCertificate as e:
        return SublevelResult(None, f"the checker cannot read the path: {e}", len(path) - 1)
    if not checked.verified:
        return SublevelResult(None, checked.reason, len(path) - 1)
    return SublevelResult(cert, checked.reason, len(path) - 1)


__all__ = ["SublevelResult", "rationalise", "sublevel_certificate"]
