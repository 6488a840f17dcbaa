"""L(θ) and ∇L(θ) in mpmath multiple precision, for refining and checking candidates before they are exported.

Analytic gradients (no autograd), written once over mpmath numbers:

* deep linear: A_0 = X, A_i = W_i A_{i−1}, R = A_H − Y; G_H = R, ∂L/∂W_i = G_i A_{i−1}ᵀ + Λ_i∘W_i, G_{i−1} = W_iᵀ G_i;
* two-layer: Z = W X, S = σ(Z), R = U S − Y; ∂L/∂U = R Sᵀ + Λ_U∘U, ∂L/∂W = ((UᵀR) ∘ σ′(Z)) Xᵀ + Λ_W∘W
  (relu: σ′(z) = 1[z > 0]);
* relu-teacher: ∂k(w, v)/∂w = (‖v‖ sin θ · w/‖w‖ + (π − θ) v)/(2π), ∂k(w, w)/∂w = w (so ∂/∂w_i of
  ½k(w_i, w_i) is w_i/2; each pair i ≠ j appears twice in ½Σ_ij).

This is a floating-point computation at ``digits`` decimal digits: a tiny residual is evidence that a
rational point is exactly critical, never a proof (``spurious classify`` decides that exactly).
"""

from __future__ import annotations

from fractions import Fraction

import mpmath

from verify.problems import DeepLinear, Problem, ReluTeacher, TwoLayer


def _mp(x):
    x = Fraction(x)
    return mpmath.mpf(x.numerator) / x.denominator


def _mat(m):
    return [[_mp(x) for x in row] for row in m]


def _mul(A, B):
    return [[mpmath.fsum(A[i][k] * B[k][j] for k in range(len(B))) for j in range(len(B[0]))] for i in range(len(A))]


def _T(A):
    return [list(r) for r in zip(*A)]


def _lam(reg, idx, shape):
    if isinstance(reg, Fraction):
        v = _mp(reg)
        return [[v] * shape[1] for _ in range(shape[0])]
    return _mat(reg[idx])


def loss_and_grad(problem: Problem, point, digits: int = 60) -> tuple[mpmath.mpf, list]:
    """(L(θ), ∇L(θ)) at ``digits`` significant digits; ``point`` holds Fractions, ints, floats or mpf."""
    with mpmath.workdps(digits):
        x = [mpmath.mpf(v) if isinstance(v, (float, mpmath.mpf)) else _mp(v) for v in point]
        mats = problem.unflatten(x)
        names = [n for n, _, _ in problem.param_shapes()]
        if isinstance(problem, DeepLinear):
            Ws = [mats[n] for n in names]
            acts = [_mat(problem.X)]
            for W in Ws:
                acts.append(_mul(W, acts[-1]))
            Y = _mat(problem.Y)
            R = [[a - y for a, y in zip(ar, yr)] for ar, yr in zip(acts[-1], Y)]
            L = mpmath.fsum(r * r for row in R for r in row) / 2
            grads = [None] * len(Ws)
            G = R
            for i in reversed(range(len(Ws))):
                grads[i] = _mul(G, _T(acts[i]))
                G = _mul(_T(Ws[i]), G)
            L, grads = _add_reg(problem.reg, Ws, L, grads)
            return +L, [g for M in grads for row in M for g in row]
        if isinstance(problem, TwoLayer):
            W = mats["W"]
            X = _mat(problem.X)
            Z = _mul(W, X)
            if problem.is_relu:
                S = [[z if z > 0 else mpmath.mpf(0) for z in row] for row in Z]
                D = [[mpmath.mpf(1) if z > 0 else mpmath.mpf(0) for z in row] for row in Z]
            else:
                c = [_mp(a) for a in problem.activation]
                S = [[mpmath.polyval(c[::-1], z) for z in row] for row in Z]
                dc = [k * c[k] for k in range(1, len(c))] or [mpmath.mpf(0)]
                D = [[mpmath.polyval(dc[::-1], z) for z in row] for row in Z]
            U = mats["U"] if problem.train_output else _mat(problem.output)
            R = [[o - y for o, y in zip(orow, yr)] for orow, yr in zip(_mul(U, S), _mat(problem.Y))]
            L = mpmath.fsum(r * r for row in R for r in row) / 2
            dZ = [[a * d for a, d in zip(ar, dr)] for ar, dr in zip(_mul(_T(U), R), D)]
            gW = _mul(dZ, _T(X))
            mats_r, grads = ([W, U], [gW, _mul(R, _T(S))]) if problem.train_output else ([W], [gW])
            L, grads = _add_reg(problem.reg, mats_r, L, grads)
            return +L, [g for M in grads for row in M for g in row]
        assert isinstance(problem, ReluTeacher)
        W = mats["W"]
        V = _mat(problem.teacher)
        two_pi = 2 * mpmath.pi

        def k_and_grad(w, v):
            nw, nv = mpmath.norm(w), mpmath.norm(v)
            if nw == 0 or nv == 0:
                return mpmath.mpf(0), [mpmath.mpf(0)] * len(w)
            c = max(-1, min(1, mpmath.fsum(a * b for a, b in zip(w, v)) / (nw * nv)))
            th = mpmath.acos(c)
            k = nw * nv * (mpmath.sin(th) + (mpmath.pi - th) * c) / two_pi
            g = [(nv * mpmath.sin(th) * a / nw + (mpmath.pi - th) * b) / two_pi for a, b in zip(w, v)]
            return k, g

        L = mpmath.mpf(0)
        grad = []
        for i, w in enumerate(W):
            gi = [a / 2 for a in w]                        # ∂/∂w_i of ½ k(w_i, w_i) = ‖w_i‖²/4
            L += mpmath.fsum(a * a for a in w) / 4
            for j, u in enumerate(W):
                if j != i:
                    k, g = k_and_grad(w, u)
                    L += k / 2
                    gi = [a + b for a, b in zip(gi, g)]
            for v in V:
                k, g = k_and_grad(w, v)
                L -= k
                gi = [a - b for a, b in zip(gi, g)]
            grad += gi
        for i, v in enumerate(V):
            L += mpmath.fsum(a * a for a in v) / 4
            for j, u in enumerate(V):
                if j != i:
                    L += k_and_grad(v, u)[0] / 2
        return +L, grad


def _add_reg(reg, mats, L, grads):
    if isinstance(reg, Fraction) and reg == 0:
        return L, grads
    out = []
    for idx, (W, G) in enumerate(zip(mats, grads)):
        lam = _lam(reg, idx, (len(W), len(W[0])))
        L += mpmath.fsum(lam[i][j] * W[i][j] ** 2 for i in range(len(W)) for j in range(len(W[0]))) / 2
        out.append([[G[i][j] + lam[i][j] * W[i][j] for j in range(len(W[0]))] for i in range(len(W))])
    return L, out
