# int8cosim: QAT -> bit-exact int8 export -> golden model -> cycle-accurate hw-sim -> RTL in lockstep.
# Targets: cosim (the main job), test (deps-check + the whole mocha suite), bench [B=name], synth, lint, regress, mutate.
SHELL := /bin/bash
CLI   := node bin/int8cosim.mjs
MOCHA := node_modules/.bin/mocha
TSC   := node_modules/.bin/tsc

.PHONY: all deps native system-cosim system-test system-bench system-schema tflite-schema test typecheck deps-check cosim report bench synth lint regress mutate coverage clean runtime-check

all: test

# npm writes node_modules/.package-lock.json on every install; reinstall when the lock file changes.
deps: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# The Debian packages of system-packages.txt (one list, also .ci/run's): installed with apt-get as root without a
# terminal, otherwise one line naming the command.
system-cosim:
	@bin/ensure-system-packages cosim
system-test:
	@bin/ensure-system-packages test
system-bench:
	@bin/ensure-system-packages bench
system-schema:
	@bin/ensure-system-packages schema

# TFLite's flatbuffer schema as TypeScript (model/tflite/third_party/tflite-schema/, committed; flatc 2.0.8) from
# schema.fbs at the commit pinned in the script: $INT8COSIM_TFLITE_SCHEMA or downloaded into .cache/tflite-schema/,
# sha256-checked (its README.md). make test checks the committed files against the SHA256SUMS the script writes.
tflite-schema: system-schema deps
	tools/gen-tflite-schema.sh

# The golden model's native kernels (quant/golden/native/kernels.cc) for this machine: -march=native picks AVX-512
# VNNI where the CPU has it. Without the library the golden model runs its WebAssembly kernels, bit for bit the same.
NATIVE_SO := out/native/golden-kernels.so
native: $(NATIVE_SO)
$(NATIVE_SO): quant/golden/native/kernels.cc $(wildcard quant/golden/native/*.h)
	@mkdir -p $(@D)
	g++ -std=c++17 -O3 -march=native -Wall -Wextra -Werror -shared -fPIC -o $@ $<

typecheck: deps
	$(TSC) --noEmit -p tsconfig.json

# The rooms of ../shared/STYLE.md (who may import whom, no cycles, tfjs and koffi in their rooms, run-time code on
# `dependencies` only), checked by dependency-cruiser with the rules of .dependency-cruiser.cjs: lists every
# violation with its rule and fails on any.
DEPCRUISE := node_modules/.bin/depcruise
ROOMS     := quant model hw-sim harness verify synth report cosim cli bin bench test tools
deps-check: deps
	$(DEPCRUISE) --config .dependency-cruiser.cjs --output-type err $(wildcard $(ROOMS))

# The suite is every test/**/*.test.ts, two files at a time (a file's JS runs on one core while the other's Verilator
# builds and simulations use the second); `node_modules/.bin/mocha test/x.test.ts` runs one file alone.
test: system-test deps native typecheck deps-check
	$(MOCHA) --parallel --jobs 2 'test/**/*.test.ts'

cosim: system-cosim deps native
	$(CLI) cosim $(ARGS)

# Rebuild out/cosim/report.html from the last run's report.json (nothing is re-run).
report: deps
	$(CLI) report --report-only $(ARGS)

bench: system-bench deps native
	node --import tsx bench/run.ts $(B)

# Verilator -Wall lint of rtl/ at several sizes with every requantizer datapath alone and all three (RoundingModes
# 1, 2, 4, 7), with one requantizer stage and with two (RequantStages 1, 2; and with --assert, and with the
# planted-fault hook), then Icarus Verilog elaboration. files.f carries the include directory (+incdir+include).
# Every waiver lives in the RTL with a comment.
LINT_SIZES := 2x2 3x5 4x8 8x8 16x16 32x32 32x2
lint: system-test
	@cd rtl && for s in $(LINT_SIZES); do for m in 1 2 4 7; do \
	  echo "verilator --lint-only -Wall $$s RoundingModes=$$m"; \
	  verilator --lint-only -Wall -f files.f --top-module systolic_top -GRows=$${s%x*} -GCols=$${s#*x} -GRoundingModes=$$m || exit 1; \
	done; done; \
	for s in $(LINT_SIZES); do for m in 1 2 4 7; do \
	  echo "verilator --lint-only -Wall $$s RoundingModes=$$m RequantStages=2"; \
	  verilator --lint-only -Wall -f files.f --top-module systolic_top -GRows=$${s%x*} -GCols=$${s#*x} -GRoundingModes=$$m -GRequantStages=2 || exit 1; \
	done; done; \
	echo "verilator --lint-only -Wall --assert (the assertion macros of rtl/include/int8cosim_assert.svh live)"; \
	verilator --lint-only -Wall --assert -f files.f --top-module systolic_top || exit 1; \
	echo "verilator --lint-only -Wall +define+INT8COSIM_FAULT"; \
	verilator --lint-only -Wall -f files.f --top-module systolic_top +define+INT8COSIM_FAULT \
	  +define+INT8COSIM_FAULT_ROW=1 +define+INT8COSIM_FAULT_COL=2 +define+INT8COSIM_FAULT_CYCLE=5 || exit 1; \
	echo "iverilog -g2012 elaboration"; \
	iverilog -g2012 -s systolic_top -o /dev/null -c files.f || exit 1; \
	echo "iverilog -g2012 elaboration, RequantStages=2"; \
	iverilog -g2012 -s systolic_top -Psystolic_top.RequantStages=2 -o /dev/null -c files.f && echo "lint: clean"

# Yosys (from npm) for generic, iCE40 and 7-series at 4x4, 8x8, 16x16: out/synth/report.{json,md}. Slow: minutes.
synth: deps
	nice -n 10 $(CLI) synth $(ARGS)

# Long regression tier: 10000 seeded cases golden vs hw-sim vs RTL in lockstep on 9 array configurations; prints
# cases/s, writes out/regress/report.json. ARGS="--shard 2/8" splits it, ARGS="--replay SEED" replays one case.
regress: system-cosim deps
	nice -n 10 $(CLI) regress --tier long $(ARGS)

# Mutation testing: every RTL mutant of verify/mutate/catalogue.ts against the kill-suite in port mode (what
# cosim and regress compare) and in deep mode (two builds a mutant, sequential, cached); prints both scores and the
# survivors, writes out/mutate/report.json. ARGS="--mode port" or "--only NAME" narrows it.
mutate: system-cosim deps
	nice -n 10 $(CLI) mutate $(ARGS)

# Verilator line + toggle coverage of rtl/ from the regression stimulus, per module: out/coverage/report.json.
coverage: system-cosim deps
	nice -n 10 $(CLI) coverage $(ARGS)

clean:
	rm -rf out .cache

# The golden model against TFLite's own runtime (tfjs-tflite-node) on every output byte of the MLPerf Tiny models,
# 1,000 seeded random inputs each and ten extreme ones (ARGS: other .tflite files, --count, --seed, --arithmetic).
runtime-check: deps
	$(CLI) runtime-check $(ARGS)
