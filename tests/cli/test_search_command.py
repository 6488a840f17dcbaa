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
    (["--seed", "99999999999999999999999"], "--seed"), (["--newton-steps", "10000000000"], "--newton-steps"),
    (["--export-limit", "-1"], "--export-limit"),
])
def test_bad_options_exit_2_naming_the_option(cli, tmp_path, argv, field):
    prob = tmp_path / "d3.toml"
    prob.write_text(DEPTH3)
    r = cli("search", prob, *argv, "--json", cwd=tmp_path)
    assert r.code == 2 and field in r.err + r.out and "Traceback" not in r.err, r


def test_method_choices_are_listed_without_torch(cli):
    r = cli("search", "--help")
    assert r.code == 0 and "{adam,gd,newton,both}" in r.out, r


HUGE = "9" * 999
BIG_X = f'kind = "two-layer"\nn = 1\nwidth = 1\nactivation = {{ poly = [0, 0, 0, 1] }}\nX = [[{HUGE}]]\nY = [[1]]\n'


@pytest.mark.parametrize("argv", [["search", "--starts", "2", "--steps", "5", "--newton-steps", "2"],
                                  ["check", "--claim", "no-spurious-local-min", "--backend", "numeric",
                                   "--starts", "2"]])
def test_numbers_beyond_float64_are_an_input_error_naming_the_field(cli, tmp_path, argv):
    prob = tmp_path / "big.toml"
    prob.write_text(BIG_X)
    r = cli(argv[0], prob, *argv[1:], "--json", cwd=tmp_path)
    assert r.code == 2 and "Traceback" not in r.err, r
    err = json.loads(r.out)["error"] if r.out.strip() else r.err
    assert "X" in json.dumps(err) and "too large for float64" in json.dumps(err), r


def test_missing_problem_file(tmp_path):
    with pytest.raises(InputError, match="problem"):
        run(["search", str(tmp_path / "nope.toml")])


# ---- through the real CLI (subprocess) ----

def test_export_dir_with_trailing_slash_is_printed_once(cli, examples, tmp_path):
    r = cli("search", examples / "depth3.toml", "--starts", "6", "--method", "newton", "--threads", "1",
            "--export-dir", "out/", cwd=tmp_path)
    assert r.code == 0, r
    assert "point files in out/ (certify:" in r.out and "//" not in r.out, r
    assert (tmp_path / "out" / "candidates.json").exists()


def test_search_start_from_a_point_file(cli, examples, tmp_path):
    """--start: the point itself (with --starts 1) — θ = (2, 1/4, 2), a global minimum of the depth-3 net, stays."""
    r = cli("search", examples / "depth3.toml", "--start", examples / "depth3-factor.json", "--starts", "1",
            "--method", "newton", "--threads", "1", "--json", cwd=tmp_path)
    assert r.code == 0, r
    out = r.json()
    assert out["starts"] == 1 and out["start"].endswith("depth3-factor.json")
    (cand,) = out["candidates"]
    assert cand["class"] == "global-min" and cand["params"] == [2.0, 0.25, 2.0], cand


def test_search_start_perturbations_are_seeded(cli, examples, tmp_path):
    argv = ["search", examples / "depth3.toml", "--start", examples / "depth3-origin.json", "--starts", "5",
            "--start-scale", "0.001", "--method", "newton", "--threads", "1", "--seed", "4", "--json"]
    a, b = cli(*argv, cwd=tmp_path), cli(*argv, cwd=tmp_path)
    assert a.code == 0 and a.out == b.out, a
    by_class = a.json()["by_class"]    # near the origin: the degenerate saddle and strict saddles (0, 0, w), L = 1/2
    assert set(by_class) <= {"non-strict-saddle", "strict-saddle"} and "non-strict-saddle" in by_class, by_class
    assert all(d["loss_min"] == d["loss_max"] == 0.5 for d in by_class.values()), by_class
    assert sum(d["runs"] for d in by_class.values()) == 5


def test_start_points_unit():
    from verify.cli.search import start_points

    rows = start_points((1, 2), 3, 0.5, seed=0)
    assert rows[0] == [1.0, 2.0] and len(rows) == 3 and rows[1] != rows[2]
    assert rows == start_points((1, 2), 3, 0.5, seed=0)


def test_search_start_bad_point_file(cli, examples, tmp_path):
    (tmp_path / "p.json").write_text('{"params": [1, 2]}')
    r = cli("search", examples / "depth3.toml", "--start", tmp_path / "p.json", "--json", cwd=tmp_path)
    assert r.code == 2 and json.loads(r.out)["error"]["field"].startswith("point"), r


def test_plot_writes_the_figure_and_the_spectra(cli, examples, tmp_path):
    """--plot: a PNG, and per drawn candidate its Hessian eigenvalues, whose signs agree with its class."""
    r = cli("search", examples / "cubic.toml", "--starts", "100", "--plot", tmp_path / "s.png", "--json",
            cwd=tmp_path)
    assert r.code == 0, r
    out = r.json()
    assert out["plot"] and (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
    assert out["spectra"] and len(out["spectra"]) == min(12, len(out["candidates"]))
    for s in out["spectra"]:
        if s["class"] in ("global-min", "spurious-local-min", "local-min"):
            assert min(s["eigenvalues"]) > 0, s
        if s["class"] == "local-max":
            assert max(s["eigenvalues"]) < 0, s
    r = cli("search", examples / "cubic.toml", "--starts", "10", "--plot", tmp_path / "no" / "s.png", "--json",
            cwd=tmp_path)
    assert r.code == 2 and r.json()["error"]["field"] == "--plot", r
