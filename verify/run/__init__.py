"""Orchestration: claims decided by their routes (:mod:`~verify.run.check`), the numeric route, hunts,
the demo. Child processes and wall-clock limits are infrastructure, in :mod:`verify.infra`."""
