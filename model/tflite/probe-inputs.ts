/**
 * The int8 inputs a model is checked on against TFLite's runtime: seeded uniform random codes, and inputs that
 * drive the accumulators and the requantizer to their extremes (every code -128, every code 127, the input's own
 * zero point (a real 0), alternating extremes, and random extremes), so that saturation, the clamps and the
 * rounding of large accumulators are exercised and not only the typical middle.
 */
import { Rng } from '../../quant/random.ts';

export interface ProbeInput {
  /** 'random 17', 'all -128', ... */
  label: string;
  codes: Int8Array;
}

export function extremeInputs(size: number, zeroPoint: number, seed: number): ProbeInput[] {
  const rng = new Rng(seed ^ 0x5eed);
  const fill = (v: number) => new Int8Array(size).fill(v);
  return [
    { label: 'all -128', codes: fill(-128) },
    { label: 'all 127', codes: fill(127) },
    { label: `all ${zeroPoint} (the zero point)`, codes: fill(zeroPoint) },
    { label: 'alternating -128, 127', codes: Int8Array.from({ length: size }, (_, i) => (i % 2 === 0 ? -128 : 127)) },
    { label: 'alternating 127, -128', codes: Int8Array.from({ length: size }, (_, i) => (i % 2 === 0 ? 127 : -128)) },
    ...Array.from({ length: 3 }, (_, j) => ({ label: `random extremes ${j}`, codes: Int8Array.from({ length: size }, () => (rng.next() < 0.5 ? -128 : 127)) })),
    ...Array.from({ length: 2 }, (_, j) => ({ label: `zero point +-1 ${j}`, codes: Int8Array.from({ length: size }, () => Math.max(-128, Math.min(127, zeroPoint + rng.int(-1, 1)))) })),
  ];
}

export function randomInputs(size: number, count: number, seed: number): ProbeInput[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => ({ label: `random ${i} (seed ${seed})`, codes: Int8Array.from({ length: size }, () => rng.int(-128, 127)) }));
}
