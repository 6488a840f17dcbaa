"""A claim that reuses existing routes is one entry of :data:`verify.claims.CLAIMS` (plus its known answers in a
test, as here): ``spurious check``'s choices, :func:`verify.decide` and the routes read the record; no other module
of verify/ changes (CONTRIBUTING.md, "Add a claim").

The claim registered here, "every saddle is strict" (no non-strict saddle; local minima that are not global do not
refute it), routed theorem → witness → numeric: refuted by the witness route on ½(w₃w₂w₁ − 1)² (the origin is a
non-strict saddle, Kawaguchi 2016), numeric evidence on ½(w − 1)², and the checker's theorem table (which knows
only its fixed claims) declines it with a reason.
"""

from __future__ import annotations

import json

import pytest

from verify.claims import CLAIMS, Claim
from verify.problems import DeepLinear
from verify.run.check import decide
from verify.run.routes import ROUTES
from verify.verdict import PointClass, Status, Trust

NEW = Claim("every-saddle-strict", "every saddle has a negative Hessian eigenvalue",
            frozenset({PointClass.NON_STRICT_SADDLE}), ("theorem", "witness", "numeric"))


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setitem(CLAIMS, NEW.name, NEW)
    return NEW


def scalar(depth: int) -> DeepLinear:
    return DeepLinear.from_dict({"widths": [1] * (depth + 1), "X": [[1]], "Y": [[1]]})


def test_every_route_a_claim_names_is_registered():
    for claim in CLAIMS.values():
        assert set(claim.routes) <= set(ROUTES), claim.name


def test_registered_claim_refuted_by_the_witness_route(registered):
    r = decide(scalar(3), registered.name, backend="exact", timeout=30)
    assert (r.claim, r.status, r.trust) == (registered.name, Status.REFUTED, Trust.KERNEL)
    assert r.backend == "witness (tried after the theorem route; exact chosen by exact)"
    assert r.witness["class"] == PointClass.NON_STRICT_SADDLE.value
    assert "(theorem route: " in r.reason   # the theorem route declined and said why


def test_registered_claim_by_its_record_on_the_numeric_route(registered):
    r = decide(scalar(1), registered, backend="numeric", timeout=60, starts=8)
    assert (r.claim, r.status, r.trust) == (registered.name, Status.EVIDENCE, Trust.NUMERIC), r.reason
    assert r.backend.startswith("numeric (chosen by numeric")


def test_registered_claim_without_a_route_for_the_backend(registered):
    """``exact`` is not among its routes: unknown with that reason, after the earlier routes said theirs."""
    r = decide(scalar(1), registered, backend="exact", timeout=30)
    assert r.status is Status.UNKNOWN
    assert r.reason.startswith("no exact route decides 'every-saddle-strict' in this build (routes: theorem, "
                               "witness, numeric) (theorem route: ")


def test_registered_claim_in_the_cli(registered, tmp_path, capsys):
    from verify.cli import main

    problem = tmp_path / "p.toml"
    problem.write_text('kind = "deep-linear"\nwidths = [1, 1, 1, 1]\nX = [[1]]\nY = [[1]]\n')
    assert main(["check", str(problem), "--claim", registered.name, "--backend", "exact", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["claim"], out["status"], out["trust"]) == (registered.name, "refuted", "kernel")


def test_results_are_immutable():
    r = decide(scalar(3), "strict-saddle", backend="exact", timeout=30)
    with pytest.raises(AttributeError):
        r.reason = "changed"
    with pytest.raises(TypeError):
        r.extra["x"] = 1
    assert isinstance(r.solvers, tuple)


@pytest.mark.parametrize("timeout", [None, 0, -1.0, float("inf"), float("nan"), True, "60"])
def test_decide_needs_a_positive_timeout(timeout):
    """Every route's limit is what is left of the call's ``timeout``: no limit at all is not an option."""
    from verify.errors import InputError

    with pytest.raises(InputError, match="timeout"):
        decide(scalar(1), "strict-saddle", timeout=timeout)


def test_results_pickle_whole():
    import pickle

    r = decide(scalar(3), "strict-saddle", backend="exact", timeout=30)
    again = pickle.loads(pickle.dumps(r))
    assert again == r and isinstance(again.solvers, tuple)
    with pytest.raises(TypeError):
        again.extra["x"] = 1
