"""Hypothesis strategies for Spurious problems, points, directions and claims (public, for your own tests).

Exact rational data with bounded numerators and denominators, shapes bounded by arguments. After
``import verify.testing.strategies`` the problem types are registered, so ``st.from_type(DeepLinear)`` works.

    from hypothesis import given
    from verify.testing.strategies import deep_linear_problems, points
    from verify import PointClass, classify

    @given(deep_linear_problems(max_depth=3, max_width=2).flatmap(lambda p: points(p).map(lambda x: (p, x))))
    def test_my_conjecture(case):
        problem, point = case
        assert classify(problem, point).cls is not PointClass.SPURIOUS_LOCAL_MIN

Shrinking goes towards fewer layers, narrower widths, fewer samples and entries 0, 1, −1, so a
counterexample that hypothesis reports is small.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from verify.claims import CLAIMS
from verify.problems import Activation, DeepLinear, Network, Problem, ReluTeacher, TwoLayer
from verify.problems.network import NAMED

__all__ = ["ACTIVATION_NAMES", "activations", "claims", "deep_linear_problems", "directions", "matrices",
           "network_problems", "points", "problems", "rationals", "rational_critical_cubics", "relu_teacher_problems",
           "smallest_two_layer_problems", "two_layer_problems"]


def rationals(max_numerator: int = 3, max_denominator: int = 2) -> st.SearchStrategy[Fraction]:
    """p/q with |p| ≤ ``max_numerator`` and 1 ≤ q ≤ ``max_denominator`` (shrinks towards 0, then integers)."""
    if max_numerator < 0 or max_denominator < 1:
        raise ValueError(f"max_numerator={max_numerator!r} must be ≥ 0 and max_denominator={max_denominator!r} ≥ 1")
    return st.builds(Fraction, st.integers(-max_numerator, max_numerator), st.integers(1, max_denominator))


def matrices(rows: int, cols: int, elements: st.SearchStrategy | None = None) -> st.SearchStrategy:
    """rows × cols tuples of tuples of exact rationals."""
    elements = elements if elements is not None else rationals()
    return st.tuples(*[st.tuples(*[elements] * cols)] * rows) if rows and cols else st.just(())


@st.composite
def deep_linear_problems(draw, max_depth: int = 3, max_width: int = 2, max_samples: int = 2,
                         elements: st.SearchStrategy | None = None, regularised: bool = False) -> DeepLinear:
    """Deep linear nets with H ≤ ``max_depth`` weight matrices and every width ≤ ``max_width``."""
    if max_depth < 1 or max_width < 1 or max_samples < 1:
        raise ValueError(f"max_depth={max_depth!r}, max_width={max_width!r}, max_samples={max_samples!r} must be ≥ 1")
    depth = draw(st.integers(1, max_depth))
    widths = tuple(draw(st.lists(st.integers(1, max_width), min_size=depth + 1, max_size=depth + 1)))
    m = draw(st.integers(1, max_samples))
    X = draw(matrices(widths[0], m, elements))
    Y = draw(matrices(widths[-1], m, elements))
    reg = draw(rationals().filter(lambda x: x > 0)) if regularised else Fraction(0)
    return DeepLinear(widths=widths, X=X, Y=Y, reg=reg)


def rational_critical_cubics() -> st.SearchStrategy[tuple]:
    """Cubic activations σ(t) = a(t³ − (3/2)(r + s)t² + 3rs·t) whose critical points r < s lie in {−1, 0, 1}.

    σ'(t) = 3a(t − r)(t − s): the critical points are rational, so a minimum of L(w) = ½(σ(w) − y)² at
    σ'(w) = 0 is rational too and can be certified exactly (e.g. ``examples/cubic.toml``'s σ = t³ − 3t).
    Coefficients (c0, c1, c2, c3), ascending; a ∈ {1, −1, 1/2, −1/2}; shrinks towards a = 1, (r, s) = (−1, 0).
    """
    half = Fraction(1, 2)
    out = []
    for a in (Fraction(1), Fraction(-1), half, -half):
        for r, s in ((-1, 0), (-1, 1), (0, 1)):
            out.append((Fraction(0), a * 3 * r * s, -a * Fraction(3, 2) * (r + s), a))
    return st.sampled_from(out)


@st.composite
def two_layer_problems(draw, activation: str = "poly", max_n: int = 2, max_width: int = 2, max_samples: int = 2,
                       max_degree: int = 3, train_output: bool | None = None,
                       elements: st.SearchStrategy | None = None,
                       activations: st.SearchStrategy | None = None) -> TwoLayer:
    """Two-layer nets ŷ = U σ(W x) with σ a polynomial of degree ≤ ``max_degree`` (or ``activation="relu"``).

    ``activations``: a strategy for σ's coefficient tuples (ascending) instead of random ones.
    """
    if activation not in ("poly", "relu"):
        raise ValueError(f"activation={activation!r} must be 'poly' or 'relu'")
    n, p, m = draw(st.integers(1, max_n)), draw(st.integers(1, max_width)), draw(st.integers(1, max_samples))
    dy = 1
    if activation == "relu":
        act = "relu"
    elif activations is not None:
        act = tuple(Fraction(c) for c in draw(activations))
    else:
        coeffs = draw(st.lists(rationals(), min_size=1, max_size=max_degree + 1))
        if all(c == 0 for c in coeffs):
            coeffs[-1] = Fraction(1)
        act = tuple(coeffs)
    train = draw(st.booleans()) if train_output is None else train_output
    output = None if train else draw(matrices(dy, p, elements))
    return TwoLayer(n=n, width=p, activation=act, X=draw(matrices(n, m, elements)), Y=draw(matrices(dy, m, elements)),
                    train_output=train, output=output)


@st.composite
def smallest_two_layer_problems(draw, elements: st.SearchStrategy | None = None,
                                activations: st.SearchStrategy | None = None) -> TwoLayer:
    """The one-parameter nets: one input x = 1, one unit w, fixed output u = 1, one sample y (from ``elements``);
    L(w) = ½(σ(w) − y)², σ from ``activations`` (default :func:`rational_critical_cubics`)."""
    sigma = draw(activations if activations is not None else rational_critical_cubics())
    y = draw(elements if elements is not None else rationals())
    return TwoLayer(n=1, width=1, activation=tuple(Fraction(c) for c in sigma), X=((Fraction(1),),),
                    Y=((Fraction(y),),), train_output=False, output=((Fraction(1),),))


ACTIVATION_NAMES = NAMED + ("leaky_relu", "poly")
"""The activations a network layer may have (:class:`verify.problems.Activation`)."""


def activations(names=ACTIVATION_NAMES, max_degree: int = 2) -> st.SearchStrategy[Activation]:
    """One network activation named in ``names``: poly with rational coefficients of degree ≤ ``max_degree``, leaky
    relu with a slope α ∈ {1/2, −1, 1/10, 2, −1/3} (shrinks towards the first name, then small coefficients)."""
    unknown = [n for n in names if n not in ACTIVATION_NAMES]
    if unknown or not names or max_degree < 1:
        raise ValueError(f"names={names!r} must be a non-empty subset of {ACTIVATION_NAMES}; max_degree ≥ 1")

    def build(name, coeffs, alpha):
        if name == "poly":
            return Activation.from_value({"poly": list(coeffs) if any(coeffs) else [0, 1]}, "activation")
        if name == "leaky_relu":
            return Activation.from_value({"leaky_relu": alpha}, "activation")
        return Activation(name=name)

    return st.builds(build, st.sampled_from(list(names)),
                     st.lists(rationals(), min_size=1, max_size=max_degree + 1),
                     st.sampled_from([Fraction(1, 2), Fraction(-1), Fraction(1, 10), Fraction(2), Fraction(-1, 3)]))


@st.composite
def network_problems(draw, min_depth: int = 2, max_depth: int = 4, max_width: int = 3, max_samples: int = 2,
                     names=ACTIVATION_NAMES, max_degree: int = 2, elements: st.SearchStrategy | None = None,
                     fixed_layers: bool = True, regularised: bool | None = None) -> Network:
    """Networks (CONTRACT.md ``kind = "network"``, not canonicalised) with H ∈ [``min_depth``, ``max_depth``] layers,
    widths ≤ ``max_width``, an activation from ``names`` after each hidden layer (:func:`activations`), random bias
    flags, some W_i fixed when ``fixed_layers``, Λ a scalar or one matrix per trained W_i (``regularised``: always,
    never, or either when None), and rational data."""
    if not 1 <= min_depth <= max_depth or max_width < 1 or max_samples < 1:
        raise ValueError(f"need 1 ≤ min_depth={min_depth!r} ≤ max_depth={max_depth!r}, max_width={max_width!r} ≥ 1, "
                         f"max_samples={max_samples!r} ≥ 1")
    H = draw(st.integers(min_depth, max_depth))
    widths = tuple(draw(st.lists(st.integers(1, max_width), min_size=H + 1, max_size=H + 1)))
    acts = tuple(draw(st.lists(activations(names, max_degree), min_size=H - 1, max_size=H - 1)))
    bias = tuple(draw(st.lists(st.booleans(), min_size=H, max_size=H)))
    train = tuple(draw(st.lists(st.booleans(), min_size=H, max_size=H))) if fixed_layers else (True,) * H
    if not any(train) and not any(bias):
        train = (True,) + train[1:]
    fixed = tuple(None if t else draw(matrices(widths[i + 1], widths[i], elements)) for i, t in enumerate(train))
    m = draw(st.integers(1, max_samples))
    reg = Fraction(0)
    if draw(st.booleans()) if regularised is None else regularised:
        lam = rationals().map(abs)
        if draw(st.booleans()):
            reg = draw(lam)
        else:
            reg = tuple(draw(matrices(widths[i + 1], widths[i], lam)) for i, t in enumerate(train) if t)
    return Network(widths=widths, activations=acts, bias=bias, X=draw(matrices(widths[0], m, elements)),
                   Y=draw(matrices(widths[-1], m, elements)), train=train, fixed=fixed, reg=reg)


@st.composite
def relu_teacher_problems(draw, max_k: int = 3, max_n: int = 3) -> ReluTeacher:
    """Safran–Shamir teacher–student problems with the default teacher V = first k basis vectors (k ≤ n)."""
    from verify.problems import default_teacher

    n = draw(st.integers(1, max_n))
    k = draw(st.integers(1, min(max_k, n)))
    return ReluTeacher(k=k, n=n, teacher=default_teacher(k, n))


def problems() -> st.SearchStrategy[Problem]:
    """Any problem kind, small."""
    return st.one_of(deep_linear_problems(), two_layer_problems(), relu_teacher_problems())


def points(problem: Problem, elements: st.SearchStrategy | None = None) -> st.SearchStrategy[tuple]:
    """Points of ``problem`` in canonical parameter order."""
    elements = elements if elements is not None else rationals()
    return st.tuples(*[elements] * problem.n_params)


def directions(problem: Problem) -> st.SearchStrategy[tuple]:
    """Non-zero directions in parameter space."""
    return points(problem).filter(lambda v: any(x != 0 for x in v))


def claims() -> st.SearchStrategy[str]:
    """The claims ``spurious check`` decides exactly."""
    return st.sampled_from(sorted(name for name, rec in CLAIMS.items() if rec.routes))


st.register_type_strategy(DeepLinear, deep_linear_problems())
st.register_type_strategy(TwoLayer, two_layer_problems())
st.register_type_strategy(ReluTeacher, relu_teacher_problems())
st.register_type_strategy(Network, network_problems())
