"""The canonical problem: one JSON value (and one hash) per problem, however its numbers are spelled.

Sweeps key their results by :func:`canonical_problem_hash` (:mod:`verify.run.store`), and ``spurious check-cert
--problem`` compares a problem file with a certificate's embedded problem by it. The checker (``proofs/``) does not
need it: a certificate names its problem by ``problem_sha256``, the hash of the embedded JSON as written. So it lives
here, with the search; it validates through the checker's own reader (:func:`proofs.reader.read_problem`: the
canonical problem is the problem as the checker reads it) and hashes with :func:`proofs.problem_hash`.

``proofs`` is imported inside the functions: ``verify.problems`` stays free of python-flint (DESIGN.md).

>>> p = {"kind": "deep-linear", "widths": [1, 1], "X": [[1]], "Y": [["2/4"]], "reg": 0}
>>> canonical_problem(p)["Y"], canonical_problem(p)["reg"]
([['1/2']], [[['0']]])
>>> canonical_problem_hash(p) == canonical_problem_hash({**p, "Y": [["0.5"]], "reg": "0/3"})
True
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

_SPELLING = re.compile(r"[+-]?(?:[0-9]+/[0-9]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?)")

MAX_SPELLING = 2 * 2000 + 8
"""Longest number string rewritten (two 2,000-digit halves, the checker's MAX_DIGITS, and a sign, slash, point);
a longer string is left as it is and the checker's reader refuses it."""


def _bad(path, why):
    from proofs import MalformedCertificate

    raise MalformedCertificate(f"{path}: {why}")


def _lenient(x, path):
    """A problem JSON value with its numbers in any spelling a problem file allows ("2/4", "0.5", "+1", "1e-3",
    a finite float as its exact binary value) rewritten as canonical rationals; other values unchanged."""
    from proofs import printable

    if isinstance(x, dict):
        return {k: _lenient(v, f"{path}.{printable(k)[:40]}") for k, v in x.items()}
    if isinstance(x, list):
        return [_lenient(v, f"{path}[{i}]") for i, v in enumerate(x)]
    if isinstance(x, float):
        if not math.isfinite(x):
            _bad(path, f"{x!r} is not a finite number")
        x = Fraction(x)
    elif isinstance(x, str) and len(x) <= MAX_SPELLING and _SPELLING.fullmatch(x):
        try:
            x = Fraction(x)
        except ZeroDivisionError:
            _bad(path, f"{x[:40]!r} divides by zero")
    return str(x) if isinstance(x, Fraction) else x


def canonical_problem(obj: dict) -> dict:
    """The problem as the checker reads it, written canonically: every number as str(Fraction) ("2/4", "0.5"
    and "1/2" all become "1/2"), a scalar reg expanded to its matrices, trailing zero activation coefficients
    dropped, output null when trained, the loss when it is not the square loss (so old hashes stay). Two problem
    objects with the same loss-defining data give the same value. A network that IS a deep-linear or two-layer problem
    (:func:`verify.problems.network.canonical`) gives exactly that problem's value, so its hash too. Raises
    ``proofs.MalformedCertificate`` (naming the field) for what the checker's reader refuses. A kind the reader
    reads but this function has no branch for is its object as given, every number canonical (so a new kind needs
    a branch here only for the normalisations above).

    >>> net = {"kind": "network", "widths": [1, 1], "activation": [], "X": [[1]], "Y": [["1/2"]], "reg": 0}
    >>> canonical_problem(net) == canonical_problem({"kind": "deep-linear", "widths": [1, 1], "X": [[1]],
    ...                                              "Y": [["0.5"]], "reg": [[[0]]]})
    True
    """
    from proofs.reader import read_problem

    P = read_problem(_lenient(obj, "problem"))
    reg = [_q(L) for L in P.reg]
    loss = {} if P.loss in (None, ("square",)) else {"loss": _canonical_loss(P.loss)}
    if P.kind == "relu-teacher":
        (k, n), = P.shapes
        return {"kind": P.kind, "k": k, "n": n, "teacher": _q(P.teacher)}
    if P.kind == "network":
        return _network(P, reg, loss)
    if P.kind == "deep-linear":
        return _deep_linear(P.widths, P, reg, loss)
    if P.kind == "two-layer":
        return _two_layer(P.act, P.U, P, reg, loss)
    return _lenient(obj, "problem")   # a kind with no branch here: as the reader accepted it, its numbers canonical


def _q(M):
    return [[str(v) for v in row] for row in M]


def _trim(cs):
    """Polynomial coefficients without trailing zeros (at least one kept)."""
    cs = list(cs)
    while len(cs) > 1 and cs[-1] == 0:
        cs.pop()
    return cs


def _deep_linear(widths, P, reg, loss):
    return {"kind": "deep-linear", "widths": list(widths), "X": _q(P.X), "Y": _q(P.Y), "reg": reg, **loss}


def _two_layer(act, U, P, reg, loss):
    """act: "relu" or the coefficients of σ; U: the fixed output layer or None (trained)."""
    (p, n), train = P.shapes[0], U is None
    return {"kind": "two-layer", "n": n, "width": p, "activation": act if act == "relu" else
            {"poly": [str(c) for c in _trim(act)]}, "X": _q(P.X), "Y": _q(P.Y), "train_output": train,
            "output": None if train else _q(U), "reg": reg, **loss}


def _activation(a):
    """A network activation (the checker's (name, parameter)) as written canonically, the identity recognised in
    {"poly": [0, 1]} and {"leaky_relu": 1}, relu in {"leaky_relu": 0} (as :class:`verify.problems.network.Activation`
    reads them)."""
    name, c = a
    if name == "poly":
        return "identity" if _trim(c) == [0, 1] else {"poly": [str(v) for v in _trim(c)]}
    if name == "leaky_relu":
        return "relu" if c == 0 else "identity" if c == 1 else {"leaky_relu": str(c)}
    return name


def _network(P, reg, loss):
    """A network as the problem it is (:func:`verify.problems.network.canonical`): deep-linear with identity
    activations, no bias and every W_i trained; two-layer with one hidden layer, no bias, W_1 trained and σ relu or a
    polynomial (the identity is t); else the network itself (bias always written, train and weights only when some
    W_i is fixed)."""
    acts = [_activation(a) for _, _, a in P.layers[:-1]]
    bias = [b is not None for _, b, _ in P.layers]
    train = [isinstance(W, int) for W, _, _ in P.layers]
    if not any(bias) and all(a == "identity" for a in acts) and all(train):
        return _deep_linear(P.widths, P, reg, loss)
    hidden = acts[0] if len(acts) == 1 else None
    if not any(bias) and train[0] and (hidden in ("identity", "relu") or isinstance(hidden, dict) and "poly" in hidden):
        U = None if train[1] else P.layers[1][0]
        return _two_layer("relu" if acts[0] == "relu" else [0, 1] if acts[0] == "identity" else P.layers[0][2][1], U,
                          P, reg, loss)
    fixed = {} if all(train) else {"train": train, "weights": [_q(W) for W, _, _ in P.layers if not isinstance(W, int)]}
    return {"kind": "network", "widths": list(P.widths), "activation": acts, "bias": bias, "X": _q(P.X), "Y": _q(P.Y),
            "reg": reg, **fixed, **loss}


def _canonical_loss(loss):
    """The fit term as the checker reads it, (name,) or (name, parameter): the name alone, or {name: parameter} with
    its numbers canonical ({"power": p} is read as the poly t^p / p); the square loss is left out by the caller."""
    if len(loss) == 1:
        return loss[0]
    v = loss[1]
    return {loss[0]: [str(c) for c in v] if isinstance(v, list | tuple) else str(v)}


def canonical_problem_hash(obj: dict) -> str:
    """sha256 hex of canonical_problem(obj) (sorted keys, no spaces): what sweeps and ``check-cert --problem`` match
    by. canonical_problem_hash({..., "Y": [["2/4"]]}) == canonical_problem_hash({..., "Y": [["0.5"]]})."""
    from proofs import problem_hash

    return problem_hash(canonical_problem(obj))


__all__ = ["canonical_problem", "canonical_problem_hash"]
