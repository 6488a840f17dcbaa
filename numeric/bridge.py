"""From a numeric candidate to a rational point that the exact layer can certify (``spurious classify``).

A float critical point is almost never exactly critical once rounded. :func:`rationalise` does better:

1. **refine** in float64: Levenberg–Marquardt on ∇L = 0 (:func:`numeric.optimizers.newton`);
2. **snap and repair**: coordinates that already are small-denominator rationals (to 1e-11 relative) are
   fixed; otherwise one free coordinate is moved to a nearby rational with a small denominator (by at most
   ``move_tol``) and the remaining free coordinates are repaired by Gauss–Newton on the full gradient system
   ∇L(θ) = 0 (Jacobian: the Hessian's free columns, minimum-norm steps). On a manifold of critical points
   (deep linear nets, homogeneous activations) this walks to a point whose coordinates are all rational and
   which is exactly critical when the remaining equations are linear in the last free coordinates;
   e.g. w₁w₂w₃ = 1 → (1, 9/10, 10/9);
3. otherwise (an isolated irrational critical point) optionally **refine in multiple precision**: iterative
   refinement θ ← θ − H⁺∇L_mp(θ) with the gradient in mpmath (:mod:`numeric.mp_gradient`) and the float64
   Hessian, then Fraction.limit_denominator — close to a critical point, not on it;
4. **report** ‖∇L‖∞ at the rational point at 60 digits (evidence; the exact verdict is ``classify``'s).

:func:`export_candidates` writes point files ``{"params": ["p/q", …]}`` and a manifest.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import mpmath
import torch

from verify.errors import InputError
from verify.problems import Problem
from verify.problems.files import point_to_json
from verify.problems.numbers import fraction_str

from .hessian import hessians
from .losses import BatchedLoss, make_loss, value_and_grad
from .mp_gradient import loss_and_grad
from .optimizers import NEWTON_MAX_PARAMS, newton

LADDER = (1, 2, 3, 4, 5, 8, 10, 16, 20, 32, 64, 100, 128, 256, 1000, 1024)


def _grad(loss: BatchedLoss, x: torch.Tensor) -> torch.Tensor:
    return value_and_grad(loss, x[None])[1][0]


def _repair(loss: BatchedLoss, x: torch.Tensor, free: torch.Tensor, iters: int = 40, tol: float = 1e-13):
    """Gauss–Newton on ∇L(θ) = 0 over the free coordinates; returns (θ, ‖∇L‖∞)."""
    x = x.clone()
    g = _grad(loss, x)
    for _ in range(iters):
        gn = float(g.abs().max())
        if gn <= tol or not bool(free.any()):
            break
        H = hessians(loss, x[None])[0]
        J = H[:, free]
        step = torch.linalg.lstsq(J, -g[:, None], rcond=None, driver="gelsd").solution[:, 0]
        x2 = x.clone()
        x2[free] += step
        g2 = _grad(loss, x2)
        if not bool(torch.isfinite(g2).all()) or float(g2.abs().max()) >= gn:
            break
        x, g = x2, g2
    return x, float(g.abs().max())


def _near_rational(v: float, max_den: int, rtol: float) -> Fraction | None:
    """The rational with the smallest denominator in LADDER (≤ max_den) within rtol·(1 + |v|) of v, if any."""
    for D in LADDER:
        if D > max_den:
            break
        r = Fraction(v).limit_denominator(D)
        if abs(float(r) - v) <= rtol * (1 + abs(v)):
            return r
    return None


def rationalise(problem: Problem, point, *, max_den: int = 10 ** 6, move_tol: float = 1e-2,
                refine: bool = True, mp_digits: int = 60, mp_refine: bool = True) -> tuple[list[Fraction], dict]:
    """A rational point near ``point`` that is, when the snap-and-repair succeeds, exactly critical.

    Returns (Fractions in canonical order, report); the report gives ``gradient_max_abs`` at the rational point
    (mpmath, ``mp_digits`` digits; about 1e-(mp_digits) or 0 means "exactly critical, as far as 60 digits
    see"), the distance moved, how many coordinates were snapped, and ``route``.
    """
    loss = make_loss(problem, device="cpu")
    x = torch.tensor([float(v) for v in point], dtype=torch.float64)
    if x.numel() != problem.n_params:
        raise InputError("point", f"has {x.numel()} entries; the problem has {problem.n_params} parameters")
    if not bool(torch.isfinite(x).all()):
        raise InputError("point", "has a non-finite entry")
    x0 = x.clone()
    n = x.numel()
    dense = n <= NEWTON_MAX_PARAMS
    if refine and dense:
        x = newton(loss, x[None], mode="critical", steps=60, gtol=1e-15, xtol=1e-15).theta[0]
    fixed: dict[int, Fraction] = {}
    moved = 0
    reach = 10 * move_tol * (1 + float(x.abs().max()))
    while dense and len(fixed) < n:
        free_idx = [i for i in range(n) if i not in fixed]
        snapped = False
        for i in free_idx:
            r = _near_rational(float(x[i]), 1024, 1e-11)  # a random float passes with probability ~1e-5
            if r is not None:
                fixed[i], x[i], snapped = r, float(r), True
        if snapped:
            x, _ = _repair(loss, x, torch.tensor([i not in fixed for i in range(n)]))
            continue
        for i in sorted(free_idx, key=lambda i: abs(float(x[i]))):
            r = _near_rational(float(x[i]), 1024, move_tol)
            if r is None:
                continue
            trial = x.clone()
            trial[i] = float(r)
            trial, gn = _repair(loss, trial, torch.tensor([j not in fixed and j != i for j in range(n)]))
            if gn <= 1e-12 and float((trial - x0).abs().max()) <= reach:
                fixed[i], x, snapped = r, trial, True
                moved += 1
                break
        if not snapped:
            break
    report: dict = {"snapped": len(fixed), "moved": moved, "n_params": n}
    rest = [i for i in range(n) if i not in fixed]
    tiny = mpmath.mpf(10) ** (15 - mp_digits)
    q = None
    if rest:  # the last coordinates may be determined rationals with larger denominators
        trial = {**fixed, **{i: Fraction(float(x[i])).limit_denominator(max_den) for i in rest}}
        qt = [trial[i] for i in range(n)]
        if max(abs(v) for v in loss_and_grad(problem, qt, digits=mp_digits)[1]) <= tiny:
            q, report["route"] = qt, "snap-and-repair"
        elif mp_refine and dense:
            xs = _mp_refine(problem, loss, x, [i in fixed for i in range(n)], fixed, mp_digits)
            q = [fixed[i] if i in fixed else _mpf_fraction(xs[i]).limit_denominator(10 ** (mp_digits // 3))
                 for i in range(n)]
            report["route"] = "multiple-precision Newton (near a critical point, not on it)"
        else:
            q, report["route"] = qt, "rounded (limit_denominator)"
    else:
        q, report["route"] = [fixed[i] for i in range(n)], "snap-and-repair"
    L, g = loss_and_grad(problem, q, digits=mp_digits)
    report.update({"gradient_max_abs": mpmath.nstr(max((abs(v) for v in g), default=mpmath.mpf(0)), 5),
                   "loss": mpmath.nstr(L, 17),
                   "distance": float((torch.tensor([float(v) for v in q], dtype=torch.float64) - x0).abs().max()),
                   "max_denominator": max(v.denominator for v in q) if q else 1})
    return q, report


def _mp_refine(problem: Problem, loss: BatchedLoss, x: torch.Tensor, is_fixed: list, fixed: dict, digits: int,
               iters: int = 12) -> list:
    """Gauss–Newton on ∇L = 0 over the free coordinates, with ∇L in mpmath at ``digits`` digits and the
    float64 Hessian's free columns (pseudo-inverse) as the Jacobian; a step is kept only if ‖∇L‖ falls."""
    free = torch.tensor([not f for f in is_fixed])
    J = hessians(loss, x[None])[0][:, free]
    Jp = torch.linalg.pinv(J, rtol=1e-9).tolist()
    free_idx = [i for i in range(len(is_fixed)) if not is_fixed[i]]
    with mpmath.workdps(digits):
        xs = [mpmath.mpf(fixed[i].numerator) / fixed[i].denominator if is_fixed[i] else mpmath.mpf(float(v))
              for i, v in enumerate(x.tolist())]
        _, g = loss_and_grad(problem, xs, digits=digits)
        gn = max(abs(v) for v in g)
        for _ in range(iters):
            step = [mpmath.fsum(h * b for h, b in zip(row, g)) for row in Jp]
            trial = list(xs)
            for k, i in enumerate(free_idx):
                trial[i] = xs[i] - step[k]
            _, gt = loss_and_grad(problem, trial, digits=digits)
            gtn = max(abs(v) for v in gt)
            if not gtn < gn:
                break
            xs, g, gn = trial, gt, gtn
        return xs


def _mpf_fraction(v) -> Fraction:
    """The exact value man·2^exp of an mpmath number."""
    sign, man, exp, _ = (v if isinstance(v, mpmath.mpf) else mpmath.mpf(v))._mpf_  # no re-rounding
    if not man:
        return Fraction(0)
    return (-1 if sign else 1) * Fraction(int(man)) * Fraction(2) ** int(exp)


def export_candidates(problem: Problem, candidates: list[dict], out_dir: str | Path, *, limit: int = 50,
                      rationalise_points: bool = True) -> list[dict]:
    """Write ``candidate-NNN.json`` point files (``{"params": ["p/q", …]}``) and ``candidates.json`` (a manifest
    with each candidate's numeric class, loss, rationalisation report and the command that certifies it)."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError("--export-dir", f"cannot create {str(out_dir)!r}: {e.strerror or e}") from None
    manifest = []
    for c in candidates[:limit]:
        if rationalise_points:
            q, rep = rationalise(problem, c["params"])
        else:
            q = [Fraction(v).limit_denominator(10 ** 6) for v in c["params"]]
            rep = {"snapped": 0}
        name = f"candidate-{c['id']:03d}.json"
        path = out / name
        try:
            path.write_text(json.dumps(point_to_json(problem, q)) + "\n", encoding="utf-8")
        except OSError as e:
            raise InputError("--export-dir", f"cannot write {str(path)!r}: {e.strerror or e}") from None
        manifest.append({"id": c["id"], "file": name, "numeric_class": c["class"], "loss": c["loss"],
                         "rationalisation": rep, "certify": f"spurious classify PROBLEM --point {path} --json"})
        c["point_file"] = str(path)
    (out / "candidates.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def fractions_to_strings(q) -> list[str]:
    return [fraction_str(Fraction(v)) for v in q]
