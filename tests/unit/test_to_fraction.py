"""``verify.exact.loss.to_fraction``: the one conversion of an exact rational (python-flint, sympy, int) to a
:class:`~fractions.Fraction`, exact and with plain ``int`` numerator and denominator."""

from fractions import Fraction

import flint
import sympy
from hypothesis import given
from hypothesis import strategies as st

from verify.exact.loss import to_fraction


@given(st.fractions(max_denominator=10**30).filter(lambda x: abs(x.numerator) < 10**40))
def test_every_exact_rational_type_converts_to_the_same_fraction(x):
    p, q = x.numerator, x.denominator
    forms = [x, flint.fmpq(p, q), sympy.Rational(p, q)] + ([p, flint.fmpz(p), sympy.Integer(p)] if q == 1 else [])
    for form in forms:
        f = to_fraction(form)
        assert type(f) is Fraction and f == x, (form, f)
        assert type(f.numerator) is int and type(f.denominator) is int, form
