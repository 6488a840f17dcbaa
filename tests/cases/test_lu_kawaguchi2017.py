"""``spurious reproduce lu-kawaguchi2017`` (Lu & Kawaguchi 2017: depth creates no bad local minima, beyond the
square loss): the evidence part on a tiny family, and the whole quick run through the CLI (slow)."""

import json
import subprocess
import sys

import pytest

from verify.reproduce import PAPERS
from verify.reproduce.lu_kawaguchi2017 import _evidence


def test_registered():
    assert "lu-kawaguchi2017" in PAPERS


def test_evidence_counts_every_run():
    ev = _evidence("logistic", (2, 2, 2), "logistic", False, [0, 1], starts=6)
    assert ev["instances"] == 2 and sum(ev["by_class"].values()) == 2 * 6
    assert ev["spurious"] == 0 and ev["shallow"].get("not-local-min", 0) == 0, ev
    assert ev["verdicts"].startswith("evidence (numeric): 0 spurious candidates, 12 runs (2 instances × 6 starts)")
    sep = _evidence("logistic", (2, 2, 2), "logistic", True, [0], starts=6)
    assert sep["not_attained"] > 0 and "local-min" not in sep["by_class"], sep   # separable: no minimiser


@pytest.mark.slow
def test_quick_run_through_the_cli(tmp_path):
    p = subprocess.run([sys.executable, "-m", "verify.cli", "reproduce", "lu-kawaguchi2017", "--quick", "--starts",
                        "8", "--out", str(tmp_path), "--json", "--quiet"], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    obj = json.loads(p.stdout)
    rows = {r["part"]: r for r in obj["rows"]}
    assert "refuted (kernel)" in rows["2 non-convex ℓ"]["verdicts"]
    assert "depth-adds-no-bad-minima proved (theorem)" in rows["2 non-convex ℓ"]["verdicts"]
    assert all(e["starts"] == 8 for e in obj["evidence"])
    assert (tmp_path / "certificates" / "two-wells-spurious-product-min.cert.json").exists()
