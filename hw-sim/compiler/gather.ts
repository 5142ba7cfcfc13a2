/**
 * The host's side of the output port: takes every o_valid row of a program's run and places it in the layer's
 * output matrix, Y[mBase + o_addr, n0 + c] = o_data[c]. A row on the ports when none is expected, or a missing
 * one, is a MismatchError naming the cycle.
 */
import { MismatchError } from '../../quant/errors.ts';
import { OUT, outWords, signalName } from '../contract/index.ts';
import type { Command } from './commands.ts';
import { tileName, tileOfOutput, type Program } from './program.ts';

type Read = Extract<Command, { op: 'read' }>;

/** Each plan's read commands in cycle order (a plan is shared by the programs of a template: gemm-template.ts). */
const readsOf = new WeakMap<Program['plan'], Read[]>();

function reads(p: Program): Read[] {
  let r = readsOf.get(p.plan);
  if (r === undefined) readsOf.set(p.plan, (r = p.commands.filter((c): c is Read => c.op === 'read')));
  return r;
}

/** Y[m, n] (int8, row-major) from the outputs of a program's cycles (outBuf[outStart ..], nCycles * outWords words). */
export function gatherOutputs(p: Program, outBuf: Int32Array, outStart = 0, into?: Int8Array): Int8Array {
  const ow = outWords(p.cfg);
  const y = into ?? new Int8Array(p.m * p.n);
  const fail = (t: number, port: 'o_valid_o' | 'o_addr_o', expected: number, actual: number): never => {
    throw new MismatchError({ layer: p.layer, tile: tileName(tileOfOutput(p, t)), cycle: t, where: signalName({ kind: 'port', port }), expected, actual });
  };
  const vOff = outStart + OUT.oValid;
  const aOff = outStart + OUT.oAddr;
  const dOff = outStart + OUT.oData;
  const width = p.n;
  let next = 0;
  for (const r of reads(p)) {
    if (r.cycle < next) fail(r.cycle, 'o_valid_o', 0, 1);
    for (let t = next; t < r.cycle; t++) if (outBuf[vOff + t * ow] !== 0) fail(t, 'o_valid_o', 0, 1);
    const { rows, cols } = r;
    for (let i = 0; i < rows; i++) {
      const t = r.cycle + i;
      const o = t * ow;
      const valid = outBuf[vOff + o] as number;
      if (valid !== 1) fail(t, 'o_valid_o', 1, valid);
      const addr = outBuf[aOff + o] as number;
      if (addr !== i) fail(t, 'o_addr_o', i, addr);
      const dst = (r.mBase + addr) * width + r.n0;
      const src = dOff + o;
      for (let c = 0; c < cols; c++) y[dst + c] = outBuf[src + c] as number;
    }
    next = r.cycle + rows;
  }
  for (let t = next; t < p.nCycles; t++) if (outBuf[vOff + t * ow] !== 0) fail(t, 'o_valid_o', 0, 1);
  return y;
}
