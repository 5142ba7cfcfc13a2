/**
 * hw-sim: the cycle-accurate TypeScript model of the weight-stationary systolic int8 array (docs/ARCHITECTURE.md),
 * its compiler from exported models to per-cycle beats, and its statistics.
 */
export * from './contract/index.ts';
export * from './counters.ts';
export * from './array-sim.ts';
export * from './hazards.ts';
export { formatTrace } from './trace.ts';
export * from './stats.ts';
export * from './run-network.ts';
export * from './network/executor.ts';
export { HwSimExecutor, type HwSimExecutorOptions } from './network/hwsim-executor.ts';
export { runNetworkOn, runNetworkOnAsync, type NetworkRun, type WalkOptions } from './network/walk-network.ts';
export * from './compiler/commands.ts';
export * from './compiler/schedule.ts';
export * from './compiler/lower.ts';
export * from './compiler/program.ts';
export * from './compiler/gather.ts';
export * from './compiler/compile-layer.ts';
export * from './compiler/host-ops.ts';
export { BeatBuffer } from './compiler/beats.ts';
