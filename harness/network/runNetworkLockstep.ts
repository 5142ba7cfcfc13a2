/**
 * A whole exported model in lockstep, a batch of images at a time (runNetworkOnRtl.ts with the lockstep as its
 * executor, lockstepExecutor.ts: both sides reset before each batch, every output word of every cycle compared).
 * With referenceWorkers, hw-sim's side runs ahead on worker threads (referenceAhead.ts).
 */
import type { QuantModel } from '../../quant/format/types.ts';
import type { Lockstep } from '../lockstep/lockstep.ts';
import type { Verdict } from '../lockstep/scoreboard.ts';
import { LockstepExecutor } from './lockstepExecutor.ts';
import { ReferenceAhead } from './referenceAhead.ts';
import { runNetworkOnRtl, type NetworkRtlOptions, type NetworkRtlResult } from './runNetworkOnRtl.ts';

export interface NetworkLockstepResult extends Omit<NetworkRtlResult<Verdict>, 'failure'> {
  /** The first mismatch and the (first) image of the program it happened in; the lockstep's history holds the batch's programs. */
  mismatch?: { verdict: Verdict; image: number };
}

export interface NetworkLockstepOptions extends NetworkRtlOptions {
  /**
   * Worker threads that compute hw-sim's side ahead of the RTL (referenceAhead.ts); 0 (the default): hw-sim runs
   * here, chunk by chunk beside the RTL. Not in deep mode (the registers are compared here, cycle by cycle).
   */
  referenceWorkers?: number;
}

export async function runNetworkLockstep(model: QuantModel, lockstep: Lockstep, codes: Int8Array, opts: NetworkLockstepOptions = {}): Promise<NetworkLockstepResult> {
  const { referenceWorkers = 0, ...rtlOpts } = opts;
  const ahead = referenceWorkers > 0 && !lockstep.deep ? new ReferenceAhead(model, lockstep.cfg, codes, { batch: opts.batch ?? 32, workers: referenceWorkers }) : undefined;
  const exec = new LockstepExecutor(lockstep, ahead);
  try {
    // the lockstep's history holds a batch's programs until its next reset (startBatch): their beats can be reused after
    const { failure, ...run } = await runNetworkOnRtl(model, exec, codes, { ...rtlOpts, recycle: true });
    return failure === undefined ? run : { ...run, mismatch: { verdict: failure.failure, image: failure.image } };
  } finally {
    await exec.settle(); // after a failure the RTL may still be running streams queued ahead
    await ahead?.close();
  }
}
