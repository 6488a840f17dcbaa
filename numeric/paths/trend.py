"""Freeman & Bruna 2017's trend, measured: Dynamic String Sampling between minima of one-hidden-layer relu nets of
growing width, at falling levels.

The task (fixed by ``seed``): m = 20 samples x_j ∈ R² with entries drawn from {−2, −1.75, …, 2}, the target
y_j = P(x_j) of one fixed random cubic polynomial P(x) = Σ_{i+k ≤ 3} c_ik x₁ⁱ x₂ᵏ (coefficients c_ik drawn from
{−1, −½, ½, 1}), and for each width p the two-layer net ŷ = U relu(W (x, 1)) (W is p × 3, its last column the
hidden units' biases; U is 1 × p; both trained, no regulariser), L = ½ Σ_j (ŷ_j − y_j)² (Freeman & Bruna's polynomial
regression, Section 4, small). For each width the minima come from :func:`numeric.search.search` (a few dozen
Adam starts with a Newton polish); L_min is the lowest loss found and the spread is L(0) − L_min. At each level

    L0 = L_min + f · (L(0) − L_min),   f ∈ ``fractions`` (falling),

the distinct minima (up to permutations of the hidden units and positive rescalings (c·w_i, u_i/c),
:func:`distinct`) with L ≤ L_min + f/2 · spread are paired (seeded, distinct pairs) and joined by
:func:`connect_pairs` (all levels of one width in one batch). Each row reports the pairs tried, the fraction joined,
the median number of beads and the median normalised geodesic length Σ‖θ_i − θ_{i+1}‖ / ‖θ_a − θ_b‖ over the joined
pairs.
Freeman & Bruna's trend: the length and the bead count grow as L0 falls, the joined fraction rises with width.

The control (:func:`linear_rows`) is a deep linear net without a bottleneck, widths (3, 3, 1) on the same data
(their Theorem 2.2: its sublevel sets are connected): two minima from search, joined at every level with length
close to 1.

What a row does NOT say: a pair "not joined" is ``unknown`` (the greedy string met its budget), not evidence that
the two minima lie in different components of {L ≤ L0}; the figures are numeric, over a handful of pairs.

>>> rows = trend(widths=(4,), fractions=(0.1,), pairs=2, starts=8, seed=0)   # doctest: +SKIP
>>> rows[0].width, rows[0].fraction                                           # doctest: +SKIP
(4, 0.1)
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Callable, Sequence

from verify.errors import InputError
from verify.problems import DeepLinear, TwoLayer

from ..figure_file import pyplot, save_png

SAMPLES = 20
WIDTHS = (2, 4, 8, 16, 32)
FRACTIONS = (0.1, 0.01, 0.001)
"""Default levels, as fractions f of the spread L(0) − L_min above L_min (falling)."""


@dataclass(frozen=True)
class TrendRow:
    """One (width, level) cell of the trend; ``joined``/medians are None when no pair could be formed."""

    width: int | str             # hidden width, or "linear" for the deep linear control
    fraction: float              # L0 = L_min + fraction · (L(0) − L_min)
    level: float
    minima: int                  # distinct minima (up to symmetry) eligible at this level (L ≤ L_min + f/2 · spread)
    pairs: int
    joined: float | None         # fraction of the pairs joined below L0
    median_beads: float | None   # over the joined pairs
    median_length: float | None  # normalised geodesic length, over the joined pairs
    seconds: float

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class JoinedString:
    """A pair joined below ``level`` by Dynamic String Sampling: the ends ``a``, ``b`` and the float string ``beads``
    (ends included) — what :func:`verify.certify.sublevel.sublevel_certificate` needs to prove the connection."""

    width: int | str
    fraction: float
    level: float
    problem: object
    a: list
    b: list
    beads: list


def _data(seed: int) -> tuple[tuple, tuple]:
    """X (3 × m: x₁, x₂ and the constant 1) and Y (1 × m) of the polynomial-regression task (module docstring)."""
    rng = random.Random(seed)
    X = tuple(tuple(Fraction(rng.randint(-8, 8), 4) for _ in range(SAMPLES)) for _ in range(2))
    X += ((Fraction(1),) * SAMPLES,)
    coeffs = {(i, k): Fraction(rng.choice((-2, -1, 1, 2)), 2) for i in range(4) for k in range(4 - i)}
    Y = tuple(sum(c * X[0][j] ** i * X[1][j] ** k for (i, k), c in coeffs.items()) for j in range(SAMPLES))
    return X, (Y,)


def polynomial_task(width: int, seed: int = 0) -> TwoLayer:
    """The relu net of hidden width ``width`` on the cubic-regression data of ``seed``."""
    X, Y = _data(seed)
    return TwoLayer(n=3, width=width, activation="relu", X=X, Y=Y, train_output=True)


def linear_task(seed: int = 0) -> DeepLinear:
    """The control: deep linear widths (3, 3, 1) (no bottleneck) on the same data."""
    X, Y = _data(seed)
    return DeepLinear(widths=(3, 3, 1), X=X, Y=Y)


def _minima(problem, starts: int, seed: int, steps: int) -> list[tuple[float, list]]:
    """Distinct minima (loss, params) found by numeric search, lowest first."""
    from numeric.search import search

    found = search(problem, starts=starts, method="adam", seed=seed, steps=steps, newton_steps=30, device="cpu")
    return sorted(((float(c["loss"]), c["params"]) for c in found.candidates), key=lambda t: t[0])


SAME_TOL = 1e-5
"""Minima whose canonical forms (:func:`canonical`) differ by at most this (max-norm) count once."""


def canonical(problem: TwoLayer, theta) -> tuple[float, ...]:
    """θ up to the symmetries of a one-hidden-layer relu net: each unit (w_i, u_i) as (w_i/‖w_i‖, u_i·‖w_i‖) —
    relu(c t) = c relu(t) for c > 0 — a unit with w_i = 0 or u_i = 0 (it adds nothing) as zeros, and the units
    sorted (a permutation of the hidden units is the same function)."""
    p, n = problem.width, problem.n
    dy = len(problem.Y)
    units = []
    for i in range(p):
        w = [float(v) for v in theta[i * n:(i + 1) * n]]
        u = [float(theta[p * n + r * p + i]) for r in range(dy)]
        norm = sum(v * v for v in w) ** 0.5
        if norm <= 1e-12 or all(abs(v) <= 1e-12 for v in u):
            units.append((0.0,) * (n + dy))
        else:
            units.append(tuple(v / norm for v in w) + tuple(v * norm for v in u))
    return tuple(v for unit in sorted(units) for v in unit)


def distinct(problem: TwoLayer, minima: list[tuple[float, list]], tol: float = SAME_TOL) -> list[tuple[float, list]]:
    """The minima (loss, θ), lowest first, with those equal to an earlier one up to unit permutations and positive
    rescalings (:func:`canonical`, within ``tol``) dropped: a pair of such copies would be "joined" by the symmetry
    (or by a string of 0 beads), which says nothing about the landscape's sublevel sets."""
    kept, forms = [], []
    for loss, theta in minima:
        form = canonical(problem, theta)
        if all(max(abs(a - b) for a, b in zip(form, f)) > tol * (1 + max(map(abs, f))) for f in forms):
            kept.append((loss, theta))
            forms.append(form)
    return kept


def _cells(problem, minima, fractions, pairs: int, seed: int, max_beads: int, time_limit: float | None,
           label, strings: list | None = None) -> list[TrendRow]:
    import torch

    from numeric.losses import make_loss
    from numeric.paths import connect_pairs

    zero = float(make_loss(problem, device="cpu")(torch.zeros(1, len(minima[0][1]), dtype=torch.float64))[0])
    low = minima[0][0]
    spread = max(zero - low, 1e-12)
    rng = random.Random(seed)
    jobs, levels, owner, plan = [], [], [], []
    for f in fractions:
        level = low + f * spread
        ok = [p for loss, p in minima if loss <= low + f / 2 * spread]
        combos = [(i, j) for i in range(len(ok)) for j in range(i + 1, len(ok))]
        rng.shuffle(combos)
        chosen = combos[:pairs]
        plan.append((f, level, len(ok), len(chosen)))
        for i, j in chosen:
            jobs.append((ok[i], ok[j]))
            levels.append(level)
            owner.append(f)
    started = time.monotonic()
    results = connect_pairs(problem, jobs, levels, max_beads=max_beads, seed=seed, device="cpu",
                            time_limit=time_limit) if jobs else []
    seconds = time.monotonic() - started
    if strings is not None:
        strings += [JoinedString(label, f, level, problem, a, b, r.beads)
                    for (a, b), level, f, r in zip(jobs, levels, owner, results) if r.connected]
    rows = []
    for f, level, n_ok, n_pairs in plan:
        mine = [r for r, o in zip(results, owner) if o == f]
        won = [r for r in mine if r.connected]
        lengths = [r.geodesic_length for r in won if r.geodesic_length is not None]
        rows.append(TrendRow(label, f, level, n_ok, n_pairs, len(won) / n_pairs if n_pairs else None,
                             statistics.median(r.counts.beads for r in won) if won else None,
                             statistics.median(lengths) if lengths else None, seconds))
    return rows


def _check(widths, fractions, pairs, starts, steps, seed, max_beads) -> None:
    if not widths or any(not isinstance(w, int) or isinstance(w, bool) or not 1 <= w <= 256 for w in widths):
        raise InputError("widths", f"{widths!r} must be one or more integers between 1 and 256")
    if not fractions or any(not isinstance(f, (int, float)) or not 0 < f < 1 for f in fractions):
        raise InputError("levels", f"{fractions!r} must be one or more numbers strictly between 0 and 1")
    for name, v, lo, hi in (("pairs", pairs, 1, 10_000), ("starts", starts, 2, 100_000), ("steps", steps, 1, 10 ** 6),
                            ("seed", seed, 0, 2 ** 63 - 1), ("max_beads", max_beads, 0, 100_000)):
        if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
            raise InputError(name, f"{v!r} must be an integer between {lo} and {hi}")


def check_arguments(widths: Sequence[int], fractions: Sequence[float], *, pairs: int, starts: int,
                    seed: int) -> None:
    """What :func:`trend` checks first, without running it (an ``InputError`` naming the argument)."""
    _check(widths, fractions, pairs, starts, 1, seed, 0)


def trend(widths: Sequence[int] = WIDTHS, fractions: Sequence[float] = FRACTIONS, *, pairs: int = 16,
          starts: int = 32, steps: int = 1500, seed: int = 0, max_beads: int = 64, time_limit: float | None = None,
          on_progress: Callable[[str], None] | None = None, strings: list | None = None) -> list[TrendRow]:
    """Rows (width, f) of the trend (module docstring), widths in the order given, then f in the order given.
    ``strings``: a list that receives a :class:`JoinedString` for every pair joined (for a certificate)."""
    _check(widths, fractions, pairs, starts, steps, seed, max_beads)
    rows = []
    for w in widths:
        if on_progress:
            on_progress(f"width {w}: search ({starts} starts)")
        prob = polynomial_task(w, seed)
        everything = _minima(prob, starts, seed, steps)
        found = distinct(prob, everything)
        if on_progress:
            on_progress(f"width {w}: {len(found)} distinct minima ({len(everything)} found), strings")
        rows += _cells(prob, found, fractions, pairs, seed, max_beads, time_limit, w, strings)
    return rows


def linear_rows(fractions: Sequence[float] = FRACTIONS, *, seed: int = 0, max_beads: int = 64,
                time_limit: float | None = None, strings: list | None = None) -> list[TrendRow]:
    """The deep linear control: two global minima θ_a = (I, β), θ_b = (A, β A⁻¹) of ½‖W₂W₁X − Y‖² (β the least-
    squares row, A a seeded random 3 × 3 matrix; W₁ = A is invertible, so no bottleneck), joined at each level f."""
    import torch

    _check((1,), fractions, 1, 2, 1, seed, max_beads)
    prob = linear_task(seed)
    X = torch.tensor([[float(v) for v in row] for row in prob.X], dtype=torch.float64)
    Y = torch.tensor([[float(v) for v in row] for row in prob.Y], dtype=torch.float64)
    beta = torch.linalg.lstsq(X.T, Y.T).solution.T                                  # 1 × 3
    g = torch.Generator().manual_seed(seed)
    A = torch.eye(3, dtype=torch.float64) + torch.randn(3, 3, generator=g, dtype=torch.float64)
    ends = [(torch.eye(3, dtype=torch.float64), beta), (A, beta @ torch.linalg.inv(A))]
    from numeric.losses import make_loss

    loss = make_loss(prob, device="cpu")
    minima = []
    for W1, W2 in ends:
        theta = torch.cat([W1.reshape(-1), W2.reshape(-1)]).tolist()
        minima.append((float(loss(torch.tensor([theta], dtype=torch.float64))[0]), theta))
    return _cells(prob, sorted(minima, key=lambda t: t[0]), fractions, 1, seed, max_beads, time_limit, "linear",
                  strings)


def plot_trend(rows: Sequence[TrendRow], path: str, field: str = "--plot") -> None:
    """Two panels (matplotlib): the median normalised length against L0 − L_min (log x, one line a width and the
    linear control), and the joined fraction against the width (one line a level f)."""
    plt = pyplot(field)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for w in dict.fromkeys(r.width for r in rows):
        mine = [r for r in rows if r.width == w and r.median_length is not None]
        left.plot([r.fraction for r in mine], [r.median_length for r in mine], "o-",
                  label=w if w == "linear" else f"width {w}")
    left.set(xscale="log", xlabel="f = (L0 − L_min) / (L(0) − L_min)", ylabel="median normalised length")
    left.invert_xaxis()
    left.legend(fontsize=8)
    relu = [r for r in rows if isinstance(r.width, int)]
    for f in dict.fromkeys(r.fraction for r in relu):
        mine = [r for r in relu if r.fraction == f and r.joined is not None]
        right.plot([r.width for r in mine], [r.joined for r in mine], "o-", label=f"f = {f:g}")
    right.set(xscale="log", xlabel="hidden width", ylabel="pairs joined (fraction)", ylim=(-0.05, 1.05))
    ticks = sorted({r.width for r in relu})
    right.set_xticks(ticks, [str(t) for t in ticks])
    right.minorticks_off()
    right.legend(fontsize=8)
    fig.suptitle("Dynamic String Sampling (Freeman & Bruna 2017): cubic regression, one hidden relu layer")
    fig.tight_layout()
    save_png(fig, path, field)
