"""A problem kind and a loss added the way CONTRIBUTING.md says — inside this test — go through every layer.

1. Burer–Monteiro symmetric factorisation, L(W) = ¼‖W Wᵀ − M‖²_F (W is d × r): one dataclass and one KINDS entry
   are read by the file loader, the exact classifier and the exact claim route. Its critical points for d = r = 1,
   M = 1 are w = 0 (a local maximum) and w = ±1 (global minima, L = 0). The checker has no reader for it.
2. A single neuron ŷ = σ(w·x), σ a polynomial, with a new loss ``{ well = a }``: ℓ = ¼ Σ_j (E_j² − a²)², a double
   well in the residual E (zero at |E| = a). The kind writes its canonical JSON in the form of a kind the checker
   already reads (a two-layer net of width 1 with the output weight fixed to 1) and the loss as the ``poly`` loss
   it is, so the checker needs nothing new; with a lowering registered for numeric/ (CONTRIBUTING's third file) it
   goes through classify (a kernel-checked certificate), check, the numeric search and a sweep.

   The instance: σ(t) = t³ − 3t + 5, x = y = 1, a = 1, so L(w) = ¼((σ(w) − 1)² − 1)². At w = 1, σ′(1) = 0 and
   E = σ(1) − 1 = 2: L = ¼(4 − 1)² = 9/4, L′(1) = (E² − 1)·E·σ′(1) = 0, L″(1) = (E² − 1)·E·σ″(1) = 3·2·6 = 36 > 0 — a
   strict local minimum; and L(−21/10) < 9/4 (computed below by hand), so it is spurious.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pytest

import proofs
from verify.errors import InputError
from verify.exact.classify import classify
from verify.problems import KINDS, problem_from_dict
from verify.problems.base import (
    HiddenLayer,
    Matrix,
    Problem,
    SweepAxis,
    check_data,
    positive_int,
    ring_const,
    ring_fit,
    ring_matmul,
    ring_objective,
)
from verify.problems.losses import LOSSES, Loss, LossForm
from verify.problems.numbers import fraction_str, matrix_json, parse_matrix, to_fraction, to_int
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
    # the checker (proofs/) has no reader for the new kind: no attestation is handed out, and the reason says so
    assert result.certificate is None and "cannot read the attestation" in result.reason


# ------------------------------------------------------------------------------------------ a kind and a loss
def _parse_well(v, field):
    a = to_fraction(v, field)
    if a <= 0:
        raise InputError(field, f"a = {fraction_str(a)} must be positive")
    return Loss(name="well", delta=a)


def _well_phi(loss, samples, outputs):
    """¼(t² − a²)² = a⁴/4 − (a²/2)·t² + t⁴/4, lowest degree first."""
    a2 = loss.delta * loss.delta
    return (a2 * a2 / 4, Fraction(0), -a2 / 2, Fraction(0), Fraction(1, 4))


WELL = LossForm("well", "{well = a}", _parse_well,
                to_json=lambda loss: {"poly": [fraction_str(c) for c in _well_phi(loss, 0, 0)]},
                phi=_well_phi, describe=lambda loss: f"well a = {fraction_str(loss.delta)}",
                convex=lambda loss: False)


@dataclass(frozen=True)
class Neuron(Problem):
    """ŷ = σ(w·x), σ(t) = Σ_j c_j t^j; L = ℓ(ŷ, Y). Canonical JSON: the two-layer net of width 1, output fixed to 1."""

    activation: tuple[Fraction, ...]
    X: Matrix
    Y: Matrix
    loss: Loss = Loss()
    kind = "neuron"
    file_keys = frozenset({"kind", "activation", "X", "Y", "loss"})
    required_keys = ("activation", "X", "Y")
    sweep_axes = (SweepAxis("n", 1, 1), SweepAxis("samples", 1, 1), SweepAxis("activation"),
                  SweepAxis("loss", "square"))

    def __post_init__(self):
        check_data(self.X, self.Y, None)
        if len(self.Y) != 1:
            raise InputError("Y", "a neuron has one output (Y has one row)")
        self.loss.check_targets(self.Y)

    @classmethod
    def from_dict(cls, d):
        act = d["activation"]
        if not isinstance(act, dict) or set(act) != {"poly"} or not isinstance(act["poly"], list) or not act["poly"]:
            raise InputError("activation", "must be { poly = [c0, c1, ...] }")
        return cls(activation=tuple(to_fraction(c, f"activation.poly[{j}]") for j, c in enumerate(act["poly"])),
                   X=parse_matrix(d["X"], "X"), Y=parse_matrix(d["Y"], "Y"), loss=Loss.from_value(d.get("loss")))

    @classmethod
    def sweep_problem(cls, p, data):
        X, Y = data(p["n"], 1, p["samples"])
        return {"kind": cls.kind, "activation": p["activation"], "X": X, "Y": Y}

    def to_json(self):
        out = {"kind": "two-layer", "n": len(self.X), "width": 1,
               "activation": {"poly": [fraction_str(c) for c in self.activation]}, "X": matrix_json(self.X),
               "Y": matrix_json(self.Y), "train_output": False, "output": [["1"]], "reg": "0"}
        if not self.loss.is_square:
            out["loss"] = self.loss.to_json()
        return out

    def param_shapes(self):
        return (("W", 1, len(self.X)),)

    def hidden_layers(self):
        return (HiddenLayer(width=1, incoming=("W",), outgoing=()),)

    def ring_loss(self, mats, conv, zero, relu_mask=None):
        cs = [conv(c) for c in self.activation]
        out = []
        for z in ring_matmul(mats["W"], ring_const(self.X, conv), zero)[0]:
            acc = zero
            for c in reversed(cs):
                acc = acc * z + c
            out.append(acc)
        return ring_objective(self.loss, [out], self.Y, Fraction(0), [], conv, zero)

    @property
    def polynomial(self):
        return self.loss.polynomial

    def describe(self):
        return f"neuron n={len(self.X)}" + ("" if self.loss.is_square else f", {self.loss.describe()} loss")


CUBIC = [5, -3, 0, 1]                        # σ(t) = t³ − 3t + 5: σ′(±1) = 0, σ(1) = 3
SPURIOUS = {"kind": "neuron", "activation": {"poly": CUBIC}, "X": [[1]], "Y": [[1]], "loss": {"well": 1}}


def _by_hand(w: Fraction) -> Fraction:
    """L(w) = ¼((σ(w) − 1)² − 1)² for the instance of the module docstring, in plain Fractions."""
    s = w ** 3 - 3 * w + 5
    return ((s - 1) ** 2 - 1) ** 2 / 4


@pytest.fixture
def neuron(monkeypatch):
    """The kind in KINDS, the loss in LOSSES and a torch lowering in numeric's LOWERINGS — as a contributor would."""
    import torch

    from numeric.losses import LOWERINGS, Lowering, data_term
    from numeric.poly import horner

    class NeuronLowering(Lowering):
        def __init__(self, problem, device, dtype):
            super().__init__(problem, device, dtype)
            self.X, self.Y = self.tensor(problem.X, "X"), self.tensor(problem.Y, "Y")
            self.coeffs = [float(c) for c in problem.activation]

        def loss(self, mats: list[torch.Tensor]) -> torch.Tensor:
            return data_term(self.problem.loss, horner(self.coeffs, mats[0] @ self.X), self.Y)

    monkeypatch.setitem(KINDS, Neuron.kind, Neuron)
    monkeypatch.setitem(LOSSES, WELL.name, WELL)
    monkeypatch.setitem(LOWERINGS, Neuron.kind, NeuronLowering)
    return problem_from_dict(SPURIOUS)


def test_the_loss_is_read_through_the_registry(neuron):
    assert isinstance(neuron, Neuron) and neuron.loss == Loss(name="well", delta=Fraction(1))
    assert neuron.loss.polynomial and not neuron.loss.convex and neuron.loss.describe() == "well a = 1"
    with pytest.raises(InputError) as e:
        problem_from_dict({**SPURIOUS, "loss": {"well": 0}})
    assert e.value.field == "loss.well"
    with pytest.raises(InputError) as e:
        problem_from_dict({**SPURIOUS, "loss": {"wel": 1}})
    assert e.value.field == "loss" and "well" in e.value.detail      # the choices are read from LOSSES
    assert _by_hand(Fraction(-21, 10)) < _by_hand(Fraction(1)) == Fraction(9, 4)


def test_classify_certifies_the_spurious_minimum(neuron):
    from verify.certify import classify_point, emit_checked, spurious_certificate

    c = classify_point(neuron, (Fraction(1),))
    assert c.cls is PointClass.LOCAL_MIN and c.loss == _by_hand(Fraction(1)), c.reason
    cert, note = emit_checked(neuron, (Fraction(1),), c)
    assert cert["problem"]["kind"] == "two-layer" and proofs.check_certificate(cert).verified, note
    spurious, note = spurious_certificate(neuron, (Fraction(1),), c, (Fraction(-21, 10),))
    assert spurious is not None and proofs.check_certificate(spurious).verified, note


def test_check_refutes_with_a_kernel_checked_certificate(neuron):
    r = decide(neuron, "no-spurious-local-min", timeout=60)
    assert (r.status, r.trust) == (Status.REFUTED, Trust.KERNEL), r.reason
    assert proofs.check_certificate(r.certificate).verified
    w = Fraction(r.witness["point"][0])
    assert _by_hand(w) == Fraction(r.certificate["claim"]["loss"]) > 0     # a strict minimum with L > 0 = L*


def test_the_numeric_search_finds_both_levels(neuron):
    from numeric.search import search

    res = search(neuron, starts=24, seed=0)
    levels = sorted(c["loss"] for c in res.candidates if c["class"] in ("global-min", "local-min",
                                                                        "spurious-local-min"))
    assert levels and levels[0] < 1e-9, res.candidates                       # L = 0 where σ(w) ∈ {0, 2}
    near = [c for c in res.candidates if abs(c["loss"] - 9 / 4) < 1e-9]
    assert near and abs(near[0]["params"][0] - 1) < 1e-6, res.candidates    # the spurious minimum w = 1


def test_a_sweep_over_the_kind(neuron, tmp_path):
    """σ(t) = t² with x = y = 1: L = ¼((w² − 1)² − 1)², whose minima w ∈ {0, ±√2} all have L = 0 (proved); the
    cubic: refuted with a kernel-checked certificate. entries = [1, 1] makes X = Y = 1 for every seed."""
    from verify.run.store import Store
    from verify.run.sweep import parse_conjecture, sweep

    conj = parse_conjecture({"claim": "no-spurious-local-min", "family": {
        "kind": "neuron", "activation": [{"poly": [0, 0, 1]}, {"poly": CUBIC}], "entries": [1, 1],
        "loss": {"well": 1}}, "budget": {"timeout": 60, "starts": 32}})
    assert [p for _, p in conj.instances] == [{**SPURIOUS, "activation": a} for a in
                                              ({"poly": [0, 0, 1]}, {"poly": CUBIC})]
    summary = sweep(conj, tmp_path / "r.sqlite")
    assert summary.written == 2
    with Store(tmp_path / "r.sqlite") as s:
        rows = {str(r["params"]["activation"]["poly"]): r for r in s.rows()}
    square, cubic = rows[str([0, 0, 1])], rows[str(CUBIC)]
    assert square["status"] == "proved", square["reason"]
    assert (cubic["status"], cubic["trust"], cubic["verified"]) == ("refuted", "kernel", 1), cubic["reason"]
