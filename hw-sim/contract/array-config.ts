/**
 * The parameters of one array (docs/ARCHITECTURE.md section 1) and their checks: Rows, Cols, AccDepth and
 * RoundingMode of the RTL, as hw-sim and the harness take them.
 */
import { RangeCheckError, ShapeError } from '../../quant/errors.ts';
import type { RoundingMode } from '../../quant/spec/index.ts';

/**
 * The rounding modes the array's requantizer implements (the RTL's RoundingMode 0 and 1). quant/spec also
 * defines 'ruy' (TFLite's optimized x86 CONV_2D/FULLY_CONNECTED), which the golden model runs but the
 * requantizer does not (yet): asking the array for it is an error, never a silent substitute.
 */
export type RequantizerMode = 'single' | 'double';
export const REQUANTIZER_MODES: readonly RequantizerMode[] = ['single', 'double'] as const;

/** The mode as a requantizer mode, or a RangeCheckError naming what the array implements. */
export function requantizerMode(mode: RoundingMode | string, where = 'array roundingMode'): RequantizerMode {
  if ((REQUANTIZER_MODES as readonly string[]).includes(mode)) return mode as RequantizerMode;
  if (mode === 'ruy') {
    throw new RangeCheckError(
      `${where}: the array's requantizer implements 'single' and 'double'; 'ruy' (TFLite's optimized x86 CONV_2D/FULLY_CONNECTED rounding) is not yet a requantizer mode`,
    );
  }
  throw new RangeCheckError(`${where} must be one of ${REQUANTIZER_MODES.join(', ')}, got ${String(mode)}`);
}

/** The parameters of one array (Rows, Cols, AccDepth, RoundingMode of the RTL). */
export interface ArrayConfig {
  /** PE rows = reduction (K) lanes of a tile, 2..32. */
  rows: number;
  /** PE columns = output channels (N) of a tile, 2..32. */
  cols: number;
  /** Entries of each column's accumulator memory = largest M of one pass; a power of two in 2..4096. */
  accDepth: number;
  /** Requantizer rounding (quant/spec): 'single' (RTL RoundingMode 0) or 'double' (1). */
  roundingMode: RequantizerMode;
}

export const ARRAY_DIM_MIN = 2;
export const ARRAY_DIM_MAX = 32;
export const ACC_DEPTH_MIN = 2;
export const ACC_DEPTH_MAX = 4096;
export const ACC_DEPTH_DEFAULT = 1024;

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
  requantizerMode(cfg.roundingMode);
  return cfg;
}

/**
 * A validated config from a partial one: accDepth defaults to 1024, roundingMode to 'single'. The rounding mode
 * may be any quant/spec mode (a model's or an option's); one the requantizer does not implement is an error.
 */
export function arrayConfig(p: Pick<ArrayConfig, 'rows' | 'cols'> & Partial<Omit<ArrayConfig, 'roundingMode'>> & { roundingMode?: RoundingMode }): ArrayConfig {
  return validateArrayConfig({
    rows: p.rows,
    cols: p.cols,
    accDepth: p.accDepth ?? ACC_DEPTH_DEFAULT,
    roundingMode: requantizerMode(p.roundingMode ?? 'single'),
  });
}

/** The RTL's RoundingMode parameter value. */
export function roundingModeParam(mode: RequantizerMode): 0 | 1 {
  return mode === 'single' ? 0 : 1;
}
