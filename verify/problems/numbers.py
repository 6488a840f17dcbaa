"""Exact rational numbers and matrices from untrusted text: integers, "p/q" strings, decimal strings.

Every number that enters Spurious passes through :func:`to_fraction`. Decimal strings are exact
rationals (``"1.25"`` is 5/4); a float is taken as its exact binary value with a warning. Numbers
are bounded (:data:`MAX_DIGITS` digits per numerator or denominator) so that a hostile file cannot
make the exact layer hang.

>>> to_fraction("3/2", "X[0][0]")
Fraction(3, 2)
>>> to_fraction("-0.125", "Y[0][1]")
Fraction(-1, 8)
"""

from __future__ import annotations

import math
import re
import warnings
from fractions import Fraction

from verify.errors import InputError

MAX_DIGITS = 1000
"""Largest number of decimal digits accepted in a numerator, denominator or decimal string."""

_RATIO = re.compile(r"^\s*([+-]?\d+)\s*(?:/\s*(\d+))?\s*$")
_DECIMAL = re.compile(r"^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$")
_LIMIT = 10 ** MAX_DIGITS


class FloatWarning(UserWarning):
    """A float was given where an exact rational is expected; its exact binary value is used."""


def show(value: object, limit: int = 60) -> str:
    """``repr(value)`` for an error message: shortened, and safe for huge ints (whose repr raises)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"<an integer of about {int(value.bit_length() / 3.3219) + 1} digits>"
    try:
        text = repr(value)
    except ValueError:
        return f"<a {type(value).__name__} too large to print>"
    return text if len(text) <= limit else text[: limit - 5] + "…" + text[-4:]


def _check_digits(n: int, field: str) -> None:
    # exact, and cheap even for huge ints (one comparison)
    if abs(n) >= _LIMIT:
        raise InputError(field, f"number has more than {MAX_DIGITS} digits; give a smaller exact value")


def to_fraction(value: object, field: str) -> Fraction:
    """Parse ``value`` (int, "p/q", decimal string, or float) as an exact :class:`Fraction`.

    Raises :class:`InputError` naming ``field`` for anything else (bool, None, NaN, inf, lists,
    non-numeric strings, zero denominators, more than :data:`MAX_DIGITS` digits).
    """
    if isinstance(value, bool):
        raise InputError(field, f"expected a number, got the boolean {value!r}")
    if isinstance(value, int):
        _check_digits(value, field)
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(field, f"{value!r} is not a finite number")
        warnings.warn(f"{field}: float {value!r} taken as its exact binary value; "
                      "write it as a string (\"p/q\" or \"1.25\") to be exact", FloatWarning, stacklevel=2)
        frac = Fraction(value)
        _check_digits(frac.numerator, field)
        _check_digits(frac.denominator, field)
        return frac
    if isinstance(value, Fraction):
        _check_digits(value.numerator, field)
        _check_digits(value.denominator, field)
        return value
    if not isinstance(value, str):
        raise InputError(field, f"expected a number (integer, \"p/q\" or decimal string), got {type(value).__name__}")
    if len(value) > 2 * MAX_DIGITS + 16:
        raise InputError(field, f"number string of {len(value)} characters is too long (at most {MAX_DIGITS} digits)")
    m = _RATIO.match(value)
    if m:
        num = int(m.group(1))
        den = int(m.group(2)) if m.group(2) is not None else 1
        if den == 0:
            raise InputError(field, f"{value!r} has a zero denominator")
        _check_digits(num, field)
        _check_digits(den, field)
        return Fraction(num, den)
    m = _DECIMAL.match(value)
    if m and (m.group(2) or m.group(3)):
        sign, whole, frac_digits, exp = m.group(1), m.group(2) or "0", m.group(3) or "", m.group(4)
        e = int(exp) if exp else 0
        if abs(e) > MAX_DIGITS:
            raise InputError(field, f"exponent in {value!r} is out of range (|e| ≤ {MAX_DIGITS})")
        num = int(whole + frac_digits) * (-1 if sign == "-" else 1)
        result = Fraction(num, 10 ** len(frac_digits)) * Fraction(10) ** e
        _check_digits(result.numerator, field)
        _check_digits(result.denominator, field)
        return result
    raise InputError(field, f"{value!r} is not a number (write an integer, \"p/q\" or a decimal like \"1.25\")")


def to_int(value: object, field: str, *, minimum: int = 1, maximum: int = 10_000) -> int:
    """Parse a positive integer size (a width, a count) within ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(field, f"{show(value)} must be an integer")
    if value < minimum:
        raise InputError(field, f"{show(value)} must be ≥ {minimum}")
    if value > maximum:
        raise InputError(field, f"{show(value)} is larger than the limit {maximum}")
    return value


def int_str(n: int) -> str:
    """Decimal text of an integer of any size (Python refuses ``str`` past 4,300 digits; results of exact work
    on inputs of up to :data:`MAX_DIGITS` digits can be longer)."""
    try:
        return str(n)
    except ValueError:
        sign, n = ("-", -n) if n < 0 else ("", n)
        chunks, base = [], 10 ** 4000
        while n:
            n, r = divmod(n, base)
            chunks.append(r)
        return sign + str(chunks[-1]) + "".join(str(c).zfill(4000) for c in reversed(chunks[:-1]))


def fraction_str(x: Fraction) -> str:
    """The canonical "p/q" text of a rational ("p" when q = 1), of any size."""
    x = Fraction(x)
    return int_str(x.numerator) if x.denominator == 1 else f"{int_str(x.numerator)}/{int_str(x.denominator)}"


def short(x, limit: int = 60) -> str:
    """A rational for a message: "p/q" when short, else its sign, magnitude and size (never a huge ``str``).

    >>> short(Fraction(3, 2)), short(Fraction(10 ** 5000 + 1, 3))
    ('3/2', '≈3.33e+4999 (a rational of 5001/1 digits)')
    """
    x = Fraction(x)
    p, q = x.numerator, x.denominator
    dp, dq = _digits(p), _digits(q)
    if dp + dq <= limit:
        return fraction_str(x)
    exp = dp - dq
    mantissa = float(x / Fraction(10) ** exp)           # in (0.1, 10): a float whatever the size of x
    while abs(mantissa) >= 10:
        mantissa, exp = mantissa / 10, exp + 1
    while 0 < abs(mantissa) < 1:
        mantissa, exp = mantissa * 10, exp - 1
    return f"≈{mantissa:.2f}e{exp:+d} (a rational of {dp}/{dq} digits)"


def _digits(n: int) -> int:
    """Number of decimal digits of |n| (exact, without ``str``)."""
    n = abs(n)
    d = max(1, int(n.bit_length() * 0.30102999566398120))
    while 10 ** d <= n:
        d += 1
    while d > 1 and 10 ** (d - 1) > n:
        d -= 1
    return d


MAX_ENTRIES = 1_000_000
"""Largest number of entries in one matrix of a file."""
MAX_WIDTH = 100_000
MAX_DEPTH = 1_000


def parse_matrix(value: object, field: str, *, allow_empty_rows: bool = False):
    """A non-empty list of equal-length rows of exact numbers, as a tuple of tuples of Fractions."""
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


def parse_reg(value: object):
    """A regulariser: one scalar λ, or a list of matrices Λ_i (one per weight)."""
    if isinstance(value, list):
        return tuple(parse_matrix(m, f"reg[{i}]") for i, m in enumerate(value))
    return to_fraction(value, "reg")


def matrix_json(m) -> list:
    return [[fraction_str(x) for x in row] for row in m]


def reg_json(reg):
    return fraction_str(reg) if isinstance(reg, Fraction) else [matrix_json(m) for m in reg]
