"""Bad input never crashes or hangs: exit code 2 and a message on stderr naming the field (CONTRACT.md).

Issue requirement: non-matching shapes, non-numeric strings, negative or zero widths, empty data,
unknown kind or activation, a point of the wrong length, numbers with 10,000 digits → exit 2 and a
message, never a traceback or a hang.

The bulk of the cases go through the Python API (``problem_from_dict``, ``point_from_obj``,
``load_problem``, ``load_point``) and assert :class:`verify.InputError` naming the field; a smaller
set runs the real CLI in a subprocess (with a timeout and a memory cap, so a hang or a runaway
allocation fails the test) and checks exit code 2, stderr, and an empty stdout, ``--json`` included.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest

import verify
from verify import InputError, TooLargeError
from verify.problems.files import load_point, load_problem, parse_json_text, point_from_obj, problem_from_dict
from verify.problems.numbers import MAX_DIGITS, to_fraction, to_int

REPO = Path(__file__).resolve().parents[2]
CLI_TIMEOUT = 30  # seconds; a hang fails the test instead of the run
MEMORY_CAP = 3 * 1024**3  # bytes of address space for CLI children; a runaway allocation fails fast

BIG = "9" * 10_000  # a number with 10,000 digits
BIG_INT = 10**10_000 - 1  # the same as an int (BIG_INT would hit Python's str→int digit limit)
DROP = object()  # sentinel: remove the key

DL = {"kind": "deep-linear", "widths": [2, 2, 2], "X": [[1, 0], [0, 1]], "Y": [["3/2", 0], [0, 1]], "reg": 0}
TL = {"kind": "two-layer", "n": 2, "width": 3, "activation": {"poly": [0, 0, 1]},
      "X": [[1, 2, 0], [0, 1, 1]], "Y": [[1, 0, 2]], "train_output": True, "reg": 0}
RT = {"kind": "relu-teacher", "k": 2, "n": 3}
BASES = {"deep-linear": DL, "two-layer": TL, "relu-teacher": RT}


def mod(base: dict, **changes) -> dict:
    """A deep copy of ``base`` with keys replaced (or removed with DROP)."""
    d = copy.deepcopy(base)
    for key, value in changes.items():
        if value is DROP:
            d.pop(key, None)
        else:
            d[key] = value
    return d


def assert_input_error(excinfo, field: str) -> None:
    """The InputError names ``field`` (both as its attribute and at the start of the message)."""
    err = excinfo.value
    assert isinstance(err, InputError)
    assert err.field == field, f"field {err.field!r} != {field!r}: {err}"
    assert str(err).startswith(f"{field}: "), str(err)
    assert len(str(err)) < 5_000, "error messages stay short even for huge inputs"


def _short_id(v) -> str:
    """A short, safe test id (str() of a 10,000-digit int raises; long strings clutter the report)."""
    if isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > 64:
        return f"int-{v.bit_length()}-bits"
    if isinstance(v, Fraction) and max(abs(v.numerator), v.denominator).bit_length() > 64:
        return f"fraction-{v.numerator.bit_length()}-bits"
    if isinstance(v, str) and len(v) > 24:
        return f"str-{len(v)}-chars-{v[:8]}"
    return repr(v)


# ------------------------------------------------------------------------------ positive controls

@pytest.mark.parametrize("kind", sorted(BASES))
def test_valid_problems_build(kind):
    prob = problem_from_dict(copy.deepcopy(BASES[kind]))
    assert prob.kind == kind
    pt = point_from_obj(prob, {"params": [0] * prob.n_params})
    assert len(pt) == prob.n_params and all(x == 0 for x in pt)


# ---------------------------------------------------------------------------- problem_from_dict

PROBLEM_CASES = [
    # --- not a table / kind
    ("not-a-table", [1, 2], "problem"),
    ("not-a-table-str", "deep-linear", "problem"),
    ("missing-kind", mod(DL, kind=DROP), "kind"),
    ("unknown-kind", mod(DL, kind="deep-nonlinear"), "kind"),
    ("kind-int", mod(DL, kind=3), "kind"),
    ("kind-list", mod(DL, kind=["deep-linear"]), "kind"),
    ("kind-huge-int", mod(DL, kind=10**10_000), "kind"),
    ("kind-huge-str", mod(DL, kind="x" * 1_000_000), "kind"),
    # --- unknown keys
    ("dl-unknown-key", mod(DL, activation="relu"), "activation"),
    ("dl-typo-key", mod(DL, widht=[2, 2]), "widht"),
    ("tl-unknown-key", mod(TL, widths=[2, 2]), "widths"),
    ("rt-unknown-key", mod(RT, X=[[1]]), "X"),
    # --- missing keys
    ("dl-missing-X", mod(DL, X=DROP), "X"),
    ("dl-missing-Y", mod(DL, Y=DROP), "Y"),
    ("dl-missing-widths", mod(DL, widths=DROP), "widths"),
    ("tl-missing-X", mod(TL, X=DROP), "X"),
    ("tl-missing-n", mod(TL, n=DROP), "n"),
    ("tl-missing-width", mod(TL, width=DROP), "width"),
    ("tl-missing-activation", mod(TL, activation=DROP), "activation"),
    ("rt-missing-k", mod(RT, k=DROP), "k"),
    ("rt-missing-n", mod(RT, n=DROP), "n"),
    # --- widths (deep-linear)
    ("widths-negative", mod(DL, widths=[2, -3, 2]), "widths[1]"),
    ("widths-zero", mod(DL, widths=[2, 0, 2]), "widths[1]"),
    ("widths-zero-first", mod(DL, widths=[0, 2, 2]), "widths[0]"),
    ("widths-non-integer", mod(DL, widths=[2, 1.5, 2]), "widths[1]"),
    ("widths-string", mod(DL, widths=[2, "3", 2]), "widths[1]"),
    ("widths-bool", mod(DL, widths=[2, True, 2]), "widths[1]"),
    ("widths-none", mod(DL, widths=[2, None, 2]), "widths[1]"),
    ("widths-not-list", mod(DL, widths="2,2,2"), "widths"),
    ("widths-scalar", mod(DL, widths=2), "widths"),
    ("widths-table", mod(DL, widths={"a": 2}), "widths"),
    ("widths-empty", mod(DL, widths=[]), "widths"),
    ("widths-single", mod(DL, widths=[2]), "widths"),
    ("widths-huge", mod(DL, widths=[2, 10**9, 2]), "widths[1]"),
    ("widths-10000-digits", mod(DL, widths=[2, 10**10_000, 2]), "widths[1]"),
    ("widths-too-many-params", mod(DL, widths=[2, 100_000, 100_000, 2]), "widths"),
    ("widths-too-deep", mod(DL, widths=[2] + [1] * 1_000_000 + [2]), "widths"),
    # --- sizes (two-layer, relu-teacher)
    ("tl-n-zero", mod(TL, n=0), "n"),
    ("tl-width-negative", mod(TL, width=-1), "width"),
    ("tl-width-float", mod(TL, width=3.0), "width"),
    ("tl-width-string", mod(TL, width="3"), "width"),
    ("tl-width-huge", mod(TL, width=10**9), "width"),
    ("tl-width-10000-digits", mod(TL, width=10**10_000), "width"),
    ("rt-k-zero", mod(RT, k=0), "k"),
    ("rt-k-negative", mod(RT, k=-2), "k"),
    ("rt-n-string", mod(RT, n="three"), "n"),
    ("rt-k-bool", mod(RT, k=True), "k"),
    ("rt-k-huge", mod(RT, k=10**9, n=10**9), "k"),
    ("rt-k-above-n-default-teacher", mod(RT, k=4, n=3), "teacher"),
    # --- shapes (deep-linear)
    ("dl-XY-columns", mod(DL, Y=[[1, 0, 1], [0, 1, 1]]), "Y"),
    ("dl-X-rows-vs-widths0", mod(DL, X=[[1, 0], [0, 1], [1, 1]]), "X"),
    ("dl-Y-rows-vs-widths-last", mod(DL, Y=[[1, 0]]), "Y"),
    ("dl-X-ragged", mod(DL, X=[[1, 0], [0]]), "X[1]"),
    ("dl-Y-ragged", mod(DL, Y=[[1], [0, 1]]), "Y[1]"),
    ("dl-X-row-not-list", mod(DL, X=[[1, 0], 3]), "X[1]"),
    ("dl-X-flat", mod(DL, X=[1, 0]), "X[0]"),
    ("dl-X-scalar", mod(DL, X=1), "X"),
    ("dl-X-string", mod(DL, X="[[1, 0], [0, 1]]"), "X"),
    ("dl-X-empty", mod(DL, X=[]), "X"),
    ("dl-X-empty-rows", mod(DL, X=[[]]), "X[0]"),
    ("dl-Y-empty-rows", mod(DL, Y=[[], []]), "Y[0]"),
    ("dl-X-nested-too-deep", mod(DL, X=[[[1, 0]], [[0, 1]]]), "X[0][0]"),
    # --- shapes (two-layer)
    ("tl-XY-columns", mod(TL, Y=[[1, 0]]), "Y"),
    ("tl-X-rows-vs-n", mod(TL, X=[[1, 2, 0]]), "X"),
    ("tl-X-ragged", mod(TL, X=[[1, 2, 0], [0, 1]]), "X[1]"),
    ("tl-X-empty", mod(TL, X=[]), "X"),
    ("tl-X-empty-rows", mod(TL, X=[[]]), "X[0]"),
    ("tl-Y-empty", mod(TL, Y=[]), "Y"),
    ("tl-Y-empty-rows", mod(TL, Y=[[]]), "Y[0]"),
    # --- shapes (relu-teacher)
    ("rt-teacher-columns", mod(RT, teacher=[[1, 0], [0, 1]]), "teacher"),
    ("rt-teacher-ragged", mod(RT, teacher=[[1, 0, 0], [0, 1]]), "teacher[1]"),
    ("rt-teacher-empty", mod(RT, teacher=[]), "teacher"),
    ("rt-teacher-empty-rows", mod(RT, teacher=[[]]), "teacher[0]"),
    ("rt-teacher-string", mod(RT, teacher=[[1, "abc", 0]]), "teacher[0][1]"),
    # --- non-numeric entries
    ("X-abc", mod(DL, X=[["abc", 0], [0, 1]]), "X[0][0]"),
    ("X-div-zero", mod(DL, X=[[1, "1/0"], [0, 1]]), "X[0][1]"),
    ("X-empty-string", mod(DL, X=[[1, 0], ["", 1]]), "X[1][0]"),
    ("X-nan-string", mod(DL, X=[[1, 0], [0, "nan"]]), "X[1][1]"),
    ("Y-inf-string", mod(DL, Y=[["inf", 0], [0, 1]]), "Y[0][0]"),
    ("Y-minus-inf-string", mod(DL, Y=[["-Infinity", 0], [0, 1]]), "Y[0][0]"),
    ("Y-nan-float", mod(DL, Y=[[float("nan"), 0], [0, 1]]), "Y[0][0]"),
    ("Y-inf-float", mod(DL, Y=[[1, float("inf")], [0, 1]]), "Y[0][1]"),
    ("X-bool", mod(DL, X=[[True, 0], [0, 1]]), "X[0][0]"),
    ("X-none", mod(DL, X=[[None, 0], [0, 1]]), "X[0][0]"),
    ("X-dict", mod(DL, X=[[{"p": 1}, 0], [0, 1]]), "X[0][0]"),
    ("X-complex", mod(DL, X=[[1j, 0], [0, 1]]), "X[0][0]"),
    ("X-dot", mod(DL, X=[[".", 0], [0, 1]]), "X[0][0]"),
    ("X-double-slash", mod(DL, X=[["1/2/3", 0], [0, 1]]), "X[0][0]"),
    ("X-negative-denominator", mod(DL, X=[["1/-2", 0], [0, 1]]), "X[0][0]"),
    ("X-hex", mod(DL, X=[["0x10", 0], [0, 1]]), "X[0][0]"),
    ("tl-X-abc", mod(TL, X=[[1, 2, "abc"], [0, 1, 1]]), "X[0][2]"),
    ("tl-Y-bool", mod(TL, Y=[[1, False, 2]]), "Y[0][1]"),
    # --- numbers with 10,000 digits, and huge exponents
    ("X-10000-digit-int", mod(DL, X=[[BIG_INT, 0], [0, 1]]), "X[0][0]"),
    ("X-10000-digit-string", mod(DL, X=[[BIG, 0], [0, 1]]), "X[0][0]"),
    ("X-10000-digit-numerator", mod(DL, X=[[BIG + "/7", 0], [0, 1]]), "X[0][0]"),
    ("X-10000-digit-denominator", mod(DL, X=[["1/" + BIG, 0], [0, 1]]), "X[0][0]"),
    ("X-10000-digit-decimal", mod(DL, X=[["0." + BIG, 0], [0, 1]]), "X[0][0]"),
    ("X-10000-digit-decimal-int-part", mod(DL, X=[[BIG + ".5", 0], [0, 1]]), "X[0][0]"),
    ("X-1001-digit-int", mod(DL, X=[[10**1001, 0], [0, 1]]), "X[0][0]"),
    ("X-exponent-999999", mod(DL, X=[["1e999999", 0], [0, 1]]), "X[0][0]"),
    ("X-exponent-minus-999999", mod(DL, X=[["1e-999999", 0], [0, 1]]), "X[0][0]"),
    ("X-exponent-9999", mod(DL, X=[["1.5e9999", 0], [0, 1]]), "X[0][0]"),
    ("X-exponent-long", mod(DL, X=[["1e" + "9" * 2000, 0], [0, 1]]), "X[0][0]"),
    ("X-fraction-huge", mod(DL, X=[[Fraction(1, 10**2000), 0], [0, 1]]), "X[0][0]"),
    # --- activation
    ("act-tanh", mod(TL, activation="tanh"), "activation"),
    ("act-RELU-case", mod(TL, activation="ReLU"), "activation"),
    ("act-empty-string", mod(TL, activation=""), "activation"),
    ("act-int", mod(TL, activation=2), "activation"),
    ("act-list", mod(TL, activation=[0, 0, 1]), "activation"),
    ("act-wrong-key", mod(TL, activation={"coeffs": [0, 0, 1]}), "activation"),
    ("act-extra-key", mod(TL, activation={"poly": [0, 1], "degree": 1}), "activation"),
    ("act-empty-table", mod(TL, activation={}), "activation"),
    ("act-poly-not-list", mod(TL, activation={"poly": "t^2"}), "activation"),
    ("act-poly-empty", mod(TL, activation={"poly": []}), "activation.poly"),
    ("act-poly-all-zero", mod(TL, activation={"poly": [0, 0, "0/5"]}), "activation.poly"),
    ("act-poly-abc", mod(TL, activation={"poly": [0, "abc"]}), "activation.poly[1]"),
    ("act-poly-nan", mod(TL, activation={"poly": [0, float("nan")]}), "activation.poly[1]"),
    ("act-poly-10000-digits", mod(TL, activation={"poly": [0, BIG]}), "activation.poly[1]"),
    ("act-poly-degree-too-high", mod(TL, activation={"poly": [1] * 65}), "activation.poly"),
    # --- two-layer output / train_output
    ("tl-fixed-without-output", mod(TL, train_output=False), "output"),
    ("tl-fixed-output-wrong-cols", mod(TL, train_output=False, output=[[1, 1]]), "output"),
    ("tl-fixed-output-wrong-rows", mod(TL, train_output=False, output=[[1, 1, 1], [1, 1, 1]]), "output"),
    ("tl-fixed-output-ragged", mod(TL, train_output=False, output=[[1, 1, 1], [1]]), "output[1]"),
    ("tl-fixed-output-abc", mod(TL, train_output=False, output=[[1, "abc", 1]]), "output[0][1]"),
    ("tl-fixed-output-empty", mod(TL, train_output=False, output=[]), "output"),
    ("tl-output-while-trained", mod(TL, output=[[1, 1, 1]]), "output"),
    ("tl-train-output-string", mod(TL, train_output="false"), "train_output"),
    ("tl-train-output-int", mod(TL, train_output=0), "train_output"),
    # --- reg
    ("dl-reg-string", mod(DL, reg="abc"), "reg"),
    ("dl-reg-bool", mod(DL, reg=True), "reg"),
    ("dl-reg-nan", mod(DL, reg=float("nan")), "reg"),
    ("dl-reg-table", mod(DL, reg={"W1": 1}), "reg"),
    ("dl-reg-10000-digits", mod(DL, reg=BIG), "reg"),
    ("dl-reg-list-too-short", mod(DL, reg=[[[1, 1], [1, 1]]]), "reg"),
    ("dl-reg-list-too-long", mod(DL, reg=[[[1, 1], [1, 1]]] * 3), "reg"),
    ("dl-reg-list-empty", mod(DL, reg=[]), "reg"),
    ("dl-reg-list-of-scalars", mod(DL, reg=[1, 2]), "reg[0]"),
    ("dl-reg-wrong-shape", mod(DL, reg=[[[1, 1], [1, 1]], [[1, 1, 1], [1, 1, 1]]]), "reg[1]"),
    ("dl-reg-ragged", mod(DL, reg=[[[1, 1], [1]], [[1, 1], [1, 1]]]), "reg[0][1]"),
    ("dl-reg-entry-abc", mod(DL, reg=[[[1, 1], [1, "abc"]], [[1, 1], [1, 1]]]), "reg[0][1][1]"),
    ("tl-reg-list-wrong-length", mod(TL, reg=[[[1, 1], [1, 1], [1, 1]]]), "reg"),
    ("tl-reg-wrong-shape-W", mod(TL, reg=[[[1, 1, 1], [1, 1, 1]], [[1, 1, 1]]]), "reg[0]"),
    ("tl-reg-wrong-shape-U", mod(TL, reg=[[[1, 1], [1, 1], [1, 1]], [[1, 1]]]), "reg[1]"),
    ("tl-fixed-reg-U-given", mod(TL, train_output=False, output=[[1, 1, 1]],
                                 reg=[[[1, 1], [1, 1], [1, 1]], [[1, 1, 1]]]), "reg"),
]


@pytest.mark.parametrize("d,field", [pytest.param(d, f, id=i) for i, d, f in PROBLEM_CASES])
def test_problem_from_dict_rejects(d, field):
    t0 = time.monotonic()
    with pytest.raises(InputError, match=re.escape(field)) as excinfo:
        problem_from_dict(d)
    assert_input_error(excinfo, field)
    assert time.monotonic() - t0 < 5, "rejecting bad input must be fast"


def test_float_entries_are_accepted_with_a_warning():
    """Control: a finite float is not an error (CONTRACT), only a warning."""
    with pytest.warns(UserWarning, match=r"X\[0\]\[0\]"):
        prob = problem_from_dict(mod(DL, X=[[0.5, 0], [0, 1]]))
    assert prob.X[0][0] == Fraction(1, 2)


@pytest.mark.parametrize("value,expected", [
    ("3/2", Fraction(3, 2)), ("-0.125", Fraction(-1, 8)), (" 7 ", Fraction(7)), ("1.5e3", Fraction(1500)),
    ("2e-3", Fraction(1, 500)), (".5", Fraction(1, 2)), ("5.", Fraction(5)), (10**999, Fraction(10**999)),
    ("9" * MAX_DIGITS, Fraction(int("9" * MAX_DIGITS))),
])
def test_to_fraction_controls(value, expected):
    assert to_fraction(value, "f") == expected


@pytest.mark.parametrize("value", [
    "abc", "", " ", ".", "-", "+", "e5", "1e", "1/0", "0/0", "-1/0", "nan", "NaN", "inf", "-inf", "Infinity",
    "1/2/3", "1/-2", "1 2", "1,5", "0x1f", "1_000", "½", "1e999999", "1e-999999", "1e1001", BIG, "-" + BIG,
    BIG + "/1", "1/" + BIG, "0." + BIG, "1e" + BIG, True, False, None, [1], {"p": 1}, float("nan"),
    float("inf"), -float("inf"), 10**10_000, -(10**10_000), Fraction(10**10_000, 3), b"1", 1j,
], ids=lambda v: _short_id(v))
def test_to_fraction_rejects(value):
    with pytest.raises(InputError) as excinfo:
        to_fraction(value, "F[0]")
    assert_input_error(excinfo, "F[0]")


@pytest.mark.parametrize("value", [0, -1, 10**9, 10**10_000, -(10**10_000), 1.0, "1", None, True, [1]],
                         ids=lambda v: _short_id(v))
def test_to_int_rejects(value):
    with pytest.raises(InputError) as excinfo:
        to_int(value, "widths[3]", maximum=100_000)
    assert_input_error(excinfo, "widths[3]")


# ------------------------------------------------------------------------------- point_from_obj

POINT_CASES = [
    # (kind, problem overrides, point object, field)
    ("deep-linear", {}, {"params": [0] * 7}, "point.params"),
    ("deep-linear", {}, {"params": [0] * 9}, "point.params"),
    ("deep-linear", {}, {"params": []}, "point.params"),
    ("deep-linear", {}, [0] * 3, "point.params"),
    ("deep-linear", {}, {"params": "0 0 0 0 0 0 0 0"}, "point.params"),
    ("deep-linear", {}, {"params": {"0": 1}}, "point.params"),
    ("deep-linear", {}, {"params": None}, "point.params"),
    ("deep-linear", {}, {"params": [0] * 7 + ["abc"]}, "point.params[7]"),
    ("deep-linear", {}, {"params": [0] * 7 + [True]}, "point.params[7]"),
    ("deep-linear", {}, {"params": [0] * 7 + [None]}, "point.params[7]"),
    ("deep-linear", {}, {"params": [[0]] + [0] * 7}, "point.params[0]"),
    ("deep-linear", {}, {"params": [float("nan")] + [0] * 7}, "point.params[0]"),
    ("deep-linear", {}, {"params": [float("inf")] + [0] * 7}, "point.params[0]"),
    ("deep-linear", {}, {"params": [BIG_INT] + [0] * 7}, "point.params[0]"),
    ("deep-linear", {}, {"params": [BIG] + [0] * 7}, "point.params[0]"),
    ("deep-linear", {}, {"params": ["1/" + BIG] + [0] * 7}, "point.params[0]"),
    ("deep-linear", {}, {"params": ["0." + BIG] + [0] * 7}, "point.params[0]"),
    ("deep-linear", {}, {"params": ["1e999999"] + [0] * 7}, "point.params[0]"),
    ("deep-linear", {}, {"params": ["1/0"] + [0] * 7}, "point.params[0]"),
    ("deep-linear", {}, {"params": [0] * 8, "W1": [[0, 0], [0, 0]]}, "point.W1"),
    ("deep-linear", {}, {"params": [0] * 8, "extra": 1}, "point.extra"),
    ("deep-linear", {}, {"W1": [[0, 0], [0, 0]]}, "point.W2"),
    ("deep-linear", {}, {"W2": [[0, 0], [0, 0]]}, "point.W1"),
    ("deep-linear", {}, {}, "point.W1"),
    ("deep-linear", {}, {"W1": [[0, 0], [0, 0]], "W2": [[0, 0, 0], [0, 0, 0]]}, "point.W2"),
    ("deep-linear", {}, {"W1": [[0, 0]], "W2": [[0, 0], [0, 0]]}, "point.W1"),
    ("deep-linear", {}, {"W1": [[0, 0], [0]], "W2": [[0, 0], [0, 0]]}, "point.W1[1]"),
    ("deep-linear", {}, {"W1": [], "W2": [[0, 0], [0, 0]]}, "point.W1"),
    ("deep-linear", {}, {"W1": [[]], "W2": [[0, 0], [0, 0]]}, "point.W1[0]"),
    ("deep-linear", {}, {"W1": [0, 0, 0, 0], "W2": [[0, 0], [0, 0]]}, "point.W1[0]"),
    ("deep-linear", {}, {"W1": [["x", 0], [0, 0]], "W2": [[0, 0], [0, 0]]}, "point.W1[0][0]"),
    ("deep-linear", {}, {"W1": [[0, 0], [0, 0]], "W2": [[0, 0], [0, 0]], "W3": [[0]]}, "point.W3"),
    ("deep-linear", {}, {"W": [[0, 0], [0, 0]], "U": [[0, 0], [0, 0]]}, "point.U"),
    ("deep-linear", {}, 42, "point"),
    ("deep-linear", {}, "0 0 0 0", "point"),
    ("deep-linear", {}, None, "point"),
    ("deep-linear", {}, True, "point"),
    ("two-layer", {}, {"params": [0] * 6}, "point.params"),
    ("two-layer", {}, {"W": [[0, 0], [0, 0], [0, 0]]}, "point.U"),
    ("two-layer", {}, {"W": [[0, 0, 0], [0, 0, 0]], "U": [[0, 0, 0]]}, "point.W"),
    ("two-layer", {}, {"W": [[0, 0], [0, 0], [0, 0]], "U": [[0, 0]]}, "point.U"),
    ("two-layer", {}, {"W1": [[0, 0], [0, 0], [0, 0]], "U": [[0, 0, 0]]}, "point.W1"),
    ("two-layer", {"train_output": False, "output": [[1, 1, 1]]}, {"params": [0] * 9}, "point.params"),
    ("two-layer", {"train_output": False, "output": [[1, 1, 1]]},
     {"W": [[0, 0], [0, 0], [0, 0]], "U": [[0, 0, 0]]}, "point.U"),
    ("relu-teacher", {}, {"params": [0] * 5}, "point.params"),
    ("relu-teacher", {}, {"W": [[0, 0, 0]]}, "point.W"),
    ("relu-teacher", {}, {"W": [[0, 0, 0], [0, 0, 0]], "U": [[1, 1]]}, "point.U"),
    ("relu-teacher", {}, {"W": [[0, 0, 0], [0, 0, "nan"]]}, "point.W[1][2]"),
]


@pytest.mark.parametrize("kind,overrides,obj,field",
                         [pytest.param(*c, id=f"{i}-{c[0]}-{c[3]}") for i, c in enumerate(POINT_CASES)])
def test_point_from_obj_rejects(kind, overrides, obj, field):
    prob = problem_from_dict(mod(BASES[kind], **overrides))
    with pytest.raises(InputError, match=re.escape(field)) as excinfo:
        point_from_obj(prob, obj)
    assert_input_error(excinfo, field)


def test_point_wrong_length_message_gives_the_layout():
    prob = problem_from_dict(copy.deepcopy(DL))
    with pytest.raises(InputError, match=r"has 3 entries; this problem has 8 parameters") as excinfo:
        point_from_obj(prob, {"params": [0, 0, 0]})
    assert "W1 (2×2)" in str(excinfo.value) and "W2 (2×2)" in str(excinfo.value)


def test_point_named_matrices_control():
    prob = problem_from_dict(copy.deepcopy(TL))
    pt = point_from_obj(prob, {"W": [[1, 0], [0, 1], [1, 1]], "U": [["1/2", "0.5", -1]]})
    assert pt == tuple(Fraction(x) for x in (1, 0, 0, 1, 1, 1, "1/2", "1/2", -1))


# --------------------------------------------------------------------------------- files (TOML)

DL_TOML = """kind = "deep-linear"
widths = [2, 2, 2]
X = [[1, 0], [0, 1]]
Y = [["3/2", 0], [0, 1]]
reg = 0
"""
TL_TOML = """kind = "two-layer"
n = 2
width = 3
activation = { poly = [0, 0, 1] }
X = [[1, 2, 0], [0, 1, 1]]
Y = [[1, 0, 2]]
"""


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


TOML_CASES = [
    ("toml-nan", DL_TOML.replace('"3/2"', "nan"), "Y[0][0]"),
    ("toml-inf", DL_TOML.replace('"3/2"', "inf"), "Y[0][0]"),
    ("toml-minus-inf", DL_TOML.replace('"3/2"', "-inf"), "Y[0][0]"),
    ("toml-float-overflow", DL_TOML.replace('"3/2"', "1e999"), "Y[0][0]"),
    ("toml-bool", DL_TOML.replace('"3/2"', "true"), "Y[0][0]"),
    ("toml-date", DL_TOML.replace('"3/2"', "1979-05-27"), "Y[0][0]"),
    ("toml-table-entry", DL_TOML.replace('"3/2"', "{ p = 3, q = 2 }"), "Y[0][0]"),
    ("toml-10000-digit-int", DL_TOML.replace('"3/2"', BIG), "problem"),
    ("toml-10000-digit-width", DL_TOML.replace("[2, 2, 2]", f"[2, {BIG}, 2]"), "problem"),
    ("toml-4000-digit-int", DL_TOML.replace('"3/2"', "9" * 4000), "Y[0][0]"),
    ("toml-10000-digit-ratio", DL_TOML.replace('"3/2"', f'"{BIG}/2"'), "Y[0][0]"),
    ("toml-10000-digit-decimal", DL_TOML.replace('"3/2"', f'"1.{BIG}"'), "Y[0][0]"),
    ("toml-exponent-string", DL_TOML.replace('"3/2"', '"1e999999"'), "Y[0][0]"),
    ("toml-huge-width", DL_TOML.replace("[2, 2, 2]", "[2, 1000000000, 2]"), "widths[1]"),
    ("toml-negative-width", DL_TOML.replace("[2, 2, 2]", "[2, -3, 2]"), "widths[1]"),
    ("toml-float-width", DL_TOML.replace("[2, 2, 2]", "[2, 2.0, 2]"), "widths[1]"),
    ("toml-mixed-array", DL_TOML.replace("[2, 2, 2]", '[2, "2", 2]'), "widths[1]"),
    ("toml-unknown-kind", DL_TOML.replace("deep-linear", "deep-nonlinear"), "kind"),
    ("toml-no-kind", DL_TOML.replace('kind = "deep-linear"', ""), "kind"),
    ("toml-unknown-key", DL_TOML + "seed = 3\n", "seed"),
    ("toml-unknown-activation", TL_TOML.replace("{ poly = [0, 0, 1] }", '"tanh"'), "activation"),
    ("toml-activation-wrong-keys", TL_TOML.replace("poly =", "coefficients ="), "activation"),
    ("toml-poly-all-zero", TL_TOML.replace("[0, 0, 1]", "[0, 0, 0]"), "activation.poly"),
    ("toml-fixed-no-output", TL_TOML + "train_output = false\n", "output"),
    ("toml-fixed-bad-output", TL_TOML + "train_output = false\noutput = [[1, 1]]\n", "output"),
    ("toml-reg-short", DL_TOML.replace("reg = 0", "reg = [[[1, 1], [1, 1]]]"), "reg"),
    ("toml-empty-X", DL_TOML.replace("X = [[1, 0], [0, 1]]", "X = []"), "X"),
    ("toml-empty-X-rows", DL_TOML.replace("X = [[1, 0], [0, 1]]", "X = [[], []]"), "X[0]"),
    ("toml-empty-file", "", "kind"),
    ("toml-syntax-error", "kind = deep-linear\n", "problem"),
    ("toml-not-toml-json", json.dumps(DL), "problem"),
    ("toml-duplicate-key", DL_TOML + 'kind = "two-layer"\n', "problem"),
    ("toml-deeply-nested", "X = " + "[" * 100_000 + "]" * 100_000 + "\n", "problem"),
    ("toml-nul-bytes", "kind = \"deep-linear\"\x00\n", "problem"),
]


@pytest.mark.parametrize("text,field", [pytest.param(t, f, id=i) for i, t, f in TOML_CASES])
def test_load_problem_rejects(tmp_path, text, field):
    p = _write(tmp_path, "problem.toml", text)
    t0 = time.monotonic()
    with pytest.raises(InputError, match=re.escape(field)) as excinfo:
        load_problem(p)
    assert_input_error(excinfo, field)
    assert time.monotonic() - t0 < 5


def test_load_problem_10000_digit_message_is_clear(tmp_path):
    p = _write(tmp_path, "problem.toml", DL_TOML.replace('"3/2"', BIG))
    with pytest.raises(InputError) as excinfo:
        load_problem(p)
    msg = str(excinfo.value)
    assert "digits" in msg and "line 4" in msg and "set_int_max_str_digits" not in msg


@pytest.mark.parametrize("content", [
    b"\xff\xfe\x00garbage\x80\x81",                  # not UTF-8
    bytes(range(256)) * 4,                          # binary garbage
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",           # an image
    "kind = \"deep-linear\"\n".encode("utf-16"),     # UTF-16
], ids=["not-utf8", "binary", "png", "utf16"])
def test_load_problem_rejects_binary(tmp_path, content):
    p = _write(tmp_path, "problem.toml", content)
    with pytest.raises(InputError, match="problem") as excinfo:
        load_problem(p)
    assert_input_error(excinfo, "problem")


def test_load_problem_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read") as excinfo:
        load_problem(tmp_path / "nope.toml")
    assert_input_error(excinfo, "problem")


def test_load_problem_directory(tmp_path):
    with pytest.raises(InputError, match="cannot read") as excinfo:
        load_problem(tmp_path)
    assert_input_error(excinfo, "problem")


def test_load_problem_too_large_file(tmp_path, monkeypatch):
    import verify.problems.files as pf

    monkeypatch.setattr(pf, "MAX_FILE_BYTES", 1000)
    p = _write(tmp_path, "problem.toml", DL_TOML + "#" * 2000 + "\n")
    with pytest.raises(InputError, match="limit") as excinfo:
        load_problem(p)
    assert_input_error(excinfo, "problem")


# --------------------------------------------------------------------------------- files (JSON)

JSON_CASES = [
    ("json-NaN", '{"params": [NaN, 0, 0, 0, 0, 0, 0, 0]}', "point"),
    ("json-Infinity", '{"params": [Infinity, 0, 0, 0, 0, 0, 0, 0]}', "point"),
    ("json-minus-Infinity", '{"params": [-Infinity, 0, 0, 0, 0, 0, 0, 0]}', "point"),
    ("json-float-overflow", '{"params": [1e999, 0, 0, 0, 0, 0, 0, 0]}', "point.params[0]"),
    ("json-malformed", '{"params": [0, 0,', "point"),
    ("json-trailing-comma", '{"params": [0, 0, 0, 0, 0, 0, 0, 0,]}', "point"),
    ("json-single-quotes", "{'params': [0, 0, 0, 0, 0, 0, 0, 0]}", "point"),
    ("json-empty", "", "point"),
    ("json-whitespace", "  \n ", "point"),
    ("json-deeply-nested-list", "[" * 100_000, "point"),
    ("json-deeply-nested-closed", "[" * 100_000 + "]" * 100_000, "point"),
    ("json-deeply-nested-object", '{"a":' * 100_000 + "1" + "}" * 100_000, "point"),
    ("json-nested-in-params", '{"params": ' + "[" * 500 + "]" * 500 + "}", "point.params"),
    ("json-10000-digit-int", '{"params": [' + BIG + ", 0, 0, 0, 0, 0, 0, 0]}", "point"),
    ("json-4000-digit-int", '{"params": [' + "9" * 4000 + ", 0, 0, 0, 0, 0, 0, 0]}", "point.params[0]"),
    ("json-10000-digit-string", '{"params": ["' + BIG + '", 0, 0, 0, 0, 0, 0, 0]}', "point.params[0]"),
    ("json-10000-digit-ratio", '{"params": ["1/' + BIG + '", 0, 0, 0, 0, 0, 0, 0]}', "point.params[0]"),
    ("json-10000-digit-float", '{"params": [0.' + BIG + ", 0, 0, 0, 0, 0, 0, 0]}", None),  # a float: finite, OK
    ("json-exponent-string", '{"params": ["1e999999", 0, 0, 0, 0, 0, 0, 0]}', "point.params[0]"),
    ("json-wrong-length", '{"params": [0, 0, 0]}', "point.params"),
    ("json-not-object-number", "42", "point"),
    ("json-not-object-string", '"0 0 0 0 0 0 0 0"', "point"),
    ("json-null", "null", "point"),
    ("json-unknown-key", '{"params": [0, 0, 0, 0, 0, 0, 0, 0], "seed": 1}', "point.seed"),
    ("json-named-wrong-shape", '{"W1": [[0, 0]], "W2": [[0, 0], [0, 0]]}', "point.W1"),
    ("json-named-missing", '{"W1": [[0, 0], [0, 0]]}', "point.W2"),
    ("json-bool-entry", '{"params": [true, 0, 0, 0, 0, 0, 0, 0]}', "point.params[0]"),
]


@pytest.mark.parametrize("text,field", [pytest.param(t, f, id=i) for i, t, f in JSON_CASES])
def test_load_point_rejects(tmp_path, text, field):
    prob = problem_from_dict(copy.deepcopy(DL))
    p = _write(tmp_path, "point.json", text)
    if field is None:  # control: accepted (with a float warning)
        with pytest.warns(UserWarning):
            assert len(load_point(prob, p)) == 8
        return
    t0 = time.monotonic()
    with pytest.raises(InputError, match=re.escape(field)) as excinfo:
        load_point(prob, p)
    assert_input_error(excinfo, field)
    assert time.monotonic() - t0 < 5


def test_json_10000_digit_message_is_clear():
    with pytest.raises(InputError) as excinfo:
        parse_json_text('{"params": [' + BIG + "]}", "point")
    msg = str(excinfo.value)
    assert "digits" in msg and "set_int_max_str_digits" not in msg


@pytest.mark.parametrize("content", [b"\xff\xfe\x00\x80", bytes(range(256))], ids=["not-utf8", "binary"])
def test_load_point_rejects_binary(tmp_path, content):
    prob = problem_from_dict(copy.deepcopy(DL))
    with pytest.raises(InputError) as excinfo:
        load_point(prob, _write(tmp_path, "point.json", content))
    assert_input_error(excinfo, "point")


def test_load_point_missing_and_directory(tmp_path):
    prob = problem_from_dict(copy.deepcopy(DL))
    for path in (tmp_path / "missing.json", tmp_path):
        with pytest.raises(InputError, match="cannot read") as excinfo:
            load_point(prob, path)
        assert_input_error(excinfo, "point")


# ----------------------------------------------------------------------- exact-layer size limit

def test_too_large_for_exact_layer_is_an_input_error():
    prob = problem_from_dict(mod(DL, widths=[10, 10, 10], X=[[int(i == j) for j in range(10)] for i in range(10)],
                                 Y=[[int(i == j) for j in range(10)] for i in range(10)]))
    assert prob.n_params == 200
    with pytest.raises(TooLargeError, match="numeric layer"):
        verify.classify(prob, (0,) * 200)


def test_too_large_relu_two_layer_is_rejected_before_the_activation_pattern():
    eye = [[int(i == j) for j in range(8)] for i in range(8)]
    prob = problem_from_dict({"kind": "two-layer", "n": 8, "width": 8, "activation": "relu", "X": eye,
                              "Y": [[1] * 8]})
    assert prob.n_params == 72
    with pytest.raises(TooLargeError, match="numeric layer"):
        verify.classify(prob, (0,) * 72)  # W = 0: every pre-activation is a kink


# ============================================================================ end to end: the CLI

def _limit_memory():  # runs in the child before exec
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    except (ImportError, ValueError, OSError):
        pass


def run_cli(*args: str) -> subprocess.CompletedProcess:
    t0 = time.monotonic()
    try:
        r = subprocess.run([sys.executable, "-m", "verify.cli", *args], capture_output=True, text=True,
                           timeout=CLI_TIMEOUT, cwd=REPO, preexec_fn=_limit_memory if os.name == "posix" else None,
                           errors="replace")
    except subprocess.TimeoutExpired:
        pytest.fail(f"spurious {' '.join(args)[:200]} hung for more than {CLI_TIMEOUT} s")
    r.elapsed = time.monotonic() - t0
    return r


def assert_exit_2(r: subprocess.CompletedProcess, *needles: str) -> None:
    assert r.returncode == 2, f"exit {r.returncode}; stderr: {r.stderr[-2000:]}"
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    if "--json" in r.args:  # CONTRACT.md: with --json, one error object on stdout naming the field
        err = json.loads(r.stdout)["error"]
        assert set(err) == {"field", "message"} and err["message"], err
    else:
        assert r.stdout == "", f"stdout must stay empty on error, got {r.stdout[:500]!r}"
    assert r.stderr.strip(), "a message on stderr"
    assert "error" in r.stderr
    assert len(r.stderr) < 10_000, "the message stays short"
    for needle in needles:
        assert needle in r.stderr, f"{needle!r} not in {r.stderr!r}"


@pytest.fixture
def files(tmp_path):
    def make(problem: str | bytes | None = DL_TOML, point: str | bytes | None = '{"params": [0, 0, 0, 0, 0, 0, 0, 0]}'):
        prob = _write(tmp_path, "problem.toml", problem) if problem is not None else tmp_path / "absent.toml"
        pt = _write(tmp_path, "point.json", point) if point is not None else tmp_path / "absent.json"
        return str(prob), str(pt)
    return make


@pytest.mark.parametrize("json_mode", [False, True], ids=["human", "json"])
def test_cli_positive_control(files, json_mode):
    prob, pt = files(DL_TOML.replace("widths = [2, 2, 2]", "widths = [2, 2]"),
                     '{"W1": [["3/2", 0], [0, 1]]}')
    r = run_cli("classify", prob, "--point", pt, *(["--json"] if json_mode else []))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    if json_mode:
        out = json.loads(r.stdout)
        assert out["class"] == "global-min" and out["gradient_zero"] is True
    else:
        assert "global-min" in r.stdout


def test_cli_positive_control_two_layer(files):
    prob, pt = files(TL_TOML, '{"W": [[0, 0], [0, 0], [0, 0]], "U": [[0, 0, 0]]}')
    r = run_cli("classify", prob, "--point", pt, "--json")
    assert r.returncode == 0, r.stderr
    assert "class" in json.loads(r.stdout)


_EYE10 = [[int(i == j) for j in range(10)] for i in range(10)]
BIG_DL_TOML = f'kind = "deep-linear"\nwidths = [10, 10, 10]\nX = {_EYE10}\nY = {_EYE10}\n'  # 200 params > 64

CLI_CASES = [
    # (id, problem text (None: missing file), point text, extra args, needles in stderr)
    ("XY-columns", DL_TOML.replace('Y = [["3/2", 0], [0, 1]]', "Y = [[1, 0, 1], [0, 1, 1]]"), None, (), ("Y",)),
    ("negative-width", DL_TOML.replace("[2, 2, 2]", "[2, -3, 2]"), None, ("--json",), ("widths[1]",)),
    ("non-numeric", DL_TOML.replace('"3/2"', '"abc"'), None, (), ("Y[0][0]", "abc")),
    ("unknown-kind", DL_TOML.replace("deep-linear", "shallow"), None, ("--json",), ("kind",)),
    ("unknown-activation", TL_TOML.replace("{ poly = [0, 0, 1] }", '"tanh"'), None, (), ("activation", "tanh")),
    ("empty-X", DL_TOML.replace("X = [[1, 0], [0, 1]]", "X = []"), None, ("--json",), ("X",)),
    ("point-wrong-length", DL_TOML, '{"params": [0, 0, 0]}', ("--json",), ("point.params",)),
    ("point-NaN", DL_TOML, '{"params": [NaN, 0, 0, 0, 0, 0, 0, 0]}', (), ("point",)),
    ("point-deeply-nested", DL_TOML, "[" * 100_000, ("--json",), ("point",)),
    ("toml-10000-digits", DL_TOML.replace('"3/2"', BIG), None, ("--json",), ("problem", "digits")),
    ("point-10000-digits", DL_TOML, '{"params": [' + BIG + ", 0, 0, 0, 0, 0, 0, 0]}", (), ("point", "digits")),
    ("huge-width", DL_TOML.replace("[2, 2, 2]", "[2, 1000000000, 2]"), None, ("--json",), ("widths[1]",)),
    ("relu-teacher-huge", 'kind = "relu-teacher"\nk = 100000\nn = 100000\n', None, ("--json",), ("k",)),
    ("binary-problem", bytes(range(256)) * 16, None, (), ("problem",)),
    ("missing-problem", None, None, ("--json",), ("problem", "cannot read")),
    ("too-large-for-exact", BIG_DL_TOML, json.dumps({"params": [0] * 200}), (), ("200 parameters", "numeric layer")),
    ("timeout-nan", DL_TOML, None, ("--timeout", "nan"), ("--timeout",)),
]


@pytest.mark.parametrize("problem,point,extra,needles", [pytest.param(*c[1:], id=c[0]) for c in CLI_CASES])
def test_cli_bad_input_exits_2(files, problem, point, extra, needles):
    prob, pt = files(problem, point if point is not None else '{"params": [0, 0, 0, 0, 0, 0, 0, 0]}')
    r = run_cli("classify", prob, "--point", pt, *extra)
    assert_exit_2(r, *needles)


@pytest.mark.skipif(not os.path.exists("/dev/urandom"), reason="no /dev/urandom")
@pytest.mark.parametrize("which", ["problem", "point"])
def test_cli_endless_device_exits_2(files, which):
    """An endless file (stat size 0) must not be read forever: exit 2, fast."""
    prob, pt = files()
    if which == "problem":
        prob = "/dev/urandom"
    else:
        pt = "/dev/zero"
    r = run_cli("classify", prob, "--point", pt, "--json")
    assert_exit_2(r, which)
    assert r.elapsed < 20
