"""proofs/ imports nothing of ours and no heavy maths stack (DESIGN.md: import direction)."""

import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
FORBIDDEN = ["sympy", "z3", "torch", "numpy", "verify", "numeric", "mpmath", "scipy"]


def test_proofs_imports_only_stdlib_and_flint():
    code = ("import sys, proofs, proofs.kernel, proofs.reader, proofs.certificate\n"
            "r = proofs.check_file('proofs/library/kawaguchi-depth2-origin-strict-saddle.json')\n"
            "assert r.verified, r\n"
            f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"proofs pulled in: {out.stdout.strip()}"


def test_no_eval_exec_pickle_in_checker():
    for f in (ROOT / "proofs").glob("*.py"):
        text = f.read_text()
        for word in ("eval(", "exec(", "pickle", "sympify", "__import__"):
            assert word not in text, f"{f.name} uses {word}"


def _code_lines(src):
    """Non-blank lines that are neither comments nor docstrings (the docstrings hold the mathematics)."""
    docs = set()
    for node in ast.walk(ast.parse(src)):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            docs.update(range(body[0].lineno, body[0].end_lineno + 1))
    return sum(1 for i, line in enumerate(src.splitlines(), 1)
               if line.strip() and not line.strip().startswith("#") and i not in docs)


def test_checker_size_budget():
    """STYLE.md: the checker stays small (≤ 1,500 code lines; docstrings and comments are not counted)."""
    code = sum(_code_lines(f.read_text()) for f in (ROOT / "proofs").glob("*.py"))
    print(f"proofs/: {code} code lines")
    assert code <= 1500, f"proofs/ has {code} code lines; STYLE.md allows ~1,500 (docstrings not counted)"


def _token_violations(path):
    """Where a module other than proofs/kernel.py names the kernel's token, constructs a Fact, or reads a private
    name of proofs.kernel; in kernel.py, a Fact constructed outside `lemma` and `rule_claim`."""
    tree, out = ast.parse(path.read_text()), []
    path = getattr(path, "path", path)
    is_kernel = path == ROOT / "proofs" / "kernel.py"
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node

    def enclosing(node):
        while node in parents:
            node = parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield node.name

    for node in ast.walk(tree):
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == "kernel":
            out += [f"imports kernel.{a.name}" for a in node.names if a.name.startswith("_")]
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr.startswith("_") \
                and node.value.id in ("K", "kernel") and not node.attr.startswith("__"):
            out.append(f"reads {node.value.id}.{node.attr} (line {node.lineno})")
        if name == "_TOKEN" and not is_kernel and path.parent == ROOT / "proofs":
            out.append(f"names _TOKEN (line {node.lineno})")
        if isinstance(node, ast.Call) and name is None:
            f = node.func
            made = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if made == "Fact" and not (is_kernel and set(enclosing(node)) & {"rule", "rule_claim"}):
                out.append(f"constructs a Fact (line {node.lineno})")
    return out


def test_only_the_kernel_makes_facts():
    """LCF: `Fact`s are made only by proofs/kernel.py's `lemma` rules and `rule_claim`; no other module (in proofs/,
    verify/, numeric/, benchmarks/) touches the token or a private kernel name. AST, so aliases and lazy imports
    inside functions are seen too."""
    files = [f for d in ("proofs", "verify", "numeric", "benchmarks") for f in (ROOT / d).rglob("*.py")]
    bad = {str(f.relative_to(ROOT)): v for f in files if (v := _token_violations(f))}
    assert not bad, bad
    assert len(files) > 50


class _Src:
    """A path with its text given (read_text), so the forger below is never written into proofs/."""

    def __init__(self, path, text):
        self.path, self.text = path, text

    def read_text(self):
        return self.text


def test_token_test_catches_a_forger():
    """The AST test above finds each way of minting a Fact outside the kernel (so it can fail)."""
    forger = ROOT / "proofs" / "forger.py"   # only read, never written: the path places it among the rules
    found = _token_violations(_Src(forger, "from . import kernel as K\nfrom .kernel import _TOKEN, Fact\n"
                                       "def f():\n    return K.Fact(K._TOKEN, 'claim', ())\n"))
    assert any("imports kernel._TOKEN" in v for v in found) and any("K._TOKEN" in v for v in found)
    assert any("constructs a Fact" in v for v in found) and any("names _TOKEN" in v for v in found)


def test_every_final_claim_goes_through_rule_claim():
    """The proved fact of every verified library certificate is a "claim" made by `rule_claim` from facts of
    registered rules (what `check_certificate` then compares with the header); the rule names are unique, "claim" is
    reserved for `rule_claim`, and a second rule under a taken name is refused."""
    import json

    import proofs.kernel as K
    from proofs.reader import read_problem

    assert "claim" not in K._RULES and len(K.KINDS) >= 15
    for name in ("claim", "grad0"):
        try:
            K.lemma(name)
        except ValueError:
            continue
        raise AssertionError(f"lemma({name!r}) must be refused")
    seen = set()
    for f in sorted((ROOT / "proofs" / "library").glob("*.json")):
        c = json.loads(f.read_text())
        fact = K.assemble(read_problem(c["problem"]), c["claim"], c["body"])
        assert isinstance(fact, K.Fact) and fact.what == "claim" and fact.about[0] == c["claim"]["kind"], f.name
        seen.add(c["claim"]["kind"])
    assert len(seen) >= 10, seen
