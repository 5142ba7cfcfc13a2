// The first half of one column's requantizer (combinational): everything of quant/spec `requantize` up to and
// including the one 32x32 product, and the decode of the rounding mode (systolic_requant.sv says what the modes are).
//   x    = wrap32(acc + bias)                                         (o_acc_o of the row)
//   prod = x * m0 (single) or wrap32(x << l) * m0 (double, ruy), l = max(shift, 0)
//   sat  = wrap32(x << l) = m0 = INT32_MIN: the one input whose SaturatingRoundingDoublingHighMul saturates to
//          INT32_MAX (m0 >= 0 in the contract, so it never holds there; the requantizer is exact for every int32)
// systolic_requant_round takes it from there; systolic_top registers what lies between the two when
// RequantStages = 2. RoundingModes (bit i: the mode of code i is built) as in systolic_requant.
// en_i: a row in this cycle. Without one every output is a don't-care ('x: Verilator's -x-assign unique makes it
// a random constant, so that a consumer of it shows as a mismatch; synthesis takes the datapath alone), and the
// Verilated model skips the datapath: systolic_top drives en_i from the valid bit of the row it requantizes.
// The gated block is an if/else that writes every variable once, not 'x defaults first: Icarus 11 re-runs an
// always_comb when it writes a variable it reads, so a default overwritten in the same pass would loop forever.
`include "int8cosim_assert.svh"

module systolic_requant_mul #(
  parameter int RoundingModes = 7
) (
  input  logic               en_i,      // a row in this cycle (else every output is 'x)
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
  logic               use_single;
  logic        [4:0]  left;      // max(shift, 0), in [0, 30]
  logic signed [31:0] xl;        // wrap32(x * 2^left)
  logic signed [31:0] mul_a;

  always_comb begin
    if (en_i) begin
      x = acc_i + bias_i;   // wraps modulo 2^32

      // The mode decode: single when it is selected (or the only one built), else the high-mul, whose final
      // shift rounds ties away from zero in double and toward +infinity in ruy.
      use_single = HasSingle && (!HasHighMul || round_i == RoundSingle);
      away_o     = HasDouble && (!HasRuy || round_i != RoundRuy);

      // The one product: |x * m0| <= 2^62 and |wrap32(x << l) * m0| <= 2^62, so it fits in 64 signed bits.
      left  = (shift_i > 8'sd0) ? 5'(shift_i) : 5'd0;
      xl    = x <<< left;
      mul_a = use_single ? x : xl;

      prod_o = 64'(mul_a) * 64'(m0_i);
      sat_o  = xl == Int32Min && m0_i == Int32Min;
    end else begin
      {x, use_single, left, xl, mul_a, away_o, prod_o, sat_o} = 'x;  // no row: nothing to compute
    end
  end

  assign x_o      = x;
  assign single_o = use_single;

endmodule
