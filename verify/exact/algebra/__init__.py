"""Exact algebra of finite critical sets: Gröbner bases over Q, quotient algebras, Hermite counts."""
