"""A certificate (proofs/FORMAT.md) as a Coq instance file for theories/Checker.v: data only, and one theorem.

``translate(cert, hints)`` reads the fields it needs ITSELF (strictly: the format's canonical rationals, its size
limits, no unknown keys) and writes ``Definition pb := mkProblem …`` (Loss.v), ``th`` (the point), the hints, and

    Theorem verified : strict_saddle (L pb) th.
    Proof. apply (strict_saddle_sound pb th v asc). vm_cast_no_check (eq_refl true). Qed.

(and ``claimed_loss : L pb (map Q2R th) = Q2R c`` by ``value_sound`` when the claim states its loss). ``coqc``
accepts the file iff the boolean check computes ``true``; the statement is then a theorem about the real loss
``L pb`` of Loss.v. ``check_expression(cert, hints)`` gives the same definitions and that boolean itself
(``andb (check_value pb th c) (check_strict_saddle pb th v asc)``), for many certificates in one ``coqc`` run
(``Eval vm_compute in …``, one ``Module`` each: tests/coq/test_differential.py).
No string of the certificate is ever written: numbers are re-printed from Python integers, and the only names
are this module's constructors. This module is on the Coq trust path: stdlib only, it imports nothing of the
project (not proofs.kernel, nothing under verify/), so it can be reviewed alone together with Loss.v and
Checker.v. ``hints`` holds rationals (int / fractions.Fraction) computed by untrusted code (verify/certify/
coq_hints.py): Coq re-checks them, so a wrong hint can only make coqc refuse.

    >>> cert = {"format": "spurious-certificate", "version": 1, "claim": {"kind": "critical-point", "point": [0, 0]},
    ...         "problem": {"kind": "deep-linear", "widths": [1, 1, 1], "X": [[1]], "Y": [[1]], "reg": 0},
    ...         "problem_sha256": "0" * 64, "body": {"kind": "critical-point"}}
    >>> translate(cert).splitlines()[-2]
    'Theorem verified : critical (L pb) th.'
"""

import math
import re
from fractions import Fraction

__all__ = ["COVERED", "NotCovered", "TranslationError", "check_expression", "covered", "translate"]

# FORMAT.md's limits (the numbers of proofs/reader.py): digits of an integer, parameters, data entries, samples ×
# parameters, deep-linear depth, polynomial degree, curve degree
MAX_DIGITS, MAX_PARAMS, MAX_DATA, MAX_SAMPLE_PARAMS = 2000, 400, 100_000, 100_000
MAX_LAYERS, MAX_POLY_DEGREE, MAX_CURVE_DEGREE = 16, 10, 8
MAX_HINT_BITS = 40_000      # hints are ours, but str(int) refuses > 4,300 digits: refuse before printing
_RAT = re.compile(r"(-?)(0|[1-9][0-9]*)(?:/([1-9][0-9]*))?")

COVERED = {   # claim kind -> (statement, soundness theorem applied to its arguments)
    "critical-point": ("critical (L pb) th", "critical_sound pb th"),
    "strict-saddle": ("strict_saddle (L pb) th", "strict_saddle_sound pb th v asc"),
    "non-strict-saddle": ("non_strict_saddle (L pb) th", "non_strict_saddle_sound pb th psd descent asc"),
    "local-min": ("strict_local_min (L pb) th", "local_min_sound pb th mu terms"),
    "spurious-local-min": ("spurious_local_min (L pb) th w", "spurious_local_min_sound pb th mu terms w"),
    "global-min": ("global_min (L pb) (nparams pb) th", "global_min_sound pb th"),
}
"""What Coq covers: these claim kinds (global-min by the zero-loss route only), on deep-linear problems and
two-layer problems with a polynomial activation, with the square, mse, power and poly losses. Checker.v's
theorem ``X_sound`` concludes from ``check_X`` (same arguments) ``= true``: check_expression relies on it."""
COVERED_TEXT = ("critical-point, strict-saddle, non-strict-saddle, local-min, spurious-local-min, global-min by "
                "zero-loss; on deep-linear and polynomial two-layer problems with the square, mse, power or poly loss")
_BODY = {"critical-point": (), "strict-saddle": ("direction", "ascent"),
         "non-strict-saddle": ("congruence", "descent_curve", "ascent"), "local-min": ("congruence",),
         "spurious-local-min": ("congruence", "witness"), "global-min": ("route",)}


class TranslationError(ValueError):
    """The certificate cannot be written as a Coq file; ``field`` names the offending field."""

    def __init__(self, field, message):
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


class NotCovered(TranslationError):
    """Well-formed, but a kind, problem or loss the Coq development does not cover (message: "Coq does not cover
    <what> certificates (covered: …)")."""

    def __init__(self, field, what):
        super().__init__(field, f"Coq does not cover {what} certificates (covered: {COVERED_TEXT})")


def _get(obj, key, path, keys=None):
    """obj[key] of an object with no field outside ``keys`` (None: not checked here)."""
    if not isinstance(obj, dict):
        raise TranslationError(path, "expected an object")
    if keys is not None and (extra := sorted(k for k in obj if k not in keys)):
        raise TranslationError(path, f"unknown field {extra[0][:40]!r}")
    if key not in obj:
        raise TranslationError(path, f"missing field {key!r}")
    return obj[key]


def _q(x, path):
    """A certificate rational (JSON integer or canonical 'p' / 'p/q' string) as Coq text '(p)' or '(p#q)'."""
    if isinstance(x, int) and not isinstance(x, bool):
        if x.bit_length() > 3.33 * MAX_DIGITS or len(str(abs(x))) > MAX_DIGITS:
            raise TranslationError(path, f"more than {MAX_DIGITS} digits")
        return f"({x})"
    m = _RAT.fullmatch(x) if isinstance(x, str) else None
    if m is None or len(m[2]) > MAX_DIGITS or len(m[3] or "") > MAX_DIGITS:
        raise TranslationError(path, "expected a rational 'p' or 'p/q' (canonical, at most 2000 digits)")
    p, q = int(m[1] + m[2]), int(m[3] or 1)
    if x == "-0" or (m[3] is not None and (q == 1 or math.gcd(p, q) != 1)):
        raise TranslationError(path, "not canonical (lowest terms, a denominator > 1, no -0)")
    return f"({p})" if q == 1 else f"({p}#{q})"


def _h(x, path):
    """A hint rational (int or Fraction, computed by our own code) as Coq text."""
    if isinstance(x, bool) or not isinstance(x, (int, Fraction)):
        raise TranslationError(path, f"expected an int or Fraction, got {type(x).__name__}")
    x = Fraction(x)
    if max(abs(x.numerator), x.denominator).bit_length() > MAX_HINT_BITS:
        raise TranslationError(path, "a number too large to write")
    return f"({x.numerator})" if x.denominator == 1 else f"({x.numerator}#{x.denominator})"


def _vec(x, n, path, num=_q):
    if not isinstance(x, list) or (n is not None and len(x) != n) or not x:
        raise TranslationError(path, f"expected a list of {n or 'some'} rationals")
    return [num(v, f"{path}[{i}]") for i, v in enumerate(x)]


def _mat(x, rows, cols, path):
    if not isinstance(x, list) or not x or (rows is not None and len(x) != rows):
        raise TranslationError(path, f"expected a list of {rows or 'some'} rows")
    cols = cols or (len(x[0]) if isinstance(x[0], list) else 0)
    return [_vec(r, cols, f"{path}[{i}]") for i, r in enumerate(x)]


def _nat(x, path, lo, hi):
    if isinstance(x, bool) or not isinstance(x, int) or not lo <= x <= hi:
        raise TranslationError(path, f"expected an integer in [{lo}, {hi}]")
    return x


def _list(xs):
    return "[" + ";".join(xs) + "]"


def _coeffs(x, lo, path):
    if not isinstance(x, list) or not lo <= len(x) <= MAX_POLY_DEGREE + 1:
        raise TranslationError(path, f"expected {lo}..{MAX_POLY_DEGREE + 1} coefficients")
    return _list(_vec(x, None, path))


def _fit(pr):
    loss = pr.get("loss", "square")
    if loss in ("square", "mse"):
        return {"square": "Square", "mse": "MSE"}[loss]
    if isinstance(loss, dict) and len(loss) == 1 and "power" in loss:
        k = _nat(loss["power"], "problem.loss.power", 4, MAX_POLY_DEGREE)
        if k % 2:
            raise TranslationError("problem.loss.power", "expected an even integer")
        return f"(Power {k})"
    if isinstance(loss, dict) and len(loss) == 1 and "poly" in loss:
        text = _coeffs(loss["poly"], 3, "problem.loss.poly")
        if len(loss["poly"]) % 2 == 0 or Fraction(loss["poly"][-1]) <= 0:   # FORMAT.md: d even, c_d > 0
            raise TranslationError("problem.loss.poly", "φ needs even degree and a positive leading coefficient")
        return f"(PolyFit {text})"
    if loss in ("logistic", "cross-entropy") or isinstance(loss, dict) and list(loss) == ["huber"]:
        raise NotCovered("problem.loss", f"{loss if isinstance(loss, str) else 'huber'}-loss")
    raise TranslationError("problem.loss", "expected square, mse, {power: k} or {poly: [...]}")


def _lam(reg, shapes, path):
    """One λ per parameter, in parameter order: a scalar repeated, or the matrices flattened row-major."""
    if not isinstance(reg, list):
        return [_q(reg, path)] * sum(r * c for r, c in shapes)
    if len(reg) != len(shapes):
        raise TranslationError(path, f"expected a scalar or {len(shapes)} matrices")
    return [x for i, (m, (r, c)) in enumerate(zip(reg, shapes)) for row in _mat(m, r, c, f"{path}[{i}]") for x in row]


def _problem(pr):
    """mkProblem text and the number of parameters N."""
    kind = _get(pr, "kind", "problem", ("kind", "widths", "X", "Y", "reg", "loss", "n", "width", "activation",
                                        "train_output", "output", "k", "teacher", "bias", "train", "weights"))
    if kind == "relu-teacher":
        raise NotCovered("problem.kind", "relu-teacher")
    if kind == "network":   # Loss.v has no biases, fixed inner layers or per-layer activations; verify embeds a
        # network that is a deep-linear or polynomial two-layer problem as that kind, which Coq covers
        raise NotCovered("problem.kind", "network-problem (biases, fixed layers, an activation per layer)")
    keys = {"deep-linear": ("kind", "widths", "X", "Y", "reg", "loss"),
            "two-layer": ("kind", "n", "width", "activation", "X", "Y", "train_output", "output", "reg", "loss")}
    if not isinstance(kind, str) or kind not in keys:
        raise TranslationError("problem.kind", "expected deep-linear or two-layer")
    get = lambda k: _get(pr, k, "problem", keys[kind])  # noqa: E731
    if kind == "deep-linear":
        ws = get("widths")
        if not isinstance(ws, list) or not 2 <= len(ws) <= MAX_LAYERS + 1:
            raise TranslationError("problem.widths", f"expected 2..{MAX_LAYERS + 1} widths")
        ws = [_nat(w, f"problem.widths[{i}]", 1, MAX_PARAMS) for i, w in enumerate(ws)]
        shapes, d_in, d_out = list(zip(ws[1:], ws)), ws[0], ws[-1]
    else:
        n, p = _nat(get("n"), "problem.n", 1, MAX_PARAMS), _nat(get("width"), "problem.width", 1, MAX_PARAMS)
        act, train = get("activation"), get("train_output")
        if act == "relu":
            raise NotCovered("problem.activation", "relu two-layer")
        if not isinstance(act, dict) or list(act) != ["poly"]:
            raise TranslationError("problem.activation", 'expected "relu" or {"poly": [c_0, …]}')
        if not isinstance(train, bool) or train != (pr.get("output") is None):
            raise TranslationError("problem.train_output", "expected true (output null) or false (output given)")
        d_in, d_out = n, len(get("Y")) if isinstance(get("Y"), list) else 0
        shapes = [(p, n), (d_out, p)] if train else [(p, n)]
    X = _mat(get("X"), d_in, None, "problem.X")
    m = len(X[0])
    Y = _mat(get("Y"), d_out, m, "problem.Y")
    N = sum(r * c for r, c in shapes)
    if N > MAX_PARAMS or N * m > MAX_SAMPLE_PARAMS or (d_in + d_out) * m > MAX_DATA:
        raise TranslationError("problem", f"beyond the limits ({MAX_PARAMS} parameters, {MAX_SAMPLE_PARAMS} samples "
                               f"× parameters, {MAX_DATA} data entries)")
    cols = lambda A: _list([_list(c) for c in zip(*A)])  # noqa: E731  (Loss.v: one list per SAMPLE)
    if kind == "deep-linear":
        arch = f"(DeepLinear {_list(map(str, ws))}%nat)"
    else:
        U = "None" if train else f"(Some {_list([_list(r) for r in _mat(pr['output'], d_out, p, 'problem.output')])})"
        arch = f"(TwoLayer {n} {p} {d_out} {_coeffs(act['poly'], 1, 'problem.activation.poly')} {U})"
    lam = _lam(get("reg"), shapes, "problem.reg")
    return f"mkProblem {arch} {cols(X)} {cols(Y)} {_fit(pr)} {_list(lam)}", N


def _curve(x, n, path, num=_q):
    if not isinstance(x, list) or not 1 <= len(x) <= MAX_CURVE_DEGREE:
        raise TranslationError(path, f"expected 1..{MAX_CURVE_DEGREE} coefficient vectors")
    return _list([_list(_vec(c, n, f"{path}[{i}]", num)) for i, c in enumerate(x)])


def _ascent(x, n, path, num=_q):
    """body.ascent ({"direction": v} | {"curve": [c_1, …]}) as an `ascent` of Checker.v."""
    if isinstance(x, dict) and list(x) == ["direction"]:
        return f"(AscentDirection {_list(_vec(x['direction'], n, path + '.direction', num))})"
    if isinstance(x, dict) and list(x) == ["curve"]:
        return f"(AscentCurve {_curve(x['curve'], n, path + '.curve', num)})"
    raise TranslationError(path, "expected exactly one of 'direction' or 'curve'")


def _terms(x, n, path):
    """Hint (d, ℓ) pairs as Coq `list (Q * list Q)`."""
    if not isinstance(x, (list, tuple)):
        raise TranslationError(path, "expected a list of (d, vector) pairs")
    out = []
    for i, t in enumerate(x):
        if not isinstance(t, (list, tuple)) or len(t) != 2:
            raise TranslationError(f"{path}[{i}]", "expected a (d, vector) pair")
        out.append(f"({_h(t[0], f'{path}[{i}]')}, {_list(_vec(list(t[1]), n, f'{path}[{i}]', _h))})")
    return _list(out)


def covered(cert):
    """(kind, mkProblem text, N) when Coq covers the certificate's kind, problem and loss; else NotCovered (or
    TranslationError for a field this reading refuses)."""
    _get(cert, "format", "certificate", ("format", "version", "claim", "problem", "problem_sha256", "body", "meta"))
    if cert["format"] != "spurious-certificate" or type(cert.get("version")) is not int or cert["version"] != 1:
        raise TranslationError("certificate", "expected format spurious-certificate, version 1")
    claim, body = cert.get("claim"), cert.get("body")
    kind = _get(claim, "kind", "claim")
    if not isinstance(kind, str) or kind not in COVERED:
        raise NotCovered("claim.kind", kind[:40] if isinstance(kind, str) else "this kind of")
    if kind == "global-min" and _get(body, "route", "body") != "zero-loss":
        if body["route"] == "rank-dual":
            raise NotCovered("body.route", "global-min (rank-dual route)")
        raise TranslationError("body.route", "expected zero-loss or rank-dual")
    _get(claim, "point", "claim", ("kind", "point", "loss"))
    if _get(body, "kind", "body", ("kind",) + _BODY[kind]) != kind:
        raise TranslationError("body.kind", "must equal claim.kind")
    return (kind,) + _problem(cert.get("problem"))


def _instance(cert, hints):
    """(kind, the Definition lines, the claimed loss as Coq text or None): what translate and check_expression
    share."""
    hints = hints or {}
    kind, problem, N = covered(cert)
    claim, body = cert["claim"], cert["body"]
    point = _list(_vec(claim.get("point"), N, "claim.point"))
    defs = {"pb": problem, "th : list Q": point}
    if kind == "strict-saddle":
        defs["v : list Q"] = _list(_vec(body.get("direction"), N, "body.direction"))
        defs["asc : ascent"] = _ascent(_get(body, "ascent", "body"), N, "body.ascent")
    if kind == "non-strict-saddle":
        defs["psd : list (Q * list Q)"] = _terms(hints.get("psd"), N, "hints.psd")
        defs["descent : list (list Q)"] = _curve(_get(body, "descent_curve", "body"), N,
                                                 "body.descent_curve")
        defs["asc : ascent"] = _ascent(body["ascent"], N, "body.ascent") if "ascent" in body else \
            _ascent(hints.get("ascent"), N, "hints.ascent", _h)
    if kind in ("local-min", "spurious-local-min"):
        defs["mu : Q"] = _h(hints.get("mu"), "hints.mu")
        defs["terms : list (Q * list Q)"] = _terms(hints.get("terms"), N, "hints.terms")
    if kind == "spurious-local-min":
        defs["w : list Q"] = _list(_vec(body.get("witness"), N, "body.witness"))
    loss = _q(claim["loss"], "claim.loss") if "loss" in claim else None
    return kind, [f"Definition {k} := {v}." for k, v in defs.items()], loss


_PRELUDE = ["From Spurious Require Import Loss Poly1 Taylor Checker.",
            "From Coq Require Import List QArith Qreals Reals.", "Import ListNotations."]


def translate(cert, hints=None):
    """The Coq instance file (text) for certificate ``cert`` (a dict) with ``hints``: ``mu`` (rational > 0) and
    ``terms`` (pairs (d, ℓ)) for (spurious-)local-min, ``psd`` (pairs) for non-strict-saddle and, when the body has
    no ascent, ``ascent`` = {"direction": v} or {"curve": [c_1, …]}. Raises NotCovered or TranslationError naming
    the field."""
    kind, lines, c = _instance(cert, hints)
    lines = _PRELUDE + lines
    if c is not None:
        lines += [f"Theorem claimed_loss : L pb (map Q2R th) = Q2R {c}.",
                  f"Proof. apply (value_sound pb th {c}). vm_cast_no_check (eq_refl true). Qed."]
    statement, proof = COVERED[kind]
    lines += [f"Theorem verified : {statement}.", f"Proof. apply ({proof}). vm_cast_no_check (eq_refl true). Qed."]
    return "\n".join(lines) + "\n"


def check_expression(cert, hints=None):
    """(definitions, boolean): translate's Definition lines (text, without its Require lines) and the Coq boolean
    that the proofs of its theorems compute — ``check_value pb th c`` (when the claim states its loss) and the
    kind's check, joined by ``andb`` — so ``coqc`` accepts translate's file iff ``Eval vm_compute in <boolean>``
    prints ``= true``. Same arguments and refusals as translate."""
    kind, lines, c = _instance(cert, hints)
    theorem, args = COVERED[kind][1].split(" ", 1)
    expression = f"(check_{theorem.removesuffix('_sound')} {args})"
    if c is not None:
        expression = f"(andb (check_value pb th {c}) {expression})"
    return "\n".join(lines) + "\n", expression
