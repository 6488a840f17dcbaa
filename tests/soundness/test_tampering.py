"""Hypothesis tampering: valid certificates are perturbed, relabelled, re-typed, truncated, given other
problems or larger boxes. Every accepted result must be confirmed TRUE by the independent sympy oracle
(certlib.oracle); accepted-false and accepted-unconfirmed must both be 0. Counts are printed at the end.

Examples per property: 600 in the default `ci` profile (about 4,300 tampered certificates, ~25 s);
SPURIOUS_HYPOTHESIS_PROFILE=thorough runs the profile's 10,000 per property (70,000 in all);
SPURIOUS_TAMPER_EXAMPLES=N overrides both."""

import copy
import json
import os
import pathlib
from fractions import Fraction

from certlib import attestation_cert, attestation_query, classify, nparams, pool, smt_names
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proofs import problem_hash

LIB = pathlib.Path(__file__).resolve().parents[2] / "proofs" / "library"
BASE = pool() + [json.loads(f.read_text()) for f in sorted(LIB.glob("*.json"))]   # relu-teacher boxes included
PROBLEMS = [c["problem"] for c in BASE]
_POLY = [c["problem"] for c in BASE if c["problem"]["kind"] == "deep-linear" or (
    c["problem"]["kind"] == "two-layer" and c["problem"]["activation"] != "relu")]
ATTESTED = [attestation_cert(p, claim) for p, claim in zip(
    [p for i, p in enumerate(_POLY) if nparams(p) <= 6 and p not in _POLY[:i]][:6],
    ["no-spurious-local-min", "strict-saddle"] * 3)]
MIXED = BASE + ATTESTED
KINDS = ["critical-point", "strict-saddle", "non-strict-saddle", "local-min", "spurious-local-min", "global-min",
         "isolated-critical-point", "solver-attested", "sublevel-path"]
_PROFILE = settings.default.max_examples
PER = int(os.environ.get("SPURIOUS_TAMPER_EXAMPLES", 0)) or (_PROFILE if _PROFILE >= 1000 else 600)
tamper = settings(max_examples=PER, deadline=None, suppress_health_check=list(HealthCheck))

small_q = st.builds(Fraction, st.integers(-48, 48), st.integers(1, 12))
VEC = {n: st.lists(small_q.map(str), min_size=n, max_size=n) for n in range(1, 13)}
CURVE = {n: st.lists(VEC[n], min_size=1, max_size=3) for n in VEC}


def _paths(x, prefix=()):
    """All paths to nodes of a JSON value (dict keys / list indices)."""
    yield prefix
    if isinstance(x, dict):
        for k, v in x.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from _paths(v, prefix + (i,))


def _get(x, path):
    for p in path:
        x = x[p]
    return x


def _set(x, path, value):
    _get(x, path[:-1])[path[-1]] = value


def _rational_leaves(c, root):
    return [p for p in _paths(c[root], (root,)) if isinstance(_get(c, p), (str, int)) and not isinstance(
        _get(c, p), bool) and p[-1] not in ("kind", "route") and _is_rat(_get(c, p))]


def _is_rat(v):
    try:
        Fraction(v)
        return True
    except (ValueError, TypeError):
        return False


def _q(f):
    return str(Fraction(f))


@st.composite
def base(draw, among=BASE):
    return copy.deepcopy(draw(st.sampled_from(among)))


@tamper
@given(base(), st.data())
def test_perturbed_coordinates(c, data):
    leaves = [p for p in _rational_leaves(c, "claim") if p[1] in ("point", "centre")]
    p = data.draw(st.sampled_from(leaves))
    delta = data.draw(small_q.filter(lambda d: d != 0))
    _set(c, p, _q(Fraction(_get(c, p)) + delta))
    assert classify(c, "perturbed-coordinates") not in ("accepted-false", "accepted-unconfirmed")


@tamper
@given(base(), st.data())
def test_altered_directions_curves_and_hints(c, data):
    leaves = _rational_leaves(c, "body")
    if not leaves:
        c["body"]["extra"] = "1"
    else:
        for _ in range(data.draw(st.integers(1, 3))):
            p = data.draw(st.sampled_from(leaves))
            old = Fraction(_get(c, p))
            how = data.draw(st.integers(0, 2))
            new = data.draw(small_q) if how == 0 else data.draw(small_q) * old if how == 1 else \
                data.draw(st.sampled_from([0, -old, 2 * old, old + 1, old / 3]))
            _set(c, p, _q(new))
    assert classify(c, "altered-hints") not in ("accepted-false", "accepted-unconfirmed")


@tamper
@given(base(MIXED), st.data())
def test_swapped_or_strengthened_claims(c, data):
    how = data.draw(st.sampled_from(["claim-only", "both", "both+borrow", "loss"]))
    kind = data.draw(st.sampled_from(KINDS))
    if how == "loss":
        c["claim"]["loss"] = _q(data.draw(small_q))
    else:
        c["claim"]["kind"] = kind
        if how != "claim-only":
            c["body"]["kind"] = kind
        if how == "both+borrow":   # borrow the hint fields of a real certificate of that kind
            donors = [d for d in BASE if d["claim"]["kind"] == kind and len(d["claim"].get("point", [])) ==
                      len(c["claim"].get("point", [None]))]
            if donors:
                d = data.draw(st.sampled_from(donors))
                c["body"] = copy.deepcopy(d["body"])
    assert classify(c, "swapped-claims") not in ("accepted-false", "accepted-unconfirmed")


@tamper
@given(base(MIXED), st.sampled_from(PROBLEMS), st.booleans())
def test_replaced_problems(c, problem, rehash):
    c["problem"] = copy.deepcopy(problem)
    if rehash:
        c["problem_sha256"] = problem_hash(problem)
    assert classify(c, "replaced-problems") not in ("accepted-false", "accepted-unconfirmed")


json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                      st.text(max_size=8), st.sampled_from(["1/0", "2/4", "-0", "1.5", "+1", "0x10", "1e3", "", "∞"]))
json_value = st.recursive(json_leaf, lambda ch: st.lists(ch, max_size=3) | st.dictionaries(st.text(max_size=4), ch,
                                                                                            max_size=3), max_leaves=6)


@tamper
@given(base(MIXED), st.data())
def test_truncated_or_retyped_fields(c, data):
    paths = [p for p in _paths(c) if p]
    p = data.draw(st.sampled_from(paths))
    parent, node = _get(c, p[:-1]), _get(c, p)
    how = data.draw(st.sampled_from(["delete", "truncate", "retype", "wrap", "extend"]))
    if how == "delete" or (how == "truncate" and not isinstance(node, list)):
        del parent[p[-1]]
    elif how == "truncate":
        _set(c, p, node[: data.draw(st.integers(0, max(0, len(node) - 1)))])
    elif how == "retype":
        _set(c, p, data.draw(json_value))
    elif how == "wrap":
        _set(c, p, [node])
    else:
        _set(c, p, node + [node[-1]] if isinstance(node, list) and node else data.draw(json_value))
    assert classify(c, "truncated-or-retyped") not in ("accepted-false", "accepted-unconfirmed")


BOXES = [c for c in BASE if c["claim"]["kind"] == "isolated-critical-point"]


@tamper
@given(st.sampled_from(BOXES), st.data())
def test_boxes_too_large_or_moved(c, data):
    c = copy.deepcopy(c)
    how = data.draw(st.sampled_from(["grow", "move", "flip-minimum", "precond"]))
    if how == "grow":
        f = data.draw(st.sampled_from([2, 10, 100, 1000, 10**4, 10**6]) | st.builds(Fraction, st.integers(1, 10**4),
                                                                                     st.integers(1, 100)))
        c["claim"]["radius"] = [_q(Fraction(r) * f) for r in c["claim"]["radius"]]
    elif how == "move":
        c["claim"]["centre"] = [_q(Fraction(x) + Fraction(data.draw(st.integers(-2000, 2000)), 1000))
                                for x in c["claim"]["centre"]]
    elif how == "flip-minimum":
        c["claim"]["minimum"] = not c["claim"]["minimum"]
        if c["claim"]["minimum"]:
            c["body"]["congruence"] = [["1"]]
        else:
            c["body"].pop("congruence", None)
    else:
        c["body"]["preconditioner"] = [[_q(data.draw(small_q))]]
    assert classify(c, "boxes") not in ("accepted-false", "accepted-unconfirmed")


SADDLES = [c for c in BASE if c["claim"]["kind"] in ("strict-saddle", "non-strict-saddle")]


@tamper
@given(st.sampled_from(SADDLES), st.data())
def test_reshaped_curves_and_directions(c, data):
    c = copy.deepcopy(c)
    b = c["body"]
    n = len(c["claim"]["point"])
    vec, curve = VEC[n], CURVE[n]
    how = data.draw(st.sampled_from(["new-direction", "new-ascent", "new-curve", "add-curve-term",
                                     "ascent-as-curve", "drop-ascent"]))
    if how == "new-direction" and "direction" in b:
        b["direction"] = data.draw(vec)
    elif how == "new-ascent":
        b["ascent"] = {"direction": data.draw(vec)}
    elif how == "new-curve" and "descent_curve" in b:
        b["descent_curve"] = data.draw(curve)
    elif how == "add-curve-term" and "descent_curve" in b:
        b["descent_curve"] = b["descent_curve"] + [data.draw(vec)]
    elif how == "ascent-as-curve":
        b["ascent"] = {"curve": data.draw(curve)}
    else:
        b.pop("ascent", None)
    assert classify(c, "curves-and-directions") not in ("accepted-false", "accepted-unconfirmed")


def test_unmodified_base_certificates_verify():
    assert any(c["problem"]["kind"] == "relu-teacher" for c in BASE) and len(ATTESTED) == 6
    for c in BASE:
        assert classify(copy.deepcopy(c), "unmodified-base") == "accepted-true", c["claim"]
    for c in ATTESTED:
        assert classify(copy.deepcopy(c), "unmodified-base") == "attested", c["problem"]


def _tied(c):
    """Independently of proofs/: every script declares the canonical parameters first and asserts ∇L = 0 of the
    embedded problem (sympy expansion, certlib)."""
    names = smt_names(c["problem"])
    decl = [f"(declare-fun {n} () Real)" for n in names]
    want = [line for line in attestation_query(c["problem"]).split("\n") if line.startswith("(assert")]
    for script in c["body"]["query"]["text"].split("\n(reset)\n"):
        lines = script.split("\n")
        if [x for x in lines if x.startswith("(declare-fun")][:len(decl)] != decl or not set(want) <= set(lines):
            return False
    return True


@tamper
@given(st.sampled_from(ATTESTED), st.sampled_from(PROBLEMS), st.data())
def test_tampered_attestations(c, problem, data):
    """Edited queries, statements, answers and problems: never verified; attested only when still tied."""
    c = copy.deepcopy(c)
    q = c["body"]["query"]
    lines = q["text"].split("\n")
    how = data.draw(st.sampled_from(["drop-line", "edit-number", "swap-lines", "append", "problem", "statement",
                                     "answer", "second-script"]))
    if how in ("drop-line", "swap-lines", "edit-number"):
        i, j = data.draw(st.integers(0, len(lines) - 1)), data.draw(st.integers(0, len(lines) - 1))
        if how == "drop-line":
            del lines[i]
        elif how == "swap-lines":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i].replace(data.draw(st.sampled_from(["1.0", "2.0", "W", "_0", "(- "])),
                                        data.draw(st.sampled_from(["3.0", "1.0", "U", "_1", ""])), 1)
        q["text"] = "\n".join(lines)
    elif how == "append":
        q["text"] += data.draw(st.sampled_from(["(assert false)\n", "(check-sat)\n", "(push 1)\n", "(reset)\n",
                                                "(assert (> W_0_0 0.0))\n", "\r\n", '(echo "x")\n']))
    elif how == "problem":
        c["problem"] = copy.deepcopy(problem)
        if data.draw(st.booleans()):
            c["problem_sha256"] = problem_hash(problem)
    elif how == "statement":
        s = c["claim"]["statement"]
        c["claim"]["statement"] = data.draw(st.sampled_from([
            "no-spurious-local-min: every local minimum is global", "strict-saddle" + s[s.index(":"):], s + " ",
            s.upper(), "kernel-checked: " + s]))
    elif how == "answer":
        c["body"]["solvers"][data.draw(st.integers(0, 1))]["answer"] = data.draw(st.sampled_from(["sat", "unknown"]))
    else:
        q["text"] = q["text"] + "\n(reset)\n" + data.draw(st.sampled_from(["(check-sat)\n", q["text"]]))
    out = classify(c, "tampered-attestations")
    assert out in ("malformed", "rejected", "attested")
    if out == "attested":
        assert _tied(c) and problem_hash(c["problem"]) == c["problem_sha256"]
