"""``spurious reproduce NAME`` for every wired paper through the real CLI (``--quick --json`` in a temporary
directory): the verdicts and their trust as the run reports them, the files it says it wrote, progress on stderr;
unknown and pending names (one line, exit 0); bad options (exit 2 naming the option); ``spurious demo --papers``'s
summary has a row for every paper. The verdicts themselves are re-checked against the papers (and every certificate
re-verified) in tests/cases/test_reproductions.py; this file checks what the command line makes of them."""

import json
from fractions import Fraction

import pytest

import proofs
from verify.reproduce import ALIASES, PAPERS, PENDING

PNG = b"\x89PNG\r\n\x1a\n"


def reproduce(cli, tmp_path, name, *argv):
    r = cli("reproduce", name, "--quick", "--out", tmp_path / "out", "--json", *argv, cwd=tmp_path, timeout=300)
    assert r.code == 0, r
    out = r.json()
    assert out["name"] == ALIASES.get(name, name) and out["claim"] and out["headline"]
    assert out["out"] == str(tmp_path / "out")
    assert (tmp_path / "out").is_dir() and open(out["figure"], "rb").read(8) == PNG
    return out, r


def certificates(tmp_path) -> list:
    return sorted((tmp_path / "out" / "certificates").glob("*.cert.json"))


def test_kawaguchi2016_depth_contrast_with_its_trust(cli, tmp_path):
    out, r = reproduce(cli, tmp_path, "kawaguchi2016", "--plot", tmp_path / "copy.png")
    rows = {(row["claim"], row["depth"]): row["verdicts"] for row in out["rows"]}
    assert rows[("strict-saddle", 2)].endswith("proved (theorem)")
    assert rows[("strict-saddle", 3)].endswith("refuted (kernel)")
    assert rows[("no-spurious-local-min", 3)].endswith("proved (theorem)")
    assert out["certificates"] == out["verified"] == len(certificates(tmp_path)) == out["instances"]
    assert "refuted (kernel)" in out["headline"] and "proved (theorem)" in out["headline"]
    assert (tmp_path / "copy.png").read_bytes() == open(out["figure"], "rb").read() and out["plot"] == str(
        tmp_path / "copy.png")
    assert "\r" not in r.err and r.err.startswith("reproduce: ")     # stderr is a pipe: plain progress lines


def test_kawaguchi2016_text_states_the_claim(cli, tmp_path):
    r = cli("reproduce", "kawaguchi2016", "--quick", "--out", tmp_path / "out", "--quiet", cwd=tmp_path)
    assert r.code == 0 and r.err == "", r
    assert r.out.splitlines()[1].startswith("claim: deep linear nets") and "refuted (kernel)" in r.out
    assert f"certificates written to {tmp_path / 'out'}/certificates/" in r.out


def test_venturi2018_widths_against_the_intrinsic_dimension(cli, tmp_path):
    out, _ = reproduce(cli, tmp_path, "venturi2018")
    rows = {str(row["width"]): row["verdicts"] for row in out["rows"]}
    assert all(v.endswith("proved (theorem)") for w, v in rows.items() if w.isdigit() and int(w) >= 3), rows
    assert rows["1 (examples/square-valley.toml)"] == "refuted (kernel)"
    assert {d["n"]: d["dimension"] for d in out["intrinsic_dimensions"] if d["sigma"] == "t²"} == {2: 3, 3: 6, 4: 10}
    assert out["certificates"] == len(certificates(tmp_path)) - 1     # + the square-valley certificate


def test_mehta2018_counts_and_certificates(cli, tmp_path):
    out, _ = reproduce(cli, tmp_path, "mehta2018")
    written = certificates(tmp_path)
    assert out["certificates"] == len(written) == len(out["rows"]) and out["trust"] == "kernel"
    for row in out["rows"]:
        assert row["verified"] and row["complex"] >= row["real"] == sum(row["by_class"].values())
        if row["known"] is not None:
            assert row["complex"] == row["known"], row
        assert f"{row['system']}: {row['complex']} complex, {row['real']} real (kernel)" in out["headline"]


def test_freeman_bruna2017_linear_control_joins(cli, tmp_path):
    """A small run (one width, one level, one pair): the deep linear control's two global minima must join, and each
    joined string is certified below its level (re-verified here, and its ends and level are the run's)."""
    out, _ = reproduce(cli, tmp_path, "freeman-bruna2017", "--widths", "8", "--levels", "0.1", "--pairs", "1")
    assert (out["status"], out["trust"]) == ("evidence", "numeric")
    linear = [row for row in out["rows"] if row["width"] == "linear"]
    assert [row["joined"] for row in linear] == [1.0]
    assert [row["width"] for row in out["rows"] if row["width"] != "linear"] == [8]
    assert json.loads((tmp_path / "out" / "rows.json").read_text())["rows"] == out["rows"]
    joined = {row["width"] for row in out["rows"] if row["joined"]}
    assert {c["width"] for c in out["certified"]} == joined and "linear" in joined
    for c in out["certified"]:
        assert c["trust"] == "kernel", c
        cert = json.loads(open(c["certificate"]).read())
        assert cert["claim"]["kind"] == "sublevel-path" and cert["claim"]["level"] == c["lambda"]
        assert abs(float(Fraction(c["lambda"])) - c["level"]) <= 1e-9 * c["level"]
        assert proofs.check_certificate(cert).verified
    assert out["certificates"] == len(certificates(tmp_path)) == len(out["certified"])


def test_safran_shamir2018_certifies_a_spurious_minimum(cli, tmp_path):
    """k = 8, 24 starts, seed 1: the runs ending spurious (numeric) and the lowest one certified (kernel); the
    certificate is re-verified here."""
    out, _ = reproduce(cli, tmp_path, "safran-shamir", "--k", "8", "--starts", "24", "--seed", "1")
    (row,) = out["rows"]
    assert row["spurious"] > 0, row
    c = row["certified"]
    assert c["trust"] == "kernel" and c["loss"] >= 1e-3 and c["loss"] == pytest.approx(row["loss_levels"][0]["loss"])
    (cert,) = certificates(tmp_path)
    assert c["certificate"] == str(cert) and proofs.check_certificate(cert.read_text()).verified
    assert out["certificates"] == 1 and "refuted (kernel) at k = 8:" in out["headline"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["freeman-bruna2017", "safran-shamir2018"])
def test_quick_numeric_reproductions(cli, tmp_path, name):
    """The rows are numeric evidence; the certificates beside them (a spurious minimum per k, a sublevel path per
    width of at most 64 parameters) are kernel-checked."""
    out, _ = reproduce(cli, tmp_path, name)
    assert out["quick"] and out["trust"] == "numeric"
    assert out["certificates"] == len(certificates(tmp_path)) >= 1
    if name == "safran-shamir2018":
        assert [row["k"] for row in out["rows"]] == [6, 7, 8, 9, 10]
    else:
        assert {c["width"] for c in out["certified"] if c["trust"] == "kernel"} >= {"linear", 8}


@pytest.mark.parametrize("name", [*PENDING, "nobody2099"])
def test_unavailable_names_say_so_in_one_line(cli, tmp_path, name):
    r = cli("reproduce", name, "--quick", cwd=tmp_path)
    assert r.code == 0 and r.out.count("\n") == 1 and r.out.startswith(f"{name}: not available yet"), r
    assert list(tmp_path.iterdir()) == []
    j = cli("reproduce", name, "--json", cwd=tmp_path)
    assert j.code == 0 and j.json() == {"name": name, "available": False, "message": "not available yet"}


@pytest.mark.parametrize("argv, field", [
    (["kawaguchi2016", "--k", "6"], "--k"), (["mehta2018", "--seed", "1"], "--seed"),
    (["venturi2018", "--widths", "2"], "--widths"), (["kawaguchi2016", "--out", "{t}/a-file"], "--out"),
    (["freeman-bruna2017", "--widths", "0"], "--widths"), (["freeman-bruna2017", "--levels", "1.5"], "--levels"),
    (["safran-shamir2018", "--optimiser", "adam"], "--optimiser"), (["mehta2018", "--pairs", "x"], "--pairs"),
])
def test_bad_options_exit_2_naming_the_field(cli, tmp_path, argv, field):
    (tmp_path / "a-file").write_text("")
    r = cli("reproduce", *[a.replace("{t}", str(tmp_path)) for a in argv], "--json", "--quiet", cwd=tmp_path)
    assert r.code == 2, r
    assert r.json()["error"]["field"] == field and field in r.err and "Traceback" not in r.err


def test_demo_summary_has_every_paper(cli, tmp_path):
    """One paper run (kawaguchi2016), the others listed as not run or not available yet."""
    r = cli("demo", "--papers", "kawaguchi2016", "--json", "--quiet", cwd=tmp_path, timeout=300)
    assert r.code == 0, r
    papers = {p["paper"]: p for p in r.json()["papers"]}
    assert list(papers) == list(PAPERS) + list(PENDING)
    ran = papers.pop("kawaguchi2016")
    assert ran["status"] == "ran" and "refuted (kernel)" in ran["verdicts"] and ran["seconds"] > 0
    assert ran["certificates"] == len(list((tmp_path / "spurious-out/reproduce/kawaguchi2016/certificates")
                                           .glob("*.cert.json"))) > 0
    assert {p["status"] for name, p in papers.items() if name in PAPERS} == {"not run"}
    assert all(papers[name]["status"] == "not available yet" for name in PENDING)
    assert [c["case"] for c in r.json()["cases"]][:2] == ["depth2-origin", "depth3-origin"]    # the showcase kept


def test_demo_papers_bad_name(cli, tmp_path):
    r = cli("demo", "--papers", "kawaguchi2016,nobody", "--json", cwd=tmp_path)
    assert r.code == 2 and r.json()["error"]["field"] == "--papers" and not (tmp_path / "spurious-out").exists(), r


@pytest.mark.slow
def test_demo_runs_every_paper(cli, tmp_path):
    r = cli("demo", "--papers", cwd=tmp_path, timeout=600)
    assert r.code == 0, r
    for name in list(PAPERS) + list(PENDING):
        assert name in r.out, name
    assert r.out.count("not available yet") == len(PENDING) and "not run" not in r.out
    assert f"{len(PAPERS)} papers in " in r.out
