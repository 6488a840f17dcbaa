"""Public test support: hypothesis strategies (:mod:`~verify.testing.strategies`) and the backend
conformance test (:mod:`~verify.testing.conformance`: an ABC, a registry, ``run_conformance_test``)."""
