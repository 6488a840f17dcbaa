"""Differential test: Coq (``check-cert --coq``) and the Python kernel (``proofs.check_certificate``) give the same
verdict on tampered certificates of the kinds Coq covers (machinery: differential.py).

Mutants: test_tampering.py's strategies applied by a seeded random.Random to the covered certificates of the corpus
(certlib.pool(), proofs/library, tests/soundness/forged), plus every base itself. Verdicts must agree:

    Python VERIFIED  ↔ coqc computes the check true
    Python REJECTED  ↔ coqc computes it false (or check-cert --coq rejects before coqc: problem hash, body kind)
    Python MALFORMED ↔ check-cert --coq refuses it AND the translator alone refuses it ("both refuse")

A run's coqc evaluations are batched into two coqc processes (differential.run_batch); test_batch_is_check_with_coq
shows that the batched boolean is check_with_coq's verdict (coqc on translate's file alone). Every disagreement is
listed (run with -s for the table) and must be one of KNOWN, each confirmed independently of proofs/ (certlib's
sympy oracle, sympy's root counting); KNOWN must be exact: no unexpected disagreement, no entry without one.

Default run: the first DEFAULT mutants (~4 s); the full run (slow, CI) the first FULL (~15 s): the same sequence.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import re
import time
from typing import Callable

import differential as D
import pytest

DEFAULT, FULL = 150, 1000


# --------------------------------------------------------------------------- the known disagreements
def _claim_is_true(row):
    """(a): certlib's sympy oracle decides the claim (loss, gradient, Hessian inertia, curves, witness) true."""
    return None if D.certlib.oracle(row.mutant.cert) is True else "the oracle does not confirm the claim"


def _zero_loss_with_a_loss_coq_does_not_read_as_nonnegative(row):
    """(b): a zero-loss global-min whose loss is a polynomial φ ≥ 0 (sympy) that is not Σ c_k e^{2k} with c_k ≥ 0
    — Checker.v's fit_nonneg is false, so check_global_min is — and whose claim the oracle finds true (L = 0,
    λ ≥ 0; with φ ≥ 0, L ≥ 0 everywhere)."""
    c = row.mutant.cert
    if row.kind != "global-min" or not isinstance(c["problem"].get("loss"), dict):
        return "not a global-min with a polynomial loss"
    cs = D.phi(c["problem"])
    if not D.nonnegative(cs) or D.coq_even_form(cs):
        return f"φ = {cs}: not (φ ≥ 0 and outside Coq's form)"
    return _claim_is_true(row)


@dataclasses.dataclass(frozen=True)
class Known:
    name: str
    python: str
    coq: str
    why: str
    confirm: Callable   # Row -> None when the explanation holds for this row, else what fails


KNOWN = {   # the mutant's reason (Python's, a regex matched at its start) -> the disagreement it explains
    r"congruence: ": Known(
        "(a) congruence hint not read by Coq", "rejected", "true",
        "Python checks the certificate's congruence M (M H Mᵀ diagonal, M invertible) and rejects a wrong one; "
        "Coq never reads it (coq_hints computes its own exact LDLᵀ), so a TRUE claim with a wrong hint is "
        "REJECTED by Python and VERIFIED by Coq. Both sound; Python is stricter about the certificate.",
        _claim_is_true),
    r"kernel-checked: L\(point\) = 0 <= L everywhere": Known(
        "(b) zero-loss: Coq's non-negativity test is narrower", "verified", "false",
        "Python accepts any polynomial φ ≥ 0 (flint: no real root of odd multiplicity); Checker.v's fit_nonneg "
        "only Σ c_k e^{2k} with c_k ≥ 0 (and square, mse, even powers). A zero-loss certificate with e.g. "
        "φ = e² + e³ + e⁴ = e²(1 + e + e²) is VERIFIED by Python and REJECTED by Coq.",
        _zero_loss_with_a_loss_coq_does_not_read_as_nonnegative),
}


def known_for(row):
    """(entry key, None) when a KNOWN entry explains this disagreement; (None, why not) otherwise."""
    keys = [k for k, e in KNOWN.items() if re.match(k, row.python_reason) and (e.python, e.coq) ==
            (row.python, row.coq_verdict)]
    if not keys:
        return None, "no KNOWN entry for this reason and verdict pair"
    failed = KNOWN[keys[0]].confirm(row)
    return (keys[0], None) if failed is None else (None, f"{KNOWN[keys[0]].name}, but {failed}")


# --------------------------------------------------------------------------- running
@dataclasses.dataclass
class Run:
    rows: list           # the mutants' rows
    base_rows: list      # the unmutated bases'
    dropped: list
    seconds: dict
    elapsed: float


@functools.lru_cache(maxsize=None)
def run(coqc, count):
    start = time.monotonic()
    ms = D.unmutated() + D.mutants(count)
    rows, dropped, seconds = D.evaluate(coqc, ms)
    return Run([r for r in rows if r.mutant.reason != "base"], [r for r in rows if r.mutant.reason == "base"],
               dropped, seconds, time.monotonic() - start)


def category(row):
    if row.agrees:
        return D.AGREE[(row.python, row.coq_verdict)]
    key, _ = known_for(row)
    return f"DISAGREE {KNOWN[key].name}" if key else f"DISAGREE UNEXPECTED python {row.python} / coq {row.coq_verdict}"


def report(r):
    """The summary printed with -s: counts per category × kind, timings, and every disagreement."""
    lines = [f"\ndifferential Coq / Python: {len(r.rows)} mutants + {len(r.base_rows)} bases in {r.elapsed:.1f} s "
             f"({', '.join(f'{k} {v:.1f} s' for k, v in r.seconds.items() if v)}); dropped (not covered, Python "
             f"decides): {len(r.dropped)}", "mutants:", D.table(r.rows, category), "bases:",
             D.table(r.base_rows, category),
             "mutants by strategy: " + ", ".join(f"{k} {v}" for k, v in sorted(collections.Counter(
                 m.mutant.reason.split(":")[0] for m in r.rows).items())), "disagreements:"]
    for row in r.base_rows + r.rows:
        if not row.agrees:
            key, why = known_for(row)
            lines.append(f"  #{row.mutant.index:<4d} {row.mutant.base} / {row.mutant.reason} [{row.kind}]: python "
                         f"{row.python} ({row.python_reason[:80]}), coq {row.coq_verdict} — "
                         f"{KNOWN[key].name if key else 'UNEXPECTED: ' + why}")
    print("\n".join(lines))


def check(r, at_least, coq_evaluated):
    report(r)
    assert len(r.rows) >= at_least, len(r.rows)
    evaluated = sum(row.coq in ("true", "false") for row in r.rows)
    assert evaluated >= coq_evaluated, f"only {evaluated} mutants reached coqc"
    assert {row.python for row in r.rows} == {"verified", "rejected", "malformed"}
    assert {row.coq for row in r.rows} >= {"true", "false", "pre-coq-rejected", "malformed"}
    assert {row.kind for row in r.rows if row.coq in ("true", "false")} == set(D.KINDS)
    unexpected = [(row.mutant.index, row.mutant.base, row.mutant.reason, row.python, row.coq_verdict,
                   row.python_reason[:120], known_for(row)[1]) for row in r.base_rows + r.rows
                  if not row.agrees and known_for(row)[0] is None]
    assert not unexpected, "disagreements KNOWN does not explain:\n" + "\n".join(map(str, unexpected))
    seen = {known_for(row)[0] for row in r.base_rows + r.rows if not row.agrees}
    assert seen == set(KNOWN), f"KNOWN entries with no disagreement (stale): {set(KNOWN) - seen}"


def test_differential(coqc):
    """The first DEFAULT mutants (and the bases): every verdict agrees or is a KNOWN, confirmed disagreement."""
    check(run(coqc, DEFAULT), DEFAULT, DEFAULT // 2)


@pytest.mark.slow
def test_differential_full(coqc):
    """The first FULL mutants: at least 500 of them decided by coqc."""
    check(run(coqc, FULL), FULL, 500)


# --------------------------------------------------------------------------- the batch is check_with_coq
def _expected(row):
    from verify.certify.coq_check import CoqOutcome

    return {"true": CoqOutcome.VERIFIED, "false": CoqOutcome.REJECTED, "pre-coq-rejected": CoqOutcome.REJECTED,
            "malformed": CoqOutcome.MALFORMED, "not-covered": CoqOutcome.NOT_COVERED}[row.coq]


def _picks(rows, every_kind):
    """The first row of each KNOWN entry, then of a false claimed loss, then of each Coq verdict (and claim kind)
    not yet among them."""
    chosen, covered = [], set()
    keys = lambda row: [(row.coq, row.kind if every_kind else "")]  # noqa: E731
    for want in [*KNOWN, "check_value false", "verdict"]:
        for row in rows:
            hit = (not row.agrees and known_for(row)[0] == want) if want in KNOWN else \
                (row.mutant.reason == "claimed-loss:off" and row.coq == "false") if want == "check_value false" \
                else not set(keys(row)) <= covered
            if hit and row not in chosen:
                chosen.append(row)
                covered.update(keys(row))
                if want != "verdict":
                    break
    return chosen


def _same_as_check_with_coq(rows):
    from verify.certify.coq_check import check_with_coq

    for row in rows:
        r = check_with_coq(row.mutant.cert, timeout=120)
        assert r.outcome is _expected(row), (row.mutant.index, row.mutant.reason, row.coq, r.outcome, r.reason)
        if r.outcome.name == "REJECTED":   # coqc's refusal (stderr) iff the batch computed false
            assert bool(r.stderr) == (row.coq == "false"), (row.mutant.index, r.reason)
        if row.mutant.reason == "claimed-loss:off" and row.coq == "false":
            assert "claimed_loss" in r.reason, r.reason


def test_batch_is_check_with_coq(coqc):
    """For a few mutants (each Coq verdict, each KNOWN disagreement, a false claimed loss) the batched boolean is
    the verdict of check_with_coq, which runs coqc on translate's file alone."""
    picks = _picks(run(coqc, DEFAULT).rows, every_kind=False)
    assert {p.coq for p in picks} >= {"true", "false", "pre-coq-rejected", "malformed"} and len(picks) <= 6
    _same_as_check_with_coq(picks)


@pytest.mark.slow
def test_batch_is_check_with_coq_every_kind(coqc):
    picks = _picks(run(coqc, FULL).rows, every_kind=True)
    assert {(p.kind, p.coq) for p in picks} >= {(k, v) for k in D.KINDS for v in ("true", "false")}
    _same_as_check_with_coq(picks)


# --------------------------------------------------------------------------- no coqc
def _check_of(theorem):
    """The boolean Checker.v's theorem concludes from: ``Theorem T : forall x…, check x… = true -> …`` (the check
    applied to the theorem's binders, in order): its name."""
    from verify.certify.coq_check import theories

    m = re.search(rf"Theorem {theorem} : forall ([\w ]+),\s*(\w+) ([\w ]+) = true ->",
                  (theories() / "Checker.v").read_text())
    assert m and m[1] == m[3], (theorem, m and m[0])
    return m[2]


def test_check_expression_is_the_boolean_of_translate():
    """check_expression's definitions are translate's, and its boolean is the one each soundness theorem that
    translate's file applies concludes from (Checker.v's text), on the same arguments; claimed_loss's
    (check_value) first."""
    from proofs.coq.translate import COVERED, check_expression, translate
    from proofs.reader import read_problem
    from verify.certify.coq_hints import coq_hints

    seen = set()
    for name, c in D.bases():
        if D.python_verdict(c)[0] == "malformed":
            continue
        hints = coq_hints(read_problem(c["problem"]), c["claim"], c["body"])
        text, (defs, expr) = translate(c, hints), check_expression(c, hints)
        assert defs in text and not any(line.startswith("Definition") for line in text.replace(defs, "").split("\n"))
        theorem, args = COVERED[c["claim"]["kind"]][1].split(" ", 1)
        assert f"apply ({theorem} {args})" in text
        check = f"({_check_of(theorem)} {args})"
        if "loss" in c["claim"]:
            value = re.search(r"apply \(value_sound (pb th \S+)\)", text)[1]
            assert expr == f"(andb ({_check_of('value_sound')} {value}) {check})", (name, expr)
        else:
            assert expr == check, (name, expr)
        seen.add(c["claim"]["kind"])
    assert seen == set(D.KINDS)
