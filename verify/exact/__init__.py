"""Exact backends: Taylor data, inertia, descent curves, global minima, point classification.

Sub-packages: :mod:`verify.exact.smt` (z3 and cvc5 in child processes), :mod:`verify.exact.algebra`
(Gröbner bases and quotient algebras for finite critical sets). Loads python-flint; never imported by numeric/.
"""
