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
    // Stage i holds in_i of i+1 cycles ago, in bits [Width*i +: Width]; the line shifts towards higher stages.
    logic [Width*Depth-1:0] line_q, line_d;
    if (Depth == 1) begin : g_one
      assign line_d = in_i;
    end else begin : g_many
      assign line_d = {line_q[Width*(Depth-1)-1:0], in_i};
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) line_q <= '0;
      else         line_q <= line_d;
    end
    assign out_o = line_q[Width*Depth-1 -: Width];
  end

endmodule
