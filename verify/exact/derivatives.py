"""Exact loss, gradient ∇L(θ) and Hessian ∇²L(θ) at a rational point, and the loss along a curve.

The loss is a polynomial (deep linear; polynomial σ; ReLU on the open cell of its activation
pattern). We expand **P(x) = L(θ + x)** as a python-flint ``fmpq_mpoly`` in the displacement x;
then L(θ) is its constant term, ∂L/∂θ_i the coefficient of x_i, ∂²L/∂θ_i² twice the coefficient
of x_i², ∂²L/∂θ_i∂θ_j the coefficient of x_i x_j, and the cubic part C(x) is kept for the
quadratic-curve search (:mod:`verify.exact.descent`).

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> prob = DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(1),),))
>>> t = taylor(prob, (F(0), F(0)))
>>> str(t.loss), [str(g) for g in t.gradient], [[str(h) for h in row] for row in t.hessian]
('1/2', ['0', '0'], [['0', '-1'], ['-1', '0']])
"""

from __future__ import annotations

from dataclasses import dataclass

import flint

from verify.errors import TooLargeError
from verify.exact.loss import fq, loss_in_ring

MAX_EXACT_PARAMS = 64
"""Largest parameter count the exact polynomial layer accepts (measured: a 48-parameter depth-3 net
expands in about a second; larger problems go to the numeric layer)."""


@dataclass
class Taylor:
    """Exact second-order data of L at θ, plus the expansion P(x) = L(θ + x) itself."""

    loss: flint.fmpq
    gradient: list
    hessian: list
    expansion: object  # fmpq_mpoly in the displacement x
    ctx: object

    def homogeneous_part(self, degree: int):
        """The part of P of total degree ``degree``, as an fmpq_mpoly."""
        terms = {m: c for m, c in self.expansion.terms() if sum(m) == degree}
        return self.ctx.from_dict(terms) if terms else self.ctx.from_dict({})


def _context(n: int):
    return flint.fmpq_mpoly_ctx.get(("x", n))


def check_exact_size(problem) -> None:
    """Refuse problems beyond the exact layer's limit (exit 2 in the CLI), before any work is done."""
    n = problem.n_params
    if n > MAX_EXACT_PARAMS:
        raise TooLargeError("problem", f"{n} parameters exceed the exact layer's limit of {MAX_EXACT_PARAMS}; "
                            "use the numeric layer (spurious search) for this size")


def taylor(problem, point, relu_mask=None) -> Taylor:
    """Expand L(θ + x) exactly and read off L(θ), ∇L(θ), ∇²L(θ)."""
    check_exact_size(problem)
    n = problem.n_params
    ctx = _context(n)
    gens = ctx.gens()
    P = loss_in_ring(problem, [fq(a) + g for a, g in zip(point, gens)], relu_mask=relu_mask)
    if not isinstance(P, flint.fmpq_mpoly):  # the loss does not depend on θ here (e.g. U fixed to 0)
        P = ctx.from_dict({(0,) * n: P} if P != 0 else {})
    zero = flint.fmpq(0)

    def coeff(exps) -> flint.fmpq:
        return flint.fmpq(P[exps])

    unit = [tuple(int(k == i) for k in range(n)) for i in range(n)]
    grad = [coeff(unit[i]) for i in range(n)]
    H = [[zero] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):
            e = tuple(unit[i][k] + unit[j][k] for k in range(n))
            c = coeff(e)
            H[i][j] = H[j][i] = 2 * c if i == j else c
    return Taylor(loss=coeff(tuple([0] * n)), gradient=grad, hessian=H, expansion=P, ctx=ctx)


def curve_loss(problem, point, coefficients, relu_mask=None) -> flint.fmpq_poly:
    """f(t) = L(θ + t·c_1 + t²·c_2 + …) as an exact univariate polynomial (fmpq_poly).

    ``coefficients`` is the list [c_1, c_2, …] of rational vectors.
    """
    params = []
    for i, a in enumerate(point):
        params.append(flint.fmpq_poly([fq(a)] + [fq(c[i]) for c in coefficients]))
    return loss_in_ring(problem, params, conv=lambda x: flint.fmpq_poly([fq(x)]), zero=flint.fmpq_poly([]),
                        relu_mask=relu_mask)
