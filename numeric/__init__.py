"""Spurious' numeric layer: batched torch losses, Hessian spectra, multi-start search, export to the exact layer.

Numeric results are ``evidence`` (candidates), never proofs. Imports from ``verify`` only its pure modules
(problem, problem_file, numbers, errors, verdict).

>>> from numeric import make_loss, search   # doctest: +SKIP
"""

from .bridge import export_candidates, rationalise
from .classify import Bands, NumericPoint, classify_point, classify_points, global_value
from .hessian import gradients, hessians, hvp, lanczos, point_spectrum, power_extremes
from .losses import BatchedLoss, make_loss, value_and_grad
from .search import SearchConfig, SearchResult, search
from .torch_import import Poly, from_sequential

__all__ = [
    "Bands", "BatchedLoss", "NumericPoint", "Poly", "SearchConfig", "SearchResult", "classify_point",
    "classify_points", "export_candidates", "from_sequential", "global_value", "gradients", "hessians", "hvp",
    "lanczos", "make_loss", "point_spectrum", "power_extremes", "rationalise", "search", "value_and_grad",
]
