"""Bad input under ``--json`` through the real CLI: exit 2, stdout exactly ONE JSON object with ``error.field``
and ``error.message``, the message on stderr, no traceback (CONTRACT.md) — for every command."""

import json

import pytest

BAD_REG = 'kind = "deep-linear"\nwidths = [1, 1]\nX = [[1]]\nY = [[1]]\nreg = "-1/2"\n'
NO_KIND = 'widths = [1, 1]\nX = [[1]]\nY = [[1]]\n'
BAD_WIDTH = 'kind = "deep-linear"\nwidths = [1, -3]\nX = [[1]]\nY = [[1]]\n'


def files(tmp_path):
    for name, text in (("reg.toml", BAD_REG), ("nokind.toml", NO_KIND), ("width.toml", BAD_WIDTH),
                       ("point.json", '{"params": [1, 2]}'), ("junk.json", "{not json")):
        (tmp_path / name).write_text(text)
    (tmp_path / "a-file").write_text("")
    return tmp_path


# (command line, the field the error must name); {t} is the temporary directory, {e} examples/
CASES = [
    (["classify"], "problem"),                                                     # argparse: missing arguments
    (["classify", "{t}/nope.toml", "--point", "{t}/point.json"], "problem"),       # unreadable file
    (["classify", "{e}/depth3.toml", "--point", "{t}/point.json"], "point"),       # wrong length
    (["classify", "{e}/depth3.toml", "--point", "{t}/junk.json"], "point"),        # not JSON
    (["check", "{e}/depth3.toml", "--claim", "every-min-is-nice"], "--claim"),     # argparse: not a choice
    (["check", "{t}/width.toml", "--claim", "strict-saddle"], "widths[1]"),
    (["check", "{t}/reg.toml", "--claim", "strict-saddle"], "reg"),
    (["critical-points", "{t}/nokind.toml"], "kind"),
    (["critical-points", "{e}/depth3.toml", "--timeout", "soon"], "--timeout"),
    (["search", "{e}/depth3.toml", "--starts", "0"], "--starts"),
    (["search", "{e}/depth3.toml", "--method", "lbfgs"], "--method"),
    (["hunt", "--claim", "strict-saddle", "--family", "deep-linear", "--examples", "0"], "--examples"),
    (["hunt", "--claim", "strict-saddle", "--family", "resnets"], "--family"),
    (["check-cert", "{t}/nope.json"], "certificate"),
    (["check-cert", "{t}/junk.json"], "certificate"),
    (["demo", "--out", "{t}/a-file"], "--out"),                                     # cannot create the directory
    (["no-such-command"], "COMMAND"),
]


@pytest.mark.parametrize("argv,field", CASES, ids=[" ".join(a[:1] + [f]) for a, f in CASES])
def test_bad_input_json(cli, examples, tmp_path, argv, field):
    t = files(tmp_path)
    r = cli(*[a.format(t=t, e=examples) for a in argv], "--json", cwd=tmp_path, timeout=120)
    assert r.code == 2, r
    obj = json.loads(r.out)                      # exactly one JSON value on stdout, nothing else
    assert isinstance(obj, dict) and r.out.strip().count("\n") == 0, r
    err = obj["error"]
    assert err["field"] == field or err["field"].startswith((field + ".", field + "[")), r
    assert isinstance(err["message"], str) and err["message"], r
    assert err["message"].split(": ")[-1][:40] in r.err, r       # the same message on stderr
    assert "Traceback" not in r.err and "Traceback" not in r.out, r


def test_bad_input_human(cli, tmp_path):
    """Without --json nothing goes to stdout; the message on stderr names the field."""
    t = files(tmp_path)
    r = cli("check", t / "reg.toml", "--claim", "strict-saddle", cwd=tmp_path)
    assert r.code == 2 and r.out == "" and "reg" in r.err and "negative" in r.err, r
