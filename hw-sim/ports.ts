/** Moved: the contract lives in hw-sim/contract/ (kept as a re-export while the network work still imports this path). */
export * from './contract/index.ts';
