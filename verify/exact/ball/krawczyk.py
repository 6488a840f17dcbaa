"""Complex critical points in ball arithmetic: Newton refinement and the Krawczyk test on boxes of C^n.

:class:`GradientSystem` holds ∇L and the Hessian J = ∂²L as term lists (exact rationals from python-flint's
``fmpq_mpoly``) and evaluates them at ``acb`` (complex) or ``arb`` (real) ball vectors, which encloses their ranges
over a box. On it:

* :func:`newton` — x ← x − J(x)⁻¹∇L(x) on midpoints (no enclosure: it only improves an approximation);
* :func:`krawczyk` — for the box X = (re ± r) + i(im ± r) in every coordinate and x̃ its centre,
  K = x̃ − Y∇L(x̃) + (I − Y·J(X))(X − x̃) with Y = mid(J(x̃))⁻¹; K ⊂ int X proves that ∇L has exactly one zero in X
  (Krawczyk 1969; Rump 1983, Theorem 2.1; any Y is sound). This is the test of proofs/FORMAT.md's complete-landscape
  boxes, run here before a certificate is emitted;
* :func:`positive_definite_on_box` / :func:`negative_direction_on_box` — on a real box re ± r: M·J·Mᵀ strictly
  diagonally dominant with positive diagonal (Gershgorin: H ≻ 0 everywhere on the box), or vᵀ·J·v < 0.

False means "not shown at this precision / radius", not that the box holds no zero or several.

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> m = lambda *rows: tuple(tuple(F(x) for x in row) for row in rows)
>>> S = GradientSystem(DeepLinear(widths=(1, 1, 1), X=m((1,)), Y=m((1,)), reg=(m((1,)), m((2,)))))
>>> krawczyk(S, [F(0), F(0)], [F(0), F(0)], F(1, 10))
True
"""

from __future__ import annotations

from fractions import Fraction

import flint

from verify.exact.algebra.groebner import exps, loss_polynomial
from verify.problems import Problem


def _ball(x: Fraction) -> flint.arb:
    return flint.arb(flint.fmpq(x.numerator, x.denominator))


def _terms(poly):
    """[(coefficient fmpq, ((variable, power), …))] of an fmpq_mpoly."""
    return [(c, tuple((i, k) for i, k in enumerate(exps(e)) if k)) for e, c in poly.terms()]


class GradientSystem:
    """∇L and J = ∂²L of a polynomial problem (canonical parameter order) for ball evaluation."""

    def __init__(self, problem: Problem):
        loss, _ = loss_polynomial(problem, "canonical")
        n = problem.n_params
        self.n = n
        self.loss_poly = loss
        grads = [loss.derivative(i) for i in range(n)]
        self.grads = grads
        self._loss = _terms(loss)
        self._grad = [_terms(g) for g in grads]
        self._hess = {(i, j): _terms(grads[i].derivative(j)) for i in range(n) for j in range(i, n)}
        self.degree = max((sum(exps(e)) for e, _ in loss.terms()), default=0)

    def _powers(self, xs):
        one = flint.acb(1) if isinstance(xs[0], flint.acb) else flint.arb(1)
        out = []
        for x in xs:
            row = [one, x]
            for _ in range(2, self.degree + 1):
                row.append(row[-1] * x)
            out.append(row)
        return out

    @staticmethod
    def _eval(terms, pw, zero):
        total = zero
        for c, mono in terms:
            t = flint.arb(c)
            for i, k in mono:
                t = t * pw[i][k]
            total += t
        return total

    def _zero(self, xs):
        return flint.acb(0) if isinstance(xs[0], flint.acb) else flint.arb(0)

    def loss(self, xs):
        return self._eval(self._loss, self._powers(xs), self._zero(xs))

    def gradient(self, xs) -> list:
        pw, z = self._powers(xs), self._zero(xs)
        return [self._eval(t, pw, z) for t in self._grad]

    def hessian(self, xs) -> list[list]:
        pw, z = self._powers(xs), self._zero(xs)
        H = [[z] * self.n for _ in range(self.n)]
        for (i, j), t in self._hess.items():
            H[i][j] = H[j][i] = self._eval(t, pw, z)
        return H


def _mat(rows, cls=flint.acb_mat):
    return cls(len(rows), len(rows[0]), [x for row in rows for x in row])


def newton(system: GradientSystem, x0, bits: int, tolerance_bits: int, max_steps: int = 60):
    """Newton's iteration for ∇L = 0 from the acb vector ``x0`` at ``bits`` of working precision, until a step is
    below 2^−tolerance_bits (relative to max(1, |x|)); returns the midpoint vector, or None if it did not settle."""
    with flint.ctx.workprec(bits):
        x = [flint.acb(v).mid() for v in x0]
        tol = flint.arb(2) ** (-tolerance_bits)
        for _ in range(max_steps):
            J = _mat([[h.mid() for h in row] for row in system.hessian(x)])
            g = flint.acb_mat(system.n, 1, [v.mid() for v in system.gradient(x)])
            try:
                d = J.solve(g)
            except ZeroDivisionError:
                return None
            step = [d[i, 0].mid() for i in range(system.n)]
            x = [(a - b).mid() for a, b in zip(x, step)]
            scale = max([flint.arb(1)] + [abs(a).mid() for a in x])
            if all(abs(s).mid() < tol * scale for s in step):
                return x
        return None


def box(re, im, r: Fraction):
    """The complex box (re_i ± r) + i(im_i ± r) as acb balls (exact rationals in, rounded outward)."""
    rad = flint.arb(0, _ball(r))
    return [flint.acb(_ball(a) + rad, _ball(b) + rad) for a, b in zip(re, im)]


def krawczyk(system: GradientSystem, re, im, r: Fraction, bits: int = 256) -> bool:
    """K(X) ⊂ int X for X = (re ± r) + i(im ± r): exactly one zero of ∇L in X (see the module docstring)."""
    n = system.n
    with flint.ctx.workprec(bits):
        centre = [flint.acb(_ball(a), _ball(b)) for a, b in zip(re, im)]
        X = box(re, im, r)
        g = flint.acb_mat(n, 1, system.gradient(centre))
        J = _mat(system.hessian(X))
        try:
            Y = _mat([[h.mid() for h in row] for row in system.hessian(centre)]).inv().mid()
        except ZeroDivisionError:
            return False
        eye = flint.acb_mat(n, n, [int(i == j) for i in range(n) for j in range(n)])
        rr = _ball(r)
        E = flint.acb_mat(n, 1, [flint.acb(flint.arb(0, rr), flint.arb(0, rr))] * n)
        K = (eye - Y * J) * E - Y * g
        for i in range(n):
            k = K[i, 0]
            for part in (k.real, k.imag):
                if not (part < rr and part > -rr):
                    return False
    return True


def real_box(re, r: Fraction) -> list:
    """The real box re_i ± r as arb balls."""
    rad = flint.arb(0, _ball(r))
    return [_ball(a) + rad for a in re]


def hessian_on_box(system: GradientSystem, re, r: Fraction, bits: int = 256) -> flint.arb_mat:
    with flint.ctx.workprec(bits):
        return _mat(system.hessian(real_box(re, r)), flint.arb_mat)


def positive_definite_on_box(H: flint.arb_mat, M, bits: int = 256) -> bool:
    """M·H·Mᵀ strictly diagonally dominant with positive diagonal (M: rows of rationals), so H ≻ 0 on the box when
    M is invertible (checked by the caller exactly)."""
    n = H.nrows()
    with flint.ctx.workprec(bits):
        Ma = flint.arb_mat(n, n, [_ball(x) for row in M for x in row])
        C = Ma * H * Ma.transpose()
        for i in range(n):
            off = sum((abs(C[i, j]) for j in range(n) if j != i), flint.arb(0))
            if not (C[i, i] > off):
                return False
    return True


def negative_direction_on_box(H: flint.arb_mat, v, bits: int = 256) -> bool:
    """vᵀ·H·v < 0 for every H in the ball matrix: a negative Hessian eigenvalue everywhere on the box."""
    n = H.nrows()
    with flint.ctx.workprec(bits):
        va = flint.arb_mat(n, 1, [_ball(x) for x in v])
        q = (va.transpose() * H * va)[0, 0]
        return bool(q < 0)


def loss_on_box(system: GradientSystem, re, r: Fraction, bits: int = 256) -> flint.arb:
    """An enclosure of L over the real box re ± r."""
    with flint.ctx.workprec(bits):
        return system.loss(real_box(re, r))
