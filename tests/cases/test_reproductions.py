"""`spurious reproduce` for the papers whose capability has landed (verify/reproduce/), quick mode: each
verdict as the paper states it, with its trust, and every certificate written re-verified here."""

import json

import proofs
from verify.reproduce import kawaguchi2016, mehta2018, venturi2018


def _certs(out):
    files = sorted((out / "certificates").glob("*.cert.json"))
    assert files
    for f in files:
        assert proofs.check_certificate(f.read_text()).verified, f
    return files


def test_kawaguchi2016(tmp_path):
    obj, text = kawaguchi2016(True, out=tmp_path)
    rows = {(r["claim"], r["depth"]): r["verdicts"] for r in obj["rows"]}
    assert rows == {("no-spurious-local-min", 2): "6 proved (theorem)",
                    ("no-spurious-local-min", 3): "6 proved (theorem)",
                    ("strict-saddle", 2): "6 proved (theorem)", ("strict-saddle", 3): "6 refuted (kernel)"}
    assert obj["certificates"] == obj["verified"] == 24 and len(_certs(tmp_path)) == 24
    assert (tmp_path / "status.png").is_file() and "strict-saddle" in text


def test_venturi2018(tmp_path):
    obj, _ = venturi2018(True, out=tmp_path)
    assert [(d["sigma"], d["n"], d["dimension"]) for d in obj["intrinsic_dimensions"]] == [
        ("t²", 2, 3), ("t²", 3, 6), ("t²", 4, 10), ("t³", 2, 4), ("t + t²", 2, 5)]
    rows = {str(r["width"]): r["verdicts"] for r in obj["rows"]}
    assert rows["3"] == rows["4"] == "2 proved (theorem)"
    assert rows["1 (examples/square-valley.toml)"] == "refuted (kernel)"
    kinds = {json.loads(f.read_text())["claim"]["kind"] for f in _certs(tmp_path)}
    assert kinds == {"theorem-instance", "spurious-rescaling-valley"}


def test_mehta2018(tmp_path):
    obj, _ = mehta2018(True, out=tmp_path)
    counts = {r["system"]: (r["complex"], r["real"]) for r in obj["rows"]}
    assert counts["1-1-1"][0] == 5 and counts["2-2-2"][0] == 33 and counts["1-2-3"][0] == 73
    assert all(r["verified"] for r in obj["rows"]) and obj["trust"] == "kernel"
    for f in _certs(tmp_path):
        c = json.loads(f.read_text())
        system = f.name.split("-complete")[0]
        assert c["claim"]["critical_points"] == counts[system][0] and c["claim"]["real"] == counts[system][1]
