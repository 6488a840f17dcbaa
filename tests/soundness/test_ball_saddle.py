"""Tampered ``isolated-strict-saddle`` certificates (proofs/FORMAT.md) are rejected, each at the step it breaks.

The instance is tests/unit/test_smooth_ball.py's tanh [1, 2, 1] net with biases and its strict saddle at
L ≈ 5.008449: :func:`verify.certify.smooth.critical_box` (``saddles=True``) writes a Krawczyk box c ± r with a
direction v (vᵀJ(X)v < 0) and an ascent u (uᵀJ(X)u > 0). The kernel must verify it and refuse a direction that is not
negative on the whole box, u and v swapped, the box moved off the critical point, a radius blown up, and the same
hints at a minimum.
"""

from __future__ import annotations

import copy
from fractions import Fraction as F

import flint
import pytest

import proofs
from tests.unit.test_smooth_ball import NET, SADDLE, SPURIOUS
from verify.certify.smooth import critical_box
from verify.exact.ball.smooth import BITS, hessian_on_box
from verify.problems import problem_from_dict


@pytest.fixture(scope="module")
def net():
    return problem_from_dict(NET)


@pytest.fixture(scope="module")
def saddle(net):
    assert critical_box(net, [F(x) for x in SADDLE]).certificate is None    # by default: minima only (smooth_route)
    box = critical_box(net, [F(x) for x in SADDLE], saddles=True)
    assert box.certificate is not None, box.note
    return box.certificate


def _rejected(cert, step):
    r = proofs.check_certificate(cert)
    assert not r.verified, r.reason
    assert r.reason.startswith(step), r.reason


def _curvature_on_box(net, cert, w):
    """wᵀ J(X) w on the certificate's box, in verify's own ball arithmetic (not the kernel's)."""
    c, r = ([F(x) for x in cert["claim"][k]] for k in ("centre", "radius"))
    with flint.ctx.workprec(BITS):
        J = hessian_on_box(net, c, r)
        wa = flint.arb_mat([[int(x)] for x in w])
        return (wa.transpose() * J * wa)[0, 0]


def test_the_saddle_box_verifies(saddle):
    r = proofs.check_certificate(saddle)
    assert r.verified and r.trust == "kernel", r.reason
    assert r.claim.startswith("isolated-strict-saddle (a strict saddle") and "box-saddle" not in r.reason


def test_a_direction_not_negative_on_the_whole_box(net, saddle):
    """v' = √B·v + √(−A)·u (A = vᵀHv < 0 < B = uᵀHu at the centre) has v'ᵀHv' ≈ 0: the box's enclosure holds a value
    ≥ 0 (checked here in verify's balls), so the kernel must refuse it; and u as the direction is positive."""
    v, u = ([int(x) for x in saddle["body"][k]] for k in ("direction", "ascent"))
    A, B = (float(_curvature_on_box(net, saddle, w).mid()) for w in (v, u))
    assert A < 0 < B
    a, b = round((B / (B - A)) ** 0.5 * 2 ** 20), round((-A / (B - A)) ** 0.5 * 2 ** 20)
    w = [a * x + b * y for x, y in zip(v, u)]
    assert not _curvature_on_box(net, saddle, w) < 0       # the tampered direction is not negative on the box
    flat = copy.deepcopy(saddle)
    flat["body"]["direction"] = [str(x) for x in w]
    _rejected(flat, "box-saddle")
    same = copy.deepcopy(saddle)
    same["body"]["direction"] = saddle["body"]["ascent"]
    _rejected(same, "box-saddle")
    zero = copy.deepcopy(saddle)
    zero["body"]["direction"] = ["0"] * net.n_params
    _rejected(zero, "box-saddle")


def test_direction_and_ascent_swapped(saddle):
    swapped = copy.deepcopy(saddle)
    swapped["body"]["direction"], swapped["body"]["ascent"] = saddle["body"]["ascent"], saddle["body"]["direction"]
    _rejected(swapped, "box-saddle")
    up = copy.deepcopy(saddle)
    up["body"]["ascent"] = saddle["body"]["direction"]
    _rejected(up, "box-saddle")


def test_box_moved_off_the_critical_point(saddle):
    r = F(saddle["claim"]["radius"][0])
    for k in (0, 3):
        moved = copy.deepcopy(saddle)
        moved["claim"]["centre"][k] = str(F(moved["claim"]["centre"][k]) + 4 * r)
        _rejected(moved, "krawczyk")


@pytest.mark.parametrize("radius", ["1/4", "1"])
def test_radius_blown_up(saddle, radius):
    wide = copy.deepcopy(saddle)
    wide["claim"]["radius"] = [radius] * len(wide["claim"]["radius"])
    r = proofs.check_certificate(wide)
    assert not r.verified and r.reason.split(":")[0] in ("krawczyk", "box-saddle"), r.reason


def test_saddle_hints_at_a_minimum_rejected(net, saddle):
    """The spurious minimum's box (H ≻ 0 on it) with any direction: no vᵀJ(X)v < 0 — the kernel says box-saddle."""
    box = critical_box(net, [F(x) for x in SPURIOUS])
    assert box.certificate is not None and box.inertia == (0, 0, net.n_params), box.note
    at_min = copy.deepcopy(saddle)
    at_min["claim"].update(centre=box.certificate["claim"]["centre"], radius=box.certificate["claim"]["radius"])
    at_min["body"]["preconditioner"] = box.certificate["body"]["preconditioner"]
    at_min["body"]["ascent"] = box.certificate["body"]["congruence"][0]
    for row in box.certificate["body"]["congruence"]:
        at_min["body"]["direction"] = row
        _rejected(at_min, "box-saddle")


def test_malformed_saddle_bodies(net, saddle):
    for edit, where in ((lambda c: c["body"].pop("ascent"), "body"),
                        (lambda c: c["body"].update(direction=["1"] * (net.n_params - 1)), "body.direction"),
                        (lambda c: c["body"].update(congruence=[["1"]]), "body"),
                        (lambda c: c["claim"].update(minimum=False), "claim"),
                        (lambda c: c["claim"].update(radius=["0"] * net.n_params), "claim.radius")):
        bad = copy.deepcopy(saddle)
        edit(bad)
        with pytest.raises(proofs.MalformedCertificate, match=where):
            proofs.check_certificate(bad)
    relabelled = copy.deepcopy(saddle)       # a saddle body under the minimum's kind: its fields are not allowed
    relabelled["claim"]["kind"] = relabelled["body"]["kind"] = "isolated-critical-point"
    relabelled["claim"]["minimum"] = False
    with pytest.raises(proofs.MalformedCertificate, match="body"):
        proofs.check_certificate(relabelled)
