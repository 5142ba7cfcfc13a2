// The requantizer of one column (combinational): quant/spec `requantize`, bit for bit, for every int32 input.
//   x = wrap32(acc + bias)
//   y = multiplyByQuantizedMultiplier(x, m0, shift, mode)        (quant/spec/multiplier.ts)
//   q = clamp(y + zp, min, max)                                  (quant/spec/output.ts, the add is exact)
// RoundingMode 0 (single): y = sat32(floor((x*m0 + 2^(t-1)) / 2^t)), t = 31 - shift, ties toward +infinity.
// RoundingMode 1 (double): y = RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(wrap32(x << l), m0), r),
//   l = max(shift, 0), r = max(-shift, 0); the high-mul nudges by 2^30 (1 - 2^30 for a negative product) and
//   truncates toward zero, SRDHM(INT32_MIN, INT32_MIN) = INT32_MAX; RDBPOT rounds ties away from zero.
// m0 is taken as a signed int32 (the contract allows [0, 2^31 - 1]); shift must be in [-31, 30].
`include "int8cosim_assert.svh"

module systolic_requant #(
  parameter int RoundingMode = 0
) (
  input  logic signed [31:0] acc_i,
  input  logic signed [31:0] bias_i,
  input  logic signed [31:0] m0_i,
  input  logic signed [7:0]  shift_i,
  input  logic signed [7:0]  zp_i,
  input  logic signed [7:0]  min_i,
  input  logic signed [7:0]  max_i,
  output logic signed [31:0] x_o,    // wrap32(acc + bias): what enters the multiplier
  output logic signed [31:0] y_o,    // multiplyByQuantizedMultiplier(x, m0, shift)
  output logic signed [7:0]  q_o     // outputStage(y, zp, min, max)
);

  localparam logic signed [31:0] Int32Min = 32'sh8000_0000;
  localparam logic signed [31:0] Int32Max = 32'sh7fff_ffff;

  `ASSERT_STATIC(g_bad_mode, RoundingMode == 0 || RoundingMode == 1,
                 ("systolic_requant: RoundingMode must be 0 (single) or 1 (double), got %0d", RoundingMode))

  logic signed [31:0] x;
  logic signed [31:0] y;
  assign x = acc_i + bias_i;   // wraps modulo 2^32

  if (RoundingMode == 0) begin : g_single
    // |x * m0| <= 2^62, so the product and every step below fit in 64 signed bits.
    logic signed [63:0] prod;
    logic        [6:0]  shr;      // t - 1 = 30 - shift, in [0, 61]
    logic signed [63:0] pre;      // floor(prod / 2^(t-1))
    logic signed [63:0] rounded;  // floor((prod + 2^(t-1)) / 2^t) = floor((pre + 1) / 2)
    assign prod    = 64'(x) * 64'(m0_i);
    assign shr     = 7'(8'sd30 - shift_i);
    assign pre     = prod >>> shr;
    assign rounded = (pre + 64'sd1) >>> 1;
    assign y = (rounded > 64'(Int32Max)) ? Int32Max
             : (rounded < 64'(Int32Min)) ? Int32Min
             : rounded[31:0];
  end else begin : g_double
    logic        [4:0]  left;      // max(shift, 0), in [0, 30]
    logic        [4:0]  right;     // max(-shift, 0), in [0, 31]
    logic signed [31:0] xl;        // wrap32(x * 2^left)
    logic signed [63:0] ab;        // exact product, |ab| <= 2^62
    logic signed [63:0] nudged;    // ab + nudge
    // Waiver: only the low 32 bits of the quotient are the SRDHM result (it fits int32 for every input but
    // INT32_MIN * INT32_MIN, which is caught below); the upper bits are sign copies.
    /* verilator lint_off UNUSEDSIGNAL */
    logic signed [63:0] toward0;   // nudged / 2^31 truncated toward zero
    /* verilator lint_on UNUSEDSIGNAL */
    logic signed [31:0] srdhm;
    logic        [31:0] mask;
    logic        [31:0] remainder;
    logic        [31:0] threshold;

    assign left  = (shift_i > 8'sd0) ? shift_i[4:0] : 5'd0;
    assign right = (shift_i > 8'sd0) ? 5'd0 : 5'(-shift_i);
    assign xl    = x <<< left;
    assign ab    = 64'(xl) * 64'(m0_i);
    assign nudged = ab + (ab[63] ? 64'sd1 - 64'sd1073741824 : 64'sd1073741824);
    assign toward0 = (nudged[63] ? nudged + 64'sd2147483647 : nudged) >>> 31;
    assign srdhm = (xl == Int32Min && m0_i == Int32Min) ? Int32Max : toward0[31:0];
    assign mask      = (32'd1 << right) - 32'd1;
    assign remainder = srdhm & mask;
    assign threshold = (mask >> 1) + {31'd0, srdhm[31]};
    assign y = (srdhm >>> right) + $signed({31'd0, remainder > threshold});
  end

  // Output stage: the add of the zero point is exact (34 bits), then the clamp in quant/spec's order.
  logic signed [33:0] with_zp;
  assign with_zp = 34'(y) + 34'(zp_i);
  assign q_o = (with_zp < 34'(min_i)) ? min_i
             : (with_zp > 34'(max_i)) ? max_i
             : with_zp[7:0];
  assign x_o = x;
  assign y_o = y;

endmodule
