"""`Print Assumptions` on every soundness theorem of proofs/coq: no `Admitted`, no axiom of our own — only the
standard library's real-number axioms (and functional extensionality, which the standard Reals bring)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from coqenv import need_coqc

THEORIES = Path(__file__).resolve().parents[2] / "proofs" / "coq" / "theories"
THEOREMS = ["critical_sound", "strict_saddle_sound", "non_strict_saddle_sound", "local_min_sound",
            "spurious_local_min_sound", "global_min_sound", "value_sound"]
# (loss_Q, loss_P, loss_T and loss_rel are used by these, so their assumptions are listed with them)
ALLOWED = {"ClassicalDedekindReals.sig_forall_dec", "ClassicalDedekindReals.sig_not_dec",
           "FunctionalExtensionality.functional_extensionality_dep"}


def _axioms(output: str) -> set[str]:
    """The names Coq lists after 'Axioms:' (one per block, each followed by ' : type')."""
    names, on = set(), False
    for line in output.splitlines():
        if line.startswith("Axioms:"):
            on = True
            continue
        if line.startswith("Closed under the global context"):
            on = False
            continue
        m = re.match(r"^(\S+)\s*$", line) or re.match(r"^(\S+) :", line)
        if on and m and not line.startswith(" "):
            names.add(m.group(1))
    return names


def test_no_admitted_in_sources():
    for f in THEORIES.glob("*.v"):
        text = re.sub(r"\(\*.*?\*\)", "", f.read_text(), flags=re.S)
        for word in ("Admitted", "admit", "Axiom", "Conjecture"):  # section Hypotheses are discharged at End
            assert not re.search(rf"\b{word}\b", text), f"{f.name}: {word}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """coqc and a folder whose ``theories`` is the compiled library (the one check-cert --coq uses, rebuilt when a
    .v is newer than its .vo)."""
    from verify.certify.coq_check import ensure_library

    coqc = need_coqc()
    root = tmp_path_factory.mktemp("coq")
    (root / "theories").symlink_to(ensure_library(coqc))
    return coqc, root


def test_print_assumptions(built):
    coqc, tmp_path = built
    probe = tmp_path / "Probe.v"
    probe.write_text("From Spurious Require Import Loss Poly1 Taylor Checker.\n"
                     + "".join(f"Print Assumptions {t}.\n" for t in THEOREMS))
    out = subprocess.run([coqc, "-q", "-R", str(tmp_path / "theories"), "Spurious", str(probe)], check=True,
                         capture_output=True, text=True, timeout=300).stdout
    assert out.count("Axioms:") + out.count("Closed under the global context") == len(THEOREMS), out
    found = _axioms(out)
    assert found, out  # the real numbers do rest on axioms: an empty set means the parse is wrong
    assert found <= ALLOWED, f"unexpected assumptions: {sorted(found - ALLOWED)}"


def test_an_admitted_lemma_is_caught(built):
    """The check above would see an Admitted: a theorem resting on one lists it among its assumptions."""
    coqc, tmp_path = built
    probe = tmp_path / "Cheat.v"
    probe.write_text("From Spurious Require Import Checker.\n"
                     "Lemma cheat : forall pb th, Checker.critical (Loss.L pb) th.\nAdmitted.\n"
                     "Print Assumptions cheat.\n")
    out = subprocess.run([coqc, "-q", "-R", str(tmp_path / "theories"), "Spurious", str(probe)], check=True,
                         capture_output=True, text=True, timeout=300).stdout
    assert "cheat" in _axioms(out) and not _axioms(out) <= ALLOWED
