// Stage 2 of one column's two-stage requantizer (combinational, the cycle after the requantize cycle of
// docs/ARCHITECTURE.md section 4): from stage 1's product (requant_stage_mul) to the int8 output, the rest of
// rtl/systolic_requant.sv bit for bit. Every input is the row's own, carried down the pipeline with it: never the
// parameter or configuration registers, which may already hold the next N-tile's (requant_stage_top.sv).
// round_i 0 (single): y = sat32(floor((prod + 2^(t-1)) / 2^t)), t = 31 - shift, ties toward +infinity.
// round_i 1 (double): SRDHM (nudge 2^30, or 1 - 2^30 for a negative product, then truncate toward zero by 2^31;
//   sat_i gives INT32_MAX), then RoundingDivideByPOT by r = max(-shift, 0): ties away from zero.
// round_i 2 (ruy): the same high-mul, then floor((t + 2^(r-1)) / 2^r): ties toward +infinity. Both final shifts
//   are floor(t / 2^r) + (remainder > threshold), threshold = 2^(r-1) - 1, plus 1 for a negative t in double only.
// Then the output stage: y + zp exact in 34 bits, clamped in quant/spec's order (v < min ? min : v > max ? max : v).
`include "int8cosim_assert.svh"

module requant_stage_round #(
  parameter int RoundingModes = 7
) (
  input  logic signed [63:0] prod_i,   // stage 1's product
  input  logic               sat_i,    // stage 1's SRDHM saturation case
  input  logic signed [7:0]  shift_i,  // the row's shift (its column's, when stage 1 ran)
  input  logic        [1:0]  round_i,  // the row's rounding mode
  input  logic signed [7:0]  zp_i,
  input  logic signed [7:0]  min_i,
  input  logic signed [7:0]  max_i,
  output logic signed [7:0]  q_o
);

  localparam logic signed [31:0] Int32Min = 32'sh8000_0000;
  localparam logic signed [31:0] Int32Max = 32'sh7fff_ffff;
  localparam logic [1:0] RoundSingle = 2'd0;
  localparam logic [1:0] RoundRuy    = 2'd2;
  localparam bit HasSingle  = RoundingModes[0];
  localparam bit HasDouble  = RoundingModes[1];
  localparam bit HasRuy     = RoundingModes[2];
  localparam bit HasHighMul = HasDouble || HasRuy;

  `ASSERT_STATIC(g_bad_modes, RoundingModes >= 1 && RoundingModes <= 7,
                 ("requant_stage_round: RoundingModes must be a mask in [1, 7] (bit 0 single, 1 double, 2 ruy), got %0d", RoundingModes))

  logic use_single;
  assign use_single = HasSingle && (!HasHighMul || round_i == RoundSingle);

  logic signed [31:0] y_single;
  logic signed [31:0] y_high_mul;

  if (HasSingle) begin : g_single
    logic        [6:0]  shr;      // t - 1 = 30 - shift, in [0, 61]
    logic signed [63:0] pre;      // floor(prod / 2^(t-1))
    logic signed [63:0] rounded;  // floor((prod + 2^(t-1)) / 2^t) = floor((pre + 1) / 2)
    assign shr     = 7'(8'sd30 - shift_i);
    assign pre     = prod_i >>> shr;
    assign rounded = (pre + 64'sd1) >>> 1;
    assign y_single = (rounded > 64'(Int32Max)) ? Int32Max
                    : (rounded < 64'(Int32Min)) ? Int32Min
                    : rounded[31:0];
  end else begin : g_no_single
    assign y_single = '0;  // never selected: use_single is 0
  end

  if (HasHighMul) begin : g_high_mul
    logic        [4:0]  right;     // max(-shift, 0), in [0, 31]
    logic signed [63:0] nudged;    // prod + nudge
    // Waiver: only the low 32 bits of the quotient are the SRDHM result (it fits int32 for every input but
    // INT32_MIN * INT32_MIN, which sat_i flags); the upper bits are sign copies.
    /* verilator lint_off UNUSEDSIGNAL */
    logic signed [63:0] toward0;   // nudged / 2^31 truncated toward zero
    /* verilator lint_on UNUSEDSIGNAL */
    logic signed [31:0] srdhm;
    logic        [31:0] mask;
    logic        [31:0] remainder;
    logic               away;      // ties away from zero (double) rather than toward +infinity (ruy)
    logic        [31:0] threshold;

    assign right     = (shift_i > 8'sd0) ? 5'd0 : 5'(-shift_i);
    assign nudged    = prod_i + (prod_i[63] ? 64'sd1 - 64'sd1073741824 : 64'sd1073741824);
    assign toward0   = (nudged[63] ? nudged + 64'sd2147483647 : nudged) >>> 31;
    assign srdhm     = sat_i ? Int32Max : toward0[31:0];
    assign mask      = (32'd1 << right) - 32'd1;
    assign remainder = srdhm & mask;
    assign away      = HasDouble && (!HasRuy || round_i != RoundRuy);
    assign threshold = (mask >> 1) + {31'd0, srdhm[31] && away};
    assign y_high_mul = (srdhm >>> right) + $signed({31'd0, remainder > threshold});
  end else begin : g_no_high_mul
    assign y_high_mul = '0;  // never selected: use_single is 1
    // sat_i is 0 in a build without the high-mul (stage 1 only sets it off the single path); Verilator's -Wall
    // ignores names matching *unused*.
    logic unused_sat;
    assign unused_sat = sat_i;
  end

  logic signed [31:0] y;
  assign y = use_single ? y_single : y_high_mul;

  logic signed [33:0] with_zp;
  assign with_zp = 34'(y) + 34'(zp_i);
  assign q_o = (with_zp < 34'(min_i)) ? min_i
             : (with_zp > 34'(max_i)) ? max_i
             : with_zp[7:0];

endmodule
