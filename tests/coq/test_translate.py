"""proofs/coq/translate.py: the certificate → Coq file translator (no coqc here).

Unit tests of the data layout Loss.v expects (sample columns, λ per parameter in parameter order, constructors)
and of its refusals, and a hypothesis fuzz: a mutated certificate either raises a ValueError naming a field, or
gives a file made of a fixed alphabet that holds no string of the input.
"""

import copy
import json
import re
from fractions import Fraction

import pytest
from coqtools import LIBRARY
from hypothesis import given
from hypothesis import strategies as st

import proofs
from proofs.coq.translate import COVERED, NotCovered, TranslationError, covered, translate
from proofs.reader import read_problem
from verify.certify.coq_hints import coq_hints, ldl_terms, local_min_terms

ALPHABET = re.compile(r"[0-9A-Za-z_#;\[\]()%:.,=*<>\s-]*")
COVERED_FILES = ["kawaguchi-depth2-origin-strict-saddle", "kawaguchi-depth3-origin-non-strict-saddle",
                 "deep3-scalar-global-min", "poly-net-square-local-min", "poly-net-spurious-local-min"]


def library(name):
    return json.loads((LIBRARY / f"{name}.json").read_text())


def cert(problem, claim, body):
    return {"format": "spurious-certificate", "version": 1, "claim": claim, "problem": problem,
            "problem_sha256": proofs.problem_hash(problem), "body": {"kind": claim["kind"], **body}}


def hints_of(c):
    return coq_hints(read_problem(c["problem"]), c["claim"], c["body"])


def line(text, start):
    return next(x for x in text.splitlines() if x.startswith(start))


# --------------------------------------------------------------------------- layout
def test_deep_linear_layout_samples_as_columns_and_lambda_in_parameter_order():
    problem = {"kind": "deep-linear", "widths": [2, 1, 3], "X": [[1, 2, 3], [4, 5, 6]],
               "Y": [["1/2", 0, 0], [0, 1, 0], [0, 0, -1]],
               "reg": [[["1", "2"]], [["3"], ["4"], ["5"]]], "loss": "mse"}
    text = translate(cert(problem, {"kind": "critical-point", "point": [0] * 5}, {}))
    assert line(text, "Definition pb") == (
        "Definition pb := mkProblem (DeepLinear [2;1;3]%nat) [[(1);(4)];[(2);(5)];[(3);(6)]] "
        "[[(1#2);(0);(0)];[(0);(1);(0)];[(0);(0);(-1)]] MSE [(1);(2);(3);(4);(5)].")
    assert line(text, "Theorem verified") == "Theorem verified : critical (L pb) th."


def test_two_layer_layout_trained_and_fixed_output():
    trained = {"kind": "two-layer", "n": 2, "width": 1, "activation": {"poly": ["-1/4", 0, 1]}, "X": [[1], [2]],
               "Y": [[3]], "train_output": True, "output": None, "reg": "1/3", "loss": {"power": 4}}
    text = translate(cert(trained, {"kind": "critical-point", "point": [0, 0, 0]}, {}))
    assert line(text, "Definition pb") == ("Definition pb := mkProblem (TwoLayer 2 1 1 [(-1#4);(0);(1)] None) "
                                           "[[(1);(2)]] [[(3)]] (Power 4) [(1#3);(1#3);(1#3)].")
    fixed = dict(trained, train_output=False, output=[["2"]], reg=[[[1, 2]]], loss={"poly": [0, 0, 1]})
    text = translate(cert(fixed, {"kind": "critical-point", "point": [0, 0]}, {}))
    assert line(text, "Definition pb") == ("Definition pb := mkProblem (TwoLayer 2 1 1 [(-1#4);(0);(1)] "
                                           "(Some [[(2)]])) [[(1);(2)]] [[(3)]] (PolyFit [(0);(0);(1)]) [(1);(2)].")


@pytest.mark.parametrize("name", COVERED_FILES)
def test_library_certificates_translate(name):
    c = library(name)
    text = translate(c, hints_of(c))
    statement, proof = COVERED[c["claim"]["kind"]]
    assert f"Theorem verified : {statement}.\nProof. apply ({proof}). vm_cast_no_check (eq_refl true). Qed.\n" in text
    assert ("Theorem claimed_loss" in text) == ("loss" in c["claim"])
    assert ALPHABET.fullmatch(text)


def test_strict_saddle_hints_come_from_the_body():
    text = translate(library("kawaguchi-depth2-origin-strict-saddle"))
    assert "Definition v : list Q := [(1);(1)]." in text
    assert "Definition asc : ascent := (AscentDirection [(1);(-1)])." in text


# --------------------------------------------------------------------------- hints
def test_local_min_hints_decompose_a_minus_mu_exactly():
    A = [[Fraction(3), Fraction(1), 0], [Fraction(1), Fraction(2), Fraction(1, 2)], [0, Fraction(1, 2), 1]]
    mu, terms = local_min_terms(A)
    assert mu > 0 and all(d > 0 for d, _ in terms)
    S = [[sum(d * l[i] * l[j] for d, l in terms) for j in range(3)] for i in range(3)]
    assert S == [[A[i][j] - (mu if i == j else 0) for j in range(3)] for i in range(3)]


def test_local_min_hints_for_an_indefinite_matrix_are_still_emitted():
    mu, terms = local_min_terms([[1, 0], [0, -1]])
    assert mu > 0 and any(d < 0 for d, _ in terms)   # Coq refuses it: nothing is decided in Python


def test_psd_terms_skip_zero_pivots():
    terms, ok = ldl_terms([[0, 0], [0, 2]])
    assert ok and terms == [(2, [0, 1])]


def test_non_strict_saddle_ascent_hint_is_a_unit_vector_or_the_descent_curve():
    problem = {"kind": "deep-linear", "widths": [1, 1, 1, 1], "X": [[1]], "Y": [[1]],
               "reg": [[["1"]], [[0]], [[0]]]}   # ½(w3 w2 w1 − 1)² + ½ w1²: A = diag(½, 0, 0) at 0
    c = cert(problem, {"kind": "non-strict-saddle", "point": [0, 0, 0]},
             {"congruence": [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "descent_curve": [[0, 1, 1], [1, 0, 0]]})
    h = hints_of(c)
    assert h["ascent"] == {"direction": [1, 0, 0]} and h["psd"] == [(Fraction(1, 2), [1, 0, 0])]
    assert "(AscentDirection [(1);(0);(0)])" in translate(c, h)
    h = hints_of(library("kawaguchi-depth3-origin-non-strict-saddle"))
    assert h == {"psd": [], "ascent": {"curve": [[1, 1, 1]]}}


# --------------------------------------------------------------------------- refusals
@pytest.mark.parametrize("edit, field", [
    (lambda c: c["problem"].update(kind="relu-teacher"), "problem.kind"),
    (lambda c: c["problem"].update(loss={"huber": "1"}), "problem.loss"),
    (lambda c: c["problem"].update(loss="logistic"), "problem.loss"),
    (lambda c: c["problem"].update(loss="cross-entropy"), "problem.loss"),
    (lambda c: c["claim"].update(kind="isolated-critical-point"), "claim.kind"),
    (lambda c: c["claim"].update(kind="theorem-instance"), "claim.kind"),
])
def test_not_covered(edit, field):
    c = library("kawaguchi-depth2-origin-strict-saddle")
    edit(c)
    with pytest.raises(NotCovered) as e:
        covered(c)
    assert e.value.field == field and "Coq does not cover" in str(e.value)


def test_not_covered_relu_and_rank_dual():
    with pytest.raises(NotCovered, match="relu two-layer"):
        covered(library("poly-net-square-local-min") | {"problem": dict(
            library("poly-net-square-local-min")["problem"], activation="relu")})
    with pytest.raises(NotCovered, match="rank-dual"):
        covered(library("deep-linear-2x1x2-rank-dual-global-min"))


@pytest.mark.parametrize("value", ["2/4", "+1", "1.5", " 1", "1e3", "-0", "01", "1/1", "1/0", "0x10", "١", True,
                                   None, 1.5, [1], "1" * 2001, 10 ** 2001, "1). Axiom f : False. (1"])
def test_refuses_a_number_that_is_not_a_canonical_rational(value):
    c = library("kawaguchi-depth2-origin-strict-saddle")
    c["body"]["direction"][1] = value
    with pytest.raises(TranslationError) as e:
        translate(c)
    assert e.value.field == "body.direction[1]"


@pytest.mark.parametrize("edit, field", [
    (lambda c: c["claim"].update(point=["0"]), "claim.point"),
    (lambda c: c["problem"].update(X=[[1, 2]]), "problem.Y[0]"),
    (lambda c: c["problem"].update(extra=1), "problem"),
    (lambda c: c["body"].update(extra=1), "body"),
    (lambda c: c["body"].update(kind="local-min"), "body.kind"),
    (lambda c: c["body"]["ascent"].update(curve=[[0, 0]]), "body.ascent"),
    (lambda c: c.update(version=2), "certificate"),
    (lambda c: c["problem"].update(widths=[1] * 18), "problem.widths"),
    (lambda c: c["problem"].update(reg=[[[0]]]), "problem.reg"),
])
def test_refusals_name_the_field(edit, field):
    c = library("kawaguchi-depth2-origin-strict-saddle")
    edit(c)
    with pytest.raises(TranslationError) as e:
        translate(c)
    assert e.value.field == field, str(e.value)


def test_hints_must_be_numbers():
    c = library("poly-net-square-local-min")
    with pytest.raises(TranslationError, match="hints.mu"):
        translate(c, {"mu": "1", "terms": []})
    with pytest.raises(TranslationError, match=r"hints.terms\[0\]"):
        translate(c, {"mu": 1, "terms": [(1, ["x"])]})


# --------------------------------------------------------------------------- fuzz
MARK = "Zq"
EVIL = ["1). Axiom f : False. (1", "Admitted.", "1#0", "(*", "\u202e", "1/2\n", "Qed.", "\x00", "-1/3 ", "1_000"]
LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10 ** 2100), max_value=10 ** 2100),
                 st.floats(allow_nan=True, allow_subnormal=False), st.text(max_size=12).map(lambda s: MARK + s),
                 st.sampled_from(EVIL).map(lambda s: MARK + s), st.sampled_from(["relu", "mse", "square", "zero-loss"]))
VALUE = st.recursive(LEAF, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                   st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                     max_leaves=6)


def _paths(x, path=()):
    yield path
    items = x.items() if isinstance(x, dict) else enumerate(x) if isinstance(x, list) else ()
    for k, v in items:
        yield from _paths(v, path + (k,))


@given(st.sampled_from(COVERED_FILES), st.data())
def test_fuzz_translator_refuses_or_writes_only_numbers_and_names(name, data):
    """Random JSON-ish mutations of valid certificates: a ValueError naming a field, or a file in the alphabet
    with none of the injected strings (each starts with MARK, which no file contains)."""
    original = library(name)
    hints = hints_of(original)
    c = copy.deepcopy(original)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(list(_paths(c))))
        parent = c
        for k in path[:-1]:
            parent = parent[k]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if not path:
            continue
        if action == "replace" or not isinstance(parent, dict) and action == "delete":
            parent[path[-1]] = data.draw(VALUE)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.text(max_size=8))] = data.draw(VALUE)
        else:
            parent.insert(path[-1], data.draw(VALUE))
    try:
        text = translate(c, hints)
    except ValueError as e:
        assert isinstance(e, TranslationError) and re.match(r"[a-z_]+(\.[A-Za-z_]+|\[\d+\])*$", e.field), e
        return
    assert ALPHABET.fullmatch(text), text
    assert MARK not in text
