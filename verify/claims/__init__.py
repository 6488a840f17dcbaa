"""One record per claim (CONTRACT.md, ``spurious check --claim``): its name, meaning, refuting point classes,
and the routes that decide it. The CLI's ``--claim`` choices, the hunt, the numeric route and the exact
route all read :data:`CLAIMS`; a new claim that reuses existing routes is one entry here (and its known answers in
a test); its ``routes`` are names in :data:`verify.run.routes.ROUTES`, tried in the order given.

>>> CLAIMS["strict-saddle"].refuted_by
frozenset({<PointClass.SPURIOUS_LOCAL_MIN: 'spurious-local-min'>, <PointClass.NON_STRICT_SADDLE: 'non-strict-saddle'>})
"""

from __future__ import annotations

from dataclasses import dataclass

from verify.errors import InputError
from verify.verdict import PointClass


@dataclass(frozen=True)
class Claim:
    """A claim about every point of one instance.

    ``refuted_by``: point classes a certified witness of which refutes the claim. ``routes``: names of the
    deciding routes (:data:`verify.run.routes.ROUTES`, where each says what it does and when it applies), tried in
    this order by :func:`verify.run.check.decide` until one answers. Naming ``landscape`` or ``exact`` asserts that
    the claim means "no critical point of a class in ``refuted_by``" (those routes prove it by excluding them).
    An empty ``refuted_by``: no single point class refutes the claim (its counterexample is a pair: a deep minimum
    and a shallow non-minimum).
    ``summary``: one line for ``--help``.
    """

    name: str
    summary: str
    refuted_by: frozenset
    routes: tuple[str, ...]


CLAIMS: dict[str, Claim] = {c.name: c for c in (
    Claim("no-spurious-local-min", "every local minimum is a global minimum (Kawaguchi 2016)",
          frozenset({PointClass.SPURIOUS_LOCAL_MIN}),
          ("theorem", "landscape", "exact", "teacher", "smooth", "numeric")),
    Claim("strict-saddle", "every critical point that is not a global minimum has a negative Hessian eigenvalue",
          frozenset({PointClass.SPURIOUS_LOCAL_MIN, PointClass.NON_STRICT_SADDLE}),
          ("theorem", "witness", "landscape", "exact", "teacher", "smooth", "numeric")),
    Claim("no-spurious-valley", "every connected component of every sublevel set holds a global minimum "
          "(Venturi, Bandeira & Bruna 2018)", frozenset({PointClass.SPURIOUS_LOCAL_MIN}), ("theorem", "minima")),
    Claim("depth-adds-no-bad-minima", "deep linear nets, Λ = 0: every local minimum θ maps to a local minimum "
          "W_H ⋯ W_1 of the shallow problem min ℓ(R X, Y), rank R ≤ min_i d_i (Lu & Kawaguchi 2017)",
          frozenset(), ("theorem", "shallow")),
)}
"""Claim name → :class:`Claim`."""


def get_claim(name: str, field: str = "--claim") -> Claim:
    """The claim called ``name``, or an :class:`InputError` listing the claims."""
    if name not in CLAIMS:
        raise InputError(field, f"{name!r} is not a claim; expected one of {', '.join(CLAIMS)}")
    return CLAIMS[name]


def as_claim(claim: Claim | str, field: str = "--claim") -> Claim:
    """The record itself, or the record called ``claim`` (the string form at the API's edge)."""
    return claim if isinstance(claim, Claim) else get_claim(claim, field)


def claims_help() -> str:
    """One line per claim, for ``--help``."""
    return "; ".join(f"{c.name}: {c.summary}" + ("" if c.routes else " (no deciding route in this build)")
                     for c in CLAIMS.values())


__all__ = ["CLAIMS", "Claim", "as_claim", "claims_help", "get_claim"]
