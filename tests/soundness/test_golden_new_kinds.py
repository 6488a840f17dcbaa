"""Library certificates of the theorem-instance and Morse–Bott kinds, each broken in the one place that must make
the checker reject it (the kinds' forgery suites are test_theorem_forgeries.py and test_morse_bott_forgeries.py;
their tampering with an oracle verdict on every verified mutant is test_tampering.py)."""

import json
import pathlib

from certlib import oracle

from proofs import Outcome, check_certificate, problem_hash

LIB = pathlib.Path(__file__).resolve().parents[2] / "proofs" / "library"
THEOREM = LIB / "kawaguchi-2x1x2-theorem-instance.json"
MORSE_BOTT = LIB / "poly-net-square-dead-unit-spurious-morse-bott-min.json"


def test_library_theorem_instance_fails_on_a_repeated_eigenvalue():
    c = json.loads(THEOREM.read_text())
    c["problem"]["Y"] = [["1", "0"], ["0", "1"]]
    c["problem_sha256"] = problem_hash(c["problem"])
    c["body"].pop("charpoly")
    r = check_certificate(c)
    assert r.outcome is Outcome.REJECTED and "distinct eigenvalues fails" in r.reason, r.reason
    assert oracle(c) is False


def test_library_morse_bott_witness_must_be_lower():
    c = json.loads(MORSE_BOTT.read_text())
    c["body"]["witness"] = ["0", "-1"]
    r = check_certificate(c)
    assert r.outcome is Outcome.REJECTED and "witness" in r.reason, r.reason
    assert oracle(c) is None
