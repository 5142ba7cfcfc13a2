/**
 * Sharding: case i (0-based) of a run belongs to shard (i mod count) + 1, so that n shards of the same run cover
 * every case exactly once whatever the scheduler. Seeds are base + i (uint32), so a case's seed is stable across
 * shard counts.
 */
import { UsageError } from '../quant/errors.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard expects i/n with 1 <= i <= n (e.g. 2/8), got '${text}'`);
  }
  return { index, count };
}

/** The seeds of the shard's cases among `cases` cases from `base`. */
export function caseSeeds(cases: number, base: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let i = shard.index - 1; i < cases; i += shard.count) out.push((base + i) >>> 0);
  return out;
}
