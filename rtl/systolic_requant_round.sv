// The second half of one column's requantizer (combinational): from systolic_requant_mul's product to the int8
// output, the rest of quant/spec `requantize` (systolic_requant.sv says what the modes are).
// single_i (single): y = sat32(floor((prod + 2^(t-1)) / 2^t)), t = 31 - shift, ties toward +infinity.
// else (double, ruy): SaturatingRoundingDoublingHighMul (nudge 2^30, or 1 - 2^30 for a negative product, then
//   truncate toward zero by 2^31; sat_i gives INT32_MAX), then the final shift by r = max(-shift, 0):
//   floor(t / 2^r) + (remainder > threshold) with threshold = 2^(r-1) - 1, plus 1 for a negative t when away_i
//   (double's RoundingDivideByPOT, ties away from zero; ruy's ties toward +infinity otherwise).
// Then the output stage: y + zp exact in 34 bits, clamped in quant/spec's order (v < min ? min : v > max ? max : v).
// Every input is the row's own: with RequantStages = 2, systolic_top gives it the stage register alone.
// en_i: a row in this cycle, as in systolic_requant_mul (without one the outputs are 'x and the datapath idles;
// the gated blocks are if/else for the reason given there).
`include "int8cosim_assert.svh"

module systolic_requant_round #(
  parameter int RoundingModes = 7
) (
  input  logic               en_i,      // a row in this cycle (else every output is 'x)
  input  logic signed [63:0] prod_i,    // systolic_requant_mul's product
  input  logic               sat_i,     // ... its SRDHM saturation case
  input  logic               single_i,  // ... and its mode decode
  input  logic               away_i,
  input  logic signed [7:0]  shift_i,   // the row's shift
  input  logic signed [7:0]  zp_i,
  input  logic signed [7:0]  min_i,
  input  logic signed [7:0]  max_i,
  output logic signed [31:0] y_o,       // multiplyByQuantizedMultiplier(x, m0, shift, mode)
  output logic signed [7:0]  q_o        // outputStage(y, zp, min, max)
);

  localparam logic signed [31:0] Int32Min = 32'sh8000_0000;
  localparam logic signed [31:0] Int32Max = 32'sh7fff_ffff;
  localparam bit HasSingle  = RoundingModes[0];
  localparam bit HasHighMul = RoundingModes[1] || RoundingModes[2];

  `ASSERT_STATIC(g_bad_modes, RoundingModes >= 1 && RoundingModes <= 7,
                 ("systolic_requant_round: RoundingModes must be a mask in [1, 7] (bit 0 single, 1 double, 2 ruy), got %0d", RoundingModes))

  logic signed [31:0] y;
  logic signed [31:0] y_single;
  logic signed [31:0] y_high_mul;

  if (HasSingle) begin : g_single
    logic        [6:0]  shr;      // t - 1 = 30 - shift, in [0, 61]
    logic signed [63:0] pre;      // floor(prod / 2^(t-1))
    logic signed [63:0] rounded;  // floor((prod + 2^(t-1)) / 2^t) = floor((pre + 1) / 2)
    always_comb begin
      if (en_i) begin
        shr     = 7'(8'sd30 - shift_i);
        pre     = prod_i >>> shr;
        rounded = (pre + 64'sd1) >>> 1;
        y_single = (rounded > 64'(Int32Max)) ? Int32Max
                 : (rounded < 64'(Int32Min)) ? Int32Min
                 : 32'(rounded);
      end else begin
        {shr, pre, rounded, y_single} = 'x;
      end
    end
  end else begin : g_no_single
    assign y_single = '0;  // never selected: single_i is 0
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
    logic        [31:0] threshold;

    always_comb begin
      if (en_i) begin
        right   = (shift_i > 8'sd0) ? 5'd0 : 5'(-shift_i);
        nudged  = prod_i + (prod_i < 64'sd0 ? 64'sd1 - 64'sd1073741824 : 64'sd1073741824);
        toward0 = (nudged < 64'sd0 ? nudged + 64'sd2147483647 : nudged) >>> 31;
        srdhm   = sat_i ? Int32Max : 32'(toward0);
        mask      = (32'd1 << right) - 32'd1;
        remainder = srdhm & mask;
        threshold = (mask >> 1) + {31'd0, srdhm < 32'sd0 && away_i};
        y_high_mul = (srdhm >>> right) + $signed({31'd0, remainder > threshold});
      end else begin
        {right, nudged, toward0, srdhm, mask, remainder, threshold, y_high_mul} = 'x;
      end
    end
  end else begin : g_no_high_mul
    assign y_high_mul = '0;  // never selected: single_i is 1
    // sat_i and away_i serve the high-mul alone (Verilator's -Wall ignores names matching *unused*).
    logic unused_high_mul;
    assign unused_high_mul = sat_i ^ away_i;
  end

  // The mode's result, then the output stage: the add of the zero point is exact (34 bits), then the clamp in
  // quant/spec's order.
  logic signed [33:0] with_zp;
  always_comb begin
    if (en_i) begin
      y = single_i ? y_single : y_high_mul;
      with_zp = 34'(y) + 34'(zp_i);
      q_o = (with_zp < 34'(min_i)) ? min_i
             : (with_zp > 34'(max_i)) ? max_i
             : 8'(with_zp);
    end else begin
      {y, with_zp, q_o} = 'x;
    end
  end
  assign y_o = y;

endmodule
