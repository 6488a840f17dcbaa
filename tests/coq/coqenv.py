"""Shared by the Coq tests: coqc is a Debian package (.ci/run installs it). Where it is absent these tests
skip, except under SPURIOUS_REQUIRE_COQ=1 (set by .ci/run), where they fail: CI never skips them."""

from __future__ import annotations

import os
import shutil

import pytest


def need_coqc() -> str:
    """coqc's path, or skip (fail under SPURIOUS_REQUIRE_COQ=1) naming what to install."""
    path = shutil.which("coqc")
    if path is None:
        why = ("coqc is not installed "
               "(apt-get install coq libcoq-coquelicot libcoq-interval libcoq-bignums libcoq-mathcomp)")
        if os.environ.get("SPURIOUS_REQUIRE_COQ") == "1":
            pytest.fail(why + " but SPURIOUS_REQUIRE_COQ=1")
        pytest.skip(why)
    return path


@pytest.fixture
def coqc() -> str:
    return need_coqc()
