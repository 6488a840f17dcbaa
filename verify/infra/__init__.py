"""Infrastructure below every layer that uses it (DESIGN.md): one child-process helper
(:mod:`~verify.infra.child`: fork, pipe, poll, kill) and a wall-clock limit for in-process work
(:mod:`~verify.infra.limits`). Imports only :mod:`verify.errors`."""
