// The first half of one column's requantizer (combinational): everything of quant/spec `requantize` up to and
// including the one 32x32 product, and the decode of the rounding mode (systolic_requant.sv says what the modes are).
//   x    = wrap32(acc + bias)                                         (o_acc_o of the row)
//   prod = x * m0 (single) or wrap32(x << l) * m0 (double, ruy), l = max(shift, 0)
//   sat  = wrap32(x << l) = m0 = INT32_MIN: the one input whose SaturatingRoundingDoublingHighMul saturates to
//          INT32_MAX (m0 >= 0 in the contract, so it never holds there; the requantizer is exact for every int32)
// systolic_requant_round takes it from there; systolic_top registers what lies between the two when
// RequantStages = 2. RoundingModes (bit i: the mode of code i is built) as in systolic_requant.
`include "int8cosim_assert.svh"

module systolic_requant_mul #(
  parameter int RoundingModes = 7
) (
  input  logic signed [31:0] acc_i,
  input  logic signed [31:0] bias_i,
  input  logic signed [31:0] m0_i,
  input  logic signed [7:0]  shift_i,
  input  logic        [1:0]  round_i,   // 0 single, 1 double, 2 ruy (3 reserved: treated as double)
  output logic signed [31:0] x_o,       // wrap32(acc + bias): what enters the multiplier
  output logic signed [63:0] prod_o,    // the product, |prod| <= 2^62
  output logic               sat_o,     // the SRDHM saturation case
  output logic               single_o,  // the mode's datapath: single rounding (else the high-mul)
  output logic               away_o     // the high-mul's final shift rounds ties away from zero (double, not ruy)
);

  localparam logic signed [31:0] Int32Min = 32'sh8000_0000;
  localparam logic [1:0] RoundSingle = 2'd0;
  localparam logic [1:0] RoundRuy    = 2'd2;
  localparam bit HasSingle  = RoundingModes[0];
  localparam bit HasDouble  = RoundingModes[1];
  localparam bit HasRuy     = RoundingModes[2];
  localparam bit HasHighMul = HasDouble || HasRuy;

  `ASSERT_STATIC(g_bad_modes, RoundingModes >= 1 && RoundingModes <= 7,
                 ("systolic_requant_mul: RoundingModes must be a mask in [1, 7] (bit 0 single, 1 double, 2 ruy), got %0d", RoundingModes))

  logic signed [31:0] x;
  assign x = acc_i + bias_i;   // wraps modulo 2^32

  // The mode decode: single when it is selected (or the only one built), else the high-mul, whose final shift
  // rounds ties away from zero in double and toward +infinity in ruy.
  logic use_single;
  assign use_single = HasSingle && (!HasHighMul || round_i == RoundSingle);
  assign away_o     = HasDouble && (!HasRuy || round_i != RoundRuy);

  // The one product: |x * m0| <= 2^62 and |wrap32(x << l) * m0| <= 2^62, so it fits in 64 signed bits.
  logic        [4:0]  left;      // max(shift, 0), in [0, 30]
  logic signed [31:0] xl;        // wrap32(x * 2^left)
  logic signed [31:0] mul_a;
  assign left  = (shift_i > 8'sd0) ? shift_i[4:0] : 5'd0;
  assign xl    = x <<< left;
  assign mul_a = use_single ? x : xl;

  assign x_o      = x;
  assign prod_o   = 64'(mul_a) * 64'(m0_i);
  assign sat_o    = xl == Int32Min && m0_i == Int32Min;
  assign single_o = use_single;

endmodule
