// Skew (or de-skew) of Lanes parallel lanes: lane j passes through j registers (Descending = 0: the input skew
// of the activation rows) or through Lanes-1-j registers (Descending = 1: the de-skew of the column sums).
// Lane j occupies bits [Width*j +: Width] of in_i and out_o.
module systolic_skew #(
  parameter int Lanes      = 2,
  parameter int Width      = 8,
  parameter bit Descending = 1'b0
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic [Width*Lanes-1:0] in_i,
  output logic [Width*Lanes-1:0] out_o
);

  for (genvar j = 0; j < Lanes; j++) begin : g_lane
    systolic_delay #(
      .Width(Width),
      .Depth(Descending ? Lanes - 1 - j : j)
    ) u_delay (
      .clk_i (clk_i),
      .rst_ni(rst_ni),
      .in_i  (in_i[Width*j +: Width]),
      .out_o (out_o[Width*j +: Width])
    );
  end

endmodule
