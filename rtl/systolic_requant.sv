// The requantizer of one column (combinational): quant/spec `requantize`, bit for bit, for every int32 input, in
// the rounding mode round_i selects (the configuration register round_q, docs/ARCHITECTURE.md section 4).
//   x = wrap32(acc + bias)
//   y = multiplyByQuantizedMultiplier(x, m0, shift, mode)        (quant/spec/multiplier.ts)
//   q = clamp(y + zp, min, max)                                  (quant/spec/output.ts, the add is exact)
// round_i 0 (single): y = sat32(floor((x*m0 + 2^(t-1)) / 2^t)), t = 31 - shift, ties toward +infinity.
// round_i 1 (double): y = RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(wrap32(x << l), m0), r),
//   l = max(shift, 0), r = max(-shift, 0); the high-mul nudges by 2^30 (1 - 2^30 for a negative product) and
//   truncates toward zero, SRDHM(INT32_MIN, INT32_MIN) = INT32_MAX; RDBPOT rounds ties away from zero.
// round_i 2 (ruy): the same high-mul, then floor((t + 2^(r-1)) / 2^r): ties toward +infinity. Both final shifts
//   are floor(t / 2^r) + (remainder > threshold) with threshold = 2^(r-1) - 1, plus 1 for a negative t in double
//   only, so double and ruy share every gate but that one bit.
// One 32x32 product serves every mode: x * m0 (single) or wrap32(x << l) * m0 (double, ruy).
// RoundingModes (bit i: the mode of code i is built, default all three) drops the datapaths a build does not
// need; round_i then selects one of the built ones (systolic_top asserts it), and a mode that is not built
// (round_q's reset value 0 without single: only rows whose clamp min = max = 0 hides y) takes the other path.
// m0 is taken as a signed int32 (the contract allows [0, 2^31 - 1]); shift must be in [-31, 30].
// Two halves, split at the product: systolic_requant_mul (x, the left shift, the product, the SRDHM saturation case,
// the mode decode) and systolic_requant_round (the rounding shift of the mode, the zero point, the clamp); this module
// joins them by wires, systolic_top with RequantStages = 2 by a register stage.
`include "int8cosim_assert.svh"

module systolic_requant #(
  parameter int RoundingModes = 7
) (
  input  logic               en_i,   // a row in this cycle: without one the outputs are 'x (systolic_requant_mul)
  input  logic signed [31:0] acc_i,
  input  logic signed [31:0] bias_i,
  input  logic signed [31:0] m0_i,
  input  logic signed [7:0]  shift_i,
  input  logic signed [7:0]  zp_i,
  input  logic signed [7:0]  min_i,
  input  logic signed [7:0]  max_i,
  input  logic        [1:0]  round_i,  // 0 single, 1 double, 2 ruy (3 reserved: treated as double)
  output logic signed [31:0] x_o,    // wrap32(acc + bias): what enters the multiplier
  output logic signed [31:0] y_o,    // multiplyByQuantizedMultiplier(x, m0, shift, mode)
  output logic signed [7:0]  q_o     // outputStage(y, zp, min, max)
);

  `ASSERT_STATIC(g_bad_modes, RoundingModes >= 1 && RoundingModes <= 7,
                 ("systolic_requant: RoundingModes must be a mask in [1, 7] (bit 0 single, 1 double, 2 ruy), got %0d", RoundingModes))

  logic signed [63:0] prod;
  logic               sat;
  logic               single;
  logic               away;

  systolic_requant_mul #(
    .RoundingModes(RoundingModes)
  ) u_mul (
    .en_i    (en_i),
    .acc_i   (acc_i),
    .bias_i  (bias_i),
    .m0_i    (m0_i),
    .shift_i (shift_i),
    .round_i (round_i),
    .x_o     (x_o),
    .prod_o  (prod),
    .sat_o   (sat),
    .single_o(single),
    .away_o  (away)
  );

  systolic_requant_round #(
    .RoundingModes(RoundingModes)
  ) u_round (
    .en_i    (en_i),
    .prod_i  (prod),
    .sat_i   (sat),
    .single_i(single),
    .away_i  (away),
    .shift_i (shift_i),
    .zp_i    (zp_i),
    .min_i   (min_i),
    .max_i   (max_i),
    .y_o     (y_o),
    .q_o     (q_o)
  );

endmodule
