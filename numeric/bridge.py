"""From a numeric candidate to a rational point the exact layer can certify (``spurious classify``).

A float critical point is almost never exactly critical once rounded. :func:`rationalise` refines it in float64
(Levenberg–Marquardt on ∇L = 0), then tries, in order, the snapping strategies of :mod:`numeric.snap` —
every coordinate already rational (``snapped-rational``), block by block with the last block solved exactly
(``layer-snap``), coordinate by coordinate with repair (``repaired-manifold``) — and keeps the first point
that :func:`numeric.export.exact_criticality` finds EXACTLY critical within the reach 10·move_tol·(1 + ‖θ‖∞) of
the float candidate (an exactly critical point farther away is another critical point: for
L(w) = ½(w³ − 3w − 3)² a solve from w ≈ 2.1038, the global minimum, could land on the local maximum w = 1).
Failing all three (an isolated
irrational critical point, e.g. w₁ = w₂ = √(3/2)), it refines in multiple precision (``mp-refined``: close to
a critical point, not on it, so ``exactly_critical`` is NO) or just rounds (``rounded``).

It returns an :class:`numeric.export.Export`: the point, the route, the exact criticality with its reason,
‖∇L‖∞ and the exact loss. A point is never handed back as critical unless ∇L = 0 was checked in Fractions;
for a kind without a ring loss (relu-teacher) the answer is UNKNOWN and ‖∇L‖∞ comes from mpmath (evidence).

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> e = rationalise(DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(1),),)), [0.5002, 1.9991])
>>> e.exactly_critical.value, e.point[0] * e.point[1]
('yes', Fraction(1, 1))

:func:`export_candidates` writes the exactly critical ones as point files (``spurious search --export-dir``).
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
from verify.verdict import PointClass

from .export import Criticality, ExactGradient, Export, Route, exact_criticality, safe_float
from .hessian import hessians
from .losses import BatchedLoss, make_loss
from .mp_gradient import loss_and_grad
from .optimizers import NEWTON_MAX_PARAMS, newton
from .snap import coordinate_snap, layer_snap, snap_all


def _judge(problem: Problem, q: list[Fraction], digits: int) -> tuple[ExactGradient, float, float, bool]:
    """(exact verdict, ‖∇L‖∞, L as a float, acceptable?). Acceptable: YES exactly, or — only when exactness is
    UNKNOWN — an mpmath residual ≤ 10^(15 − digits) (evidence, for kinds without a ring loss)."""
    ex = exact_criticality(problem, q)
    if ex.criticality is not Criticality.UNKNOWN:
        return ex, ex.grad_inf, safe_float(ex.loss), ex.criticality is Criticality.YES
    L, g = loss_and_grad(problem, q, digits=digits)
    gn = max((abs(v) for v in g), default=mpmath.mpf(0))
    return ex, float(gn), float(L), gn <= mpmath.mpf(10) ** (15 - digits)


def rationalise(problem: Problem, point, *, max_den: int = 10 ** 6, move_tol: float = 1e-2,
                refine: bool = True, mp_digits: int = 60, mp_refine: bool = True) -> Export:
    """A rational point near ``point``, exactly critical when a snapping route succeeds (module docstring).

    ``move_tol``: the largest relative move of one coordinate by a snap; ``max_den``: the denominator bound of
    the final rounding; ``mp_digits``: precision of the multiple-precision refinement and residuals.
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
    reach = 10 * move_tol * (1 + float(x.abs().max()))

    def export(q, route, snapped):
        ex, gn, L, ok = _judge(problem, q, mp_digits)
        dist = max((abs(safe_float(a) - b) for a, b in zip(q, x0.tolist())), default=0.0)
        # a point beyond the reach is some other critical point: the next route is tried instead
        return Export(tuple(q), route, ex.criticality, gn, ex.reason, ex.loss, L, dist, snapped), ok and dist <= reach

    q = snap_all(x)
    if q is not None:
        got, ok = export(q, Route.SNAPPED_RATIONAL, n)
        if ok:
            return got
    if dense:
        q = layer_snap(problem, loss, x, x0, move_tol=move_tol, reach=reach)
        if q is not None:
            got, ok = export(q, Route.LAYER_SNAP, n)
            if ok:
                return got
        fixed, xr, _ = coordinate_snap(loss, x, x0, move_tol=move_tol, reach=reach)
        q = [fixed[i] if i in fixed else Fraction(float(xr[i])).limit_denominator(max_den) for i in range(n)]
        got, ok = export(q, Route.REPAIRED_MANIFOLD, len(fixed))
        if ok:
            return got
        if mp_refine:
            xs = _mp_refine(problem, loss, xr, fixed, mp_digits)
            q = [fixed[i] if i in fixed else _mpf_fraction(xs[i]).limit_denominator(10 ** (mp_digits // 3))
                 for i in range(n)]
            return export(q, Route.MP_REFINED, len(fixed))[0]
        return got
    q = [Fraction(float(v)).limit_denominator(max_den) for v in x.tolist()]
    return export(q, Route.ROUNDED, 0)[0]


def _mp_refine(problem: Problem, loss: BatchedLoss, x: torch.Tensor, fixed: dict, digits: int,
               iters: int = 12) -> list:
    """Gauss–Newton on ∇L = 0 over the free coordinates, with ∇L in mpmath at ``digits`` digits and the
    float64 Hessian's free columns (pseudo-inverse) as the Jacobian; a step is kept only if ‖∇L‖ falls."""
    n = x.numel()
    free = torch.tensor([i not in fixed for i in range(n)])
    J = hessians(loss, x[None])[0][:, free]
    Jp = torch.linalg.pinv(J, rtol=1e-9).tolist()
    free_idx = [i for i in range(n) if i not in fixed]
    with mpmath.workdps(digits):
        xs = [mpmath.mpf(fixed[i].numerator) / fixed[i].denominator if i in fixed else mpmath.mpf(float(v))
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
    """Write ``candidate-NNN.json`` point files (``{"params": ["p/q", …]}``) and the manifest ``candidates.json``.

    Candidates are taken in order until ``limit`` files are written. Each one is rationalised; it is SKIPPED
    (no file; the entry says why) when its rational point is not exactly critical (``exactly_critical`` NO),
    or when an earlier export has the same exact loss (L(θ) in Fractions; 12 digits when the loss has no ring
    form) and the same symmetry fingerprint (:meth:`numeric.losses.Lowering.fingerprint`: hidden-unit
    permutations, the end-to-end product of a deep linear net): one point per loss level and orbit, whatever
    numeric classes the search gave the candidates (two classes at one point are one point).
    Returns one entry per candidate considered (``file`` None when skipped); the manifest file holds them
    with a summary of the counts. ``rationalise_points=False`` only rounds (``limit_denominator(10**6)``).
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError("--export-dir", f"cannot create {str(out_dir)!r}: {e.strerror or e}") from None
    loss = make_loss(problem, device="cpu")
    entries: list[dict] = []
    kept: list[tuple] = []
    written = 0
    for c in candidates:
        if written >= limit:
            break
        if rationalise_points:
            ex = rationalise(problem, c["params"])
        else:
            q = [Fraction(v).limit_denominator(10 ** 6) for v in c["params"]]
            jg, gn, L, _ = _judge(problem, q, 60)
            ex = Export(tuple(q), Route.ROUNDED, jg.criticality, gn, jg.reason, jg.loss, L, 0.0)
        entry = {"id": c["id"], "file": None, "numeric_class": PointClass(c["class"]).value, "loss": c["loss"],
                 "rationalisation": ex.to_json()}
        entries.append(entry)
        if ex.exactly_critical is Criticality.NO:
            entry["skipped"] = f"not exactly critical at the rational point ({ex.route.value}: {ex.reason})"
            continue
        key = ex.loss if ex.loss is not None else round(ex.loss_float, 12)
        fp = loss.fingerprint(torch.tensor([[float(v) for v in ex.point]], dtype=torch.float64))[0]
        dup = next((i for k, f, i in kept if k == key and torch.allclose(f, fp, rtol=1e-9, atol=1e-12)), None)
        if dup is not None:
            entry["skipped"] = f"duplicate of candidate {dup}: same exact loss and symmetry orbit"
            continue
        kept.append((key, fp, c["id"]))
        name = f"candidate-{c['id']:03d}.json"
        path = out / name
        _write(path, json.dumps(point_to_json(problem, list(ex.point))) + "\n")
        entry.update({"file": name, "certify": f"spurious classify PROBLEM --point {path} --json"})
        c["point_file"] = str(path)
        written += 1
    skipped = [e for e in entries if e["file"] is None]
    summary = {"considered": len(entries), "exported": written,
               "skipped_not_critical": sum(1 for e in skipped if e["skipped"].startswith("not exactly")),
               "skipped_duplicate": sum(1 for e in skipped if e["skipped"].startswith("duplicate"))}
    _write(out / "candidates.json", json.dumps({"summary": summary, "candidates": entries}, indent=1) + "\n")
    return entries


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise InputError("--export-dir", f"cannot write {str(path)!r}: {e.strerror or e}") from None
