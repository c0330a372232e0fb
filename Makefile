# Shortcuts for ./servicedesk, which is what the README and CI use (it needs no make).
.PHONY: run test test-unit seed bench clean

run:
	@./servicedesk run

test:
	@./servicedesk test $(PYTEST_ARGS)

# The fast layer only: domain logic, no RabbitMQ.
test-unit:
	@bash scripts/bootstrap.sh
	@.venv/bin/python -m pytest tests/unit -q -p no:cacheprovider $(PYTEST_ARGS)

seed:
	@./servicedesk seed

bench:
	@./servicedesk bench $(BENCH_ARGS)

clean:
	rm -rf .venv run
