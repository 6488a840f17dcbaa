"""Problem files a new user gets wrong, and a ReLU kink, through the real CLI."""

import json

KINDLESS = 'widths = [1, 1]\nX = [[1]]\nY = [[1]]\n'
NEG_REG = 'kind = "deep-linear"\nwidths = [1, 1, 1]\nX = [[1]]\nY = [[1]]\nreg = "-1/10"\n'
NEG_LAMBDA = ('kind = "deep-linear"\nwidths = [1, 1, 1]\nX = [[1]]\nY = [[1]]\n'
              'reg = [[["1/2"]], [["-1"]]]\n')
RELU = ('kind = "two-layer"\nn = 1\nwidth = 2\nactivation = "relu"\nX = [[1, -1, 2]]\nY = [[2, 1, "1/3"]]\n'
        'train_output = true\n')


def test_missing_kind_says_missing(cli, tmp_path):
    (tmp_path / "p.toml").write_text(KINDLESS)
    (tmp_path / "x.json").write_text('{"params": [0, 0]}')
    r = cli("classify", tmp_path / "p.toml", "--point", tmp_path / "x.json", "--json")
    assert r.code == 2, r
    err = json.loads(r.out)["error"]
    assert err["field"] == "kind" and "missing" in err["message"] and "None" not in err["message"], r
    assert "deep-linear" in err["message"]                # says what is expected


def test_negative_regulariser_refused(cli, tmp_path):
    for text, field in ((NEG_REG, "reg"), (NEG_LAMBDA, "reg[1][0][0]")):
        (tmp_path / "p.toml").write_text(text)
        r = cli("check", tmp_path / "p.toml", "--claim", "no-spurious-local-min", "--json")
        assert r.code == 2, r
        err = json.loads(r.out)["error"]
        assert err["field"] == field and "negative" in err["message"] and "unbounded below" in err["message"], r
        assert f"{field}:" in r.err and "Traceback" not in r.err


def test_classify_at_a_relu_kink_prints_the_exact_loss(cli, tmp_path):
    # W = (0, 1/2), U = (1, 3): pre-activations (0, 0, 0 | 1/2, -1/2, 1) — unit 1 sits on a kink at every sample.
    # ŷ = 3·relu(W₂X) = (3/2, 0, 3); residuals (−1/2, −1, 8/3); L = ½(1/4 + 1 + 64/9) = 301/72
    (tmp_path / "relu.toml").write_text(RELU)
    (tmp_path / "kink.json").write_text('{"W": [[0], ["1/2"]], "U": [[1, 3]]}')
    r = cli("classify", tmp_path / "relu.toml", "--point", tmp_path / "kink.json", "--json")
    assert r.code == 0, r
    out = r.json()
    assert out["class"] == "unknown" and "kink" in out["reason"]
    assert out["loss"] == "301/72"
    human = cli("classify", tmp_path / "relu.toml", "--point", tmp_path / "kink.json")
    assert human.code == 0 and "loss:     301/72" in human.out and "None" not in human.out, human


def test_classify_off_the_kink_agrees(cli, tmp_path):
    # W = (1/10, 1/2): unit 1 is active at samples 1 and 3; the exact layer computes the loss as before
    (tmp_path / "relu.toml").write_text(RELU)
    (tmp_path / "p.json").write_text('{"W": [["1/10"], ["1/2"]], "U": [[1, 3]]}')
    out = cli("classify", tmp_path / "relu.toml", "--point", tmp_path / "p.json", "--json").json()
    # ŷ = (1/10 + 3/2, 0, 1/5 + 3) = (8/5, 0, 16/5); residuals (−2/5, −1, 43/15); L = ½(4/25 + 1 + 1849/225) = 211/45
    assert out["loss"] == "211/45" and out["class"] == "not-critical"
