"""The direction of imports (DESIGN.md, "Layers, folders and the direction of imports"), checked statically.

:mod:`verify.testing.layering` reads every import in verify/, numeric/ and proofs/ with ``ast`` — lazy ones inside
functions and ``if TYPE_CHECKING`` too, which ``test_import_direction.py``'s ``sys.modules`` probes cannot see —
and checks them against its table of rooms. The tree must be clean; and the checker must catch a backward import,
a banned library, a module in no room and a cycle between rooms, planted in a copy of the tree or a small one.
"""

import pathlib
import shutil

import pytest

from verify.testing.layering import ROOMS, check, room_cycles

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def findings():
    return check(ROOT)


def tree(root: pathlib.Path, files: dict[str, str]) -> pathlib.Path:
    """A small tree at ``root``: relative path → source."""
    for rel, source in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


def test_the_table_is_a_direction():
    names = {room.name for room in ROOMS}
    assert len(names) == len(ROOMS)
    assert all(set(room.may_import) <= names - {room.name} for room in ROOMS)
    assert room_cycles({room.name: dict.fromkeys(room.may_import) for room in ROOMS}) == []
    assert not any("facade" in room.may_import for room in ROOMS)


def test_the_tree_follows_the_rooms(findings):
    assert findings.violations + findings.cycles == []


def test_every_module_is_in_a_room(findings):
    assert findings.unknown == []


def test_proofs_and_numeric_use_only_their_libraries(findings):
    assert findings.libraries == []


def test_backward_imports_planted_in_a_copy_of_the_tree_are_reported(tmp_path, findings):
    for top in ("verify", "numeric", "proofs"):
        shutil.copytree(ROOT / top, tmp_path / top, ignore=shutil.ignore_patterns("__pycache__", "library"))
    exact, proof = tmp_path / "verify/exact/derivatives.py", tmp_path / "proofs/kernel.py"
    exact_line = len(exact.read_text().splitlines()) + 4
    with exact.open("a") as f:
        f.write("\n\ndef _planted():\n    from verify.run.check import decide\n    return decide\n")
    proof_line = len(proof.read_text().splitlines()) + 1
    with proof.open("a") as f:
        f.write("import verify.cli\n")
    planted = sorted(set(check(tmp_path).violations) - set(findings.violations))
    assert planted == [
        f"proofs/kernel.py:{proof_line}: proofs.kernel (room proofs) imports verify.cli (room cli); "
        "proofs may import only: nothing of ours",
        f"verify/exact/derivatives.py:{exact_line}: verify.exact.derivatives (room exact) imports verify.run.check "
        "(room run); exact may import only: exact, base, infra, problems, claims",
    ]


@pytest.mark.parametrize("source, line", [
    ("import verify.run.check\n", 1),
    ("from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from verify.run.check import decide\n", 4),
    ("try:\n    import verify.errors\nexcept ImportError:\n    from ..run import check\n", 4),
    ("class A:\n    def f(self):\n        from ..run.check import decide, ClaimResult\n", 3),
    ("from importlib import import_module\n\n\ndef f():\n    return import_module('verify.run.check')\n", 5),
])
def test_every_form_of_import_is_read(tmp_path, source, line):
    root = tree(tmp_path, {"verify/exact/a.py": source, "verify/run/check.py": "", "verify/errors.py": ""})
    assert check(root).violations == [
        f"verify/exact/a.py:{line}: verify.exact.a (room exact) imports verify.run.check (room run); "
        "exact may import only: exact, base, infra, problems, claims"]


def test_banned_libraries_are_reported(tmp_path):
    root = tree(tmp_path, {
        "proofs/coq/t.py": "import math\nimport flint\n\n\ndef f():\n    import numpy.linalg\n",
        "numeric/n.py": "import torch\nfrom flint import fmpq\n",
    })
    assert check(root).libraries == [
        "numeric/n.py:2: numeric.n (room numeric) imports flint; numeric may not use: cvc5, flint, sympy, z3",
        "proofs/coq/t.py:6: proofs.coq.t (room proofs) imports numpy.linalg; "
        "proofs may use only the standard library and: flint",
    ]


def test_a_module_in_no_room_is_reported(tmp_path):
    root = tree(tmp_path, {"verify/gadgets/x.py": "from verify import errors\n",
                           "verify/exact/a.py": "\nimport verify.widgets\n"})
    unknown = check(root).unknown
    assert [line.split(" is in no room")[0] for line in unknown] == [
        "verify/gadgets/x.py: module verify.gadgets.x", "verify/exact/a.py:2: module verify.widgets"]
    assert all("add a room for it to ROOMS in verify/testing/layering.py" in line for line in unknown)


def test_a_cycle_between_rooms_is_reported(tmp_path):
    root = tree(tmp_path, {
        "verify/exact/a.py": "import verify.errors\n\n\ndef f():\n    from verify.certify.b import g\n",
        "verify/certify/b.py": "from ..exact.a import f\n\n\ndef g():\n    return f\n",
        "verify/errors.py": "",
    })
    assert check(root).cycles == [
        "room cycle certify → exact → certify (certify → exact: verify/certify/b.py:1 verify.certify.b imports "
        "verify.exact.a; exact → certify: verify/exact/a.py:5 verify.exact.a imports verify.certify.b)"]


def test_room_cycles_finds_one_cycle_through_each_room():
    edges = {"a": {"b": 0}, "b": {"c": 0, "a": 0}, "c": {"a": 0}, "d": {"a": 0}}
    assert room_cycles(edges) == [["a", "b", "a"], ["c", "a", "b", "c"]]
