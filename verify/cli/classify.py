"""``spurious classify PROBLEM --point POINT [--cert FILE] [--timeout S] --json`` — one point, exactly."""

from __future__ import annotations

import json
import sys

from verify.cli.common import EXIT_OK, add_json, add_point, add_problem, add_timeout, emit, write_json


def register(sub) -> None:
    c = sub.add_parser("classify", help="classify a point of the loss exactly (with a certificate on request)",
                       description="Classify one point: not-critical, global-min, spurious-local-min, local-min, "
                       "strict-saddle, non-strict-saddle, local-max or unknown (with the reason).")
    add_problem(c)
    add_point(c)
    c.add_argument("--cert", help="write a certificate the checker verified to this file (default: none, no file)")
    c.add_argument("--plot", default=None, metavar="FILE.png", help="write the loss along the witnesses (descent "
                   "direction or curve, ascent direction) when the class has them (matplotlib; numeric picture)")
    add_timeout(c, 120.0)
    add_json(c)
    c.set_defaults(func=run)


def run(args) -> int:
    from verify.certify import classify_point as classify
    from verify.errors import WallClockTimeout
    from verify.exact.classify import Classification
    from verify.infra.limits import wall_clock_limit
    from verify.problems import load_point, load_problem
    from verify.verdict import PointClass

    problem = load_problem(args.problem)
    point = load_point(problem, args.point)
    try:
        with wall_clock_limit(args.timeout):
            c = classify(problem, point)
    except WallClockTimeout as e:
        c = Classification(PointClass.UNKNOWN, None, None, None, f"timeout: {e}; nothing was decided")
    cert_path, note = None, None
    if args.cert:
        from verify.certify import emit_checked

        cert, note = emit_checked(problem, point, c)
        if cert is not None:
            write_json(args.cert, cert)
            cert_path = args.cert
        else:
            print(f"spurious: note: {note}; no certificate written", file=sys.stderr)
    out = c.to_json(certificate=cert_path)
    lines = [f"class:    {out['class']}", f"loss:     {out['loss'] if out['loss'] is not None else 'n/a'}",
             f"gradient: {'zero' if c.gradient_zero else ('non-zero' if c.gradient_zero is False else 'n/a')}",
             f"inertia:  {out['hessian_inertia'] or 'n/a'} (negative, zero, positive)", f"reason:   {c.reason}"]
    if out["witness"]:
        lines.append(f"witness:  {json.dumps(out['witness'])}")
    if cert_path:
        lines.append(f"certificate: {cert_path} ({note})")
    if args.plot:
        curves = {}
        if c.direction is not None:
            curves[f"descent: θ + t·v (vᵀHv = {c.curvature})"] = [[float(x) for x in c.direction]]
        elif c.curve is not None:
            curves[f"descent curve (order {c.curve.order})"] = [[float(x) for x in k] for k in c.curve.coefficients]
        if c.ascent is not None:
            curves["ascent: θ + t·u"] = [[float(x) for x in c.ascent]]
        if curves:
            from numeric.witness_figure import plot_witnesses

            plot_witnesses(problem, point, curves, args.plot, f"{problem.describe()}: {out['class']}")
            out["plot"] = args.plot
            lines.append(f"figure:   {args.plot} (the loss along the witnesses; numeric picture)")
        else:
            lines.append(f"figure:   none (a {out['class']} has no witness curve to draw)")
    emit(args, out, "\n".join(lines))
    return EXIT_OK
