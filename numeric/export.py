"""The typed result of exporting a numeric candidate, with its criticality decided in exact arithmetic.

:func:`exact_criticality` computes ∇L(θ) at a rational point θ EXACTLY (``fractions.Fraction`` dual numbers
through the problem's ring loss, :mod:`numeric.dual`) and says

* ``Criticality.YES`` — ∇L(θ) = 0 exactly (every component is the Fraction 0);
* ``Criticality.NO`` — some ∂L/∂θ_k ≠ 0 exactly (the point is NOT critical; it may still be close to one);
* ``Criticality.UNKNOWN`` — not decided, with the reason: the loss is not a polynomial (relu-teacher's
  arccos kernel), θ sits on a ReLU kink (L is not differentiable there), or the problem is too large for
  exact arithmetic here. UNKNOWN does NOT mean "probably critical" nor "probably not".

The same Fraction arithmetic gives the exact loss L(θ), which :func:`numeric.bridge.export_candidates` uses to
keep one point per exact loss level.

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> p = DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(1),),))
>>> exact_criticality(p, [F(2), F(1, 2)]).criticality, exact_criticality(p, [F(1), F(2)]).criticality
(<Criticality.YES: 'yes'>, <Criticality.NO: 'no'>)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from verify.errors import InternalError
from verify.problems import Problem
from verify.problems.numbers import fraction_str

from .dual import activation_pattern, dual_value_and_grad

EXACT_GRADIENT_MAX_PARAMS = 512
"""Above this many parameters the exact gradient is not attempted here (UNKNOWN, "too large")."""


class Criticality(str, Enum):
    """Is ∇L(θ) = 0 exactly at the exported rational point θ? (decided in ``Fraction`` arithmetic)."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Route(str, Enum):
    """How :func:`numeric.bridge.rationalise` reached its rational point."""

    SNAPPED_RATIONAL = "snapped-rational"      # every coordinate already a small-denominator rational
    LAYER_SNAP = "layer-snap"                  # blocks snapped one by one, the last solved exactly
    REPAIRED_MANIFOLD = "repaired-manifold"    # coordinates snapped one at a time, the rest repaired
    MP_REFINED = "mp-refined"                  # multiple-precision Newton: near a critical point, not on it
    ROUNDED = "rounded"                        # limit_denominator of the float point, nothing more


@dataclass(frozen=True)
class ExactGradient:
    """Result of :func:`exact_criticality`: the verdict, and the exact L and ∇L when they were computed."""

    criticality: Criticality
    reason: str
    loss: Fraction | None = None
    gradient: tuple[Fraction, ...] | None = None

    @property
    def grad_inf(self) -> float | None:
        """‖∇L(θ)‖∞ rounded to a float (None when the gradient was not computed)."""
        return None if self.gradient is None else safe_float(max((abs(g) for g in self.gradient), default=0))


def exact_criticality(problem: Problem, point) -> ExactGradient:
    """Decide ∇L(θ) = 0 for the rational θ = ``point`` exactly (module docstring)."""
    q = [Fraction(v) for v in point]
    if not (problem.polynomial or problem.piecewise_polynomial):
        return ExactGradient(Criticality.UNKNOWN, f"{problem.kind}: the loss is not a polynomial (no ring loss); "
                             "exact criticality needs ball arithmetic, which the numeric layer does not do")
    if problem.n_params > EXACT_GRADIENT_MAX_PARAMS:
        return ExactGradient(Criticality.UNKNOWN, f"{problem.n_params} parameters exceed the exact-gradient limit "
                             f"{EXACT_GRADIENT_MAX_PARAMS} of the numeric export")
    mask, kink = activation_pattern(problem, q)
    if kink:
        return ExactGradient(Criticality.UNKNOWN, "on a ReLU kink: some pre-activation is exactly 0, where L is not "
                             "differentiable")
    loss, grad = dual_value_and_grad(problem, q, Fraction, relu_mask=mask)
    bad = [k for k, g in enumerate(grad) if g != 0]
    if bad:
        names = problem.param_names()
        k = bad[0]
        shown = _short(grad[k])
        return ExactGradient(Criticality.NO, f"∂L/∂{names[k]} {shown if shown[0] == '≈' else '= ' + shown} ≠ 0 exactly "
                             f"({len(bad)} non-zero component(s))", loss, tuple(grad))
    return ExactGradient(Criticality.YES, "∇L = 0 exactly (Fraction arithmetic)", loss, tuple(grad))


def safe_float(x: Fraction) -> float:
    """float(x), or ±inf when |x| is beyond the float range."""
    try:
        return float(x)
    except OverflowError:
        return float("inf") if x > 0 else float("-inf")


def _short(x: Fraction) -> str:
    """A rational for a message, never formatting a huge integer (int → str is refused past 4,300 digits)."""
    if x.numerator.bit_length() + x.denominator.bit_length() > 200:
        return f"≈ {safe_float(x):.6g}"
    return fraction_str(x)


@dataclass(frozen=True)
class Export:
    """A rational point handed from the numeric search to the exact layer.

    ``point``: θ in canonical order (Fractions); ``route``: how it was found; ``exactly_critical``: ∇L(θ) = 0
    decided exactly (:class:`Criticality`; ``reason`` says why); ``grad_inf``: ‖∇L(θ)‖∞ — exact (rounded to a
    float) when the gradient was computed in Fractions, else from mpmath at ``mp_digits`` digits (evidence);
    ``loss``: the exact L(θ) when the ring loss exists, else None; ``loss_float``: L(θ) as a float;
    ``distance``: max |θ − θ_input|; ``snapped``: coordinates fixed to small-denominator rationals.

    Only ``exactly_critical is Criticality.YES`` makes θ a critical point; an ``mp-refined`` point is close to
    one, not on it, and says NO.
    """

    point: tuple[Fraction, ...]
    route: Route
    exactly_critical: Criticality
    grad_inf: float
    reason: str
    loss: Fraction | None
    loss_float: float
    distance: float
    snapped: int = 0

    def __post_init__(self):
        if self.exactly_critical is Criticality.YES and self.grad_inf != 0:
            raise InternalError(f"an export marked exactly critical has ‖∇L‖∞ = {self.grad_inf:g} ≠ 0")
        if not all(isinstance(v, Fraction) for v in self.point):
            raise InternalError("an export's point must be Fractions")

    @property
    def max_denominator(self) -> int:
        return max((v.denominator for v in self.point), default=1)

    def to_json(self) -> dict:
        return {"route": self.route.value, "exactly_critical": self.exactly_critical.value, "reason": self.reason,
                "gradient_max_abs": self.grad_inf, "loss": self.loss_float,
                "loss_exact": None if self.loss is None else _short(self.loss), "distance": self.distance,
                "snapped": self.snapped, "n_params": len(self.point), "max_denominator": self.max_denominator}

    def __iter__(self):
        """Deprecated: unpack as the old ``(point, report)`` pair (``point, _ = rationalise(...)``)."""
        return iter((list(self.point), self.to_json()))
