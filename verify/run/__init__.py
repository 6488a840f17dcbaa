"""Orchestration: claims decided by their routes (:mod:`~verify.run.check`), the numeric route, hunts,
the demo, one child-process helper (:mod:`~verify.run.child`) and wall-clock limits (:mod:`~verify.run.limits`)."""
