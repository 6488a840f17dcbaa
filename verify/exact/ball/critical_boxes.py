"""The boxes of a complete-landscape certificate: every complex critical point in its own Krawczyk box.

From msolve's rational parametrisation (:func:`verify.exact.algebra.msolve.parametrisation`: θ_i = −p_i(ϑ)/(c_i·f′(ϑ))
at the D roots ϑ of f) this module

1. isolates the roots of f with python-flint (``fmpz_poly.complex_roots``: certified, and a real root comes with an
   imaginary part of exactly 0, which decides which points are real: ϑ = Σ ℓ_i θ_i is a real form) and evaluates
   the coordinates in ball arithmetic (:func:`approximate_points`);
2. groups the points into orbits of the symmetry group (signed permutations g with L(gθ) ≡ L(θ),
   :mod:`verify.exact.discrete_symmetry`; g maps critical points to critical points), refines one representative
   per orbit by Newton's method at about twice the digits of its centre, averages its rounded centre over its
   stabiliser (so that the centre is exactly invariant) and maps it to the rest of the orbit exactly
   (:func:`orbit_boxes`): symmetric minima then have boxes g(box_i) = box_j, which the checker joins;
3. checks what the kernel will check (:func:`check_boxes`): every box (re ± r) + i(im ± r) passes the complex
   Krawczyk test, the boxes are pairwise disjoint, a non-real box has some |im_i| > r;
4. classifies every real box (:func:`classify_real`): a rationalised eigenvector congruence M with M·J·Mᵀ strictly
   diagonally dominant and positive on the box (a strict local minimum), or a rationalised eigenvector v of a
   negative eigenvalue with vᵀ·J·v < 0 on the box (not a local minimum).

A failure here (None / False) means "not certified with these radii and precisions", never that the critical set is
different from what msolve said.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

from verify.exact.ball import krawczyk as kz
from verify.exact.discrete_symmetry import apply

COORDINATE_BITS = 40
"""Relative accuracy (bits) the parametrisation's coordinates must reach before Newton takes over."""

ROOT_PRECISIONS = (128, 256, 512, 1024, 2048, 4096, 8192)

CHUNK = 256
"""Rows of a pairwise-distance block (memory D × CHUNK × n)."""

RATIONAL_BITS = (20, 36, 52)
"""Denominators 2^b tried for the rationalised eigenvectors (smallest certificate first)."""


@dataclass
class Box:
    """A box (re ± r) + i(im ± r) in parameter order; real boxes carry a classification."""

    re: list
    im: list
    real: bool
    orbit: int
    congruence: list | None = None
    direction: list | None = None
    loss: object = None

    @property
    def minimum(self) -> bool:
        return self.congruence is not None


def _coordinates(par, r, ps, fd, n):
    d = fd(r)
    xs = [None if c is None else -(c[0](r)) / (c[1] * d) for c in ps]
    missing = [i for i, x in enumerate(xs) if x is None]
    if missing:
        m = missing[0]
        rest = sum((par.linear_form[i] * xs[i] for i in range(n) if i != m), flint.acb(0))
        xs[m] = (r - rest) / par.linear_form[m]
    return xs


def approximate_points(par, n: int):
    """[(coordinates as acb balls, real?)] for every root of the eliminating polynomial, each coordinate known to
    COORDINATE_BITS relative bits (the working precision doubles until it is); None if it never is."""
    f = flint.fmpz_poly(par.elim)
    for bits in ROOT_PRECISIONS:
        with flint.ctx.workprec(bits):
            roots = f.complex_roots()
            fd = flint.acb_poly(par.den)
            ps = [None if c is None else (flint.acb_poly(c[0]), c[1]) for c in par.coordinates]
            out, ok = [], True
            for r, _ in roots:
                xs = _coordinates(par, r, ps, fd, n)
                tol = flint.arb(2) ** (-COORDINATE_BITS)
                if not all(x.is_finite() and x.rad() < tol * max(flint.arb(1), abs(x.mid())) for x in xs):
                    ok = False
                    break
                out.append(([x.mid() for x in xs], bool(r.imag.is_zero())))
            if ok:
                return out, bits
    return None, ROOT_PRECISIONS[-1]


def _as_complex(points) -> np.ndarray:
    return np.array([[complex(float(x.real.mid()), float(x.imag.mid())) for x in xs] for xs, _ in points])


def orbits(points, elements, tolerance: float = 1e-8):
    """For each point index q: (representative index, element g with g(x_rep) = x_q), and each representative's
    stabiliser. Matching is numerical (g maps critical points to critical points, which are far apart compared with
    the coordinates' accuracy); a point whose image matches no point, or two, is an InternalError."""
    from verify.errors import InternalError

    Z = _as_complex(points)
    scale = 1.0 + np.abs(Z).max(axis=1)
    image_of = []
    for g in elements:
        perm = np.array([j for j, _ in g])
        sign = np.array([s for _, s in g], dtype=float)
        imgs = Z[:, perm] * sign
        best = np.empty(len(Z), dtype=int)
        for lo in range(0, len(Z), CHUNK):  # D × CHUNK distances at a time, not D × D × n
            dist = np.abs(imgs[lo:lo + CHUNK, None, :] - Z[None, :, :]).max(axis=2) / scale[None, :]
            near = dist.argmin(axis=1)
            if not np.all(dist[np.arange(len(near)), near] < tolerance):
                raise InternalError("a symmetry maps a critical point to no critical point (numerically)")
            if np.any((dist < 1e3 * tolerance).sum(axis=1) > 1):
                raise InternalError("critical points too close to match symmetric images")
            best[lo:lo + CHUNK] = near
        image_of.append(best)
    rep, via = [None] * len(Z), [None] * len(Z)
    for a in range(len(Z)):
        if rep[a] is not None:
            continue
        for k, g in enumerate(elements):
            b = int(image_of[k][a])
            if rep[b] is None:
                rep[b], via[b] = a, g
    stab = {a: [g for k, g in enumerate(elements) if int(image_of[k][a]) == a] for a in set(rep)}
    return rep, via, stab


def _grid(x: flint.arb, bits: int) -> Fraction:
    return Fraction(int((x * 2 ** bits).mid().floor().unique_fmpz()), 2 ** bits)


def orbit_boxes(system, points, rep, via, stab, radius_bits: int):
    """Boxes for every point (radius 2^−radius_bits), built orbit by orbit from Newton-refined representatives;
    None if Newton fails at a representative."""
    grid = 2 * radius_bits + 16
    bits = 2 * grid + 64
    centres = {}
    for a in sorted(set(rep)):
        xs, real = points[a]
        x = kz.newton(system, xs, bits, grid + 8)
        if x is None:
            return None
        with flint.ctx.workprec(bits):
            re = [_grid(v.real, grid) for v in x]
            im = [Fraction(0)] * len(x) if real else [_grid(v.imag, grid) for v in x]
        S = stab[a]
        re = [sum(col, Fraction(0)) / len(S) for col in zip(*(apply(g, re) for g in S))]
        im = [sum(col, Fraction(0)) / len(S) for col in zip(*(apply(g, im) for g in S))]
        centres[a] = (re, im, real)
    boxes = []
    for q, (a, g) in enumerate(zip(rep, via)):
        re, im, real = centres[a]
        if points[q][1] != real:
            from verify.errors import InternalError

            raise InternalError("a symmetry maps a real critical point to a non-real one")
        boxes.append(Box(apply(g, re), apply(g, im), real, a))
    return boxes


def disjoint(boxes, r: Fraction) -> tuple[int, int] | None:
    """A pair of boxes that overlap (no coordinate's real or imaginary intervals strictly apart), or None. A sweep
    over the boxes sorted by their first real coordinate: only neighbours within 2r there can overlap."""
    two_r = 2 * r
    order = sorted(range(len(boxes)), key=lambda k: boxes[k].re[0])
    for a, i in enumerate(order):
        A = boxes[i]
        for j in order[a + 1:]:
            B = boxes[j]
            if B.re[0] - A.re[0] > two_r:
                break
            if not any(abs(x - y) > two_r for x, y in zip(A.re + A.im, B.re + B.im)):
                return min(i, j), max(i, j)
    return None


def check_boxes(system, boxes, r: Fraction, bits: int) -> str | None:
    """What the kernel checks of the boxes themselves; the first failure as text, or None."""
    for k, b in enumerate(boxes):
        if not b.real and not any(abs(y) > r for y in b.im):
            return f"box {k}: a non-real point within r of the real space"
        if not kz.krawczyk(system, b.re, b.im, r, bits):
            return f"box {k}: Krawczyk K(X) ⊄ int X"
    pair = disjoint(boxes, r)
    if pair is not None:
        return f"boxes {pair[0]} and {pair[1]} overlap"
    return None


def _rational(v, b: int) -> list[Fraction]:
    return [Fraction(int(round(float(x) * 2 ** b)), 2 ** b) for x in v]


def _invertible(M) -> bool:
    n = len(M)
    return flint.fmpq_mat(n, n, [flint.fmpq(x.numerator, x.denominator) for row in M for x in row]).rank() == n


def classify_real(system, box: Box, r: Fraction, bits: int) -> bool:
    """Attach a certified ``congruence`` (H ≻ 0 on the box) or ``direction`` (vᵀHv < 0 on it); False if neither."""
    H = kz.hessian_on_box(system, box.re, r, bits)
    n = H.nrows()
    mid = np.array([[float(H[i, j].mid()) for j in range(n)] for i in range(n)])
    if not np.all(np.isfinite(mid)):
        return False
    w, V = np.linalg.eigh((mid + mid.T) / 2)
    for b in RATIONAL_BITS:
        if w[0] > 0:
            M = [_rational(V[:, i], b) for i in range(n)]
            if _invertible(M) and kz.positive_definite_on_box(H, M, bits):
                box.congruence = M
                return True
        else:
            v = _rational(V[:, 0], b)
            if kz.negative_direction_on_box(H, v, bits):
                box.direction = v
                return True
    return False


def radius_bits_for(points, start: int = 32) -> int:
    """The smallest ρ ≥ start with r = 2^−ρ below a quarter of the smallest gap between points and below half of
    every non-real point's largest |im| (floats: the exact checks come later)."""
    Z = _as_complex(points)
    gap = np.inf
    for lo in range(0, len(Z), CHUNK):
        dist = np.abs(Z[lo:lo + CHUNK, None, :] - Z[None, :, :]).max(axis=2)
        for k in range(dist.shape[0]):
            dist[k, lo + k] = np.inf
        gap = min(gap, float(dist.min()))
    ims = [np.abs(Z[a].imag).max() for a, (_, real) in enumerate(points) if not real]
    limit = min([gap / 4] + [m / 2 for m in ims] + [1.0])
    rho = start
    while 2.0 ** -rho >= limit and rho < 4096:
        rho *= 2
    return rho
