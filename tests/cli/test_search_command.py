"""``spurious search`` through its argparse registration (verify/cli/search.py)."""

import argparse
import json

import pytest

from verify.cli.search import register
from verify.errors import InputError

DEPTH3 = 'kind = "deep-linear"\nwidths = [1, 1, 1, 1]\nX = [[1]]\nY = [[1]]\n'


def run(argv):
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    register(sub)
    args = p.parse_args(argv)
    return args.func(args)


def test_search_json_and_export(tmp_path, capsys):
    prob = tmp_path / "d3.toml"
    prob.write_text(DEPTH3)
    out_dir = tmp_path / "out"
    assert run(["search", str(prob), "--starts", "40", "--method", "both", "--seed", "3",
                "--export-dir", str(out_dir), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "evidence" and out["starts"] == 40 and out["backend"] == "numeric"
    assert out["device"] in ("cpu", "cuda") or out["device"].startswith("cuda")
    assert "non-strict-saddle" in out["by_class"] and "global-min" in out["by_class"]
    assert all(c["status"] == "evidence" for c in out["candidates"])
    assert "proved" not in json.dumps(out)
    assert (out_dir / "candidates.json").exists() and len(out["exported"]) == len(out["candidates"])


def test_human_output(tmp_path, capsys):
    prob = tmp_path / "d3.toml"
    prob.write_text(DEPTH3)
    assert run(["search", str(prob), "--starts", "8", "--method", "adam"]) == 0
    assert "status: evidence" in capsys.readouterr().out


@pytest.mark.parametrize("argv,field", [
    (["--starts", "0"], "--starts"), (["--method", "lbfgs"], "--method"), (["--steps", "-1"], "--steps"),
    (["--threads", "0"], "--threads"), (["--seed", "-2"], "--seed"),
])
def test_bad_input_raises_input_error(tmp_path, argv, field):
    prob = tmp_path / "d3.toml"
    prob.write_text(DEPTH3)
    with pytest.raises(InputError, match=field):
        run(["search", str(prob)] + argv)


def test_missing_problem_file(tmp_path):
    with pytest.raises(InputError, match="problem"):
        run(["search", str(tmp_path / "nope.toml")])
