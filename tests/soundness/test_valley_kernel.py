"""`spurious-rescaling-valley` (proofs/morse_bott.py): the kernel accepts a spurious minimum up to rescaling as a
spurious valley only under the orbit lemma's hypotheses (verify/run/valley_route.py). Each mutant below keeps a
well-formed certificate whose problem hash is recomputed, so only the hypothesis check can reject it."""

import copy
import json
from pathlib import Path

import pytest
from certlib import oracle

import proofs

LIB = Path(__file__).resolve().parents[2] / "proofs" / "library"
BASE = json.loads((LIB / "poly-net-square-rescaling-valley.json").read_text())


def _rehashed(edit):
    c = copy.deepcopy(BASE)
    edit(c)
    c["problem_sha256"] = proofs.problem_hash(c["problem"])
    return c


def test_library_valley_is_verified_and_true():
    r = proofs.check_certificate(BASE)
    assert r.verified and r.trust == "kernel" and "spurious valley" in r.claim, r
    assert oracle(BASE) is True


MUTANTS = {
    # Λ > 0 on one entry: L is no longer rescaling-invariant (the point is not even critical; rejected either way)
    "regularised": lambda c: c["problem"].update(reg="1/10"),
    # σ(t) = t² + t: not a monomial, no rescaling symmetry (the family identity fails too)
    "not-monomial": lambda c: c["problem"]["activation"].update(poly=["0", "1", "1"]),
    # the kernel's hypothesis list only: a spurious Morse–Bott minimum of a dead unit (w = 0) is not a free orbit
    "dead-unit": None,
    # the output fixed: no u to rescale
    "fixed-output": lambda c: c["problem"].update(train_output=False, output=[["1"]]),
}


def _dead_unit():
    dead = json.loads((LIB / "poly-net-square-dead-unit-spurious-morse-bott-min.json").read_text())
    dead["claim"]["kind"] = dead["body"]["kind"] = "spurious-rescaling-valley"
    return dead


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutants_are_not_verified(name):
    c = _dead_unit() if MUTANTS[name] is None else _rehashed(MUTANTS[name])
    try:
        r = proofs.check_certificate(c)
    except proofs.MalformedCertificate:
        return
    assert not r.verified, (name, r)
    assert oracle(c) is not True, name


def test_dead_unit_is_rejected_by_the_orbit_rule_itself():
    """The dead-unit file is a valid spurious-morse-bott-min: only the orbit hypotheses can reject it."""
    r = proofs.check_certificate(_dead_unit())
    assert not r.verified and "w_i = 0 or u_i = 0" in r.reason, r


def test_the_same_file_as_a_plain_morse_bott_minimum_is_verified():
    c = copy.deepcopy(BASE)
    c["claim"]["kind"] = c["body"]["kind"] = "spurious-morse-bott-min"
    assert proofs.check_certificate(c).verified
