"""Complete-landscape certificates on the critical-count instances (Mehta, Chen, Tang & Hauenstein 2018; Bharadwaj
2023, REFERENCE.md's table; widths in (d_x, d, d_y) order as in tests/cases/test_critical_counts.py).

The producer (:mod:`verify.certify.landscape`) and the enumeration (:func:`critical_points`) are compared on every
count; the kernel (``proofs.check_certificate``) must VERIFY each certificate and REJECT tampered copies, naming the
step: a box dropped, two boxes overlapping, a cofactor changed, a basis element deleted (one more standard
monomial), a centre moved.
"""

import copy
from fractions import Fraction

import pytest

from proofs import Outcome, check_certificate
from verify.certify.landscape import complete_landscape_certificate
from verify.exact.algebra import msolve, singular
from verify.exact.algebra.complete_landscape import COFACTOR_MAX_POINTS
from verify.exact.algebra.enumerate import critical_points
from verify.testing.instances import generic_deep_regularised_net

pytestmark = pytest.mark.skipif(not msolve.available(), reason=f"msolve not installed ({msolve.INSTALL_HINT})")
needs_singular = pytest.mark.skipif(not singular.available(),
                                    reason=f"Singular not installed ({singular.INSTALL_HINT})")

FAST = [((1, 1, 1), 5), ((1, 2, 1), 9), ((1, 1, 2), 9), ((2, 2, 2), 33)]
SLOW = [((1, 2, 3), 73), ((1, 3, 3), 245)]


def _agree(widths, expected, statement="strict-saddle", ideal="auto"):
    prob = generic_deep_regularised_net(widths, 0)
    made = complete_landscape_certificate(prob, statement, ideal=ideal)
    assert made.failure is None, made.reason
    enum = critical_points(prob)
    by = enum["by_class"]
    minima = by["global-min"] + by["spurious-local-min"] + by["local-min"]
    assert made.critical_points == enum["complex"] == enum["multiplicity_count"] == expected
    assert (made.real, made.minima, made.saddles) == (enum["real"], minima, by["strict-saddle"] + by["local-max"])
    claim = made.certificate["claim"]
    assert claim == {"kind": "complete-landscape", "statement": statement, "critical_points": expected,
                     "real": enum["real"], "minima": minima, "saddles": made.saddles}
    assert len(made.certificate["body"]["boxes"]) == expected
    result = check_certificate(made.certificate)
    assert result.outcome is Outcome.VERIFIED, result.reason
    assert made.kernel == result.reason
    return made


@pytest.mark.parametrize("widths,expected", FAST)
def test_counts_match_the_enumeration_and_the_kernel_verifies(widths, expected):
    made = _agree(widths, expected)
    assert made.route == ("cofactors" if singular.available() else "recompute")


@pytest.mark.slow
@pytest.mark.parametrize("widths,expected", SLOW)
def test_counts_match_on_the_larger_instances(widths, expected):
    made = _agree(widths, expected, statement="no-spurious-local-min")
    cofactors = singular.available() and expected <= COFACTOR_MAX_POINTS   # 1-2-3's fit, 1-3-3's would be 6.4 MB
    assert made.route == ("cofactors" if cofactors else "recompute") and made.size_bytes <= 5_000_000


@pytest.mark.parametrize("statement", ["count", "no-spurious-local-min"])
def test_recompute_route_and_every_statement(statement):
    made = _agree((1, 1, 2), 9, statement=statement, ideal="recompute")
    assert made.route == "recompute" and "cofactors" not in made.certificate["body"]
    assert ("symmetries" in made.certificate["body"]) == (statement != "count")


# ---------------------------------------------------------------------------------------------------------
# tampering


@pytest.fixture(scope="module")
def certs():
    prob = generic_deep_regularised_net((2, 2, 2), 0)
    out = {"recompute": complete_landscape_certificate(prob, "strict-saddle", ideal="recompute").certificate}
    if singular.available():
        out["cofactors"] = complete_landscape_certificate(prob, "strict-saddle", ideal="cofactors").certificate
    return out


def _rejected(cert, step):
    result = check_certificate(cert)
    assert result.outcome is Outcome.REJECTED, f"tampered certificate verified: {result.reason}"
    assert step in result.reason, result.reason
    return result.reason


def _complex_box(cert):
    return next(k for k, b in enumerate(cert["body"]["boxes"]) if any(x != "0" for x in b["im"]))


def test_a_dropped_box_is_rejected(certs):
    c = copy.deepcopy(certs["recompute"])
    del c["body"]["boxes"][_complex_box(c)]
    _rejected(c, "boxes")


def test_overlapping_boxes_are_rejected(certs):
    c = copy.deepcopy(certs["recompute"])
    boxes = c["body"]["boxes"]
    k = _complex_box(c)
    j = next(i for i in range(len(boxes)) if i != k and any(x != "0" for x in boxes[i]["im"]))
    r = Fraction(boxes[k]["radius"])
    boxes[j] = copy.deepcopy(boxes[k])
    boxes[j]["re"][0] = str(Fraction(boxes[k]["re"][0]) + r / 2)  # still a Krawczyk box of the same point
    _rejected(c, "overlap")


def test_a_moved_centre_is_rejected(certs):
    c = copy.deepcopy(certs["recompute"])
    box = c["body"]["boxes"][0]
    box["re"][0] = str(Fraction(box["re"][0]) + 10 * Fraction(box["radius"]))
    _rejected(c, "box 0")


def test_a_deleted_basis_element_adds_standard_monomials(certs):
    for route, cert in certs.items():
        c = copy.deepcopy(cert)
        body = c["body"]
        lead = [max(g, key=lambda t: (sum(t[0]), [-e for e in reversed(t[0])]))[0] for g in body["basis"]]
        i = max(range(len(lead)), key=lambda k: sum(lead[k]))  # not a pure power, so D grows but stays finite
        del body["basis"][i]
        if route == "cofactors":
            del body["cofactors"][i]
        reason = _rejected(c, "complete-landscape")
        assert ("standard monomials" in reason) or ("ideal" in reason and route == "recompute"), reason


@needs_singular
def test_a_changed_cofactor_is_rejected(certs):
    c = copy.deepcopy(certs["cofactors"])
    row = next(r for r in c["body"]["cofactors"] if any(r))
    poly = next(p for p in row if p)
    poly[0][1] = str(Fraction(poly[0][1]) + 1)
    _rejected(c, "ideal")


def test_a_classification_swapped_is_rejected(certs):
    c = copy.deepcopy(certs["recompute"])
    boxes = c["body"]["boxes"]
    k = next(i for i, b in enumerate(boxes) if "direction" in b)
    m = next(b for b in boxes if "congruence" in b)
    del boxes[k]["direction"]
    boxes[k]["congruence"] = m["congruence"]
    _rejected(c, "box")
