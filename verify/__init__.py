"""Spurious — exact checks of claims about the loss landscapes of small networks.

Public API::

    from verify import load_problem, load_point, classify
    prob = load_problem("net.toml")
    print(classify(prob, load_point(prob, "point.json")).cls)
"""

from .classify import Classification, classify
from .errors import InputError, InternalError, SpuriousError, TooLargeError
from .problem import DeepLinear, Problem, ReluTeacher, TwoLayer
from .problem_file import load_point, load_problem, point_from_obj, problem_from_dict, problem_to_json
from .verdict import PointClass, Status, Trust

__all__ = [
    "Classification", "DeepLinear", "InputError", "InternalError", "PointClass", "Problem", "ReluTeacher",
    "SpuriousError", "Status", "TooLargeError", "Trust", "TwoLayer", "classify", "load_point", "load_problem",
    "point_from_obj", "problem_from_dict", "problem_to_json",
]
