// int8cosim weight-stationary systolic array: the ports, timing and registers of docs/ARCHITECTURE.md.
// An activation beat presented in cycle t leaves as an output row in cycle t + Rows + Cols + RequantStages: with
// RequantStages = 1 (the default) the cycle contract's t + Rows + Cols + 1; with 2 one cycle later, the
// transaction-level contract of section 13 alone (a register stage in the requantizer, for timing).
//
//   ports -> u_ctrl (weight-row decode, parameter registers, control line)
//         -> u_skew (row r delayed r cycles) -> u_array (PEs) -> u_deskew (column c delayed Cols-1-c cycles)
//         -> u_acc (accumulator memory, acc_q) -> g_requant.g_col[c].u_requant -> u_out (o_*_q)        (1 stage)
//            or g_requant_piped.g_col[c].u_mul -> mid_*_q -> g_requant_piped.g_col[c].u_round -> u_out  (2 stages)
`include "int8cosim_assert.svh"
`include "int8cosim_ports.svh"

module systolic_top #(
  parameter int Rows         = 8,
  parameter int Cols         = 8,
  parameter int AccDepth     = 1024,
  parameter int RoundingModes = 7,  // bit i: the requantizer implements the mode of c_round_i code i
  parameter int RequantStages = 1,  // 1: the cycle contract; 2: the product registered (latency one more)
  localparam int AddrW = $clog2(AccDepth)
) (
  `INT8COSIM_PORTS  // the ports of docs/ARCHITECTURE.md section 3, rendered from hw-sim/contract
);

  // ---------------------------------------------------------------------------------------------------------
  // Parameter checks (elaboration time)
  // ---------------------------------------------------------------------------------------------------------
  `ASSERT_STATIC(g_bad_rows, Rows >= 2 && Rows <= 32, ("systolic_top: Rows must be in [2, 32], got %0d", Rows))
  `ASSERT_STATIC(g_bad_cols, Cols >= 2 && Cols <= 32, ("systolic_top: Cols must be in [2, 32], got %0d", Cols))
  `ASSERT_STATIC(g_bad_depth, AccDepth >= 2 && AccDepth <= 4096 && (AccDepth & (AccDepth - 1)) == 0,
                 ("systolic_top: AccDepth must be a power of two in [2, 4096], got %0d", AccDepth))
  `ASSERT_STATIC(g_bad_modes, RoundingModes >= 1 && RoundingModes <= 7,
                 ("systolic_top: RoundingModes must be a mask in [1, 7] (bit 0 single, 1 double, 2 ruy), got %0d", RoundingModes))
  `ASSERT_STATIC(g_bad_stages, RequantStages == 1 || RequantStages == 2,
                 ("systolic_top: RequantStages must be 1 or 2, got %0d", RequantStages))

  // ---------------------------------------------------------------------------------------------------------
  // Controller
  // ---------------------------------------------------------------------------------------------------------
  logic [Rows-1:0]    w_row_en;
  logic [32*Cols-1:0] bias;
  logic [32*Cols-1:0] m0;
  logic [8*Cols-1:0]  shift;
  logic [7:0]         zp;
  logic [7:0]         act_min;
  logic [7:0]         act_max;
  logic [1:0]         round;
  logic [AddrW-1:0]   rd_addr;
  logic               acc_en;
  logic               acc_first;
  logic               acc_last;
  logic [AddrW-1:0]   acc_addr;

  systolic_ctrl #(
    .Rows    (Rows),
    .Cols    (Cols),
    .AccDepth(AccDepth)
  ) u_ctrl (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .w_en_i     (w_en_i),
    .w_row_i    (w_row_i),
    .w_row_en_o (w_row_en),
    .a_en_i     (a_en_i),
    .a_first_i  (a_first_i),
    .a_last_i   (a_last_i),
    .a_addr_i   (a_addr_i),
    .p_en_i     (p_en_i),
    .p_col_i    (p_col_i),
    .p_bias_i   (p_bias_i),
    .p_m0_i     (p_m0_i),
    .p_shift_i  (p_shift_i),
    .c_en_i     (c_en_i),
    .c_zp_i     (c_zp_i),
    .c_min_i    (c_min_i),
    .c_max_i    (c_max_i),
    .c_round_i  (c_round_i),
    .bias_o     (bias),
    .m0_o       (m0),
    .shift_o    (shift),
    .zp_o       (zp),
    .min_o      (act_min),
    .max_o      (act_max),
    .round_o    (round),
    .rd_addr_o  (rd_addr),
    .acc_en_o   (acc_en),
    .acc_first_o(acc_first),
    .acc_last_o (acc_last),
    .acc_addr_o (acc_addr)
  );

  // ---------------------------------------------------------------------------------------------------------
  // Input skew: row r = {bank, valid, activation} passes through r registers
  // ---------------------------------------------------------------------------------------------------------
  logic [10*Rows-1:0] skew_in;
  logic [10*Rows-1:0] skew_out;
  logic [8*Rows-1:0]  row_a;
  logic [Rows-1:0]    row_v;
  logic [Rows-1:0]    row_bank;

  for (genvar r = 0; r < Rows; r++) begin : g_row
    assign skew_in[10*r +: 10] = {a_bank_i, a_en_i, a_data_i[8*r +: 8]};
    assign row_a[8*r +: 8]     = skew_out[10*r +: 8];
    assign row_v[r]            = skew_out[10*r + 8];
    assign row_bank[r]         = skew_out[10*r + 9];
  end

  systolic_skew #(
    .Lanes     (Rows),
    .Width     (10),
    .Descending(1'b0)
  ) u_skew (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .in_i  (skew_in),
    .out_o (skew_out)
  );

  // ---------------------------------------------------------------------------------------------------------
  // PE array and de-skew: column c's bottom psum_q passes through Cols-1-c registers
  // ---------------------------------------------------------------------------------------------------------
  logic [32*Cols-1:0] col_psum;
  logic [32*Cols-1:0] aligned_psum;

  systolic_array #(
    .Rows(Rows),
    .Cols(Cols)
  ) u_array (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .w_row_en_i(w_row_en),
    .w_bank_i  (w_bank_i),
    .w_data_i  (w_data_i),
    .a_i       (row_a),
    .v_i       (row_v),
    .bank_i    (row_bank),
    .psum_o    (col_psum)
  );

  systolic_skew #(
    .Lanes     (Cols),
    .Width     (32),
    .Descending(1'b1)
  ) u_deskew (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .in_i  (col_psum),
    .out_o (aligned_psum)
  );

  // ---------------------------------------------------------------------------------------------------------
  // Accumulators
  // ---------------------------------------------------------------------------------------------------------
  logic [32*Cols-1:0] acc;
  logic               acc_valid;
  logic [AddrW-1:0]   acc_out_addr;

  systolic_acc #(
    .Cols    (Cols),
    .AccDepth(AccDepth)
  ) u_acc (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .rd_addr_i  (rd_addr),
    .en_i       (acc_en),
    .first_i    (acc_first),
    .last_i     (acc_last),
    .addr_i     (acc_addr),
    .psum_i     (aligned_psum),
    .acc_o      (acc),
    .acc_valid_o(acc_valid),
    .acc_addr_o (acc_out_addr)
  );

  // ---------------------------------------------------------------------------------------------------------
  // Requantizers: the row the output registers take (req_*)
  // ---------------------------------------------------------------------------------------------------------
  logic               req_valid;
  logic [AddrW-1:0]   req_addr;
  logic [32*Cols-1:0] req_x;
  logic [8*Cols-1:0]  req_q;

  if (RequantStages == 1) begin : g_requant
    // In the requantize cycle of section 4: the row of acc_q under the parameter and configuration registers.
    for (genvar c = 0; c < Cols; c++) begin : g_col
      logic signed [31:0] y_unused;  // the multiplier output is exposed for the requantizer's own test only
      systolic_requant #(
        .RoundingModes(RoundingModes)
      ) u_requant (
        .en_i   (acc_valid),
        .acc_i  (acc[32*c +: 32]),
        .bias_i (bias[32*c +: 32]),
        .m0_i   (m0[32*c +: 32]),
        .shift_i(shift[8*c +: 8]),
        .zp_i   (zp),
        .min_i  (act_min),
        .max_i  (act_max),
        .round_i(round),
        .x_o    (req_x[32*c +: 32]),
        .y_o    (y_unused),
        .q_o    (req_q[8*c +: 8])
      );
    end
    assign req_valid = acc_valid;
    assign req_addr  = acc_out_addr;
  end else begin : g_requant_piped
    // Stage 1 (u_mul) in the requantize cycle, reading the parameter and configuration registers then, as the
    // contract does; stage 2 (u_round) in the cycle after, reading the stage register mid_*_q alone. The
    // parameter hazard of section 13: the compiler writes the next N-tile's parameters of column c in cycle
    // p + c, p the requantize cycle of the previous N-tile's last row (section 9), and rule 3 of section 5 lets
    // a configuration write fall in p too, so one cycle after p those registers may already serve the next
    // rows. The stage register carries with the row what stage 2 needs: per column the product, x, the shift
    // and the saturation bit; once the decoded rounding mode, the zero point, the clamps, valid and address.
    // Loaded with a valid row, held otherwise (as the output registers are).
    logic              mid_valid_q, mid_valid_d;
    logic [AddrW-1:0]  mid_addr_q, mid_addr_d;
    logic [1:0]        mid_mode_q, mid_mode_d;  // {single, away}: systolic_requant_mul's decode of round_q
    logic [7:0]        mid_zp_q, mid_zp_d;
    logic [7:0]        mid_min_q, mid_min_d;
    logic [7:0]        mid_max_q, mid_max_d;
    // Waiver: every column decodes the same rounding mode; the stage register keeps column 0's decode.
    /* verilator lint_off UNUSEDSIGNAL */
    logic [Cols-1:0]   col_single;
    logic [Cols-1:0]   col_away;
    /* verilator lint_on UNUSEDSIGNAL */

    for (genvar c = 0; c < Cols; c++) begin : g_col
      logic signed [31:0] mul_x;
      logic signed [63:0] mul_prod;
      logic               mul_sat;
      logic signed [31:0] mid_x_q, mid_x_d;
      logic signed [63:0] mid_prod_q, mid_prod_d;
      logic               mid_sat_q, mid_sat_d;
      logic signed [7:0]  mid_shift_q, mid_shift_d;
      logic signed [31:0] y_unused;  // the multiplier output is exposed for the requantizer's own test only

      systolic_requant_mul #(
        .RoundingModes(RoundingModes)
      ) u_mul (
        .en_i    (acc_valid),
        .acc_i   (acc[32*c +: 32]),
        .bias_i  (bias[32*c +: 32]),
        .m0_i    (m0[32*c +: 32]),
        .shift_i (shift[8*c +: 8]),
        .round_i (round),
        .x_o     (mul_x),
        .prod_o  (mul_prod),
        .sat_o   (mul_sat),
        .single_o(col_single[c]),
        .away_o  (col_away[c])
      );

      assign mid_x_d     = acc_valid ? mul_x : mid_x_q;
      assign mid_prod_d  = acc_valid ? mul_prod : mid_prod_q;
      assign mid_sat_d   = acc_valid ? mul_sat : mid_sat_q;
      assign mid_shift_d = acc_valid ? shift[8*c +: 8] : mid_shift_q;
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) {mid_x_q, mid_prod_q, mid_sat_q, mid_shift_q} <= '0;
        else         {mid_x_q, mid_prod_q, mid_sat_q, mid_shift_q} <= {mid_x_d, mid_prod_d, mid_sat_d, mid_shift_d};
      end

      systolic_requant_round #(
        .RoundingModes(RoundingModes)
      ) u_round (
        .en_i    (mid_valid_q),
        .prod_i  (mid_prod_q),
        .sat_i   (mid_sat_q),
        .single_i(mid_mode_q[1]),
        .away_i  (mid_mode_q[0]),
        .shift_i (mid_shift_q),
        .zp_i    (mid_zp_q),
        .min_i   (mid_min_q),
        .max_i   (mid_max_q),
        .y_o     (y_unused),
        .q_o     (req_q[8*c +: 8])
      );
      assign req_x[32*c +: 32] = mid_x_q;
    end

    assign mid_valid_d = acc_valid;
    assign mid_addr_d  = acc_valid ? acc_out_addr : mid_addr_q;
    assign mid_mode_d  = acc_valid ? {col_single[0], col_away[0]} : mid_mode_q;
    assign {mid_zp_d, mid_min_d, mid_max_d} = acc_valid ? {zp, act_min, act_max} : {mid_zp_q, mid_min_q, mid_max_q};
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) {mid_valid_q, mid_addr_q, mid_mode_q, mid_zp_q, mid_min_q, mid_max_q} <= '0;
      else         {mid_valid_q, mid_addr_q, mid_mode_q, mid_zp_q, mid_min_q, mid_max_q} <=
                   {mid_valid_d, mid_addr_d, mid_mode_d, mid_zp_d, mid_min_d, mid_max_d};
    end
    assign req_valid = mid_valid_q;
    assign req_addr  = mid_addr_q;
  end

  // ---------------------------------------------------------------------------------------------------------
  // Output registers (u_out: o_valid_q, o_addr_q, o_data_q, o_acc_q; a valid row loads them, they hold otherwise)
  // ---------------------------------------------------------------------------------------------------------
  systolic_out #(
    .Cols    (Cols),
    .AccDepth(AccDepth)
  ) u_out (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .valid_i  (req_valid),
    .addr_i   (req_addr),
    .data_i   (req_q),
    .acc_i    (req_x),
    .o_valid_o(o_valid_o),
    .o_addr_o (o_addr_o),
    .o_data_o (o_data_o),
    .o_acc_o  (o_acc_o)
  );

  // ---------------------------------------------------------------------------------------------------------
  // Simulation assertions (int8cosim_assert.svh): the cheap host duties of docs/ARCHITECTURE.md section 5, and
  // known outputs. Checked at every rising edge out of reset; nothing under synthesis.
  // ---------------------------------------------------------------------------------------------------------
  `ASSERT(WRowInRange_A, !w_en_i || 32'(w_row_i) < 32'(Rows), clk_i, rst_ni,
          ("systolic_top: w_row_i = %0d is not a PE row (Rows = %0d)", w_row_i, Rows))
  `ASSERT(AAddrInRange_A, !a_en_i || 32'(a_addr_i) < 32'(AccDepth), clk_i, rst_ni,
          ("systolic_top: a_addr_i = %0d >= AccDepth = %0d", a_addr_i, AccDepth))
  `ASSERT(PColInRange_A, !p_en_i || 32'(p_col_i) < 32'(Cols), clk_i, rst_ni,
          ("systolic_top: p_col_i = %0d is not a column (Cols = %0d)", p_col_i, Cols))
  `ASSERT(PM0NotNegative_A, !p_en_i || !p_m0_i[31], clk_i, rst_ni,
          ("systolic_top: p_m0_i = %0d is negative", $signed(p_m0_i)))
  `ASSERT(PShiftInRange_A, !p_en_i || ($signed(p_shift_i) >= -8'sd31 && $signed(p_shift_i) <= 8'sd30), clk_i, rst_ni,
          ("systolic_top: p_shift_i = %0d is outside [-31, 30]", $signed(p_shift_i)))
  `ASSERT(CRoundImplemented_A, !c_en_i || ((32'(RoundingModes) >> c_round_i) & 32'd1) == 32'd1, clk_i, rst_ni,
          ("systolic_top: c_round_i = %0d selects a rounding mode this build does not implement (RoundingModes = %0d)",
           c_round_i, RoundingModes))
  `ASSERT_KNOWN(OValidKnown_A, o_valid_o, clk_i, rst_ni)
  `ASSERT_KNOWN(OAddrKnown_A, o_addr_o, clk_i, rst_ni)
  `ASSERT_KNOWN(ODataKnown_A, o_data_o, clk_i, rst_ni)
  `ASSERT_KNOWN(OAccKnown_A, o_acc_o, clk_i, rst_ni)

endmodule
