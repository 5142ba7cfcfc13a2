/**
 * The one-line trace of a cycle: what entered on each port group, what the accumulate stage does, and what left.
 * Built only on demand (a mismatch report, `--trace`), never in the cycle loop.
 */
import { IN, OUT, aDataOffset, oAccOffset } from './ports.ts';

/** The registers the trace reads (the ArraySim fields of the same names). */
export interface TraceSource {
  readonly cycle: number;
  readonly rows: number;
  readonly cols: number;
  readonly ctrlEnQ: Int32Array;
  readonly ctrlFirstQ: Int32Array;
  readonly ctrlLastQ: Int32Array;
  readonly ctrlAddrQ: Int32Array;
  readonly accValidQ: number;
  readonly accAddrQ: number;
}

function vec(b: Int32Array, o: number, n: number): string {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(b[o + i] as number);
  return xs.join(',');
}

/**
 * `#c` is the cycle that was stepped; the `acc` field is the accumulate stage that cycle's edge feeds next (the
 * control line end after the edge).
 */
export function formatTrace(s: TraceSource, inBuf: Int32Array | undefined, io: number, outBuf: Int32Array | undefined, oo: number): string {
  if (inBuf === undefined || outBuf === undefined) return `#${s.cycle} (no cycle stepped since reset)`;
  const R = s.rows;
  const C = s.cols;
  const parts: string[] = [`#${s.cycle - 1}`];
  const w = (k: number): number => inBuf[io + k] as number;
  if (w(IN.wEn) === 1) parts.push(`w[b${w(IN.wBank)} r${w(IN.wRow)} ${vec(inBuf, io + IN.wData, C)}]`);
  else parts.push('w[-]');
  if (w(IN.aEn) === 1) {
    const flags = `${w(IN.aFirst) === 1 ? 'F' : ''}${w(IN.aLast) === 1 ? 'L' : ''}`;
    parts.push(`a[b${w(IN.aBank)}${flags ? ' ' + flags : ''} @${w(IN.aAddr)} ${vec(inBuf, io + aDataOffset({ cols: C }), R)}]`);
  } else parts.push('a[-]');
  if (w(IN.pEn) === 1) parts.push(`p[c${w(IN.pCol)} b${w(IN.pBias)} m${w(IN.pM0)} s${w(IN.pShift)}]`);
  if (w(IN.cEn) === 1) parts.push(`c[zp${w(IN.cZp)} ${w(IN.cMin)}..${w(IN.cMax)}]`);
  const L1 = R + C - 2;
  if (s.ctrlEnQ[L1] === 1) {
    parts.push(`| acc ${s.ctrlFirstQ[L1] === 1 ? '=' : '+='} @${s.ctrlAddrQ[L1]}${s.ctrlLastQ[L1] === 1 ? ' last' : ''}`);
  } else parts.push('| acc -');
  parts.push(s.accValidQ === 1 ? `rq @${s.accAddrQ}` : 'rq -');
  if (outBuf[oo + OUT.oValid] === 1) {
    parts.push(`| out @${outBuf[oo + OUT.oAddr]} [${vec(outBuf, oo + OUT.oData, C)}] acc [${vec(outBuf, oo + oAccOffset({ cols: C }), C)}]`);
  } else parts.push('| out -');
  return parts.join(' ');
}
