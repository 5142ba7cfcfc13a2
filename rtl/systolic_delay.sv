// A delay line: out_o is in_i of Depth cycles earlier (a plain wire when Depth is 0). Every stage resets to 0.
`include "int8cosim_assert.svh"

module systolic_delay #(
  parameter int Width = 1,
  parameter int Depth = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [Width-1:0] in_i,
  output logic [Width-1:0] out_o
);

  `ASSERT_STATIC(g_bad_params, Width >= 1 && Depth >= 0,
                 ("systolic_delay: need Width >= 1 and Depth >= 0, got Width=%0d Depth=%0d", Width, Depth))

  if (Depth == 0) begin : g_wire
    // No register: clk_i and rst_ni have no load (Verilator's -Wall ignores names matching *unused*).
    logic unused_clk_rst;
    assign unused_clk_rst = clk_i ^ rst_ni;
    assign out_o = in_i;
  end else begin : g_line
    // Stage i (g_stage[i].line_q) holds in_i of i+1 cycles ago; the line shifts towards higher stages. A register
    // of its own per stage rather than one wide vector: the Verilated model copies each stage instead of shifting
    // a multi-word vector.
    for (genvar i = 0; i < Depth; i++) begin : g_stage
      logic [Width-1:0] line_q, line_d;
      if (i == 0) begin : g_first
        assign line_d = in_i;
      end else begin : g_next
        assign line_d = g_stage[i-1].line_q;
      end
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) line_q <= '0;
        else         line_q <= line_d;
      end
    end
    assign out_o = g_stage[Depth-1].line_q;
  end

endmodule
