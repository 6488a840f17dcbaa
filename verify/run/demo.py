"""``spurious demo``: Kawaguchi's contrast on scalar deep linear nets, classified exactly.

With x = y = 1, L(w_1, …, w_H) = ½(w_H ⋯ w_1 − 1)² (Kawaguchi 2016; REFERENCE.md):

* H = 2, origin: ∇L = 0, H = [[0, −1], [−1, 0]], eigenvalues ±1 → **strict saddle**;
* H = 3, origin: ∇L = 0, H = 0, yet L(t, t, t) − L(0) = t⁶/2 − t³ < 0 → **non-strict saddle**;
* (1, 1, 1), a factorisation of the regression solution w = 1 → **global minimum**;

plus a 2-2-2 deep linear net (a strict saddle and a rank-1 global minimum of reduced-rank
regression) and a two-layer net with σ(t) = t² at a point with a positive definite Hessian.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction as F
from pathlib import Path

from verify.certify import classify_point as classify
from verify.certify import emit_checked
from verify.errors import InputError
from verify.problems import DeepLinear, Problem, TwoLayer
from verify.problems.files import point_to_json, problem_to_toml


@dataclass(frozen=True)
class DemoCase:
    name: str
    title: str
    problem: Problem
    point: tuple
    expected: str  # what the literature says; the demo prints what the exact computation found


def _scalar(depth: int) -> DeepLinear:
    return DeepLinear(widths=(1,) * (depth + 1), X=((F(1),),), Y=((F(1),),))


def _m(*rows):
    return tuple(tuple(F(x) for x in row) for row in rows)


def demo_cases() -> list[DemoCase]:
    """The built-in small instances of the showcase."""
    ident = _m((1, 0), (0, 1))
    bottleneck = DeepLinear(widths=(2, 1, 2), X=ident, Y=_m(("3/2", 0), (0, 1)))
    square = DeepLinear(widths=(2, 2, 2), X=ident, Y=_m(("3/2", 0), (0, 1)))
    quad = TwoLayer(n=1, width=1, activation=(F(0), F(0), F(1)), X=_m((1, 2)), Y=_m((5, 3)),
                    train_output=False, output=_m((1,)))
    return [
        DemoCase("depth2-origin", "scalar, H = 2, θ = 0", _scalar(2), (0, 0), "strict-saddle"),
        DemoCase("depth3-origin", "scalar, H = 3, θ = 0", _scalar(3), (0, 0, 0), "non-strict-saddle"),
        DemoCase("depth3-factor", "scalar, H = 3, θ = (1, 1, 1)", _scalar(3), (1, 1, 1), "global-min"),
        DemoCase("square-saddle", "2-2-2, W₂W₁ keeps only σ₂ = 1", square, (0, 0, 0, 1, 0, 0, 0, 1), "strict-saddle"),
        DemoCase("bottleneck-min", "2-1-2, W₂W₁ keeps σ₁ = 3/2 (rank 1)", bottleneck,
                 (1, 0, F(3, 2), 0), "global-min"),
        DemoCase("poly-min", "two-layer σ = t², w = 1", quad, (1,), "local-min"),
    ]


def output_dir(path: str | Path, field: str = "--out") -> Path:
    """``path`` as a directory, created if missing; an :class:`InputError` naming ``field`` if it cannot be."""
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(field, f"cannot create the directory {str(path)!r}: {e.strerror or e}") from None
    return out


def run_demo(out_dir: str | Path = "spurious-out") -> list[dict]:
    """Classify every demo case exactly; write problem, point, result and certificate files to ``out_dir``.

    Every certificate is re-checked by the independent checker before it is written.
    """
    out = output_dir(out_dir)
    rows = []
    for case in demo_cases():
        c = classify(case.problem, case.point)
        cert, _ = emit_checked(case.problem, case.point, c)
        cert_path = None
        if cert is not None:
            cert_path = str(out / f"{case.name}.cert.json")
            Path(cert_path).write_text(json.dumps(cert, indent=1) + "\n")
        result = c.to_json(certificate=cert_path)
        (out / f"{case.name}.toml").write_text(problem_to_toml(case.problem))
        (out / f"{case.name}.point.json").write_text(json.dumps(point_to_json(case.problem, case.point)) + "\n")
        (out / f"{case.name}.result.json").write_text(json.dumps(result, indent=2) + "\n")
        rows.append({"case": case.name, "instance": case.title, "expected": case.expected, **result})
    return rows
