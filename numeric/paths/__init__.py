"""Paths through sublevel sets: Dynamic String Sampling (Freeman & Bruna 2017), batched over pairs and beads.

:func:`connect` joins two points below a level L0 by a string of beads, or says it did not within its budget;
:func:`connect_pairs` does many pairs at once. The answers are numeric evidence (``connected``) or ``unknown``
(not connected within budget); the exact ``sublevel-path`` certificate is what proves a string below L0.

>>> from numeric.paths import connect, connect_pairs   # doctest: +SKIP
"""

from .dss import Counts, DSSConfig, Outcome, StringResult, connect, connect_pairs
from .segments import normalised_length, segment_tops, string_profile

__all__ = ["Counts", "DSSConfig", "Outcome", "StringResult", "connect", "connect_pairs", "normalised_length",
           "segment_tops", "string_profile"]
