"""SMT solvers (z3, cvc5) over QF_NRA, each call in a child process under a hard wall-clock limit."""
