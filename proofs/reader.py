"""Reading untrusted certificate input: hard limits, strict JSON, exact rationals, the embedded problem.

Everything here runs BEFORE any mathematics: it turns bytes / text / an already-parsed dict into plain
JSON values (dict, list, str, int, bool, None -- never float, NaN or Infinity) and then into a validated
`Problem`. Any violation raises `MalformedCertificate` naming the field, e.g.
``problem.X[1][0]: '1.5' is not a rational 'p' or 'p/q'``. Imports: stdlib only (and, where a loss
is read, the table of losses in proofs/loss.py).
"""

import hashlib
import json
import math
import re
from collections import namedtuple
from fractions import Fraction

MAX_BYTES = 5_000_000      # certificate file size
MAX_DEPTH = 20             # JSON nesting
MAX_DIGITS = 2000          # decimal digits per integer (numerator / denominator)
MAX_PARAMS = 400           # parameters of the network a point claim reads (length of a point)
MAX_THEOREM_PARAMS = 200_000  # parameters of a problem whose certificate reads no point (a theorem instance)
MAX_ENTRIES = 160_000      # entries of any one matrix (a 400 × 400 congruence)
MAX_DATA = 100_000         # numbers in the data matrices X and Y together
MAX_SAMPLE_PARAMS = 100_000  # samples m × parameters N (the exact Hessian costs O(m·N) Jet operations and more)
MAX_LAYERS = 16            # depth H of a deep-linear or network problem
MAX_POLY_DEGREE = 10       # degree of a polynomial activation
MAX_CURVE_DEGREE = 8       # degree of a descent / ascent curve
MAX_POLY_LOSS_DEGREE = 256  # degree of L in θ when the checker expands it (complete landscapes, Morse–Bott families)


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


def checked(obj, key, path, ok, why, default=None):
    """obj[key] (read by `field`, or `default` when absent if one is given) if `ok` accepts it -- `ok` is a predicate
    or the tuple of the allowed values --, else MalformedCertificate 'path.key: why'."""
    value = field(obj, key, path) if default is None else obj.get(key, default)
    bad_if(value not in ok if isinstance(ok, tuple) else not ok(value), f"{path}.{key}", why)
    return value


def listed(obj, key, path, lo, hi, why, default=None):
    """obj[key] as by `checked`, a list of lo..hi entries."""
    return checked(obj, key, path, lambda v: isinstance(v, list) and lo <= len(v) <= hi, why, default)


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
class Problem(namedtuple("Problem", "kind shapes labels nparams size X Y reg widths layers act U teacher sha loss text "
                           "polynomial piecewise linear", defaults=(None,) * 19)):
    """A validated problem (immutable). `shapes` lists the (rows, cols) of each parameter block in canonical order
    (`labels` names them). Every kind but relu-teacher is read as ONE layered network (FORMAT.md "Problem")

        Ŷ = W_H σ_{H−1}(⋯ σ_1(W_1 X + b_1) ⋯) + b_H,     L = ℓ(Ŷ, Y) + ½ Σ_i ⟨Λ_i, W_i ∘ W_i⟩ (trained W_i only),

    `layers` holding one (W, b, σ) per layer: W the block index of a trained weight or a fixed matrix, b the block
    index of a bias or None, σ = (name, parameter) or None after the output layer; `reg` one Λ_i per trained W_i.
    Capabilities the rules read instead of kind names: `polynomial` (every σ identity or poly, a polynomial loss, and
    deg L ≤ MAX_POLY_LOSS_DEGREE: L can be expanded) and `piecewise` (some relu / leaky relu). Rules about deep linear
    or two-layer nets as such read the kind (verify embeds a network that is one of them as that kind); a two-layer
    problem keeps `act` ("relu" or [c_0, …, c_k]) and `U` (the fixed output layer, None when trained). `size`: N plus
    the fixed weights' entries (the work of one forward pass per sample)."""

    __slots__ = ()

    def describe(self):
        return self.text


def _coeffs(x, lo, path):
    bad_if(not isinstance(x, list) or not lo <= len(x) <= MAX_POLY_DEGREE + 1, path,
           f"expected {lo}..{MAX_POLY_DEGREE + 1} coefficients")
    return vec(x, None, path)


def _loss(x, Y, path):
    """The fit term ℓ (FORMAT.md "Losses") read by its entry of `proofs.loss.LOSSES`: a bare name ("square", …; its
    targets Y checked) or a one-key table {name: value} parsed into the checker's loss tuple."""
    from .loss import LOSSES  # beside the evaluators (loss.py imports from here): read at call time
    if isinstance(x, str) and x in LOSSES and LOSSES[x][1] is None:
        ok, why = LOSSES[x][2] or (lambda Y: True, "")
        bad_if(not ok(Y), "problem.Y", why)
        return (x,)
    if not isinstance(x, dict) or len(x) != 1:
        bad(path, "expected " + ", ".join(f'"{k}"' for k, e in LOSSES.items() if e[1] is None) + " or one of "
            + ", ".join(f'{{"{k}": {e[0]}}}' for k, e in LOSSES.items() if e[1] is not None))
    (key, v), = x.items()
    bad_if(LOSSES.get(key, (None, None))[1] is None, path, f"unknown loss {printable(key)[:40]!r}")
    return LOSSES[key][1](v, f"{path}.{key}")


def _reg(x, shapes, path):
    if isinstance(x, list):
        bad_if(len(x) != len(shapes), path, f"expected a scalar or a list of {len(shapes)} matrices (one per trained "
               f"weight; biases are not regularised), got {len(x)}")
        return [mat(m, r, c, f"{path}[{i}]") for i, (m, (r, c)) in enumerate(zip(x, shapes))]
    return [[[lam] * c for _ in range(r)] for lam in [rat(x, path)] for r, c in shapes]


IDENTITY, RELU, NAMED = ("identity", None), ("leaky_relu", 0), ("identity", "relu", "tanh", "sigmoid", "softplus")


def _activation(x, path):
    """A network's σ as (name, parameter): ("identity", None), ("poly", [c_0, …, c_k]), ("leaky_relu", a) (relu: a =
    0), ("tanh", None), ("sigmoid", None) or ("softplus", None)."""
    if x in NAMED:
        return RELU if x == "relu" else (x, None)
    bad_if(not isinstance(x, dict) or len(x) != 1 or not {"poly", "leaky_relu"} >= set(x), path,
           f"expected one of {', '.join(NAMED)}, {{\"leaky_relu\": a}} or {{\"poly\": [c_0, ..., c_k]}}")
    return ("leaky_relu", rat(x["leaky_relu"], f"{path}.leaky_relu")) if "leaky_relu" in x else \
        ("poly", _coeffs(x["poly"], 1, f"{path}.poly"))


def _layered(w, acts, bias, fixed, X, Y, reg, text, names=None):
    """shapes, labels and layers (W, b, σ) of Ŷ = W_H σ(⋯ σ(W_1 X + b_1) ⋯) + b_H: W_1, b_1, W_2, b_2, … (trained);
    `degree` bounds deg Ŷ in θ (z = W a + b: +1 for a trained W, ≥ 1 with b; σ a poly of degree k: ×k)."""
    shapes, labels, layers, names, deg = [], [], [], names or [f"W{i}" for i in range(1, len(w))], 0
    for i, (act, b, F) in enumerate(zip(acts + [None], bias, fixed)):
        if F is None:
            shapes, labels = shapes + [(w[i + 1], w[i])], labels + [names[i]]
        W = len(shapes) - 1 if F is None else F
        if b:
            shapes, labels = shapes + [(w[i + 1], 1)], labels + [f"b{i + 1}"]
        layers.append((W, len(shapes) - 1 if b else None, act))
        deg = max(deg + (F is None), int(b)) * (len(act[1]) - 1 if act and act[0] == "poly" else 1)
    return dict(widths=w, shapes=shapes, labels=labels, layers=layers, X=X, Y=Y, reg=reg, text=text, degree=deg,
                piecewise=any(a[0] == "leaky_relu" for a in acts), polynomial=all(a[0] in ("identity", "poly")
                                                                                  for a in acts))


def _network(obj, get, path, linear=False):
    """A network, or a deep-linear problem (`linear`: identity activations; bias, train and weights absent)."""
    bad_if(not isinstance(w := get("widths"), list) or not 2 <= len(w) <= MAX_LAYERS + 1, f"{path}.widths",
           f"expected a list of 2..{MAX_LAYERS + 1} widths")
    w = [posint(v, f"{path}.widths[{i}]", MAX_THEOREM_PARAMS) for i, v in enumerate(w)]
    H, acts = len(w) - 1, ["identity"] * (len(w) - 2) if linear else get("activation")
    bad_if(not isinstance(acts, list) or len(acts) != H - 1, f"{path}.activation",
           f"expected a list of {H - 1} activations (one after each hidden layer; the output layer is linear)")
    acts = [_activation(a, f"{path}.activation[{i}]") for i, a in enumerate(acts)]
    bools = lambda v: isinstance(v, list) and len(v) == H and all(type(t) is bool for t in v)  # noqa: E731
    bias, train = (checked(obj, k, path, bools, f"expected a list of {H} booleans (one per layer)", [k == "train"] * H)
                   for k in ("bias", "train"))
    bad_if(not isinstance(given := obj.get("weights", []), list) or len(given) != train.count(False),
           f"{path}.weights", f"expected a list of {train.count(False)} matrices (one per false in train)")
    fixed = [None if t else mat(given[j], w[i + 1], w[i], f"{path}.weights[{j}]") for i, t in enumerate(train)
             for j in [train[:i].count(False)]]
    X, names = mat(get("X"), w[0], None, f"{path}.X"), ",".join("relu" if a == RELU else a[0] for a in acts)
    return _layered(w, acts, bias, fixed, X, mat(get("Y"), w[-1], len(X[0]), f"{path}.Y"), get("reg") if linear else
                    obj.get("reg", 0), f"deep-linear widths {w}" if linear else
                    f"network {'-'.join(map(str, w))} ({names or 'linear'}){' +bias' if any(bias) else ''}")


def _two_layer(obj, get, path):
    n, p = posint(get("n"), f"{path}.n", MAX_PARAMS), posint(get("width"), f"{path}.width", MAX_THEOREM_PARAMS)
    bad_if((a := get("activation")) != "relu" and (not isinstance(a, dict) or list(a) != ["poly"]),
           f"{path}.activation", 'expected "relu" or {"poly": [c_0, ..., c_k]}')
    a = "relu" if a == "relu" else _coeffs(a["poly"], 1, f"{path}.activation.poly")
    X = mat(get("X"), n, None, f"{path}.X")
    Y = mat(get("Y"), None, len(X[0]), f"{path}.Y")
    bad_if(not isinstance(train := get("train_output"), bool), f"{path}.train_output", "expected true or false")
    bad_if(train and obj.get("output") is not None, f"{path}.output", "must be null when train_output is true")
    U = None if train else mat(obj.get("output"), len(Y), p, f"{path}.output")
    return _layered([n, p, len(Y)], [RELU if a == "relu" else ("poly", a)], [False, False], [None, U], X, Y, get("reg"),
                    f"two-layer {'relu' if a == 'relu' else 'poly'} n={n} width={p}", "WU") | {"act": a, "U": U}


def _teacher(obj, get, path):
    k, n = posint(get("k"), f"{path}.k", MAX_PARAMS), posint(get("n"), f"{path}.n", MAX_PARAMS)
    return dict(shapes=[(k, n)], labels=["W"], teacher=mat(get("teacher"), None, n, f"{path}.teacher"),
                text=f"relu-teacher k={k} n={n}")


PROBLEM_KINDS = {"deep-linear": ("kind widths X Y reg loss", lambda *a: _network(*a, linear=True)),
                 "two-layer": ("kind n width activation X Y train_output output reg loss", _two_layer),
                 "network": ("kind widths activation bias train weights X Y reg loss", _network),
                 "relu-teacher": ("kind k n teacher", _teacher)}
"""problem kind → (its fields, its parser): the only place the checker names problem kinds."""


def read_problem(obj, path="problem"):
    kind = field(obj, "kind", path)
    bad_if(not isinstance(kind, str) or kind not in PROBLEM_KINDS, f"{path}.kind",
           f"unknown problem kind {str(kind)[:40]!r}")
    fields, parse = PROBLEM_KINDS[kind]
    only(obj, fields.split(), path)
    d = parse(obj, lambda k: field(obj, k, path), path)
    X, Y = d.get("X"), d.get("Y")
    nparams = sum(r * c for r, c in d["shapes"])
    bad_if(nparams > MAX_THEOREM_PARAMS, path, f"{nparams} parameters exceeds the limit of {MAX_THEOREM_PARAMS}")
    bad_if(nparams == 0, path, "nothing is trained (every W_i fixed and no bias)")
    bad_if(X is not None and (len(X) + len(Y)) * len(X[0]) > MAX_DATA, path, f"data matrices exceed {MAX_DATA} entries")
    if X is not None:
        d["loss"] = (name, *phi) = _loss(obj.get("loss", "square"), Y, f"{path}.loss")
        d["text"] += "" if name == "square" else f", loss {name}"
        deg = d.pop("degree") * (len(phi[0]) - 1 if name == "poly" else 2)   # deg L in θ (≤ 256: L can be expanded)
        d["polynomial"] &= name in ("square", "mse", "poly") and deg <= MAX_POLY_LOSS_DEGREE
        d["reg"] = _reg(d["reg"], [d["shapes"][W] for W, _, _ in d["layers"] if isinstance(W, int)], f"{path}.reg")
    return Problem(kind=kind, nparams=nparams, sha=problem_hash(obj), **d, size=nparams + sum(
        len(W) * len(W[0]) for W, _, _ in d.get("layers", ()) if not isinstance(W, int)))
