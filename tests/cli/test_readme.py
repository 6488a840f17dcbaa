"""README.md as a new user reads it: the strategies snippet passes as printed, and the cheap commands print
what the README shows."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def fenced(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced block, in order."""
    out, lang, body = [], None, []
    for line in text.splitlines():
        if line.startswith("```"):
            if lang is None:
                lang, body = line[3:].strip(), []
            else:
                out.append((lang, "\n".join(body) + "\n"))
                lang = None
        elif lang is not None:
            body.append(line)
    return out


def blocks(lang: str) -> list[str]:
    return [body for language, body in fenced(README) if language == lang]


def test_strategies_snippet_passes_as_printed(tmp_path):
    (snippet,) = [b for b in blocks("python") if "@given" in b]
    (tmp_path / "test_mine.py").write_text(snippet)
    p = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_mine.py"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and "1 passed" in p.stdout, p.stdout[-3000:] + p.stderr[-2000:]


def run_snippet(marker: str, tmp_path) -> tuple[str, str]:
    """(stdout, the comment line the README shows as its output) of the one Python block containing ``marker``,
    run beside a copy of examples/."""
    (snippet,) = [b for b in blocks("python") if marker in b]
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    p = subprocess.run([sys.executable, "-c", snippet], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return p.stdout, re.search(r"^# (.*)$", snippet, re.M).group(1)


def test_python_api_snippet(tmp_path):
    out, shown = run_snippet("load_point", tmp_path)
    assert shown.endswith("...") and out.startswith(shown[:-3]), (out, shown)


def test_python_decide_snippet(tmp_path):
    """The check section's Python snippet: ``verify.decide`` is what ``spurious check`` runs."""
    out, shown = run_snippet("decide(", tmp_path)
    assert out.strip() == shown, (out, shown)


CHEAP = ("classify", "check-cert", "critical-points", "check examples/cubic.toml", "check examples/depth3.toml")


def readme_commands() -> list[str]:
    out = []
    for block in blocks("sh"):
        for line in block.splitlines():
            if line.startswith(".venv/bin/spurious "):
                cmd = line.split("#")[0].strip()[len(".venv/bin/spurious "):]
                if cmd.startswith(CHEAP) and "out/" not in cmd:     # out/ is written by the search example
                    out.append(cmd)
    return out


def shown_lines() -> set[str]:
    """Every line of the README's output blocks (``` with no language) — what the README says is printed."""
    return {ln.strip() for b in blocks("") for ln in b.splitlines() if ln.strip()}


def test_readme_commands_print_what_the_readme_shows(cli, tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    commands = readme_commands()
    assert len(commands) >= 8, commands
    shown = shown_lines()
    matched = 0
    if shutil.which("coqc") is None and os.environ.get("SPURIOUS_REQUIRE_COQ") != "1":
        commands = [c for c in commands if "--coq" not in c]     # tests/coq says why (Debian's coq is missing)
    for cmd in commands:          # in README order: classify --cert writes origin.cert.json for check-cert
        # the library is read where it lies (a proofs/ folder in the cwd would shadow the proofs package)
        r = cli(*cmd.replace("proofs/library/", f"{ROOT / 'proofs' / 'library'}/").split(), cwd=tmp_path)
        assert r.code in ((0, 1, 3) if "--coq" in cmd else (0, 1)), (cmd, r)   # 3: a kind Coq does not cover
        printed = {ln.strip() for ln in r.out.splitlines() if ln.strip()}
        if r.code == 3:
            assert "Coq does not cover" in r.err, (cmd, r)
        elif "--json" not in cmd:
            assert printed, cmd
        matched += len(printed & shown)
        for key in ("class:    ", "no-spurious-local-min: ", "strict-saddle: ", "VERIFIED: ", "by class:  ",
                    "real critical points:"):
            for ln in printed:
                if ln.startswith(key) and "certificate" not in ln:
                    assert ln in shown, f"{cmd}: the README does not show the line {ln!r}"
    assert matched >= 15, matched
    for line in ("class:    non-strict-saddle", "no-spurious-local-min: proved (trust: theorem)",
                 "no-spurious-local-min: refuted (trust: kernel)", "complex critical points (distinct): 5",
                 "by class:  global-min 2, strict-saddle 1"):
        assert line in shown


def test_readme_json_examples_match(cli, tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    r = cli("classify", "examples/depth3.toml", "--point", "examples/depth3-factor.json", "--json", cwd=tmp_path)
    assert r.code == 0 and r.json()["class"] == "global-min" and r.json()["hessian_inertia"] == [0, 2, 1]
    assert '{"class": "global-min", "loss": "0", "gradient_zero": true, "hessian_inertia": [0, 2, 1]' in README
    r = cli("classify", "examples/poly.toml", "--point", "examples/poly-w1.json", "--json", cwd=tmp_path)
    assert r.code == 0 and (r.json()["class"], r.json()["loss"]) == ("local-min", "17/2")
    assert '{"class": "local-min", "loss": "17/2", "gradient_zero": true, "hessian_inertia": [0, 0, 1]' in README


def test_torch_mlp_snippet_prints_what_the_readme_says(tmp_path):
    """The network section's torch example: trained, imported, polished, classified and certified as it prints."""
    (snippet,) = [b for b in blocks("python") if "from_sequential" in b and "spurious_certificate" in b]
    (tmp_path / "mlp.py").write_text(snippet)
    p = subprocess.run([sys.executable, "mlp.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"})
    assert p.returncode == 0, p.stderr[-3000:]
    assert p.stdout.splitlines() == ["local-min 1/2", "spurious-morse-bott-min"]
