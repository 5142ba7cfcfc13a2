/**
 * The registers of one PE (docs/ARCHITECTURE.md section 6) that deep mode compares, in readout order, with their
 * widths. hw-sim's state, the C ABI's register lookup and the testbenches' readout use these names.
 */

export interface RegisterSpec {
  /** The RTL flop, `psum_q`. */
  readonly name: string;
  readonly bits: number;
  /** Read out sign-extended (else zero-extended). */
  readonly signed: boolean;
  readonly meaning: string;
}

/** Section 6's table, in readout order: word i of a PE is PE_REGISTERS[i]. */
export const PE_REGISTERS = [
  { name: 'w0_q', bits: 8, signed: true, meaning: 'weight bank 0' },
  { name: 'w1_q', bits: 8, signed: true, meaning: 'weight bank 1' },
  { name: 'a_q', bits: 8, signed: true, meaning: 'activation passed right' },
  { name: 'v_q', bits: 1, signed: false, meaning: 'its valid bit' },
  { name: 'bank_q', bits: 1, signed: false, meaning: 'its bank bit' },
  { name: 'psum_q', bits: 32, signed: true, meaning: 'partial sum passed down' },
] as const satisfies readonly RegisterSpec[];

export type RegisterName = (typeof PE_REGISTERS)[number]['name'];

/** The register names in readout order. */
export const REG_NAMES: readonly RegisterName[] = PE_REGISTERS.map((r) => r.name);

/** Readout words of one PE. */
export const REG_WORDS_PER_PE = PE_REGISTERS.length;

type RegKey<N> = N extends `${infer B}_q` ? B : never;

/** Index of each register within a PE's readout words, keyed by its name without `_q` (`REG.psum` = 5). */
export const REG = Object.fromEntries(PE_REGISTERS.map((r, i) => [r.name.slice(0, -2), i])) as {
  readonly [K in RegKey<RegisterName>]: number;
};

/** The register called `name`, or undefined. */
export function findRegister(name: string): RegisterSpec | undefined {
  return PE_REGISTERS.find((r) => r.name === name);
}

/**
 * The registers in the order a beat's values meet in a PE, as tables and waveform lanes show them: the valid and
 * bank bits and the activation that arrive together, the two weight banks the bank bit chooses from, and the
 * partial sum computed from them. (Not section 6's readout order.)
 */
export const REG_DATAFLOW_ORDER: readonly RegisterName[] = ['v_q', 'bank_q', 'a_q', 'w0_q', 'w1_q', 'psum_q'];
