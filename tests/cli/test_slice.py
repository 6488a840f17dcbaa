"""``spurious slice``: L on a 2-D slice, witness directions by default, the figure, bad input."""

import json

DEPTH3, ORIGIN = "depth3.toml", "depth3-origin.json"


def test_default_directions_are_the_classifications_witnesses(cli, examples, tmp_path):
    r = cli("slice", examples / DEPTH3, "--point", examples / ORIGIN, "--grid", "21", "--json", cwd=tmp_path)
    assert r.code == 0, r
    out = r.json()
    assert out["directions_from"].startswith("the classification's descent witness")
    L = out["loss"]
    mid = len(out["s"]) // 2
    assert abs(out["s"][mid]) < 1e-12 and abs(L[mid][mid] - out["loss_at_point"]) < 1e-9
    # the origin of the depth-3 scalar net is a non-strict saddle: L falls along the descent witness (s > 0) ...
    assert L[mid][-1] < out["loss_at_point"] - 1e-3
    # ... and the slice is not flat (the Hessian's eigenvectors alone would give a constant slice here)
    assert out["max"] - out["min"] > 0.1


def test_given_directions_and_the_figure(cli, examples, tmp_path):
    dirs = tmp_path / "d.json"
    dirs.write_text(json.dumps({"directions": [[1, 0, 0], [0, 1, 0]]}))
    r = cli("slice", examples / DEPTH3, "--point", examples / ORIGIN, "--dirs", dirs, "--grid", "11",
            "--plot", tmp_path / "s.png", "--json", cwd=tmp_path)
    assert r.code == 0, r
    out = r.json()
    assert out["directions_from"] == "given" and (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
    # L(w1, w2, 0) = ½(0 − 1)²: constant on the plane of the first two weights
    assert out["max"] - out["min"] < 1e-12


def test_bad_input_names_the_option(cli, examples, tmp_path):
    for extra, field in ((["--grid", "2"], "--grid"), (["--radius", "-1"], "--radius")):
        r = cli("slice", examples / DEPTH3, "--point", examples / ORIGIN, *extra, "--json", cwd=tmp_path)
        assert r.code == 2 and r.json()["error"]["field"] == field, r
    dirs = tmp_path / "d.json"
    dirs.write_text(json.dumps({"directions": [[1, 0], [0, 1]]}))
    r = cli("slice", examples / DEPTH3, "--point", examples / ORIGIN, "--dirs", dirs, "--json", cwd=tmp_path)
    assert r.code == 2 and r.json()["error"]["field"] == "--dirs" and "Traceback" not in r.err, r


def test_classify_plot_draws_the_loss_along_the_witness(cli, examples, tmp_path):
    from numeric.witness_figure import along
    from verify.problems import load_problem

    r = cli("classify", examples / DEPTH3, "--point", examples / ORIGIN, "--plot", tmp_path / "w.png", "--json",
            cwd=tmp_path)
    assert r.code == 0 and r.json()["plot"] and (tmp_path / "w.png").read_bytes()[:4] == b"\x89PNG", r
    curve = [[float(x) for x in c] for c in r.json()["witness"]["curve"]]
    t, dl = along(load_problem(examples / DEPTH3), [0, 0, 0], curve, radius=0.5, samples=11)
    assert dl[-1] < 0 < dl[0]       # L(θ(t)) − L(θ) = −t³ + t⁶/2: falls for t > 0, rises for t < 0
    r = cli("classify", examples / DEPTH3, "--point", examples / "depth3-factor.json", "--plot", tmp_path / "m.png",
            cwd=tmp_path)
    assert r.code == 0 and "figure:   none" in r.out and not (tmp_path / "m.png").exists(), r
