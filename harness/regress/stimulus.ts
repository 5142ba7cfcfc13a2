/**
 * Stimulus beyond the compiler's programs, still inside the contract (docs/ARCHITECTURE.md sections 5 and 7):
 *  - idleNoise: random values on every port word of a group whose enable is 0 in that cycle (the contract says
 *    they are ignored; a compiled program drives zeros there, which would hide an RTL that looks at them);
 *  - rawBeats: a hand-rolled beat stream the compiler never produces: static weights in both banks, beats in
 *    random banks on most cycles, accumulate chains on a few addresses with consecutive beats to the same address
 *    (the accumulator's read-during-write forwarding), first/last in every combination rule 4 allows.
 */
import { IN, aDataOffset, inWords, type ArrayConfig } from '../../hw-sim/index.ts';
import type { Rng } from '../../quant/random.ts';
import { pickBias, pickMultiplier } from './case-gen.ts';

/** Overwrites the words of disabled port groups with random values in their port's range, in place. */
export function idleNoise(rng: Rng, cfg: ArrayConfig, beats: Int32Array): void {
  const iw = inWords(cfg);
  const aOff = aDataOffset(cfg);
  const nCycles = beats.length / iw;
  const i8 = (): number => rng.int(-128, 127);
  for (let t = 0; t < nCycles; t++) {
    const o = t * iw;
    if (beats[o + IN.wEn] === 0) {
      beats[o + IN.wBank] = rng.int(0, 1);
      beats[o + IN.wRow] = rng.int(0, cfg.rows - 1);
      for (let c = 0; c < cfg.cols; c++) beats[o + IN.wData + c] = i8();
    }
    if (beats[o + IN.aEn] === 0) {
      beats[o + IN.aBank] = rng.int(0, 1);
      beats[o + IN.aFirst] = rng.int(0, 1);
      beats[o + IN.aLast] = rng.int(0, 1);
      beats[o + IN.aAddr] = rng.int(0, cfg.accDepth - 1);
      for (let r = 0; r < cfg.rows; r++) beats[o + aOff + r] = i8();
    }
    if (beats[o + IN.pEn] === 0) {
      beats[o + IN.pCol] = rng.int(0, cfg.cols - 1);
      beats[o + IN.pBias] = rng.int32();
      beats[o + IN.pM0] = rng.int(0, 2 ** 31 - 1);
      beats[o + IN.pShift] = rng.int(-31, 30);
    }
    if (beats[o + IN.cEn] === 0) {
      beats[o + IN.cZp] = i8();
      beats[o + IN.cMin] = i8();
      beats[o + IN.cMax] = i8();
    }
  }
}

/** A raw stream of `streamCycles` beat cycles after the loads, then the drain; idle groups carry noise. */
export function rawBeats(rng: Rng, cfg: ArrayConfig, streamCycles: number): Int32Array {
  const { rows: R, cols: C, accDepth: D } = cfg;
  const iw = inWords(cfg);
  const aOff = aDataOffset(cfg);
  const start = 2 * R; // both banks loaded (rows in order), so rule 2 holds for every beat from here
  const n = start + streamCycles + R + C + 2;
  const beats = new Int32Array(n * iw);
  for (let t = 0; t < 2 * R; t++) {
    const o = t * iw;
    beats[o + IN.wEn] = 1;
    beats[o + IN.wBank] = t < R ? 0 : 1;
    beats[o + IN.wRow] = t % R;
    for (let c = 0; c < C; c++) beats[o + IN.wData + c] = rng.int(-128, 127);
  }
  const bits = { w: 8, a: 8, o: 8 };
  for (let c = 0; c < C; c++) {
    const o = c * iw;
    const q = pickMultiplier(rng, R, bits);
    beats[o + IN.pEn] = 1;
    beats[o + IN.pCol] = c;
    beats[o + IN.pBias] = pickBias(rng);
    beats[o + IN.pM0] = q.m0;
    beats[o + IN.pShift] = q.shift;
  }
  beats[IN.cEn] = 1;
  beats[IN.cZp] = rng.int(-20, 20);
  beats[IN.cMin] = rng.int(-128, -60);
  beats[IN.cMax] = rng.int(60, 127);
  const addrs = Math.min(D, 4);
  const open = new Set<number>();
  for (let t = start; t < start + streamCycles; t++) {
    if (rng.next() < 0.15) continue;
    const o = t * iw;
    const reuse = open.size > 0 && rng.next() < 0.6;
    const addr = reuse ? rng.pick([...open]) : rng.int(0, addrs - 1);
    const last = rng.next() < 0.35 ? 1 : 0;
    beats[o + IN.aEn] = 1;
    beats[o + IN.aBank] = rng.int(0, 1);
    beats[o + IN.aFirst] = reuse ? 0 : 1;
    beats[o + IN.aLast] = last;
    beats[o + IN.aAddr] = addr;
    for (let r = 0; r < R; r++) beats[o + aOff + r] = rng.int(-128, 127);
    if (last) open.delete(addr);
    else open.add(addr);
  }
  idleNoise(rng, cfg, beats);
  return beats;
}
