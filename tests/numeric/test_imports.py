"""numeric/ imports from verify only its pure modules, and never states a proof."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
ALLOWED = {"verify", "verify.errors", "verify.verdict"}
"""Besides these, numeric/ may import the pure package verify.problems and its modules."""


def test_numeric_imports_only_pure_verify_modules():
    for f in sorted((ROOT / "numeric").rglob("*.py")):
        tree = ast.parse(f.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                mods = [node.module]
            elif isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            else:
                continue
            for m in mods:
                if m.split(".")[0] == "verify":
                    assert m in ALLOWED or m == "verify.problems" or m.startswith("verify.problems."), \
                        f"{f.name} imports {m}"
                assert m.split(".")[0] not in ("flint", "sympy", "z3", "proofs"), f"{f.name} imports {m}"


def test_numeric_never_says_proved():
    for f in (ROOT / "numeric").rglob("*.py"):
        text = f.read_text()
        assert "Status.PROVED" not in text and '"proved"' not in text, f.name


def test_public_names_resolve():
    import numeric

    for name in numeric.__all__:
        assert getattr(numeric, name) is not None
