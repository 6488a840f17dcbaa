"""Spurious' numeric layer: batched torch losses, Hessian spectra, multi-start search, export to the exact layer.

Numeric results are ``evidence`` (candidates), never proofs. Imports from ``verify`` only its pure modules
(verify.problems, verify.errors, verify.verdict). Names are loaded lazily (PEP 562), so that importing
``numeric.commands`` to register the CLI command does not import torch.

>>> from numeric import make_loss, search   # doctest: +SKIP
"""

from importlib import import_module

_WHERE = {
    "export_candidates": "bridge", "rationalise": "bridge",
    "Criticality": "export", "Export": "export", "Route": "export", "exact_criticality": "export",
    "Dual": "dual", "LOWERINGS": "losses", "Lowering": "losses", "lowering": "losses",
    "Bands": "classify", "NumericPoint": "classify", "classify_point": "classify", "classify_points": "classify",
    "global_value": "classify",
    "gradients": "hessian", "hessians": "hessian", "hvp": "hessian", "lanczos": "hessian",
    "point_spectrum": "hessian", "power_extremes": "hessian",
    "BatchedLoss": "losses", "make_loss": "losses", "value_and_grad": "losses",
    "SearchConfig": "search", "SearchResult": "search", "search": "search", "METHODS": "methods",
    "Poly": "poly", "from_sequential": "torch_import", "torch_loss": "torch_import",
    "Escape": "escape", "escape_test": "escape",
    "ShallowCheck": "shallow", "ShallowStatus": "shallow", "shallow_check": "shallow",
    "InstanceEvidence": "depth_evidence", "instance_evidence": "depth_evidence", "losses_evidence": "depth_evidence",
    "random_instance": "depth_evidence",
}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'numeric' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
