// The mesh's sequencer: the per-tensor output configuration (zero point, clamps, rounding mode), the control line that
// carries each beat's {en, first, last, addr} alongside its data, and the output row's valid bit and address.
//   control line: Rows+Cols-1 registers, so that a beat of cycle t reaches the accumulate stage in cycle
//   t+Rows+Cols-1 with its de-skewed sums (acc_ctl_o); the stage before it is tapped as the early read address.
//   accumulate stage: acc_valid_q <= en & last; acc_addr_q <= addr on en & last, else holds.
//   requantize stage: out_valid_q <= acc_valid_q; out_addr_q <= acc_addr_q when acc_valid_q, else holds.
`include "mesh_defs.svh"

module mesh_sequencer #(
  parameter int unsigned Rows     = 8,
  parameter int unsigned Cols     = 8,
  parameter int unsigned AccDepth = 1024,
  localparam int unsigned AddrW   = `MESH_IDX_W(AccDepth),
  localparam int unsigned LineW   = 3 + AddrW
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // output configuration
  input  logic               cfg_we_i,
  input  mesh_pkg::out_cfg_t cfg_i,
  output mesh_pkg::out_cfg_t cfg_o,
  // the beat as it arrives on the ports
  input  logic               beat_en_i,
  input  logic               beat_first_i,
  input  logic               beat_last_i,
  input  logic [AddrW-1:0]   beat_addr_i,
  // the accumulate stage {en, first, last, addr}, and the address one stage earlier
  output logic [LineW-1:0]   acc_ctl_o,
  output logic [AddrW-1:0]   rd_addr_o,
  // the requantize stage and the output row
  output logic               acc_valid_o,
  output logic               out_valid_o,
  output logic [AddrW-1:0]   out_addr_o
);

  // ---- output configuration -----------------------------------------------------------------------------------
  mesh_pkg::out_cfg_t cfg_q;
  `MESH_FFL(cfg_q, cfg_i, cfg_we_i)
  assign cfg_o = cfg_q;

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
  assign acc_ctl_o = line_acc;

  // ---- accumulate and requantize stages -----------------------------------------------------------------------
  logic             acc_load;  // the beat at the accumulate stage is a last one: en & last of line_acc
  logic             acc_valid_q;
  logic [AddrW-1:0] acc_addr_q;
  logic             out_valid_q;
  logic [AddrW-1:0] out_addr_q;

  assign acc_load = line_acc[LineW-1] && line_acc[AddrW];  // line_acc = {en, first, last, addr}

  `MESH_FF(acc_valid_q, acc_load)
  `MESH_FFL(acc_addr_q, line_acc[AddrW-1:0], acc_load)
  `MESH_FF(out_valid_q, acc_valid_q)
  `MESH_FFL(out_addr_q, acc_addr_q, acc_valid_q)

  assign acc_valid_o = acc_valid_q;
  assign out_valid_o = out_valid_q;
  assign out_addr_o  = out_addr_q;

endmodule
