// Requantizer of one lane (combinational), the arithmetic of quant/spec (docs/SPEC.md):
//   x = wrap32(acc + bias)
//   y = multiplyByQuantizedMultiplier(x, m0, shift, mode)   cfg_i.mode (c_round_i): 0 single, 1 double, 2 ruy
//   q = clamp(y + zp, lo, hi)                          the add exact, the clamp tested low first (quant/spec order)
// single: y = sat32(floor((x * m0 + 2^(t-1)) / 2^t)), t = 31 - shift in [1, 62].
// double: y = RoundingDivideByPOT(SRDHM(wrap32(x * 2^l), m0), r), l = max(shift, 0), r = max(-shift, 0);
//   SRDHM = (a * b + nudge) / 2^31 truncated toward zero, nudge 2^30 (1 - 2^30 for a negative product),
//   SRDHM(INT32_MIN, INT32_MIN) = INT32_MAX; RoundingDivideByPOT rounds ties away from zero, here written as
//   floor((v + 2^(r-1) - [v < 0]) / 2^r) for r > 0.
// ruy:    y = floor((SRDHM(wrap32(x * 2^l), m0) + 2^(r-1)) / 2^r) for r > 0 (ties toward +infinity), SRDHM for r = 0.
// Each mode is its own block, built when its bit of RoundingModes is set; cfg_i.mode picks the result (a mode that is
// not built gives 0; the top asserts that the host never selects one).
`include "mesh_defs.svh"

module mesh_requant #(
  parameter int unsigned RoundingModes = 7
) (
  input  logic signed [31:0] acc_i,
  input  mesh_pkg::col_prm_t prm_i,  // the column's bias, m0, shift
  input  mesh_pkg::out_cfg_t cfg_i,  // zero point, clamps (lo, hi), rounding mode
  output logic signed [31:0] x_o,
  output logic signed [7:0]  q_o
);

  localparam logic signed [63:0] I32Max = 64'sd2147483647;
  localparam logic signed [63:0] I32Min = -64'sd2147483648;

  `MESH_STATIC_CHECK(g_bad_modes, RoundingModes >= 1 && RoundingModes <= 7,
                     ("mesh_requant: RoundingModes must be a mask in 1..7 (bit 0 single, 1 double, 2 ruy)"))

  logic signed [31:0] m0;
  logic signed [7:0]  shift;
  logic signed [31:0] x;
  logic signed [31:0] y;
  logic signed [31:0] y_single, y_double, y_ruy;

  assign m0    = prm_i.m0;
  assign shift = prm_i.shift;

  always_comb x = acc_i + prm_i.bias;  // wraps modulo 2^32

  always_comb begin
    unique case (cfg_i.mode)
      2'd0:    y = y_single;
      2'd1:    y = y_double;
      2'd2:    y = y_ruy;
      default: y = '0;
    endcase
  end

  if ((RoundingModes & 1) != 0) begin : g_single
    logic        [5:0]  t;       // 31 - shift
    logic signed [63:0] prod;    // |x * m0| <= 2^62
    logic signed [63:0] scaled;  // floor((prod + 2^(t-1)) / 2^t)

    always_comb begin
      t      = 6'(8'sd31 - shift);
      prod   = 64'(x) * 64'(m0);
      scaled = (prod + (64'sd1 <<< (t - 6'd1))) >>> t;
      if (scaled > I32Max)      y_single = I32Max[31:0];
      else if (scaled < I32Min) y_single = I32Min[31:0];
      else                      y_single = scaled[31:0];
    end
  end else begin : g_no_single
    assign y_single = '0;
  end

  for (genvar k = 1; k <= 2; k++) begin : g_high
    // k = 1: double (RoundingDivideByPOT), k = 2: ruy (ties toward +infinity); each built when its bit is set.
    if ((RoundingModes & (1 << k)) != 0) begin : g_on
      logic        [4:0]  left;
      logic        [5:0]  right;
      logic signed [31:0] xl;
      logic signed [63:0] ab;
      logic signed [63:0] num;
      logic        [31:0] mag;   // |num| / 2^31 truncated: below 2^31 except for INT32_MIN * INT32_MIN
      logic signed [31:0] high;  // SRDHM(xl, m0)
      logic signed [32:0] off;   // 2^(r-1), less [high < 0] for double; 0 for r = 0
      logic signed [31:0] res;

      always_comb begin
        left  = 5'd0;
        right = 6'd0;
        if (shift > 8'sd0) left = shift[4:0];
        else                 right = 6'(-7'(shift));
        xl  = x <<< left;  // wraps modulo 2^32, as TFLite's x * (1 << left)
        ab  = 64'(xl) * 64'(m0);
        num = ab + ((ab < 0) ? (64'sd1 - 64'sd1073741824) : 64'sd1073741824);
        // truncation toward zero: shift the magnitude, then put the sign back (|num| < 2^63: no overflow)
        mag = 32'(((num < 0) ? -num : num) >>> 31);
        if (xl == I32Min[31:0] && m0 == I32Min[31:0]) high = I32Max[31:0];
        else                                            high = (num < 0) ? -mag : mag;
        off = 33'sd0;
        if (right != 6'd0) off = (33'sd1 <<< (right - 6'd1)) - ((k == 1 && high < 0) ? 33'sd1 : 33'sd0);
        res = 32'((33'(high) + off) >>> right);
      end
      if (k == 1) begin : g_double
        assign y_double = res;
      end else begin : g_ruy
        assign y_ruy = res;
      end
    end else if (k == 1) begin : g_no_double
      assign y_double = '0;
    end else begin : g_no_ruy
      assign y_ruy = '0;
    end
  end

  logic signed [33:0] v;
  always_comb begin
    v = 34'(y) + 34'(cfg_i.zp);
    if (v < 34'(cfg_i.lo))      q_o = cfg_i.lo;
    else if (v > 34'(cfg_i.hi)) q_o = cfg_i.hi;
    else                        q_o = v[7:0];
  end

  assign x_o = x;

endmodule
