"""Losses beyond the square loss on deep linear nets (Lu & Kawaguchi 2017, "Depth creates no bad local minima";
Laurent & von Brecht 2018): the convex power-4, logistic and cross-entropy losses without a narrow hidden layer are
proved benign by the theorem route; a non-convex loss keeps its shallow problem's spurious minimum at every
factorisation (``spurious-product-min``, kernel-checked) and, on scalar layers, adds none (``scalar-product-open``)."""

import json
import pathlib
import subprocess
import sys
from fractions import Fraction as F

from hypothesis import given, settings
from hypothesis import strategies as st

import proofs
from verify import DeepLinear, Status, Trust
from verify.certify import emit_checked, spurious_certificate
from verify.exact.classify import classify
from verify.problems import load_problem
from verify.problems.losses import Loss
from verify.run.check import decide
from verify.verdict import PointClass

ROOT = pathlib.Path(__file__).resolve().parents[2]
TWO_WELLS = load_problem(ROOT / "examples" / "two-wells.toml")
PHI = {"poly": ["7/3", 2, -2, "-2/3", 1]}       # φ = (t + 1)²(t² − 8t/3 + 7/3): minima φ(−1) = 0, φ(1) = 8/3
I2 = ((F(1), F(0)), (F(0), F(1)))
Z2 = ((F(0), F(0)), (F(0), F(0)))
DATA = {"X": ((F(1), F(0), F(1)), (F(0), F(1), F(1))), "Y": ((F(1), F(2), F(0)), (F(0), F(1), F(-1)))}


def deep(widths, loss, **data):
    data = data or DATA
    return DeepLinear(widths=widths, loss=Loss.from_value(loss), **data)


def by_theorem(r, theorem):
    assert (r.status, r.trust) == (Status.PROVED, Trust.THEOREM), r.reason
    check = proofs.check_certificate(r.certificate)
    assert check.verified and theorem in json.dumps(r.certificate["claim"]), check.reason


def test_power4_without_bottleneck_proved_by_laurent_von_brecht():
    p = deep((2, 2, 2), {"power": 4})
    for claim in ("no-spurious-local-min", "depth-adds-no-bad-minima"):
        by_theorem(decide(p, claim, timeout=20), "laurent-von-brecht-2018")
    by_theorem(decide(deep((2, 3, 2, 2), {"power": 6}), "no-spurious-local-min", timeout=20),
               "laurent-von-brecht-2018")


def test_logistic_and_cross_entropy_without_bottleneck_proved():
    Y = ((F(1), F(-1), F(1)), (F(-1), F(-1), F(1)))
    by_theorem(decide(deep((2, 2, 2), "logistic", X=DATA["X"], Y=Y), "no-spurious-local-min", timeout=20),
               "laurent-von-brecht-2018")
    Yc = ((F(1), F(0), F(1, 2)), (F(0), F(1), F(1, 2)))
    by_theorem(decide(deep((2, 3, 2), "cross-entropy", X=DATA["X"], Y=Yc), "depth-adds-no-bad-minima", timeout=20),
               "laurent-von-brecht-2018")


def test_theorem_hypotheses_named_when_they_fail():
    r = decide(deep((2, 1, 2), {"power": 4}), "depth-adds-no-bad-minima", backend="exact", timeout=20, starts=20)
    assert r.status is not Status.PROVED and "hidden width d_1 = 1 < 2" in r.reason, r.reason
    r = decide(deep((2, 2, 2), PHI), "depth-adds-no-bad-minima", backend="exact", timeout=20, starts=20)
    assert r.status is not Status.PROVED and "a convex loss fails" in r.reason and "every width is 1" in r.reason


def test_two_wells_keeps_the_shallow_spurious_minimum_and_adds_none():
    p = TWO_WELLS
    r = decide(p, "no-spurious-local-min", timeout=60)
    assert (r.status, r.trust) == (Status.REFUTED, Trust.KERNEL), r.reason
    assert r.certificate["claim"]["kind"] == "spurious-product-min"
    assert proofs.check_certificate(r.certificate).verified
    w = [F(x) for x in r.witness["point"]]
    assert w[0] * w[1] * w[2] == 1 and F(r.witness["loss"]) == F(8, 3)
    by_theorem(decide(p, "depth-adds-no-bad-minima", timeout=20), "scalar-product-open")
    reg = DeepLinear(widths=p.widths, X=p.X, Y=p.Y, loss=p.loss, reg=F(1, 10))
    r = decide(reg, "depth-adds-no-bad-minima", timeout=20, starts=20)
    assert r.status is not Status.PROVED and "Λ = 0" in r.reason


def test_two_wells_points_classified_through_the_product():
    p = TWO_WELLS
    for point, want in (((2, F(1, 2), 1), PointClass.LOCAL_MIN), ((1, 1, -1), PointClass.GLOBAL_MIN),
                        ((0, 0, 0), PointClass.NON_STRICT_SADDLE)):
        c = classify(p, [F(x) for x in point])
        assert c.cls is want, c.reason
    c = classify(p, [F(2), F(1, 2), F(1)])
    assert "product_min" in c.details and c.inertia == (0, 2, 1)   # H(θ) singular: no plain local-min certificate
    cert, _ = spurious_certificate(p, [F(2), F(1, 2), F(1)], c, [F(1), F(1), F(-1)])
    assert cert is not None and cert["body"]["kind"] == "spurious-product-min"


SIGNS = st.lists(st.sampled_from([F(1), F(-1)]), min_size=4, max_size=4).filter(lambda s: F(1) in s)
ENTRY = st.fractions(min_value=-2, max_value=2, max_denominator=3)


@settings(deadline=None)
@given(SIGNS, st.lists(ENTRY, min_size=4, max_size=4).filter(lambda g: g[0] * g[3] != g[1] * g[2]))
def test_every_factorisation_of_a_spurious_shallow_minimum_is_certified(signs, g):
    """ℓ = Σ φ(E_ij) on 2-2-2 with X = I, Y = 0: R0 with entries ±1 (not all −1) is a spurious minimum of the
    shallow problem; (W1, W2) = (G, R0 G⁻¹) for any invertible G is a certified spurious local minimum."""
    p = DeepLinear(widths=(2, 2, 2), X=I2, Y=Z2, loss=Loss.from_value(PHI))
    a, b, c, d = g
    det = a * d - b * c
    Gi = (d / det, -b / det, -c / det, a / det)
    R0 = signs
    W2 = (R0[0] * Gi[0] + R0[1] * Gi[2], R0[0] * Gi[1] + R0[1] * Gi[3],
          R0[2] * Gi[0] + R0[3] * Gi[2], R0[2] * Gi[1] + R0[3] * Gi[3])
    point = [a, b, c, d, *W2]
    assert p.product(point) == tuple(R0)
    cls = classify(p, point)
    assert cls.cls is PointClass.LOCAL_MIN, cls.reason
    cert, note = spurious_certificate(p, point, cls, [F(1), F(0), F(0), F(1), F(-1), F(-1), F(-1), F(-1)])
    assert cert is not None, note
    assert cert["body"]["kind"] in ("spurious-product-min", "spurious-local-min", "spurious-morse-bott-min")
    plain, _ = emit_checked(p, point, cls)
    assert proofs.check_certificate(plain).verified


def test_cli_shallow_and_check(tmp_path):
    point = tmp_path / "p.json"
    point.write_text('{"params": [2, "1/2", 1]}')

    def run(*argv):
        proc = subprocess.run([sys.executable, "-m", "verify.cli", *map(str, argv)], capture_output=True, text=True,
                              timeout=120)
        return proc.returncode, proc.stdout

    code, out = run("shallow", ROOT / "examples" / "two-wells.toml", "--point", point, "--out", tmp_path / "s.toml",
                    "--json")
    obj = json.loads(out)
    assert code == 0 and obj["rank_bound"] == 1 and obj["bottleneck"] is False and obj["convex"] is False
    assert obj["point"]["R"] == ["1"] and obj["point"]["deep"]["class"] == "local-min"
    assert obj["point"]["shallow"]["class"] == "local-min"
    assert load_problem(tmp_path / "s.toml").widths == (1, 1)
    code, out = run("check", ROOT / "examples" / "two-wells.toml", "--claim", "depth-adds-no-bad-minima", "--json")
    assert code == 0 and json.loads(out)["status"] == "proved" and json.loads(out)["trust"] == "theorem"
    code, out = run("shallow", ROOT / "examples" / "poly.toml", "--json")
    assert code == 2 and json.loads(out)["error"]["field"] == "problem"


def test_shallow_route_under_a_bottleneck_maps_every_minimum():
    """Power 4 on widths [2, 1, 2] (no theorem applies): the deep minima's products are minima of the rank-1
    problem, read on the factorisation; a deep saddle's product is not one, and a rank-0 product is undecided."""
    from numeric.shallow import ShallowStatus, shallow_check

    p = deep((2, 1, 2), {"power": 4}, X=I2, Y=((F(2), F(0)), (F(0), F(1))))
    r = decide(p, "depth-adds-no-bad-minima", timeout=60, starts=60)
    assert (r.status, r.trust) == (Status.EVIDENCE, Trust.NUMERIC), r.reason
    assert r.extra["products"]["local-min"] == r.extra["deep_minima"]["distinct"] >= 1
    # W1 = (0, 1), W2 = (0, 1)ᵀ: R = e2 e2ᵀ fits y_22 and leaves E_11 = −2; tilting both factors towards e1 lowers
    # Σ E⁴/4 at second order: a saddle of the rank-1 problem (and of the deep one)
    saddle = shallow_check(p, [0.0, 1.0, 0.0, 1.0])
    assert saddle.status is ShallowStatus.NOT_LOCAL_MIN and saddle.cls is PointClass.STRICT_SADDLE, saddle.reason
    assert shallow_check(p, [0.0, 0.0, 0.0, 0.0]).status is ShallowStatus.UNDECIDED


def test_sweep_loss_axis_fits_the_labels():
    from verify.problems import problem_from_dict
    from verify.run.sweep import parse_conjecture

    conj = parse_conjecture({"claim": "no-spurious-local-min", "family": {
        "kind": "deep-linear", "depth": 2, "width": 2, "dx": 2, "dy": 3, "samples": 4, "seeds": 3,
        "loss": [{"power": 4}, "logistic", "cross-entropy"]}})
    assert len(conj.instances) == 9 and "loss" in conj.axes
    for params, problem in conj.instances:
        prob = problem_from_dict(problem)
        if params["loss"] == "logistic":
            assert {y for row in problem["Y"] for y in row} <= {1, -1}
        if params["loss"] == "cross-entropy":
            assert all(sorted(col) == [0, 0, 1] for col in zip(*problem["Y"]))
        assert prob.loss.to_json() == params["loss"]
