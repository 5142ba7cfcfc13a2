/** One random input beat for the tests that hold ArraySim against the naive model: any words, the checked ones in range. */
import type { Rng } from '../../quant/random.ts';
import { IN } from '../../hw-sim/index.ts';

/**
 * Garbage in every word of the beat at b[o .. o+iw) (high bits included), each enable 1 with probability busy, then the
 * fields the array checks in range: m0, shift and a rounding code the array implements (3 is reserved), with garbage
 * above the bits it reads.
 */
export function randomBeat(rng: Rng, b: Int32Array, o: number, iw: number, busy: number): void {
  for (let i = 0; i < iw; i++) b[o + i] = rng.next() < 0.5 ? rng.int32() : rng.int(-130, 130);
  for (const k of [IN.wEn, IN.aEn, IN.pEn, IN.cEn]) b[o + k] = rng.next() < busy ? 1 : 0;
  b[o + IN.pM0] = rng.int(0, 2 ** 31 - 1);
  b[o + IN.pShift] = rng.int(-31, 30) + 256 * rng.int(-3, 3);
  b[o + IN.cRound] = rng.int(0, 2) + 4 * rng.int(-3, 3);
}
