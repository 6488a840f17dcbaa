"""`spurious check-cert FILE --json` on each certificate of ../shared/findings' "Open" list (kept in
tests/soundness/findings/): the exit code CONTRACT.md gives its expected outcome (0 verified, 1 rejected, 2 malformed).
The four false Venturi claims (the signed-kernel one and the three whose loss attains no minimum) exit 1; the TRUE
spurious minimum on the signed-kernel problem exits 0 — the claim and its counterexample are never both 0."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "soundness"))
from test_findings import EXPECTED, FINDINGS  # noqa: E402

OPEN = ["venturi-signed-kernel-rank-no-spurious-valley-FALSE.json",
        "venturi-signed-kernel-rank-COUNTEREXAMPLE-spurious-isolated-min.json",
        "venturi-logistic-no-global-min-no-spurious-valley.json",
        "venturi-cross-entropy-no-global-min-no-spurious-valley.json", "cli-venturi-logistic.json",
        "crash-spurious-morse-bott-min-huber-loss-TypeError.json",
        "crash-spurious-rescaling-valley-huber-loss-TypeError.json",
        "hang-kawaguchi-theorem-instance-rank-deficient-XXt-260x170.json",
        "resource-morse-bott-family-4096-terms-FLINT-alloc-failure-exit3.json"]
EXIT = {"verified": 0, "rejected": 1, "malformed": 2}


@pytest.mark.parametrize("name", OPEN)
def test_open_finding_exit_code(cli, name):
    r = cli("check-cert", FINDINGS / name, "--json", timeout=90)
    assert r.code == EXIT[EXPECTED[name][0]], r
    out = r.json()
    assert out["verified"] is (r.code == 0) and EXPECTED[name][1] in out["reason"], r


def test_the_false_venturi_claims_exit_1_and_their_counterexample_0():
    """The table the CLI test above runs against names every false Venturi claim rejected and the true
    counterexample verified (so the parametrised runs cover the issue's must-show)."""
    false = [n for n in OPEN if n.startswith(("venturi", "cli-venturi")) and "COUNTEREXAMPLE" not in n]
    assert len(false) == 4 and all(EXPECTED[n][0] == "rejected" for n in false)
    assert EXPECTED["venturi-signed-kernel-rank-COUNTEREXAMPLE-spurious-isolated-min.json"][0] == "verified"
