/**
 * A whole exported model in lockstep, a batch of images at a time (runNetworkOnRtl.ts with the lockstep as its
 * executor, lockstepExecutor.ts: both sides reset before each batch, every output word of every cycle compared).
 */
import type { QuantModel } from '../../quant/format/types.ts';
import type { Lockstep } from '../lockstep/lockstep.ts';
import type { Verdict } from '../lockstep/scoreboard.ts';
import { LockstepExecutor } from './lockstepExecutor.ts';
import { runNetworkOnRtl, type NetworkRtlOptions, type NetworkRtlResult } from './runNetworkOnRtl.ts';

export interface NetworkLockstepResult extends Omit<NetworkRtlResult<Verdict>, 'failure'> {
  /** The first mismatch and the (first) image of the program it happened in; the lockstep's history holds the batch's programs. */
  mismatch?: { verdict: Verdict; image: number };
}

export type NetworkLockstepOptions = NetworkRtlOptions;

export async function runNetworkLockstep(model: QuantModel, lockstep: Lockstep, codes: Int8Array, opts: NetworkLockstepOptions = {}): Promise<NetworkLockstepResult> {
  const { failure, ...run } = await runNetworkOnRtl(model, new LockstepExecutor(lockstep), codes, opts);
  return failure === undefined ? run : { ...run, mismatch: { verdict: failure.failure, image: failure.image } };
}
