// Stage 1 of one column's two-stage requantizer (combinational, in the requantize cycle of docs/ARCHITECTURE.md
// section 4): the bias add and the one 32x32 signed product of rtl/systolic_requant.sv, nothing after it.
//   x    = wrap32(acc + bias)                           (o_acc_o of the row)
//   prod = x * m0 (single) or wrap32(x << l) * m0 (double, ruy), l = max(shift, 0)
//   sat  = wrap32(x << l) = m0 = INT32_MIN: the one input whose SRDHM saturates to INT32_MAX (stage 2 needs it;
//          m0 >= 0 in the contract, so it never holds there, but the pair keeps systolic_requant's arithmetic for
//          every int32 input)
// The product, sat and the row's own shift and rounding mode go down the pipeline to requant_stage_round, which
// never reads the parameter registers (requant_stage_top.sv says why).
`include "int8cosim_assert.svh"

module requant_stage_mul #(
  parameter int RoundingModes = 7
) (
  input  logic signed [31:0] acc_i,
  input  logic signed [31:0] bias_i,
  input  logic signed [31:0] m0_i,
  input  logic signed [7:0]  shift_i,
  input  logic        [1:0]  round_i,  // 0 single, 1 double, 2 ruy (3 reserved: treated as double)
  output logic signed [31:0] x_o,      // wrap32(acc + bias): what enters the multiplier
  output logic signed [63:0] prod_o,   // the product, |prod| <= 2^62
  output logic               sat_o     // the SRDHM saturation case
);

  localparam logic signed [31:0] Int32Min = 32'sh8000_0000;
  localparam logic [1:0] RoundSingle = 2'd0;
  localparam bit HasSingle  = RoundingModes[0];
  localparam bit HasHighMul = RoundingModes[1] || RoundingModes[2];

  `ASSERT_STATIC(g_bad_modes, RoundingModes >= 1 && RoundingModes <= 7,
                 ("requant_stage_mul: RoundingModes must be a mask in [1, 7] (bit 0 single, 1 double, 2 ruy), got %0d", RoundingModes))

  logic signed [31:0] x;
  assign x = acc_i + bias_i;   // wraps modulo 2^32

  // The mode's datapath: single when it is selected (or the only one built), else the high-mul.
  logic use_single;
  assign use_single = HasSingle && (!HasHighMul || round_i == RoundSingle);

  logic        [4:0]  left;    // max(shift, 0), in [0, 30]
  logic signed [31:0] xl;      // wrap32(x * 2^left)
  logic signed [31:0] mul_a;
  assign left  = (shift_i > 8'sd0) ? shift_i[4:0] : 5'd0;
  assign xl    = x <<< left;
  assign mul_a = use_single ? x : xl;

  assign x_o    = x;
  assign prod_o = 64'(mul_a) * 64'(m0_i);
  assign sat_o  = !use_single && xl == Int32Min && m0_i == Int32Min;

endmodule
