"""A problem kind added the way CONTRIBUTING.md says — one dataclass and one KINDS entry — is read by the file
loader, the exact classifier and the exact claim route without touching any other module of verify/.

The kind is Burer–Monteiro symmetric factorisation, L(W) = ¼‖W Wᵀ − M‖²_F (W is d × r), whose critical points
for d = r = 1, M = 1 are w = 0 (a local maximum) and w = ±1 (global minima, L = 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pytest

from verify.exact.classify import classify
from verify.problems import KINDS, problem_from_dict
from verify.problems.base import Matrix, Problem, positive_int, ring_const, ring_fit, ring_matmul
from verify.problems.numbers import matrix_json, parse_matrix, to_int
from verify.run.check import decide
from verify.verdict import PointClass, Status, Trust


@dataclass(frozen=True)
class SymmetricFactorisation(Problem):
    d: int
    r: int
    M: Matrix
    kind = "symmetric-factorisation"
    file_keys = frozenset({"kind", "d", "r", "M"})
    required_keys = ("d", "r", "M")

    def __post_init__(self):
        positive_int(self.d, "d")
        positive_int(self.r, "r")

    @classmethod
    def from_dict(cls, d):
        return cls(d=to_int(d["d"], "d"), r=to_int(d["r"], "r"), M=parse_matrix(d["M"], "M"))

    def to_json(self):
        return {"kind": self.kind, "d": self.d, "r": self.r, "M": matrix_json(self.M)}

    def param_shapes(self):
        return (("W", self.d, self.r),)

    def ring_loss(self, mats, conv, zero, relu_mask=None):
        W = mats["W"]
        WT = [list(col) for col in zip(*W)]
        return conv(Fraction(1, 4)) * ring_fit(ring_matmul(W, WT, zero), self.M, conv, zero)

    @property
    def polynomial(self):
        return True


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setitem(KINDS, SymmetricFactorisation.kind, SymmetricFactorisation)
    return problem_from_dict({"kind": "symmetric-factorisation", "d": 1, "r": 1, "M": [[1]]})


def test_loader_builds_the_new_kind(registered):
    assert isinstance(registered, SymmetricFactorisation) and registered.n_params == 1
    assert ring_const(registered.M, Fraction) == [[1]]


@pytest.mark.parametrize("w,cls", [(0, PointClass.LOCAL_MAX), (1, PointClass.GLOBAL_MIN),
                                   (-1, PointClass.GLOBAL_MIN), (Fraction(1, 2), PointClass.NOT_CRITICAL)])
def test_exact_classifier_reads_the_kind(registered, w, cls):
    assert classify(registered, (Fraction(w),)).cls is cls


def test_exact_route_decides_a_claim_on_the_kind(registered):
    result = decide(registered, "no-spurious-local-min", backend="exact", timeout=30)
    assert result.status is Status.PROVED and result.trust is Trust.SOLVER, result.reason
    # the checker (proofs/) has no reader for the new kind yet: no attestation is handed out, and the reason says so
    assert result.certificate is None and "cannot read the attestation" in result.reason
