"""The one vocabulary of answers: point classes, claim statuses and what a verdict rests on."""

from __future__ import annotations

from enum import Enum


class PointClass(str, Enum):
    """Class of a point of the loss (CONTRACT.md, ``spurious classify``)."""

    NOT_CRITICAL = "not-critical"
    GLOBAL_MIN = "global-min"
    SPURIOUS_LOCAL_MIN = "spurious-local-min"
    LOCAL_MIN = "local-min"
    STRICT_SADDLE = "strict-saddle"
    NON_STRICT_SADDLE = "non-strict-saddle"
    LOCAL_MAX = "local-max"
    UNKNOWN = "unknown"


class Status(str, Enum):
    """Status of a claim (``spurious check``)."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNKNOWN = "unknown"
    EVIDENCE = "evidence"


class Trust(str, Enum):
    """What a verdict rests on: kernel-checked certificate, solver unsat, a cited theorem, floats, nothing."""

    KERNEL = "kernel"
    SOLVER = "solver"
    THEOREM = "theorem"
    NUMERIC = "numeric"
    NONE = "none"


class SolverAnswer(str, Enum):
    """What an SMT solver run answered; every adapter maps its solver's output onto this."""

    SAT = "sat"
    UNSAT = "unsat"
    UNKNOWN = "unknown"
    TIMEOUT = "timeout"
    ERROR = "error"

    @classmethod
    def parse(cls, text: str) -> "SolverAnswer":
        """A solver's printed answer; anything unrecognised is ERROR."""
        try:
            return cls(str(text).strip())
        except ValueError:
            return cls.ERROR


class Completion(str, Enum):
    """Whether an enumeration (``spurious critical-points``) finished: every critical point found, or not."""

    COMPLETE = "complete"
    UNKNOWN = "unknown"
