"""``spurious intrinsic-dim`` through the real CLI: the CONTRACT.md JSON, the issue's known answers, bad input
(exit 2 naming the field), and the README section printing what it shows."""

import json
import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def two_layer(tmp_path, n, activation, X, width=3, name="p.toml"):
    act = '"relu"' if activation == "relu" else "{ poly = " + json.dumps(activation) + " }"
    Y = [[0] * len(X[0])]
    (tmp_path / name).write_text(f'kind = "two-layer"\nn = {n}\nwidth = {width}\nactivation = {act}\n'
                                 f"X = {json.dumps(X)}\nY = {json.dumps(Y)}\n")
    return tmp_path / name


@pytest.mark.parametrize("n,coeffs,expected", [(2, [0, 0, 1], 3), (4, [0, 0, 1], 10), (2, [0, 0, 0, 1], 4),
                                               (2, [0, 1, 1], 5)])
def test_population_known_answers(cli, tmp_path, n, coeffs, expected):
    r = cli("intrinsic-dim", two_layer(tmp_path, n, coeffs, [[1, 2]] * n, width=4), "--population", "--json")
    assert r.code == 0, r
    out = r.json()
    assert {"intrinsic_dimension": expected, "width": 4, "width_at_least_dimension": 4 >= expected,
            "status": "exact", "source": "population"}.items() <= out.items(), r
    assert r.out.count("\n") == 1 and not r.err, r


def test_data_rank_bounded_by_the_samples(cli, tmp_path):
    """t² on R³ (6 quadratic forms) at 4 samples: 4."""
    X = [[1, 0, 0, 1], [0, 1, 0, 2], [0, 0, 1, -1]]
    out = cli("intrinsic-dim", two_layer(tmp_path, 3, [0, 0, 1], X, width=5), "--json").json()
    assert (out["intrinsic_dimension"], out["samples"], out["source"], out["upper_bound"]) == (4, 4, "data", 4)
    assert out["width_at_least_dimension"] is True and out["formula"].endswith("= 6")


def test_relu(cli, tmp_path):
    X = [[1, 0, -1, 0, 1, -1, 0], [0, 1, 0, -1, 1, -1, 0]]         # ±e1, ±e2, ±(e1 + e2) and a zero sample
    path = two_layer(tmp_path, 2, "relu", X, width=5)
    out = cli("intrinsic-dim", path, "--json").json()
    assert (out["intrinsic_dimension"], out["status"], out["upper_bound"], out["method"]) == \
        (5, "exact", 5, "evaluation-rank")
    assert out["evaluations"] >= 5 and out["width_at_least_dimension"] is True
    pop = cli("intrinsic-dim", path, "--population", "--json").json()
    assert (pop["intrinsic_dimension"], pop["status"], pop["width_at_least_dimension"]) == (None, "infinite", False)
    human = cli("intrinsic-dim", path, "--population")
    assert human.code == 0 and "intrinsic dimension: infinite, on R^n" in human.out


def test_human_output(cli, tmp_path):
    r = cli("intrinsic-dim", two_layer(tmp_path, 2, [0, 1, 1], [[1, 2, 0], [0, 1, 1]], width=2), "--population")
    assert r.code == 0 and not r.err, r
    assert r.out.splitlines()[:3] == [
        "intrinsic dimension: 5 (exact), on R^n",
        "width:               2 (< the intrinsic dimension)",
        "formula:             Σ_{j: c_j ≠ 0} C(n + j − 1, j) = C(2, 1) + C(3, 2) = 5"]
    assert r.out.splitlines()[3].startswith("reason:")


@pytest.mark.parametrize("name", ["depth3.toml", "mehta-1-1-1.toml"])
def test_other_kinds_exit_2_naming_kind(cli, examples, name):
    r = cli("intrinsic-dim", examples / name, "--json")
    assert r.code == 2, r
    err = json.loads(r.out)["error"]
    assert err["field"] == "kind" and "two-layer" in err["message"] and "Traceback" not in r.err, r
    assert "two-layer" in r.err


def test_relu_teacher_exits_2(cli, tmp_path):
    (tmp_path / "t.toml").write_text('kind = "relu-teacher"\nk = 2\nn = 2\n')
    r = cli("intrinsic-dim", tmp_path / "t.toml")
    assert r.code == 2 and not r.out and "kind" in r.err, r


@pytest.mark.parametrize("argv,field", [([], "problem"), (["{t}/nope.toml"], "problem")])
def test_bad_arguments(cli, tmp_path, argv, field):
    r = cli("intrinsic-dim", *[a.format(t=tmp_path) for a in argv], "--json")
    assert r.code == 2 and json.loads(r.out)["error"]["field"] == field, r


def readme_section() -> str:
    start = README.index("## Intrinsic dimension (`spurious intrinsic-dim`)")
    return README[start:README.index("\n## ", start + 1)]


def output_blocks(text: str) -> list[str]:
    """The bodies of the fenced blocks with no language (what the README says is printed)."""
    out, body, lang = [], [], None
    for line in text.splitlines():
        if line.startswith("```"):
            if lang is None:
                lang, body = line[3:].strip(), []
            else:
                if not lang:
                    out.append("\n".join(body))
                lang = None
        elif lang is not None:
            body.append(line)
    return out


def test_readme_section_prints_what_it_shows(cli, tmp_path):
    section = readme_section()
    toml = re.search(r"cat > square\.toml <<'EOF'\n(.*?)\nEOF\n", section, re.S).group(1)
    (tmp_path / "square.toml").write_text(toml + "\n")
    commands = [ln.split("#")[0].split()[1:] for ln in section.splitlines() if ln.startswith(".venv/bin/spurious ")]
    assert len(commands) == 3, commands
    shown = output_blocks(section)
    assert len(shown) == 2, shown
    for argv, block in zip(commands[:2], shown):
        r = cli(*argv, cwd=tmp_path)
        assert r.code == 0, r
        assert r.out.splitlines()[:3] == block.splitlines(), (argv, r.out)
    r = cli(*commands[2], cwd=tmp_path)
    printed = json.dumps(r.json())
    shown_json = re.search(r"`(\{\"intrinsic_dimension\".*?), \.\.\.\}`", section, re.S).group(1).replace("\n", " ")
    assert printed.startswith(shown_json), (printed, shown_json)


def test_listed_in_help(cli):
    r = cli("--help")
    assert r.code == 0 and "intrinsic-dim" in r.out
