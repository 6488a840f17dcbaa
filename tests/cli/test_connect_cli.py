"""``spurious connect`` through the real CLI: a connected pair (evidence, then proved with --cert and re-checked by
check-cert), a pair the origin separates (unknown), the figure, bad input (exit 2 naming the option), and the
guarded certification import."""

import json
import sys

import pytest

LINEAR = 'kind = "deep-linear"\nwidths = [1, 1, 1]\nX = [[1]]\nY = [[2]]\n'   # L = ½(w₂w₁ − 2)²


@pytest.fixture
def files(tmp_path):
    (tmp_path / "lin.toml").write_text(LINEAR)
    for name, params in (("a", [1, 2]), ("b", [2, 1]), ("c", [-1, -2]), ("short", [1])):
        (tmp_path / f"{name}.json").write_text(json.dumps({"params": params}))
    (tmp_path / "named.json").write_text(json.dumps({"W1": [[2]], "W2": [["1/1"]]}))
    return tmp_path


def test_connected_then_proved_with_a_certificate(cli, files):
    r = cli("connect", "lin.toml", "--a", "a.json", "--b", "named.json", "--level", "1/1000", "--json",
            "--cert", "path.json", "--plot", "string.png", cwd=files)
    assert r.code == 0, r
    out = r.json()
    assert {"connected": True, "outcome": "connected", "level": 0.001, "level_exact": "1/1000",
            "level_source": "given", "certificate": "path.json", "plot": "string.png"}.items() <= out.items(), r
    assert out["beads"][0] == [1.0, 2.0] and out["beads"][-1] == [2.0, 1.0]
    assert len(out["segment_max"]) == len(out["beads"]) - 1 and out["max_loss"] <= 0.001
    assert 1 < out["geodesic_length"] < 1.1 and out["counts"]["beads"] == len(out["beads"]) - 2
    assert (files / "string.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if out["status"] == "proved":            # verify.certify.sublevel present: the kernel accepted the string
        assert out["trust"] == "kernel" and out["certificate_reason"].startswith("kernel-checked")
        check = cli("check-cert", "path.json", "--problem", "lin.toml", "--json", cwd=files)
        assert check.code == 0 and check.json()["verified"] is True, check
    else:
        assert (out["status"], out["trust"]) == ("evidence", "numeric") and "not available" in \
            out["certificate_reason"]


def test_human_output_and_default_level(cli, files):
    r = cli("connect", "lin.toml", "--a", "a.json", "--b", "b.json", cwd=files)
    assert r.code == 0, r
    assert r.out.startswith("connected below L0 = 0.003125 (default): evidence (trust: numeric)"), r
    assert "normalised geodesic length" in r.out and "segment   max L" in r.out and "connect:" in r.err


def test_separated_by_the_origin_is_not_connected(cli, files):
    r = cli("connect", "lin.toml", "--a", "a.json", "--b", "c.json", "--level", "0.5", "--max-beads", "4",
            "--cert", "none.json", "--json", "--quiet", cwd=files)
    assert r.code == 0, r
    out = r.json()
    assert {"connected": False, "status": "unknown", "trust": "none", "outcome": "max-beads",
            "certificate": None}.items() <= out.items()
    assert out["counts"]["beads"] == 4 and out["max_loss"] > 0.5 and "not attempted" in out["certificate_reason"]
    assert not (files / "none.json").exists() and "no certificate written" in r.err


@pytest.mark.parametrize("args,field", [
    (["--a", "short.json", "--b", "b.json"], "--a.params"),
    (["--a", "a.json", "--b", "missing.json"], "--b"),
    (["--a", "a.json", "--b", "b.json", "--level", "one"], "--level"),
    (["--a", "a.json", "--b", "b.json", "--level", "-1"], "--level"),        # below L(a) = 0
    (["--a", "a.json", "--b", "b.json", "--max-beads", "-2"], "--max-beads"),
])
def test_bad_input_exits_2_naming_the_option(cli, files, args, field):
    r = cli("connect", "lin.toml", *args, "--json", cwd=files)
    assert r.code == 2, r
    assert r.json()["error"]["field"] == field and "Traceback" not in r.err, r


def test_certification_unavailable_is_said(monkeypatch):
    from verify.cli.connect import certify

    monkeypatch.setitem(sys.modules, "verify.certify.sublevel", None)     # import raises ImportError
    assert certify(None, None, None, None, None, 1.0) == \
        (None, "certification not available (verify.certify.sublevel is missing from this build)")
