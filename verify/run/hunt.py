"""Counterexample hunting (``spurious hunt``): hypothesis generates instances, z3 decides, shrinking minimises.

For a claim and a family, :func:`hunt` runs :func:`verify.run.exact_route.check_claim` on generated instances until
one is ``refuted``; hypothesis then shrinks it to the smallest instance that is still refuted (fewer
layers, narrower, fewer samples, entries towards 0 and ±1) and the certificate of that smallest
instance is written beside its problem file. The example database (default ``.spurious-hunt-db``) makes a
re-run start from the last counterexample. When nothing is refuted the answer is ``evidence``: it says
how many instances were decided and how many were undecided — it is not a proof for the family.

The families are the kinds' own (:attr:`verify.problems.Problem.hunt_families`: a name, a summary and the
hypothesis strategies it draws from). Smallest first: ``two-layer-poly`` draws from the one-parameter nets
L(w) = ½(σ(w) − y)² with cubics whose critical points are rational
(:func:`~verify.testing.strategies.smallest_two_layer_problems`) as well as from the whole family, and hypothesis
begins with the simplest draw and shrinks towards the first branch — so
``examples/cubic.toml``'s kind of counterexample (a spurious minimum at a local maximum of σ) is tried early,
before wide random instances whose z3 runs time out. Nothing is written to ``./.hypothesis``: hypothesis'
own storage lives in a temporary directory for the run (the example database is ``database`` or none).
"""

from __future__ import annotations

import importlib
import inspect
import json
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis.errors import NoSuchExample, Unsatisfiable

from verify.errors import InputError
from verify.problems import KINDS
from verify.problems.base import HuntFamily
from verify.problems.files import problem_to_toml
from verify.verdict import Status


def hunt_families() -> dict[str, HuntFamily]:
    """Family name → its record, over every kind of :data:`verify.problems.KINDS`."""
    return {f.name: f for cls in KINDS.values() for f in cls.hunt_families}


FAMILIES = {name: f.summary for name, f in hunt_families().items()}
"""Family name → what it generates (``--family``)."""


@dataclass
class HuntResult:
    claim: str
    family: str
    status: Status  # REFUTED or EVIDENCE
    tried: int
    decided: int
    undecided: int
    reasons: dict = field(default_factory=dict)
    problem_file: str | None = None
    certificate: str | None = None
    witness: dict | None = None
    instance: dict | None = None

    def to_json(self) -> dict:
        return {**self.__dict__, "status": self.status.value}


def family_strategy(family: str, max_depth: int, max_width: int, max_samples: int, max_entry: int):
    """The family's strategies (:class:`~verify.problems.base.HuntFamily`) under the hunt's bounds, as one."""
    from verify.testing.strategies import rationals

    families = hunt_families()
    if family not in families:
        raise InputError("--family", f"{family!r} is not a family; expected one of {', '.join(families)}")
    given = {"max_depth": max_depth, "max_width": max_width, "max_n": max_width, "max_samples": max_samples,
             "elements": rationals(max_entry, 1), **dict(families[family].options)}
    drawn = []
    for name in families[family].strategies:
        module, _, function = name.partition(":")
        fn = getattr(importlib.import_module(module), function)
        takes = inspect.signature(fn).parameters
        drawn.append(fn(**{k: v for k, v in given.items() if k in takes}))
    return st.one_of(*drawn)


def hunt(claim: str, family: str, *, max_depth: int = 3, max_width: int = 2, max_samples: int = 2,
         max_entry: int = 2, examples: int = 60, timeout: float = 20.0, out_dir: str = "spurious-out",
         database: str | None = ".spurious-hunt-db", seed: int = 0, progress=None) -> HuntResult:
    """Search ``family`` for an instance where ``claim`` is refuted; shrink it; write problem + certificate.

    ``progress(stats)`` is called after each instance with ``{"tried", "decided", "undecided", "reasons",
    "examples"}``; ``database=None`` is a deterministic run that writes nothing but the counterexample's files.
    """
    for name, v in (("--max-depth", max_depth), ("--max-width", max_width), ("--max-samples", max_samples),
                    ("--examples", examples)):
        if not isinstance(v, int) or v < 1 or v > 10_000:
            raise InputError(name, f"{v!r} must be an integer in 1..10000")
    from verify.run.exact_route import check_claim  # z3 and flint: loaded when a hunt runs, not with the CLI

    strategy = family_strategy(family, max_depth, max_width, max_samples, max_entry)
    stats = {"tried": 0, "decided": 0, "undecided": 0, "reasons": {}, "examples": examples}
    results = {}

    def refuted(problem) -> bool:
        stats["tried"] += 1
        try:
            r = check_claim(problem, claim, timeout=timeout, second_solver=False)
        except InputError as e:  # e.g. too many parameters for the exact backend
            stats["undecided"] += 1
            stats["reasons"][e.field] = stats["reasons"].get(e.field, 0) + 1
            if progress:
                progress(stats)
            return False
        if r.status is Status.UNKNOWN:
            stats["undecided"] += 1
            key = r.reason.split(";")[0][:60]
            stats["reasons"][key] = stats["reasons"].get(key, 0) + 1
        else:
            stats["decided"] += 1
        if progress:
            progress(stats)
        if r.status is Status.REFUTED:
            results[problem] = r
            return True
        return False

    db = DirectoryBasedExampleDatabase(database) if database else None
    cfg = settings(max_examples=examples, database=db, deadline=None, derandomize=database is None,
                   suppress_health_check=list(HealthCheck),
                   phases=[Phase.reuse, Phase.generate, Phase.shrink])
    key = f"spurious-hunt:{claim}:{family}:{max_depth}:{max_width}:{max_samples}:{max_entry}".encode()
    try:
        with _private_hypothesis_home():
            smallest = find(strategy, refuted, settings=cfg, database_key=key)
    except (NoSuchExample, Unsatisfiable):
        return HuntResult(claim, family, Status.EVIDENCE, stats["tried"], stats["decided"], stats["undecided"],
                          stats["reasons"])
    r = results.get(smallest) or check_claim(smallest, claim, timeout=timeout, second_solver=False)
    from verify.run.demo import output_dir

    out = output_dir(out_dir)
    stem = f"hunt-{claim}-{family}"
    (out / f"{stem}.toml").write_text(problem_to_toml(smallest))
    cert_path = None
    if r.certificate is not None:
        cert_path = str(out / f"{stem}.cert.json")
        Path(cert_path).write_text(json.dumps(r.certificate, indent=1) + "\n")
    from verify.problems.files import problem_to_json

    return HuntResult(claim, family, Status.REFUTED, stats["tried"], stats["decided"], stats["undecided"],
                      stats["reasons"], str(out / f"{stem}.toml"), cert_path, r.witness, problem_to_json(smallest))


@contextmanager
def _private_hypothesis_home():
    """Hypothesis' storage (its cache of constants, ``.hypothesis/`` in the working directory by default) in a
    temporary directory for the duration of the hunt, so that a hunt leaves no files behind but its own."""
    from hypothesis.configuration import set_hypothesis_home_dir, storage_directory

    previous = storage_directory(intent_to_write=False).home_directory
    with tempfile.TemporaryDirectory(prefix="spurious-hunt-") as home:
        set_hypothesis_home_dir(home)
        try:
            yield
        finally:
            set_hypothesis_home_dir(previous)


__all__ = ["FAMILIES", "HuntResult", "family_strategy", "hunt", "hunt_families"]
