"""Fuzzed files: random bytes, byte flips of real certificates, deep nesting, huge integers, NaN/Infinity,
wrong types. The checker must raise MalformedCertificate (or reject, or accept only what the oracle
confirms) -- never another exception, never hang, never accept a false claim."""

import json
import pathlib
import time

import pytest
from certlib import TALLY, classify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proofs import MalformedCertificate, check_certificate, check_file

LIB = pathlib.Path(__file__).resolve().parents[2] / "proofs" / "library"
TEXTS = [f.read_bytes() for f in sorted(LIB.glob("*.json"))]   # relu-teacher boxes included
fuzz = settings(max_examples=max(settings.default.max_examples, 500), deadline=None,
                suppress_health_check=list(HealthCheck))


def _outcome(data):
    t = time.perf_counter()
    try:
        r = check_certificate(data)
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


@fuzz
@given(st.sampled_from(TEXTS), st.data())
def test_byte_flips_of_real_certificates(text, data):
    b = bytearray(text)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(b) - 1))
        b[i] = data.draw(st.sampled_from(b'0123456789-/"[]{},:. aeEnN\x00\xff'))
    try:
        cert = json.loads(bytes(b).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        TALLY[("fuzz-byte-flips", _outcome(bytes(b)))] += 1   # not JSON: must be malformed
        return
    if not isinstance(cert, dict):
        assert _outcome(bytes(b)) == "malformed"
        return
    # Valid JSON: the same decision on bytes and on the parsed dict; accepted only if the oracle confirms.
    out_bytes = _outcome(bytes(b))
    out = classify(cert, "fuzz-byte-flips") if out_bytes != "malformed" or _outcome(cert) != "malformed" \
        else "malformed"
    assert out not in ("accepted-false", "accepted-unconfirmed")


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


def _with(path, value):
    c = json.loads(json.dumps(SAMPLE))
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
