"""Multi-start search for critical points, batched over all starts; a summary by class (status ``evidence``).

``search(problem, starts=1000, method="both")`` draws ``starts`` initial points (seeded, reproducible), and runs

* ``adam``: Adam to ‖∇L‖∞ ≤ switch_tol, then saddle-free Newton to machine precision — finds minima;
* ``newton``: Levenberg–Marquardt on ∇L = 0 (gradient-norm minimisation) — finds critical points of every
  index, including degenerate saddles such as the origin of a deep linear net (Kawaguchi 2016);
* ``gd``: heavy-ball gradient descent, then saddle-free Newton;
* ``both``: ``adam`` and ``newton`` from the same initial points;

all of them on the whole (B, N) block at once, dropping starts as they meet the stopping rule
(:mod:`numeric.optimizers`). The end points are classified numerically (:mod:`numeric.classify`) and
de-duplicated up to the problem's symmetries (:func:`signature`): hidden-unit permutations for two-layer nets
and relu-teacher students; for deep linear nets the end-to-end product W_H⋯W_1 and the loss. A local
minimum whose loss exceeds a known global value, or the lowest loss found, by more than the tolerance becomes
a ``spurious-local-min`` candidate with its witness. Runs that end where L still falls (logistic and
cross-entropy on separable data, the infimum approached at infinity: :mod:`numeric.escape`) are ``unknown``
with ``"not_attained": true``, counted apart (:attr:`SearchResult.not_attained`) — never minima.

``time_limit`` (seconds) stops the optimisers between chunks of steps; the points reached so far are classified
and :attr:`SearchResult.stopped_at_limit` says the search did not run to its budget.

Each candidate is a dict (the JSON form) whose ``"class"`` is a :class:`verify.verdict.PointClass`; only
:meth:`SearchResult.to_json` turns it into its string.

Nothing here is a proof: a search that finds no spurious minimum is evidence, and the candidates it finds
can be exported (:mod:`numeric.bridge`) and certified by ``spurious classify``. A search stopped at its time
limit is not even that: the starts it did not finish say nothing.
"""

from __future__ import annotations

import math
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import torch

from verify.errors import InputError
from verify.problems import Problem
from verify.verdict import PointClass, Status, Trust

from .classify import Bands, NumericPoint, classify_points
from .losses import BatchedLoss, make_loss
from .methods import METHODS
from .optimizers import NEWTON_MAX_PARAMS, first_order, newton


@dataclass(frozen=True)
class SearchConfig:
    """Knobs of :func:`search`; every field is validated by :meth:`check`."""

    starts: int = 1000
    method: str = "both"
    seed: int = 0
    steps: int = 5000                # first-order step budget per start
    newton_steps: int = 200          # Newton iteration budget per start
    lr: float | None = None          # None: 1e-2 for Adam, 1e-2 for GD
    init_scale: float | None = None  # None: entries N(0, 1/fan_in) per matrix
    switch_tol: float = 1e-4         # first-order → Newton polish when ‖∇L‖∞ ≤ switch_tol
    gtol: float = 1e-11
    xtol: float = 1e-9
    dedup_tol: float = 1e-6
    bands: Bands = field(default_factory=Bands)
    progress: bool = False
    max_examples: int = 3
    initial: tuple | list | None = None   # explicit start points, one row of N numbers per start (``--start``)
    time_limit: float | None = None       # seconds; None: no limit (``check --timeout``)

    def check(self, problem: Problem) -> None:
        if not isinstance(self.starts, int) or isinstance(self.starts, bool) or not 1 <= self.starts <= 10_000_000:
            raise InputError("--starts", f"{self.starts!r} must be an integer between 1 and 10,000,000")
        if self.method not in METHODS:
            raise InputError("--method", f"{self.method!r} is not one of {', '.join(METHODS)}")
        for name in ("steps", "newton_steps"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 10_000_000:
                raise InputError(f"--{name.replace('_', '-')}", f"{v!r} must be an integer between 0 and 10,000,000")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or not 0 <= self.seed <= 2 ** 63 - 1:
            raise InputError("--seed", f"{self.seed!r} must be an integer between 0 and 2**63 - 1")
        for name in ("lr", "init_scale", "time_limit"):
            v = getattr(self, name)
            if v is not None and not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise InputError(f"--{name.replace('_', '-')}", f"{v!r} must be a positive finite number")
        if self.initial is not None:
            rows = self.initial
            if not isinstance(rows, (list, tuple)) or len(rows) != self.starts:
                raise InputError("--start", f"{self.starts} starts need {self.starts} initial points, got "
                                 f"{len(rows) if isinstance(rows, (list, tuple)) else type(rows).__name__}")
            for i, row in enumerate(rows):
                if not isinstance(row, (list, tuple)) or len(row) != problem.n_params:
                    raise InputError(f"--start[{i}]", f"must have the problem's {problem.n_params} parameters")
                if not all(math.isfinite(float(v)) for v in row):
                    raise InputError(f"--start[{i}]", "has a non-finite entry")
        if self.method in ("newton", "both") and problem.n_params > NEWTON_MAX_PARAMS:
            raise InputError("--method", f"{self.method!r} needs dense Hessians; this problem has {problem.n_params} "
                             f"parameters (limit {NEWTON_MAX_PARAMS}); use --method adam or gd")


def initial_points(loss: BatchedLoss, starts: int, seed: int, init_scale: float | None = None) -> torch.Tensor:
    """(starts, N) initial points: each matrix's entries N(0, s²), s = init_scale or 1/√(fan_in) (Safran &
    Shamir's N(0, 1/n) for relu-teacher). Drawn on the CPU from ``seed``, so identical on every device."""
    gen = torch.Generator(device="cpu").manual_seed(seed)
    cols = []
    for _, r, c in loss.shapes:
        s = init_scale if init_scale is not None else 1 / math.sqrt(c)
        cols.append(torch.randn(starts, r * c, generator=gen, dtype=torch.float64) * s)
    return torch.cat(cols, dim=1).to(device=loss.device, dtype=loss.dtype)


def signature(loss: BatchedLoss, theta: torch.Tensor, values: torch.Tensor) -> torch.Tensor:
    """(B, d) symmetry-invariant fingerprints: points with equal fingerprints are the same up to symmetry.

    (L, the lowering's fingerprint): deep linear W_H⋯W_1; two-layer the hidden units (w_i, u_i) sorted
    lexicographically; relu-teacher the rows w_i sorted — invariant under hidden-unit permutations
    (:meth:`numeric.losses.Lowering.fingerprint`).
    """
    return torch.cat([values[:, None], loss.fingerprint(theta)], dim=1)


@dataclass
class SearchResult:
    """Summary of a search: per-class counts, de-duplicated candidates, the configuration. Status: evidence."""

    problem: Problem
    config: SearchConfig
    points: torch.Tensor                       # (R, N) end points of every run
    classes: list[NumericPoint]                # one per run
    run_method: list[str]                      # one per run
    converged: torch.Tensor                    # (R,) stopping rule met
    candidates: list[dict]
    device: str
    status: Status = Status.EVIDENCE
    stopped_at_limit: bool = False             # the time limit stopped the optimisers before their budget

    @property
    def by_class(self) -> dict:
        """Per class (keyed by its JSON string): runs, distinct candidates, loss range and distinct loss levels."""
        members: dict[PointClass, list[dict]] = {}
        for c in self.candidates:
            members.setdefault(c["class"], []).append(c)
        out: dict = {}
        for cls, cs in members.items():
            losses = sorted(c["loss"] for c in cs)   # distinct values: points related by symmetries outside the
            out[cls.value] = {                        # signature (e.g. the teacher's) share one
                "runs": sum(c["count"] for c in cs), "distinct": len(cs), "loss_min": losses[0],
                "loss_max": losses[-1],
                "loss_levels": 1 + sum(1 for a, b in zip(losses, losses[1:])
                                       if b - a > self.config.dedup_tol * (1 + abs(a)))}
        return out

    @property
    def not_attained(self) -> dict:
        """The runs that ended where L still falls (:mod:`numeric.escape`: logistic / cross-entropy, the infimum
        approached at infinity): class ``unknown``, counted here apart — never a minimum of any kind."""
        losses = [c.loss for c in self.classes if c.details.get("not_attained")]
        return {"runs": len(losses), "loss_min": min(losses, default=None)}

    def to_json(self, with_points: bool = True) -> dict:
        cands = [{**{k: v for k, v in c.items() if with_points or k != "params"}, "class": c["class"].value}
                 for c in self.candidates]
        return {"status": self.status.value, "trust": Trust.NUMERIC.value, "starts": self.config.starts,
                "method": self.config.method, "seed": self.config.seed, "runs": len(self.classes),
                "converged": int(self.converged.sum()), "by_class": self.by_class, "not_attained": self.not_attained,
                "by_method": {m: dict(Counter(c.cls.value for c, mm in zip(self.classes, self.run_method) if mm == m))
                              for m in sorted(set(self.run_method))},
                "candidates": cands, "bands": self.config.bands.to_json(), "backend": "numeric",
                "device": self.device, "dtype": "float64", "stopped_at_time_limit": self.stopped_at_limit,
                "note": "numeric evidence only: classes are candidates; certify one with `spurious classify`"
                + ("; the search stopped at its time limit, before every start had run" if self.stopped_at_limit
                   else "")}


class _Progress:
    """rich progress on stderr (or nothing)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(file=sys.stderr), transient=True)
            self.bar.__enter__()
        return self

    def phase(self, name: str, total: int):
        if self.bar is None:
            return None
        task = self.bar.add_task(name, total=total)
        return lambda done, active: self.bar.update(task, completed=done, description=f"{name} ({active} active)")

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _run(loss: BatchedLoss, theta0: torch.Tensor, method: str, cfg: SearchConfig, prog: _Progress,
         deadline: float | None = None):
    dense = loss.n_params <= NEWTON_MAX_PARAMS
    if method == "newton":
        return newton(loss, theta0, mode="critical", steps=cfg.newton_steps, gtol=cfg.gtol, xtol=cfg.xtol,
                      on_progress=prog.phase("newton (LM on ∇L = 0)", cfg.newton_steps), deadline=deadline)
    lr = cfg.lr if cfg.lr is not None else 1e-2
    first = first_order(loss, theta0, method=method, steps=cfg.steps, lr=lr,
                        tol=cfg.switch_tol if dense else cfg.gtol,
                        on_progress=prog.phase(f"{method}", cfg.steps), deadline=deadline)
    if not dense or first.timed_out:
        return first
    pol = newton(loss, first.theta, mode="min", steps=cfg.newton_steps, gtol=cfg.gtol, xtol=cfg.xtol,
                 on_progress=prog.phase("saddle-free Newton polish", cfg.newton_steps), deadline=deadline)
    pol.steps = pol.steps + first.steps
    return pol


def search(problem: Problem, config: SearchConfig | None = None, device=None, **kw) -> SearchResult:
    """Run the multi-start search (see the module docstring); keyword arguments override ``config`` fields."""
    cfg = config or SearchConfig()
    if kw:
        cfg = SearchConfig(**{**cfg.__dict__, **kw})
    cfg.check(problem)
    loss = make_loss(problem, device=device)
    if cfg.initial is not None:
        theta0 = torch.tensor([[float(v) for v in row] for row in cfg.initial], dtype=loss.dtype, device=loss.device)
    else:
        theta0 = initial_points(loss, cfg.starts, cfg.seed, cfg.init_scale)
    methods = ["adam", "newton"] if cfg.method == "both" else [cfg.method]
    deadline = None if cfg.time_limit is None else time.monotonic() + cfg.time_limit
    ends, conv, tags = [], [], []
    stopped = False
    with _Progress(cfg.progress) as prog:
        for m in methods:
            st = _run(loss, theta0, m, cfg, prog, deadline)
            ends.append(st.theta)
            conv.append(st.converged)
            tags += [m] * cfg.starts
            if st.timed_out:          # the next method would not run either
                stopped = True
                break
    points = torch.cat(ends)
    converged = torch.cat(conv)
    classes = classify_points(loss, points, cfg.bands)
    candidates = _summarise(loss, points, classes, tags, cfg)
    return SearchResult(problem, cfg, points, classes, tags, converged, candidates, str(loss.device),
                        stopped_at_limit=stopped)


def _summarise(loss: BatchedLoss, points, classes: list[NumericPoint], tags, cfg: SearchConfig) -> list[dict]:
    values = torch.tensor([c.loss for c in classes], dtype=points.dtype, device=points.device)
    sig = signature(loss, points, values).cpu()
    glob = loss.global_value()
    critical = [i for i, c in enumerate(classes) if c.cls is not PointClass.NOT_CRITICAL]
    best = min(critical, key=lambda i: classes[i].loss, default=None)
    groups: dict[tuple[PointClass, bool], list[list[int]]] = {}
    kinds = {(c.cls, bool(c.details.get("not_attained"))) for c in classes}
    for cls, away in sorted(kinds, key=lambda k: (k[0].value, k[1])):
        idx = [i for i, c in enumerate(classes) if c.cls is cls and bool(c.details.get("not_attained")) == away]
        idx.sort(key=lambda i: (classes[i].loss, classes[i].grad_norm))
        S = sig[idx]
        left = torch.ones(len(idx), dtype=torch.bool)
        for a in range(len(idx)):
            if not left[a]:
                continue
            scale = 1 + S[a].abs()
            same = left & ((S - S[a]).abs() <= cfg.dedup_tol * scale).all(1)
            members = [idx[j] for j in torch.nonzero(same).flatten().tolist()]
            left &= ~same
            groups.setdefault((cls, away), []).append(members)
    out = []
    tol = cfg.bands.loss_tol
    for gs in groups.values():
        for members in gs:
            rep = min(members, key=lambda i: (classes[i].grad_norm, float(points[i].abs().max())))
            c = classes[rep]
            entry = {"id": len(out), "class": c.cls, "status": Status.EVIDENCE.value, "loss": c.loss,
                     "grad_norm": c.grad_norm, "count": len(members),
                     "methods": dict(Counter(tags[i] for i in members)), "lambda_min": c.lam_min,
                     "lambda_max": c.lam_max,
                     "hessian_inertia": list(c.inertia) if c.inertia else None, "reason": c.reason}
            if c.details.get("not_attained"):
                entry["not_attained"] = True
            if c.cls is PointClass.LOCAL_MIN:
                if glob is not None and c.loss > glob + tol * (1 + abs(glob)):
                    entry.update({"class": PointClass.SPURIOUS_LOCAL_MIN,
                                  "witness": {"global_value": glob, "source": "closed form"}})
                elif best is not None and classes[best].loss < c.loss - tol * (1 + abs(c.loss)):
                    entry.update({"class": PointClass.SPURIOUS_LOCAL_MIN,
                                  "witness": {"loss": classes[best].loss, "params": points[best].tolist(),
                                              "source": "lowest critical point found"}})
            entry["params"] = points[rep].tolist()
            entry["start"] = rep % cfg.starts
            out.append(entry)
    out.sort(key=lambda e: (e["loss"], e["class"].value))
    for k, e in enumerate(out):
        e["id"] = k
    return out
