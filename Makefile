# int8cosim: QAT -> bit-exact int8 export -> golden model -> cycle-accurate hw-sim -> RTL in lockstep.
# Targets: cosim (the main job), test (the whole mocha suite), bench [B=name], synth, lint, regress, mutate.
SHELL := /bin/bash
CLI   := node bin/int8cosim.mjs
MOCHA := node_modules/.bin/mocha
TSC   := node_modules/.bin/tsc

.PHONY: all deps test typecheck cosim report bench synth lint regress mutate clean

all: test

# npm writes node_modules/.package-lock.json on every install; reinstall when the lock file changes.
deps: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

typecheck: deps
	$(TSC) --noEmit -p tsconfig.json

test: deps typecheck
	$(MOCHA)

cosim: deps
	$(CLI) cosim $(ARGS)

# Rebuild out/cosim/report.html from the last run's report.json (nothing is re-run).
report: deps
	$(CLI) report --report-only $(ARGS)

bench: deps
	node --import tsx bench/run.ts $(B)

clean:
	rm -rf out .cache
