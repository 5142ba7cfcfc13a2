import assert from 'node:assert/strict';
import { ROUNDING_MODES } from '../../quant/spec/index.ts';
import type { TileShape } from './tile-program.ts';
import { diffAgainstHwSim, diffAgainstSpec, runRtl, type Simulator } from './array-run.ts';

const SEED = 5150;

const CASES: { sim: Simulator; shape: TileShape; passes: number }[] = [
  { sim: 'verilator', shape: { rows: 2, cols: 2, accDepth: 4 }, passes: 24 },
  { sim: 'verilator', shape: { rows: 3, cols: 5, accDepth: 8 }, passes: 16 },
  { sim: 'verilator', shape: { rows: 8, cols: 8, accDepth: 16, roundingModes: ['single'] }, passes: 10 },
  { sim: 'verilator', shape: { rows: 6, cols: 3, accDepth: 16, roundingModes: ['double', 'ruy'] }, passes: 12 },
  { sim: 'icarus', shape: { rows: 4, cols: 4, accDepth: 16, roundingModes: ['single', 'ruy'] }, passes: 6 },
];

describe('rtl/systolic_top against hw-sim and quant/spec on random tiles', function () {
  this.timeout(600_000);
  for (const { sim, shape, passes } of CASES) {
    const name = `${shape.rows}x${shape.cols}, AccDepth ${shape.accDepth}, rounding ${(shape.roundingModes ?? ROUNDING_MODES).join('/')} (a mode per pass), ${sim}`;
    it(`${name}: every output and PE register equals hw-sim every cycle (seed ${SEED})`, () => {
      const r = runRtl(sim, shape, SEED, passes);
      assert.ok(r.program.expected.length > 0, 'the program produces output rows');
      assert.equal(r.outputRows, r.program.expected.length, `seed ${SEED}: number of output rows`);
      const spec = diffAgainstSpec(shape, r);
      assert.equal(spec, undefined, `seed ${SEED}: RTL vs quant/spec: ${spec}`);
      const hw = diffAgainstHwSim(shape, r);
      assert.equal(hw, undefined, `seed ${SEED}: RTL vs hw-sim: ${hw}`);
    });
  }
});

describe('rtl planted-fault hook (+define+INT8COSIM_FAULT)', function () {
  this.timeout(600_000);
  it('flips bit 0 of psum_d in PE (1, 2) in cycle 20 only: the first difference is its psum_q in cycle 21', () => {
    const shape: TileShape = { rows: 3, cols: 5, accDepth: 8 };
    const defines = { INT8COSIM_FAULT: '', INT8COSIM_FAULT_ROW: '1', INT8COSIM_FAULT_COL: '2', INT8COSIM_FAULT_CYCLE: '20' };
    const r = runRtl('verilator', shape, SEED, 4, defines);
    const diff = diffAgainstHwSim(shape, r);
    assert.match(diff ?? '', /^cycle 21: pe\(1,2\)\.psum_q hw-sim (-?\d+), RTL (-?\d+)/);
    const [, want, got] = /hw-sim (-?\d+), RTL (-?\d+)/.exec(diff ?? '') ?? [];
    assert.equal(Number(want) ^ Number(got), 1, 'exactly bit 0 differs');
  });
});
