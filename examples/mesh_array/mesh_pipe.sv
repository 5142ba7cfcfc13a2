// A pipe of Stages registers of Width bits (a wire for Stages = 0): out_o is in_i delayed by Stages cycles.
// Used for the input skew, the de-skew and the control line of the mesh.
`include "mesh_defs.svh"

module mesh_pipe #(
  parameter int unsigned Width  = 1,
  parameter int unsigned Stages = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [Width-1:0] in_i,
  output logic [Width-1:0] out_o
);

  if (Stages == 0) begin : g_wire
    // Waiver: a zero-stage pipe has no flop, so its clock and reset are not read.
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused_clk_rst;
    /* verilator lint_on UNUSEDSIGNAL */
    assign unused_clk_rst = clk_i ^ rst_ni;
    assign out_o = in_i;
  end else begin : g_regs
    logic [Width-1:0] stage_q [Stages];
    logic [Width-1:0] stage_d [Stages];

    always_comb begin
      stage_d[0] = in_i;
      for (int unsigned s = 1; s < Stages; s++) stage_d[s] = stage_q[s-1];
    end

    for (genvar s = 0; s < Stages; s++) begin : g_stage
      `MESH_FF(stage_q[s], stage_d[s])
    end

    assign out_o = stage_q[Stages-1];
  end

endmodule
