"""``spurious sweep`` / ``spurious report`` (issue 14): the strict-saddle sweep's verdicts, resuming after SIGKILL
without lost or duplicated rows, a Dask LocalCluster giving the local pool's results (also after a worker is
killed), the report, and bad conjecture files."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

import proofs
from verify.errors import InputError
from verify.run.store import Store
from verify.run.sweep import parse_conjecture, sweep

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONJ = os.path.join(ROOT, "examples", "conjectures", "strict-saddle-deep-linear.toml")
KEEP = ("key", "claim", "sweep", "params", "problem", "size", "status", "trust", "reason", "backend", "certificate",
        "verified")


def _table(db):
    """The rows without what legitimately differs between runs (time taken, time written)."""
    with Store(db) as s:
        return [{k: r[k] for k in KEEP} for r in s.rows()]


def _count(db):
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return con.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _conj(seeds=5, depth=(2, 3), width=(1, 2)):
    return {"name": "t", "claim": "strict-saddle",
            "family": {"kind": "deep-linear", "depth": list(depth), "width": list(width), "dx": 2, "dy": 2,
                       "samples": 3, "seeds": seeds, "entries": [-3, 3]},
            "budget": {"timeout": 30, "starts": 50}}


def test_strict_saddle_sweep_depth_2_proved_depth_3_refuted(cli, tmp_path):
    db = tmp_path / "r.sqlite"
    r = cli("sweep", CONJ, "--db", db, "--json", cwd=tmp_path)
    assert r.code == 0, r
    out = r.json()
    assert (out["total"], out["written"], out["skipped"]) == (20, 20, 0)
    rows = _table(db)
    assert len(rows) == 20
    for row in rows:
        p = row["params"]
        if p["depth"] == 2:
            assert (row["status"], row["trust"]) == ("proved", "theorem"), row["reason"]
        else:
            assert (row["status"], row["trust"]) == ("refuted", "kernel"), row["reason"]
        assert row["verified"] == 1 and proofs.check_certificate(row["certificate"]).verified
    again = cli("sweep", CONJ, "--db", db, "--json", cwd=tmp_path)
    assert again.code == 0 and (again.json()["skipped"], again.json()["written"]) == (20, 0), again
    assert _table(db) == rows
    rep = cli("report", "--db", db, "--out", tmp_path / "rep", cwd=tmp_path)
    assert rep.code == 0, rep
    md = (tmp_path / "rep" / "report.md").read_text()
    assert "| depth = 2, width = 1 | 5 | 0 |" in md and "| depth = 3, width = 2 | 0 | 5 |" in md, md
    page = (tmp_path / "rep" / "report.html").read_text()
    assert page.startswith("<!doctype html>") and "data:image/png;base64," in page and "<table>" in page
    cert = json.loads((tmp_path / "rep" / "counterexample.cert.json").read_text())
    assert proofs.check_certificate(cert).verified and cert["problem"]["widths"][1:-1] == [1, 1]


def test_sigkill_half_way_then_resume_equals_an_uninterrupted_run(tmp_path):
    conj = tmp_path / "c.toml"
    conj.write_text(open(CONJ).read().replace("seeds = 5", "seeds = 15"))
    whole, cut = tmp_path / "whole.sqlite", tmp_path / "cut.sqlite"
    sweep(parse_conjecture(_load(conj)), whole)
    total = _count(whole)
    assert total == 60
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.Popen([sys.executable, "-m", "verify.cli", "sweep", str(conj), "--db", str(cut), "--quiet"],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count(cut) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = _count(cut)
    assert 10 <= killed_at < total, f"the kill did not land half-way ({killed_at} of {total} rows)"
    s = sweep(parse_conjecture(_load(conj)), cut)
    assert s.skipped == killed_at and s.written == total - killed_at
    assert _table(cut) == _table(whole)


def _load(path):
    import tomllib

    return tomllib.loads(open(path).read())


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    c = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                 silence_logs=50)
    yield c
    c.close()


def test_dask_local_cluster_gives_the_local_pool_results(cluster, tmp_path):
    conj = parse_conjecture(_conj(seeds=3))
    local, dask = tmp_path / "local.sqlite", tmp_path / "dask.sqlite"
    s1 = sweep(conj, local, workers=2)
    s2 = sweep(conj, dask, scheduler=cluster.scheduler_address)
    assert s1.engine.startswith("local pool") and s2.engine.startswith("dask")
    assert s1.written == s2.written == 12
    assert _table(local) == _table(dask)


def test_killing_a_dask_worker_loses_and_duplicates_nothing(cluster, tmp_path):
    import distributed

    conj = parse_conjecture(_conj(seeds=6))
    ref, db = tmp_path / "ref.sqlite", tmp_path / "db.sqlite"
    sweep(conj, ref)
    client = distributed.Client(cluster.scheduler_address)
    pids = client.run(os.getpid)
    client.close()
    killed = []

    def on_result(row, counts):
        if not killed:      # after the first answer: kill one worker while the others' tasks are in flight
            os.kill(next(iter(pids.values())), signal.SIGKILL)
            killed.append(True)

    s = sweep(conj, db, scheduler=cluster.scheduler_address, on_result=on_result)
    assert killed and s.written == 24
    assert _table(db) == _table(ref)


@pytest.mark.parametrize("edit,field", [
    (lambda c: c.update(claim="every-minimum-is-nice"), "claim"),
    (lambda c: c["family"].update(kind="cnn"), "family.kind"),
    (lambda c: c["family"].update(depth=[1]), "family.depth"),
    (lambda c: c["family"].update(width=[-1]), "family.width"),
    (lambda c: c["family"].update(seeds=10 ** 7), "family.seeds"),
    (lambda c: c["family"].update(colour="red"), "family.colour"),
    (lambda c: c["budget"].update(timeout=0), "budget.timeout"),
    (lambda c: c["budget"].update(backend="magic"), "budget.backend"),
    (lambda c: c["family"].update(entries=[3, -3]), "family.entries"),
])
def test_bad_conjectures_name_the_field(edit, field):
    c = _conj()
    edit(c)
    with pytest.raises(InputError) as e:
        parse_conjecture(c)
    assert e.value.field == field


def test_cli_bad_file_exits_2(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('claim = "strict-saddle"\n[family]\nkind = "deep-linear"\ndepth = [2]\nwidth = ["wide"]\n')
    r = cli("sweep", bad, "--db", tmp_path / "x.sqlite", "--json", cwd=tmp_path)
    assert r.code == 2 and r.json()["error"]["field"] == "family.width" and "Traceback" not in r.err, r
    r = cli("report", "--db", tmp_path / "missing.sqlite", "--json", cwd=tmp_path)
    assert r.code == 2 and r.json()["error"]["field"] == "--db", r
