"""Solver attestations are read by verify/certify/attestation_check.py, outside the checker (proofs/): they are never
VERIFIED, so they are not part of the trusted base. `check_any` and `spurious check-cert` still answer ATTESTED
(exit 4, trust solver) for an attestation tied to its problem, REJECTED (exit 1) otherwise, malformed (exit 2)."""

import json
import os
import pathlib
import subprocess
import sys

import pytest
from certlib import attestation_cert, attestation_query

import proofs
from proofs import MalformedCertificate, Outcome
from verify.certify.attestation_check import check_any, check_any_file, check_attestation

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEEP2 = {"kind": "deep-linear", "widths": [1, 1, 1], "X": [["1"]], "Y": [["1"]], "reg": "0"}
CUBIC = {"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": ["0", "-3", "0", "1"]}, "X": [["1"]],
         "Y": [["3"]], "train_output": False, "output": [["1"]], "reg": "0"}
TIED = attestation_cert(DEEP2)
UNTIED = attestation_cert(DEEP2, text=attestation_query(CUBIC))   # a query about another problem


def spurious(*argv):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    p = subprocess.run([sys.executable, "-m", "verify.cli", *map(str, argv)], cwd=ROOT, env=env, capture_output=True,
                       timeout=120)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def test_a_tied_attestation_is_attested_never_verified():
    r = check_any(TIED)
    assert (r.outcome, r.verified, r.trust, r.outcome.exit_code) == (Outcome.ATTESTED, False, "solver", 4)
    assert r.claim.startswith("solver-attested (not kernel-checked): no-spurious-local-min: ")
    assert r.reason.startswith("solver-attested, not kernel-checked: this checker did not re-run or re-check the "
                               "query (1 query script(s), each asserting ∇L = 0 of the embedded problem)")
    assert r.reason.endswith("trust rests on z3 4.13.0, cvc5 1.1.2 answering 'unsat'")
    assert check_attestation(json.dumps(TIED)) == r == check_any(TIED, timeout=30)   # the same in a child process
    assert check_any(TIED, expected_problem_sha256=TIED["problem_sha256"]) == r


def test_an_untied_attestation_is_rejected():
    r = check_any(UNTIED)
    assert (r.outcome, r.verified, r.trust, r.outcome.exit_code) == (Outcome.REJECTED, False, "none", 1)
    assert r.reason == ("solver-attested: query script 0 does not declare the problem's 2 parameters W1_0_0 W2_0_0 "
                        "first, in canonical order")
    pinned = check_any(TIED, expected_problem_sha256="0" * 64)
    assert pinned.outcome is Outcome.REJECTED and "not the given 000000000000…" in pinned.reason


def test_malformed_attestations_raise():
    broken = json.loads(json.dumps(TIED))
    broken["body"]["solvers"] = []
    with pytest.raises(MalformedCertificate, match=r"body\.solvers: expected a list of 1\.\.10 solver records"):
        check_any(broken)
    with pytest.raises(MalformedCertificate, match="claim.kind: expected 'solver-attested'"):
        check_attestation(json.loads((ROOT / "proofs/library/kawaguchi-depth2-origin-strict-saddle.json").read_text()))


def test_other_kinds_go_to_the_checker():
    f = ROOT / "proofs/library/kawaguchi-depth2-origin-strict-saddle.json"
    assert check_any_file(f) == proofs.check_file(f) and check_any_file(f).verified


@pytest.mark.parametrize("cert,code,head", [(TIED, 4, "ATTESTED (not verified): solver-attested (not kernel-checked)"),
                                            (UNTIED, 1, "REJECTED: solver-attested [deep-linear widths [1, 1, 1]")])
def test_check_cert_exit_codes(tmp_path, cert, code, head):
    f = tmp_path / "attestation.json"
    f.write_text(json.dumps(cert))
    got, out, err = spurious("check-cert", f)
    assert got == code and out.startswith(head), (out, err)
    got, out, err = spurious("check-cert", f, "--json")
    j = json.loads(out)
    assert (got, j["verified"], j["trust"]) == (code, False, "solver" if code == 4 else "none")
    f.write_text(json.dumps(dict(cert, version=2)))
    got, out, err = spurious("check-cert", f)
    assert got == 2 and "certificate.version: version 2 is not supported" in err, (out, err)


def test_the_checker_no_longer_reads_attestations():
    """proofs/ has no solver-attested kind since c12ded2: the checker alone calls an attestation malformed."""
    with pytest.raises(MalformedCertificate, match="solver-attested"):
        proofs.check_certificate(TIED)
