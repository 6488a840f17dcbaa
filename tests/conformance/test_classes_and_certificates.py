"""Numeric and exact classification agree wherever the numeric one is outside its tolerance band, and every
certificate emitted for a search candidate is accepted by the independent checker (issue 6)."""

from hypothesis import given, settings
from hypothesis import strategies as st

import proofs
from numeric import Criticality
from numeric.bridge import rationalise
from numeric.search import SearchConfig, search
from verify.certify import emit_checked
from verify.exact.classify import classify
from verify.testing.strategies import deep_linear_problems, rationals, two_layer_problems

# numeric class → exact classes it is compatible with (numeric cannot know globality; the exact layer may be
# unable to decide a degenerate point)
COMPATIBLE = {
    "global-min": {"global-min", "unknown"},
    "local-min": {"global-min", "local-min", "unknown"},
    "spurious-local-min": {"local-min", "unknown"},
    "strict-saddle": {"strict-saddle"},
    "non-strict-saddle": {"non-strict-saddle", "unknown"},
    "local-max": {"local-max", "unknown"},
}


small = st.one_of(deep_linear_problems(max_depth=3, max_width=2, elements=rationals(2, 1)),
                  two_layer_problems(activation="poly", max_n=1, max_width=2, max_degree=3, elements=rationals(2, 1)))


def test_search_candidates_classify_consistently_and_certify():
    """Runs a search per example, so it takes 1/8 of the profile's example count (12 under ``ci``)."""
    counts = {"compared": 0, "certified": 0}

    @settings(max_examples=max(4, settings.default.max_examples // 8))
    @given(small)
    def agree(problem):
        res = search(problem, SearchConfig(starts=16, method="both", seed=0, steps=400, newton_steps=60))
        for cand in res.candidates[:4]:
            if cand["class"] in ("unknown", "not-critical"):
                continue  # inside a tolerance band: nothing to compare
            export = rationalise(problem, cand["params"])
            if export.exactly_critical is not Criticality.YES:
                continue  # rationalisation did not land on an exactly critical point: nothing certified
            point = export.point
            c = classify(problem, point)
            assert c.cls.value != "not-critical", (problem, point)  # the bridge's exact gradient agrees
            counts["compared"] += 1
            assert c.cls.value in COMPATIBLE[cand["class"]], (problem, point, cand["class"], c.cls.value, c.reason)
            cert, note = emit_checked(problem, point, c)  # raises if the checker rejected our own certificate
            if cert is not None:
                assert proofs.check_certificate(cert).verified
                counts["certified"] += 1

    agree()
    assert counts["compared"] > 0 and counts["certified"] > 0, counts
