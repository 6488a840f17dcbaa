"""SMT solvers (z3, cvc5) over QF_NRA, each call in a child process under a hard wall-clock limit
(:mod:`~verify.exact.smt.z3_backend`), and the families of certified saddles a query may exclude
(:mod:`~verify.exact.smt.families` finds them, :mod:`~verify.exact.smt.family_check` re-checks them,
:mod:`~verify.exact.smt.orbits` gives the rescaling orbits of two-layer units)."""
