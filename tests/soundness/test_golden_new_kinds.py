"""Golden certificates of the kinds the sympy oracle of the tampering suites does not decide yet (a theorem's
conclusion; a non-isolated minimum), each verified by the kernel, with their forgery suites beside them
(test_theorem_forgeries.py, test_morse_bott_forgeries.py). Written by the emitters (verify/certify/theorem.py,
verify.certify.spurious_certificate); moving them into proofs/library/ needs oracle support in certlib.py."""

import json
import pathlib

import pytest

from proofs import Outcome, check_certificate, check_file

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"
EXPECTED = {
    "kawaguchi-2x1x2-theorem-instance.json": "theorem-instance: no-spurious-local-min by kawaguchi-2016-theorem-2.3",
    "square-net-dead-unit-spurious-morse-bott-min.json": "spurious-morse-bott-min",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_certificate_verifies(name):
    r = check_file(GOLDEN / name)
    assert r.outcome is Outcome.VERIFIED and r.claim.startswith(EXPECTED[name]), r.reason


def test_golden_theorem_instance_fails_on_a_repeated_eigenvalue():
    c = json.loads((GOLDEN / "kawaguchi-2x1x2-theorem-instance.json").read_text())
    c["problem"]["Y"] = [["1", "0"], ["0", "1"]]
    c["problem_sha256"] = __import__("proofs").problem_hash(c["problem"])
    r = check_certificate(c)
    assert r.outcome is Outcome.REJECTED, r.reason


def test_golden_morse_bott_witness_must_be_lower():
    c = json.loads((GOLDEN / "square-net-dead-unit-spurious-morse-bott-min.json").read_text())
    c["body"]["witness"] = ["0", "-1"]
    assert check_certificate(c).outcome is Outcome.REJECTED
