"""The public API's contract: result fields, trust levels, the problem pin, the LCF token, relu-teacher boxes."""

import copy
import json
import pathlib

import pytest
from certlib import attestation_cert

from proofs import CheckResult, MalformedCertificate, Outcome, check_certificate, check_file, problem_hash
from proofs.kernel import Fact
from verify.certify.attestation_check import check_any

LIB = pathlib.Path(__file__).resolve().parents[2] / "proofs" / "library"
S2 = json.loads((LIB / "kawaguchi-depth2-origin-strict-saddle.json").read_text())
RT = json.loads((LIB / "relu-teacher-k1-n2-isolated-min.json").read_text())


def test_public_api_shape():
    import proofs

    assert set(proofs.__all__) >= {"check_certificate", "check_file", "CheckResult", "MalformedCertificate",
                                   "problem_hash"}
    r = check_certificate(S2)
    assert isinstance(r, CheckResult) and r.verified and r.trust == "kernel" and r.outcome is Outcome.VERIFIED
    assert r.to_json() == {"verified": True, "outcome": "verified", "claim": r.claim, "reason": r.reason,
                           "trust": "kernel"}
    assert r.text().startswith("VERIFIED: strict-saddle at (0, 0)")
    assert [o.exit_code for o in Outcome] == [0, 1, 4]
    assert check_certificate(json.dumps(S2)) == r == check_certificate(json.dumps(S2).encode())


def test_problem_hash_is_canonical_json_sha256():
    import hashlib

    p = S2["problem"]
    want = hashlib.sha256(json.dumps(p, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    assert problem_hash(p) == want == S2["problem_sha256"]


def test_expected_problem_pin():
    assert check_certificate(S2, expected_problem_sha256=S2["problem_sha256"]).verified
    r = check_certificate(S2, expected_problem_sha256="0" * 64)
    assert not r.verified and "not the given" in r.reason


def test_facts_cannot_be_made_outside_the_kernel():
    with pytest.raises(TypeError):
        Fact(object(), "claim", ("local-min",))


def test_solver_attested_is_never_a_kernel_proof():
    c = attestation_cert(S2["problem"])
    r = check_any(c)
    assert r.outcome is Outcome.ATTESTED and r.attested and r.outcome.exit_code == 4
    assert not r.verified and r.trust == "solver"
    assert r.to_json()["verified"] is False and r.to_json()["outcome"] == "attested"
    assert r.reason.startswith("solver-attested, not kernel-checked")
    assert r.claim.startswith("solver-attested (not kernel-checked): no-spurious-local-min: ")
    assert r.text().startswith("ATTESTED (not verified): solver-attested (not kernel-checked)")


def test_attestation_of_assert_false_is_rejected():
    c = attestation_cert(S2["problem"], text="(assert false)\n(check-sat)\n")
    r = check_any(c)
    assert r.outcome is Outcome.REJECTED and r.trust == "none"
    assert r.reason == "solver-attested: query script 0 does not start with (set-logic QF_NRA)"


def test_relu_teacher_box_checks():
    assert check_certificate(RT).verified
    for radius in (["1/10", "1/10"], ["1", "1"]):
        c = copy.deepcopy(RT)
        c["claim"]["radius"] = radius
        assert not check_certificate(c).verified
    c = copy.deepcopy(RT)
    c["claim"]["centre"] = [str(float(0)), "1"]
    with pytest.raises(MalformedCertificate):
        check_certificate(c)
    c = copy.deepcopy(RT)
    c["claim"]["centre"] = ["9/10", "9/10"]   # moved off the critical point: K(X) leaves the box
    r = check_certificate(c)
    assert not r.verified and r.reason.startswith("krawczyk")


def test_rejection_names_the_step():
    c = copy.deepcopy(S2)
    c["body"]["direction"] = ["0", "0"]
    r = check_certificate(c)
    assert r.reason == "strict-saddle: the direction is 0"


def test_check_file_reads_bytes(tmp_path):
    f = tmp_path / "c.json"
    f.write_text(json.dumps(S2))
    assert check_file(f).verified
    assert check_file(str(f)).verified
