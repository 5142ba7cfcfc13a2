/**
 * A whole exported model in transaction mode, a batch of images at a time (runNetworkOnRtl.ts with the transaction
 * runner as its executor, transactionExecutor.ts: reset before each batch, every row checked whatever its timing).
 */
import type { QuantModel } from '../../quant/format/types.ts';
import type { TransactionRunner } from '../transaction/runner.ts';
import { TransactionExecutor, type TransactionFailure } from './transactionExecutor.ts';
import { runNetworkOnRtl, type NetworkRtlOptions, type NetworkRtlResult } from './runNetworkOnRtl.ts';

export type NetworkTransactionResult = NetworkRtlResult<TransactionFailure>;

export function runNetworkTransactions(model: QuantModel, runner: TransactionRunner, codes: Int8Array, opts: NetworkRtlOptions = {}): Promise<NetworkTransactionResult> {
  return runNetworkOnRtl(model, new TransactionExecutor(runner), codes, opts);
}
