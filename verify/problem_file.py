"""Problem files (TOML, CONTRACT.md) and their canonical JSON form; point files (JSON).

Everything read here is untrusted: sizes are bounded, every error names its field and becomes exit
code 2 in the CLI. The canonical JSON form (:func:`problem_to_json`) is what certificates embed:
every rational is a "p/q" string.

>>> prob = problem_from_dict({"kind": "deep-linear", "widths": [1, 1, 1], "X": [[1]], "Y": [[1]]})
>>> problem_to_json(prob)["widths"]
[1, 1, 1]
"""

from __future__ import annotations

import json
import re
import tomllib
from fractions import Fraction
from pathlib import Path

from .errors import InputError
from .numbers import MAX_DIGITS, fraction_str, show, to_fraction, to_int
from .problem import MAX_PARAMS, DeepLinear, Matrix, Problem, ReluTeacher, TwoLayer, default_teacher

MAX_FILE_BYTES = 5_000_000
MAX_ENTRIES = 1_000_000
MAX_WIDTH = 100_000
MAX_DEPTH = 1_000

KINDS = ("deep-linear", "two-layer", "relu-teacher")
_KEYS = {
    "deep-linear": {"kind", "widths", "X", "Y", "reg"},
    "two-layer": {"kind", "n", "width", "activation", "X", "Y", "train_output", "output", "reg"},
    "relu-teacher": {"kind", "k", "n", "teacher"},
}


def _read_text(path: str | Path, what: str) -> str:
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise InputError(what, f"cannot read {str(path)!r}: {e.strerror or e}") from None
    if size > MAX_FILE_BYTES:
        raise InputError(what, f"{str(path)!r} is {size} bytes; the limit is {MAX_FILE_BYTES}")
    try:
        with p.open("rb") as fh:  # bounded: /dev/zero and the like report size 0 and never end
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise InputError(what, f"{str(path)!r} is more than {MAX_FILE_BYTES} bytes (the limit)")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(what, f"cannot read {str(path)!r} as UTF-8 text: {e}") from None


def parse_matrix(value: object, field: str, *, allow_empty_rows: bool = False) -> Matrix:
    """A non-empty list of equal-length rows of exact numbers."""
    if not isinstance(value, list) or not value:
        raise InputError(field, "must be a non-empty list of rows, e.g. [[1, 0], [0, 1]]")
    rows = []
    ncols = None
    total = 0
    for i, row in enumerate(value):
        if not isinstance(row, list):
            raise InputError(f"{field}[{i}]", "each row must be a list of numbers")
        if ncols is None:
            ncols = len(row)
            if ncols == 0 and not allow_empty_rows:
                raise InputError(f"{field}[{i}]", "rows must not be empty")
        elif len(row) != ncols:
            raise InputError(f"{field}[{i}]", f"has {len(row)} entries but row 0 has {ncols} (not a matrix)")
        total += len(row)
        if total > MAX_ENTRIES:
            raise InputError(field, f"more than {MAX_ENTRIES} entries")
        rows.append(tuple(to_fraction(x, f"{field}[{i}][{j}]") for j, x in enumerate(row)))
    return tuple(rows)


def _parse_reg(value: object) -> Fraction | tuple[Matrix, ...]:
    if isinstance(value, list):
        return tuple(parse_matrix(m, f"reg[{i}]") for i, m in enumerate(value))
    return to_fraction(value, "reg")


def problem_from_dict(d: object) -> Problem:
    """Build and validate a :class:`~verify.problem.Problem` from a parsed TOML/JSON mapping."""
    if not isinstance(d, dict):
        raise InputError("problem", "must be a table/object with a 'kind' key")
    kind = d.get("kind")
    if kind not in KINDS:
        raise InputError("kind", f"{show(kind)} is not a problem kind; expected one of {', '.join(KINDS)}")
    unknown = set(d) - _KEYS[kind]
    if unknown:
        raise InputError(sorted(unknown)[0],
                         f"unknown key for kind {kind!r} (allowed: {', '.join(sorted(_KEYS[kind]))})")
    for key in ("X", "Y") if kind != "relu-teacher" else ("k", "n"):
        if key not in d:
            raise InputError(key, f"missing (required for kind {kind!r})")
    if kind == "deep-linear":
        widths = d.get("widths")
        if not isinstance(widths, list):
            raise InputError("widths", "must be a list of positive integers [d_x, d_1, ..., d_y]")
        if len(widths) > MAX_DEPTH + 1:
            raise InputError("widths", f"{len(widths)} entries; at most {MAX_DEPTH + 1} (depth {MAX_DEPTH})")
        widths = tuple(to_int(w, f"widths[{i}]", maximum=MAX_WIDTH) for i, w in enumerate(widths))
        return DeepLinear(widths=widths, X=parse_matrix(d["X"], "X"), Y=parse_matrix(d["Y"], "Y"),
                          reg=_parse_reg(d.get("reg", 0)))
    if kind == "two-layer":
        for key in ("n", "width", "activation"):
            if key not in d:
                raise InputError(key, "missing (required for kind 'two-layer')")
        act = d["activation"]
        if isinstance(act, str):
            if act != "relu":
                raise InputError("activation",
                                 f"unknown activation {act!r}; use \"relu\" or {{ poly = [c0, c1, ...] }}")
            activation = "relu"
        elif isinstance(act, dict) and set(act) == {"poly"} and isinstance(act["poly"], list):
            if len(act["poly"]) > 64:
                raise InputError("activation.poly", "degree above 63 is not supported")
            activation = tuple(to_fraction(c, f"activation.poly[{j}]") for j, c in enumerate(act["poly"]))
        else:
            raise InputError("activation", "must be \"relu\" or { poly = [c0, c1, ...] }")
        train = d.get("train_output", True)
        if not isinstance(train, bool):
            raise InputError("train_output", f"{show(train)} must be true or false")
        output = d.get("output")
        return TwoLayer(n=to_int(d["n"], "n", maximum=MAX_WIDTH), width=to_int(d["width"], "width", maximum=MAX_WIDTH),
                        activation=activation, X=parse_matrix(d["X"], "X"), Y=parse_matrix(d["Y"], "Y"),
                        train_output=train, output=None if output is None else parse_matrix(output, "output"),
                        reg=_parse_reg(d.get("reg", 0)))
    k = to_int(d["k"], "k", maximum=MAX_WIDTH)
    n = to_int(d["n"], "n", maximum=MAX_WIDTH)
    if k * n > MAX_PARAMS:  # before building a default teacher of k × n entries
        raise InputError("k", f"k × n = {k * n} parameters exceed the limit {MAX_PARAMS}")
    teacher = parse_matrix(d["teacher"], "teacher") if "teacher" in d else default_teacher(k, n)
    return ReluTeacher(k=k, n=n, teacher=teacher)


def load_problem(path: str | Path) -> Problem:
    """Read a TOML problem file (CONTRACT.md) and validate it."""
    text = _read_text(path, "problem")
    try:
        d = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError("problem", f"{str(path)!r} is not valid TOML: {e}") from None
    except (ValueError, RecursionError) as e:  # e.g. an integer literal with more than 4300 digits
        raise InputError("problem", f"{str(path)!r} could not be parsed: {_digits_hint(text, e)}") from None
    return problem_from_dict(d)


def _digits_hint(text: str, e: Exception) -> str:
    """Python's message for an over-long integer literal names no place and suggests a Python setting."""
    m = re.search(r"\d{4000,}", text) if "digits" in str(e) else None
    if m is None:
        return str(e)
    line = text.count("\n", 0, m.start()) + 1
    return f"line {line}: a number with more than 4300 digits; numbers have at most {MAX_DIGITS} digits"


def _mat_json(m: Matrix) -> list:
    return [[fraction_str(x) for x in row] for row in m]


def problem_to_json(p: Problem) -> dict:
    """Canonical JSON form (rationals as "p/q" strings), as embedded in certificates."""
    def reg_json(reg):
        return fraction_str(reg) if isinstance(reg, Fraction) else [_mat_json(m) for m in reg]

    if isinstance(p, DeepLinear):
        return {"kind": p.kind, "widths": list(p.widths), "X": _mat_json(p.X), "Y": _mat_json(p.Y),
                "reg": reg_json(p.reg)}
    if isinstance(p, TwoLayer):
        act = "relu" if p.is_relu else {"poly": [fraction_str(c) for c in p.activation]}
        return {"kind": p.kind, "n": p.n, "width": p.width, "activation": act, "X": _mat_json(p.X),
                "Y": _mat_json(p.Y), "train_output": p.train_output,
                "output": None if p.output is None else _mat_json(p.output), "reg": reg_json(p.reg)}
    assert isinstance(p, ReluTeacher)
    return {"kind": p.kind, "k": p.k, "n": p.n, "teacher": _mat_json(p.teacher)}


def problem_to_toml(p: Problem) -> str:
    """A TOML problem file for ``p`` (exact: every rational written as a "p/q" string)."""
    d = problem_to_json(p)
    lines = []
    for key, value in d.items():
        if value is None:
            continue
        lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, str)):
        return json.dumps(v)
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    return "[" + ", ".join(_toml_value(x) for x in v) + "]"


# ----------------------------------------------------------------------------------------- points

def _reject_constant(name: str):
    raise InputError("point", f"{name} is not a number")


def point_from_obj(problem: Problem, obj: object, field: str = "point") -> tuple[Fraction, ...]:
    """A point in canonical order from ``{"params": [...]}`` or ``{"W1": [[...]], ...}`` / ``{"W":..,"U":..}``."""
    shapes = problem.param_shapes()
    if isinstance(obj, list):
        obj = {"params": obj}
    if not isinstance(obj, dict):
        raise InputError(field, "must be an object {\"params\": [...]} or {\"W1\": [[...]], ...}")
    if "params" in obj:
        extra = set(obj) - {"params"}
        if extra:
            raise InputError(f"{field}.{sorted(extra)[0]}", "unexpected key beside 'params'")
        params = obj["params"]
        if not isinstance(params, list):
            raise InputError(f"{field}.params", "must be a list of numbers")
        if len(params) != problem.n_params:
            layout = ", ".join(f"{n} ({r}×{c})" for n, r, c in shapes[:8]) + (", …" if len(shapes) > 8 else "")
            raise InputError(f"{field}.params", f"has {len(params)} entries; this problem has {problem.n_params} "
                             f"parameters in the order {layout}")
        return tuple(to_fraction(x, f"{field}.params[{i}]") for i, x in enumerate(params))
    names = [n for n, _, _ in shapes]
    extra = set(obj) - set(names)
    if extra:
        raise InputError(f"{field}.{sorted(extra)[0]}", f"unknown matrix; expected {', '.join(names)} (or 'params')")
    out: list[Fraction] = []
    for name, r, c in shapes:
        if name not in obj:
            raise InputError(f"{field}.{name}", f"missing (expected a {r}×{c} matrix)")
        m = parse_matrix(obj[name], f"{field}.{name}")
        if (len(m), len(m[0])) != (r, c):
            raise InputError(f"{field}.{name}", f"must be {r}×{c}, got {len(m)}×{len(m[0])}")
        out.extend(x for row in m for x in row)
    return tuple(out)


def parse_json_text(text: str, field: str):
    """``json.loads`` hardened for untrusted files: no NaN/Infinity, bounded depth and integers."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except InputError:
        raise
    except RecursionError:
        raise InputError(field, "nesting is too deep") from None
    except json.JSONDecodeError as e:
        raise InputError(field, f"not valid JSON: {e}") from None
    except ValueError as e:  # an integer beyond Python's digit limit
        raise InputError(field, _digits_hint(text, e)) from None


def load_point(problem: Problem, path: str | Path) -> tuple[Fraction, ...]:
    """Read a point file (JSON, CONTRACT.md) for ``problem``."""
    return point_from_obj(problem, parse_json_text(_read_text(path, "point"), "point"))


def point_to_json(problem: Problem, point) -> dict:
    """The canonical point-file form ``{"params": ["p/q", ...]}``."""
    return {"params": [fraction_str(Fraction(x)) for x in point]}
