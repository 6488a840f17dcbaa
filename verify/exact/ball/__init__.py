"""Outward-rounded ball arithmetic (python-flint ``arb``): interval evaluation on boxes, certified inertia."""
