"""A new checker loss is ONE entry of `proofs.loss.LOSSES` (CONTRIBUTING.md "Add a loss").

Two losses are added to the table inside the tests (and removed after, by monkeypatch): a keyed one,
{"scaled": c} → ("scaled", c) with ℓ = c · ½ Σ E_ij² (c > 0), and a bare name "nonneg-square" (½ Σ E_ij², its
targets Y ≥ 0). The checker's reader must parse them, refuse their bad values and targets naming the field, and its
loss must evaluate them exactly and over balls; without the entries the same file is an unknown loss.
"""

from fractions import Fraction as F

import pytest
from flint import arb

from proofs import loss as L
from proofs.reader import MalformedCertificate, bad_if, rat, read_problem

# deep-linear [1, 1, 1], X = 1, Y = 1: at θ = (w1, w2) = (2, 3) the residual is E = 2·3·1 − 1 = 5, ½E² = 25/2
PROBLEM = {"kind": "deep-linear", "widths": [1, 1, 1], "X": [[1]], "Y": [[1]], "reg": 0}


def _half_squares(E, lift):
    return sum(e * e for e in E) * lift(F(1, 2))


@pytest.fixture
def table(monkeypatch):
    monkeypatch.setitem(L.LOSSES, "scaled", (
        "c", lambda v, path: bad_if(rat(v, path) <= 0, path, "c must be positive") or ("scaled", rat(v, path)), None,
        lambda P, A, E, lift: _half_squares(E, lift) * lift(P.loss[1])))
    monkeypatch.setitem(L.LOSSES, "nonneg-square", (
        None, None, (lambda Y: all(y >= 0 for row in Y for y in row), "targets must be ≥ 0"),
        lambda P, A, E, lift: _half_squares(E, lift)))
    return L.LOSSES


def _read(loss, Y=None):
    return read_problem(PROBLEM | {"loss": loss} | ({"Y": Y} if Y else {}))


def test_a_keyed_loss_added_to_the_table_is_read_and_evaluated(table):
    P = _read({"scaled": "3/2"})
    assert P.loss == ("scaled", F(3, 2)) and P.text.endswith("loss scaled")
    assert L.loss(P, [2, 3]) == F(3, 2) * F(25, 2)                 # 75/4, by hand
    ball = L.loss(P, [arb(2), arb(3)], L.to_arb)
    assert ball.contains(arb(75) / 4) and ball.rad() < 1e-10
    with pytest.raises(MalformedCertificate, match=r"^problem\.loss\.scaled: c must be positive$"):
        _read({"scaled": 0})
    with pytest.raises(MalformedCertificate, match=r"^problem\.loss\.scaled: 'x' is not a rational"):
        _read({"scaled": "x"})
    with pytest.raises(MalformedCertificate, match=r"^problem\.loss: unknown loss 'nonneg-square'$"):
        _read({"nonneg-square": 1})                                  # a bare name is not a one-key table


def test_a_bare_loss_added_to_the_table_checks_its_targets(table):
    P = _read("nonneg-square")
    assert P.loss == ("nonneg-square",) and L.loss(P, [2, 3]) == F(25, 2)
    assert L.loss(_read("nonneg-square", [["1/2"]]), [1, 1]) == F(1, 8)     # ½(1 − ½)²
    with pytest.raises(MalformedCertificate, match=r"^problem\.Y: targets must be ≥ 0$"):
        _read("nonneg-square", [[-1]])
    with pytest.raises(MalformedCertificate) as e:
        _read(["scaled"])
    assert '"nonneg-square" or one of' in str(e.value) and '{"scaled": c}' in str(e.value)


def test_without_the_entries_the_same_losses_are_unknown():
    with pytest.raises(MalformedCertificate, match=r"^problem\.loss: unknown loss 'scaled'$"):
        _read({"scaled": "3/2"})
    with pytest.raises(MalformedCertificate, match=r"^problem\.loss: expected \"square\", \"mse\", \"logistic\", "
                       r"\"cross-entropy\" or one of \{\"power\": p\}, \{\"poly\": \[\.\.\.\]\}, \{\"huber\": δ\}$"):
        _read("nonneg-square")
