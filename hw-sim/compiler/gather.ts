/**
 * The host's side of the output port: takes every o_valid row of a program's run and places it in the layer's
 * output matrix, Y[mBase + o_addr, n0 + c] = o_data[c]. A row on the ports when none is expected, or a missing
 * one, is a MismatchError naming the cycle.
 */
import { MismatchError } from '../../quant/errors.ts';
import { OUT, outWords, signalName } from '../contract/index.ts';
import { tileName, tileOfOutput, type Program } from './program.ts';

/** Y[m, n] (int8, row-major) from the outputs of a program's cycles (outBuf[outStart ..], nCycles * outWords words). */
export function gatherOutputs(p: Program, outBuf: Int32Array, outStart = 0, into?: Int8Array): Int8Array {
  const ow = outWords(p.cfg);
  const y = into ?? new Int8Array(p.m * p.n);
  let next = 0;
  const reads = p.commands.filter((c) => c.op === 'read');
  const oValid = signalName({ kind: 'port', port: 'o_valid_o' });
  const oAddr = signalName({ kind: 'port', port: 'o_addr_o' });
  const fail = (t: number, where: string, expected: number, actual: number): never => {
    throw new MismatchError({ layer: p.layer, tile: tileName(tileOfOutput(p, t)), cycle: t, where, expected, actual });
  };
  for (const r of reads) {
    if (r.cycle < next) fail(r.cycle, oValid, 0, 1);
    for (let t = next; t < r.cycle; t++) if (outBuf[outStart + t * ow + OUT.oValid] !== 0) fail(t, oValid, 0, 1);
    for (let i = 0; i < r.rows; i++) {
      const t = r.cycle + i;
      const o = outStart + t * ow;
      if (outBuf[o + OUT.oValid] !== 1) fail(t, oValid, 1, outBuf[o + OUT.oValid] as number);
      const addr = outBuf[o + OUT.oAddr] as number;
      if (addr !== i) fail(t, oAddr, i, addr);
      const dst = (r.mBase + addr) * p.n + r.n0;
      for (let c = 0; c < r.cols; c++) y[dst + c] = outBuf[o + OUT.oData + c] as number;
    }
    next = r.cycle + r.rows;
  }
  for (let t = next; t < p.nCycles; t++) if (outBuf[outStart + t * ow + OUT.oValid] !== 0) fail(t, oValid, 0, 1);
  return y;
}
