"""Fuzzed files: random bytes, byte flips of real certificates, deep nesting, huge integers, NaN/Infinity,
wrong types. The checker must raise MalformedCertificate (or reject, or accept only what the oracle
confirms) -- never another exception, never hang, never accept a false claim."""

import json
import pathlib
import time

import pytest
from certlib import TALLY, classify, landscape_pool, new_kind_pool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proofs import MalformedCertificate, check_certificate, check_file
from verify.certify.attestation_check import check_any

LIB = pathlib.Path(__file__).resolve().parents[2] / "proofs" / "library"
# relu-teacher k = 1 box included; the k = n = 6..12 spurious-min boxes are fuzzed in test_teacher_certificates.py
TEXTS = [f.read_bytes() for f in sorted(LIB.glob("*.json")) if not (f.name.startswith("relu-teacher-") and
                                                                    f.name.endswith("-spurious-min.json"))]
fuzz = settings(max_examples=max(settings.default.max_examples, 500), deadline=None,
                suppress_health_check=list(HealthCheck))


def _outcome(data):
    t = time.perf_counter()
    try:
        r = check_any(data)
    except MalformedCertificate as e:
        assert str(e)
        out = "malformed"
    else:
        out = r.outcome.value   # verified | rejected | attested
    assert time.perf_counter() - t < 10, "checker took more than 10 s"
    return out


@fuzz
@given(st.binary(max_size=600))
def test_random_bytes(data):
    out = _outcome(data)
    TALLY[("fuzz-random-bytes", out)] += 1
    assert out not in ("verified", "attested")


def _flip_and_check(text, data, prop):
    b = bytearray(text)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(b) - 1))
        b[i] = data.draw(st.sampled_from(b'0123456789-/"[]{},:. aeEnN\x00\xff'))
    try:
        cert = json.loads(bytes(b).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        TALLY[(prop, _outcome(bytes(b)))] += 1   # not JSON: must be malformed
        return
    if not isinstance(cert, dict):
        assert _outcome(bytes(b)) == "malformed"
        return
    # Valid JSON: the same decision on bytes and on the parsed dict; accepted only if the oracle confirms.
    out_bytes = _outcome(bytes(b))
    out = classify(cert, prop) if out_bytes != "malformed" or _outcome(cert) != "malformed" else "malformed"
    assert out not in ("accepted-false", "accepted-unconfirmed")


@fuzz
@given(st.sampled_from(TEXTS), st.data())
def test_byte_flips_of_real_certificates(text, data):
    _flip_and_check(text, data, "fuzz-byte-flips")


NEW_TEXTS = [json.dumps(c, indent=1).encode() for c in new_kind_pool() + landscape_pool()]


@settings(fuzz, max_examples=max(settings.default.max_examples, 200))
@given(st.sampled_from(NEW_TEXTS), st.data())
def test_byte_flips_of_new_kinds(text, data):
    """The same byte flips on theorem-instance, Morse–Bott and complete-landscape certificates: charpoly digits,
    theorem ids, family exponents and coefficients, congruence entries, witnesses, counts, basis and cofactor terms,
    box centres and radii, symmetries and variable orders all sit in the bytes."""
    _flip_and_check(text, data, "fuzz-byte-flips-new-kinds")


SAMPLE = json.loads(TEXTS[0])


@pytest.mark.parametrize("text", [
    "[" * 100_000, "{\"a\":" * 50_000, "[" * 21 + "]" * 21, '{"x": "' + "[" * 100 + '"}',
    '{"format": "spurious-certificate", "version": 1, "x": ' + "9" * 10_000 + "}",
    "9" * 5000, '{"a": NaN}', '{"a": Infinity}', '{"a": -Infinity}', '{"a": 1e400}', '{"a": 0.1}',
    "", " ", "null", "[]", '"text"', "{", '{"a": 1}{}', "\ufeff{}", '{"a": "\\ud800"}',
])
def test_hostile_texts_are_malformed(text):
    t = time.perf_counter()
    with pytest.raises(MalformedCertificate):
        check_certificate(text)
    assert time.perf_counter() - t < 2


def _with(path, value, sample=SAMPLE):
    c = json.loads(json.dumps(sample))
    x = c
    for p in path[:-1]:
        x = x[p]
    x[path[-1]] = value
    return c


@pytest.mark.parametrize("path,value", [
    (("claim", "point"), [0.0, 0]), (("claim", "point"), [float("nan"), 0]), (("claim", "point"), [True, 0]),
    (("claim", "point"), ["1/0", "0"]), (("claim", "point"), ["0x1", "0"]), (("claim", "point"), [None, 0]),
    (("claim", "point"), "0"), (("claim", "point"), [[0], 0]), (("claim", "point"), [10**2500, 0]),
    (("claim", "point"), ["1" * 2001, "0"]), (("claim", "point"), ["1/" + "3" * 5000, "0"]),
    (("claim",), []), (("body",), "x"), (("problem",), None), (("problem", "widths"), [1, 0, 1]),
    (("problem", "widths"), [1, -1, 1]), (("problem", "widths"), [1, True, 1]), (("problem", "widths"), [1]),
    (("problem", "X"), []), (("problem", "X"), [[]]), (("problem", "X"), [[1, 2]]), (("problem", "reg"), [0]),
    (("problem", "kind"), "deep-nonlinear"), (("version",), "1"), (("version",), True), (("version",), 1.0),
    (("format",), "spurious"), (("problem_sha256",), "ABC"), (("claim", "kind"), ["strict-saddle"]),
    (("body", "direction"), {"0": 1}), (("body", "ascent"), {"direction": [1, 1], "curve": [[1, 1]]}),
    (("extra",), 1),
])
def test_wrong_types_are_malformed(path, value):
    with pytest.raises(MalformedCertificate):
        check_certificate(_with(path, value))


THEOREM = json.loads((LIB / "kawaguchi-2x1x2-theorem-instance.json").read_text())
MORSE_BOTT = json.loads((LIB / "poly-net-square-dead-unit-spurious-morse-bott-min.json").read_text())
LANDSCAPE = json.loads((LIB / "deep-linear-1x2x1-complete-landscape.json").read_text())
_BASIS0 = LANDSCAPE["body"]["basis"][0]
_BOX0 = LANDSCAPE["body"]["boxes"][0]


@pytest.mark.parametrize("sample,path,value", [
    (THEOREM, ("claim", "theorem"), 7), (THEOREM, ("claim", "theorem"), ""), (THEOREM, ("claim", "theorem"), "k" * 101),
    (THEOREM, ("claim", "statement"), None), (THEOREM, ("claim", "point"), ["0"]), (THEOREM, ("body", "charpoly"), "x"),
    (THEOREM, ("body", "charpoly"), ["4"]), (THEOREM, ("body", "charpoly"), ["4", "-5", 1.0]),
    (THEOREM, ("body", "charpoly"), ["4", "-5", "2/2"]), (THEOREM, ("body", "hint"), ["1"]),
    (MORSE_BOTT, ("body", "family"), []), (MORSE_BOTT, ("body", "family", "parameters"), 0),
    (MORSE_BOTT, ("body", "family", "parameters"), True), (MORSE_BOTT, ("body", "family", "parameters"), 9),
    (MORSE_BOTT, ("body", "family", "denominator"), [[[65], "1"]]),
    (MORSE_BOTT, ("body", "family", "denominator"), [[[0], "1"], [[0], "2"]]),
    (MORSE_BOTT, ("body", "family", "denominator"), [[[0, 0], "1"]]),
    (MORSE_BOTT, ("body", "family", "denominator"), [[[0.0], "1"]]),
    (MORSE_BOTT, ("body", "family", "numerator"), [[]]), (MORSE_BOTT, ("body", "family", "extra"), 1),
    (MORSE_BOTT, ("body", "witness"), ["1"]), (MORSE_BOTT, ("body", "congruence"), [["1", "0"]]),
    (LANDSCAPE, ("claim", "statement"), "global-min"), (LANDSCAPE, ("claim", "critical_points"), -1),
    (LANDSCAPE, ("claim", "real"), True), (LANDSCAPE, ("claim", "minima"), "2"),
    (LANDSCAPE, ("claim", "saddles"), 2001),
    (LANDSCAPE, ("claim", "point"), ["0"] * 4), (LANDSCAPE, ("body", "variables"), [0, 0, 1, 2]),
    (LANDSCAPE, ("body", "variables"), [0, 1, 2]), (LANDSCAPE, ("body", "variables"), [0, 1, 2, 3.0]),
    (LANDSCAPE, ("body", "ideal"), "groebner"), (LANDSCAPE, ("body", "basis"), []),
    (LANDSCAPE, ("body", "basis"), [[]]), (LANDSCAPE, ("body", "basis"), [[[[256, 0, 0, 0], "1"]]]),
    (LANDSCAPE, ("body", "basis"), [[[[1, 0, 0], "1"]]]), (LANDSCAPE, ("body", "basis"), [[[[1, 0, 0, 0], "0"]]]),
    (LANDSCAPE, ("body", "basis"), [_BASIS0 + [_BASIS0[0]]]), (LANDSCAPE, ("body", "basis"), [[[[-1, 0, 0, 0], "1"]]]),
    (LANDSCAPE, ("body", "cofactors"), [[[]] * 4]), (LANDSCAPE, ("body", "cofactors"), "x"),
    (LANDSCAPE, ("body", "precision"), 63), (LANDSCAPE, ("body", "precision"), 4097),
    (LANDSCAPE, ("body", "precision"), 256.0), (LANDSCAPE, ("body", "boxes"), {"0": _BOX0}),
    (LANDSCAPE, ("body", "boxes"), [dict(_BOX0, radius="0")]),
    (LANDSCAPE, ("body", "boxes"), [dict(_BOX0, radius="-1")]),
    (LANDSCAPE, ("body", "boxes"), [dict(_BOX0, direction=["1", "0", "0", "0"])]),
    (LANDSCAPE, ("body", "boxes"), [dict(_BOX0, im=["1", "0", "0", "0"])]),
    (LANDSCAPE, ("body", "boxes"), [dict(_BOX0, re=["0"] * 3)]), (LANDSCAPE, ("body", "boxes"), [dict(_BOX0, x=1)]),
    (LANDSCAPE, ("body", "symmetries"), [[[0, 1], [0, 1], [2, 1], [3, 1]]]),
    (LANDSCAPE, ("body", "symmetries"), [[[0, 2], [1, 1], [2, 1], [3, 1]]]),
    (LANDSCAPE, ("body", "symmetries"), [[[0, 1], [1, 1], [2, 1], [4, 1]]]),
    (LANDSCAPE, ("body", "symmetries"), [[[0, 1], [1, 1], [2, 1]]]), (LANDSCAPE, ("body", "symmetries"), [[]] * 65),
    (LANDSCAPE, ("body", "extra"), 1),
])
def test_wrong_types_in_new_kinds_are_malformed(sample, path, value):
    with pytest.raises(MalformedCertificate):
        check_certificate(_with(path, value, sample))


def test_not_a_certificate_at_all():
    for x in (None, 3, [1], object()):
        with pytest.raises(MalformedCertificate):
            check_certificate(x)


def test_unreadable_and_oversized_files(tmp_path):
    with pytest.raises(MalformedCertificate, match="cannot read"):
        check_file(tmp_path / "missing.json")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 5_000_001)
    with pytest.raises(MalformedCertificate, match="exceeds the limit"):
        check_file(big)
