# Two commands matter: `make run` (the whole suite) and `make test` (the whole test suite).
# Both bootstrap first: the virtual environment with pinned dependencies, and a reachable RabbitMQ.
.PHONY: run test test-unit bench clean

PYTHON := .venv/bin/python

run:
	@bash scripts/bootstrap.sh
	@$(PYTHON) scripts/suite.py

# `nameko test` monkey-patches eventlet before pytest imports anything (see docs/testing.md).
test:
	@bash scripts/bootstrap.sh --tests
	@.venv/bin/nameko test tests -p no:cacheprovider $(PYTEST_ARGS)

# The fast layer only: domain logic, no RabbitMQ.
test-unit:
	@bash scripts/bootstrap.sh
	@$(PYTHON) -m pytest tests/unit -q $(PYTEST_ARGS)

bench:
	@bash scripts/bootstrap.sh
	@$(PYTHON) bench/gateway_load.py $(BENCH_ARGS)

clean:
	rm -rf .venv run
