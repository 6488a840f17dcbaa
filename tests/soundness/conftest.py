"""Soundness-suite set-up: makes certlib importable and prints the tampering tally at the end of the run."""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import certlib  # noqa: E402


def pytest_terminal_summary(terminalreporter):
    if not certlib.TALLY:
        return
    tr = terminalreporter
    tr.section("certificate soundness tally (tampered / fuzzed certificates)")
    totals = {}
    for (prop, outcome), n in sorted(certlib.TALLY.items()):
        tr.write_line(f"{prop:32s} {outcome:22s} {n:7d}")
        totals[outcome] = totals.get(outcome, 0) + n
    tr.write_line(f"{'TOTAL':32s} " + ", ".join(f"{k}={v}" for k, v in sorted(totals.items()))
                  + f", all={sum(totals.values())}")
