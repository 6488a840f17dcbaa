"""The one result type of every route that decides a claim (CONTRACT.md, ``spurious check``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType

from verify.verdict import Status, Trust


@dataclass(frozen=True)
class ClaimResult:
    """``status``/``trust`` are enums; ``backend`` says which route answered; ``witness`` backs a refutation.

    ``unknown`` (with ``reason``) means nothing was decided — not that the claim is likely true.
    Immutable: ``solvers``, ``excluded`` and ``queries`` are tuples, ``extra`` a read-only mapping; a route that
    adds to another's answer makes a new one (:meth:`with_`).
    """

    claim: str
    status: Status
    trust: Trust
    reason: str
    backend: str = "exact:z3"
    witness: dict | None = None
    certificate: dict | None = None
    solvers: tuple = ()
    excluded: tuple = ()
    queries: tuple = ()
    extra: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self):
        for name in ("solvers", "excluded", "queries"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))

    def __reduce__(self):   # the read-only mapping does not pickle; the copy is made whole again on load
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return (_rebuild, (values | {"extra": dict(self.extra)},))

    def with_(self, **changes) -> ClaimResult:
        """A copy with ``changes`` (the fields of :func:`dataclasses.replace`)."""
        return dataclasses.replace(self, **changes)

    def to_json(self, cert_path: str | None = None) -> dict:
        return {"claim": self.claim, "status": self.status.value, "trust": self.trust.value,
                "witness": self.witness, "reason": self.reason, "backend": self.backend,
                "certificate": cert_path, "solvers": list(self.solvers), "excluded": list(self.excluded),
                **self.extra}


def _rebuild(values: dict) -> ClaimResult:
    return ClaimResult(**values)
