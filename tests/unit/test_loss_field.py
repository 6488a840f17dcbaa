"""The ``loss`` field of a problem file: bad values name their field (the API and ``spurious classify --json``),
a problem keeps its loss through TOML and JSON, and the square loss stays out of the canonical JSON (old files,
old hashes)."""

import json
from fractions import Fraction as F

import pytest
from cli.conftest import EXAMPLES, spurious

from verify.errors import InputError
from verify.problems import DeepLinear, TwoLayer
from verify.problems.canonical import canonical_problem_hash
from verify.problems.files import load_problem, problem_from_dict, problem_to_json, problem_to_toml

BASE = 'kind = "deep-linear"\nwidths = [1, 2]\nX = [[1, 2]]\n'
Y2 = 'Y = [[1, -1], [0, 2]]\n'

# (loss line, Y line, the field the error must name)
BAD = [
    ('loss = "hinge"', Y2, "loss"),
    ('loss = 3', Y2, "loss"),
    ('loss = { power = 3 }', Y2, "loss.power"),
    ('loss = { power = 2 }', Y2, "loss.power"),
    ('loss = { power = 12 }', Y2, "loss.power"),
    ('loss = { power = "4" }', Y2, "loss.power"),
    ('loss = { poly = [0, 0, -1] }', Y2, "loss.poly"),
    ('loss = { poly = [0, 0, 0, 1] }', Y2, "loss.poly"),
    ('loss = { poly = [1, "x", 1] }', Y2, "loss.poly[1]"),
    ('loss = { huber = 0 }', Y2, "loss.huber"),
    ('loss = { huber = "-1/2" }', Y2, "loss.huber"),
    ('loss = { huber = 1, power = 4 }', Y2, "loss"),
    ('loss = { hinge = 1 }', Y2, "loss"),
    ('loss = "logistic"', 'Y = [[1, -1], [-1, "1/2"]]\n', "Y[1][1]"),
    ('loss = "cross-entropy"', 'Y = [["1/2", 1], ["1/2", "1/2"]]\n', "Y[:, 1]"),
    ('loss = "cross-entropy"', 'Y = [[2, 1], [-1, 0]]\n', "Y[:, 0]"),
]


def _write(tmp_path, loss_line, y_line, dy=2):
    text = BASE.replace("[1, 2]]", f"[1, {dy}]]", 1) + y_line + loss_line + "\n"
    path = tmp_path / "p.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("loss_line, y_line, field", BAD)
def test_bad_loss_names_its_field(tmp_path, loss_line, y_line, field):
    with pytest.raises(InputError) as e:
        load_problem(_write(tmp_path, loss_line, y_line))
    assert e.value.field == field, e.value


def test_cross_entropy_needs_two_classes(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('kind = "deep-linear"\nwidths = [1, 1]\nX = [[1, 2]]\nY = [[1, 1]]\nloss = "cross-entropy"\n')
    with pytest.raises(InputError) as e:
        load_problem(path)
    assert e.value.field == "Y"


@pytest.mark.parametrize("loss_line, y_line, field", [BAD[2], BAD[7], BAD[9], BAD[13], BAD[14]])
def test_bad_loss_through_the_cli(tmp_path, loss_line, y_line, field):
    """``spurious classify`` with ``--json``: exit 2, one JSON object naming the field, no traceback."""
    path = _write(tmp_path, loss_line, y_line)
    (tmp_path / "pt.json").write_text('{"params": [1, 1]}')
    run = spurious("classify", path, "--point", tmp_path / "pt.json", "--json")
    assert run.code == 2, run
    assert run.json()["error"]["field"] == field, run
    assert "Traceback" not in run.err


LOSSES = ["mse", {"power": 6}, {"poly": ["1/2", "-1", "-3", "0", "2"]}, {"huber": "3/4"}, "logistic",
          "cross-entropy"]


def _problem(loss, kind="deep-linear"):
    Y = [[1, 0], [0, 1]] if loss == "cross-entropy" else [[1, -1], [-1, 1]]
    d = {"kind": kind, "X": [["1/2", 2]], "Y": Y, "loss": loss}
    if kind == "deep-linear":
        d["widths"] = [1, 3, 2]
    else:
        d.update({"n": 1, "width": 2, "activation": {"poly": [0, 1, 1]}})
    return problem_from_dict(d)


@pytest.mark.parametrize("kind", ["deep-linear", "two-layer"])
@pytest.mark.parametrize("loss", LOSSES, ids=str)
def test_round_trip_keeps_the_loss(tmp_path, loss, kind):
    p = _problem(loss, kind)
    assert problem_to_json(p)["loss"] == loss
    path = tmp_path / "p.toml"
    path.write_text(problem_to_toml(p))
    q = load_problem(path)
    assert q == p and q.loss == p.loss
    again = problem_from_dict(json.loads(json.dumps(problem_to_json(p))))
    assert again == p
    assert canonical_problem_hash(problem_to_json(q)) == canonical_problem_hash(problem_to_json(p))


def test_losses_change_the_hash():
    hashes = {canonical_problem_hash(problem_to_json(_problem(loss))) for loss in LOSSES + ["square"]}
    assert len(hashes) == len(LOSSES) + 1


def test_square_is_omitted_and_old_hashes_stay(tmp_path):
    old = load_problem(EXAMPLES / "depth3.toml")
    path = tmp_path / "square.toml"
    path.write_text((EXAMPLES / "depth3.toml").read_text() + '\nloss = "square"\n')
    new = load_problem(path)
    assert new == old and "loss" not in problem_to_json(new)
    assert canonical_problem_hash(problem_to_json(new)) == canonical_problem_hash(problem_to_json(old))
    two = TwoLayer(n=1, width=1, activation=(F(0), F(1)), X=((F(1),),), Y=((F(1),),))
    assert "loss" not in problem_to_json(two)
    assert DeepLinear.from_dict({"widths": [1, 1], "X": [[1]], "Y": [[1]], "loss": "square"}) == \
        DeepLinear(widths=(1, 1), X=((F(1),),), Y=((F(1),),))
