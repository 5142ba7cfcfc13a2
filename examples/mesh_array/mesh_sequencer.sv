// The mesh's sequencer: the per-tensor output configuration (zero point, clamps, rounding mode), the control line that carries each beat's
// {en, first, last, addr} alongside its data, and the output row's valid bit and address.
//   control line: Rows+Cols-1 registers, so that a beat of cycle t reaches the accumulate stage in cycle
//   t+Rows+Cols-1 with its de-skewed sums; the stage before it is tapped as the early read address.
//   accumulate stage: acc_valid_q <= en & last; acc_addr_q <= addr on en & last, else holds.
//   requantize stage: out_valid_q <= acc_valid_q; out_addr_q <= acc_addr_q when acc_valid_q, else holds.
`include "mesh_defs.svh"

module mesh_sequencer #(
  parameter int unsigned Rows     = 8,
  parameter int unsigned Cols     = 8,
  parameter int unsigned AccDepth = 1024,
  localparam int unsigned AddrW   = `MESH_IDX_W(AccDepth)
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  // output configuration
  input  logic             cfg_we_i,
  input  logic [7:0]       cfg_zp_i,
  input  logic [7:0]       cfg_lo_i,
  input  logic [7:0]       cfg_hi_i,
  input  logic [1:0]       cfg_mode_i,
  output logic [7:0]       zp_o,
  output logic [7:0]       lo_o,
  output logic [7:0]       hi_o,
  output logic [1:0]       mode_o,
  // the beat as it arrives on the ports
  input  logic             beat_en_i,
  input  logic             beat_first_i,
  input  logic             beat_last_i,
  input  logic [AddrW-1:0] beat_addr_i,
  // the accumulate stage, and the address one stage earlier
  output logic             acc_en_o,
  output logic             acc_first_o,
  output logic             acc_last_o,
  output logic [AddrW-1:0] acc_addr_o,
  output logic [AddrW-1:0] rd_addr_o,
  // the requantize stage and the output row
  output logic             acc_valid_o,
  output logic             out_valid_o,
  output logic [AddrW-1:0] out_addr_o
);

  localparam int unsigned LineW = 3 + AddrW;

  // ---- output configuration -----------------------------------------------------------------------------------
  logic [25:0] cfg_q, cfg_d;
  always_comb begin
    cfg_d = cfg_q;
    if (cfg_we_i) cfg_d = {cfg_mode_i, cfg_hi_i, cfg_lo_i, cfg_zp_i};
  end
  `MESH_FF(cfg_q, cfg_d)
  assign {mode_o, hi_o, lo_o, zp_o} = cfg_q;

  // ---- control line: Rows+Cols-2 registers to the read tap, one more to the accumulate stage ----------------
  logic [LineW-1:0] line_early;
  logic [LineW-1:0] line_acc;

  mesh_pipe #(
    .Width (LineW),
    .Stages(Rows + Cols - 2)
  ) u_line (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .in_i  ({beat_en_i, beat_first_i, beat_last_i, beat_addr_i}),
    .out_o (line_early)
  );

  mesh_pipe #(
    .Width (LineW),
    .Stages(1)
  ) u_line_last (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .in_i  (line_early),
    .out_o (line_acc)
  );

  assign rd_addr_o = line_early[AddrW-1:0];
  assign {acc_en_o, acc_first_o, acc_last_o, acc_addr_o} = line_acc;

  // ---- accumulate and requantize stages -----------------------------------------------------------------------
  logic             acc_valid_q, acc_valid_d;
  logic [AddrW-1:0] acc_addr_q, acc_addr_d;
  logic             out_valid_q;
  logic [AddrW-1:0] out_addr_q, out_addr_d;

  always_comb begin
    acc_valid_d = acc_en_o && acc_last_o;
    acc_addr_d  = acc_valid_d ? acc_addr_o : acc_addr_q;
    out_addr_d  = acc_valid_q ? acc_addr_q : out_addr_q;
  end

  `MESH_FF(acc_valid_q, acc_valid_d)
  `MESH_FF(acc_addr_q, acc_addr_d)
  `MESH_FF(out_valid_q, acc_valid_q)
  `MESH_FF(out_addr_q, out_addr_d)

  assign acc_valid_o = acc_valid_q;
  assign out_valid_o = out_valid_q;
  assign out_addr_o  = out_addr_q;

endmodule
