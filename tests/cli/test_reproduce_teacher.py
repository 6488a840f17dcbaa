"""``spurious reproduce safran-shamir`` through the real CLI: a tiny run's JSON is well formed and consistent with
itself, the table and the figure, the alias, bad options (exit 2 naming the option), and freeman-bruna2017 still
there and still refusing safran-shamir's options."""

import json

import pytest


def test_tiny_run_json_is_well_formed(cli, tmp_path):
    r = cli("reproduce", "safran-shamir2018", "--k", "3..4", "--starts", "6", "--seed", "3", "--json", "--quiet",
            "--plot", tmp_path / "f.png", cwd=tmp_path)
    assert r.code == 0, r
    out = r.json()
    assert {"name": "safran-shamir2018", "status": "evidence", "trust": "numeric", "seed": 3, "n": "k",
            "optimiser": "gd+newton"}.items() <= out.items()
    assert out["protocol"] == {"init": "N(0, 1/n)", "step": 0.1, "tol": 1e-9, "spurious": 1e-3, "switch": 1e-2}
    assert [(row["k"], row["n"], row["starts"]) for row in out["rows"]] == [(3, 3, 6), (4, 4, 6)]
    for row in out["rows"]:
        assert row["paper"] is None                               # the paper's table starts at k = 6
        assert row["fraction"] == row["spurious"] / row["starts"]
        lo, hi = row["ci95"]
        assert 0 <= lo <= row["fraction"] <= hi <= 1 and hi - lo > 0.1     # six runs: a wide interval
        assert row["converged"] == row["starts"] and 0 <= row["newton_finished"] <= row["starts"]
        assert sum(f["count"] for f in row["family_losses"]) <= row["spurious"]
        assert (row["families"] == 0) == (row["spurious"] == 0)
        assert all(f["loss"] >= 1e-3 for f in row["family_losses"])
        assert sum(lv["runs"] for lv in row["loss_levels"]) <= row["spurious"]
    assert out["seconds"] >= sum(row["seconds"] for row in out["rows"])
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_table_names_the_optimiser_and_the_paper(cli, tmp_path):
    """The alias safran-shamir, the paper's plain GD, n = k + 1."""
    r = cli("reproduce", "safran-shamir", "--k", "6", "--n", "k+1", "--starts", "4", "--optimiser", "gd", "--quiet",
            cwd=tmp_path)
    assert r.code == 0, r
    assert "optimiser: plain GD, step 0.1" in r.out
    (row,) = [ln for ln in r.out.splitlines() if ln.startswith("6 ")]
    assert row.split()[:3] == ["6", "7", "4"] and "—" in row            # n = k + 1: no paper figure for k = 6
    assert "not certified minima" in r.out


@pytest.mark.parametrize("argv, field", [
    (["--k", "0"], "--k"), (["--k", "41"], "--k"), (["--k", "5..3"], "--k"), (["--k", "a,b"], "--k"),
    (["--k", ""], "--k"), (["--n", "k+2"], "--n"), (["--starts", "0"], "--starts"),
    (["--starts", "100001"], "--starts"), (["--starts", "many"], "--starts"), (["--optimiser", "adam"], "--optimiser"),
    (["--widths", "2,4"], "--widths"), (["--pairs", "3"], "--pairs"),
])
def test_bad_options_exit_2_naming_the_option(cli, argv, field):
    r = cli("reproduce", "safran-shamir", *argv, "--json", "--quiet")
    assert r.code == 2, r
    assert r.json()["error"]["field"] == field and field in r.err


def test_freeman_bruna_still_listed_and_refuses_teacher_options(cli):
    r = cli("reproduce", "nobody2099", "--json")
    assert r.code == 0 and r.json() == {"name": "nobody2099", "available": False, "message": "not available yet"}
    listing = cli("reproduce", "nobody2099")
    assert "freeman-bruna2017" in listing.out and "safran-shamir2018" in listing.out
    assert "freeman-bruna2017" in cli("reproduce", "--help").out
    for argv, field in ((["--k", "6"], "--k"), (["--starts", "9"], "--starts"), (["--n", "k+1"], "--n")):
        bad = cli("reproduce", "freeman-bruna2017", *argv, "--json", "--quiet")
        assert bad.code == 2 and json.loads(bad.out)["error"]["field"] == field, bad
