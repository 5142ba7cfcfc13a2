/** Shared by the example tests: the cycle lockstep of an RTL whose rows come later than the cycle contract's. */
import assert from 'node:assert/strict';
import type { Program } from '../../hw-sim/compiler/program.ts';
import { Lockstep } from '../../harness/lockstep/lockstep.ts';
import { mismatchError } from '../../harness/lockstep/mismatch.ts';
import type { RtlSim } from '../../harness/sim/rtlSim.ts';

/**
 * Runs `program(cfg)` in cycle lockstep on `rtl` (from reset) and asserts that it fails where hw-sim's first row
 * appears (cycle of the first `last` beat + R + C + 1) at o_valid_o, hw-sim 1 and RTL 0; returns the message.
 */
export async function firstRowFailure(rtl: RtlSim, program: (cfg: Lockstep['cfg']) => Program): Promise<string> {
  const ls = new Lockstep(rtl);
  ls.reset();
  const p = program(ls.cfg);
  const run = await ls.runProgram(p, 'gemm');
  const first = run.verdict?.first;
  assert.ok(first !== undefined, 'the cycle lockstep must fail');
  const firstLast = p.plan.tiles.find((t) => t.last);
  assert.ok(firstLast !== undefined);
  assert.equal(first.where, 'o_valid_o');
  assert.equal(first.cycle, firstLast.streamCycle + rtl.geometry.rows + rtl.geometry.cols + 1, "the cycle of hw-sim's first row");
  assert.deepEqual([first.expected, first.actual], [1, 0]);
  const message = mismatchError(first).message;
  assert.match(message, /at o_valid_o: hw-sim 1, RTL 0/);
  return message;
}
