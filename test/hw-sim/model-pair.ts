/** hw-sim's ArraySim and the naive register-by-register model of one configuration, both reset: the tests hold one against the other. */
import { ArraySim, arrayConfig, type ArrayConfig } from '../../hw-sim/index.ts';
import { NaiveArray } from './naive-array.ts';

export function modelPair(geometry: Pick<ArrayConfig, 'rows' | 'cols' | 'accDepth'>): { cfg: ArrayConfig; fast: ArraySim; naive: NaiveArray } {
  const cfg = arrayConfig(geometry);
  const fast = new ArraySim(cfg);
  const naive = new NaiveArray(cfg);
  fast.reset();
  naive.reset();
  return { cfg, fast, naive };
}
