"""verify/problems/canonical.py on ``kind = "network"``: the canonical JSON (and hash) of a network agrees with the
problem model's own canonical form (verify.problems.network.canonical: a network that IS a deep-linear or two-layer
problem is that problem), however the network file is spelled."""

import random
from fractions import Fraction as F

import pytest

from proofs import MalformedCertificate
from verify.problems import problem_from_dict, problem_to_json
from verify.problems.canonical import canonical_problem, canonical_problem_hash

ACTS = ["identity", "relu", "tanh", "sigmoid", "softplus", {"leaky_relu": "1/3"}, {"leaky_relu": 0},
        {"leaky_relu": 1}, {"poly": [0, 1]}, {"poly": [0, 1, 0]}, {"poly": ["1/2", 0, 1, 0]}, {"poly": [0, 0, 2]}]


def _spell(rng, x):
    """x (a Fraction) in one of the spellings a problem file allows."""
    x = F(x)
    options = [str(x), f"{x.numerator * 2}/{x.denominator * 2}"]
    if x.denominator in (1, 2, 4, 5, 8):
        options.append(str(float(x)))
    if x.denominator == 1:
        options.append(int(x))
    return rng.choice(options)


def _mat(rng, r, c, lo=-2):
    return [[_spell(rng, F(rng.randint(lo * 2, 4), rng.choice([1, 2, 3]))) for _ in range(c)] for _ in range(r)]


def random_network(rng):
    w = [rng.randint(1, 3) for _ in range(rng.randint(2, 4))]
    H, m = len(w) - 1, rng.randint(1, 3)
    d = {"kind": "network", "widths": w, "activation": [rng.choice(ACTS) for _ in range(H - 1)],
         "X": _mat(rng, w[0], m), "Y": _mat(rng, w[-1], m)}
    bias = [rng.random() < 0.3 for _ in range(H)]
    train = [rng.random() < 0.8 for _ in range(H)]
    if not any(train):
        train[0] = True
    if any(bias) or rng.random() < 0.3:
        d["bias"] = bias
    if not all(train) or rng.random() < 0.2:
        d |= {"train": train, "weights": [_mat(rng, w[i + 1], w[i]) for i in range(H) if not train[i]]}
    r = rng.random()
    if r < 0.3:
        d["reg"] = _spell(rng, F(rng.randint(0, 4), rng.choice([1, 2, 3])))
    elif r < 0.6:
        d["reg"] = [_mat(rng, w[i + 1], w[i], lo=0) for i in range(H) if train[i]]
    if rng.random() < 0.2:
        d["loss"] = rng.choice(["mse", {"power": 4}, "square"])
    return d


def test_network_hash_agrees_with_the_problem_model():
    """canonical_problem_hash(problem_to_json(problem_from_dict(d))) == canonical_problem_hash(d): the problem model
    maps a network to deep-linear / two-layer / network (its canonical()), canonical.py must map it the same way."""
    rng, kinds = random.Random(7), set()
    for _ in range(400):
        d = random_network(rng)
        p = problem_from_dict(d)
        kinds.add(p.kind)
        assert canonical_problem_hash(problem_to_json(p)) == canonical_problem_hash(d), (d, problem_to_json(p))
        assert canonical_problem(d)["kind"] == p.kind
    assert kinds == {"deep-linear", "two-layer", "network"}


DL = {"kind": "deep-linear", "widths": [2, 3, 1], "X": [[1, 0], [0, "1/2"]], "Y": [[1, 2]], "reg": "1/3"}


@pytest.mark.parametrize("act", ["identity", {"poly": [0, 1]}, {"poly": ["0", "1", "0"]}, {"leaky_relu": "1"}])
def test_identity_network_is_the_deep_linear_problem(act):
    net = {"kind": "network", "widths": [2, 3, 1], "activation": [act], "bias": [False, False],
           "X": [[1, 0], [0, "0.5"]], "Y": [["1", "2"]], "reg": "2/6"}
    assert canonical_problem(net) == canonical_problem(DL)
    assert canonical_problem_hash(net) == canonical_problem_hash(DL)


def test_one_hidden_layer_network_is_the_two_layer_problem():
    tl = {"kind": "two-layer", "n": 2, "width": 3, "activation": "relu", "X": [[1, 0], [0, 1]], "Y": [[1, 2]],
          "train_output": False, "output": [[1, -1, "1/2"]], "reg": 0}
    net = {"kind": "network", "widths": [2, 3, 1], "activation": [{"leaky_relu": 0}], "train": [True, False],
           "weights": [[[1, -1, "0.5"]]], "X": [[1, 0], [0, 1]], "Y": [[1, 2]]}
    assert canonical_problem_hash(net) == canonical_problem_hash(tl)
    poly = {**tl, "activation": {"poly": [0, 0, 1]}, "train_output": True, "output": None}
    assert canonical_problem_hash({**net, "activation": [{"poly": [0, 0, 1, 0]}], "train": [True, True],
                                   "weights": []}) == canonical_problem_hash(poly)


def test_what_makes_a_network_a_different_problem():
    """A bias, a fixed inner layer, a transcendental activation or a different leaky slope changes the hash; the
    network form is kept (bias written, train/weights only when some layer is fixed)."""
    net = {"kind": "network", "widths": [2, 3, 1], "activation": ["identity"], "X": [[1, 0], [0, 1]],
           "Y": [[1, 2]], "reg": 0}
    base = canonical_problem_hash(net)
    variants = [{**net, "bias": [True, False]}, {**net, "bias": [False, True]}, {**net, "activation": ["tanh"]},
                {**net, "activation": [{"leaky_relu": "1/2"}]}, {**net, "activation": [{"leaky_relu": "1/3"}]},
                {**net, "train": [False, True], "weights": [[[1, 0], [0, 1], [1, 1]]]}]
    hashes = {canonical_problem_hash(v) for v in variants}
    assert base not in hashes and len(hashes) == len(variants)
    c = canonical_problem({**net, "bias": [True, False], "activation": [{"leaky_relu": "2/4"}], "reg": "0.5"})
    assert c["kind"] == "network" and c["bias"] == [True, False] and "train" not in c
    assert c["activation"] == [{"leaky_relu": "1/2"}] and c["reg"] == [[["1/2"] * 2] * 3, [["1/2"] * 3]]


def test_malformed_network_names_the_field():
    with pytest.raises(MalformedCertificate, match=r"^problem\.bias"):
        canonical_problem({"kind": "network", "widths": [1, 1, 1], "activation": ["relu"], "bias": [True],
                           "X": [[1]], "Y": [[1]]})
