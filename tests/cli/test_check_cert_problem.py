"""``spurious check-cert CERT --problem PROBLEM``: the --problem file and the certificate's embedded problem are
compared by verify's canonical hash (:mod:`verify.problems.canonical`); another problem is REJECTED (exit 1, "about
another problem"), the same problem however spelled goes on to the checker, pinned to the embedded problem."""

import json

from cli.conftest import ROOT

from proofs import problem_hash
from verify.problems.canonical import canonical_problem_hash

CERT = ROOT / "proofs" / "library" / "poly-net-spurious-local-min.json"
# the library certificate's problem (σ = 3/4 t² − t − 1/4, x = (1, 2), y = (11/2, 0), u = 1) in other spellings
SAME = """kind = "two-layer"
n = 1
width = 1
activation = { poly = ["-0.25", -1, "0.75", 0] }
X = [[1, "4/2"]]
Y = [["5.5", 0]]
train_output = false
output = [["1/1"]]
reg = "0/7"
"""


def test_same_problem_spelled_otherwise_verifies(cli, tmp_path):
    f = tmp_path / "same.toml"
    f.write_text(SAME)
    r = cli("check-cert", CERT, "--problem", f, "--json")
    assert r.code == 0 and r.json()["verified"] is True, r


def test_another_problem_is_rejected_as_such(cli, tmp_path, examples):
    f = tmp_path / "other.toml"
    f.write_text(SAME.replace('"5.5"', '"5.25"'))
    for problem in (f, examples / "cubic.toml"):
        r = cli("check-cert", CERT, "--problem", problem, "--json")
        j = r.json()
        assert (r.code, j["verified"], j["outcome"], j["trust"]) == (1, False, "rejected", "none"), r
        assert "about another problem" in j["reason"], r
    r = cli("check-cert", CERT, "--problem", f)
    assert r.code == 1 and r.out.startswith("REJECTED") and "about another problem" in r.out, r


def test_transplanted_problem_still_fails_in_the_checker(cli, tmp_path):
    """The embedded problem swapped for the --problem file's (hash kept): the canonical hashes agree, and the checker,
    pinned to the embedded problem, rejects the certificate for its stale problem_sha256."""
    c = json.loads(CERT.read_text())
    c["problem"]["Y"] = [["11/4", "0"]]
    cert = tmp_path / "transplanted.json"
    cert.write_text(json.dumps(c))
    f = tmp_path / "p.toml"
    f.write_text(SAME.replace('"5.5"', '"11/4"'))
    assert canonical_problem_hash(c["problem"]) != canonical_problem_hash(json.loads(CERT.read_text())["problem"])
    r = cli("check-cert", cert, "--problem", f, "--json")
    assert r.code == 1 and r.json()["reason"].startswith("problem_sha256:"), r
    c["problem_sha256"] = problem_hash(c["problem"])   # re-hashed: now the mathematics fails on the new problem
    cert.write_text(json.dumps(c))
    r = cli("check-cert", cert, "--problem", f, "--json")
    assert r.code == 1 and r.json()["verified"] is False and "about another problem" not in r.json()["reason"], r
