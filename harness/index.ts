/**
 * harness: the Verilator build, the RtlSim binding, lockstep co-simulation against hw-sim, mismatch windows.
 * Nothing outside this folder knows Verilator exists: use these exports.
 */
export { loadRtlConfig, parseRtlConfig, defaultRtlConfigPath, type RtlConfig } from './config/rtlConfig.ts';
export { buildRtl, DEFAULT_CACHE_DIR, type BuildRequest, type RtlBuild } from './build/buildRtl.ts';
export { findToolchain, VERILATOR_INSTALL_HINT } from './build/tools.ts';
export { ensureVerilator } from './build/ensureVerilator.ts';
export type { ArrayGeometry } from './build/ports.ts';
export type { RtlSim } from './sim/rtlSim.ts';
export { openRtlSim } from './sim/verilatedSim.ts';
export { SimStopError } from './sim/simStopError.ts';
export { Lockstep, type LockstepOptions, type ProgramRun } from './lockstep/lockstep.ts';
export { mismatchError, type Mismatch } from './lockstep/mismatch.ts';
export { referenceTrace } from './lockstep/referenceTrace.ts';
export { captureWindow, type WindowResult } from './waves/window.ts';
export { runNetworkLockstep, type NetworkLockstepResult } from './network/runNetworkLockstep.ts';
export { TransactionRunner, transactionTimeout, type TransactionRun, type TransactionRunnerOptions, type ReplayStep } from './transaction/runner.ts';
export { TransactionTotals, formatTransactionSummary, type TransactionSummary } from './transaction/totals.ts';
export { TransactionError, TransactionMismatch, MissingRowError, DuplicateRowError, UnexpectedRowError } from './transaction/errors.ts';
export { runNetworkOnRtl, type NetworkRtlResult, type NetworkRtlOptions } from './network/runNetworkOnRtl.ts';
export { runNetworkTransactions, type NetworkTransactionResult } from './network/runNetworkTransactions.ts';
export { TransactionExecutor, type TransactionFailure } from './network/transactionExecutor.ts';
