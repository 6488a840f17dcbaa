"""Conjecture sweeps: one claim over a family of instances (grids × data seeds), answered by ``decide``, stored in
SQLite (:mod:`verify.run.store`), on a local process pool or on a Dask cluster.

A conjecture file (TOML)::

    name = "strict-saddle-deep-linear"
    claim = "strict-saddle"                 # any claim of `spurious check --claim`

    [family]
    kind = "deep-linear"                    # or "two-layer": a kind with sweep axes
    depth = [2, 3]                          # weight matrices H (deep-linear); a value or a list (a grid axis)
    width = [1, 2]                          # every hidden layer's width
    dx = 2                                  # input dimension (two-layer: n)
    dy = 2                                  # output dimension
    samples = 3                             # m, columns of X and Y
    seeds = 5                               # data seeds 0..4, or a list of seeds
    entries = [-3, 3]                       # entries of X and Y: integers drawn uniformly from this range
    reg = 0                                 # λ (every entry of Λ), a value or a list
    loss = ["square", { power = 4 }]        # the problem file's loss, a value or a list (logistic: Y's signs;
                                            # cross-entropy: one-hot columns, the class the largest drawn entry)

    [budget]
    backend = "auto"                        # as `spurious check --backend`
    timeout = 30                            # seconds per instance
    starts = 100                            # numeric starts per instance
    seed = 0                                # the search's seed

The axes of a family, their defaults and ranges, and the instance built at a grid point are the kind's own
(:attr:`verify.problems.Problem.sweep_axes`, :meth:`~verify.problems.Problem.sweep_problem`): a two-layer family has
``n``, ``width``, ``activation`` (``{ poly = [...] }`` or ``"relu"``, or a list of them) and ``train_output``
instead of ``depth``/``dx``. The data of seed s are drawn from ``random.Random(s)``: X then Y, so every instance of
one seed and one shape (inputs, outputs, samples) sees the same data.

Every instance is keyed by its problem's content hash (and the claim): a re-run skips what the database holds, a
sweep killed and resumed neither loses nor duplicates a row. Verdicts are those of ``spurious check``: ``proved``
and ``refuted`` carry a certificate the checker (``proofs``) re-verified when the row was written (``verified``),
``unknown`` carries its reason.
"""

from __future__ import annotations

import itertools
import math
import random
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from verify.errors import InputError, SpuriousError

MAX_INSTANCES = 100_000
BUDGET = {"backend": "auto", "timeout": 30.0, "starts": 100, "seed": 0}


@dataclass(frozen=True)
class Conjecture:
    """A parsed conjecture file: the claim, the instances (grid coordinates, problem JSON) and the budget."""

    name: str
    claim: str
    kind: str
    instances: list = field(repr=False)     # [(params dict, problem JSON dict)]
    budget: dict = field(default_factory=dict)
    axes: tuple = ()                        # the grid axes with more than one value, in file order


def sweepable() -> dict:
    """Kind name → its dataclass, for the kinds that declare sweep axes."""
    from verify.problems import KINDS

    return {name: cls for name, cls in KINDS.items() if cls.sweep_axes}


def _values(family: dict, axis, where: str) -> list:
    v = family.get(axis.name, axis.default)
    if v is None:
        raise InputError(f"{where}.{axis.name}", "is required")
    values = v if isinstance(v, list) else [v]
    if not values:
        raise InputError(f"{where}.{axis.name}", "is an empty list")
    if axis.low is not None:
        values = [_int(x, f"{where}.{axis.name}", axis.low, axis.high) for x in values]
    return values


def _int(v, name: str, low: int, high: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
        raise InputError(name, f"{v!r} must be an integer between {low} and {high}")
    return v


def _data(seed: int, rows: int, cols: int, low: int, high: int, skip: int = 0) -> list[list[int]]:
    rng = random.Random(seed)
    for _ in range(skip):
        rng.randint(low, high)
    return [[rng.randint(low, high) for _ in range(cols)] for _ in range(rows)]


def _problem(cls, p: dict, seed: int, entries: tuple[int, int]) -> dict:
    """The kind's instance at grid point ``p`` and data seed ``seed`` (:meth:`Problem.sweep_problem`): X then Y
    drawn from ``random.Random(seed)``, Y made fit for the loss (:meth:`Loss.fit_targets`)."""
    from verify.problems.losses import Loss

    lo, hi = entries
    loss = p.get("loss", "square")

    def data(d_in: int, d_out: int, m: int):
        X = _data(seed, d_in, m, lo, hi)
        return X, Loss.from_value(loss).fit_targets(_data(seed, d_out, m, lo, hi, skip=d_in * m))

    out = cls.sweep_problem(p, data)
    if loss != "square":
        out["loss"] = loss
    return out


def parse_conjecture(obj: dict, where: str = "conjecture") -> Conjecture:
    """A conjecture from its TOML table (module docstring); every error names its field."""
    from verify.claims import CLAIMS
    from verify.problems import problem_from_dict

    if not isinstance(obj, dict):
        raise InputError(where, "must be a TOML table")
    unknown = set(obj) - {"name", "claim", "family", "budget"}
    if unknown:
        raise InputError(f"{where}.{sorted(unknown)[0]}", "is not a conjecture field (name, claim, family, budget)")
    claim = obj.get("claim")
    if claim not in CLAIMS:
        raise InputError("claim", f"{str(claim)[:40]!r} is not one of {', '.join(CLAIMS)}")
    name = obj.get("name", claim)
    if not isinstance(name, str) or not 0 < len(name) <= 200:
        raise InputError("name", "must be a string of 1..200 characters")
    family = obj.get("family")
    if not isinstance(family, dict):
        raise InputError("family", "is required: a table with kind and the grid axes")
    kind, kinds = family.get("kind"), sweepable()
    if not isinstance(kind, str) or kind not in kinds:
        raise InputError("family.kind", f"{str(kind)[:40]!r} must be one of {', '.join(kinds)}")
    cls = kinds[kind]
    allowed = {a.name for a in cls.sweep_axes} | {"kind", "seeds", "entries"}
    extra = set(family) - allowed
    if extra:
        raise InputError(f"family.{sorted(extra)[0]}", f"is not a {kind} family field ({', '.join(sorted(allowed))})")
    axes = {a.name: _values(family, a, "family") for a in cls.sweep_axes}
    seeds = family.get("seeds", 1)
    if isinstance(seeds, list):
        seeds = [_int(s, "family.seeds", 0, 2 ** 31) for s in seeds]
    else:
        seeds = list(range(_int(seeds, "family.seeds", 1, MAX_INSTANCES)))
    entries = family.get("entries", [-3, 3])
    if not (isinstance(entries, list) and len(entries) == 2):
        raise InputError("family.entries", "must be [low, high]")
    entries = (_int(entries[0], "family.entries", -10 ** 6, 10 ** 6), _int(entries[1], "family.entries", -10 ** 6,
                                                                               10 ** 6))
    if entries[0] > entries[1]:
        raise InputError("family.entries", "low must not exceed high")
    total = math.prod(len(v) for v in axes.values()) * len(seeds)
    if total > MAX_INSTANCES:
        raise InputError("family", f"{total} instances exceed the limit {MAX_INSTANCES}")
    budget = dict(BUDGET)
    given = obj.get("budget", {})
    if not isinstance(given, dict) or set(given) - set(BUDGET):
        raise InputError("budget", f"must be a table with fields among {', '.join(BUDGET)}")
    budget.update(given)
    from verify.run.check import BACKENDS

    if budget["backend"] not in BACKENDS:
        raise InputError("budget.backend", f"{str(budget['backend'])[:40]!r} must be one of {', '.join(BACKENDS)}")
    t = budget["timeout"]
    if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t) or not 0 < t <= 86_400:
        raise InputError("budget.timeout", f"{t!r} must be a number of seconds in (0, 86400]")
    budget["timeout"] = float(t)
    budget["starts"] = _int(budget["starts"], "budget.starts", 1, 1_000_000)
    budget["seed"] = _int(budget["seed"], "budget.seed", 0, 2 ** 63 - 1)
    names = list(axes)
    instances = []
    for combo in itertools.product(*(axes[a] for a in names)):
        p = dict(zip(names, combo))
        for s in seeds:
            try:
                problem = _problem(cls, p, s, entries)
                problem_from_dict(problem)
            except InputError as e:
                raise InputError(f"family ({', '.join(f'{k} = {v}' for k, v in p.items())})",
                                 f"{e.field}: {e.detail}") from None
            instances.append(({**p, "seed": s}, problem))
    return Conjecture(name, claim, kind, instances, budget, tuple(a for a in names if len(axes[a]) > 1))


def load_conjecture(path: str | Path) -> Conjecture:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError("CONJ", f"cannot read {str(path)!r}: {getattr(e, 'strerror', None) or e}") from None
    if len(text) > 1_000_000:
        raise InputError("CONJ", "the conjecture file is larger than 1 MB")
    try:
        obj = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError("CONJ", f"not valid TOML: {e}") from None
    return parse_conjecture(obj)


def instance_key(problem: dict) -> str:
    """The canonical hash of the problem a file mapping describes, through its kind's canonical JSON (the form
    certificates embed, which the checker reads), so numbers spelled differently give one key."""
    from verify.problems import problem_from_dict
    from verify.problems.canonical import canonical_problem_hash

    return canonical_problem_hash(problem_from_dict(problem).to_json())


def run_instance(task: dict) -> dict:
    """One instance: ``decide`` under the budget, the certificate re-checked; a row for :meth:`Store.write`. Runs
    in a worker process (local pool or Dask): module-level, its argument and result plain JSON-like data."""
    import proofs
    from verify.certify.attestation_check import check_any
    from verify.problems import problem_from_dict
    from verify.run.check import decide

    b = task["budget"]
    problem = problem_from_dict(task["problem"])
    t0 = time.monotonic()
    try:
        r = decide(problem, task["claim"], backend=b["backend"], timeout=b["timeout"], starts=b["starts"],
                   seed=b["seed"])
        status, trust, reason, backend, cert = r.status.value, r.trust.value, r.reason, r.backend, r.certificate
    except SpuriousError as e:
        status, trust, reason, backend, cert = "error", "none", str(e), "none", None
    seconds = time.monotonic() - t0
    verified = None
    if cert is not None:
        try:
            verified = int(check_any(cert, timeout=120).verified)   # an attestation: ATTESTED, never verified
        except proofs.MalformedCertificate:
            verified = 0
    return {"key": task["key"], "claim": task["claim"], "sweep": task["sweep"], "params": task["params"],
            "problem": task["problem"], "size": problem.n_params, "status": status, "trust": trust,
            "reason": reason, "backend": backend, "seconds": seconds, "certificate": cert, "verified": verified}


@dataclass
class SweepSummary:
    total: int
    skipped: int                      # already in the database
    written: int
    counts: dict                      # status -> instances, over the whole database for this claim
    seconds: float
    engine: str

    def to_json(self) -> dict:
        return dict(self.__dict__)


def tasks_of(conj: Conjecture, done: set[str]) -> list[dict]:
    out, seen = [], set()
    for params, problem in conj.instances:
        key = instance_key(problem)
        if key in done or key in seen:
            continue
        seen.add(key)
        out.append({"key": key, "claim": conj.claim, "sweep": conj.name, "params": params, "problem": problem,
                    "budget": conj.budget})
    return out


def sweep(conj: Conjecture, db: str | Path, *, workers: int = 1, scheduler: str | None = None,
          on_result: Callable[[dict, dict], None] | None = None) -> SweepSummary:
    """Run every instance of ``conj`` not yet in ``db``; write each answer as it arrives. ``workers`` > 1: a local
    process pool; ``scheduler``: a Dask distributed scheduler address (``tcp://host:8786``), tasks submitted to it
    (a worker lost mid-task is replaced by Dask and the task re-run: the row is written once). ``on_result(row,
    counts)`` after each write."""
    from verify.run.store import Store

    t0 = time.monotonic()
    with Store(db) as store:
        done = store.done(conj.claim)
        tasks = tasks_of(conj, done)
        counts: dict = {}
        for r in store.rows(conj.claim):
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        unique = len(tasks) + len(done & {instance_key(p) for _, p in conj.instances})
        written = 0

        def take(row):
            nonlocal written
            if store.write(row):
                written += 1
                counts[row["status"]] = counts.get(row["status"], 0) + 1
            if on_result is not None:
                on_result(row, counts)

        if scheduler:
            engine = f"dask ({scheduler})"
            _dask(tasks, scheduler, take)
        elif workers > 1 and len(tasks) > 1:
            engine = f"local pool ({workers} processes)"
            _pool(tasks, workers, take)
        else:
            engine = "in process"
            for task in tasks:
                take(run_instance(task))
    return SweepSummary(unique, unique - len(tasks), written, counts, time.monotonic() - t0, engine)


def _pool(tasks, workers: int, take) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as ex:
        for fut in as_completed([ex.submit(run_instance, t) for t in tasks]):
            take(fut.result())


def _dask(tasks, scheduler: str, take) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise InputError("--scheduler", "needs Dask distributed (pip install distributed)") from None
    try:
        client = Client(scheduler, timeout=30)
    except (OSError, TimeoutError, ValueError) as e:
        raise InputError("--scheduler", f"cannot reach the Dask scheduler {scheduler!r}: {e}") from None
    try:
        futures = [client.submit(run_instance, t, key=f"spurious-{t['key'][:16]}-{t['claim']}", pure=False,
                                 retries=2) for t in tasks]
        for fut in as_completed(futures):
            take(fut.result())
    finally:
        client.close()


__all__ = ["Conjecture", "SweepSummary", "instance_key", "load_conjecture", "parse_conjecture", "run_instance",
           "sweep"]
