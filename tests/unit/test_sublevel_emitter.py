"""verify.certify.sublevel: float strings rationalised and kernel-checked; failures say which segment."""

from fractions import Fraction as F

import pytest

import proofs
from verify import DeepLinear
from verify.certify.sublevel import rationalise, sublevel_certificate
from verify.errors import InputError

NET = DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(1),),))   # L = ½(ab − 1)²


def test_float_string_on_the_hyperbola_is_certified():
    r = sublevel_certificate(NET, [(1, 1), (1.5, 2 / 3), (2, 0.5)], "1/1000")
    assert r.certificate is not None, r.reason
    assert proofs.check_certificate(r.certificate).verified and r.segments == 2


def test_the_branches_are_not_certified_and_the_segment_is_named():
    r = sublevel_certificate(NET, [(1, 1), (-1, -1)], F(1, 10))
    assert r.certificate is None and "segment 0" in r.reason


def test_rationalise():
    assert rationalise(0.1) == F(1, 10) and rationalise("2/3") == F(2, 3) and rationalise(3) == 3
    with pytest.raises(InputError):
        rationalise(float("nan"))


def test_bad_beads():
    with pytest.raises(InputError):
        sublevel_certificate(NET, [(1, 1)], 1)
    with pytest.raises(InputError):
        sublevel_certificate(NET, [(1, 1), (1, 2, 3)], 1)
