// Command decoder and controller: decodes weight-row writes, holds the requantization parameters (per column)
// and the per-tensor output configuration (zero point, clamps, the requantizer's rounding mode), and carries each beat's control bits (en, first, last, addr) down a
// line of Rows+Cols-1 registers so that they meet the de-skewed column sums in the accumulate cycle. The line is
// tapped one stage early (rd_addr_o) so that the accumulator memory can be read synchronously.
module systolic_ctrl #(
  parameter int Rows     = 8,
  parameter int Cols     = 8,
  parameter int AccDepth = 1024,
  localparam int RowW  = $clog2(Rows),
  localparam int ColW  = $clog2(Cols),
  localparam int AddrW = $clog2(AccDepth)
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // weights
  input  logic               w_en_i,
  input  logic [RowW-1:0]    w_row_i,
  output logic [Rows-1:0]    w_row_en_o,
  // activation beat control
  input  logic               a_en_i,
  input  logic               a_first_i,
  input  logic               a_last_i,
  input  logic [AddrW-1:0]   a_addr_i,
  // requantization parameters of one column
  input  logic               p_en_i,
  input  logic [ColW-1:0]    p_col_i,
  input  logic [31:0]        p_bias_i,
  input  logic [31:0]        p_m0_i,
  input  logic [7:0]         p_shift_i,
  // per-tensor output configuration
  input  logic               c_en_i,
  input  logic [7:0]         c_zp_i,
  input  logic [7:0]         c_min_i,
  input  logic [7:0]         c_max_i,
  input  logic [1:0]         c_round_i,
  // the held parameters (column c in bits [32c +: 32] or [8c +: 8])
  output logic [32*Cols-1:0] bias_o,
  output logic [32*Cols-1:0] m0_o,
  output logic [8*Cols-1:0]  shift_o,
  output logic [7:0]         zp_o,
  output logic [7:0]         min_o,
  output logic [7:0]         max_o,
  output logic [1:0]         round_o,
  // the control line: one stage before the accumulate cycle, and the accumulate cycle itself
  output logic [AddrW-1:0]   rd_addr_o,
  output logic               acc_en_o,
  output logic               acc_first_o,
  output logic               acc_last_o,
  output logic [AddrW-1:0]   acc_addr_o
);

  // Weight-row decode.
  for (genvar r = 0; r < Rows; r++) begin : g_row_dec
    assign w_row_en_o[r] = w_en_i && (w_row_i == RowW'(r));
  end

  // Parameter registers. A column's bias_q, m0_q and shift_q are enable flops (they load only when written), not
  // a hold multiplexer: the Verilated model then evaluates a write at the clock edge instead of with every input.
  for (genvar c = 0; c < Cols; c++) begin : g_col_dec
    logic        sel;
    logic [31:0] bias_q;
    logic [31:0] m0_q;
    logic [7:0]  shift_q;
    assign sel = p_en_i && (p_col_i == ColW'(c));
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        bias_q  <= '0;
        m0_q    <= '0;
        shift_q <= '0;
      end else if (sel) begin
        bias_q  <= p_bias_i;
        m0_q    <= p_m0_i;
        shift_q <= p_shift_i;
      end
    end
    assign bias_o[32*c +: 32] = bias_q;
    assign m0_o[32*c +: 32]   = m0_q;
    assign shift_o[8*c +: 8]  = shift_q;
  end

  logic [7:0]         zp_q, zp_d;
  logic [7:0]         min_q, min_d;
  logic [7:0]         max_q, max_d;
  logic [1:0]         round_q, round_d;

  assign zp_d  = c_en_i ? c_zp_i  : zp_q;
  assign min_d = c_en_i ? c_min_i : min_q;
  assign max_d = c_en_i ? c_max_i : max_q;
  assign round_d = c_en_i ? c_round_i : round_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      zp_q    <= '0;
      min_q   <= '0;
      max_q   <= '0;
      round_q <= '0;
    end else begin
      zp_q    <= zp_d;
      min_q   <= min_d;
      max_q   <= max_d;
      round_q <= round_d;
    end
  end

  assign zp_o    = zp_q;
  assign min_o   = min_q;
  assign max_o   = max_q;
  assign round_o = round_q;

  // Control line: Rows+Cols-2 registers to the read tap, one more to the accumulate stage.
  localparam int LineW = AddrW + 3;
  logic [LineW-1:0] line_in, line_pre, line_acc;
  assign line_in = {a_en_i, a_first_i, a_last_i, a_addr_i};

  systolic_delay #(
    .Width(LineW),
    .Depth(Rows + Cols - 2)
  ) u_line_pre (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .in_i  (line_in),
    .out_o (line_pre)
  );

  systolic_delay #(
    .Width(LineW),
    .Depth(1)
  ) u_line_acc (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .in_i  (line_pre),
    .out_o (line_acc)
  );

  assign rd_addr_o = line_pre[AddrW-1:0];
  assign {acc_en_o, acc_first_o, acc_last_o, acc_addr_o} = line_acc;

endmodule
