"""The differential test's machinery (test_differential.py): tampered certificates of the kinds Coq covers, their
Python verdict (``proofs.check_certificate``), and their ``check-cert --coq`` verdict with every coqc run batched.

Bases: the covered certificates of the tampering corpus — certlib.pool() (tests/soundness/data/pool.json),
proofs/library and tests/soundness/forged. Mutants: a seeded ``random.Random``
applies one of test_tampering.py's strategies (a coordinate of the point; the leaves of one body field —
direction, ascent, descent curve, congruence, witness; the claimed loss; claim kinds swapped among the covered
ones, alone, with the body's kind, or with a donor's body; another problem of the corpus, rehashed or not) or
gives the problem another covered loss (square, mse, even powers, polynomials; rehashed). The same seed and count
give the same mutants, each with a ``reason`` (the strategy and the field or kind it touched).

The Coq side is check_with_coq (verify/certify/coq_check.py) with only its coqc step replaced: ``_prepare`` reads
the mutant exactly as ``check-cert --coq`` does (the reader, problem hash, body kind, coverage, hints, translate);
where it yields an instance file, translate.check_expression gives the same definitions and the boolean that the
file's proofs compute (``vm_cast_no_check (eq_refl true)`` is accepted iff it is ``true``). All of a run's
booleans go into two .v files, each boolean in its own ``Module M<i>`` (``Eval vm_compute in (i, <boolean>)``),
and two coqc processes evaluate them side by side: ~0.015 s a certificate instead of ~1 s.
"""

from __future__ import annotations

import collections
import copy
import dataclasses
import json
import random
import re
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

from coqtools import LIBRARY, ROOT

sys.path.insert(0, str(ROOT / "tests" / "soundness"))   # certlib (the tampering corpus and its oracle)

import certlib  # noqa: E402

from proofs import MalformedCertificate, check_certificate, problem_hash  # noqa: E402
from proofs.coq.translate import _PRELUDE, COVERED, TranslationError, check_expression  # noqa: E402
from proofs.coq.translate import covered as coq_covered  # noqa: E402
from proofs.coq.translate import translate as coq_translate  # noqa: E402

FORGED = ROOT / "tests" / "soundness" / "forged"
KINDS = list(COVERED)
LOSSES = {   # name -> the problem's "loss" (None: the field is dropped, i.e. square)
    "square": None, "mse": "mse", "power-4": {"power": 4}, "power-6": {"power": 6},
    "poly-even": {"poly": ["0", "0", "1/2", "0", "1/4"]},            # ½e² + ¼e⁴: Coq's Σ c_k e^{2k}, c_k ≥ 0
    "poly-nonneg-odd-terms": {"poly": ["0", "0", "1", "1", "1"]},    # e²(1 + e + e²) ≥ 0, odd coefficient
    "poly-nonneg-negative-odd": {"poly": ["0", "0", "1", "-1", "1"]},  # e²(1 − e + e²) ≥ 0, odd coefficient
    "poly-sign-changing": {"poly": ["0", "1", "1"]},                 # e + e²: negative on (−1, 0)
    "poly-negative": {"poly": ["0", "0", "-1"]},                     # −e²
}


# --------------------------------------------------------------------------- the corpus
def _load(path):
    try:
        return json.loads(path.read_text())
    except (ValueError, RecursionError):   # a forged file holding a 10,000-digit integer, or nested too deep
        return None


def _covered(c):
    try:
        coq_covered(c)
        return True
    except (TranslationError, TypeError, AttributeError, KeyError):
        return False


def bases():
    """[(name, certificate)] of every covered certificate of the corpus, in a fixed order. Not
    tests/soundness/findings: its covered certificates are DoS inputs or hold 2,000-digit numbers, which Coq takes
    12 s, 45 s and more than 120 s (out of memory) to decide — a budget, not a verdict, question."""
    found = [(f"pool[{i}]", c) for i, c in enumerate(certlib.pool())]
    for where, files in (("library", sorted(LIBRARY.glob("*.json"))), ("forged", sorted(FORGED.glob("*.json")))):
        found += [(f"{where}/{f.stem}", c) for f in files if isinstance(c := _load(f), dict)]
    return [(name, c) for name, c in found if _covered(c)]


# --------------------------------------------------------------------------- mutation (test_tampering.py's ways)
def _paths(x, prefix=()):
    yield prefix
    items = x.items() if isinstance(x, dict) else enumerate(x) if isinstance(x, list) else ()
    for k, v in items:
        yield from _paths(v, prefix + (k,))


def _get(x, path):
    for p in path:
        x = x[p]
    return x


def _set(x, path, value):
    _get(x, path[:-1])[path[-1]] = value


def _is_rat(v):
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        return False
    try:
        Fraction(v)
        return True
    except (ValueError, ZeroDivisionError):
        return False


def _small_q(rng, nonzero=False):
    while True:
        f = Fraction(rng.randint(-48, 48), rng.randint(1, 12))
        if f or not nonzero:
            return f


def _vec(rng, n):
    return [str(_small_q(rng)) for _ in range(n)]


def _mutate_point(rng, c, ctx):
    i = rng.randrange(len(c["claim"]["point"]))
    c["claim"]["point"][i] = str(Fraction(c["claim"]["point"][i]) + _small_q(rng, nonzero=True))
    return "point"


def _mutate_body(rng, c, ctx):
    """1–3 rational leaves of ONE body field (so the reason names what was altered)."""
    fields = sorted({p[1] for p in _paths(c["body"], ("body",)) if len(p) > 2 and _is_rat(_get(c, p))})
    if not fields:
        c["body"]["extra"] = "1"
        return "body:extra-field"
    name = rng.choice(fields)
    leaves = [p for p in _paths(c["body"], ("body",)) if len(p) > 2 and p[1] == name and _is_rat(_get(c, p))]
    for _ in range(rng.randint(1, 3)):
        p = rng.choice(leaves)
        old = Fraction(_get(c, p))
        how = rng.randrange(3)
        new = _small_q(rng) if how == 0 else _small_q(rng) * old if how == 1 else \
            rng.choice([0, -old, 2 * old, old + 1, old / 3])
        _set(c, p, str(Fraction(new)))
    return f"body:{name}"


def _mutate_loss(rng, c, ctx):
    """claim.loss: a random rational, or the true L(point) (proofs.loss), or it off by a small amount."""
    how = rng.choice(["random", "true", "off"])
    if how == "random":
        c["claim"]["loss"] = str(_small_q(rng))
    else:
        from proofs.loss import loss
        from proofs.reader import read_problem

        value = loss(read_problem(c["problem"]), [Fraction(x) for x in c["claim"]["point"]])
        c["claim"]["loss"] = str(Fraction(value) + (0 if how == "true" else _small_q(rng, nonzero=True) / 64))
    return f"claimed-loss:{how}"


def _mutate_swap(rng, c, ctx):
    how = rng.choice(["claim-only", "both", "both+borrow"])
    old, kind = c["claim"]["kind"], rng.choice([k for k in KINDS if k != c["claim"]["kind"]])
    c["claim"]["kind"] = kind
    if how != "claim-only":
        c["body"]["kind"] = kind
    if how == "both+borrow":   # the body of a base of that kind with as many parameters (critical-point: none)
        donors = [d["body"] for _, d in ctx["bases"] if d["claim"]["kind"] == kind and
                  len(d["claim"]["point"]) == len(c["claim"]["point"])] + [{"kind": kind}] * (kind == "critical-point")
        if donors:
            c["body"] = copy.deepcopy(rng.choice(donors))
        else:
            how = "both"
    return f"swap-{how}:{old}->{kind}"


def _mutate_problem(rng, c, ctx):
    c["problem"] = copy.deepcopy(rng.choice(ctx["problems"]))
    if rehash := rng.random() < 0.5:
        c["problem_sha256"] = problem_hash(c["problem"])
    return "problem:" + ("rehashed" if rehash else "stale-hash")


def _mutate_loss_function(rng, c, ctx):
    name = rng.choice(sorted(LOSSES))
    c["problem"].pop("loss", None)
    if LOSSES[name] is not None:
        c["problem"]["loss"] = copy.deepcopy(LOSSES[name])
    c["problem_sha256"] = problem_hash(c["problem"])
    return f"loss-function:{name}"


def _mutate_curves(rng, c, ctx):
    """test_reshaped_curves_and_directions, for saddles (others: a coordinate of the point)."""
    b, n = c["body"], len(c["claim"]["point"])
    if c["claim"]["kind"] not in ("strict-saddle", "non-strict-saddle"):
        return _mutate_point(rng, c, ctx)
    how = rng.choice(["new-direction", "new-ascent", "new-curve", "add-curve-term", "ascent-as-curve",
                      "drop-ascent"])
    if how == "new-direction" and "direction" in b:
        b["direction"] = _vec(rng, n)
    elif how == "new-ascent":
        b["ascent"] = {"direction": _vec(rng, n)}
    elif how == "new-curve" and "descent_curve" in b:
        b["descent_curve"] = [_vec(rng, n) for _ in range(rng.randint(1, 3))]
    elif how == "add-curve-term" and "descent_curve" in b:
        b["descent_curve"] = b["descent_curve"] + [_vec(rng, n)]
    elif how == "ascent-as-curve":
        b["ascent"] = {"curve": [_vec(rng, n) for _ in range(rng.randint(1, 3))]}
    else:
        how = "drop-ascent"
        b.pop("ascent", None)
    return f"curve:{how}"


STRATEGIES = [_mutate_point, _mutate_body, _mutate_body, _mutate_loss, _mutate_swap, _mutate_problem,
              _mutate_loss_function, _mutate_curves]


@dataclasses.dataclass
class Mutant:
    index: int
    reason: str        # strategy:detail (the base is in `base`)
    base: str
    cert: dict


def mutants(count, seed=20250611):
    """`count` distinct mutants (none equal to a base), deterministic in (count, seed). Only bases that the checker
    reads (verified or rejected) are mutated; donors and problems come from them too."""
    bs = [(name, c) for name, c in bases() if python_verdict(c)[0] != "malformed"]
    ctx = {"bases": bs, "problems": [c["problem"] for _, c in bs]}
    rng, seen, out = random.Random(seed), {json.dumps(c, sort_keys=True) for _, c in bs}, []
    while len(out) < count:
        name, base = rng.choice(bs)
        c = copy.deepcopy(base)
        reason = rng.choice(STRATEGIES)(rng, c, ctx)
        key = json.dumps(c, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(Mutant(len(out), reason, name, c))
    return out


def unmutated():
    """Every base itself, as a Mutant with reason "base" (the malformed forgeries included)."""
    return [Mutant(i, "base", name, copy.deepcopy(c)) for i, (name, c) in enumerate(bases())]


# --------------------------------------------------------------------------- verdicts
def python_verdict(cert):
    """(verified | rejected | malformed, the checker's reason) — proofs.check_certificate, in this process."""
    try:
        r = check_certificate(cert)
    except MalformedCertificate as e:
        return "malformed", str(e)
    return ("verified" if r.verified else "rejected"), r.reason


@dataclasses.dataclass
class CoqSide:
    """What check-cert --coq does with a certificate before coqc: ``stage`` is "coq" (an instance to evaluate:
    ``definitions``, ``expression``; ``text`` the file check_with_coq would run), "pre-coq-rejected" (problem hash
    or body kind, checked in coq_check), "malformed" (the reader or the translator) or "not-covered"; ``reason``
    its message."""

    stage: str
    reason: str = ""
    definitions: str = ""
    expression: str = ""
    text: str = ""


def coq_side(cert):
    from proofs.reader import read_problem
    from verify.certify.coq_check import _prepare
    from verify.certify.coq_hints import coq_hints

    prepared = _prepare(cert)
    if prepared[0] != "ok":
        return CoqSide({"rejected": "pre-coq-rejected"}.get(prepared[0], prepared[0]), prepared[2])
    hints = coq_hints(read_problem(cert["problem"]), cert["claim"], cert["body"])
    definitions, expression = check_expression(cert, hints)
    assert coq_translate(cert, hints) == prepared[2], "check-cert --coq would write another file"
    return CoqSide("coq", "", definitions, expression, prepared[2])


def translator_alone(cert):
    """The translator on the raw certificate, without the checker's reader: "refuses" (TranslationError or
    NotCovered) or "accepts". Hints are coq_hints' when the reader reads the problem, else placeholders of the
    right shape (hints are untrusted: this asks whether the translator reads the CERTIFICATE's fields)."""
    from proofs.reader import read_problem
    from verify.certify.coq_hints import coq_hints

    try:
        n = coq_covered(cert)[2]
        try:
            hints = coq_hints(read_problem(cert["problem"]), cert["claim"], cert["body"])
        except Exception:   # noqa: BLE001 - the reader (which the hints need) refuses the certificate
            hints = {"mu": 1, "terms": [], "psd": [], "ascent": {"direction": [1] * n}}
        check_expression(cert, hints)
    except TranslationError:   # NotCovered too
        return "refuses"
    return "accepts"


_RESULT = re.compile(r"=\s*\((\d+)%nat,\s*(true|false)\)\s*:\s*nat\s*\*\s*bool")


def batch_file(items):
    """One .v file evaluating every (definitions, expression) pair, each in its own module, tagged by its index."""
    parts = [f"Module M{i}.\n{d}Eval vm_compute in ({i}%nat, {e}).\nEnd M{i}.\n" for i, (d, e) in enumerate(items)]
    return "\n".join(_PRELUDE) + "\n" + "".join(parts)


def run_batch(coqc, items, timeout=600.0, jobs=2):
    """[bool] — each expression's value — from coqc runs under check_with_coq's limits (process group killed at
    `timeout` seconds, address space capped): the items split into `jobs` files, one coqc each, run side by side."""
    from concurrent.futures import ThreadPoolExecutor

    from verify.certify.coq_check import _run, ensure_library

    if not items:
        return []
    lib = ensure_library(coqc)
    size = -(-len(items) // jobs)
    chunks = [items[i:i + size] for i in range(0, len(items), size)]

    def one(chunk):
        with tempfile.TemporaryDirectory(prefix="spurious-coq-diff-") as tmp:
            (Path(tmp) / "Batch.v").write_text(batch_file(chunk), encoding="ascii")
            rc, out = _run([coqc, "-R", str(lib), "Spurious", "Batch.v"], tmp, timeout)
        if rc != 0:
            raise RuntimeError(f"coqc failed on the batch (rc {rc}): {out[-3000:]}")
        found = [(int(i), v == "true") for i, v in _RESULT.findall(out)]
        assert [i for i, _ in found] == list(range(len(chunk))), f"unexpected coqc output: {out[:2000]}"
        return [v for _, v in found]

    with ThreadPoolExecutor(len(chunks)) as pool:
        return [v for values in pool.map(one, chunks) for v in values]


# --------------------------------------------------------------------------- the comparison
AGREE = {("verified", "true"): "both verify", ("rejected", "false"): "both reject",
         ("rejected", "pre-coq-rejected"): "both reject (before coqc)",
         ("malformed", "malformed"): "both refuse", ("malformed", "not-covered"): "both refuse"}


@dataclasses.dataclass
class Row:
    """One certificate: its Python verdict and reason, its check-cert --coq verdict (true | false, the value coqc
    computed; pre-coq-rejected | malformed | not-covered) and, when Python calls it malformed, what the translator
    alone does with it."""

    mutant: Mutant
    python: str
    python_reason: str
    coq: str
    coq_reason: str
    alone: str = ""

    @property
    def kind(self):
        return self.mutant.cert["claim"]["kind"]

    @property
    def coq_verdict(self):
        """The Coq side as the comparison reads it: a Python-malformed certificate that check-cert --coq refuses
        (by the checker's reader, before the translator) but that the translator alone accepts is "translator
        accepts" — Python MALFORMED must match a translator refusal."""
        if self.python == "malformed" and self.coq in ("malformed", "not-covered") and self.alone == "accepts":
            return "translator accepts"
        return self.coq

    @property
    def agrees(self):
        return (self.python, self.coq_verdict) in AGREE


def evaluate(coqc, ms):
    """([Row], [Row] dropped, {phase: seconds}) for the mutants `ms`: the Python verdict, check-cert --coq's
    reading, the batched coqc runs. Dropped: certificates Coq does not cover while Python decides them."""
    import time

    rows, pending, seconds = [], [], collections.Counter()
    for m in ms:
        t = time.monotonic()
        py, why = python_verdict(m.cert)
        seconds["python check"] += time.monotonic() - t
        t = time.monotonic()
        side = coq_side(m.cert)
        row = Row(m, py, why, side.stage, side.reason)
        if side.stage == "coq":
            pending.append((row, (side.definitions, side.expression)))
        if py == "malformed":
            row.alone = translator_alone(m.cert)
        seconds["coq reading, hints, translation"] += time.monotonic() - t
        rows.append(row)
    t = time.monotonic()
    for (row, _), value in zip(pending, run_batch(coqc, [item for _, item in pending]), strict=True):
        row.coq = "true" if value else "false"
    seconds[f"coqc ({len(pending)} checks, 2 runs)"] += time.monotonic() - t
    out = [r.coq == "not-covered" and r.python != "malformed" for r in rows]
    return [r for r, o in zip(rows, out) if not o], [r for r, o in zip(rows, out) if o], dict(seconds)


def table(rows, category):
    """Counts per category (``category(row)``) × claim kind, as text."""
    counts = collections.Counter((category(r), r.kind) for r in rows)
    cats = sorted({c for c, _ in counts}, key=lambda c: (c.startswith("DISAGREE"), c))
    width = max(len(c) for c in cats + ["category"])
    short = [k.replace("spurious-", "spur-").replace("non-strict-", "nonstrict-") for k in KINDS]
    lines = [f"{'category':{width}s} " + " ".join(f"{k:>16s}" for k in short) + f" {'total':>6s}"]
    for cat in cats + ["total"]:
        n = [sum(v for (c, k), v in counts.items() if k == kk and cat in (c, "total")) for kk in KINDS]
        lines.append(f"{cat:{width}s} " + " ".join(f"{x:16d}" for x in n) + f" {sum(n):6d}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- independent confirmations (sympy)
def phi(problem):
    """φ's coefficients (certlib.loss_phi: sympy Rationals) of a problem's loss."""
    return certlib.loss_phi(problem)


def nonnegative(cs):
    """Σ c_k t^k ≥ 0 on R, decided by sympy (degree even, leading coefficient > 0, no real root of odd
    multiplicity) — independently of proofs.loss.nonnegative (flint)."""
    import sympy as sp

    t = sp.Symbol("t")
    p = sp.Poly(sum(c * t**k for k, c in enumerate(cs)), t)
    if p.is_zero:
        return True
    if p.degree() % 2 or p.LC() < 0:
        return False
    return all(m % 2 == 0 or f.count_roots() == 0 for f, m in p.sqf_list()[1])


def coq_even_form(cs):
    """Checker.v's fit_nonneg for PolyFit: Σ c_k e^{2k}, every c_k ≥ 0 (odd coefficients 0)."""
    return all(c == 0 for c in cs[1::2]) and all(c >= 0 for c in cs[0::2])
