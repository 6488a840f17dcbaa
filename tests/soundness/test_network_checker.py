"""The checker reads ``kind = "network"`` (issue 24; FORMAT.md "Problem"): its loss against verify's ring loss and
against an independent mpmath forward pass (tanh, sigmoid, softplus over arb balls), point certificates for a
polynomial network with a bias (and tampered ones), Krawczyk boxes for a tanh network, malformed network problems."""

import copy
import random
from fractions import Fraction as F

import mpmath
import pytest
from certlib import make_cert

from proofs import MalformedCertificate, Outcome, check_certificate, problem_hash
from proofs.loss import Jet, loss, precision, to_arb
from proofs.reader import read_problem
from verify.problems.network import Network

mp = mpmath.mp


def _q(rng, lo=-2, hi=2):
    return F(rng.randint(lo * 4, hi * 4), rng.choice([1, 2, 4]))


def _mat(rng, r, c, **kw):
    return [[str(_q(rng, **kw)) for _ in range(c)] for _ in range(r)]


ACTS = ["identity", "relu", {"leaky_relu": "1/3"}, {"leaky_relu": "-2"}, {"poly": ["0", "1"]}, {"leaky_relu": "1"},
        {"poly": ["1", "-1", "1/2"]}, {"poly": ["0", "0", "1", "0"]}, {"poly": ["0", "-3", "0", "1"]}]


def random_network(rng, acts=ACTS, loss=True):
    """A small network file dict: 1–3 layers, widths 1–3, any of `acts` per hidden layer, random biases, fixed
    layers, Λ (scalar or per trained W_i), 1–3 samples, the square, mse or power-4 loss."""
    w = [rng.randint(1, 3) for _ in range(rng.randint(2, 4))]
    H, m = len(w) - 1, rng.randint(1, 3)
    bias = [rng.random() < 0.5 for _ in range(H)]
    train = [rng.random() < 0.75 for _ in range(H)]
    if not any(train) and not any(bias):
        train[0] = True
    d = {"kind": "network", "widths": w, "activation": [rng.choice(acts) for _ in range(H - 1)], "bias": bias,
         "X": _mat(rng, w[0], m), "Y": _mat(rng, w[-1], m)}
    if not all(train):
        d |= {"train": train, "weights": [_mat(rng, w[i + 1], w[i]) for i in range(H) if not train[i]]}
    if rng.random() < 0.5:
        d["reg"] = [_mat(rng, w[i + 1], w[i], lo=0) for i in range(H) if train[i]] if rng.random() < 0.5 else \
            str(_q(rng, lo=0))
    if loss and rng.random() < 0.3:
        d["loss"] = rng.choice(["mse", {"power": 4}])
    return d


def test_checker_loss_equals_verify_ring_loss():
    """proofs.loss over exact rationals = verify's Network.ring_loss (its own forward pass and regulariser) on random
    networks with identity, poly, relu and leaky-relu activations and biases, at kinks too (σ(0) = 0 either side)."""
    rng, kinks = random.Random(2024), 0
    for _ in range(300):
        net = Network.from_dict(random_network(rng))
        point = [_q(rng) for _ in range(net.n_params)]
        kinks += net.activation_pattern(point) is None
        want = net.ring_loss(net.unflatten(point), F, F(0), net.activation_pattern(point, at_kinks=True))
        assert loss(read_problem(net.to_json()), point) == want, net.to_json()
    assert kinks >= 30   # the σ(0) = 0 convention is exercised


def test_kink_value_exact_but_no_derivatives():
    """σ(0) = 0 for relu and leaky relu: the VALUE at a kink is L's; a gradient there is refused (step 'relu')."""
    P = read_problem({"kind": "network", "widths": [1, 1, 1], "activation": [{"leaky_relu": "1/2"}],
                      "bias": [True, False], "X": [[1]], "Y": [[1]]})
    assert loss(P, [1, -1, 5]) == F(1, 2)      # pre-activation 1·1 − 1 = 0: ½(5·0 − 1)²
    assert loss(P, [1, -2, 4]) == F(9, 2)      # pre-activation −1: ½(4·(−1/2) − 1)²
    cert = make_cert(P_json := {"kind": "network", "widths": [1, 1, 1], "activation": ["relu"], "bias": [True, False],
                                "X": [[1]], "Y": [[1]], "reg": 0},
                     {"kind": "critical-point", "point": [1, -1, 0]}, {"kind": "critical-point"})
    r = check_certificate(cert)
    assert r.outcome is Outcome.REJECTED and r.reason.startswith("relu: a pre-activation"), (r, P_json)


# --------------------------------------------------------------------------- tanh, sigmoid, softplus over balls
def _mp_loss(d, x):
    """½‖W_H σ(⋯) + b_H − Y‖² + ½Σ λ w² in mpmath, from the file dict (scalar reg), independently of proofs/."""
    sig = {"tanh": mpmath.tanh, "sigmoid": lambda z: 1 / (1 + mpmath.exp(-z)), "softplus": lambda z: mpmath.log1p(
        mpmath.exp(z))}
    val = lambda s: mpmath.mpf(F(s).numerator) / F(s).denominator  # noqa: E731
    w, k, A = d["widths"], 0, [[val(v) for v in row] for row in d["X"]]
    reg = 0
    for i in range(len(w) - 1):
        W = [[x[k + r * w[i] + c] for c in range(w[i])] for r in range(w[i + 1])]
        k += w[i + 1] * w[i]
        reg += sum(v * v for row in W for v in row) * val(d.get("reg", 0))
        A = [[sum(W[r][c] * A[c][j] for c in range(w[i])) for j in range(len(A[0]))] for r in range(w[i + 1])]
        if d["bias"][i]:
            A = [[a + x[k + r] for a in row] for r, row in enumerate(A)]
            k += w[i + 1]
        if i < len(w) - 2:
            A = [[sig[d["activation"][i]](a) for a in row] for row in A]
    return (sum((a - val(y)) ** 2 for row, yrow in zip(A, d["Y"]) for a, y in zip(row, yrow)) + reg) / 2


def _close(ball, ref, tol):
    """The arb ball is tight (radius < tol) and within tol of the mpmath reference (which is not rigorous)."""
    return float(ball.rad()) < tol and abs(mpmath.mpf(ball.mid().str(60, radius=False)) - ref) < tol


@pytest.mark.parametrize("seed", range(6))
def test_transcendental_activations_over_balls(seed):
    """L, ∇L and ∇²L of a tanh / sigmoid / softplus network with biases over arb (Jets, 256 bits) against mpmath's
    forward pass and its numerical derivatives (60 digits): the value and each derivative formula (f′, f″) checked."""
    rng = random.Random(seed)
    d = random_network(rng, acts=["tanh", "sigmoid", "softplus"], loss=False) | {"reg": str(_q(rng, lo=0))}
    d.pop("train", None), d.pop("weights", None)
    d["widths"] = [d["widths"][0], rng.randint(1, 2), rng.randint(1, 2)]
    d |= {"activation": [rng.choice(["tanh", "sigmoid", "softplus"])], "bias": [True, rng.random() < 0.5],
          "Y": _mat(rng, d["widths"][-1], len(d["X"][0]))}
    P = read_problem(d)
    x = [_q(rng) for _ in range(P.nparams)]
    mp.dps = 60
    f = lambda *t: _mp_loss(d, list(t))  # noqa: E731
    xm = [mpmath.mpf(v.numerator) / v.denominator for v in x]
    with precision(256):
        L = loss(P, [Jet(to_arb(F(v)), {i: 1}, {}) for i, v in enumerate(x)], to_arb)
        assert _close(loss(P, [to_arb(F(v)) for v in x], to_arb), f(*xm), mpmath.mpf(10) ** -50)
        assert _close(L.c, f(*xm), mpmath.mpf(10) ** -50)
        for i in range(len(x)):
            e = [int(k == i) for k in range(len(x))]
            assert _close(L.l[i], mpmath.diff(f, xm, e), mpmath.mpf(10) ** -30), ("gradient", i)
            for j in range(i, len(x)):
                e2 = [int(k == i) + int(k == j) for k in range(len(x))]
                want = mpmath.diff(f, xm, e2) / (2 if i == j else 1)   # the Jet holds ½H_ii δ_i² and H_ij δ_iδ_j
                assert _close(L.q.get((i, j), to_arb(F(0))), want, mpmath.mpf(10) ** -25), ("hessian", i, j)


def test_transcendental_exact_claims_rejected():
    d = {"kind": "network", "widths": [1, 1, 1], "activation": ["tanh"], "bias": [True, False], "X": [[1]],
         "Y": [[1]], "reg": 0}
    r = check_certificate(make_cert(d, {"kind": "critical-point", "point": [0, 0, 0]}, {"kind": "critical-point"}))
    assert r.outcome is Outcome.REJECTED and r.reason.startswith("tanh: a transcendental function"), r


# --------------------------------------------------------------------------- point certificates, biases
# L(w, b) = ½(σ(w + b) − 3)² + ½w², σ(t) = t³ − 3t, W_2 = 1 fixed: g(s) = ½(σ(s) − 3)² has g′ = (σ − 3)σ′, so
# s = ±1 (σ′ = 0) with w = 0 are critical; g″(−1) = (2 − 3)(−6) = 6 (a strict local minimum, L = ½; spurious:
# L(0, 21/10) = ½(−0.039)²), g″(1) = (−2 − 3)·6 = −30 (a strict saddle). H = g″·[[1, 1], [1, 1]] + [[1, 0], [0, 0]].
CUBIC = {"kind": "network", "widths": [1, 1, 1], "activation": [{"poly": ["0", "-3", "0", "1"]}],
         "bias": [True, False], "train": [True, False], "weights": [[["1"]]], "X": [["1"]], "Y": [["3"]],
         "reg": [[["1"]]]}
MIN, SADDLE = ["0", "-1"], ["0", "1"]
CERTS = {
    "critical-point": ({"kind": "critical-point", "point": SADDLE}, {"kind": "critical-point"}),
    "strict-saddle": ({"kind": "strict-saddle", "point": SADDLE, "loss": "25/2"},
                      {"kind": "strict-saddle", "direction": ["0", "1"], "ascent": {"direction": ["1", "-1"]}}),
    "local-min": ({"kind": "local-min", "point": MIN, "loss": "1/2"},
                  {"kind": "local-min", "congruence": [["1", "0"], ["-6/7", "1"]]}),
    "spurious-local-min": ({"kind": "spurious-local-min", "point": MIN},
                           {"kind": "spurious-local-min", "congruence": [["1", "0"], ["-6/7", "1"]],
                            "witness": ["0", "21/10"]}),
}


@pytest.mark.parametrize("kind", CERTS)
def test_polynomial_network_with_bias_certificates(kind):
    assert check_certificate(make_cert(CUBIC, *CERTS[kind])).verified


def _bias_on_output(p):
    p["bias"] = [False, True]


def _coefficient(p):
    p["activation"] = [{"poly": ["0", "-3", "0", "2"]}]


@pytest.mark.parametrize("kind", CERTS)
@pytest.mark.parametrize("tamper", ["bias", "point", "activation"])
def test_tampered_network_certificates_rejected(kind, tamper):
    problem, (claim, body) = copy.deepcopy(CUBIC), copy.deepcopy(CERTS[kind])
    if tamper == "bias":   # same parameter count (w, b_2): the point is read, and is no longer critical
        _bias_on_output(problem)
    elif tamper == "activation":
        _coefficient(problem)
    else:
        claim["point"] = ["0", "-999/1000"] if claim["point"] == MIN else ["0", "1001/1000"]
    r = check_certificate(make_cert(problem, claim, body))
    assert r.outcome is Outcome.REJECTED, r
    assert r.reason.startswith(("gradient", "loss")), r


def test_changed_problem_without_rehash_rejected():
    c = make_cert(CUBIC, *CERTS["local-min"])
    c["problem"]["bias"] = [False, True]
    r = check_certificate(c)
    assert r.outcome is Outcome.REJECTED and r.reason.startswith("problem_sha256"), r


# --------------------------------------------------------------------------- Krawczyk boxes, tanh
# L(w, b) = ½(tanh(w + b) − ½)² + ½w²: one critical point, w = 0, b = atanh(½) (irrational), a strict minimum with
# H = (9/16)[[1, 1], [1, 1]] + [[1, 0], [0, 0]], H⁻¹ = [[1, −1], [−1, 25/9]], M = [[1, 0], [−9/25, 1]].
TANH = {"kind": "network", "widths": [1, 1, 1], "activation": ["tanh"], "bias": [True, False],
        "train": [True, False], "weights": [[["1"]]], "X": [["1"]], "Y": [["1/2"]], "reg": [[["1"]]]}


def _atanh_half(shift=0):
    mp.dps = 50
    return str(F(str(mpmath.atanh(mpmath.mpf(1) / 2) + shift)).limit_denominator(10 ** 30))


def _box(kind, centre, minimum=True, witness=None):
    claim = {"kind": kind, "centre": centre, "radius": ["1/100000000000000000000"] * 2}
    body = {"kind": kind, "preconditioner": [["1", "-1"], ["-1", "25/9"]]}
    if minimum:
        body["congruence"] = [["1", "0"], ["-9/25", "1"]]
    if kind == "isolated-critical-point":
        claim["minimum"] = minimum
    if witness is not None:
        body["witness"] = witness
    return make_cert(TANH, claim, body)


@pytest.mark.parametrize("minimum", [True, False])
def test_tanh_box_holding_the_critical_point_accepted(minimum):
    assert check_certificate(_box("isolated-critical-point", ["0", _atanh_half()], minimum)).verified


@pytest.mark.parametrize("shift", [F(1, 100), F(-1, 10 ** 15)])
def test_tanh_box_without_a_critical_point_rejected(shift):
    r = check_certificate(_box("isolated-critical-point", ["0", _atanh_half(shift)]))
    assert r.outcome is Outcome.REJECTED and r.reason.startswith("krawczyk"), r


def test_tanh_global_minimum_is_not_spurious():
    """The box holds the global minimum (L = 0): a witness at the origin (L = 1/8) is not lower (step box-above)."""
    r = check_certificate(_box("spurious-isolated-min", ["0", _atanh_half()], witness=["0", "0"]))
    assert r.outcome is Outcome.REJECTED and r.reason.startswith("box-above"), r


# --------------------------------------------------------------------------- malformed network problems
BASE = {"kind": "network", "widths": [2, 2, 1], "activation": ["relu"], "bias": [True, False], "X": [[1], [0]],
        "Y": [[1]], "reg": 0}


@pytest.mark.parametrize("edit, field", [
    ({"bias": [True]}, "problem.bias"),
    ({"bias": [1, 0]}, "problem.bias"),
    ({"activation": ["swish"]}, "problem.activation[0]"),
    ({"activation": [{"gelu": 1}]}, "problem.activation[0]"),
    ({"activation": [{"leaky_relu": 0.5}]}, None),      # a float: refused by the strict JSON reader
    ({"activation": [{"leaky_relu": "1/2x"}]}, "problem.activation[0].leaky_relu"),
    ({"activation": [{"poly": []}]}, "problem.activation[0].poly"),
    ({"activation": []}, "problem.activation"),
    ({"widths": [2, -1, 1]}, "problem.widths[1]"),
    ({"widths": [2, True, 1]}, "problem.widths[1]"),
    ({"train": [True, False]}, "problem.weights"),
    ({"train": [True, "yes"]}, "problem.train"),
    ({"train": [True, False], "weights": [[["1", "2", "3"]]]}, "problem.weights[0]"),
    ({"train": [False, False], "weights": [[["1", "0"], ["0", "1"]], [["1", "1"]]], "bias": [False, False]},
     "problem"),
    ({"reg": [[["0", "0"], ["0", "0"]], [["0", "0"]], [["0"], ["0"]]]}, "problem.reg"),   # a Λ for b_1: refused
    ({"reg": [[["0", "0"], ["0", "0"]]]}, "problem.reg"),
    ({"Y": [[1], [2]]}, "problem.Y"),
    ({"extra": 1}, "problem"),
])
def test_malformed_network_problem_names_the_field(edit, field):
    problem = {**BASE, **edit}
    with pytest.raises(MalformedCertificate) as e:
        check_certificate(make_cert(problem, {"kind": "critical-point", "point": ["0"] * 8},
                                    {"kind": "critical-point"}))
    if field is not None:
        assert str(e.value).startswith(field), str(e.value)


def test_well_formed_base_reads():
    P = read_problem(BASE)
    assert (P.kind, P.nparams, P.labels, P.piecewise, P.polynomial) == ("network", 8, ["W1", "b1", "W2"], True, False)
    assert problem_hash(BASE) == P.sha


T10 = {"poly": ["0"] * 10 + ["1"]}


@pytest.mark.parametrize("acts, loss, polynomial, piecewise", [
    ([{"poly": ["0", "0", "1"]}], None, True, False),
    ([{"poly": ["0", "0", "1"]}], "mse", True, False),
    ([{"poly": ["0", "0", "1"]}], {"power": 4}, True, False),
    (["identity"], {"poly": ["0", "0", "1", "0", "1"]}, True, False),
    ([{"poly": ["0", "0", "1"]}], {"huber": "1"}, False, False),
    ([{"poly": ["0", "0", "1"]}], "logistic", False, False),
    (["relu"], None, False, True),
    ([{"leaky_relu": "1/2"}, "tanh"], None, False, True),
    (["sigmoid"], None, False, False),
    ([T10, T10], None, True, False),          # deg L = 2·(10·(10·1 + 1) + 1) = 222 ≤ 256
    ([T10, T10, T10], None, False, False),    # deg L = 2·2221: not expanded (complete landscapes, Morse–Bott)
])
def test_network_capabilities(acts, loss, polynomial, piecewise):
    d = {"kind": "network", "widths": [1] * (len(acts) + 2), "activation": acts, "X": [[1]], "Y": [[1]]}
    P = read_problem(d if loss is None else {**d, "loss": loss})
    assert (P.polynomial, P.piecewise) == (polynomial, piecewise)


def test_network_is_not_covered_by_coq():
    from proofs.coq.translate import NotCovered, translate

    with pytest.raises(NotCovered, match="^problem.kind: Coq does not cover network"):
        translate(make_cert(CUBIC, *CERTS["local-min"]))
