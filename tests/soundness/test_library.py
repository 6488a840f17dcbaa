"""Every stored certificate in proofs/library/ is verified by the checker (and true per the sympy oracle: for a
theorem instance, the cited theorem applies; for a Morse–Bott minimum, the family spans null(H) ⪰ 0; for a complete
landscape, certlib's own count and classification of every critical point)."""

import json
import pathlib

import pytest
from certlib import expected_trust, oracle

from proofs import check_file

LIB = pathlib.Path(__file__).resolve().parents[2] / "proofs" / "library"
FILES = sorted(LIB.glob("*.json"))
EXPECTED = {
    "kawaguchi-depth2-origin-strict-saddle.json": "strict-saddle",
    "kawaguchi-depth3-origin-non-strict-saddle.json": "non-strict-saddle",
    "deep3-scalar-global-min.json": "global-min",
    "deep-linear-2x1x2-rank-dual-global-min.json": "global-min",
    "poly-net-square-local-min.json": "local-min",
    "poly-net-square-isolated-min.json": "isolated-critical-point",
    "poly-net-spurious-local-min.json": "spurious-local-min",
    "relu-teacher-k1-n2-isolated-min.json": "isolated-critical-point",
    "relu-teacher-k6-n6-spurious-min.json": "spurious-isolated-min",
    "relu-teacher-k7-n7-spurious-min.json": "spurious-isolated-min",
    "relu-teacher-k8-n8-spurious-min.json": "spurious-isolated-min",
    "relu-teacher-k9-n9-spurious-min.json": "spurious-isolated-min",
    "relu-teacher-k10-n10-spurious-min.json": "spurious-isolated-min",
    "relu-teacher-k11-n11-spurious-min.json": "spurious-isolated-min",
    "relu-teacher-k12-n12-spurious-min.json": "spurious-isolated-min",
    "kawaguchi-2x1x2-theorem-instance.json": "theorem-instance: no-spurious-local-min by kawaguchi-2016-theorem-2.3",
    "poly-net-square-dead-unit-spurious-morse-bott-min.json": "spurious-morse-bott-min",
    "poly-net-square-rescaling-valley.json": "spurious-rescaling-valley",
    "two-wells-spurious-product-min.json": "spurious-product-min",
    "deep-linear-1x2x1-complete-landscape.json":
        "complete-landscape: 9 complex critical points, 5 real (2 minima, 3 saddles); no-spurious-local-min",
    "poly-net-regularised-complete-landscape-count.json":
        "complete-landscape: 9 complex critical points, 5 real (3 minima, 2 saddles); count",
}


def test_library_is_complete():
    assert {f.name for f in FILES} == set(EXPECTED)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_library_certificate_verifies(path):
    r = check_file(path)
    assert r.verified, r.reason
    cert = json.loads(path.read_text())
    assert r.trust == expected_trust(cert)
    assert r.claim.startswith(EXPECTED[path.name])
    if cert["problem"]["kind"] != "relu-teacher":
        assert oracle(cert) is True


def test_kawaguchi_numbers():
    r = check_file(LIB / "kawaguchi-depth2-origin-strict-saddle.json")
    assert "vᵀHv = -2" in r.reason
    r = check_file(LIB / "kawaguchi-depth3-origin-non-strict-saddle.json")
    assert "diag(0, 0, 0)" in r.reason and "(-1) t^3" in r.reason
