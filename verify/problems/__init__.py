"""The pure problem model: one module per kind and the registry :data:`KINDS` every layer reads.

``numeric/`` may import this package and nothing else of ``verify/`` (it loads no flint, sympy or z3).

>>> from verify.problems import KINDS, problem_from_dict
>>> sorted(KINDS)
['deep-linear', 'network', 'relu-teacher', 'two-layer']
>>> problem_from_dict({"kind": "deep-linear", "widths": [1, 1], "X": [[1]], "Y": [[2]]}).n_params
1
"""

from verify.problems.base import MAX_PARAMS, Matrix, Problem, Reg, shape, zeros
from verify.problems.deep_linear import DeepLinear
from verify.problems.files import (
    load_point,
    load_problem,
    point_from_obj,
    point_to_json,
    problem_from_dict,
    problem_to_json,
    problem_to_toml,
)
from verify.problems.network import Activation, Network
from verify.problems.relu_teacher import ReluTeacher, default_teacher
from verify.problems.two_layer import TwoLayer

KINDS: dict[str, type[Problem]] = {cls.kind: cls for cls in (DeepLinear, TwoLayer, ReluTeacher, Network)}
"""Problem kind name → its dataclass (file form, ring loss, capabilities). A new kind is one entry here."""

__all__ = ["KINDS", "MAX_PARAMS", "Activation", "DeepLinear", "Network", "Matrix", "Problem", "Reg", "ReluTeacher",
           "TwoLayer", "default_teacher", "load_point", "load_problem", "point_from_obj", "point_to_json",
           "problem_from_dict", "problem_to_json", "problem_to_toml", "shape", "zeros"]
