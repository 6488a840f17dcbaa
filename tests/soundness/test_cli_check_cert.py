"""`spurious check-cert` on the findings (CONTRACT.md): exit 0 verified, 1 rejected, 4 attested, 2 malformed or too
large to check in the time limit; nothing from a certificate reaches the terminal raw; `--problem` matches the
canonical problem. Runs the real command line in a subprocess."""

import json
import os
import pathlib
import subprocess
import sys

import pytest
from certlib import attestation_query, make_cert

HERE = pathlib.Path(__file__).resolve().parent
ROOT, FINDINGS = HERE.parents[1], HERE / "findings"
EXAMPLES = ROOT / "examples"
CUBIC = {"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": ["0", "-3", "0", "1"]}, "X": [["1"]],
         "Y": [[3]], "train_output": False, "output": [[1]], "reg": [[["0"]]]}   # examples/cubic.toml, other spelling


def spurious(*argv):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    p = subprocess.run([sys.executable, "-m", "verify.cli", *map(str, argv)], cwd=ROOT, env=env, capture_output=True,
                       timeout=120)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")




def _raw_free(text):
    assert not any(c in text for c in "\r\x1b\x07\u202e"), text


@pytest.fixture
def tied_cubic(tmp_path):
    c = json.loads((FINDINGS / "attestation-cubic-no-spurious-local-min.json").read_text())
    c["body"]["query"]["text"] = attestation_query(c["problem"])
    f = tmp_path / "attested.json"
    f.write_text(json.dumps(c))
    return f


def test_attestation_exits_4_and_says_not_verified(tied_cubic):
    code, out, err = spurious("check-cert", tied_cubic, "--problem", EXAMPLES / "cubic.toml")
    assert code == 4, (out, err)
    assert out.startswith("ATTESTED (not verified): solver-attested (not kernel-checked)")
    code, out, err = spurious("check-cert", tied_cubic, "--json")
    j = json.loads(out)
    assert (code, j["verified"], j["trust"], j["outcome"]) == (4, False, "solver", "attested")


@pytest.mark.parametrize("name,code", [("attestation-cubic-no-spurious-local-min.json", 1),
                                       ("attestation-terminal-escapes.json", 1),
                                       ("crash-lone-surrogate-statement.json", 1),
                                       ("crash-lone-surrogate-solver-name-rejected.json", 1),
                                       ("crash-relu-teacher-zero-loss.json", 1),
                                       ("crash-int-str-limit-true-spurious-min.json", 0),
                                       ("dos-hessian-two-layer-400x1000.json", 2)])
def test_findings_exit_codes_and_escaped_output(name, code):
    for extra in ((), ("--json",)):
        got, out, err = spurious("check-cert", FINDINGS / name, *extra)
        assert got == code, (out, err)
        _raw_free(out + err)
        assert "Traceback" not in err
    first = out if extra else ""
    assert json.loads(first)["verified"] is (code == 0)


def test_problem_matches_canonically(tmp_path):
    c = make_cert(CUBIC, {"kind": "spurious-local-min", "point": ["-1"]},
                  {"kind": "spurious-local-min", "congruence": [["1"]], "witness": ["21/10"]})
    f = tmp_path / "spurious.json"
    f.write_text(json.dumps(c))
    assert spurious("check-cert", f, "--problem", EXAMPLES / "cubic.toml")[0] == 0
    assert spurious("check-cert", f, "--problem", EXAMPLES / "depth3.toml")[0] == 1


def test_too_large_to_check_in_time():
    code, out, err = spurious("check-cert", FINDINGS / "dos-krawczyk-400.json", "--timeout", "0.05")
    assert code == 2 and "too large to check in 0.05 s" in err, (out, err)
