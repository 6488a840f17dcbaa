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


def test_cli_json_shape(capsys):
    code = main(["reproduce", "freeman-bruna2017", "--widths", "2", "--levels", "0.1", "--pairs", "1", "--quiet",
                 "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["name"] == "freeman-bruna2017" and out["status"] == "evidence"
    assert [(r["width"], r["fraction"]) for r in out["rows"]] == [("linear", 0.1), (2, 0.1)]


def test_cli_other_names_are_not_available_yet(capsys):
    assert main(["reproduce", "venturi2018"]) == 0
    assert capsys.readouterr().out.strip() == "venturi2018: not available yet (available: freeman-bruna2017)"


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
