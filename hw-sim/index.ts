/**
 * hw-sim: the cycle-accurate TypeScript model of the weight-stationary systolic int8 array (docs/ARCHITECTURE.md),
 * its compiler from exported models to per-cycle beats, and its statistics.
 */
export * from './ports.ts';
export * from './counters.ts';
export * from './array-sim.ts';
export * from './hazards.ts';
export { formatTrace } from './trace.ts';
