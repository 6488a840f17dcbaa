"""Regression tests for the hand-made certificates of /work/shared/findings (copied to tests/soundness/findings/;
README.md there names each defect). Each file has its expected outcome, a substring of its reason, and how it
is settled: 'fast' (decided within FAST seconds) or 'limit' (refused by a documented size limit)."""

import copy
import json
import pathlib
import random
import subprocess
import sys
import time
import tomllib

import pytest
from certlib import attestation_query

from proofs import (
    CheckTimeout,
    MalformedCertificate,
    Outcome,
    check_certificate,
    check_file,
    printable,
    problem_hash,
)
from verify.certify.attestation_check import check_any, check_any_file
from verify.problems.canonical import canonical_problem_hash

HERE = pathlib.Path(__file__).resolve().parent
FINDINGS = HERE / "findings"
EXAMPLES = HERE.parents[1] / "examples"
SHARED = HERE.parents[2] / "shared" / "findings"
FAST = 10.0   # seconds; each measured at 0.1–3 s on 2 cores (they took 10 s to > 60 s before)

ATTEST = "solver-attested: "
EXPECTED = {
    # solver attestations: never verified; these are not tied to their problem at all
    "attestation-cubic-no-spurious-local-min.json": ("rejected", ATTEST + "query script 0 does not start with "
                                                     "(set-logic QF_NRA)", "fast"),
    "attestation-depth3-strict-saddle.json": ("rejected", ATTEST + "query script 0 does not start with", "fast"),
    "attestation-transplanted-from-d2-to-cubic.json": ("rejected", ATTEST + "query script 0 does not declare the "
                                                       "problem's 1 parameters W_0_0 first", "fast"),
    "attestation-terminal-escapes.json": ("rejected", ATTEST + "the statement 'x\\r\\x1b[2KVERIFIED: global-min",
                                          "fast"),
    # crashes
    "crash-int-str-limit-bigwitness.json": ("rejected", "witness: L(witness) = 1.749700e+7996 (≈7998/2 digits) is "
                                            "not < L(point) = 585/32", "fast"),
    "crash-int-str-limit-true-nonstrict-saddle.json": ("verified", "descent: L(θ(t)) − L(p) = (-1.000000e+5997",
                                                       "fast"),
    "crash-int-str-limit-true-spurious-min.json": ("verified", "L(witness) = 9.504767e-1", "fast"),
    "crash-lone-surrogate-solver-name-rejected.json": ("rejected", ATTEST + "the statement 's' is not one of", "fast"),
    "crash-lone-surrogate-statement.json": ("rejected", ATTEST + "the statement '\\ud800' is not one of", "fast"),
    "crash-relu-teacher-zero-loss.json": ("rejected", "zero-loss: relu-teacher losses omit their constant part",
                                          "fast"),
    # slow inputs within the limits
    "dos-curve-degree8-depth16-bigfractions.json": ("rejected", "ascent: all of M H Mᵀ is 0 and the descent curve "
                                                    "has even order", "fast"),
    "dos-hessian-two-layer-400x200.json": ("rejected", "local-min: M H Mᵀ has a diagonal entry 0 <= 0", "fast"),
    "dos-hessian-two-layer-400x1000.json": ("malformed", "problem: 1000 samples × 400 parameters exceeds the limit "
                                            "of 100,000", "limit"),
    "dos-krawczyk-400.json": ("verified", "Krawczyk K(X) ⊂ int X", "fast"),
    "dos-local-min-dense-400.json": ("rejected", "congruence: (M H Mᵀ)[0][1] = 55459 is not 0", "fast"),
    "dos-local-min-hadamard-256.json": ("verified", "M H Mᵀ = diag(256, 256", "fast"),
    "dos-rank-dual-basis.json": ("rejected", "rank-dual (Z + μI − A ⪰ 0): diagonal entry -2940 < 0", "fast"),
    "dos-rank-dual-bigints-memory.json": ("rejected", "rank-dual (Z + μI − A ⪰ 0): diagonal entry -55 < 0", "fast"),
    # false claims verified through the venturi-bandeira-bruna-2018 entry: a weighted data kernel (signed c_j lose
    # rank) and losses whose minimum is not attained; the counterexample on the same problem is a TRUE claim
    "venturi-signed-kernel-rank-no-spurious-valley-FALSE.json": ("rejected", "theorem-instance: hypothesis", "fast"),
    "venturi-signed-kernel-rank-COUNTEREXAMPLE-spurious-isolated-min.json": ("verified", "Krawczyk K(X) ⊂ int X",
                                                                             "fast"),
    "venturi-logistic-no-global-min-no-spurious-valley.json": ("rejected", "theorem-instance: hypothesis", "fast"),
    "venturi-cross-entropy-no-global-min-no-spurious-valley.json": ("rejected", "theorem-instance: hypothesis",
                                                                    "fast"),
    "cli-venturi-logistic.json": ("rejected", "theorem-instance: hypothesis", "fast"),
    # huber inside a Morse–Bott family (a TypeError: no order in Q[s][1/q]): families are for polynomial losses
    "crash-spurious-morse-bott-min-huber-loss-TypeError.json": ("rejected", "family: only for polynomial losses "
                                                                "(not huber)", "fast"),
    "crash-spurious-rescaling-valley-huber-loss-TypeError.json": ("rejected", "family: only for polynomial losses "
                                                                  "(not huber)", "fast"),
    # past the time limit (175 s under check_file's 60 s) or 3.2 GB, within the documented limits; see the tests below
    "hang-kawaguchi-theorem-instance-rank-deficient-XXt-260x170.json": ("rejected", "theorem-instance: hypothesis",
                                                                        "fast"),
    "resource-morse-bott-family-4096-terms-FLINT-alloc-failure-exit3.json": ("rejected", "gradient: ∂L/∂θ[0] = ",
                                                                             "fast"),
}
SIGNED_KERNEL_PROBLEM = "venturi-signed-kernel-rank-problem.toml"


def _run(path, **kw):
    t = time.perf_counter()
    try:
        r = check_any_file(path, timeout=60, **kw)
    except MalformedCertificate as e:
        return "malformed", str(e), None, time.perf_counter() - t
    return r.outcome.value, r.reason, r, time.perf_counter() - t


def _clean(text):
    """Nothing a terminal would act on, and encodable (no lone surrogates). Human-mode text has 2 lines."""
    assert all(line == printable(line) for line in text.split("\n")) and text.count("\n") <= 1
    assert not any(c in text for c in "\r\x1b\x07\x08\u202e\u2028")
    text.encode("utf-8")


def test_every_finding_has_an_expectation():
    assert {f.name for f in FINDINGS.glob("*.json")} == set(EXPECTED)
    if SHARED.is_dir():   # the copies are the shared files
        for name in [*EXPECTED, SIGNED_KERNEL_PROBLEM]:
            assert (FINDINGS / name).read_bytes() == (SHARED / name).read_bytes(), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_finding(name):
    outcome, reason, how = EXPECTED[name]
    got, why, r, seconds = _run(FINDINGS / name)
    assert (got, reason in why) == (outcome, True), why
    assert got != "attested" and (r is None or r.outcome is not Outcome.VERIFIED or r.trust == "kernel")
    _clean(why)
    if r is not None:
        _clean(r.claim)
        _clean(r.text())
        json.dumps(r.to_json(), ensure_ascii=False).encode("utf-8")
    assert seconds < FAST, f"{name} took {seconds:.1f} s ({how})"


def _problem_file(name):
    p = tomllib.loads((EXAMPLES / name).read_text())
    p.setdefault("reg", 0)
    if p["kind"] == "two-layer":
        p.setdefault("output", None)
    return p


@pytest.mark.parametrize("name,toml", [("attestation-cubic-no-spurious-local-min.json", "cubic.toml"),
                                       ("attestation-depth3-strict-saddle.json", "depth3.toml")])
def test_false_attestations_tied_to_their_problem_are_only_attested(name, toml):
    """The same false claims with a query that IS tied to the problem (cubic: w = -1 is a spurious local minimum;
    depth 3: the origin is a non-strict saddle): the most a solver's word can get is ATTESTED (exit 4), never
    VERIFIED -- and only with the fixed statement, against the --problem file matched canonically."""
    c = json.loads((FINDINGS / name).read_text())
    c["body"]["query"]["text"] = attestation_query(c["problem"])
    assert canonical_problem_hash(_problem_file(toml)) == canonical_problem_hash(c["problem"])
    r = check_any(c, expected_problem_sha256=problem_hash(c["problem"]))
    assert (r.outcome, r.verified, r.trust, r.outcome.exit_code) == (Outcome.ATTESTED, False, "solver", 4)
    assert r.text().startswith("ATTESTED (not verified): solver-attested (not kernel-checked): ")
    other = _problem_file("cubic.toml" if toml == "depth3.toml" else "depth3.toml")
    assert canonical_problem_hash(other) != canonical_problem_hash(c["problem"])
    assert check_any(c, expected_problem_sha256=problem_hash(other)).outcome is Outcome.REJECTED
    c["claim"]["statement"] = "x\r\x1b[2KVERIFIED: global-min"
    r = check_any(c)
    assert r.outcome is Outcome.REJECTED and "\\r\\x1b[2KVERIFIED" in r.reason
    _clean(r.text())


def test_transplanted_attestation_fails_only_on_the_tie():
    """A genuine d2 query (sliced, as the emitter wrote it before FORMAT.md's tie) put on the cubic problem."""
    c = json.loads((FINDINGS / "attestation-transplanted-from-d2-to-cubic.json").read_text())
    r = check_any(c)
    assert r.outcome is Outcome.REJECTED and "does not declare the problem's 1 parameters W_0_0" in r.reason
    c["body"]["query"]["text"] = attestation_query(c["problem"])
    assert check_any(c).outcome is Outcome.ATTESTED


@pytest.mark.parametrize("name,answer,want", [("\ud800", "sat", "rejected"), ("z3\x1b[8m\r", "unsat", "attested"),
                                              ("z3\u202e", "unsat", "attested")])
def test_solver_names_are_escaped(name, answer, want):
    c = json.loads((FINDINGS / "crash-lone-surrogate-solver-name-rejected.json").read_text())
    c["claim"]["statement"] = "no-spurious-local-min: no critical point with PSD Hessian that is not a global minimum"
    c["body"].update(expected="unsat", solvers=[{"name": name, "version": "4\x07", "answer": answer}])
    c["body"]["query"]["text"] = attestation_query(c["problem"])
    r = check_any(c)
    assert r.outcome.value == want
    assert printable(name) in r.reason and "4\\x07" in r.reason
    _clean(r.reason)
    _clean(r.text())


def test_malformed_messages_are_escaped():
    c = json.loads((FINDINGS / "crash-relu-teacher-zero-loss.json").read_text())
    c["body"]["\x1b[2K\ud800"] = 1
    with pytest.raises(MalformedCertificate) as e:
        check_certificate(c)
    _clean(str(e.value))
    assert "\\x1b[2K\\ud800" in str(e.value)


def test_true_big_number_claims_verify_with_short_messages():
    for name in ("crash-int-str-limit-true-nonstrict-saddle.json", "crash-int-str-limit-true-spurious-min.json"):
        r = check_file(FINDINGS / name)
        assert r.verified and r.trust == "kernel", r.reason
        assert len(r.reason) < 400 and len(r.claim) < 400


def test_timeout_is_a_hard_limit_with_its_own_exception():
    """A check that cannot finish within `timeout` raises CheckTimeout (a MalformedCertificate: CLI exit 2)."""
    path = FINDINGS / "dos-krawczyk-400.json"
    t = time.perf_counter()
    with pytest.raises(CheckTimeout, match=r"too large to check in 0\.05 s"):
        check_file(path, timeout=0.05)
    assert time.perf_counter() - t < 2
    assert issubclass(CheckTimeout, MalformedCertificate)
    with pytest.raises(ValueError, match="timeout"):
        check_file(path, timeout=0)
    assert check_file(path, timeout=None).verified


def test_canonical_problem_hash_normalises_numbers_and_key_order():
    c = json.loads((FINDINGS / "attestation-cubic-no-spurious-local-min.json").read_text())
    p = c["problem"]
    variants = [dict(reversed(list(p.items()))), {**p, "Y": [["6/2"]], "reg": [[["0.0"]]]},
                {**p, "X": [[1.0]], "activation": {"poly": ["0", "-3", "0/5", "1", "0"]}, "output": [["+1"]]},
                _problem_file("cubic.toml")]
    want = canonical_problem_hash(p)
    assert all(canonical_problem_hash(v) == want for v in variants)
    assert canonical_problem_hash({**p, "Y": [["3.0001"]]}) != want
    r = check_certificate(json.loads((FINDINGS / "crash-int-str-limit-true-spurious-min.json").read_text()),
                          expected_problem_sha256="0" * 64)
    assert r.outcome is Outcome.REJECTED and "not the given" in r.reason
    with pytest.raises(MalformedCertificate, match="divides by zero"):
        canonical_problem_hash({**p, "Y": [["1/0"]]})


def test_expected_problem_matches_canonically():
    c = json.loads((FINDINGS / "crash-int-str-limit-true-spurious-min.json").read_text())
    spelled = copy.deepcopy(c["problem"])
    spelled["X"] = [["1.0", "0/7", "-0"]]
    assert canonical_problem_hash(spelled) == canonical_problem_hash(c["problem"]) != canonical_problem_hash(
        {**spelled, "X": [["1", "0", "1"]]})
    assert check_certificate(c, expected_problem_sha256=c["problem_sha256"]).verified   # the embedded hash pins


@pytest.mark.parametrize("extra", ["(assert false)", "(assert (= 1.0 0.0))", "(assert (> 0.0 1.0))",
                                   "(assert (or false (= W1_0_0 W1_0_0)))"])
def test_constant_assertion_added_to_a_tied_attestation_is_rejected(extra):
    c = json.loads((FINDINGS / "attestation-depth3-strict-saddle.json").read_text())
    c["body"]["query"]["text"] = attestation_query(c["problem"])
    assert check_any(c).outcome is Outcome.ATTESTED  # the tied query alone
    c["body"]["query"]["text"] = c["body"]["query"]["text"].replace("(check-sat)", extra + "\n(check-sat)", 1)
    result = check_any(c)
    assert result.outcome is Outcome.REJECTED and "constant assertion" in result.reason, result.reason


def test_signed_kernel_claim_and_its_counterexample_are_one_problem():
    """The two signed-kernel files are about the problem of their .toml (σ = −t⁵ + 5t³ + t² − 4t, X = [[1, −1]],
    width 1): the kernel verifies the certified spurious strict minimum and must refuse the theorem's claim that
    no spurious valley exists (the intrinsic dimension is 2 > width 1) -- never both."""
    toml = tomllib.loads((FINDINGS / SIGNED_KERNEL_PROBLEM).read_text())
    toml.setdefault("output", None)
    pin = canonical_problem_hash(toml)
    verdicts = {}
    for name in ("venturi-signed-kernel-rank-no-spurious-valley-FALSE.json",
                 "venturi-signed-kernel-rank-COUNTEREXAMPLE-spurious-isolated-min.json"):
        c = json.loads((FINDINGS / name).read_text())
        assert canonical_problem_hash(c["problem"]) == pin, name
        verdicts[c["claim"]["kind"]] = check_certificate(c).outcome
    assert verdicts == {"theorem-instance": Outcome.REJECTED, "spurious-isolated-min": Outcome.VERIFIED}


def test_check_file_limit_is_hard_on_an_uninterruptible_rank(tmp_path):
    """The Kawaguchi hang made to reach its exact rank (X 260 × 300, 40-digit integers, two equal rows, so rank
    X ≤ #samples no longer settles it): check_file(timeout=5) answers or raises CheckTimeout within 15 s (it took
    175 s under a 60 s limit: one flint call that no alarm interrupts)."""
    c = json.loads((FINDINGS / "hang-kawaguchi-theorem-instance-rank-deficient-XXt-260x170.json").read_text())
    rng = random.Random(21)
    X = [[str(rng.randrange(10 ** 39, 10 ** 40)) for _ in range(300)] for _ in range(259)]
    c["problem"].update(X=X + [X[0]], Y=[[str(rng.randrange(10 ** 39, 10 ** 40)) for _ in range(300)]])
    c["problem_sha256"] = problem_hash(c["problem"])
    path = tmp_path / "hang-variant.json"
    path.write_text(json.dumps(c))
    t = time.perf_counter()
    try:
        r = check_file(path, timeout=5)
        assert r.outcome is Outcome.REJECTED and "theorem-instance: hypothesis" in r.reason, r.reason
    except CheckTimeout:
        pass
    assert time.perf_counter() - t < 15


_BOUNDED = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))
import proofs
try:
    r = proofs.check_file(sys.argv[1], timeout=30)
    print(json.dumps([r.outcome.value, r.reason]))
except proofs.MalformedCertificate as e:
    print(json.dumps(["malformed", str(e)]))
"""


def test_morse_bott_family_size_is_bounded_before_expansion(tmp_path):
    """The 4,096-term family at a CRITICAL point (Y = σ(3) = 88573, so ∇L(p) = 0 and the family identity is
    reached): 3.2 GB and a FLINT allocation failure before; now malformed by MAX_FAMILY_WORK (a dry run over the
    degrees and coefficient sizes, before any expansion), in a process capped at 512 MB of address space."""
    c = json.loads((FINDINGS / "resource-morse-bott-family-4096-terms-FLINT-alloc-failure-exit3.json").read_text())
    c["problem"]["Y"] = [[88573]]
    c["problem_sha256"] = problem_hash(c["problem"])
    path = tmp_path / "resource-critical.json"
    path.write_text(json.dumps(c))
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _BOUNDED, str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    got, why = json.loads(out.stdout)
    assert got == "malformed" and "body.family: the identity ∇L(θ(s)) ≡ 0 needs more than" in why, why
    assert time.perf_counter() - t < FAST


def test_morse_bott_family_denominators_are_bounded_before_the_polynomial_is_built(tmp_path):
    """The same family with 4,095 distinct 600-digit denominators in one polynomial (2.5 MB, within every other
    limit): building it (the lcm of its denominators) ran over 120 s before; now malformed at once."""
    c = json.loads((FINDINGS / "resource-morse-bott-family-4096-terms-FLINT-alloc-failure-exit3.json").read_text())
    rng = random.Random(7)
    for t in c["body"]["family"]["numerator"][0][1:]:
        t[1] = f"1/{rng.getrandbits(1990) | 1}"
    c["problem"]["Y"] = [[88573]]
    c["problem_sha256"] = problem_hash(c["problem"])
    path = tmp_path / "family-denominators.json"
    path.write_text(json.dumps(c))
    got, why, _, seconds = _run(path)
    assert got == "malformed" and "body.family.numerator[0]: its distinct denominators have more than 10,000 bits" \
        in why, why
    assert seconds < FAST


@pytest.mark.parametrize("name", ["crash-spurious-morse-bott-min-huber-loss-TypeError.json",
                                  "crash-spurious-rescaling-valley-huber-loss-TypeError.json"])
def test_huber_families_verify_with_the_square_loss(name):
    """Every residual is within δ = 100, where h_δ = ½e²: the same certificates with the square loss verify, so
    the family rule refuses huber for being piecewise, not these minima."""
    c = json.loads((FINDINGS / name).read_text())
    del c["problem"]["loss"]
    c["problem_sha256"] = problem_hash(c["problem"])
    r = check_certificate(c)
    assert r.verified and r.trust == "kernel", r.reason


def test_huber_rejects_an_unordered_value():
    """An unordered value reaching huber (a Jet over Q[θ], as a family's Q[s][1/q] once did) is a clean `huber:`
    rejection, never a TypeError."""
    from flint import fmpq_mpoly_ctx

    from proofs.loss import Jet, fq, loss
    from proofs.reader import Rejected, read_problem

    P = read_problem(json.loads((FINDINGS / "crash-spurious-morse-bott-min-huber-loss-TypeError.json").read_text())[
        "problem"])
    gens = fmpq_mpoly_ctx.get(("t", P.nparams)).gens()
    with pytest.raises(Rejected, match="^huber: the huber loss is piecewise"):
        loss(P, [Jet(g, {i: 1}, None) for i, g in enumerate(gens)], fq)
