"""Lu & Kawaguchi 2017 on the verify side: ``spurious check`` proves no-spurious-local-min by their Theorem 2.3 and
depth-adds-no-bad-minima by their Theorem 2.1 (square loss, Λ = 0, X and Y of full row rank, ANY widths) where
Kawaguchi 2016 (d_y ≤ d_x, distinct eigenvalues) and Laurent & von Brecht 2018 (no hidden layer narrower than
min(d_x, d_y)) do not apply: a 2-2-1-3 net with d_y = 3 > d_x = 2 and a width-1 bottleneck (issue 21's must-show,
examples/lu-kawaguchi-bottleneck.toml). The CLI is run as a user runs it; the certificate is re-checked by check-cert.
"""

import json
import tomllib

import flint
import pytest
from cli.conftest import EXAMPLES, spurious

import proofs
from verify import Status, Trust
from verify.problems import load_problem
from verify.run.check import decide

EXAMPLE = EXAMPLES / "lu-kawaguchi-bottleneck.toml"
THEOREM = {"no-spurious-local-min": ("lu-kawaguchi-2017-theorem-2.3", "Lu & Kawaguchi 2017, Theorem 2.3"),
           "depth-adds-no-bad-minima": ("lu-kawaguchi-2017-theorem-2.1", "Lu & Kawaguchi 2017, Theorem 2.1")}


def test_the_example_is_what_it_says():
    """2-2-1-3, X 2 × 4 and Y 3 × 4 of full row rank, reg = 0: neither earlier theorem's hypotheses hold."""
    p = tomllib.loads(EXAMPLE.read_text())
    assert p["widths"] == [2, 2, 1, 3] and p["reg"] == 0 and "loss" not in p
    X, Y = flint.fmpq_mat(p["X"]), flint.fmpq_mat(p["Y"])
    assert (X.nrows(), X.ncols(), X.rank(), Y.nrows(), Y.ncols(), Y.rank()) == (2, 4, 2, 3, 4, 3)


@pytest.mark.parametrize("claim", sorted(THEOREM))
def test_cli_proves_by_lu_kawaguchi(claim, tmp_path):
    theorem, cite = THEOREM[claim]
    cert = tmp_path / "c.json"
    r = spurious("check", EXAMPLE, "--claim", claim, "--cert", cert, "--json")
    assert r.code == 0, r
    out = r.json()
    assert (out["claim"], out["status"], out["trust"]) == (claim, "proved", "theorem"), out
    assert out["backend"].startswith("theorem") and out["reason"].startswith(f"{cite} concludes {claim}"), out
    assert "rank X = 2" in out["reason"] and "rank Y = 3" in out["reason"], out
    c = json.loads(cert.read_text())
    assert c["claim"] == {"kind": "theorem-instance", "theorem": theorem, "statement": claim}
    check = spurious("check-cert", cert, "--problem", EXAMPLE, "--json")
    assert check.code == 0 and check.json()["verified"] is True and check.json()["trust"] == "theorem", check


def test_earlier_theorems_fail_on_the_example_for_the_stated_reasons():
    """Without Lu & Kawaguchi in the table the route would fall through: each earlier theorem's certificate for the
    same problem is REJECTED on the hypothesis the example breaks."""
    from verify.certify.theorem import certificate

    problem = load_problem(EXAMPLE)
    for theorem, why in (("kawaguchi-2016-theorem-2.3", "d_y ≤ d_x fails (d_y = 3 > d_x = 2)"),
                         ("laurent-von-brecht-2018", "every hidden width ≥ min(d_x, d_y) fails")):
        r = proofs.check_certificate(certificate(problem, theorem, "no-spurious-local-min"))
        assert r.outcome is proofs.Outcome.REJECTED and why in r.reason, r.reason


@pytest.mark.parametrize("backend", ["auto", "exact", "numeric"])
def test_every_backend_takes_the_theorem_first(backend):
    r = decide(load_problem(EXAMPLE), "no-spurious-local-min", backend=backend, timeout=30)
    assert (r.status, r.trust) == (Status.PROVED, Trust.THEOREM), r.reason
    assert r.certificate["claim"]["theorem"] == "lu-kawaguchi-2017-theorem-2.3"


def test_rank_deficient_y_is_not_granted(tmp_path):
    """Y of rank 2 < 3 rows: Theorem 2.3's hypothesis fails, and the theorem route says so (no theorem applies)."""
    from verify.run.theorem_route import theorem_check

    f = tmp_path / "deficient.toml"
    f.write_text(EXAMPLE.read_text().replace("[1, 1, 0, 3]]", "[1, 1, 3, 1]]"))   # row 3 = row 1 + row 2
    for claim, (_, cite) in THEOREM.items():
        proved, why = theorem_check(load_problem(f), claim, timeout=30)
        assert proved is None and f"{cite}: hypothesis" in why and "full row rank fails" in why, why


def test_readme_shows_what_the_example_prints():
    readme = (EXAMPLES.parent / "README.md").read_text()
    assert ".venv/bin/spurious check examples/lu-kawaguchi-bottleneck.toml --claim no-spurious-local-min" in readme
    r = spurious("check", EXAMPLE, "--claim", "no-spurious-local-min")
    lines = [ln for ln in r.out.splitlines() if ln.strip()]
    assert r.code == 0 and len(lines) == 3, r
    assert all(f"\n{ln}\n" in readme for ln in lines), lines
