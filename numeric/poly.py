"""Polynomial activations in torch: σ(z) = Σ_k c_k z^k by Horner's rule, and :class:`Poly`, the module that puts one
in an ``nn.Sequential`` (:func:`numeric.from_sequential` reads its exact coefficients back).

>>> import torch
>>> Poly([1, 0, "1/2"])(torch.tensor([2.0], dtype=torch.float64)).tolist()       # 1 + ½·2²
[3.0]
"""

from __future__ import annotations

from fractions import Fraction

import torch
from torch import nn

from verify.errors import InputError
from verify.problems.numbers import to_fraction


def horner(coeffs, z: torch.Tensor) -> torch.Tensor:
    """Σ_k c_k z^k elementwise (``coeffs`` = [c_0, …, c_K] as floats, K ≥ 0), by Horner's rule."""
    acc = torch.full_like(z, coeffs[-1])
    for c in reversed(coeffs[:-1]):
        acc = acc * z + c
    return acc


class Poly(nn.Module):
    """σ(z) = Σ_k c_k z^k elementwise; the coefficients are kept exactly (ints, Fractions, "p/q" strings)."""

    def __init__(self, coeffs):
        super().__init__()
        if not isinstance(coeffs, (list, tuple)) or not coeffs:
            raise InputError("coeffs", "must be a non-empty list of polynomial coefficients [c0, c1, ...]")
        self.coeffs: tuple[Fraction, ...] = tuple(to_fraction(c, f"coeffs[{j}]") for j, c in enumerate(coeffs))
        if all(c == 0 for c in self.coeffs):
            raise InputError("coeffs", "needs at least one non-zero coefficient")

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return horner([float(c) for c in self.coeffs], z)

    def extra_repr(self) -> str:
        return "coeffs=[" + ", ".join(str(c) for c in self.coeffs) + "]"
