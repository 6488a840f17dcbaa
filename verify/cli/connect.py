"""``spurious connect PROBLEM --a P1 --b P2 [--level L0] [--max-beads N] [--seed S] [--timeout S] [--plot FILE]
[--cert FILE] --json`` — Dynamic String Sampling (Freeman & Bruna 2017) between two points below a level.

The string is numeric (:mod:`numeric.paths`): ``evidence`` when every segment was sampled below L0, ``unknown``
when the budget ended first (which does not mean the two points lie in different components of {L ≤ L0}). With
``--cert`` a connected string is rationalised and handed to :func:`verify.certify.sublevel.sublevel_certificate`;
when it returns a certificate the answer is ``proved`` with trust ``kernel``.
"""

from __future__ import annotations

import sys
from fractions import Fraction

from verify.cli.common import (
    DEFAULT_TIMEOUT,
    EXIT_OK,
    Progress,
    add_json,
    add_problem,
    add_timeout,
    count,
    emit,
    write_json,
)

OPTIONS = {"level": "--level", "a": "--a", "b": "--b", "max_beads": "--max-beads", "seed": "--seed",
           "time_limit": "--timeout"}
"""numeric.paths' argument names → this command's options (for error messages)."""

TABLE_ROWS = 12
"""The human output lists at most this many segments (the first and last ones); ``--json`` has them all."""


def register(sub) -> None:
    c = sub.add_parser("connect", help="join two minima by a string of beads below a level (Dynamic String "
                       "Sampling; evidence, or proved with --cert)",
                       description="Freeman & Bruna 2017: start from the segment [a, b]; at the highest point of "
                       "each segment above L0 train a bead down below L0 by gradient descent, insert it and recurse "
                       "on both halves, until every segment stays below L0 on a dense sample or a budget ends. "
                       "Reports the beads, the max loss on each segment and the normalised geodesic length "
                       "Σ‖θ_i − θ_{i+1}‖ / ‖θ_a − θ_b‖. Batched in torch (float64; CUDA when present).")
    add_problem(c)
    c.add_argument("--a", required=True, metavar="POINT", help="first end: a point file (JSON, CONTRACT.md)")
    c.add_argument("--b", required=True, metavar="POINT", help="second end: a point file (JSON)")
    c.add_argument("--level", metavar="L0", default=None,
                   help="the level L0: an integer, \"p/q\" or a decimal (default: max(L(a), L(b)) + 10%% of the "
                   "loss range sampled on the segment [a, b])")
    c.add_argument("--max-beads", type=count(0, 100_000), default=64, metavar="N", help="at most N beads inserted")
    c.add_argument("--seed", type=count(0, 2 ** 63 - 1), default=0, help="seed of the beads' start noise")
    add_timeout(c, DEFAULT_TIMEOUT, "wall-clock limit on the string sampling (then: not connected within budget)")
    c.add_argument("--plot", metavar="FILE.png", default=None,
                   help="write a figure of the loss along the string (needs matplotlib)")
    c.add_argument("--cert", metavar="FILE", default=None,
                   help="certify a connected string exactly (sublevel-path) and write the certificate here")
    c.add_argument("--quiet", action="store_true", help="no progress on stderr (by default: a line every few "
                   "seconds, or one updated line on a terminal)")
    add_json(c)
    c.set_defaults(func=run)


def _point(problem, path: str, option: str):
    """The point file at ``path``; errors name ``option`` (``--a``/``--b``) instead of ``point``. Float entries
    (what a numeric search writes) are taken as their exact binary values with ONE warning for the file."""
    import warnings

    from verify.errors import InputError
    from verify.problems import load_point
    from verify.problems.numbers import FloatWarning

    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always", FloatWarning)
            point = load_point(problem, path)
    except InputError as e:
        field = option + e.field[len("point"):] if e.field.startswith("point") else e.field
        raise InputError(field, e.detail) from None
    floats = sum(1 for w in seen if issubclass(w.category, FloatWarning))
    for w in seen:
        if not issubclass(w.category, FloatWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if floats:
        warnings.warn(f"{option}: {floats} float entr{'y' if floats == 1 else 'ies'} taken as exact binary values "
                      "(the certificate's ends are these exact points)", FloatWarning, stacklevel=2)
    return point


def _level(text: str | None) -> Fraction | None:
    from verify.errors import InputError
    from verify.problems.numbers import to_fraction

    if text is None:
        return None
    level = to_fraction(text, "--level")
    if abs(level) > Fraction(10) ** 300:
        raise InputError("--level", "is beyond float64 (the numeric layer); give a smaller level")
    return level


def certify(problem, a, b, result, level: Fraction, timeout: float) -> tuple[dict | None, str]:
    """(certificate or None, reason) from :func:`verify.certify.sublevel.sublevel_certificate` for the string
    a (exact), the inner beads of ``result`` (floats, rationalised there), b (exact)."""
    try:
        from verify.certify.sublevel import sublevel_certificate
    except ImportError:
        return None, "certification not available (verify.certify.sublevel is missing from this build)"
    r = sublevel_certificate(problem, [a, *result.beads[1:-1], b], level, timeout=timeout)
    return r.certificate, r.reason


def run(args) -> int:
    from verify.errors import InputError
    from verify.problems import load_problem
    from verify.verdict import Status, Trust

    problem = load_problem(args.problem)
    a, b = _point(problem, args.a, "--a"), _point(problem, args.b, "--b")
    level = _level(args.level)
    from numeric.paths import connect  # torch: only once the input is read

    shown = None if args.quiet else Progress("connect")

    def progress(info: dict) -> None:
        shown.update(f"round {info['round']}: {info['beads']} beads, {info['open']} segments open")

    try:
        result = connect(problem, a, b, None if level is None else float(level), max_beads=args.max_beads,
                         seed=args.seed, time_limit=args.timeout, on_progress=None if shown is None else progress)
    except InputError as e:
        raise InputError(OPTIONS.get(e.field, e.field), e.detail) from None
    finally:
        if shown is not None:
            shown.close()
    out = result.to_json()
    if level is not None:
        out["level_exact"] = str(level)
    status, trust, cert_path, cert_reason = result.status, result.trust, None, None
    if args.cert:
        if not result.connected:
            cert_reason = "not attempted: the numeric string is not connected below L0"
        else:
            cert, cert_reason = certify(problem, a, b, result,
                                       level if level is not None else Fraction(result.level), args.timeout)
            if cert is not None:
                write_json(args.cert, cert)
                cert_path, status, trust = args.cert, Status.PROVED, Trust.KERNEL
        if cert_path is None:
            print(f"spurious: note: {cert_reason}; no certificate written", file=sys.stderr)
    out.update({"status": status.value, "trust": trust.value, "certificate": cert_path})
    if args.cert:
        out["certificate_reason"] = cert_reason
    if args.plot:
        from numeric.paths.figure import plot_string

        plot_string(problem, result, args.plot)
        out["plot"] = args.plot
    emit(args, out, _human(out, result))
    return EXIT_OK


def _human(out: dict, result) -> str:
    verdict = "connected" if result.connected else "NOT connected within budget"
    length = out["geodesic_length"]
    c = out["counts"]
    lines = [f"{verdict} below L0 = {out['level']:.6g} ({out['level_source']}): {out['status']} "
             f"(trust: {out['trust']})",
             f"L(a) = {out['loss_a']:.6g}, L(b) = {out['loss_b']:.6g}; max along the string {out['max_loss']:.6g}",
             f"beads: {c['beads']} inserted ({c['trained']} trained, depth {c['depth']}, {c['rounds']} rounds); "
             f"normalised geodesic length {'n/a' if length is None else f'{length:.6g}'}",
             f"reason: {out['reason']}"]
    if out.get("certificate_reason"):
        lines.append(f"certificate: {out['certificate'] or 'none'} ({out['certificate_reason']})")
    segs = out["segment_max"]
    rows = list(range(len(segs)))
    if len(rows) > TABLE_ROWS:
        rows = rows[:TABLE_ROWS // 2] + [None] + rows[-(TABLE_ROWS // 2):]
    lines.append("segment   max L        below L0")
    for i in rows:
        below = "" if i is None else ("yes" if segs[i] <= out["level"] else "NO")
        lines.append("  …" if i is None else f"  {i:<6d}  {segs[i]:<11.6g}  {below}")
    if out.get("plot"):
        lines.append(f"figure: {out['plot']}")
    lines.append(f"{out['seconds']:.2f} s on {out['device']}, seed {out['seed']}")
    return "\n".join(lines)
