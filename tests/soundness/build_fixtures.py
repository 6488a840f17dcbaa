"""Regenerate the stored certificates: proofs/library/*.json, tests/soundness/forged/*, data/pool.json.

    .venv/bin/python tests/soundness/build_fixtures.py [--pool]

The builders use sympy / mpmath (test side); the stored files are what `make test` re-checks with proofs/.
"""

import copy
import json
import pathlib
import sys
from fractions import Fraction

import mpmath as mp
import sympy as sp

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]

from certlib import (  # noqa: E402
    DEEP_121,
    FLIP_UNITS_121,
    POLY_NET_REG,
    attestation_cert,
    build_pool,
    cert_for_point,
    dead_unit_family,
    landscape_cert,
    make_cert,
    morse_bott_cert,
    qm,
    rank_dual_cert,
    rescaling_family,
    theorem_cert,
)

from proofs import problem_hash  # noqa: E402

LIB = ROOT / "proofs" / "library"
FORGED = HERE / "forged"

DEEP2 = {"kind": "deep-linear", "widths": [1, 1, 1], "X": [[1]], "Y": [[1]], "reg": 0}
DEEP3 = {"kind": "deep-linear", "widths": [1, 1, 1, 1], "X": [[1]], "Y": [[1]], "reg": 0}
SQUARE = {"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": [0, 0, 1]}, "X": [[1, 2]],
          "Y": [[1, 4]], "train_output": False, "output": [[1]], "reg": 0}
SPUR = {"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": ["-1/4", "-1", "3/4"]},
        "X": [["1", "2"]], "Y": [["11/2", "0"]], "train_output": False, "output": [["1"]], "reg": 0}
TEACHER = {"kind": "relu-teacher", "k": 1, "n": 2, "teacher": [[1, 0], [0, 1]]}
I3 = [["1", "0", "0"], ["0", "1", "0"], ["0", "0", "1"]]
KAW = {"kind": "deep-linear", "widths": [2, 1, 2], "X": [["1", "0"], ["0", "1"]], "Y": [["2", "0"], ["0", "1"]],
       "reg": "0"}
DEAD = {"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": ["0", "0", "1"]}, "X": [["1"]], "Y": [["1"]],
        "train_output": True, "output": None, "reg": "0"}
VALLEY = {"kind": "two-layer", "n": 2, "width": 1, "activation": {"poly": ["0", "0", "1"]},
          "X": [["1", "0"], ["0", "1"]], "Y": [["1", "-2"]], "train_output": True, "output": None, "reg": "0"}


def rank_dual_2x2():
    Q = sp.Matrix([[sp.Rational(3, 5), -sp.Rational(4, 5)], [sp.Rational(4, 5), sp.Rational(3, 5)]])
    Qp = sp.Matrix([[sp.Rational(5, 13), -sp.Rational(12, 13)], [sp.Rational(12, 13), sp.Rational(5, 13)]])
    Y = Q * sp.diag(3, 1) * Qp.T
    prob = {"kind": "deep-linear", "widths": [2, 1, 2], "X": [["1", "0"], ["0", "1"]], "Y": qm(Y.tolist()),
            "reg": 0}
    return rank_dual_cert(prob)


def relu_teacher_min():
    """k=1 student, teacher I_2: the critical point on the diagonal, polished by mpmath Newton (50 digits)."""
    mp.mp.dps = 50

    def g(u, w):
        nu, nw = mp.norm(u), mp.norm(w)
        th = mp.acos(max(-1, min(1, mp.fdot(u, w) / (nu * nw))))
        return nu * nw * (mp.sin(th) + (mp.pi - th) * mp.cos(th)) / (2 * mp.pi)

    def L(a, b):
        w = [a, b]
        return (g(w, w) - 2 * g(w, [1, 0]) - 2 * g(w, [0, 1])) / 2

    sol = mp.findroot(lambda a, b: [mp.diff(L, (a, b), (1, 0)), mp.diff(L, (a, b), (0, 1))], (0.7, 0.7))
    H = mp.matrix([[mp.diff(L, tuple(sol), (2, 0)), mp.diff(L, tuple(sol), (1, 1))],
                   [mp.diff(L, tuple(sol), (1, 1)), mp.diff(L, tuple(sol), (0, 2))]])
    Yi = H**-1
    fr = lambda x: str(Fraction(mp.nstr(x, 40)).limit_denominator(10**30))  # noqa: E731
    claim = {"kind": "isolated-critical-point", "centre": [fr(sol[0]), fr(sol[1])],
             "radius": ["1/1000000", "1/1000000"], "minimum": True}
    body = {"kind": "isolated-critical-point", "preconditioner": [[fr(Yi[i, j]) for j in range(2)] for i in range(2)],
            "congruence": [["1", "0"], ["0", "1"]]}
    return make_cert(TEACHER, claim, body)


def library():
    meta = lambda s: {"source": s}  # noqa: E731
    return {
        "kawaguchi-depth2-origin-strict-saddle": make_cert(
            DEEP2, {"kind": "strict-saddle", "point": ["0", "0"], "loss": "1/2"},
            {"kind": "strict-saddle", "direction": ["1", "1"], "ascent": {"direction": ["1", "-1"]}},
            meta("Kawaguchi 2016: one hidden layer, every saddle is strict. H = [[0,-1],[-1,0]]")),
        "kawaguchi-depth3-origin-non-strict-saddle": make_cert(
            DEEP3, {"kind": "non-strict-saddle", "point": ["0", "0", "0"], "loss": "1/2"},
            {"kind": "non-strict-saddle", "congruence": I3, "descent_curve": [["1", "1", "1"]]},
            meta("Kawaguchi 2016: with two hidden layers the origin is a saddle with H = 0; "
                 "L(t,t,t) - L(0) = t^6/2 - t^3")),
        "deep3-scalar-global-min": make_cert(
            DEEP3, {"kind": "global-min", "point": ["1", "1", "1"], "loss": "0"},
            {"kind": "global-min", "route": "zero-loss"}, meta("loss 0 and no regularisation")),
        "deep-linear-2x1x2-rank-dual-global-min": rank_dual_2x2(),
        "poly-net-square-local-min": cert_for_point(SQUARE, [1]),
        "poly-net-square-isolated-min": make_cert(
            SQUARE, {"kind": "isolated-critical-point", "centre": ["101/100"], "radius": ["1/10"], "minimum": True},
            {"kind": "isolated-critical-point", "preconditioner": [["1/68"]], "congruence": [["1"]]},
            meta("L(w) = 17/2 (w^2 - 1)^2: unique critical point in [0.91, 1.11], L'' > 0 there")),
        "poly-net-spurious-local-min": make_cert(
            SPUR, {"kind": "spurious-local-min", "point": ["1"], "loss": "585/32"},
            {"kind": "spurious-local-min", "congruence": [["1"]], "witness": ["-1/2"]},
            meta("sigma(t) = 3/4 t^2 - t - 1/4, one hidden unit: w = 1 is a strict local min, L(-1/2) is lower")),
        "relu-teacher-k1-n2-isolated-min": relu_teacher_min(),
        "kawaguchi-2x1x2-theorem-instance": theorem_cert(
            KAW, "kawaguchi-2016-theorem-2.3", "no-spurious-local-min", hint=True,
            meta=meta("Kawaguchi 2016, Theorem 2.3: X = I, Y = diag(2, 1), Σ = diag(4, 1) with distinct eigenvalues "
                      "(χ_Σ = t^2 - 5t + 4), d_y = d_x = 2, a width-1 bottleneck: every local minimum is global")),
        "poly-net-square-dead-unit-spurious-morse-bott-min": morse_bott_cert(
            DEAD, ["0", "-1"], dead_unit_family(DEAD, ["0", "-1"], 0), ["1", "1"],
            meta=meta("sigma(t) = t^2, L(w, u) = (u w^2 - 1)^2 / 2: the dead unit w = 0 with u < 0 is a line of local "
                      "minima (H = diag(-2u, 0), null direction du), L = 1/2 > L(1, 1) = 0")),
        "poly-net-square-rescaling-valley": morse_bott_cert(
            VALLEY, ["1", "0", "1"], rescaling_family(VALLEY, ["1", "0", "1"], [0], 2), ["0", "1", "-2"],
            valley=True,
            meta=meta("sigma(t) = t^2 on R^2, width 1 (below n(n+1)/2 = 3), x = e1, e2, y = (1, -2): (w, u) = "
                      "((1, 0), 1) fits e1 only, L = 2, a local minimum up to the rescaling (c w, u / c^2) (H = "
                      "[[4,0,2],[0,4,0],[2,0,1]], null direction (1, 0, -2)); ((0, 1), -2) has L = 1/2: a spurious "
                      "valley")),
        "deep-linear-1x2x1-complete-landscape": landscape_cert(
            DEEP_121, "no-spurious-local-min", "cofactors", symmetries=FLIP_UNITS_121,
            meta=meta("L = 1/2 (b1 a1 + b2 a2 - 2)^2 + (a1^2/3 + a2^2/5 + b1^2/4 + b2^2/7)/2: 9 complex critical "
                      "points, 5 real -- the two minima use the cheaper hidden unit and are swapped by its sign flip, "
                      "the other unit's pair and the origin are saddles; coercive, so every local minimum is global")),
        "poly-net-regularised-complete-landscape-count": landscape_cert(
            POLY_NET_REG, "count",
            meta=meta("sigma(t) = t^2 + t/2, X = [[1, 2]], Y = [[1, 3]], W and U trained, Lambda = (1/5, 1/3): 9 "
                      "complex "
                      "critical points, 5 real: 3 strict local minima at three different levels (two spurious) and 2 "
                      "saddles; count only -- no-spurious-local-min is false here")),
    }


def forged(lib):
    """AddFalse-style forgeries: (name, certificate or raw text, expected outcome, reason substring)."""
    s2 = lib["kawaguchi-depth2-origin-strict-saddle"]
    ns3 = lib["kawaguchi-depth3-origin-non-strict-saddle"]
    lm = lib["poly-net-square-local-min"]
    box = lib["poly-net-square-isolated-min"]
    rd = lib["deep-linear-2x1x2-rank-dual-global-min"]
    sp_ = lib["poly-net-spurious-local-min"]
    out = []

    def edit(name, base, outcome, reason, f):
        c = copy.deepcopy(base)
        f(c)
        out.append((name, c, outcome, reason))

    def rehash(c):
        c["problem_sha256"] = problem_hash(c["problem"])

    edit("strict-saddle-positive-direction", s2, "rejected", "strict-saddle: vᵀHv = 2 is not < 0",
         lambda c: c["body"].update(direction=["1", "-1"]))
    edit("local-min-claim-on-saddle-body", s2, "rejected", "the claim says 'local-min' but the body proves",
         lambda c: c["claim"].update(kind="local-min"))
    edit("local-min-from-zero-hessian", ns3, "rejected", "has a diagonal entry 0 <= 0",
         lambda c: (c["claim"].update(kind="local-min"), c["body"].pop("descent_curve"),
                    c["body"].update(kind="local-min")))
    edit("critical-point-not-critical", s2, "rejected", "gradient: ∂L/∂θ[1] = -1 is not 0",
         lambda c: (c["claim"].update(kind="critical-point", point=["1", "0"], loss="1/2"),
                    c.update(body={"kind": "critical-point"})))
    edit("problem-swapped-hash-stale", s2, "rejected", "problem_sha256",
         lambda c: c["problem"].update(Y=[["2"]]))
    edit("problem-swapped-hash-updated", lm, "rejected", "gradient",
         lambda c: (c["problem"].update(Y=[["1", "5"]]), rehash(c), c["claim"].pop("loss")))
    edit("psd-by-singular-congruence", ns3, "rejected", "M is singular",
         lambda c: c["body"].update(congruence=[["1", "0", "0"], ["1", "0", "0"], ["0", "0", "1"]]))
    edit("non-strict-claim-at-strict-saddle", s2, "rejected", "(M H Mᵀ)[0][1] = -1 is not 0",
         lambda c: (c["claim"].update(kind="non-strict-saddle"),
                    c.update(body={"kind": "non-strict-saddle", "congruence": [["1", "0"], ["0", "1"]],
                                   "descent_curve": [["1", "1"]]})))
    edit("descent-curve-that-ascends", ns3, "rejected", "descent: leading term (1/2) t^2 is not negative",
         lambda c: (c["claim"].update(point=["1", "1", "1"], loss="0"),
                    c["body"].update(congruence=[["1", "0", "0"], ["-1", "1", "0"], ["-1", "0", "1"]],
                                     descent_curve=[["1", "0", "0"]])))
    edit("global-min-nonzero-loss", s2, "rejected", "zero-loss: L(point) = 1/2 is not 0",
         lambda c: (c["claim"].update(kind="global-min"), c.update(body={"kind": "global-min", "route": "zero-loss"})))
    edit("global-min-negative-reg", s2, "rejected", "some regularisation weight is negative",
         lambda c: (c["problem"].update(reg="-1"), rehash(c), c["claim"].update(kind="global-min", point=["1", "1"]),
                    c["claim"].pop("loss"), c.update(body={"kind": "global-min", "route": "zero-loss"})))
    edit("rank-dual-dual-infeasible", rd, "rejected", "rank-dual (Z + μI − A ⪰ 0): diagonal entry -9 < 0",
         lambda c: c["body"].update(mu="0", Z=[["0", "0"], ["0", "0"]], Z_congruence=[["1", "0"], ["0", "1"]],
                                    gap_congruence=[["3/5", "4/5"], ["-4/5", "3/5"]]))
    edit("rank-dual-at-non-minimum", rd, "rejected", "is not <= ‖Y‖² − 2L(point)",
         lambda c: (c["claim"].update(point=["0"] * 4), c["claim"].pop("loss")))
    edit("spurious-witness-higher", sp_, "rejected", "witness: L(witness) = ",
         lambda c: c["body"].update(witness=["3/2"]))
    edit("box-too-large-two-minima", box, "rejected", "krawczyk: K(X)[0]",
         lambda c: c["claim"].update(centre=["0"], radius=["2"]))
    edit("isolated-min-at-local-max", box, "rejected", "box-pd: row 0",
         lambda c: (c["claim"].update(centre=["0"], radius=["1/10"]),
                    c["body"].update(preconditioner=[["-1/34"]])))
    edit("relu-kink", lm, "rejected", "relu: a pre-activation (W X)_ij is exactly 0",
         lambda c: (c["problem"].update(activation="relu"), rehash(c), c["claim"].update(point=["0"]),
                    c["claim"].pop("loss")))
    edit("relu-teacher-exact-claim", s2, "rejected", "only ball (box) claims are supported",
         lambda c: (c.update(problem=TEACHER), rehash(c), c["claim"].pop("loss")))
    edit("sublevel-path-reserved", s2, "rejected", "claim: the claim says 'sublevel-path' but the body proves",
         lambda c: c["claim"].update(kind="sublevel-path"))
    edit("claimed-loss-wrong", s2, "rejected", "loss: L(point) = 1/2, not the claimed 0",
         lambda c: c["claim"].update(loss="0"))
    edit("strict-saddle-at-local-max", s2, "rejected", "ascent: the witness does not ascend",
         lambda c: (c.update(problem={"kind": "deep-linear", "widths": [1, 1], "X": [[0]], "Y": [[0]], "reg": "-1"}),
                    rehash(c), c["claim"].update(point=["0"], loss="0"),
                    c["body"].update(direction=["1"], ascent={"direction": ["1"]})))
    att = attestation_cert(DEEP2)
    edit("solver-answers-disagree", att, "rejected", "cvc5 1.1.2 answered 'sat', expected 'unsat'",
         lambda c: c["body"]["solvers"][1].update(answer="sat"))
    edit("attestation-assert-false", att, "rejected", "query script 0 does not start with (set-logic QF_NRA)",
         lambda c: c["body"]["query"].update(text="(assert false)\n(check-sat)\n"))
    edit("attestation-free-statement", att, "rejected", "is not one of the fixed attestation statements",
         lambda c: c["claim"].update(statement="every local minimum is global (kernel-checked)"))
    edit("attestation-missing-gradient-equation", att, "rejected", "equation 1 of 2 missing",
         lambda c: c["body"]["query"].update(text="\n".join(
             line for line in c["body"]["query"]["text"].split("\n") if "W1_0_0 W1_0_0 W2_0_0" not in line)))
    edit("attestation-expects-sat", att, "rejected", "is proved by 'unsat', not 'sat'",
         lambda c: (c["body"].update(expected="sat"), [s.update(answer="sat") for s in c["body"]["solvers"]]))
    edit("relu-teacher-box-at-kink", lib["relu-teacher-k1-n2-isolated-min"], "rejected", "relu-teacher:",
         lambda c: c["claim"].update(centre=["1", "0"], radius=["1/10", "1/10"]))
    # malformed
    edit("float-coordinate", s2, "malformed", "float", lambda c: None)
    out[-1] = (out[-1][0], json.dumps(s2).replace('"point": ["0", "0"]', '"point": [0.0, 0]'), "malformed", "float")
    out.append(("nan-coordinate", json.dumps(s2).replace('"point": ["0", "0"]', '"point": [NaN, 0]'),
                "malformed", "NaN is not allowed"))
    out.append(("duplicate-key", json.dumps(s2).replace('"version": 1', '"version": 1, "version": 1'),
                "malformed", "duplicate key 'version'"))
    edit("version-2", s2, "malformed", "version 2 is not supported", lambda c: c.update(version=2))
    edit("unknown-claim-kind", s2, "malformed", "unknown claim kind 'global-minimum'",
         lambda c: c["claim"].update(kind="global-minimum"))
    edit("unreduced-rational", s2, "malformed", "'2/4' is not in canonical form",
         lambda c: c["body"].update(direction=["2/4", "1"]))
    edit("too-many-params", s2, "malformed", "402 parameters exceed the limit of 400",
         lambda c: (c["problem"].update(widths=[1, 201, 1]), rehash(c)))
    out.append(("deep-nesting", "[" * 100_000, "malformed", "nesting deeper than 20"))
    out.append(("huge-integer", json.dumps(s2).replace('"loss": "1/2"', '"loss": ' + "7" * 10_000),
                "malformed", "digits exceeds the limit"))
    edit("wrong-type-point", s2, "malformed", "claim.point: expected a list",
         lambda c: c["claim"].update(point={"0": 0}))
    edit("missing-body-field", s2, "malformed", "body: missing field 'ascent'", lambda c: c["body"].pop("ascent"))
    edit("shape-mismatch", s2, "malformed", "problem.Y: expected 1 rows", lambda c: c["problem"].update(Y=[[1], [1]]))
    return out


def main():
    LIB.mkdir(exist_ok=True)
    FORGED.mkdir(exist_ok=True)
    lib = library()
    for name, c in lib.items():
        (LIB / f"{name}.json").write_text(json.dumps(c, indent=1, ensure_ascii=False) + "\n")
    expected = {}
    for name, c, outcome, reason in forged(lib):
        text = c if isinstance(c, str) else json.dumps(c, indent=1, ensure_ascii=False)
        (FORGED / f"{name}.json").write_text(text + "\n")
        expected[f"{name}.json"] = {"outcome": outcome, "reason": reason}
    (FORGED / "EXPECTED.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    if "--pool" in sys.argv:
        (HERE / "data").mkdir(exist_ok=True)
        (HERE / "data" / "pool.json").write_text(json.dumps(build_pool()) + "\n")
    print(f"{len(lib)} library certificates, {len(expected)} forged")


if __name__ == "__main__":
    main()
