"""The one result type of every route that decides a claim (CONTRACT.md, ``spurious check``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from verify.verdict import Status, Trust


@dataclass
class ClaimResult:
    """``status``/``trust`` are enums; ``backend`` says which route answered; ``witness`` backs a refutation.

    ``unknown`` (with ``reason``) means nothing was decided — not that the claim is likely true.
    """

    claim: str
    status: Status
    trust: Trust
    reason: str
    backend: str = "exact:z3"
    witness: dict | None = None
    certificate: dict | None = None
    solvers: list = field(default_factory=list)
    excluded: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def to_json(self, cert_path: str | None = None) -> dict:
        return {"claim": self.claim, "status": self.status.value, "trust": self.trust.value,
                "witness": self.witness, "reason": self.reason, "backend": self.backend,
                "certificate": cert_path, "solvers": self.solvers, "excluded": self.excluded, **self.extra}
