# The project's commands. `make run` and `make test` bootstrap whatever is missing.
.PHONY: run test lint stop bootstrap bench seed i18n clean

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh $(ARGS)

# OCA's linters (ruff, pylint-odoo) from the venv; `make test` runs them first.
lint:
	@bash scripts/lint.sh

stop:
	@bash scripts/pg.sh stop

bootstrap:
	@bash scripts/bootstrap.sh

# make bench [B=<name>]: benchmarks in bench/ (each prints JSON lines, last).
bench:
	@bash scripts/bench.sh $(B)

# make seed LEADS=100000 AGENTS=200 [DB=telesales]: bulk data for benchmarks.
seed:
	@bash scripts/seed.sh "$(or $(DB),telesales)" "$(or $(LEADS),10000)" "$(or $(AGENTS),60)"

# make i18n [DB=telesales_test]: refresh the .pot from a database and merge zh_CN.po.
i18n:
	@bash scripts/i18n.sh $(or $(DB),telesales_test)

clean:
	@bash scripts/pg.sh stop
	rm -rf .pgdata .data .odoorc
