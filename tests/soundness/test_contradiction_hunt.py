"""The contradiction hunt (issue 21, part 3): no kernel-checked falsehood from the theorem table.

For every entry of ``proofs.theorems.THEOREMS`` (read at run time: a new entry without a strategy in
``hunt_strategies.STRATEGIES`` fails :func:`test_every_theorem_entry_has_a_hunt`), hypothesis draws small problems
that meet the entry's hypotheses (as the printed statement gives them, computed in hunt_strategies.py, not by the
kernel) and near misses that violate exactly one. On every problem drawn, every (theorem, claim) of the table is put
to the kernel as a ``theorem-instance`` certificate (verify/certify/theorem.py), and the problem's near-miss status
is judged for every entry with a strategy:

* a near miss (a hypothesis of T violated) that the kernel GRANTS for T fails the hunt;
* a near miss violating exactly one hypothesis must be rejected with a reason naming it;
* on the problems the kernel granted something for (every granted near miss, a few granted instances, evenly
  spread) and on a few near misses (one per violated hypothesis in turn), the project's routes try to certify a
  counterexample (hunt_strategies.counterexamples: witness, complete landscape, z3, the numeric search with exact
  and ball certification, the valley and shallow readings); a claim the kernel granted AND a kernel-verified
  counterexample to it on the same problem fails the hunt (a contradiction), as do a verified complete landscape
  proving a claim and a verified counterexample to it.

The per-entry figures are printed (and written as JSON: ``$SPURIOUS_HUNT_REPORT`` or the test's tmp directory).
The mutant test puts the old weighted data kernel back into ``proofs.theorems`` and shows that the same hunt finds
the contradiction (the ../shared/findings Venturi pair) by itself.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from fractions import Fraction

import flint
import hunt_strategies as hs
import pytest
from hypothesis import HealthCheck, Phase, given, settings

import proofs
import proofs.theorems


@dataclass(frozen=True)
class HuntProfile:
    """How much of the hunt runs: ``draws`` problems per entry (generation and every theorem check are cheap); the
    routes on at most ``granted_near_misses`` granted near misses, ``instances`` granted instances and
    ``near_misses`` rejected ones, each within ``seconds``."""

    name: str
    parent: str
    draws: int
    instances: int
    near_misses: int
    granted_near_misses: int
    seconds: float


PROFILES = {
    "ci": HuntProfile("ci", "ci", draws=40, instances=3, near_misses=2, granted_near_misses=3, seconds=4.0),
    "thorough": HuntProfile("thorough", "thorough", draws=400, instances=30, near_misses=30, granted_near_misses=30,
                            seconds=10.0),
    "mutant": HuntProfile("mutant", "ci", draws=80, instances=0, near_misses=1, granted_near_misses=4, seconds=8.0),
}
"""``mutant``: the ci hunt's draws, routes only where the kernel granted a near miss (the mutant test)."""
for _name, _p in PROFILES.items():   # the project's profiles (tests/conftest.py), with the hunt's example count
    settings.register_profile(f"hunt-{_name}", parent=settings.get_profile(_p.parent), max_examples=_p.draws,
                              database=None, phases=[Phase.generate], deadline=None,
                              suppress_health_check=list(HealthCheck))


def theorem_ids() -> list[str]:
    return list(proofs.theorems.THEOREMS)


def entry_claims(tid: str) -> tuple[str, ...]:
    return tuple(proofs.theorems.THEOREMS[tid][1])


_ENTRIES: dict = {}


def entry(tid: str) -> hs.Entry | None:
    if tid not in _ENTRIES:
        _ENTRIES[tid] = hs.STRATEGIES[tid]() if tid in hs.STRATEGIES else None
    return _ENTRIES[tid]


def draw(tid: str, profile: HuntProfile, focus=None) -> list[tuple[str, object]]:
    """The tagged problems hypothesis draws for entry ``tid`` under the profile ``hunt-<profile>``: half instances
    meeting the hypotheses, half near misses (only those violating ``focus`` when given)."""
    out = []
    for tag, strategy in (("instance", entry(tid).instance_problems()),
                          ("near-miss", entry(tid).near_miss_problems(focus))):
        @settings(settings.get_profile(f"hunt-{profile.name}"), max_examples=max(1, profile.draws // 2))
        @given(strategy.map(lambda P, tag=tag: (tag, P)))
        def collect(tagged):
            out.append(tagged)

        collect()
    return out


def verdicts(P) -> dict:
    """(theorem, claim) → (verified, reason, certificate) for every claim of every entry of the table."""
    from verify.certify.theorem import certificate

    out = {}
    for tid in theorem_ids():
        for claim in entry_claims(tid):
            try:
                cert = certificate(P, tid, claim)
            except Exception as e:  # noqa: BLE001 — the emitter failing is recorded, never a grant
                out[(tid, claim)] = (False, f"emitter: {type(e).__name__}: {e}", None)
                continue
            r = hs.kernel(cert)
            out[(tid, claim)] = (bool(r.verified), r.reason, cert)
    return out


def violated(tid: str, P, claim: str) -> list:
    e = entry(tid)
    return [] if e is None else [h for h, ok in e.oracle(P, claim).items() if not ok]


def _spread(items: list, k: int) -> list:
    if len(items) <= k:
        return items
    return [items[round(i * (len(items) - 1) / max(1, k - 1))] for i in range(k)]


def _round_robin(groups: dict, k: int) -> list:
    out, queues = [], [list(v) for v in groups.values()]
    while len(out) < k and any(queues):
        for q in queues:
            if q and len(out) < k:
                out.append(q.pop(0))
    return out


def hunt_entry(tid: str, profile: HuntProfile, focus=None) -> dict:
    """Draw, judge every theorem verdict, run the routes where they matter, and return the entry's figures."""
    t0 = time.monotonic()
    claims = entry_claims(tid)
    rep = {"theorem": tid, "citation": proofs.theorems.THEOREMS[tid][0], "claims": list(claims),
           "profile": profile.name, "failures": [], "contradictions": []}
    if entry(tid) is None:
        rep["failures"].append(f"{tid}: no strategy in hunt_strategies.STRATEGIES")
        return rep
    seen, problems = set(), []
    for tag, P in draw(tid, profile, focus):
        key = hs.problem_key(P)
        if key not in seen:
            seen.add(key)
            problems.append((tag, P))
    per_claim = {c: dict(instances=0, granted=0, refused=0, near_misses=0, rejected=0, named=0,
                         cx_on_instances=0, cx_on_near_misses=0) for c in claims}
    near = {}
    refused_reasons = []
    judged = []
    for tag, P in problems:
        v = verdicts(P)
        granted = {k for k, (ok, _, _) in v.items() if ok}
        granted_near_miss = False
        for (T, C), (ok, reason, _) in v.items():
            bad = violated(T, P, C)
            if bad and ok:
                granted_near_miss = True
                rep["failures"].append(f"GRANTED NEAR MISS: {T} / {C} verified although "
                                       f"{', '.join(h.name for h in bad)} fails; problem {hs.problem_key(P)}; "
                                       f"kernel: {reason[:200]}")
            if len(bad) == 1 and not ok and not bad[0].named_in(reason):
                rep["failures"].append(f"UNNAMED: {T} / {C} rejected without naming '{bad[0].name}': {reason[:200]}; "
                                       f"problem {hs.problem_key(P)}")
        for C in claims:
            bad = violated(tid, P, C)
            ok, reason, _ = v[(tid, C)]
            row = per_claim[C]
            if bad:
                row["near_misses"] += 1
                row["rejected"] += not ok
                row["named"] += (not ok) and len(bad) == 1 and bad[0].named_in(reason)
                nm = near.setdefault(" + ".join(h.name for h in bad), dict(drawn=0, rejected=0, counterexamples=0))
                nm["drawn"] += 1
                nm["rejected"] += not ok
            else:
                row["instances"] += 1
                row["granted"] += ok
                if not ok:
                    row["refused"] += 1
                    refused_reasons.append(f"{C}: {reason[:160]}")
        judged.append((tag, P, v, granted, granted_near_miss))
    # where the routes run
    gnm = [j for j in judged if j[4]][:profile.granted_near_misses]
    ginst = _spread([j for j in judged if j[0] == "instance" and j[3] and not j[4]], profile.instances)
    groups = {}
    for j in judged:
        if j[0] == "near-miss" and not j[3]:
            key = " + ".join(sorted({h.name for C in claims for h in violated(tid, j[1], C)}))
            groups.setdefault(key, []).append(j)
    demo = _round_robin(groups, profile.near_misses)
    routes = dict(problems=0, runs={}, seconds=0.0, route_seconds={}, errors=[], verified={}, skipped={})
    for _tag, P, v, granted, _ in gnm + ginst + demo:
        interest = set(claims) | {C for _, C in granted}
        t1 = time.monotonic()
        att = hs.counterexamples(P, interest, profile.seconds)
        routes["seconds"] += time.monotonic() - t1
        routes["problems"] += 1
        for r, n in att.runs.items():
            routes["runs"][r] = routes["runs"].get(r, 0) + n
        for r, t in att.seconds.items():
            routes["route_seconds"][r] = round(routes["route_seconds"].get(r, 0) + t, 2)
        for s, n in att.skipped.items():
            routes["skipped"][s] = routes["skipped"].get(s, 0) + n
        routes["errors"] += [f"{e} (problem {hs.problem_key(P)[:200]})" for e in att.errors]
        for f in att.found:
            if f.refutes:
                routes["verified"][f.kind] = routes["verified"].get(f.kind, 0) + 1
        refuted = {c for f in att.found for c in f.refutes}
        for C in claims:
            if C in refuted:
                key = "cx_on_near_misses" if violated(tid, P, C) else "cx_on_instances"
                per_claim[C][key] += 1
        for nm_key in {" + ".join(h.name for h in violated(tid, P, C)) for C in claims if C in refuted}:
            if nm_key in near:
                near[nm_key]["counterexamples"] += 1
        for (T, C) in sorted(granted):
            for f in att.found:
                if C in f.refutes:
                    _contradiction(rep, P, f"theorem-instance {T}", v[(T, C)][2], f, C)
        for p in att.found:
            if p.proves:
                for f in att.found:
                    if p.proves in f.refutes:
                        _contradiction(rep, P, f"{p.kind} ({p.route})", p.certificate, f, p.proves)
    routes["seconds"] = round(routes["seconds"], 1)
    rep.update(drawn=dict(distinct=len(problems), instances=sum(t == "instance" for t, _ in problems),
                          near_misses=sum(t == "near-miss" for t, _ in problems)),
               per_claim=per_claim, near_misses=near, routes=routes, refused_examples=refused_reasons[:3],
               attempted=sum(routes["runs"].values()), verified=sum(routes["verified"].values()),
               seconds=round(time.monotonic() - t0, 1))
    return rep


def _contradiction(rep, P, proved_by, proof, f, claim):
    rep["failures"].append(f"CONTRADICTION on {claim}: {proved_by} VERIFIED and a {f.kind} ({f.route}) VERIFIED; "
                           f"problem {hs.problem_key(P)}; counterexample: {f.reason[:200]}")
    rep["contradictions"].append({"claim": claim, "problem": P.to_json(), "proof": proof, "counterexample":
                                  f.certificate, "counterexample_kind": f.kind, "route": f.route, "why": f.reason})


def table(reports: list[dict]) -> str:
    """One row per entry — problems drawn (instances meeting the hypotheses, near misses), theorem instances granted
    / instance-claims, near-miss claims rejected / drawn, problems routed, route runs (counterexamples attempted),
    kernel-verified counterexamples (any claim; to the entry's own claims on instances / on near misses),
    contradictions, seconds — then one line per claim and per near miss."""
    head = (f"{'theorem entry':30s} {'drawn':>5s} {'inst':>4s} {'near':>4s} {'granted':>8s} {'nm rej':>7s} "
            f"{'routed':>6s} {'cx tried':>8s} {'cx ok':>5s} {'own i/nm':>8s} {'contra':>6s} {'s':>5s}")
    lines = [head, "-" * len(head)]
    for r in reports:
        if "per_claim" not in r:
            lines.append(f"{r['theorem']:30s} NO STRATEGY")
            continue
        pc = r["per_claim"].values()
        granted, inst = sum(c["granted"] for c in pc), sum(c["instances"] for c in pc)
        own = f"{sum(c['cx_on_instances'] for c in pc)}/{sum(c['cx_on_near_misses'] for c in pc)}"
        lines.append(f"{r['theorem']:30s} {r['drawn']['distinct']:5d} {r['drawn']['instances']:4d} "
                     f"{r['drawn']['near_misses']:4d} {granted:4d}/{inst:<3d} "
                     f"{sum(c['rejected'] for c in pc):3d}/{sum(c['near_misses'] for c in pc):<3d} "
                     f"{r['routes']['problems']:6d} {r['attempted']:8d} {r['verified']:5d} {own:>8s} "
                     f"{len(r['contradictions']):6d} {r['seconds']:5.1f}")
        for c, row in r["per_claim"].items():
            lines.append(f"    {c:28s} instances {row['instances']}, granted {row['granted']}, "
                         f"refused {row['refused']}; near misses {row['near_misses']}, "
                         f"rejected {row['rejected']} (naming it {row['named']}); "
                         f"counterexamples verified: {row['cx_on_instances']} on instances, "
                         f"{row['cx_on_near_misses']} on near misses")
        for name, nm in r["near_misses"].items():
            lines.append(f"      near miss [{name}]: {nm['drawn']} drawn, {nm['rejected']} rejected, "
                         f"{nm['counterexamples']} with a verified counterexample")
        runs = ", ".join(f"{k} {v}" for k, v in sorted(r["routes"]["runs"].items()))
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(r["routes"]["verified"].items())) or "none"
        secs = ", ".join(f"{k} {v:.1f}" for k, v in sorted(r["routes"]["route_seconds"].items()))
        lines.append(f"      routes: {runs or 'none'} ({r['routes']['seconds']} s: {secs}); verified: {kinds}")
        for e in r["routes"]["errors"][:3]:
            lines.append(f"      route error: {e[:220]}")
    return "\n".join(lines)


def run_hunt(profile: HuntProfile, capsys, tmp_path, ids=None, focus=None) -> list[dict]:
    import numeric.search  # noqa: F401 — torch loaded once, before any entry's clock starts

    reports = [hunt_entry(tid, profile, focus) for tid in (ids or theorem_ids())]
    text = table(reports)
    path = os.environ.get("SPURIOUS_HUNT_REPORT") or str(tmp_path / f"contradiction-hunt-{profile.name}.json")
    with open(path, "w") as fh:
        json.dump(reports, fh, indent=1, default=str)
    with capsys.disabled():
        print(f"\ncontradiction hunt ({profile.name}; JSON: {path})\n{text}")
    return reports


def _failures(reports):
    return [f for r in reports for f in r["failures"]]


def test_every_theorem_entry_has_a_hunt():
    """A new entry of the theorem table cannot escape the hunt: it needs a strategy with near misses."""
    missing = [t for t in theorem_ids() if t not in hs.STRATEGIES]
    assert not missing, f"theorem entries without a hunt strategy (tests/soundness/hunt_strategies.py): {missing}"
    for t in theorem_ids():
        assert entry(t).near_misses, f"{t}: no near misses"


def test_contradiction_hunt(capsys, tmp_path):
    reports = run_hunt(PROFILES["ci"], capsys, tmp_path)
    failures = _failures(reports)
    assert not failures, f"{len(failures)} failure(s):\n" + "\n".join(failures[:12])
    for r in reports:   # the hunt exercised every entry: each claim granted somewhere, counterexamples tried
        for c, row in r["per_claim"].items():
            assert row["granted"] >= 1, f"{r['theorem']} / {c}: no instance granted ({r['refused_examples']})"
            assert row["near_misses"] >= 1, f"{r['theorem']} / {c}: no near miss drawn"
        assert r["attempted"] >= 1, f"{r['theorem']}: no counterexample attempted"


@pytest.mark.slow
def test_contradiction_hunt_thorough(capsys, tmp_path):
    reports = run_hunt(PROFILES["thorough"], capsys, tmp_path)
    failures = _failures(reports)
    assert not failures, f"{len(failures)} failure(s):\n" + "\n".join(failures[:12])


def weighted_data_intrinsic_dimension(P):
    """The OLD, wrong kernel: rank of K = Σ_j c_j (x_i·x_k)^j, degree j weighted by σ's coefficient c_j (loses rank
    when the c_j have mixed signs: σ = −t⁵ + 5t³ + t² − 4t on x = ±1 gives K = [[1, 1], [1, 1]], rank 1 < 2)."""
    cols = [list(c) for c in zip(*P.X)]
    G = [[sum((Fraction(a) * Fraction(b) for a, b in zip(u, v)), Fraction(0)) for v in cols] for u in cols]
    K = [[sum((Fraction(c) * g ** j for j, c in enumerate(P.act) if c != 0), Fraction(0)) for g in row] for row in G]
    return flint.fmpq_mat([[flint.fmpq(x.numerator, x.denominator) for x in row] for row in K]).rank()


VENTURI = "venturi-bandeira-bruna-2018"


def test_mutant_weighted_kernel_is_caught(monkeypatch, capsys, tmp_path):
    """With the weighted kernel put back, the hunt itself — its near misses of the hypothesis the kernel computes
    wrongly, the width against the intrinsic dimension — finds a near miss that the kernel grants AND a kernel-verified
    spurious minimum on it (the routes' own: the landscape's boxes, the numeric search's ball route): two
    contradictory certificates."""
    assert VENTURI in theorem_ids()
    monkeypatch.setattr(proofs.theorems, "data_intrinsic_dimension", weighted_data_intrinsic_dimension)
    reports = run_hunt(PROFILES["mutant"], capsys, tmp_path, ids=[VENTURI], focus=hs.P_GE_Q)
    failures = _failures(reports)
    assert any(f.startswith("GRANTED NEAR MISS: venturi") for f in failures), failures[:5]
    contradictions = reports[0]["contradictions"]
    assert contradictions, "the hunt did not find a contradiction with the weighted kernel:\n" + "\n".join(failures)
    c = contradictions[0]
    assert c["claim"] == hs.NSV and hs.NSV in hs.REFUTES[c["counterexample_kind"]]
    assert proofs.check_certificate(c["proof"]).verified and proofs.check_certificate(c["counterexample"]).verified
    monkeypatch.undo()   # the true kernel rejects the theorem instance and still verifies the counterexample
    assert not proofs.check_certificate(c["proof"]).verified
    assert proofs.check_certificate(c["counterexample"]).verified
