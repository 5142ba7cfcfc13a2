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
`include "int8cosim_assert.svh"

module systolic_requant #(
  parameter int RoundingModes = 7
) (
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

  localparam logic signed [31:0] Int32Min = 32'sh8000_0000;
  localparam logic signed [31:0] Int32Max = 32'sh7fff_ffff;
  localparam logic [1:0] RoundSingle = 2'd0;
  localparam logic [1:0] RoundRuy    = 2'd2;
  localparam bit HasSingle  = RoundingModes[0];
  localparam bit HasDouble  = RoundingModes[1];
  localparam bit HasRuy     = RoundingModes[2];
  localparam bit HasHighMul = HasDouble || HasRuy;

  `ASSERT_STATIC(g_bad_modes, RoundingModes >= 1 && RoundingModes <= 7,
                 ("systolic_requant: RoundingModes must be a mask in [1, 7] (bit 0 single, 1 double, 2 ruy), got %0d", RoundingModes))

  logic signed [31:0] x;
  logic signed [31:0] y;
  assign x = acc_i + bias_i;   // wraps modulo 2^32

  // The mode's datapath: single when it is selected (or the only one built), else the high-mul.
  logic use_single;
  assign use_single = HasSingle && (!HasHighMul || round_i == RoundSingle);

  // The one product: |x * m0| <= 2^62 and |wrap32(x << l) * m0| <= 2^62, so it fits in 64 signed bits.
  logic        [4:0]  left;      // max(shift, 0), in [0, 30]
  logic signed [31:0] xl;        // wrap32(x * 2^left)
  logic signed [31:0] mul_a;
  logic signed [63:0] prod;
  assign left  = (shift_i > 8'sd0) ? shift_i[4:0] : 5'd0;
  assign xl    = x <<< left;
  assign mul_a = use_single ? x : xl;
  assign prod  = 64'(mul_a) * 64'(m0_i);

  logic signed [31:0] y_single;
  logic signed [31:0] y_high_mul;

  if (HasSingle) begin : g_single
    logic        [6:0]  shr;      // t - 1 = 30 - shift, in [0, 61]
    logic signed [63:0] pre;      // floor(prod / 2^(t-1))
    logic signed [63:0] rounded;  // floor((prod + 2^(t-1)) / 2^t) = floor((pre + 1) / 2)
    assign shr     = 7'(8'sd30 - shift_i);
    assign pre     = prod >>> shr;
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
    // INT32_MIN * INT32_MIN, which is caught below); the upper bits are sign copies.
    /* verilator lint_off UNUSEDSIGNAL */
    logic signed [63:0] toward0;   // nudged / 2^31 truncated toward zero
    /* verilator lint_on UNUSEDSIGNAL */
    logic signed [31:0] srdhm;
    logic        [31:0] mask;
    logic        [31:0] remainder;
    logic               away;      // ties away from zero (double) rather than toward +infinity (ruy)
    logic        [31:0] threshold;

    assign right   = (shift_i > 8'sd0) ? 5'd0 : 5'(-shift_i);
    assign nudged  = prod + (prod[63] ? 64'sd1 - 64'sd1073741824 : 64'sd1073741824);
    assign toward0 = (nudged[63] ? nudged + 64'sd2147483647 : nudged) >>> 31;
    assign srdhm   = (xl == Int32Min && m0_i == Int32Min) ? Int32Max : toward0[31:0];
    assign mask      = (32'd1 << right) - 32'd1;
    assign remainder = srdhm & mask;
    assign away      = HasDouble && (!HasRuy || round_i != RoundRuy);
    assign threshold = (mask >> 1) + {31'd0, srdhm[31] && away};
    assign y_high_mul = (srdhm >>> right) + $signed({31'd0, remainder > threshold});
  end else begin : g_no_high_mul
    assign y_high_mul = '0;  // never selected: use_single is 1
  end

  assign y = use_single ? y_single : y_high_mul;

  // Output stage: the add of the zero point is exact (34 bits), then the clamp in quant/spec's order.
  logic signed [33:0] with_zp;
  assign with_zp = 34'(y) + 34'(zp_i);
  assign q_o = (with_zp < 34'(min_i)) ? min_i
             : (with_zp > 34'(max_i)) ? max_i
             : with_zp[7:0];
  assign x_o = x;
  assign y_o = y;

endmodule
