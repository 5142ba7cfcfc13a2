// ofifo_clock_gate: a glitch-free clock gate (after lowRISC's prim_clock_gating, generic version): the enable is
// taken by a latch that is open while clk_i is low, so clk_o has a rising edge exactly when clk_i has one and
// en_i was 1 during the cycle that edge ends. A library cell (an ICG) takes its place in a real flow.
module ofifo_clock_gate (
  input  logic clk_i,
  input  logic en_i,
  output logic clk_o
);

  logic en_latch;

  always_latch begin
    if (!clk_i) en_latch = en_i;
  end

  assign clk_o = clk_i & en_latch;

endmodule
