"""The data-fit term ℓ of a problem, one registry every layer reads (exact, numeric, checker).

A problem's loss is L(θ) = ℓ(O(θ), Y) + ½ Σ_i ⟨Λ_i, W_i ∘ W_i⟩ with O the network's output (d_y × m, one column
per sample) and E = O − Y the residual. The ``loss`` field of a problem file names ℓ (default ``"square"``), one
entry (:class:`LossForm`) of the registry :data:`LOSSES` each:

========================  =================================================  ==================================
file form                 ℓ(O, Y)                                            exact layer
========================  =================================================  ==================================
``"square"``              ½ Σ_ij E_ij²                                       polynomial
``"mse"``                 (1 / (d_y m)) Σ_ij E_ij² (torch ``MSELoss()``)      polynomial
``{power = p}``           (1/p) Σ_ij E_ij^p, p even, 4 ≤ p ≤ 10               polynomial (convex)
``{poly = [c0, …, cd]}``  Σ_ij φ(E_ij), φ(t) = Σ_k c_k t^k, d even, c_d > 0   polynomial (convex or not)
``{huber = δ}``           Σ_ij h_δ(E_ij), h_δ(t) = ½t² (|t| ≤ δ), δ(|t| − ½δ)  piecewise polynomial (numeric,
                          (torch ``HuberLoss(reduction="sum", delta=δ)``)     and the checker off |E_ij| = δ)
``"logistic"``            Σ_ij log(1 + exp(−Y_ij O_ij)), Y_ij ∈ {−1, 1}      transcendental (numeric, balls)
``"cross-entropy"``       Σ_j (log Σ_i exp O_ij − Σ_i Y_ij O_ij), each column  transcendental (numeric, balls)
                          of Y a probability vector (softmax over the output)
========================  =================================================  ==================================

(1/p)·E^p keeps ``power = 2`` equal to the square loss; ``"square"`` is omitted from the canonical JSON, so the
problems and certificates written before losses existed keep their hashes.

>>> Loss.from_value({"power": 4}).describe(), Loss.from_value("square").to_json() is None
('power 4', True)
>>> Loss.from_value({"poly": [0, 0, -1, 0, 1]}).convex       # φ = t⁴ − t²: φ″ = 12t² − 2 < 0 near 0
False
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from verify.errors import InputError
from verify.problems.numbers import fraction_str, show, to_fraction

MAX_LOSS_DEGREE = 10


def _derivative(cs: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
    return tuple(k * c for k, c in enumerate(cs))[1:]


def _rem(a: list[Fraction], b: list[Fraction]) -> list[Fraction]:
    """a mod b (coefficients lowest degree first, b's leading coefficient non-zero)."""
    a = list(a)
    while len(a) >= len(b):
        f = a[-1] / b[-1]
        for i in range(len(b)):
            a[len(a) - len(b) + i] -= f * b[i]
        a.pop()
        while a and a[-1] == 0:
            a.pop()
    return a


def _sign_changes(seq: list[Fraction]) -> int:
    s = [x for x in seq if x != 0]
    return sum(1 for a, b in zip(s, s[1:]) if (a < 0) != (b < 0))


def nonnegative_on_reals(cs: tuple[Fraction, ...]) -> bool:
    """Exactly: Σ_k c_k t^k ≥ 0 for every real t.

    p changes sign only at its real roots. Bisection on Sturm counts (exact rationals; Sturm's theorem counts the
    DISTINCT real roots in (a, b] for a, b not roots, multiple roots included) cuts (−B, B) (B the Cauchy bound) into
    intervals holding at most one root each, with endpoints that are not roots; then every gap between two roots, and
    each side of them, holds an endpoint, so p ≥ 0 on R iff p > 0 at every endpoint.

    >>> nonnegative_on_reals((1, -2, 1)), nonnegative_on_reals((-1, 0, 1))      # (t − 1)², t² − 1
    (True, False)
    """
    p = [Fraction(c) for c in cs]
    while p and p[-1] == 0:
        p.pop()
    if len(p) <= 1:
        return not p or p[0] > 0
    if (len(p) - 1) % 2 or p[-1] < 0:
        return False
    seq = [p, list(_derivative(tuple(p)))]
    while True:
        r = _rem(seq[-2], seq[-1])
        if not r:
            break
        seq.append([-c for c in r])

    def ev(q, t):
        acc = Fraction(0)
        for c in reversed(q):
            acc = acc * t + c
        return acc

    def changes(t):
        return _sign_changes([ev(q, t) for q in seq])

    bound = 1 + max(abs(c / p[-1]) for c in p[:-1])
    stack, points = [(-bound, bound)], [-bound, bound]
    while stack:
        a, b = stack.pop()
        if changes(a) - changes(b) <= 1:
            continue
        m = (a + b) / 2
        while ev(p, m) == 0:
            m = (a + m) / 2
        points.append(m)
        stack += [(a, m), (m, b)]
    return all(ev(p, t) > 0 for t in points)


def _poly_text(cs) -> str:
    """φ's coefficients (lowest degree first) as text, highest degree first: (7/3, 2, −2) → "−2·t² + 2·t + 7/3".

    >>> _poly_text((Fraction(7, 3), Fraction(0), Fraction(-1), Fraction(0), Fraction(1)))
    't⁴ − t² + 7/3'
    """
    sup = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    terms = []
    for k in range(len(cs) - 1, -1, -1):
        c = Fraction(cs[k])
        if c == 0:
            continue
        mag = fraction_str(abs(c))
        mono = "" if k == 0 else "t" if k == 1 else "t" + str(k).translate(sup)
        body = mag if not mono else mono if mag == "1" else f"{mag}·{mono}"
        terms.append(("−" if c < 0 else "+", body))
    if not terms:
        return "0"
    head = ("−" if terms[0][0] == "−" else "") + terms[0][1]
    return " ".join([head] + [f"{s} {b}" for s, b in terms[1:]])


@dataclass(frozen=True)
class Loss:
    """ℓ of the module table: ``name`` (its entry of :data:`LOSSES`) and its parameter (p for power, φ's coefficients
    for poly, δ for huber). Every property and method reads the entry: nothing here branches on a loss's name."""

    name: str = "square"
    power: int = 2
    coeffs: tuple[Fraction, ...] = ()
    delta: Fraction = Fraction(0)

    @classmethod
    def from_value(cls, value, field: str = "loss") -> "Loss":
        """Parse a problem file's ``loss`` value (module table); :class:`InputError` naming ``field`` otherwise."""
        if value is None:
            return cls()
        names = [f.name for f in LOSSES.values() if f.parse is None]
        tables = [f for f in LOSSES.values() if f.parse is not None]
        if isinstance(value, str):
            if value not in names:
                raise InputError(field, f"unknown loss {show(value)}; one of {', '.join(names)}, "
                                 + ", ".join(f.syntax for f in tables))
            return cls(name=value)
        if not isinstance(value, dict) or len(value) != 1:
            quoted = ", ".join(f'"{n}"' for n in names)
            forms = [f.syntax for f in tables]
            raise InputError(field, f"expected a loss name ({quoted}) or a one-key table "
                             + (", ".join(forms[:-1]) + " or " if len(forms) > 1 else "") + forms[-1])
        (key, v), = value.items()
        form = LOSSES.get(key) if isinstance(key, str) else None
        if form is None or form.parse is None:
            raise InputError(field, f"unknown loss table key {show(key)}; one of {', '.join(f.name for f in tables)}")
        return form.parse(v, f"{field}.{key}")

    @property
    def form(self) -> "LossForm":
        """This loss's entry of :data:`LOSSES`."""
        return LOSSES[self.name]

    def to_json(self):
        """The canonical file form; None for the square loss (omitted from problem JSON)."""
        if self.is_square:
            return None
        return self.name if self.form.to_json is None else self.form.to_json(self)

    @property
    def is_square(self) -> bool:
        return self.name == "square"

    @property
    def polynomial(self) -> bool:
        """ℓ is a polynomial in O (exact Taylor data, z3 and Gröbner apply): its entry has a φ."""
        return self.form.phi is not None

    @property
    def nonnegative(self) -> bool:
        """ℓ ≥ 0 everywhere (so L(θ) = 0 with Λ ≥ 0 is a global minimum): all but a ``poly`` with φ < 0 somewhere."""
        return self.form.nonnegative is None or self.form.nonnegative(self)

    @property
    def convex(self) -> bool:
        """ℓ is convex in O — decided exactly (for ``poly``: φ″ ≥ 0 on R, :func:`nonnegative_on_reals`)."""
        return self.form.convex is None or self.form.convex(self)

    def phi(self, samples: int, outputs: int) -> tuple[Fraction, ...] | None:
        """Coefficients of the entrywise φ with ℓ = Σ_ij φ(E_ij), for the polynomial losses; None otherwise."""
        return None if self.form.phi is None else self.form.phi(self, samples, outputs)

    def check_targets(self, Y) -> None:
        """The labels a loss needs: ±1 for logistic; probability columns (≥ 0, summing to 1) for cross-entropy."""
        if self.form.check_targets is not None:
            self.form.check_targets(Y)

    def fit_targets(self, Y: list[list[int]]) -> list[list[int]]:
        """Integer targets drawn at random (a sweep's Y) made fit for the loss: signs (0 → 1) for logistic, one-hot
        columns for cross-entropy (the class of sample j: the row of column j's largest entry, the first on ties),
        unchanged otherwise."""
        return Y if self.form.fit_targets is None else self.form.fit_targets(Y)

    def ring_fit(self, out, Y, conv, zero):
        """ℓ(O, Y) over a commutative ring (``+``, ``−``, ``×`` only); None for a non-polynomial ℓ."""
        cs = self.phi(len(Y[0]) if Y else 0, len(Y))
        if cs is None:
            return None
        ks = [conv(c) for c in cs]
        total = zero
        for orow, yrow in zip(out, Y):
            for o, y in zip(orow, yrow):
                e = o - conv(y)
                acc = zero
                for c in reversed(ks):
                    acc = acc * e + c
                total = total + acc
        return total

    def describe(self) -> str:
        return self.name if self.form.describe is None else self.form.describe(self)


@dataclass(frozen=True)
class LossForm:
    """One entry of :data:`LOSSES`: a loss's file form and what ℓ is, read by every layer through :class:`Loss`.

    * ``name``: the string of its file form, or the key of its one-key table ``{name = value}`` when it has ``parse``
      (``parse(value, field)`` → the :class:`Loss`, its parameter kept in ``power``, ``coeffs`` or ``delta``; an
      :class:`InputError` naming ``field`` for a bad value) and ``syntax`` (how messages show the table);
    * ``to_json(loss)``: its canonical file form (default: ``name``; required with ``parse``) — what certificates
      embed, so it must be a form the checker (``proofs/reader.py``) reads;
    * ``phi(loss, samples, outputs)``: the entrywise φ (coefficients, lowest degree first) with ℓ = Σ_ij φ(E_ij) of a
      POLYNOMIAL loss — then the exact layer, the numeric layer (Horner on φ) and the checker (``("poly", φ)``) need
      nothing else; None for the others, which ``numeric/losses.py`` and the checker evaluate by name;
    * ``check_targets(Y)`` (the labels it needs), ``fit_targets(Y)`` (random integer targets made fit, for sweeps),
      ``describe(loss)``, ``convex(loss)``, ``nonnegative(loss)`` (default: always).
    """

    name: str
    syntax: str = ""
    parse: Callable | None = None
    to_json: Callable | None = None
    phi: Callable | None = None
    check_targets: Callable | None = None
    fit_targets: Callable | None = None
    describe: Callable | None = None
    convex: Callable | None = None
    nonnegative: Callable | None = None


def _parse_power(v, field: str) -> Loss:
    if not isinstance(v, int) or isinstance(v, bool) or v % 2 or not 4 <= v <= MAX_LOSS_DEGREE:
        raise InputError(field, f"{show(v)} must be an even integer in 4..{MAX_LOSS_DEGREE} "
                         "(power 2 is the square loss \"square\")")
    return Loss(name="power", power=v)


def _parse_poly(v, field: str) -> Loss:
    if not isinstance(v, list) or not 3 <= len(v) <= MAX_LOSS_DEGREE + 1:
        raise InputError(field, f"expected 3..{MAX_LOSS_DEGREE + 1} coefficients [c0, c1, ...]")
    cs = tuple(to_fraction(c, f"{field}[{i}]") for i, c in enumerate(v))
    while cs and cs[-1] == 0:
        cs = cs[:-1]
    if len(cs) < 3 or (len(cs) - 1) % 2 or cs[-1] <= 0:
        raise InputError(field, "φ must have even degree ≥ 2 and a positive leading coefficient "
                         "(otherwise L is unbounded below)")
    return Loss(name="poly", coeffs=cs)


def _parse_huber(v, field: str) -> Loss:
    d = to_fraction(v, field)
    if d <= 0:
        raise InputError(field, f"δ = {fraction_str(d)} must be positive")
    return Loss(name="huber", delta=d)


def _logistic_targets(Y) -> None:
    for i, row in enumerate(Y):
        for j, y in enumerate(row):
            if y not in (1, -1):
                raise InputError(f"Y[{i}][{j}]", f"{fraction_str(y)}: the logistic loss needs labels ±1")


def _probability_columns(Y) -> None:
    if len(Y) < 2:
        raise InputError("Y", "the cross-entropy loss needs d_y ≥ 2 classes (one row per class)")
    for j in range(len(Y[0])):
        col = [row[j] for row in Y]
        if any(y < 0 for y in col) or sum(col) != 1:
            raise InputError(f"Y[:, {j}]", "each column must be a probability vector (entries ≥ 0, sum 1;"
                             " one-hot for class labels) for the cross-entropy loss")


def _one_hot(Y: list[list[int]]) -> list[list[int]]:
    cols = list(zip(*Y))
    winners = [max(range(len(c)), key=lambda i, c=c: (c[i], -i)) for c in cols]
    return [[1 if winners[j] == i else 0 for j in range(len(cols))] for i in range(len(Y))]


LOSSES: dict[str, LossForm] = {f.name: f for f in (
    LossForm("square", phi=lambda loss, m, d: (Fraction(0), Fraction(0), Fraction(1, 2))),
    LossForm("mse", phi=lambda loss, m, d: (Fraction(0), Fraction(0), Fraction(1, m * d))),
    LossForm("power", "{power = p}", _parse_power, lambda loss: {"power": loss.power},
             phi=lambda loss, m, d: (Fraction(0),) * loss.power + (Fraction(1, loss.power),),
             describe=lambda loss: f"power {loss.power}"),
    LossForm("poly", "{poly = [c0, ...]}", _parse_poly, lambda loss: {"poly": [fraction_str(c) for c in loss.coeffs]},
             phi=lambda loss, m, d: loss.coeffs, describe=lambda loss: "poly φ(t) = " + _poly_text(loss.coeffs),
             convex=lambda loss: nonnegative_on_reals(_derivative(_derivative(loss.coeffs))),
             nonnegative=lambda loss: nonnegative_on_reals(loss.coeffs)),
    LossForm("huber", "{huber = delta}", _parse_huber, lambda loss: {"huber": fraction_str(loss.delta)},
             describe=lambda loss: f"huber δ = {fraction_str(loss.delta)}"),
    LossForm("logistic", check_targets=_logistic_targets,
             fit_targets=lambda Y: [[1 if y >= 0 else -1 for y in row] for row in Y]),
    LossForm("cross-entropy", check_targets=_probability_columns, fit_targets=_one_hot),
)}
"""The losses, one :class:`LossForm` each (module table): a new loss is one entry here (and, unless it is a
polynomial, its evaluation in ``numeric/losses.py`` and in the checker)."""

SQUARE = Loss()
