/**
 * The one-line trace of a cycle: what entered on each port group, what the accumulate stage does, and what left.
 * Built only on demand (a mismatch report, `--trace`), never in the cycle loop.
 */
import { IN, OUT, aDataOffset, oAccOffset, roundingModeOfCode } from './contract/index.ts';

/** The registers the trace reads (the ArraySim fields of the same names). */
export interface TraceSource {
  readonly cycle: number;
  readonly rows: number;
  readonly cols: number;
  /** Control-line register j as [en, first, last, addr]; j = R+C-1 is the value that left the line last cycle. */
  ctrlQ(j: number): [number, number, number, number];
  readonly oValidQ: number;
  readonly oAddrQ: number;
}

function vec(b: Int32Array, o: number, n: number): string {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(b[o + i] as number);
  return xs.join(',');
}

/**
 * `#t` is the cycle last stepped: what its inputs were, what its accumulate stage did (`acc = @addr` overwrite,
 * `acc += @addr` add, `last` when it hands a row to the requantizer), whether its requantizer produced a row
 * (`rq @addr`), and what its outputs showed.
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
  if (w(IN.cEn) === 1) parts.push(`c[zp${w(IN.cZp)} ${w(IN.cMin)}..${w(IN.cMax)} ${roundingModeOfCode(w(IN.cRound)) ?? `round${w(IN.cRound)}`}]`);
  const [en, first, last, addr] = s.ctrlQ(R + C - 1);
  parts.push(en === 1 ? `| acc ${first === 1 ? '=' : '+='} @${addr}${last === 1 ? ' last' : ''}` : '| acc -');
  parts.push(s.oValidQ === 1 ? `rq @${s.oAddrQ}` : 'rq -');
  if (outBuf[oo + OUT.oValid] === 1) {
    parts.push(`| out @${outBuf[oo + OUT.oAddr]} [${vec(outBuf, oo + OUT.oData, C)}] acc [${vec(outBuf, oo + oAccOffset({ cols: C }), C)}]`);
  } else parts.push('| out -');
  return parts.join(' ');
}
