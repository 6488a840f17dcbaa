"""``product-min`` / ``spurious-product-min`` (FORMAT.md): a deep-linear point whose product W_H ⋯ W_1 is a strict
local minimum of the shallow loss. Tampered certificates must be rejected; every certificate the kernel accepts must
be true per the sympy oracle (tests/soundness/certlib.py, which recomputes R, f's gradient and Hessian itself)."""

import copy
import json
import pathlib
from fractions import Fraction as F

import pytest
from certlib import oracle
from hypothesis import given
from hypothesis import strategies as st

from proofs import MalformedCertificate, check_certificate, problem_hash

LIB = pathlib.Path(__file__).resolve().parents[2] / "proofs" / "library"
GOOD = json.loads((LIB / "two-wells-spurious-product-min.json").read_text())


def _rehash(c):
    c["problem_sha256"] = problem_hash(c["problem"])
    return c


def _mutant(edit):
    c = copy.deepcopy(GOOD)
    edit(c)
    return _rehash(c)


def _set(path, value):
    def edit(c):
        obj = c
        for k in path[:-1]:
            obj = obj[k]
        obj[path[-1]] = value
    return edit


def _relabel(kind):
    def edit(c):
        c["claim"]["kind"] = c["body"]["kind"] = kind
        if kind in ("product-min", "local-min"):
            c["body"].pop("witness")
    return edit


MUTANTS = {
    "point at a local max of φ (R = 1/2)": lambda c: (c["claim"].update(point=["1/2", "1", "1"], loss="45/16")),
    "point with R not critical (R = 2)": lambda c: c["claim"].update(point=["2", "1", "1"], loss="9"),
    "congruence singular": _set(("body", "congruence"), [["0"]]),
    "witness not lower": _set(("body", "witness"), ["1", "1", "1"]),
    "witness at the point's own level": _set(("body", "witness"), ["1", "1", "1"]),
    "claimed loss wrong": _set(("claim", "loss"), "2"),
    "regularised": _set(("problem", "reg"), [[["1/10"]], [["0"]], [["0"]]]),
    "convex loss swapped in": _set(("problem", "loss"), {"power": 4}),
    "data changed (y = 1)": _set(("problem", "Y"), [["1"]]),
    "relabelled as a strict local-min (H is singular)": _relabel("local-min"),
    "congruence of the wrong shape": _set(("body", "congruence"), [["1", "0"], ["0", "1"]]),
}


def _rejected(c) -> str | None:
    """The checker's reason for rejecting c (malformed counts), or None when it verified c."""
    try:
        r = check_certificate(c)
    except MalformedCertificate as e:
        return f"malformed: {e}"
    return None if r.verified else r.reason


def test_library_file_verifies_and_is_true():
    r = check_certificate(GOOD)
    assert r.verified, r.reason
    assert oracle(GOOD) is True
    plain = _mutant(_relabel("product-min"))
    assert check_certificate(plain).verified and oracle(plain) is True


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_tampered_product_min_rejected(name):
    assert _rejected(_mutant(MUTANTS[name])) is not None, f"{name}: accepted"


def test_two_layer_problem_rejected():
    c = copy.deepcopy(GOOD)
    c["problem"] = {"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": ["0", "1"]}, "X": [["1"]],
                    "Y": [["0"]], "train_output": True, "output": None, "reg": "0",
                    "loss": {"poly": ["7/3", "2", "-2", "-2/3", "1"]}}
    c["claim"]["point"], c["body"]["witness"] = ["2", "1/2"], ["1", "-1"]
    c["body"]["congruence"] = [["1", "0"], ["0", "1"]]
    c["claim"].pop("loss")
    why = _rejected(_rehash(c))
    assert why is not None and "deep-linear" in why


NONZERO = st.fractions(min_value=-3, max_value=3, max_denominator=4).filter(lambda x: x != 0)


@given(NONZERO, NONZERO, st.one_of(st.sampled_from([F(1), F(-1), F(1, 2), F(0)]),
                                   st.fractions(min_value=-2, max_value=2, max_denominator=5)),
       st.fractions(min_value=-2, max_value=2, max_denominator=3))
def test_accepted_only_if_true(a, b, R, m):
    """Factorisations (a, b, R/(ab)) of R on the two-wells problem with any 1 × 1 congruence: whatever the kernel
    accepts, the oracle confirms; R = 1 (φ's spurious minimum) with m ≠ 0 always verifies."""
    c = copy.deepcopy(GOOD)
    c["claim"]["point"] = [str(a), str(b), str(R / (a * b))]
    c["claim"].pop("loss")
    c["body"]["congruence"] = [[str(m)]]
    why = _rejected(c)
    if why is None:
        assert R == 1 and m != 0 and oracle(c) is True
    else:   # R = 1 (the spurious minimum of φ) with an invertible M is true and must verify
        assert R != 1 or m == 0, why
