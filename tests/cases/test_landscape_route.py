"""`spurious check` decides no-spurious-local-min and strict-saddle on instances with a finite critical set from a
kernel-verified complete-landscape certificate (the landscape route, trust kernel, no solver); where the landscape
has a spurious minimum the route declines and the exact route refutes with a point certificate."""

from fractions import Fraction as F

import pytest

import proofs
from verify import Status, Trust
from verify.problems.two_layer import TwoLayer
from verify.run.check import decide
from verify.testing.instances import generic_deep_regularised_net


@pytest.mark.parametrize("widths", [(1, 1, 1), (1, 2, 1), (2, 2, 2)])
@pytest.mark.parametrize("claim", ["no-spurious-local-min", "strict-saddle"])
def test_regularised_deep_linear_nets_are_proved_by_the_kernel(widths, claim):
    r = decide(generic_deep_regularised_net(widths), claim, backend="exact", timeout=60)
    assert r.status is Status.PROVED and r.trust is Trust.KERNEL, r.reason
    assert r.backend.startswith("landscape") and not r.solvers
    check = proofs.check_certificate(r.certificate)
    assert check.verified and check.trust == "kernel" and r.certificate["claim"]["statement"] == claim


SPURIOUS_NET = TwoLayer(n=1, width=1, activation=(F(0), F(1, 2), F(1)), X=((F(1), F(-2)),), Y=((F(1), F(2)),),
                        train_output=False, output=((F(1),),), reg=F(1, 100))


@pytest.mark.parametrize("claim", ["no-spurious-local-min", "strict-saddle", "no-spurious-valley"])
def test_a_spurious_minimum_with_irrational_coordinates_is_refuted_by_its_box(claim):
    """σ(t) = t² + t/2, fixed output, a small regulariser: 3 critical points, one a strict local minimum above the
    global one at an irrational w (z3's model cannot be rounded to an exactly critical rational point). The
    landscape's box for it becomes a spurious-isolated-min certificate the kernel verifies."""
    r = decide(SPURIOUS_NET, claim, backend="exact", timeout=60)
    assert r.status is Status.REFUTED and r.trust is Trust.KERNEL, r.reason
    check = proofs.check_certificate(r.certificate)
    assert check.verified and r.certificate["claim"]["kind"] == "spurious-isolated-min"


def test_tampered_spurious_box_certificates_are_rejected():
    import copy
    import json

    cert = decide(SPURIOUS_NET, "no-spurious-local-min", backend="exact", timeout=60).certificate
    w = copy.deepcopy(cert)
    w["body"]["witness"] = w["claim"]["centre"]                      # the witness is the minimum itself
    assert "box-above" in proofs.check_certificate(json.dumps(w)).reason
    m = copy.deepcopy(cert)
    m["body"]["congruence"] = [["0"]]                                  # a singular congruence
    assert not proofs.check_certificate(json.dumps(m)).verified
    c = copy.deepcopy(cert)
    c["claim"]["centre"] = ["1/3"]                                     # not a critical point's box
    assert not proofs.check_certificate(json.dumps(c)).verified
