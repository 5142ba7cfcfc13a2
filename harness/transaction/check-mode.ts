/**
 * What the RTL is held to, for cosim, regress and mutate alike (`--check`): `cycles`, the cycle lockstep (every
 * output word of every cycle, docs/ARCHITECTURE.md sections 3-9; with deep mode every PE register too), or
 * `transactions`, the transaction-level contract (section 13: every row exactly once, with its address and values,
 * whatever its latency; a_ready_o honoured).
 */
export const CHECK_MODES = ['cycles', 'transactions'] as const;
export type CheckMode = (typeof CHECK_MODES)[number];
