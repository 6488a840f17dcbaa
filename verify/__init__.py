"""Spurious — exact checks of claims about the loss landscapes of small networks.

Public API::

    from verify import load_problem, load_point, classify, check_claim
    prob = load_problem("net.toml")
    print(classify(prob, load_point(prob, "point.json")).cls)

Names are loaded lazily (PEP 562), except ``classify``: its name is also a submodule's, and importing
``verify.classify`` anywhere would rebind ``verify.classify`` to the module, so the function is bound here
eagerly (which loads python-flint; sympy and z3 stay unloaded until used).
"""

from importlib import import_module

from .classify import Classification as Classification  # re-exported
from .classify import classify as classify

_WHERE = {
    "Classification": "classify", "classify": "classify",
    "ClaimResult": "check", "check_claim": "check",
    "InputError": "errors", "InternalError": "errors", "SpuriousError": "errors", "TooLargeError": "errors",
    "DeepLinear": "problem", "Problem": "problem", "ReluTeacher": "problem", "TwoLayer": "problem",
    "load_point": "problem_file", "load_problem": "problem_file", "point_from_obj": "problem_file",
    "problem_from_dict": "problem_file", "problem_to_json": "problem_file",
    "PointClass": "verdict", "Status": "verdict", "Trust": "verdict",
}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'verify' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
