import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRtlConfigPath, loadRtlConfig, parseRtlConfig } from '../../harness/config/rtlConfig.ts';
import { buildRtl } from '../../harness/build/buildRtl.ts';
import { pruneBuildCache } from '../../harness/build/buildCache.ts';
import { checkPorts, parseModelPorts } from '../../harness/build/ports.ts';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { BuildError, FormatError, LifecycleError } from '../../quant/errors.ts';
import { aDataOffset, inWordNames } from '../../hw-sim/contract/index.ts';
import { SimStopError } from '../../harness/sim/simStopError.ts';
import { buildArray } from './helpers.ts';

describe('harness build', function () {
  this.timeout(600_000);

  it('reads the RTL config and rejects malformed ones with the key named', function () {
    const c = loadRtlConfig();
    assert.equal(c.top, 'systolic_top');
    assert.ok(c.files.every((f) => existsSync(f)));
    assert.throws(() => parseRtlConfig({ top: 'x', files: [] }, '/', 'a.json'), (e: Error) => e instanceof FormatError && /RTL config a\.json: files: expected at least one source file, got \[\]/.test(e.message));
    assert.throws(() => parseRtlConfig({ top: 'x', files: ['a.sv'], param: {} }, '/', 'a.json'), /\(top level\): expected only the keys the schema knows, got unknown key param/);
    assert.throws(() => parseRtlConfig({ top: 'x', files: ['a.sv'], parameters: { Rows: 1.5 } }, '/', 'a.json'), /parameters\.Rows: expected an integer or a string without spaces, got 1\.5/);
    assert.deepEqual(parseRtlConfig({ top: 't', files: ['a.sv'], defines: ['A', 'B=3'] }, '/r', 'x').defines, { A: '', B: '3' });
  });

  it('derives the geometry from the generated ports and names every port that breaks the contract', function () {
    const header = (aData: number, wData: number, oAcc: number): string =>
      [
        'VL_IN8(&clk_i,0,0);', 'VL_IN8(&rst_ni,0,0);', 'VL_IN8(&w_en_i,0,0);', 'VL_IN8(&w_bank_i,0,0);', 'VL_IN8(&w_row_i,1,0);',
        `VL_IN(&w_data_i,${wData - 1},0);`, 'VL_IN8(&a_en_i,0,0);', 'VL_IN8(&a_bank_i,0,0);', 'VL_IN8(&a_first_i,0,0);',
        'VL_IN8(&a_last_i,0,0);', 'VL_IN16(&a_addr_i,9,0);', `VL_IN(&a_data_i,${aData - 1},0);`, 'VL_IN8(&p_en_i,0,0);',
        'VL_IN8(&p_col_i,1,0);', 'VL_IN(&p_bias_i,31,0);', 'VL_IN(&p_m0_i,31,0);', 'VL_IN8(&p_shift_i,7,0);', 'VL_IN8(&c_en_i,0,0);',
        'VL_IN8(&c_zp_i,7,0);', 'VL_IN8(&c_min_i,7,0);', 'VL_IN8(&c_max_i,7,0);', 'VL_IN8(&c_round_i,1,0);', 'VL_OUT8(&o_valid_o,0,0);', 'VL_OUT16(&o_addr_o,9,0);',
        `VL_OUT(&o_data_o,${8 * (wData / 8) - 1},0);`, `VL_OUTW(&o_acc_o,${oAcc - 1},0,${Math.ceil(oAcc / 32)});`,
      ].join('\n');
    const g = checkPorts('t', parseModelPorts(header(32, 32, 128)), { Rows: 4 });
    assert.deepEqual([g.rows, g.cols, g.accDepth, g.inWords, g.outWords, g.regWords], [4, 4, 1024, 26, 10, 96]);
    assert.throws(() => checkPorts('t', parseModelPorts(header(32, 32, 96)), {}), /o_acc_o is 96 bits, expected 32\*Cols = 128/);
    assert.throws(() => checkPorts('t', parseModelPorts(header(32, 32, 128)), { Rows: 8 }), /parameter Rows = 8 but the ports say 4/);
  });

  it('passes a compiler error through verbatim and leaves no cache entry', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'int8cosim-broken-'));
    const cache = join(dir, 'cache');
    try {
      const rtlDir = join(dir, 'rtl');
      cpSync(join(defaultRtlConfigPath(), '..'), rtlDir, { recursive: true });
      const pe = join(rtlDir, 'systolic_pe.sv');
      writeFileSync(pe, readFileSync(pe, 'utf8').replace('assign a_o    = a_q;', 'assign a_o    = a_q +;'));
      const config = loadRtlConfig(join(rtlDir, 'cosim.json'));
      await assert.rejects(
        buildRtl({ config, parameters: { Rows: 2, Cols: 2 }, cacheDir: cache }),
        (e: Error) => e instanceof BuildError && /verilator .* failed/.test(e.message) && /%Error: .*systolic_pe\.sv:\d+:\d+: syntax error/.test(e.message),
      );
      const entries = existsSync(cache) ? readdirSync(cache).filter((n) => !n.startsWith('runtime-')) : [];
      assert.deepEqual(entries, [], 'a failed build left something in the cache');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops at the RTL's own elaboration-time parameter checks ($error / $fatal), which -Wno-fatal alone would let through", async function () {
    const cache = mkdtempSync(join(tmpdir(), 'int8cosim-param-'));
    try {
      await assert.rejects(
        buildRtl({ config: loadRtlConfig(), parameters: { Rows: 33, Cols: 2 }, cacheDir: cache }),
        (e: Error) => e instanceof BuildError && /%Error-USER(ERROR|FATAL): .*systolic_top: Rows must be in \[2, 32\]/.test(e.message),
      );
      await assert.rejects(
        buildRtl({ config: loadRtlConfig(), parameters: { Rows: 2, Cols: 2, AccDepth: 100 }, cacheDir: cache }),
        (e: Error) => e instanceof BuildError && /AccDepth must be a power of two/.test(e.message),
      );
      // the rounding is each program's: a config that still names one mode for the build, or a bad mask, is refused
      // before anything is verilated, with the parameter named
      await assert.rejects(
        buildRtl({ config: loadRtlConfig(), parameters: { Rows: 2, Cols: 2, RoundingMode: 1 }, cacheDir: cache }),
        (e: Error) => e instanceof FormatError && /parameter RoundingMode is gone: the rounding is chosen per program \(c_round_i\); give RoundingModes/.test(e.message),
      );
      await assert.rejects(
        buildRtl({ config: loadRtlConfig(), parameters: { Rows: 2, Cols: 2, RoundingModes: 9 }, cacheDir: cache }),
        (e: Error) => e instanceof FormatError && /parameter RoundingModes must be a mask of the implemented rounding modes in 1\.\.7 .*got 9/.test(e.message),
      );
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('prunes the build cache to the most recently used entries, sparing recent ones and what is not an entry', function () {
    const cache = mkdtempSync(join(tmpdir(), 'int8cosim-prune-'));
    try {
      const hour = 3600_000;
      const now = Date.now();
      const names = Array.from({ length: 10 }, (_, i) => i.toString(16).padStart(24, '0'));
      names.forEach((n, i) => {
        mkdirSync(join(cache, n));
        const m = join(cache, n, 'build.json');
        writeFileSync(m, '{}');
        // entry i was last used i + 0.5 hours ago, except entries 8 and 9 which were used a minute ago
        const at = new Date(i >= 8 ? now - 60_000 : now - (i + 0.5) * hour);
        utimesSync(m, at, at);
      });
      for (const other of ['runtime-abc', 'tmp-x-1-2']) mkdirSync(join(cache, other));
      const removed = pruneBuildCache(cache, 4);
      // newest first: 8, 9 (recent), 0, 1 are kept; of the rest, all idle for over an hour, 2..7 go
      assert.deepEqual(removed.sort(), names.slice(2, 8).sort());
      assert.deepEqual(readdirSync(cache).sort(), [...names.slice(0, 2), ...names.slice(8), 'runtime-abc', 'tmp-x-1-2'].sort());
      // beyond the limit but used within the idle time (entries 8 and 9 a minute ago, entry 0 half an hour ago): kept
      assert.deepEqual(pruneBuildCache(cache, 1), [names[1]]);
      assert.deepEqual(readdirSync(cache).filter((n) => /^[0-9a-f]{24}$/.test(n)).sort(), [names[0], ...names.slice(8)].sort());
      assert.deepEqual(pruneBuildCache(join(cache, 'missing')), []);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('throws LifecycleError on run before reset, use after close, double close; saved state replays exactly', async function () {
    const build = await buildArray(3, 5);
    const sim = openRtlSim(build);
    const g = sim.geometry;
    const n = 64;
    const input = new Int32Array(n * g.inWords);
    for (let t = 0; t < n; t++) {
      input[t * g.inWords + 3] = 1; // a_en
      input[t * g.inWords + aDataOffset(g)] = t - 30; // a_data[0]
    }
    const out = new Int32Array(n * g.outWords);
    assert.throws(() => sim.run(1, input, out), LifecycleError);
    sim.reset();
    assert.throws(() => sim.readRegisters(new Int32Array(g.regWords)), LifecycleError); // not a deep build
    assert.throws(() => sim.traceOpen('/tmp/x.vcd'), LifecycleError); // not a trace build
    sim.run(10, input, out);
    const dir = mkdtempSync(join(tmpdir(), 'int8cosim-state-'));
    try {
      sim.saveState(join(dir, 's.bin'));
      sim.run(n - 10, input.subarray(10 * g.inWords), out);
      const a = out.slice(0, (n - 10) * g.outWords);
      sim.restoreState(join(dir, 's.bin'));
      assert.equal(sim.cycle, 10);
      sim.run(n - 10, input.subarray(10 * g.inWords), out);
      assert.deepEqual(out.slice(0, (n - 10) * g.outWords), a);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    sim.close();
    assert.throws(() => sim.run(1, input, out), LifecycleError);
    assert.throws(() => sim.close(), LifecycleError);
  });

  it("queues runs and resets on the model's thread (post, wait): the same cycles as run(), nothing else until waited, a failure stops the queue", async function () {
    const build = await buildArray(3, 5);
    const sim = openRtlSim(build);
    const g = sim.geometry;
    const names = inWordNames({ rows: g.rows, cols: g.cols });
    const n = 64;
    const input = new Int32Array(n * g.inWords);
    for (let t = 0; t < n; t++) {
      input[t * g.inWords + names.indexOf('a_en_i')] = 1;
      input[t * g.inWords + aDataOffset(g)] = t - 30;
    }
    const want = new Int32Array(n * g.outWords);
    assert.throws(() => sim.post(1, input, want), LifecycleError); // before reset
    sim.reset();
    sim.run(n, input, want);

    // three chunks queued back to back, then a reset and the whole stream again behind them
    sim.reset();
    const out = new Int32Array(n * g.outWords);
    const again = new Int32Array(n * g.outWords);
    const chunk = (from: number, to: number) => sim.post(to - from, input.subarray(from * g.inWords), out.subarray(from * g.outWords));
    const first = chunk(0, 10);
    const second = chunk(10, 30);
    const third = chunk(30, n);
    sim.postReset();
    const last = sim.post(n, input, again);
    assert.ok(first < second && second < third && third < last, `tickets ${first} ${second} ${third} ${last}`);
    assert.throws(() => sim.run(1, input, out), /queued call\(s\) not yet waited for/);
    assert.throws(() => sim.reset(), LifecycleError);
    assert.throws(() => sim.close(), LifecycleError);
    assert.throws(() => sim.wait(last + 1), LifecycleError);
    sim.wait(second); // the first two
    assert.throws(() => sim.wait(first), LifecycleError); // already waited for
    sim.wait(last);
    assert.deepEqual(out, want);
    assert.deepEqual(again, want);
    assert.equal(sim.cycle, n);

    // a failed assertion ($stop) in the second of three queued runs: the second throws it, the third was not run
    sim.reset();
    const bad = input.slice();
    bad[20 * g.inWords + names.indexOf('w_en_i')] = 1;
    bad[20 * g.inWords + names.indexOf('w_row_i')] = 3; // rows 0..2
    const a = sim.post(10, bad, out);
    const b = sim.post(20, bad.subarray(10 * g.inWords), out.subarray(10 * g.outWords));
    const c = sim.post(10, bad.subarray(30 * g.inWords), out.subarray(30 * g.outWords));
    sim.wait(a);
    assert.throws(() => sim.wait(b), (e: Error) => e instanceof SimStopError && /\$stop \(a failed assertion\?\) at \S*systolic_top\.sv:\d+ in cycle 20/.test(e.message));
    assert.throws(() => sim.wait(c), (e: Error) => e instanceof SimStopError && /not run: a call queued before it failed/.test(e.message));
    assert.throws(() => sim.post(1, input, out), /stopped/);
    sim.reset(); // a synchronous reset clears it
    sim.run(n, input, out);
    assert.deepEqual(out, want);
    sim.close();
  });
});
