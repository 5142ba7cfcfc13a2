/**
 * cosim: the end-to-end flow (train or load a model, build the RTL, corner tier, network lockstep with the byte
 * check, report). It may import every room below the CLI; the CLI's `int8cosim cosim` is a thin shell over it.
 */
export { runCosim, type CosimResult } from './run-cosim.ts';
export { CHECK_MODES, type CheckMode, type CosimOptions } from './options.ts';
export type { CosimReport } from './report.ts';
export { formatChecks, verdictOf, type CosimCheck } from './checks.ts';
