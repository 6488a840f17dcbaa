"""Forged theorem-instance certificates: each is REJECTED (or malformed) with the failing step named — the checker
re-checks every hypothesis of the cited theorem on the embedded problem and trusts no hint."""

import copy

import pytest

import proofs

KAW, LVB = "kawaguchi-2016-theorem-2.3", "laurent-von-brecht-2018"


def dl(widths, X, Y, reg=0):
    return {"kind": "deep-linear", "widths": widths, "X": X, "Y": Y, "reg": reg}


GOOD = dl([2, 1, 2], [[1, 0], [0, 1]], [[2, 0], [0, 1]])   # Σ = diag(4, 1)


def cert(problem, theorem=KAW, statement="no-spurious-local-min", **body):
    return {"format": "spurious-certificate", "version": 1,
            "claim": {"kind": "theorem-instance", "theorem": theorem, "statement": statement},
            "problem": problem, "problem_sha256": proofs.problem_hash(problem),
            "body": {"kind": "theorem-instance", **body}}


def rejected(c):
    r = proofs.check_certificate(c)
    assert r.outcome is proofs.Outcome.REJECTED and not r.verified and r.trust == "none", r.reason
    return r.reason


@pytest.mark.parametrize("c", [cert(GOOD), cert(GOOD, charpoly=["4", "-5", "1"]), cert(GOOD, statement="strict-saddle"),
                               cert(dl([2, 2, 2], [[1, 0], [0, 1]], [[1, 0], [0, 1]]), LVB)])
def test_genuine_instances_verify(c):
    r = proofs.check_certificate(c)
    assert r.outcome is proofs.Outcome.VERIFIED and r.outcome.exit_code == 0, r.reason


@pytest.mark.parametrize("c,step", [
    (cert(GOOD, theorem="kawaguchi-2016-theorem-9.9"),
     "theorem-instance: unknown theorem 'kawaguchi-2016-theorem-9.9'"),
    (cert(dl([2, 1, 2], [[1, 0], [0, 1]], [[1, 0], [0, 1]])),
     "theorem-instance: hypothesis Σ = Y Xᵀ (X Xᵀ)⁻¹ X Yᵀ has d_y distinct eigenvalues fails"),
    (cert(dl([2, 1, 2], [[1, 2], [2, 4]], [[2, 0], [0, 1]])),
     "theorem-instance: hypothesis X has full row rank fails (rank X ≤ 1 < 2 rows)"),
    (cert(dl([2, 1, 2], [[1, 0], [0, 1]], [[1, 0], [0, 0]])),
     "theorem-instance: hypothesis rank(X Yᵀ) = d_y fails (rank 1 < 2)"),
    (cert(dl([1, 1, 2], [[1]], [[1], [2]])), "theorem-instance: hypothesis d_y ≤ d_x fails (d_y = 2 > d_x = 1)"),
    (cert({**GOOD, "reg": "1/10"}), "theorem-instance: hypothesis no regularisation (Λ = 0) fails"),
    (cert({**GOOD, "reg": "1/10"}, LVB), "theorem-instance: hypothesis no regularisation (Λ = 0) fails"),
    (cert(GOOD, LVB),
     "theorem-instance: hypothesis every hidden width ≥ min(d_x, d_y) fails (hidden width d_1 = 1 < 2)"),
    (cert(dl([1, 1, 1, 1], [[1]], [[1]]), statement="strict-saddle"),
     "theorem-instance: 'strict-saddle' is concluded only with one hidden layer (H = 2), not H = 3"),
    (cert(GOOD, LVB, statement="strict-saddle"), "theorem-instance: Laurent & von Brecht 2018 does not conclude"),
    (cert(GOOD, statement="no-spurious-valley"), "theorem-instance: Kawaguchi 2016, Theorem 2.3 does not conclude"),
    (cert(GOOD, charpoly=["4", "-4", "1"]), "theorem-instance: hint charpoly"),
    (cert(GOOD, charpoly=["4", "-5", "1", "0"]), "theorem-instance: hint charpoly"),
    (cert(GOOD, LVB, charpoly=["4", "-5", "1"]), "theorem-instance: laurent-von-brecht-2018 takes no charpoly hint"),
    (cert({"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": [0, 1]}, "X": [[1]], "Y": [[1]],
           "train_output": True, "output": None, "reg": 0}),
     "theorem-instance: hypothesis deep linear network fails (the problem is two-layer)"),
])
def test_false_hypothesis_or_forged_claim_rejected(c, step):
    assert rejected(c).startswith(step)


def test_transplanted_problem_rejected():
    c = cert(GOOD)
    c["problem"] = dl([2, 1, 2], [[1, 0], [0, 1]], [[1, 0], [0, 1]])   # the old hash kept
    assert rejected(c).startswith("problem_sha256:")
    c["problem_sha256"] = proofs.problem_hash(c["problem"])           # re-hashed: the hypotheses fail on it
    assert "distinct eigenvalues fails" in rejected(c)
    other = proofs.problem_hash(dl([2, 1, 2], [[1, 0], [0, 1]], [[3, 0], [0, 1]]))
    r = proofs.check_certificate(cert(GOOD), expected_problem_sha256=other)
    assert r.outcome is proofs.Outcome.REJECTED and r.reason.startswith("problem:")


def test_relabelled_or_malformed_rejected():
    c = cert(GOOD)
    c["claim"] = {"kind": "local-min", "point": ["0", "0", "0", "0"]}
    assert rejected(c).startswith("claim: the claim says 'local-min' but the body proves 'theorem-instance'")
    for mutate, field in [(lambda c: c["body"].update(extra=1), "body"),
                          (lambda c: c["claim"].update(point=[0]), "claim"),
                          (lambda c: c["claim"].update(theorem=7), "claim.theorem"),
                          (lambda c: c["body"].update(charpoly=["4", "-5", 1.0]), "float"),
                          (lambda c: c["body"].update(charpoly="x^2"), "body.charpoly")]:
        d = copy.deepcopy(cert(GOOD))
        mutate(d)
        with pytest.raises(proofs.MalformedCertificate, match=field):
            proofs.check_certificate(d)


def test_a_verified_theorem_instance_rests_on_the_theorem():
    """check-cert and spurious check agree: a verified theorem instance has trust 'theorem', not 'kernel'."""
    import pathlib

    lib = pathlib.Path(__file__).resolve().parents[2] / "proofs" / "library"
    r = proofs.check_file(lib / "kawaguchi-2x1x2-theorem-instance.json")
    assert r.verified and r.trust == "theorem" and r.to_json()["trust"] == "theorem"
    assert proofs.check_file(lib / "deep3-scalar-global-min.json").trust == "kernel"


VBB = "venturi-bandeira-bruna-2018"


def two_layer(width, X, train_output=True, reg="0", act=("0", "0", "1")):
    m = len(X[0])
    return {"kind": "two-layer", "n": len(X), "width": width, "activation": {"poly": list(act)}, "X": X,
            "Y": [[str(i) for i in range(m)]], "train_output": train_output,
            "output": None if train_output else [["1"] * width], "reg": reg}


SQ = [["1", "0", "1", "2"], ["0", "1", "1", "-1"]]   # 4 samples in R²: dim span{(w·x)²} = 3


@pytest.mark.parametrize("problem, why", [
    (two_layer(2, SQ), "width p ≥ the intrinsic dimension on the data fails (p = 2 < 3"),
    (two_layer(3, SQ, train_output=False), "both layers trained fails"),
    (two_layer(3, SQ, reg="1/10"), "no regularisation (Λ = 0) fails"),
    (dl([2, 1, 2], [["1", "0"], ["0", "1"]], [["2", "0"], ["0", "1"]]), "two-layer net with a polynomial activation"),
])
def test_venturi_hypotheses_are_rechecked(problem, why):
    assert why in rejected(cert(problem, VBB, "no-spurious-valley"))


def test_venturi_true_instance_verifies_and_concludes_only_valleys():
    assert proofs.check_certificate(cert(two_layer(3, SQ), VBB, "no-spurious-valley")).verified
    assert proofs.check_certificate(cert(two_layer(1, [["1", "0"]], act=("0", "1")), VBB,
                                         "no-spurious-valley")).verified      # σ(t) = t: dimension 1 = p
    assert "does not conclude" in rejected(cert(two_layer(3, SQ), VBB, "no-spurious-local-min"))


FB = "freeman-bruna-2017"


def test_freeman_bruna_needs_no_bottleneck():
    wide = dl([1, 2, 1], [["1", "2"]], [["1", "0"]])
    assert proofs.check_certificate(cert(wide, FB, "no-spurious-valley")).verified
    narrow = dl([2, 1, 2], [["1", "0"], ["0", "1"]], [["2", "0"], ["0", "1"]])
    assert "every hidden width > min(d_x, d_y) fails" in rejected(cert(narrow, FB, "no-spurious-valley"))
    assert "no regularisation" in rejected(cert(dl([1, 2, 1], [["1"]], [["1"]], reg="1/2"), FB,
                                                "no-spurious-valley"))
    assert "does not conclude" in rejected(cert(wide, FB, "no-spurious-local-min"))
