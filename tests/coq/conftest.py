"""The coqc fixture for tests/coq (see coqenv.need_coqc)."""

from coqenv import coqc  # noqa: F401  (a fixture)
