"""Options through the real CLI: ``--help`` of every command documents every option (what, default, choices,
the claims/kinds/families from their registries), and ``--timeout`` follows one rule everywhere."""

import json
import re

from verify.claims import CLAIMS
from verify.problems import KINDS
from verify.run.hunt import FAMILIES

_PAGES = {}


def page(cli, *argv):
    """The ``--help`` page of ``spurious ARGV``, run once per test module."""
    if argv not in _PAGES:
        r = cli(*argv, "--help")
        assert r.code == 0 and not r.err, r
        _PAGES[argv] = r
    return _PAGES[argv]


def commands(cli):
    r = page(cli)
    assert r.code == 0, r
    names = re.findall(r"^    ([a-z][a-z-]+)", r.out, re.M)
    assert names, r
    return names


def options(help_text: str) -> dict:
    """``--option`` → its help text (joined lines), parsed from an argparse ``--help`` page."""
    out, current = {}, None
    for line in help_text.split("\n"):
        m = re.match(r"^  (-\w, )?(--[\w-]+)( [^ ].*?)?(?:  +(.*))?$", line)
        if m and not line.startswith("   "):
            current = m.group(2)
            out[current] = m.group(4) or ""
        elif current and line.startswith("      ") and line.strip():
            out[current] = (out[current] + " " + line.strip()).strip()
        elif not line.strip():
            current = None
    return out


def test_every_option_has_help_and_default(cli):
    names = commands(cli)
    assert {"classify", "check", "critical-points", "search", "hunt", "check-cert", "demo"} <= set(names)
    for name in names:
        r = page(cli, name)
        opts = options(r.out)
        assert "--json" in opts and "--help" in opts, (name, r.out)
        for opt, text in opts.items():
            if opt == "--help":
                continue
            assert len(text) > 10, f"{name} {opt}: no help text: {text!r}"
            assert "(default: " in text or "(required)" in text, f"{name} {opt}: no default shown: {text!r}"


def test_choices_explained_from_the_registries(cli):
    check = options(page(cli, "check").out)
    for claim, rec in CLAIMS.items():
        assert f"{claim}: {rec.summary[:30]}" in check["--claim"]
    hunt = options(page(cli, "hunt").out)
    for family, what in FAMILIES.items():
        assert f"{family}: {what[:30]}" in hunt["--family"]
    for claim, rec in CLAIMS.items():
        assert (f"{claim}: " in hunt["--claim"]) == ("exact" in rec.routes)
    text = page(cli, "classify").out
    assert all(kind in text for kind in KINDS)
    assert "default: 120" in options(text)["--timeout"]


def commands_with_timeout(cli):
    return [name for name in commands(cli) if "--timeout" in options(page(cli, name).out)]


BAD_SECONDS = ["0", "-5", "nan", "inf", "-0", "1e9", "soon"]


def test_timeout_one_rule_for_every_command(cli, examples, tmp_path):
    names = commands_with_timeout(cli)
    assert {"classify", "check", "critical-points", "hunt", "check-cert"} <= set(names)
    problem, point = examples / "depth3.toml", examples / "depth3-origin.json"
    args = {"classify": [problem, "--point", point], "check": [problem, "--claim", "strict-saddle"],
            "critical-points": [problem], "hunt": ["--claim", "strict-saddle", "--family", "deep-linear"],
            "check-cert": [tmp_path / "c.json"], "intrinsic-dim": [examples / "poly.toml"],
            "connect": [problem, "--a", point, "--b", point], "shallow": [problem, "--point", point]}
    for name in names:
        for i, bad in enumerate(BAD_SECONDS):
            if i >= 2 and name != "classify":    # every value on one command, the first two on all
                continue
            r = cli(name, *args[name], f"--timeout={bad}", "--json", cwd=tmp_path)
            assert r.code == 2, (name, bad, r)
            err = json.loads(r.out)["error"]
            assert err["field"] == "--timeout" and "--timeout" in r.err, (name, bad, r)
            assert "Traceback" not in r.err


def test_timeout_accepts_a_positive_number(cli, examples, tmp_path):
    r = cli("classify", examples / "depth3.toml", "--point", examples / "depth3-origin.json", "--timeout", "0.5e2",
            "--json", cwd=tmp_path)
    assert r.code == 0 and r.json()["class"] == "non-strict-saddle", r
