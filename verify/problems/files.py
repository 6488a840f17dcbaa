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

from verify.errors import InputError
from verify.problems.base import Problem
from verify.problems.numbers import MAX_DIGITS, fraction_str, parse_matrix, show, to_fraction

MAX_FILE_BYTES = 5_000_000


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


def problem_from_dict(d: object) -> Problem:
    """Build and validate a :class:`~verify.problems.Problem` from a parsed TOML/JSON mapping.

    The kind is looked up in :data:`verify.problems.KINDS`; keys are checked against the kind's ``file_keys``.
    """
    from verify.problems import KINDS

    if not isinstance(d, dict):
        raise InputError("problem", "must be a table/object with a 'kind' key")
    if "kind" not in d:
        raise InputError("kind", f"missing: every problem file starts with kind = \"...\", one of {', '.join(KINDS)}")
    kind = d["kind"]
    cls = KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise InputError("kind", f"{show(kind)} is not a problem kind; expected one of {', '.join(KINDS)}")
    unknown = set(d) - cls.file_keys
    if unknown:
        raise InputError(sorted(unknown)[0],
                         f"unknown key for kind {kind!r} (allowed: {', '.join(sorted(cls.file_keys))})")
    for key in cls.required_keys:
        if key not in d:
            raise InputError(key, f"missing (required for kind {kind!r})")
    return cls.from_dict(d).canonical()


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


def problem_to_json(p: Problem) -> dict:
    """Canonical JSON form (rationals as "p/q" strings), as embedded in certificates."""
    return p.to_json()


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
