"""Numeric evidence over families of random deep linear instances, any loss (Lu & Kawaguchi 2017 at scale).

:func:`random_instance` draws one exact instance; :func:`losses_evidence` runs the batched multi-start search
(:func:`numeric.search.search`) on each instance of a family and maps every minimum it finds to the shallow
problem (:func:`numeric.shallow.shallow_check`). Per instance it returns the starts, the runs per class, the runs
that ended where L still falls (:mod:`numeric.escape`), the spurious-local-minimum candidates and the shallow
status of every distinct minimum: the numbers a ``no-spurious-local-min`` or ``depth-adds-no-bad-minima``
verdict of status ``evidence`` cites. Nothing here is a proof, and a family with no spurious candidate says
nothing about the instances it did not draw.

Instances (exact rationals: X has entries k/2, |k| ≤ 6; samples are columns):

* ``separable=True`` — the targets come from a teacher R₀ = a product of random matrices of the given widths
  (rank ≤ r): Y = R₀X for the regression losses (the fit can be exact, min L = 0), Y = sign(R₀X) for logistic,
  one-hot argmax(R₀X) for cross-entropy (columns with a zero margin or a tie are redrawn). For logistic and
  cross-entropy the infimum 0 is then approached only at infinity: there is NO minimiser.
* ``separable=False`` — random targets, and for logistic / cross-entropy the first d_x + 1 samples are a
  positively spanning set (z_1, …, z_d independent, z_{d+1} = −Σ c_i z_i with c_i ∈ {1, 2}) labelled +1 on every
  output (logistic) or class 0 (cross-entropy). Then for every direction D ≠ 0 of R some sample's loss grows
  linearly along R + tD (for cross-entropy: unless D X's columns are constant over classes, a flat direction),
  so ℓ(R X, Y) is coercive (modulo flat directions) and minima exist, for the shallow and the deep problem alike.

>>> from verify.problems.losses import Loss
>>> p = random_instance((2, 3, 2), Loss(name="logistic"), seed=1, separable=False)
>>> p.widths, len(p.X[0]), sorted({y for row in p.Y for y in row})
((2, 3, 2), 11, [Fraction(-1, 1), Fraction(1, 1)])
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from verify.errors import InputError
from verify.problems import DeepLinear
from verify.problems.losses import Loss
from verify.verdict import PointClass

from .search import SearchConfig, search
from .shallow import ShallowCheck, ShallowStatus, shallow_check

MINIMA = frozenset({PointClass.LOCAL_MIN, PointClass.GLOBAL_MIN, PointClass.SPURIOUS_LOCAL_MIN})


def _matrix(rng: random.Random, rows: int, cols: int, k: int = 6) -> list[list[Fraction]]:
    return [[Fraction(rng.randint(-k, k), 2) for _ in range(cols)] for _ in range(rows)]


def _matmul(A, B):
    return [[sum((a * b for a, b in zip(row, col)), Fraction(0)) for col in zip(*B)] for row in A]


def _teacher(rng: random.Random, widths) -> list[list[Fraction]]:
    R = _matrix(rng, widths[1], widths[0], 2)
    for i in range(2, len(widths)):
        R = _matmul(_matrix(rng, widths[i], widths[i - 1], 2), R)
    return R


def _spanning_block(rng: random.Random, d: int) -> list[list[Fraction]]:
    """d + 1 columns (as rows of a d × (d+1) matrix) whose cone is R^d: z_i = P(upper-triangular, non-zero
    diagonal) e_i, and z_{d+1} = −Σ c_i z_i, c_i ∈ {1, 2}."""
    perm = list(range(d))
    rng.shuffle(perm)
    Z = [[Fraction(0)] * d for _ in range(d)]          # Z[row][col], column i is z_i
    for i in range(d):
        for j in range(i + 1):
            v = rng.choice([-2, -1, 1, 2]) if j == i else rng.randint(-2, 2)
            Z[perm[j]][i] = Fraction(v, 2)
    cs = [rng.choice([1, 2]) for _ in range(d)]
    return [row + [-sum((c * z for c, z in zip(cs, row)), Fraction(0))] for row in Z]


def random_instance(widths, loss: Loss, seed: int, separable: bool, samples: int | None = None) -> DeepLinear:
    """One random exact deep linear instance with data term ``loss`` (module docstring); ``samples`` columns
    (default 3·(d_x + 1) + d_y)."""
    widths = tuple(widths)
    if len(widths) < 2 or any(not isinstance(w, int) or w < 1 for w in widths):
        raise InputError("widths", f"{widths!r} must be ≥ 2 positive integers [d_x, ..., d_y]")
    dx, dy = widths[0], widths[-1]
    m = samples if samples is not None else 3 * (dx + 1) + dy
    if not isinstance(m, int) or m < dx + 2:
        raise InputError("samples", f"{m!r} must be an integer ≥ d_x + 2 = {dx + 2}")
    if loss.name == "cross-entropy" and dy < 2:
        raise InputError("widths", "the cross-entropy loss needs d_y ≥ 2 classes")
    rng = random.Random(f"{seed}:{widths}:{loss.describe()}:{separable}")
    classify = loss.name in ("logistic", "cross-entropy")
    if separable:
        cols, labels, tries = [], [], 0
        while len(cols) < m:
            if tries % (20 * m) == 0:                         # (re)draw the teacher: it may have a zero row or ties
                R0, cols, labels = _teacher(rng, widths), [], []
            tries += 1
            x = [Fraction(rng.randint(-6, 6), 2) for _ in range(dx)]
            o = [sum((a * b for a, b in zip(row, x)), Fraction(0)) for row in R0]
            if classify and (0 in o if loss.name == "logistic" else sorted(o)[-1] == sorted(o)[-2]):
                continue                                      # a zero margin or a tie: not strictly separable
            cols.append(x)
            labels.append(_label(loss, o))
        X = [list(r) for r in zip(*cols)]
        Y = [list(r) for r in zip(*labels)]
    else:
        X = _matrix(rng, dx, m)
        if classify:
            X = [row[: m - dx - 1] + blk for row, blk in zip(X, _spanning_block(rng, dx))]
            Y = [[Fraction(rng.choice([-1, 1])) for _ in range(m)] for _ in range(dy)] if loss.name == "logistic" \
                else [list(r) for r in zip(*[_one_hot(rng.randrange(dy), dy) for _ in range(m)])]
            for j in range(m - dx - 1, m):                    # the block: label +1 / class 0
                for i in range(dy):
                    Y[i][j] = Fraction(1) if loss.name == "logistic" else Fraction(int(i == 0))
        else:
            Y = _matrix(rng, dy, m)
    return DeepLinear(widths=widths, X=tuple(map(tuple, X)), Y=tuple(map(tuple, Y)), loss=loss)


def _one_hot(k: int, d: int) -> list[Fraction]:
    return [Fraction(int(i == k)) for i in range(d)]


def _label(loss: Loss, o: list[Fraction]) -> list[Fraction]:
    if loss.name == "logistic":
        return [Fraction(1 if v > 0 else -1) for v in o]
    if loss.name == "cross-entropy":
        return _one_hot(max(range(len(o)), key=o.__getitem__), len(o))
    return list(o)


@dataclass
class InstanceEvidence:
    """One instance of the family: the search's counts and the shallow status of each distinct minimum."""

    seed: int
    problem: DeepLinear
    separable: bool
    starts: int
    runs: int
    by_class: dict[PointClass, int]           # runs per class
    not_attained: int                         # runs ending where L still falls (counted inside UNKNOWN too)
    spurious: list[dict]                      # spurious-local-min candidates: loss, witness loss, params
    shallow: list[ShallowCheck] = field(default_factory=list)   # one per distinct minimum (LOCAL/GLOBAL/SPURIOUS)
    seconds: float = 0.0
    stopped_at_limit: bool = False

    @property
    def shallow_counts(self) -> dict[ShallowStatus, int]:
        return dict(Counter(s.status for s in self.shallow))

    def to_json(self) -> dict:
        return {"seed": self.seed, "problem": self.problem.to_json(), "separable": self.separable,
                "starts": self.starts, "runs": self.runs, "by_class": {k.value: v for k, v in self.by_class.items()},
                "not_attained": self.not_attained, "spurious": self.spurious,
                "shallow": {k.value: v for k, v in self.shallow_counts.items()},
                "shallow_checks": [s.to_json() for s in self.shallow], "seconds": self.seconds,
                "stopped_at_time_limit": self.stopped_at_limit}


def instance_evidence(problem: DeepLinear, *, seed: int = 0, separable: bool = False, starts: int = 200,
                      config: SearchConfig | None = None, shallow: bool = True, device=None) -> InstanceEvidence:
    """Search one instance (``starts`` batched starts; ``config`` overrides the search's knobs) and map its
    distinct minima to the shallow problem (when ``shallow`` and the problem is unregularised)."""
    t0 = time.perf_counter()
    cfg = config or SearchConfig(method="adam")
    res = search(problem, cfg, device=device, starts=starts, seed=seed)
    spurious = [{"loss": c["loss"], "witness": c.get("witness"), "params": c["params"], "count": c["count"]}
                for c in res.candidates if c["class"] is PointClass.SPURIOUS_LOCAL_MIN]
    checks = [shallow_check(problem, c["params"], cfg.bands) for c in res.candidates
              if c["class"] in MINIMA] if shallow and problem.unregularised else []
    return InstanceEvidence(seed, problem, separable, starts, len(res.classes),
                            dict(Counter(c.cls for c in res.classes)), res.not_attained["runs"], spurious, checks,
                            time.perf_counter() - t0, res.stopped_at_limit)


def losses_evidence(widths, loss: Loss, seeds, *, separable: bool = False, samples: int | None = None,
                    starts: int = 200, config: SearchConfig | None = None, shallow: bool = True,
                    device=None) -> list[InstanceEvidence]:
    """:func:`instance_evidence` for :func:`random_instance` (widths, loss, seed, separable) of every seed.

    >>> ev = losses_evidence((1, 1, 1), Loss(name="power", power=4), seeds=[0], starts=8)   # doctest: +SKIP
    >>> ev[0].by_class, ev[0].spurious, ev[0].shallow_counts                                # doctest: +SKIP
    """
    return [instance_evidence(random_instance(widths, loss, seed, separable, samples), seed=seed,
                              separable=separable, starts=starts, config=config, shallow=shallow, device=device)
            for seed in seeds]
