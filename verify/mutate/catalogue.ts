/**
 * The catalogue of RTL mutants: realistic design bugs, each one precise search/replace in one file of rtl/ (the
 * search text must occur exactly once), judged on a build of every rounding mode (RoundingModes 7), on which the
 * kill-suite's cases choose their programs' modes. A mutant marked `equivalent` changes no observable behaviour inside
 * the contract; the reason is stated and it is excluded from the score (but still run, to show it survives).
 * A mutant marked `portInvisible` changes only state that deep mode compares (the PE registers of
 * docs/ARCHITECTURE.md section 6), never a port; the reason is stated: it is an expected survivor of port mode
 * (what `make regress` and `make cosim` compare), still counted against the port-mode score. A mutant marked
 * `timingOnly` changes when rows come out, or the outputs of cycles without o_valid_o, but no row: an expected
 * survivor of transaction mode (`--check transactions`), which port mode kills; still counted against that score.
 */
export interface Mutant {
  name: string;
  file: string;
  search: string;
  replace: string;
  description: string;
  equivalent?: string;
  /** Why no port can show this mutant (only a deep-mode register does): an expected port-mode survivor. */
  portInvisible?: string;
  /**
   * Why the mutant changes only timing (docs/ARCHITECTURE.md section 13: rows later, in another order within a tile,
   * or other values in cycles without o_valid_o), never a row: port mode kills it, transaction mode must not.
   */
  timingOnly?: string;
}

export const MUTANTS: readonly Mutant[] = [
  // ---- processing element ----
  {
    name: 'pe-activation-zero-extended',
    file: 'systolic_pe.sv',
    search: "assign product = 32'(a_i) * 32'(weight);",
    replace: "assign product = $signed({24'd0, a_i}) * 32'(weight);",
    description: 'lost sign extension: the activation is zero-extended into the product',
  },
  {
    name: 'pe-product-zero-extended',
    file: 'systolic_pe.sv',
    search: 'assign mac     = psum_i + product;',
    replace: "assign mac     = psum_i + $signed({16'd0, product[15:0]});",
    description: "lost sign extension: the product's low 16 bits (all an int8 x int8 product needs) are zero-extended into the int32 partial sum",
  },
  {
    name: 'pe-bank-select-inverted',
    file: 'systolic_pe.sv',
    search: 'assign weight  = bank_i ? w1_q : w0_q;',
    replace: 'assign weight  = bank_i ? w0_q : w1_q;',
    description: 'the weight banks are selected the wrong way round',
  },
  {
    name: 'pe-bank-select-late',
    file: 'systolic_pe.sv',
    search: 'assign weight  = bank_i ? w1_q : w0_q;',
    replace: 'assign weight  = bank_q ? w1_q : w0_q;',
    description: "weight-buffer swap a cycle late: the bank bit of the previous beat (this PE's bank_q) selects the weight",
  },
  {
    name: 'pe-write-both-banks',
    file: 'systolic_pe.sv',
    search: 'assign w0_en = w_en_i && !w_bank_i;',
    replace: 'assign w0_en = w_en_i;',
    description: 'a write to bank 1 also overwrites bank 0 (the bank in use while the next tile loads)',
  },
  {
    name: 'pe-valid-ignored',
    file: 'systolic_pe.sv',
    search: "psum_d = (v_i ? mac : 32'sd0)",
    replace: 'psum_d = (mac)',
    description: 'the partial sum accumulates the activation port even when no beat is valid',
    portInvisible:
      "only psum_q of an invalid beat changes (mac instead of 0): a valid beat's partial sum in row r is built from the same beat's sums in rows above (row 0 takes 0), all valid, " +
      'so it never meets one of these; the sums of invalid beats reach the accumulator in cycles whose control-line valid bit is 0, which it ignores. Deep mode compares psum_q.',
  },
  {
    name: 'pe-stuck-bit',
    file: 'systolic_pe.sv',
    search: "psum_d = (v_i ? mac : 32'sd0) ^ $signed({31'd0, fault_flip});",
    replace:
      "psum_d = ((v_i ? mac : 32'sd0) ^ $signed({31'd0, fault_flip})) | ((Row == 1 && Col == 1) ? 32'sh0000_0100 : 32'sd0);",
    description: 'bit 8 of psum_d stuck at 1 in PE (1, 1) only',
  },
  // ---- array, skew, de-skew, top ----
  {
    name: 'array-weight-columns-reversed',
    file: 'systolic_array.sv',
    search: '.w_data_i(w_data_i[8*c +: 8]),',
    replace: '.w_data_i(w_data_i[8*(Cols-1-c) +: 8]),',
    description: 'w_data columns wired to the PEs in reverse order',
  },
  {
    name: 'skew-row1-off-by-one',
    file: 'systolic_skew.sv',
    search: '.Depth(Descending ? Lanes - 1 - j : j)',
    replace: '.Depth(Descending ? Lanes - 1 - j : (j == 1 ? 2 : j))',
    description: 'off-by-one skew: activation row 1 is delayed two cycles instead of one',
  },
  {
    name: 'deskew-off-by-one',
    file: 'systolic_skew.sv',
    search: '.Depth(Descending ? Lanes - 1 - j : j)',
    replace: '.Depth(Descending ? Lanes - j : j)',
    description: 'off-by-one de-skew: every column sum arrives one cycle after the control line',
  },
  {
    name: 'bank-swap-early',
    file: 'systolic_top.sv',
    search: 'assign row_bank[r]         = skew_out[10*r + 9];',
    replace: 'assign row_bank[r]         = skew_out[10*(r > 0 ? r - 1 : 0) + 9];',
    description: "weight-buffer swap a cycle early: rows below 0 take the bank bit of the next beat (row r-1's skew tap)",
  },
  {
    name: 'output-data-not-held',
    file: 'systolic_out.sv',
    search: 'assign o_data_d  = valid_i ? data_i : o_data_q;',
    replace: 'assign o_data_d  = data_i;',
    description: 'o_data_o follows the requantizer every cycle instead of holding between valid rows',
    timingOnly:
      "in a cycle with o_valid_o = 1 both versions load data_i, the requantizer's bytes (valid_i was 1), so every row keeps " +
      'its bytes; only o_data_o of cycles without o_valid_o changes, which the transaction-level contract does not read',
  },
  {
    name: 'output-stage-extra-register',
    file: 'systolic_out.sv',
    search: 'assign o_valid_o = o_valid_q;\n  assign o_addr_o  = o_addr_q;\n  assign o_data_o  = o_data_q;\n  assign o_acc_o   = o_acc_q;',
    replace:
      'logic o_valid_q2; logic [AddrW-1:0] o_addr_q2; logic [8*Cols-1:0] o_data_q2; logic [32*Cols-1:0] o_acc_q2;\n' +
      '  always_ff @(posedge clk_i or negedge rst_ni) begin\n' +
      "    if (!rst_ni) {o_valid_q2, o_addr_q2, o_data_q2, o_acc_q2} <= '0;\n" +
      '    else         {o_valid_q2, o_addr_q2, o_data_q2, o_acc_q2} <= {o_valid_q, o_addr_q, o_data_q, o_acc_q};\n' +
      '  end\n' +
      '  assign {o_valid_o, o_addr_o, o_data_o, o_acc_o} = {o_valid_q2, o_addr_q2, o_data_q2, o_acc_q2};',
    description: 'one more register stage behind the output registers: every row leaves a cycle later (latency R + C + 2)',
    timingOnly:
      'the stage copies o_valid_q, o_addr_q, o_data_q and o_acc_q together, so every row comes out once with its address and ' +
      'values, one cycle later and in the same order; nothing before the output registers changes (the requantizer reads its ' +
      'parameters in the same cycle as before)',
  },
  // ---- controller ----
  {
    name: 'ctrl-line-short',
    file: 'systolic_ctrl.sv',
    search: '.Depth(Rows + Cols - 2)',
    replace: '.Depth(Rows + Cols - 3)',
    description: 'the control line is one register short: first/last/addr meet the sums a cycle early',
  },
  {
    name: 'ctrl-read-tap-late',
    file: 'systolic_ctrl.sv',
    search: 'assign rd_addr_o = line_pre[AddrW-1:0];',
    replace: 'assign rd_addr_o = line_acc[AddrW-1:0];',
    description: 'the accumulator memory is read with the address of the current beat instead of the next one',
  },
  {
    name: 'ctrl-param-column-reversed',
    file: 'systolic_ctrl.sv',
    search: "assign sel = p_en_i && (p_col_i == ColW'(c));",
    replace: "assign sel = p_en_i && (p_col_i == ColW'(Cols - 1 - c));",
    description: 'the requantization parameters of column c land in column Cols-1-c',
  },
  {
    name: 'ctrl-config-enable-ignored',
    file: 'systolic_ctrl.sv',
    search: 'assign zp_d  = c_en_i ? c_zp_i  : zp_q;',
    replace: 'assign zp_d  = c_zp_i;',
    description: 'the output zero point register takes c_zp_i every cycle, enabled or not',
  },
  {
    name: 'ctrl-round-not-reloaded',
    file: 'systolic_ctrl.sv',
    search: 'assign round_d = c_en_i ? c_round_i : round_q;',
    replace: 'assign round_d = round_q;',
    description: 'the rounding-mode register is never reloaded: every program runs in the reset mode (single)',
  },
  {
    name: 'ctrl-round-enable-ignored',
    file: 'systolic_ctrl.sv',
    search: 'assign round_d = c_en_i ? c_round_i : round_q;',
    replace: 'assign round_d = c_round_i;',
    description: 'the rounding-mode register takes c_round_i every cycle, enabled or not',
  },
  {
    name: 'delay-reset-value',
    file: 'systolic_delay.sv',
    search: "if (!rst_ni) line_q <= '0;",
    replace: "if (!rst_ni) line_q <= '1;",
    description: 'delay lines (skew, de-skew, control line) reset to all ones: phantom beats after reset',
  },
  // ---- accumulators ----
  {
    name: 'acc-first-swapped',
    file: 'systolic_acc.sv',
    search: 'first_i ? psum_i[32*c +: 32] : old[32*c +: 32] + psum_i[32*c +: 32];',
    replace: 'first_i ? old[32*c +: 32] + psum_i[32*c +: 32] : psum_i[32*c +: 32];',
    description: 'accumulate and flush swapped: the first K-tile adds to the memory, later ones overwrite it',
  },
  {
    name: 'acc-no-forwarding',
    file: 'systolic_acc.sv',
    search: 'assign fwd_d       = en_i && (addr_i == rd_addr_i);',
    replace: "assign fwd_d       = 1'b0;",
    description: 'read-during-write forwarding dropped: back-to-back accumulates to one address read a stale sum',
  },
  {
    name: 'acc-valid-without-last',
    file: 'systolic_acc.sv',
    search: 'assign acc_valid_d = en_i && last_i;',
    replace: 'assign acc_valid_d = en_i;',
    description: 'every K-tile, not only the last, produces an output row',
  },
  {
    name: 'acc-addr-not-held',
    file: 'systolic_acc.sv',
    search: 'assign acc_addr_d  = acc_valid_d ? addr_i : acc_addr_q;',
    replace: 'assign acc_addr_d  = addr_i;',
    description: 'acc_addr_q follows the control line every cycle instead of holding',
    equivalent:
      'acc_addr_q reaches o_addr_q only with a valid row (systolic_out: o_addr_d = valid_i ? addr_i : o_addr_q, through ' +
      'the stage register when RequantStages is 2), i.e. only from a cycle after acc_valid_d was 1, when both versions ' +
      'loaded addr_i; it is not a deep-mode register either.',
  },
  // ---- requantizer, single rounding ----
  {
    name: 'rq-single-rounding-bit-dropped',
    file: 'systolic_requant_round.sv',
    search: "rounded = (pre + 64'sd1) >>> 1;",
    replace: 'rounded = pre >>> 1;',
    description: 'dropped rounding bit: the single-rounding multiplier truncates (floor) instead of rounding',
  },
  {
    name: 'rq-single-shift-off-by-one',
    file: 'systolic_requant_round.sv',
    search: "shr     = 7'(8'sd30 - shift_i);",
    replace: "shr     = 7'(8'sd31 - shift_i);",
    description: 'the right shift of the single-rounding multiplier is one too large',
  },
  {
    name: 'rq-single-no-saturation',
    file: 'systolic_requant_round.sv',
    search: "y_single = (rounded > 64'(Int32Max)) ? Int32Max",
    replace: "y_single = (rounded > 64'(Int32Max)) ? rounded[31:0]",
    description: 'a positive overflow of the multiplier wraps instead of saturating to INT32_MAX',
  },
  // ---- requantizer, double and ruy rounding (the high-mul they share, their final shifts) and the mode decode ----
  {
    name: 'rq-double-nudge-sign',
    file: 'systolic_requant_round.sv',
    search: "nudged  = prod_i + (prod_i < 64'sd0 ? 64'sd1 - 64'sd1073741824 : 64'sd1073741824);",
    replace: "nudged  = prod_i + 64'sd1073741824;",
    description: 'SaturatingRoundingDoublingHighMul nudges negative products like positive ones',
  },
  {
    name: 'rq-double-tie-threshold',
    file: 'systolic_requant_round.sv',
    search: "threshold = (mask >> 1) + {31'd0, srdhm < 32'sd0 && away_i};",
    replace: 'threshold = (mask >> 1);',
    description: 'RoundingDivideByPOT rounds negative ties toward +infinity instead of away from zero (double rounds like ruy)',
  },
  {
    name: 'rq-ruy-ties-away-from-zero',
    file: 'systolic_requant_round.sv',
    search: "threshold = (mask >> 1) + {31'd0, srdhm < 32'sd0 && away_i};",
    replace: "threshold = (mask >> 1) + {31'd0, srdhm < 32'sd0};",
    description: "ruy's final shift rounds negative ties away from zero instead of toward +infinity (ruy rounds like double)",
  },
  {
    name: 'rq-mode-decode-double-ruy-swapped',
    file: 'systolic_requant_mul.sv',
    search: 'away_o     = HasDouble && (!HasRuy || round_i != RoundRuy);',
    replace: "away_o     = HasDouble && (!HasRuy || round_i != 2'd1);",
    description: 'the mode decode swaps double and ruy: code 1 takes ruy\'s tie rule and code 2 double\'s',
  },
  {
    name: 'rq-mode-decode-single-double-swapped',
    file: 'systolic_requant_mul.sv',
    search: 'use_single = HasSingle && (!HasHighMul || round_i == RoundSingle);',
    replace: "use_single = HasSingle && (!HasHighMul || round_i == 2'd1);",
    description: 'the mode decode swaps single and double: code 1 runs single rounding and code 0 the high-mul',
  },
  {
    name: 'rq-double-left-shift-lost',
    file: 'systolic_requant_mul.sv',
    search: "left  = (shift_i > 8'sd0) ? 5'(shift_i) : 5'd0;",
    replace: "left  = (shift_i > 8'sd1) ? 5'(shift_i) : 5'd0;",
    description: 'a left shift of exactly 1 is dropped before the high multiply',
  },
  {
    name: 'rq-double-srdhm-saturation-removed',
    file: 'systolic_requant_mul.sv',
    search: 'sat_o  = xl == Int32Min && m0_i == Int32Min;',
    replace: "sat_o  = 1'b0;",
    description: 'the INT32_MIN * INT32_MIN saturation of SRDHM is removed',
    equivalent:
      'm0 is in [0, 2^31 - 1] by contract (ARCHITECTURE.md section 3; the RTL asserts !p_m0_i[31] and hw-sim throws ' +
      'RangeCheckError), so m0_i is never INT32_MIN and the saturating branch can never be taken.',
  },
  // ---- requantizer, output stage and bias (both modes) ----
  {
    name: 'rq-zero-point-zero-extended',
    file: 'systolic_requant_round.sv',
    search: "with_zp = 34'(y) + 34'(zp_i);",
    replace: "with_zp = 34'(y) + 34'($unsigned(zp_i));",
    description: 'lost sign extension: a negative output zero point is added as 256 + zp',
  },
  {
    name: 'rq-clamp-low-unsigned',
    file: 'systolic_requant_round.sv',
    search: "q_o = (with_zp < 34'(min_i)) ? min_i",
    replace: "q_o = (with_zp < 34'($unsigned(min_i))) ? min_i",
    description: 'wrong clamp bound: the low bound is compared unsigned (a negative min becomes 128..255)',
  },
  {
    name: 'rq-clamp-high-off-by-one',
    file: 'systolic_requant_round.sv',
    search: ": (with_zp > 34'(max_i)) ? max_i",
    replace: ": (with_zp >= 34'(max_i)) ? max_i - 8'sd1",
    description: 'wrong clamp bound: values reaching max are clamped to max - 1',
  },
  {
    name: 'rq-bias-subtracted',
    file: 'systolic_requant_mul.sv',
    search: 'x = acc_i + bias_i;   // wraps modulo 2^32',
    replace: 'x = acc_i - bias_i;   // wraps modulo 2^32',
    description: 'the bias is subtracted instead of added',
  },
];
