/**
 * What a regression compares (`int8cosim regress --check`): `cycles`, the cycle lockstep (every output word of
 * every cycle, docs/ARCHITECTURE.md sections 3-9; with --deep every PE register too), or `transactions`, the
 * transaction-level contract (section 13: every row exactly once, its address and values, whatever its latency).
 */
export const REGRESS_CHECKS = ['cycles', 'transactions'] as const;
export type RegressCheck = (typeof REGRESS_CHECKS)[number];
