"""Reading untrusted certificate input: hard limits, strict JSON, exact rationals, the embedded problem.

Everything here runs BEFORE any mathematics: it turns bytes / text / an already-parsed dict into plain
JSON values (dict, list, str, int, bool, None -- never float, NaN or Infinity) and then into a validated
`Problem`. Any violation raises `MalformedCertificate` naming the field, e.g.
``problem.X[1][0]: '1.5' is not a rational 'p' or 'p/q'``. Imports: stdlib only.
"""

import hashlib
import json
import math
import re
from fractions import Fraction

MAX_BYTES = 5_000_000      # certificate file size
MAX_DEPTH = 20             # JSON nesting
MAX_DIGITS = 2000          # decimal digits per integer (numerator / denominator)
MAX_PARAMS = 400           # parameters of the network a point claim reads (length of a point)
MAX_THEOREM_PARAMS = 200_000  # parameters of a problem whose certificate reads no point (a theorem instance)
MAX_ENTRIES = 160_000      # entries of any one matrix (a 400 × 400 congruence)
MAX_DATA = 100_000         # numbers in the data matrices X and Y together
MAX_SAMPLE_PARAMS = 100_000  # samples m × parameters N (the exact Hessian costs O(m·N) Jet operations and more)
MAX_LAYERS = 16            # deep-linear depth H
MAX_POLY_DEGREE = 10       # degree of a polynomial activation
MAX_CURVE_DEGREE = 8       # degree of a descent / ascent curve


def printable(s):
    """`s` safe to echo to a terminal: every character that is not printable (control characters such as
    \\r and ESC, format characters, line separators, lone surrogates, unassigned code points) is escaped
    as by 'unicode_escape'.  printable('a\\x1b[2K\\ud800') == 'a\\\\x1b[2K\\\\ud800'."""
    if (s := str(s)).isprintable():
        return s
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in s)


def num(x):
    """A number for a message: exact when short, else its sign, magnitude and size -- never str() of an
    integer with thousands of digits (Python refuses int -> str beyond 4,300 digits; it is slow before)."""
    p, q = (x.numerator, x.denominator) if isinstance(x, (int, Fraction)) and not isinstance(x, bool) else (0, 1)
    if max(abs(p), q).bit_length() <= 128:   # short (or not a number): exact
        return str(x)
    e = math.log10(abs(p)) - math.log10(q)
    digits = lambda v: int(v.bit_length() * 0.30103) + 1  # noqa: E731
    return f"{'-' if p < 0 else ''}{10 ** (e - math.floor(e)):.6f}e{math.floor(e):+d} (≈{digits(p)}/{digits(q)} digits)"


class MalformedCertificate(ValueError):
    """The input is not a well-formed version-1 certificate (CLI: exit 2). Says which field and why."""

    def __init__(self, message):
        super().__init__(printable(message))


class CheckTimeout(MalformedCertificate):
    """The check did not finish within its wall-clock limit (CLI: exit 2, 'too large to check in S s')."""


class Rejected(Exception):
    """A well-formed certificate whose mathematics does not check (CLI: exit 1). Message: 'step: why'."""


def need(cond, step, why, *args):
    """Reject with 'step: why' unless cond; `why` is formatted with num(args) only on failure (lazily)."""
    if not cond:
        raise Rejected(f"{step}: {why.format(*map(num, args)) if args else why}")


def bad(path, why):
    raise MalformedCertificate(f"{path}: {why}")


def bad_if(cond, path, why):
    """MalformedCertificate 'path: why' if cond. `why` is formatted by the caller before the test: keep it cheap
    (no str() of a large value; the per-entry reader `rat` tests with `if` instead)."""
    if cond:
        bad(path, why)


def _refuse(text):
    raise MalformedCertificate(f"{text[:40]} is not allowed (a float, NaN or Infinity); certificates use exact "
                               "rationals 'p/q'")


def _int(text):
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise MalformedCertificate(f"integer with {len(text)} digits exceeds the limit of {MAX_DIGITS}")
    return int(text)


def _pairs(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise MalformedCertificate(f"duplicate key {k[:40]!r}")
        out[k] = v
    return out


def load(cert):
    """bytes | str | dict -> plain JSON value, enforcing every size / depth / number limit. A dict is written out
    as JSON text first and read back by the same strict reader (floats, NaN, long integers and depth refused)."""
    if isinstance(cert, dict):
        try:
            cert = json.dumps(cert)
        except (TypeError, ValueError, RecursionError) as e:
            bad("certificate", f"not a JSON value ({str(e)[:80]})")
    if isinstance(cert, (bytes, bytearray)):
        bad_if(len(cert) > MAX_BYTES, "certificate", f"{len(cert)} bytes exceeds the limit of {MAX_BYTES}")
        try:
            cert = bytes(cert).decode("utf-8")
        except UnicodeDecodeError as e:
            bad("certificate", f"not UTF-8 text ({e.reason} at byte {e.start})")
    bad_if(not isinstance(cert, str), "certificate", f"expected a dict, bytes or str, got {type(cert).__name__}")
    bad_if(len(cert) > MAX_BYTES, "certificate", f"{len(cert)} characters exceeds the limit of {MAX_BYTES}")
    try:
        obj = json.loads(cert, parse_float=_refuse, parse_int=_int, parse_constant=_refuse, object_pairs_hook=_pairs)
    except RecursionError:   # the C scanner stops at the interpreter's recursion limit
        bad("certificate", f"JSON nesting deeper than {MAX_DEPTH}")
    except json.JSONDecodeError as e:   # the only ValueError json raises; the hooks' MalformedCertificate passes
        bad("certificate", f"not valid JSON ({str(e)[:120]})")
    bad_if(not isinstance(obj, dict), "certificate", f"top level must be a JSON object, got {type(obj).__name__}")
    _depth(obj, 0)
    return obj


def _depth(x, d):
    bad_if(d > MAX_DEPTH, "certificate", f"JSON nesting deeper than {MAX_DEPTH}")
    for v in x.values() if isinstance(x, dict) else x:
        if isinstance(v, (dict, list)):
            _depth(v, d + 1)


def problem_hash(problem):
    """sha256 hex of the canonical serialisation json.dumps(problem, sort_keys=True, separators=(",", ":"))."""
    text = json.dumps(problem, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


# --------------------------------------------------------------------------- typed field readers
_RAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:/[1-9][0-9]*)?")


def rat(x, path):
    """A rational: a JSON integer or a canonical string 'p' / 'p/q' (lowest terms, q > 1). Returns an int
    when q = 1 (faster; the kernel only divides via Fraction), else a Fraction."""
    if isinstance(x, bool):
        bad(path, f"expected a rational, got {x!r}")
    if isinstance(x, int):
        return x
    if not isinstance(x, str):
        bad(path, f"expected a rational ('p/q' string or integer), got {type(x).__name__}")
    if _RAT.fullmatch(x) is None:
        bad(path, f"{x[:40]!r} is not a rational 'p' or 'p/q'")
    num, _, den = x.partition("/")
    if len(num.lstrip("-")) > MAX_DIGITS or len(den) > MAX_DIGITS:
        bad(path, f"more than {MAX_DIGITS} digits")
    if not den and x != "-0":   # '-0' goes on to the canonical-form test below: "(write '0')"
        return int(num)
    f = Fraction(int(num), int(den or 1))
    if str(f) != x:
        bad(path, f"{x[:40]!r} is not in canonical form (write {str(f)[:40]!r})")
    return f


def field(obj, key, path):
    bad_if(not isinstance(obj, dict), path, f"expected an object, got {type(obj).__name__}")
    bad_if(key not in obj, path, f"missing field {key!r}")
    return obj[key]


def only(obj, keys, path):
    bad_if(not isinstance(obj, dict), path, f"expected an object, got {type(obj).__name__}")
    if extra := sorted(set(obj) - set(keys)):
        bad(path, f"unknown field {extra[0][:40]!r}")


def posint(x, path, limit):
    bad_if(isinstance(x, bool) or not isinstance(x, int) or not 1 <= x <= limit, path,
           f"expected an integer in [1, {limit}], got {str(x)[:40]}")
    return x


def vec(x, n, path):
    bad_if(not isinstance(x, list), path, f"expected a list of {n} rationals, got {type(x).__name__}")
    bad_if(n is not None and len(x) != n, path, f"expected {n} entries, got {len(x)}")
    return [rat(v, f"{path}[{i}]") for i, v in enumerate(x)]


def mat(x, rows, cols, path):
    """A matrix as a list of rows; rows / cols = None means 'any (>= 1)'."""
    bad_if(not isinstance(x, list) or not x, path, "expected a non-empty list of rows")
    bad_if(rows is not None and len(x) != rows, path, f"expected {rows} rows, got {len(x)}")
    bad_if(not isinstance(x[0], list) or not x[0], f"{path}[0]", "expected a non-empty row")
    cols = len(x[0]) if cols is None else cols
    bad_if(len(x) * cols > MAX_ENTRIES, path, f"more than {MAX_ENTRIES} entries")
    return [vec(r, cols, f"{path}[{i}]") for i, r in enumerate(x)]


# --------------------------------------------------------------------------- the embedded problem
class Problem:
    """A validated problem. `shapes` lists the (rows, cols) of each parameter matrix in canonical order."""

    __slots__ = ("kind", "shapes", "labels", "nparams", "X", "Y", "reg", "widths", "act", "U", "teacher", "sha", "loss")

    def __init__(self, **kw):
        for k in self.__slots__:
            object.__setattr__(self, k, kw.get(k))

    def __setattr__(self, k, v):
        raise AttributeError("Problem is frozen")

    def describe(self):
        (a, n), loss = self.shapes[0], "" if self.loss in (None, ("square",)) else f", loss {self.loss[0]}"
        return {"deep-linear": f"deep-linear widths {self.widths}{loss}", "relu-teacher": f"relu-teacher k={a} n={n}",
                "two-layer": f"two-layer {'relu' if self.act == 'relu' else 'poly'} n={n} width={a}{loss}"}[self.kind]


def _coeffs(x, lo, path):
    bad_if(not isinstance(x, list) or not lo <= len(x) <= MAX_POLY_DEGREE + 1, path,
           f"expected {lo}..{MAX_POLY_DEGREE + 1} coefficients")
    return vec(x, None, path)


def _loss(x, Y, path):
    """The fit term ℓ (FORMAT.md "Losses"): ("square",), ("mse",), ("logistic",), ("cross-entropy",),
    ("poly", [c_0, …, c_d]) for Σ φ(E_ij) (``{"power": p}`` is φ = t^p / p), ("huber", δ)."""
    bad_if(x == "logistic" and not all(y in (1, -1) for row in Y for y in row), "problem.Y",
           "the logistic loss needs labels ±1")
    bad_if(x == "cross-entropy" and (len(Y) < 2 or any(min(col) < 0 or sum(col) != 1 for col in zip(*Y))), "problem.Y",
           "the cross-entropy loss needs d_y ≥ 2 and probability columns (≥ 0, sum 1)")
    if x in ("square", "mse", "logistic", "cross-entropy"):
        return (x,)
    bad_if(not isinstance(x, dict) or len(x) != 1, path, 'expected "square", "mse", "logistic", "cross-entropy" or '
           'one of {"power": p}, {"poly": [...]}, {"huber": δ}')
    (key, v), = x.items()
    if key == "power":
        bad_if(posint(v, f"{path}.power", MAX_POLY_DEGREE) % 2 or v < 4, f"{path}.power",
               "expected an even integer ≥ 4")
        return ("poly", [0] * v + [Fraction(1, v)])
    if key == "poly":
        cs = _coeffs(v, 3, f"{path}.poly")
        bad_if(cs[-1] <= 0 or (len(cs) - 1) % 2, f"{path}.poly",
               "φ needs even degree and a positive leading coefficient (bounded below)")
        return ("poly", cs)
    if key == "huber":
        bad_if(rat(v, f"{path}.huber") <= 0, f"{path}.huber", "δ must be positive")
        return ("huber", rat(v, f"{path}.huber"))
    bad(path, f"unknown loss {printable(key)[:40]!r}")


def _reg(x, shapes, path):
    if isinstance(x, list):
        bad_if(len(x) != len(shapes), path, f"expected a scalar or a list of {len(shapes)} matrices, got {len(x)}")
        return [mat(m, r, c, f"{path}[{i}]") for i, (m, (r, c)) in enumerate(zip(x, shapes))]
    return [[[lam] * c for _ in range(r)] for lam in [rat(x, path)] for r, c in shapes]


_FIELDS = {"deep-linear": ("kind", "widths", "X", "Y", "reg", "loss"), "relu-teacher": ("kind", "k", "n", "teacher"),
           "two-layer": ("kind", "n", "width", "activation", "X", "Y", "train_output", "output", "reg", "loss")}


def read_problem(obj, path="problem"):
    kind, extra, X, Y = field(obj, "kind", path), {}, None, None
    bad_if(not isinstance(kind, str) or kind not in _FIELDS, f"{path}.kind", f"unknown problem kind {str(kind)[:40]!r}")
    only(obj, _FIELDS[kind], path)
    get = lambda k: field(obj, k, path)  # noqa: E731
    if kind == "deep-linear":
        bad_if(not isinstance(widths := get("widths"), list) or not 2 <= len(widths) <= MAX_LAYERS + 1,
               f"{path}.widths", f"expected a list of 2..{MAX_LAYERS + 1} widths")
        widths = extra["widths"] = [posint(w, f"{path}.widths[{i}]", MAX_THEOREM_PARAMS) for i, w in enumerate(widths)]
        shapes, labels = list(zip(widths[1:], widths)), [f"W{i}" for i in range(1, len(widths))]
        X = mat(get("X"), widths[0], None, f"{path}.X")
        Y = mat(get("Y"), widths[-1], len(X[0]), f"{path}.Y")
    elif kind == "two-layer":
        n, p = posint(get("n"), f"{path}.n", MAX_PARAMS), posint(get("width"), f"{path}.width", MAX_THEOREM_PARAMS)
        act = get("activation")
        if act != "relu":
            only(act, ("poly",), f"{path}.activation")
            act = _coeffs(field(act, "poly", f"{path}.activation"), 1, f"{path}.activation.poly")
        X = mat(get("X"), n, None, f"{path}.X")
        Y = mat(get("Y"), None, len(X[0]), f"{path}.Y")
        bad_if(not isinstance(train := get("train_output"), bool), f"{path}.train_output", "expected true or false")
        bad_if(train and obj.get("output") is not None, f"{path}.output", "must be null when train_output is true")
        shapes, labels = ([(p, n), (len(Y), p)], ["W", "U"]) if train else ([(p, n)], ["W"])
        extra = {"act": act, "U": None if train else mat(obj.get("output"), len(Y), p, f"{path}.output")}
    else:
        shapes, labels = [(posint(get("k"), f"{path}.k", MAX_PARAMS), posint(get("n"), f"{path}.n", MAX_PARAMS))], ["W"]
        extra["teacher"] = mat(get("teacher"), None, shapes[0][1], f"{path}.teacher")
    extra["loss"] = None if X is None else _loss(obj.get("loss", "square"), Y, f"{path}.loss")
    nparams = sum(r * c for r, c in shapes)
    bad_if(nparams > MAX_THEOREM_PARAMS, path, f"{nparams} parameters exceeds the limit of {MAX_THEOREM_PARAMS}")
    bad_if(X is not None and (len(X) + len(Y)) * len(X[0]) > MAX_DATA, path, f"data matrices exceed {MAX_DATA} entries")
    reg = [] if X is None else _reg(get("reg"), shapes, f"{path}.reg")
    return Problem(kind=kind, shapes=shapes, labels=labels, nparams=nparams, X=X, Y=Y, reg=reg,
                   sha=problem_hash(obj), **extra)
