import type { Mutant } from '../../../verify/mutate/catalogue.ts';

/** A mutant that cannot build (Verilator rejects the source): the stillborn case of the toolchain tests. */
export const BROKEN_MUTANT: Mutant = {
  name: 'test-endmodule-misspelt',
  file: 'systolic_skew.sv',
  search: 'endmodule',
  replace: 'endmodul',
  description: 'test only: a syntax error, so the mutant never builds',
};
