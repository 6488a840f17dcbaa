"""Kawaguchi's contrast decided without a solver: with H ≥ 3 the origin is a certified non-strict saddle, so
``strict-saddle`` is refuted by the witness route; with H = 2 the theorem route proves it."""

from fractions import Fraction as F

import pytest

import proofs
from verify.problems import DeepLinear
from verify.run.check import decide
from verify.verdict import PointClass, Status, Trust


def scalar(depth):
    return DeepLinear(widths=(1,) * (depth + 1), X=((F(1),),), Y=((F(1),),))


@pytest.mark.parametrize("depth", [3, 4, 5])
@pytest.mark.parametrize("backend", ["auto", "exact", "numeric"])
def test_deep_strict_saddle_refuted_at_the_origin_without_a_solver(depth, backend):
    r = decide(scalar(depth), "strict-saddle", backend=backend, timeout=30)
    assert (r.status, r.trust) == (Status.REFUTED, Trust.KERNEL), r.reason
    assert r.backend.startswith("witness") and r.solvers == (), r.backend
    assert r.witness == {"point": ["0"] * depth, "class": PointClass.NON_STRICT_SADDLE.value}
    assert proofs.check_certificate(r.certificate).verified


def test_one_hidden_layer_strict_saddle_is_proved_by_the_theorem_not_refuted():
    r = decide(scalar(2), "strict-saddle", backend="exact", timeout=30)
    assert (r.status, r.trust) == (Status.PROVED, Trust.THEOREM), r.reason


def test_no_candidate_leaves_the_decision_to_the_other_routes():
    # regularised: no theorem applies and the origin is a strict local minimum here, not a counterexample
    p = DeepLinear(widths=(1, 1, 1, 1), X=((F(1),),), Y=((F(1),),), reg=F(1, 10))
    r = decide(p, "strict-saddle", backend="numeric", starts=20, timeout=30)
    assert not r.backend.startswith("witness"), r.backend
