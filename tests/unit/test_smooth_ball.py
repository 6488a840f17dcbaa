"""The ball layer for smooth transcendental networks (issue 24, item 3): jets of L over arb, Krawczyk boxes, the
kernel-checked spurious-isolated-min certificate of a tanh net with biases, classify's ball route, the smooth route.

The instance: widths [1, 2, 1], tanh, biases b_1 and b_2, Λ = 1/10 on W_1 and W_2, five samples. Found by a seeded
torch search (numeric.search, 100 starts): local minima at L ≈ 2.303475 (the lowest found) and L ≈ 4.969617
(λ_min(H) ≈ 0.098, spurious), a strict saddle at L ≈ 5.008449 (a kernel-checked isolated-strict-saddle box); their
coordinates below are the refined critical points rounded to 13 digits.
"""

from __future__ import annotations

import copy
from fractions import Fraction as F

import flint
import numpy as np
import pytest

import proofs
from verify.certify import build_certificate, classify_point
from verify.certify.smooth import classify_ball, critical_box
from verify.claims import get_claim
from verify.exact.ball.smooth import derivatives_float, hessian_on_box, smooth_refuses
from verify.problems import problem_from_dict
from verify.verdict import PointClass, Status, Trust

NET = {"kind": "network", "widths": [1, 2, 1], "activation": ["tanh"], "bias": [True, True],
       "X": [[0, "3/2", "-3/2", 2, "-1/2"]], "Y": [[1, -2, 0, 2, -1]], "reg": "1/10"}
LOWEST = ["-1.963130257342", "2.878742791052", "1.749954394643", "-5.192375114349", "1.340304020067",
          "2.903143993453", "1.551325345987"]                                     # L ≈ 2.303475
SPURIOUS = ["2.399289290688", "0.8656536708089", "0.7551504366545", "0.6319412972897", "1.159276127878",
            "-1.250670985853", "0.2443467117945"]                                 # L ≈ 4.969617
SADDLE = ["0.7263231465524", "-1.291217121476", "1.120374159419", "-0.4653450542119", "-0.57489415523",
          "-0.4924790339468", "0.264291624029"]                                   # L ≈ 5.008449


def _q(xs):
    return [F(x) for x in xs]


@pytest.fixture(scope="module")
def net():
    return problem_from_dict(NET)


@pytest.fixture(scope="module")
def spurious_cert(net):
    box = critical_box(net, _q(SPURIOUS), witness=_q(LOWEST))
    assert box.certificate is not None, box.note
    return box


@pytest.mark.parametrize("act", ["tanh", "sigmoid", "softplus"])
def test_jets_agree_with_torch(act):
    """L, ∇L, ∇²L of the jets against torch autograd on the numeric lowering (an independent implementation)."""
    import torch

    from numeric.losses import make_loss

    P = problem_from_dict({**NET, "activation": [act]})
    f = make_loss(P, device="cpu").single
    rng = np.random.default_rng(1)
    for _ in range(3):
        w = rng.normal(size=P.n_params) * 1.5
        L, g, H = derivatives_float(P, w)
        t = torch.tensor(w, dtype=torch.float64)
        assert L == pytest.approx(float(f(t)), rel=1e-12)
        assert np.allclose(g, torch.func.grad(f)(t).numpy(), rtol=1e-10, atol=1e-12)
        assert np.allclose(H, torch.func.hessian(f)(t).numpy(), rtol=1e-10, atol=1e-12)


def test_box_hessian_encloses_the_hessians_inside(net):
    c, r = _q(SADDLE), [F(1, 64)] * net.n_params
    J = hessian_on_box(net, c, r)
    rng = np.random.default_rng(2)
    for _ in range(5):
        x = np.array([float(v) for v in c]) + rng.uniform(-1, 1, net.n_params) / 64 * (1 - 1e-9)
        H = derivatives_float(net, x)[2]
        for i in range(net.n_params):
            for j in range(net.n_params):
                assert J[i, j].overlaps(flint.arb(H[i, j])), (i, j)


def test_spurious_minimum_certified_by_the_kernel(net, spurious_cert):
    cert = spurious_cert.certificate
    assert cert["claim"]["kind"] == "spurious-isolated-min"
    assert cert["problem"]["kind"] == "network"
    assert spurious_cert.inertia == (0, 0, net.n_params)
    assert 4.9696 < spurious_cert.loss < 4.9697
    result = proofs.check_certificate(cert)
    assert result.verified, result.reason


def test_tampered_certificates_rejected(net, spurious_cert):
    cert = spurious_cert.certificate
    r = F(cert["claim"]["radius"][0])
    moved = copy.deepcopy(cert)                       # the box moved off the critical point by 4 radii
    moved["claim"]["centre"][0] = str(F(moved["claim"]["centre"][0]) + 4 * r)
    res = proofs.check_certificate(moved)
    assert not res.verified and res.reason.startswith("krawczyk")
    higher = copy.deepcopy(cert)                      # the witness at the origin: L(0) = ½‖Y‖² = 5 > 4.9696
    higher["body"]["witness"] = ["0"] * net.n_params
    res = proofs.check_certificate(higher)
    assert not res.verified and "box-above" in res.reason
    own = copy.deepcopy(cert)                         # the witness at the box's centre: not lower
    own["body"]["witness"] = own["claim"]["centre"]
    res = proofs.check_certificate(own)
    assert not res.verified and "box-above" in res.reason


def test_classify_local_min_and_spurious(net):
    low = classify_point(net, _q(LOWEST))
    assert low.method == "ball"
    assert low.cls in (PointClass.LOCAL_MIN, PointClass.SPURIOUS_LOCAL_MIN), low.reason
    assert proofs.check_certificate(build_certificate(net, _q(LOWEST), low)).verified
    bad = classify_ball(net, _q(SPURIOUS), witness=_q(LOWEST))
    assert bad.cls is PointClass.SPURIOUS_LOCAL_MIN and bad.method == "ball", bad.reason
    assert bad.details["certificate"]["claim"]["kind"] == "spurious-isolated-min"


def test_classify_saddle_and_not_critical(net):
    s = classify_point(net, _q(SADDLE))
    assert s.cls is PointClass.STRICT_SADDLE and s.method == "ball", s.reason
    neg, _, pos = s.inertia
    assert neg > 0 and pos > 0
    cert = build_certificate(net, _q(SADDLE), s)                 # the isolated-strict-saddle box classify carries
    assert cert is s.details["certificate"] and cert["claim"]["kind"] == "isolated-strict-saddle"
    result = proofs.check_certificate(cert)
    assert result.verified and "strict saddle" in result.claim, result.reason
    H = derivatives_float(net, np.array([float(F(x)) for x in cert["claim"]["centre"]]))[2]   # torch-free float check
    v, u = (np.array([float(F(x)) for x in cert["body"][k]]) for k in ("direction", "ascent"))
    assert v @ H @ v < 0 < u @ H @ u
    off = classify_point(net, [F(1)] * net.n_params)
    assert off.cls is PointClass.NOT_CRITICAL and off.gradient_zero is False


def test_refusals():
    logistic = problem_from_dict({**NET, "Y": [[1, -1, 1, 1, -1]], "loss": "logistic"})
    assert "logistic" in smooth_refuses(logistic)
    assert classify_point(logistic, [0] * logistic.n_params).cls is PointClass.UNKNOWN
    mixed = problem_from_dict({**NET, "widths": [1, 2, 2, 1], "activation": ["tanh", "relu"],
                               "bias": [True, True, True]})
    assert smooth_refuses(mixed) is not None


@pytest.mark.slow
def test_route_refutes_with_a_kernel_checked_box(net):
    from verify.run.smooth_route import smooth_check

    r = smooth_check(net, get_claim("no-spurious-local-min"), timeout=60, starts=100, seed=0)
    assert r.status is Status.REFUTED and r.trust is Trust.KERNEL, r.reason
    assert proofs.check_certificate(r.certificate).verified
