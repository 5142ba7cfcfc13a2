/**
 * The parameters of one array (docs/ARCHITECTURE.md section 1) and their checks: Rows, Cols, AccDepth and
 * RoundingModes of the RTL, as hw-sim and the harness take them; and the code of each rounding mode on c_round_i.
 */
import { RangeCheckError, ShapeError } from '../../quant/errors.ts';
import { ROUNDING_MODES, type RoundingMode } from '../../quant/spec/index.ts';

/**
 * The code of each requantizer rounding mode (quant/spec) on `c_round_i` (section 3), and its bit in the RTL's
 * RoundingModes mask (bit i: the build implements the mode of code i). Code 3 is reserved.
 */
export const ROUND_CODE = { single: 0, double: 1, ruy: 2 } as const satisfies Record<RoundingMode, number>;
export type RoundCode = (typeof ROUND_CODE)[RoundingMode];
/** Width of c_round_i. */
export const ROUND_BITS = 2;

/** The mode of a c_round_i code, or undefined for the reserved code 3 (or anything else). */
export function roundingModeOfCode(code: number): RoundingMode | undefined {
  return ROUNDING_MODES.find((m) => ROUND_CODE[m] === code);
}

/** The parameters of one array (Rows, Cols, AccDepth, RoundingModes of the RTL). */
export interface ArrayConfig {
  /** PE rows = reduction (K) lanes of a tile, 2..32. */
  rows: number;
  /** PE columns = output channels (N) of a tile, 2..32. */
  cols: number;
  /** Entries of each column's accumulator memory = largest M of one pass; a power of two in 2..4096. */
  accDepth: number;
  /**
   * The rounding modes the requantizer implements (the RTL's RoundingModes mask), in code order; each program's
   * configuration command chooses one of them (c_round_i). Default all three.
   */
  roundingModes: readonly RoundingMode[];
}

export const ARRAY_DIM_MIN = 2;
export const ARRAY_DIM_MAX = 32;
export const ACC_DEPTH_MIN = 2;
export const ACC_DEPTH_MAX = 4096;
export const ACC_DEPTH_DEFAULT = 1024;

/** "single, double, ruy": a set of modes for messages. */
export function formatRoundingModes(modes: readonly RoundingMode[]): string {
  return modes.length === 0 ? '(none)' : modes.join(', ');
}

/** The modes in code order, each once; a RangeCheckError names an unknown mode or an empty set. */
export function normalizeRoundingModes(modes: readonly string[], where = 'array roundingModes'): RoundingMode[] {
  for (const m of modes) {
    if (!(ROUNDING_MODES as readonly string[]).includes(m)) {
      throw new RangeCheckError(`${where}: unknown rounding mode '${String(m)}' (the requantizer's modes are ${formatRoundingModes(ROUNDING_MODES)})`);
    }
  }
  const out = ROUNDING_MODES.filter((m) => modes.includes(m));
  if (out.length === 0) throw new RangeCheckError(`${where} must name at least one of ${formatRoundingModes(ROUNDING_MODES)}, got none`);
  return out;
}

/** Throws ShapeError / RangeCheckError naming the bad field; returns the config for chaining. */
export function validateArrayConfig(cfg: ArrayConfig): ArrayConfig {
  for (const key of ['rows', 'cols'] as const) {
    const v = cfg[key];
    if (!Number.isInteger(v) || v < ARRAY_DIM_MIN || v > ARRAY_DIM_MAX) {
      throw new ShapeError(`array ${key} must be an integer in [${ARRAY_DIM_MIN}, ${ARRAY_DIM_MAX}], got ${v}`);
    }
  }
  const d = cfg.accDepth;
  if (!Number.isInteger(d) || d < ACC_DEPTH_MIN || d > ACC_DEPTH_MAX || (d & (d - 1)) !== 0) {
    throw new RangeCheckError(`array accDepth must be a power of two in [${ACC_DEPTH_MIN}, ${ACC_DEPTH_MAX}], got ${d}`);
  }
  const modes = cfg.roundingModes as readonly string[] | undefined;
  if (!Array.isArray(modes)) throw new RangeCheckError(`array roundingModes must be a list of rounding modes, got ${String(modes)}`);
  const norm = normalizeRoundingModes(modes);
  if (norm.length !== modes.length || norm.some((m, i) => modes[i] !== m)) {
    throw new RangeCheckError(`array roundingModes must list each mode once in code order (${formatRoundingModes(ROUNDING_MODES)}), got [${modes.join(', ')}]`);
  }
  return cfg;
}

/** A validated config from a partial one: accDepth defaults to 1024, roundingModes to all three (in any order). */
export function arrayConfig(p: Pick<ArrayConfig, 'rows' | 'cols'> & Partial<ArrayConfig>): ArrayConfig {
  return validateArrayConfig({
    rows: p.rows,
    cols: p.cols,
    accDepth: p.accDepth ?? ACC_DEPTH_DEFAULT,
    roundingModes: normalizeRoundingModes(p.roundingModes ?? ROUNDING_MODES),
  });
}

/**
 * A program's rounding on this array: `mode` itself when the array implements it, else a RangeCheckError naming
 * `what` (the layer), its mode and the array's modes.
 */
export function checkRoundingMode(cfg: Pick<ArrayConfig, 'roundingModes'>, mode: RoundingMode, what: string): RoundingMode {
  if (cfg.roundingModes.includes(mode)) return mode;
  if (!(ROUNDING_MODES as readonly string[]).includes(mode)) {
    throw new RangeCheckError(`${what}: unknown rounding mode '${String(mode)}' (the requantizer's modes are ${formatRoundingModes(ROUNDING_MODES)})`);
  }
  throw new RangeCheckError(`${what} needs '${mode}' rounding, which this array does not implement (roundingModes ${formatRoundingModes(cfg.roundingModes)})`);
}

/** The RTL's RoundingModes parameter: bit ROUND_CODE[m] set for every mode m the array implements. */
export function roundingModesParam(modes: readonly RoundingMode[]): number {
  return normalizeRoundingModes(modes).reduce((mask, m) => mask | (1 << ROUND_CODE[m]), 0);
}

/** The modes of a RoundingModes mask (1..7), or a RangeCheckError naming `where`. */
export function roundingModesOfParam(mask: number, where = 'RoundingModes'): RoundingMode[] {
  if (!Number.isInteger(mask) || mask < 1 || mask > 7) {
    throw new RangeCheckError(`${where} must be a mask of the implemented rounding modes in 1..7 (bit 0 single, 1 double, 2 ruy), got ${mask}`);
  }
  return ROUNDING_MODES.filter((m) => (mask >> ROUND_CODE[m]) & 1);
}
