"""Golden forged certificates (lean4checker's AddFalse style): each is refused with its expected reason."""

import json
import pathlib

import pytest

from proofs import MalformedCertificate
from verify.certify.attestation_check import check_any_file

FORGED = pathlib.Path(__file__).resolve().parent / "forged"
EXPECTED = json.loads((FORGED / "EXPECTED.json").read_text())


def test_every_forged_file_has_an_expectation():
    assert {f.name for f in FORGED.glob("*.json")} - {"EXPECTED.json"} == set(EXPECTED)
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_forged_certificate_is_refused(name):
    want = EXPECTED[name]
    try:
        r = check_any_file(FORGED / name)
    except MalformedCertificate as e:
        outcome, reason = "malformed", str(e)
    else:
        outcome, reason = ("accepted" if r.verified else "rejected"), r.reason
    assert outcome == want["outcome"], reason
    assert want["reason"] in reason
