"""Freeman & Bruna 2017's trend (numeric.paths.trend, ``spurious reproduce``): the deep linear control, the rows'
shape, the CLI's JSON and its input errors."""

import json
import math

import pytest

from numeric.paths.trend import linear_rows, polynomial_task, trend
from verify.cli import main
from verify.errors import InputError


def test_linear_pair_connects_with_length_near_one():
    """Theorem 2.2 (no bottleneck): the two global minima are joined at every level, the string nearly straight."""
    rows = linear_rows((0.1, 0.01, 0.001))
    assert [r.width for r in rows] == ["linear"] * 3 and [r.pairs for r in rows] == [1, 1, 1]
    assert all(r.joined == 1.0 for r in rows)
    assert all(1.0 <= r.median_length < 1.1 for r in rows)
    assert rows[0].level > rows[1].level > rows[2].level


def test_tiny_trend_rows_are_well_formed():
    rows = trend((2, 4), (0.1, 0.01), pairs=2, starts=6, steps=400, seed=1)
    assert [(r.width, r.fraction) for r in rows] == [(2, 0.1), (2, 0.01), (4, 0.1), (4, 0.01)]
    for r in rows:
        assert 0 <= r.pairs <= 2 and math.isfinite(r.level) and r.seconds >= 0
        assert (r.joined is None) == (r.pairs == 0)
        if r.joined:
            assert 0 < r.joined <= 1 and r.median_beads >= 0 and r.median_length >= 1 - 1e-9
        assert set(r.to_json()) == {"width", "fraction", "level", "minima", "pairs", "joined", "median_beads",
                                    "median_length", "seconds"}


def test_task_is_fixed_by_the_seed():
    assert polynomial_task(3, 0) == polynomial_task(3, 0) != polynomial_task(3, 1)
    assert polynomial_task(3).n == 3 and len(polynomial_task(3).X[0]) == 20


@pytest.mark.parametrize("kw,field", [({"widths": ()}, "widths"), ({"widths": (0,)}, "widths"),
                                      ({"fractions": (1.5,)}, "levels"), ({"pairs": 0}, "pairs")])
def test_bad_arguments_name_the_field(kw, field):
    with pytest.raises(InputError) as e:
        trend(**kw)
    assert e.value.field == field


def test_cli_json_shape(capsys, tmp_path):
    code = main(["reproduce", "freeman-bruna2017", "--widths", "2", "--levels", "0.1", "--pairs", "1", "--quiet",
                 "--json", "--out", str(tmp_path)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["name"] == "freeman-bruna2017" and out["status"] == "evidence"
    assert [(r["width"], r["fraction"]) for r in out["rows"]] == [("linear", 0.1), (2, 0.1)]


def test_cli_other_names_are_not_available_yet(capsys):
    assert main(["reproduce", "nobody2099"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("nobody2099: not available yet (available: ") and "freeman-bruna2017" in out
    assert "\n" not in out


@pytest.mark.parametrize("args,field", [(["--widths", "2,x"], "--widths"), (["--widths", "0"], "--widths"),
                                        (["--levels", "2"], "--levels"), (["--levels", ""], "--levels"),
                                        (["--pairs", "0"], "--pairs")])
def test_cli_bad_input_exits_2_naming_the_option(args, field, capsys):
    try:
        code = main(["reproduce", "freeman-bruna2017", *args, "--quiet", "--json"])
    except SystemExit as e:                      # argparse's own checks (--pairs)
        code = e.code
    assert code == 2
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["error"]["field"] == field


def test_symmetric_copies_of_a_minimum_count_once():
    """A minimum, the same with its hidden units permuted and one unit rescaled (c w, u / c), and a different
    point: two distinct minima (the copies would be 'joined' by the symmetry, not by the landscape)."""
    import random as _random

    from numeric.paths.trend import canonical, distinct, polynomial_task

    prob = polynomial_task(3, 0)
    rng = _random.Random(1)
    theta = [rng.uniform(-1, 1) for _ in range(prob.n_params)]
    p, n = prob.width, prob.n
    W = [theta[i * n:(i + 1) * n] for i in range(p)]
    U = theta[p * n:]
    order, c = [2, 0, 1], 3.0
    W2 = [[v * (c if i == 2 else 1) for v in W[i]] for i in order]
    U2 = [U[i] / (c if i == 2 else 1) for i in order]
    copy = [v for row in W2 for v in row] + U2
    other = list(theta)
    other[0] += 0.5
    assert canonical(prob, theta) == pytest.approx(canonical(prob, copy), abs=1e-12)
    kept = distinct(prob, [(1.0, theta), (1.0, copy), (1.5, other)])
    assert [loss for loss, _ in kept] == [1.0, 1.5]
    # the same function, checked on the loss itself: the copy is not merely close in canonical form
    import torch

    from numeric.losses import make_loss

    L = make_loss(prob, device="cpu")
    vals = L(torch.tensor([theta, copy], dtype=torch.float64))
    assert float(vals[0]) == pytest.approx(float(vals[1]), rel=1e-12)
