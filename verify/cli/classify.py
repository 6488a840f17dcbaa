"""``spurious classify PROBLEM --point POINT [--cert FILE] [--timeout S] --json`` — one point, exactly."""

from __future__ import annotations

import json
import sys
from dataclasses import replace

from verify.cli.common import EXIT_OK, add_json, add_problem, add_timeout, emit, write_json


def register(sub) -> None:
    c = sub.add_parser("classify", help="classify a point of the loss exactly (with a certificate on request)",
                       description="Classify one point: not-critical, global-min, spurious-local-min, local-min, "
                       "strict-saddle, non-strict-saddle, local-max or unknown (with the reason).")
    add_problem(c)
    c.add_argument("--point", required=True, help="point file (JSON): {\"params\": [...]} or named matrices")
    c.add_argument("--cert", help="write a certificate the checker verified to this file (default: none, no file)")
    add_timeout(c, 120.0)
    add_json(c)
    c.set_defaults(func=run)


def loss_at_kink(problem, point):
    """L(θ) exactly at a ReLU kink (some (W X)_ij = 0), where L is continuous but not differentiable.

    relu(z) = max(z, 0) = z·1[z > 0] on exact rationals, also at z = 0, so the activation pattern 1[z > 0]
    gives the exact value. None for anything but a ReLU two-layer net (e.g. the relu-teacher arccos loss).
    """
    if getattr(problem, "is_relu", False) is not True:
        return None
    from fractions import Fraction

    from verify.exact.loss import loss_value
    from verify.problems.base import ring_matmul

    Z = ring_matmul(problem.unflatten(list(point))["W"], [list(r) for r in problem.X], Fraction(0))
    return loss_value(problem, point, relu_mask=tuple(tuple(z > 0 for z in row) for row in Z))


def run(args) -> int:
    from verify.cli.render import classification_json
    from verify.errors import WallClockTimeout
    from verify.exact.classify import Classification, classify
    from verify.problems import load_point, load_problem
    from verify.run.limits import wall_clock_limit
    from verify.verdict import PointClass

    problem = load_problem(args.problem)
    point = load_point(problem, args.point)
    try:
        with wall_clock_limit(args.timeout):
            c = classify(problem, point)
    except WallClockTimeout as e:
        c = Classification(PointClass.UNKNOWN, None, None, None, f"timeout: {e}; nothing was decided")
    if c.loss is None:
        c = replace(c, loss=loss_at_kink(problem, point))
    cert_path, note = None, None
    if args.cert:
        from verify.certify import emit_checked

        cert, note = emit_checked(problem, point, c)
        if cert is not None:
            write_json(args.cert, cert)
            cert_path = args.cert
        else:
            print(f"spurious: note: {note}; no certificate written", file=sys.stderr)
    out = classification_json(c, certificate=cert_path)
    lines = [f"class:    {out['class']}", f"loss:     {out['loss'] if out['loss'] is not None else 'n/a'}",
             f"gradient: {'zero' if c.gradient_zero else ('non-zero' if c.gradient_zero is False else 'n/a')}",
             f"inertia:  {out['hessian_inertia'] or 'n/a'} (negative, zero, positive)", f"reason:   {c.reason}"]
    if out["witness"]:
        lines.append(f"witness:  {json.dumps(out['witness'])}")
    if cert_path:
        lines.append(f"certificate: {cert_path} ({note})")
    emit(args, out, "\n".join(lines))
    return EXIT_OK
