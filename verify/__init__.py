"""Spurious — exact checks of claims about the loss landscapes of small networks.

Public API::

    from verify import load_problem, load_point, classify, decide
    prob = load_problem("net.toml")
    print(classify(prob, load_point(prob, "point.json")).cls)
    print(decide(prob, "strict-saddle", timeout=30).status)   # what ``spurious check`` runs

``check_claim`` is another name for :func:`~verify.run.check.decide`: every route of the claim, in its order.

Names are loaded lazily (PEP 562): ``import verify`` loads nothing heavy, and ``numeric`` can import the pure
:mod:`verify.problems` package without loading python-flint, sympy or z3.
"""

from importlib import import_module

_WHERE = {
    "Classification": "verify.exact.classify", "classify": ("verify.certify", "classify_point"),
    "ClaimResult": "verify.run.result", "check_claim": ("verify.run.check", "decide"), "decide": "verify.run.check",
    "CLAIMS": "verify.claims", "Claim": "verify.claims",
    "InputError": "verify.errors", "InternalError": "verify.errors", "SpuriousError": "verify.errors",
    "TooLargeError": "verify.errors", "WallClockTimeout": "verify.errors",
    "KINDS": "verify.problems", "DeepLinear": "verify.problems", "Problem": "verify.problems",
    "ReluTeacher": "verify.problems", "TwoLayer": "verify.problems",
    "load_point": "verify.problems", "load_problem": "verify.problems", "point_from_obj": "verify.problems",
    "problem_from_dict": "verify.problems", "problem_to_json": "verify.problems",
    "PointClass": "verify.verdict", "SolverAnswer": "verify.verdict", "Status": "verify.verdict",
    "Trust": "verify.verdict",
}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        module, attr = _WHERE[name] if isinstance(_WHERE[name], tuple) else (_WHERE[name], name)
        value = getattr(import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'verify' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
