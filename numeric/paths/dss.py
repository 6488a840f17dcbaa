"""Dynamic String Sampling (Freeman & Bruna 2017), batched over pairs of minima and over beads.

Given θ_a, θ_b with L(θ_a), L(θ_b) ≤ L0, the string starts as the segment [θ_a, θ_b]. Each round, every open
segment of every pair is sampled densely at once (:func:`numeric.paths.segments.segment_tops`); a segment whose
sampled maximum is ≤ L0 is closed; at the highest point θ(t*) of every other one a bead is trained by gradient
descent (:func:`numeric.paths.descent.descend_below`, all beads of the round in one batch) down to
L ≤ L0 − margin·(L0 − max(L(θ_a), L(θ_b))) (margin ½ by default), inserted between the segment's ends, and both
halves are opened for the next round. A pair is ``connected`` when every segment of its string was sampled below
L0; otherwise its string stops at the first budget it meets: ``max_beads`` inserted beads, ``max_depth`` levels of
halving, the time limit, or a bead that gradient descent could not bring below L0 (e.g. started at a critical
point above L0). Freeman & Bruna's measure of the string's geometry is reported beside it: the normalised
geodesic length Σ_i ‖θ_i − θ_{i+1}‖ / ‖θ_first − θ_last‖ (1 for the straight segment; it grows as L0 falls).

Every answer is numeric ``evidence`` at best. ``connected`` rests on sampled maxima (a narrow peak between samples
can be missed: the exact ``sublevel-path`` certificate is the proof). ``not connected within budget`` does NOT mean
that θ_a and θ_b lie in different components of {L ≤ L0}: a greedy string may need more beads, other beads, or a
longer descent; its status is ``unknown``.

The default level (``level=None``) is L0 = max(L(θ_a), L(θ_b)) + ``default_fraction``·(max − min of L sampled on
the segment [θ_a, θ_b]), with ``default_fraction`` = 0.1: ten per cent of the loss range seen on the segment above
the higher end.

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> prob = DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(2),),))      # L = ½(w₂w₁ − 2)²
>>> r = connect(prob, [1, 2], [2, 1], level=1e-3, device="cpu")            # along the hyperbola w₁w₂ = 2
>>> r.connected, r.beads[0], r.beads[-1], 1 < r.geodesic_length < 1.2
(True, (1.0, 2.0), (2.0, 1.0), True)
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction
from typing import Callable, Sequence

import torch

from verify.errors import InputError
from verify.problems import Problem
from verify.verdict import Status, Trust

from ..losses import make_loss
from .descent import BeadPool
from .segments import batched_values, normalised_length, segment_tops


class Outcome(str, Enum):
    """Why a string stopped."""

    CONNECTED = "connected"
    MAX_BEADS = "max-beads"
    MAX_DEPTH = "max-depth"
    TIME_LIMIT = "time-limit"
    TRAINING_FAILED = "training-failed"


@dataclass(frozen=True)
class DSSConfig:
    """Knobs of :func:`connect_pairs` besides the budgets named in its signature."""

    samples: int = 129            # evenly spaced t per segment (endpoints included)
    refine: int = 17              # more t on the two grid cells around the highest sample
    max_depth: int = 16           # a segment halved this many times is not halved again
    bead_steps: int = 400         # gradient-descent steps per bead
    margin: float = 0.5           # beads are trained to L0 − margin·(L0 − max(L(θ_a), L(θ_b)))
    noise: float = 1e-3           # bead start θ(t*) + N(0, (noise·‖θ_r − θ_l‖/√N)²) per coordinate (seeded)
    first_step: float = 0.05      # length of a bead's first gradient step, as a fraction of its segment's length
    default_fraction: float = 0.1  # level=None: L0 = max(L(θ_a), L(θ_b)) + this × the loss range on the segment

    def check(self) -> None:
        for name, low in (("samples", 2), ("refine", 0), ("max_depth", 0), ("bead_steps", 0)):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or not low <= v <= 1_000_000:
                raise InputError(name, f"{v!r} must be an integer between {low} and 1000000")
        for name in ("margin", "noise", "first_step", "default_fraction"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v) or v < 0:
                raise InputError(name, f"{v!r} must be a finite number ≥ 0")
        if self.margin >= 1:
            raise InputError("margin", f"{self.margin!r} must be below 1 (beads are trained below the level)")


@dataclass
class Counts:
    """How much work one string took."""

    beads: int = 0                 # beads in the final string (ends excluded)
    trained: int = 0               # beads trained (inserted or not)
    rounds: int = 0                # rounds of sampling this pair took part in
    segments_sampled: int = 0      # segment samplings (a segment is sampled once, when it is opened)
    loss_evaluations: int = 0      # losses evaluated on segments and in bead training (batched rows)
    depth: int = 0                 # deepest halving reached

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class StringResult:
    """One pair's string (the JSON form is :meth:`to_json`). ``status``: evidence when connected, else unknown."""

    connected: bool
    level: float
    beads: list[tuple[float, ...]]      # θ_a, the inserted beads in order, θ_b
    segment_max: list[float]            # sampled max of L on each segment (len(beads) − 1 entries)
    loss_a: float
    loss_b: float
    outcome: Outcome
    reason: str
    counts: Counts
    seconds: float                      # wall time of the call (of the whole batch, for connect_pairs)
    seed: int
    device: str
    level_given: bool = True
    samples: int = 129

    @property
    def status(self) -> Status:
        return Status.EVIDENCE if self.connected else Status.UNKNOWN

    @property
    def trust(self) -> Trust:
        return Trust.NUMERIC if self.connected else Trust.NONE

    @property
    def geodesic_length(self) -> float | None:
        """Σ ‖θ_i − θ_{i+1}‖ / ‖θ_first − θ_last‖ (None when the two ends coincide)."""
        return normalised_length(torch.tensor(self.beads, dtype=torch.float64))

    def to_json(self, with_beads: bool = True) -> dict:
        out = {"connected": self.connected, "status": self.status.value, "trust": self.trust.value,
               "level": self.level, "level_source": "given" if self.level_given else "default",
               "loss_a": self.loss_a, "loss_b": self.loss_b, "outcome": self.outcome.value, "reason": self.reason,
               "geodesic_length": self.geodesic_length, "segment_max": self.segment_max,
               "max_loss": max(self.segment_max), "counts": self.counts.to_json(),
               "samples_per_segment": self.samples, "seconds": self.seconds, "seed": self.seed,
               "device": self.device, "backend": "numeric", "method": "dynamic-string-sampling"}
        if with_beads:
            out["beads"] = [list(b) for b in self.beads]
        return out


class _Node:
    """A bead of a string (the ends included): its point and its place in the pair's ordered list."""

    __slots__ = ("x",)

    def __init__(self, x: torch.Tensor):
        self.x = x


@dataclass
class _Pair:
    level: float
    target: float
    nodes: list[_Node]
    gen: torch.Generator
    counts: Counts = field(default_factory=Counts)
    segmax: dict = field(default_factory=dict)      # (id(left), id(right)) → sampled max
    outcome: Outcome | None = None
    reason: str = ""
    reserved: int = 0
    round_beads: list = field(default_factory=list)  # the current round's beads: (left, right, depth, top L)
    waiting: dict = field(default_factory=dict)      # index in round_beads → (θ, L, steps, timed out), once stopped

    def stop(self, outcome: Outcome, reason: str) -> None:
        if self.outcome is None:
            self.outcome, self.reason = outcome, reason


def _points(problem: Problem, pairs, device, dtype) -> tuple[torch.Tensor, torch.Tensor]:
    """(P, N) tensors of the a and b ends, each validated (length N, finite numbers)."""
    if not isinstance(pairs, (list, tuple)) or not pairs:
        raise InputError("pairs", "must be a non-empty list of (a, b) pairs of points")
    ends = ([], [])
    for i, pair in enumerate(pairs):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise InputError(f"pairs[{i}]", "must be a pair (a, b) of points")
        for side, p in zip("ab", pair):
            name = f"pairs[{i}].{side}" if len(pairs) > 1 else side
            if isinstance(p, torch.Tensor):
                p = p.detach().cpu().reshape(-1).tolist()
            if not isinstance(p, (list, tuple)) or len(p) != problem.n_params:
                raise InputError(name, f"must be a list of the problem's {problem.n_params} parameters")
            try:
                row = [float(Fraction(v) if isinstance(v, str) else v) for v in p]
            except (TypeError, ValueError, OverflowError, ZeroDivisionError):
                raise InputError(name, "has an entry that is not a number") from None
            if not all(math.isfinite(v) for v in row):
                raise InputError(name, "has a non-finite entry")
            ends["ab".index(side)].append(row)
    return tuple(torch.tensor(e, dtype=dtype, device=device) for e in ends)


def _levels(level, P: int, default: torch.Tensor) -> tuple[list[float], bool]:
    if level is None:
        return default.tolist(), False
    values = list(level) if isinstance(level, (list, tuple)) else [level] * P
    if len(values) != P:
        raise InputError("level", f"has {len(values)} entries for {P} pairs")
    out = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError, OverflowError):
            raise InputError("level", f"{v!r} is not a number") from None
        if not math.isfinite(f):
            raise InputError("level", f"{v!r} must be finite")
        out.append(f)
    return out, True


def connect_pairs(problem: Problem, pairs: Sequence, level=None, *, max_beads: int = 64, seed: int = 0,
                  device=None, time_limit: float | None = None, config: DSSConfig | None = None,
                  on_progress: Callable[[dict], None] | None = None) -> list[StringResult]:
    """Dynamic String Sampling for every pair (θ_a, θ_b) of ``pairs`` at once (see the module docstring).

    ``level``: one L0 for every pair, one per pair, or None (the default of the module docstring, per pair).
    ``max_beads`` is per pair; ``time_limit`` (seconds) is for the whole batch. Each pair draws its bead noise from
    its own generator seeded with ``seed``, so a pair's string does not depend on the other pairs in the batch.
    ``on_progress`` is called after every round with {"round", "open", "beads", "pairs", "pairs_open"}.
    """
    cfg = config or DSSConfig()
    cfg.check()
    if not isinstance(max_beads, int) or isinstance(max_beads, bool) or not 0 <= max_beads <= 100_000:
        raise InputError("max_beads", f"{max_beads!r} must be an integer between 0 and 100000")
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= 2 ** 63 - 1:
        raise InputError("seed", f"{seed!r} must be an integer between 0 and 2**63 - 1")
    if time_limit is not None and not (isinstance(time_limit, (int, float)) and math.isfinite(time_limit)
                                       and time_limit > 0):
        raise InputError("time_limit", f"{time_limit!r} must be a positive finite number of seconds")
    started = time.monotonic()
    deadline = None if time_limit is None else started + time_limit
    loss = make_loss(problem, device=device)
    a, b = _points(problem, pairs, loss.device, loss.dtype)
    P = a.shape[0]
    la, lb = batched_values(loss, a), batched_values(loss, b)
    first = segment_tops(loss, a, b, cfg.samples, cfg.refine)
    high = torch.maximum(la, lb)
    levels, given = _levels(level, P, high + cfg.default_fraction * (first.value - first.low))
    states = []
    for p in range(P):
        if not float(high[p]) <= levels[p]:
            end = "a" if float(la[p]) >= float(lb[p]) else "b"
            where = f"pairs[{p}].{end}" if P > 1 else end
            raise InputError("level", f"L0 = {levels[p]:.6g} is below L({where}) = {float(high[p]):.6g}: both ends "
                             "must lie in the sublevel set {L ≤ L0}")
        target = levels[p] - cfg.margin * (levels[p] - float(high[p]))
        states.append(_Pair(levels[p], target, [_Node(a[p]), _Node(b[p])],
                            torch.Generator(device="cpu").manual_seed(seed)))
    pool = BeadPool(loss, steps=cfg.bead_steps, deadline=deadline)
    pending = [(states[p], [(states[p].nodes[0], states[p].nodes[1], 0)]) for p in range(P)]
    tops, batches, it = first, 0, 0
    while pending or len(pool):
        if pending and (not len(pool) or len(pool) < SAMPLE_BELOW or it % SAMPLE_EVERY == 0):
            batches += 1
            if tops is None:
                segs = [seg for _, round_ in pending for seg in round_]
                tops = segment_tops(loss, torch.stack([s_[0].x for s_ in segs]), torch.stack([s_[1].x for s_ in segs]),
                                    cfg.samples, cfg.refine)
            k0, per = 0, tops.evaluations // sum(len(r) for _, r in pending)
            for st, round_ in pending:
                _open_round(st, round_, tops, k0, per, pool, loss, cfg, max_beads, deadline, time_limit)
                k0 += len(round_)
            pending, tops = [], None
            if on_progress is not None:
                on_progress({"round": batches, "open": len(pool), "pairs": P,
                             "beads": sum(len(s_.nodes) - 2 for s_ in states),
                             "pairs_open": sum(1 for s_ in states if s_.round_beads)})
        for (st, j), x, v, _ok, steps, timed in pool.step():
            st.waiting[j] = (x, v, steps, timed)
            if len(st.waiting) == len(st.round_beads):
                nxt = _close_round(st, cfg, deadline, time_limit)
                if nxt:
                    pending.append((st, nxt))
        it += 1
    return [_finish(loss, st, la[p], lb[p], given, seed, cfg, started) for p, st in enumerate(states)]


SAMPLE_EVERY, SAMPLE_BELOW = 4, 32
"""Segments whose pair finished its round wait for a sampling batch: every SAMPLE_EVERY descent iterations, or at
once when fewer than SAMPLE_BELOW beads are training (the pool never idles for long)."""

_BUDGETS = (None, Outcome.MAX_BEADS, Outcome.MAX_DEPTH)
"""A pair stopped by one of these budgets in a round still trains and inserts the beads it reserved before."""


def _open_round(st: _Pair, round_, tops, k0, per, pool, loss, cfg, max_beads, deadline, time_limit) -> None:
    """A pair's round: its open segments (sampled in ``tops`` from row ``k0``), in order; a segment at or below L0
    is closed, any other reserves a bead (its noise drawn from the pair's own generator, in segment order) or
    stops the pair at a budget. The round's beads join the pool, tagged (pair, index)."""
    st.counts.rounds += 1
    st.round_beads, st.waiting, starts, lengths = [], {}, [], []
    for k, (lft, rgt, depth) in enumerate(round_, start=k0):
        m = float(tops.value[k])
        st.segmax[(id(lft), id(rgt))] = m
        st.counts.segments_sampled += 1
        st.counts.loss_evaluations += per
        st.counts.depth = max(st.counts.depth, depth)
        if m <= st.level or st.outcome is not None:
            continue
        if deadline is not None and time.monotonic() >= deadline:
            st.stop(Outcome.TIME_LIMIT, f"the time limit ({time_limit:g} s) ended the search with a segment "
                    f"at L = {m:.6g} > L0")
        elif st.reserved >= max_beads:
            st.stop(Outcome.MAX_BEADS, f"a segment still rises to L = {m:.6g} > L0 = {st.level:.6g} and the "
                    f"budget of {max_beads} beads is spent")
        elif depth >= cfg.max_depth:
            st.stop(Outcome.MAX_DEPTH, f"a segment halved {depth} times still rises to L = {m:.6g} > L0 = "
                    f"{st.level:.6g} (max depth {cfg.max_depth})")
        else:
            st.reserved += 1
            seg_len = torch.linalg.vector_norm(rgt.x - lft.x)
            scale = cfg.noise * float(seg_len) / math.sqrt(loss.n_params)
            noise = torch.randn(loss.n_params, generator=st.gen, dtype=torch.float64) * scale
            st.round_beads.append((lft, rgt, depth, m))
            starts.append(tops.point[k] + noise.to(loss.device, loss.dtype))
            lengths.append(cfg.first_step * seg_len.clamp(min=1e-12))
    if st.outcome not in _BUDGETS:        # stopped by the time limit: its reserved beads are not trained
        st.round_beads = []
    if st.round_beads:
        pool.add(torch.stack(starts), torch.full((len(starts),), st.target, dtype=loss.dtype),
                 torch.stack(lengths), [(st, j) for j in range(len(starts))])


def _close_round(st: _Pair, cfg: DSSConfig, deadline, time_limit) -> list:
    """Every bead of the pair's round has stopped: insert, in order, those below L0 (a bead above L0 stops the
    pair) and return the next round's open segments (both halves of each, for a pair that goes on)."""
    nxt = []
    for j, (lft, rgt, depth, top) in enumerate(st.round_beads):
        x, v, steps, timed = st.waiting[j]
        st.counts.trained += 1
        st.counts.loss_evaluations += steps * 15 + 1
        if st.outcome not in _BUDGETS:
            continue
        if not v <= st.level:
            if timed and deadline is not None and time.monotonic() >= deadline:
                st.stop(Outcome.TIME_LIMIT, f"the time limit ({time_limit:g} s) stopped a bead's training at "
                        f"L = {v:.6g} > L0 = {st.level:.6g}")
            else:
                st.stop(Outcome.TRAINING_FAILED, f"gradient descent from a segment's highest point (L = "
                        f"{top:.6g}) stopped at L = {v:.6g} > L0 = {st.level:.6g} after {steps} steps")
            continue
        node = _Node(x)
        st.nodes.insert(st.nodes.index(rgt), node)
        nxt += [(lft, node, depth + 1), (node, rgt, depth + 1)]
    st.round_beads, st.waiting = [], {}
    return nxt if st.outcome is None else []


def _finish(loss, st: _Pair, la, lb, given: bool, seed: int, cfg: DSSConfig, started: float) -> StringResult:
    """The pair's result; segments never sampled (the string stopped first) are sampled now, for the report."""
    segs = list(zip(st.nodes[:-1], st.nodes[1:]))
    missing = [(lft, rgt) for lft, rgt in segs if (id(lft), id(rgt)) not in st.segmax]
    if missing:
        t = segment_tops(loss, torch.stack([m[0].x for m in missing]), torch.stack([m[1].x for m in missing]),
                         cfg.samples, cfg.refine)
        for (lft, rgt), v in zip(missing, t.value.tolist()):
            st.segmax[(id(lft), id(rgt))] = v
    segmax = [st.segmax[(id(lft), id(rgt))] for lft, rgt in segs]
    connected = st.outcome is None and all(m <= st.level for m in segmax)
    if connected:
        st.outcome, st.reason = Outcome.CONNECTED, (
            f"every one of the {len(segs)} segments stays at or below L0 = {st.level:.6g} on {cfg.samples} + "
            f"{cfg.refine} samples (numeric evidence; a peak between samples can be missed)")
    st.counts.beads = len(st.nodes) - 2
    beads = [tuple(n.x.detach().cpu().tolist()) for n in st.nodes]
    return StringResult(connected, st.level, beads, segmax, float(la), float(lb), st.outcome, st.reason, st.counts,
                        time.monotonic() - started, seed, str(la.device), given, cfg.samples)


def connect(problem: Problem, a, b, level=None, *, max_beads: int = 64, seed: int = 0, device=None,
            time_limit: float | None = None, config: DSSConfig | None = None,
            on_progress: Callable[[dict], None] | None = None) -> StringResult:
    """Dynamic String Sampling between θ_a = ``a`` and θ_b = ``b`` (sequences of N numbers, canonical order) below
    ``level`` (None: max(L(θ_a), L(θ_b)) + 10% of the loss range sampled on the segment [θ_a, θ_b]).
    :func:`connect_pairs` with one pair; see the module docstring for what the answer does and does not mean."""
    return connect_pairs(problem, [(a, b)], level, max_beads=max_beads, seed=seed, device=device,
                         time_limit=time_limit, config=config, on_progress=on_progress)[0]
