"""ReLU teacher–student under Gaussian input (Safran & Shamir 2018).

F(W) = ½ E_{x~N(0,I_n)}[(Σ_i relu(w_i·x) − Σ_j relu(v_j·x))²] with k student neurons W (k × n) and the teacher
V (default: the first k standard basis vectors). In closed form through the arc-cosine kernel
k(w, v) = ‖w‖‖v‖(sin θ + (π − θ) cos θ)/(2π): not a polynomial, so :meth:`ring_loss` is None and exact
questions go to ball arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from verify.errors import InputError
from verify.problems.base import MAX_PARAMS, HiddenLayer, Matrix, Problem, check_size, positive_int, shape
from verify.problems.numbers import MAX_WIDTH, matrix_json, parse_matrix, to_int

SPURIOUS_LOSS = 1e-3
"""Safran & Shamir's threshold: a run (or a refined minimum) whose loss F stays at or above this is a spurious
candidate; the torch search (numeric/teacher.py) and the box emitter (verify/certify/relu_teacher.py) read it."""


@dataclass(frozen=True)
class ReluTeacher(Problem):
    """Safran–Shamir teacher–student: k student neurons W (k × n), teacher V (default: first k basis vectors)."""

    k: int
    n: int
    teacher: Matrix
    kind = "relu-teacher"
    file_keys = frozenset({"kind", "k", "n", "teacher"})
    required_keys = ("k", "n")
    symmetries = ("permutations of student neurons",)

    def __post_init__(self):
        positive_int(self.k, "k")
        positive_int(self.n, "n")
        if not self.teacher or shape(self.teacher)[1] != self.n:
            raise InputError("teacher", f"must have n = {self.n} columns")
        check_size(self, "k")

    @classmethod
    def from_dict(cls, d: dict) -> "ReluTeacher":
        k = to_int(d["k"], "k", maximum=MAX_WIDTH)
        n = to_int(d["n"], "n", maximum=MAX_WIDTH)
        if k * n > MAX_PARAMS:  # before building a default teacher of k × n entries
            raise InputError("k", f"k × n = {k * n} parameters exceed the limit {MAX_PARAMS}")
        teacher = parse_matrix(d["teacher"], "teacher") if "teacher" in d else default_teacher(k, n)
        return cls(k=k, n=n, teacher=teacher)

    def to_json(self) -> dict:
        return {"kind": self.kind, "k": self.k, "n": self.n, "teacher": matrix_json(self.teacher)}

    def param_shapes(self):
        return (("W", self.k, self.n),)

    def hidden_layers(self):
        return (HiddenLayer(width=self.k, incoming=("W",), outgoing=(), degree=1),)

    @property
    def transcendental(self) -> bool:
        return True

    @property
    def arccos_teacher(self) -> bool:
        return True

    def describe(self) -> str:
        return f"relu-teacher k={self.k} n={self.n}"


def default_teacher(k: int, n: int) -> Matrix:
    """V = the first k standard basis vectors of R^n (requires k ≤ n)."""
    if k > n:
        raise InputError("teacher", f"default teacher (first k basis vectors) needs k ≤ n, got k={k}, n={n}; "
                         "give teacher explicitly")
    zero, one = Fraction(0), Fraction(1)  # shared (Fractions are immutable): k × n can be 10^7 entries
    row = (zero,) * n
    return tuple(row[:i] + (one,) + row[i + 1:] for i in range(k))
