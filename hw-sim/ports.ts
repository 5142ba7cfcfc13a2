/**
 * The ports of the array as hw-sim and the harness exchange them (docs/ARCHITECTURE.md sections 1, 6 and 7): the
 * configuration parameters with their checks, the per-cycle beat layout and the PE register readout layout.
 */
import { RangeCheckError, ShapeError } from '../quant/errors.ts';
import { ROUNDING_MODES, type RoundingMode } from '../quant/spec/index.ts';

/** The parameters of one array (Rows, Cols, AccDepth, RoundingMode of the RTL). */
export interface ArrayConfig {
  /** PE rows = reduction (K) lanes of a tile, 2..32. */
  rows: number;
  /** PE columns = output channels (N) of a tile, 2..32. */
  cols: number;
  /** Entries of each column's accumulator memory = largest M of one pass; a power of two in 2..4096. */
  accDepth: number;
  /** Requantizer rounding (quant/spec): 'single' (RTL RoundingMode 0) or 'double' (1). */
  roundingMode: RoundingMode;
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
  if (!ROUNDING_MODES.includes(cfg.roundingMode)) {
    throw new RangeCheckError(`array roundingMode must be one of ${ROUNDING_MODES.join(', ')}, got ${String(cfg.roundingMode)}`);
  }
  return cfg;
}

/** A validated config from a partial one: accDepth defaults to 1024, roundingMode to 'single'. */
export function arrayConfig(p: Pick<ArrayConfig, 'rows' | 'cols'> & Partial<ArrayConfig>): ArrayConfig {
  return validateArrayConfig({
    rows: p.rows,
    cols: p.cols,
    accDepth: p.accDepth ?? ACC_DEPTH_DEFAULT,
    roundingMode: p.roundingMode ?? 'single',
  });
}

/** The RTL's RoundingMode parameter value. */
export function roundingModeParam(mode: RoundingMode): 0 | 1 {
  return mode === 'single' ? 0 : 1;
}

/** ceil(log2(x)), at least 1: the width of an index bus over x entries (section 3). */
export function clog2(x: number): number {
  let w = 0;
  while (1 << w < x) w++;
  return Math.max(w, 1);
}

/**
 * Word offsets of one cycle's inputs (section 7). w_data[c] is at `IN.wData + c`, a_data[r] at `aDataOffset(cfg) + r`.
 */
export const IN = {
  wEn: 0,
  wBank: 1,
  wRow: 2,
  aEn: 3,
  aBank: 4,
  aFirst: 5,
  aLast: 6,
  aAddr: 7,
  pEn: 8,
  pCol: 9,
  pBias: 10,
  pM0: 11,
  pShift: 12,
  cEn: 13,
  cZp: 14,
  cMin: 15,
  cMax: 16,
  wData: 17,
} as const;

/** Word offsets of one cycle's outputs (section 7). o_data[c] is at `OUT.oData + c`, o_acc[c] at `oAccOffset(cfg) + c`. */
export const OUT = {
  oValid: 0,
  oAddr: 1,
  oData: 2,
} as const;

/** Number of scalar input words before the vectors. */
export const IN_SCALAR_WORDS = 17;
/** Number of scalar output words before the vectors. */
export const OUT_SCALAR_WORDS = 2;

export function inWords(cfg: Pick<ArrayConfig, 'rows' | 'cols'>): number {
  return IN_SCALAR_WORDS + cfg.cols + cfg.rows;
}

export function outWords(cfg: Pick<ArrayConfig, 'cols'>): number {
  return OUT_SCALAR_WORDS + 2 * cfg.cols;
}

/** Offset of a_data[0] in an input beat. */
export function aDataOffset(cfg: Pick<ArrayConfig, 'cols'>): number {
  return IN_SCALAR_WORDS + cfg.cols;
}

/** Offset of o_acc[0] in an output beat. */
export function oAccOffset(cfg: Pick<ArrayConfig, 'cols'>): number {
  return OUT_SCALAR_WORDS + cfg.cols;
}

/** Names of the input words of a beat, in order (for traces and mismatch messages). */
export function inWordNames(cfg: Pick<ArrayConfig, 'rows' | 'cols'>): string[] {
  const names = ['w_en', 'w_bank', 'w_row', 'a_en', 'a_bank', 'a_first', 'a_last', 'a_addr', 'p_en', 'p_col', 'p_bias', 'p_m0', 'p_shift', 'c_en', 'c_zp', 'c_min', 'c_max'];
  for (let c = 0; c < cfg.cols; c++) names.push(`w_data[${c}]`);
  for (let r = 0; r < cfg.rows; r++) names.push(`a_data[${r}]`);
  return names;
}

/** Names of the output words of a beat, in order. */
export function outWordNames(cfg: Pick<ArrayConfig, 'cols'>): string[] {
  const names = ['o_valid', 'o_addr'];
  for (let c = 0; c < cfg.cols; c++) names.push(`o_data[${c}]`);
  for (let c = 0; c < cfg.cols; c++) names.push(`o_acc[${c}]`);
  return names;
}

/** PE register readout (section 6): 6 int32 words per PE, PE-major, row-major: word REG_WORDS_PER_PE*(r*C+c)+i. */
export const REG = {
  w0: 0,
  w1: 1,
  a: 2,
  v: 3,
  bank: 4,
  psum: 5,
} as const;

export const REG_WORDS_PER_PE = 6;

export const REG_NAMES = ['w0_q', 'w1_q', 'a_q', 'v_q', 'bank_q', 'psum_q'] as const;

export function regWords(cfg: Pick<ArrayConfig, 'rows' | 'cols'>): number {
  return REG_WORDS_PER_PE * cfg.rows * cfg.cols;
}

/** The register name of readout word i, e.g. `g_row[2].g_col[5].u_pe.psum_q`. */
export function regWordName(cfg: Pick<ArrayConfig, 'cols'>, i: number): string {
  const pe = Math.floor(i / REG_WORDS_PER_PE);
  const r = Math.floor(pe / cfg.cols);
  const c = pe % cfg.cols;
  return `g_row[${r}].g_col[${c}].u_pe.${REG_NAMES[i % REG_WORDS_PER_PE]}`;
}
