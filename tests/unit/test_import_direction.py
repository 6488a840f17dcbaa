"""The direction of imports (DESIGN.md), checked in fresh interpreters by what lands in ``sys.modules``.

``import proofs`` loads none of verify, numeric, sympy, z3, torch; ``import numeric`` (and its public names)
loads none of verify's exact layer, python-flint, sympy or z3; the CLI's parser loads no torch, flint or z3.

Two tests, two questions. ``tests/unit/test_layering.py`` (with :mod:`verify.testing.layering`) reads the source
with ``ast``: EVERY import between our modules — lazy ones inside functions and under ``if TYPE_CHECKING`` too —
against the table of rooms, each library a room bans, and cycles between rooms; it cannot see what a module loads
when run. These tests run it: what an import actually loads, so that no heavy third-party library (torch, sympy,
z3, python-flint) and no higher layer is loaded at import time, through the lazy names of ``verify/__init__.py``
and ``numeric/__init__.py`` as well; lazy imports inside functions escape them.
"""

import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

EXACT_LAYER = ("verify.exact", "verify.certify", "verify.run", "verify.cli", "verify.testing", "verify.claims")


def loaded_after(code: str) -> list[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def _offenders(mods, banned_roots, banned_prefixes=()):
    return sorted(m for m in mods if m.split(".")[0] in banned_roots or m.startswith(banned_prefixes))


def test_proofs_loads_nothing_of_ours_and_no_heavy_library():
    mods = loaded_after("import proofs\nproofs.check_file")
    assert "proofs.kernel" in mods  # the probe really imported the checker
    assert _offenders(mods, {"verify", "numeric", "sympy", "z3", "torch", "numpy", "cvc5"}) == []


@pytest.mark.parametrize("code", [
    "import numeric",
    "import numeric\nfrom numeric import make_loss, search, from_sequential, classify_point, rationalise",
    "import numeric.bridge, numeric.search, numeric.classify, numeric.torch_import",
])
def test_numeric_loads_no_exact_layer(code):
    mods = loaded_after(code)
    assert "verify.problems" in mods or code == "import numeric"
    assert _offenders(mods, {"flint", "sympy", "z3", "cvc5", "proofs"}, EXACT_LAYER) == []


def test_verify_package_and_problems_are_light():
    mods = loaded_after("import verify\nimport verify.problems\nverify.DeepLinear")
    assert "verify.problems.deep_linear" in mods
    assert _offenders(mods, {"flint", "sympy", "z3", "torch", "numeric", "proofs"}, EXACT_LAYER) == []


def test_cli_parser_loads_no_backend():
    mods = loaded_after("from verify.cli import build_parser\nbuild_parser().format_help()")
    assert "verify.cli.search" in mods
    assert _offenders(mods, {"flint", "sympy", "z3", "torch", "cvc5"}) == []
