// ofifo_pacer: lets the output buffer give out at most one row every Period cycles (an output buffer whose one
// SRAM port is busy for Period cycles a row, or a narrower bus behind it). pop_o pops the head when there is one
// and the previous pop was Period or more cycles ago; Period = 1 pops every cycle.
`include "int8cosim_assert.svh"

module ofifo_pacer #(
  parameter int Period = 2,
  localparam int GapW = (Period > 1) ? $clog2(Period) : 1
) (
  input  logic clk_i,
  input  logic rst_ni,
  input  logic avail_i,  // the buffer holds a row
  output logic pop_o
);

  `ASSERT_STATIC(g_bad_period, Period >= 1 && Period <= 16,
                 ("ofifo_pacer: Period must be in [1, 16], got %0d", Period))

  // gap_q: cycles still to wait before the next pop may happen (0: a pop may happen now)
  logic [GapW-1:0] gap_q, gap_d;

  always_comb begin
    pop_o = avail_i && (gap_q == '0);
    gap_d = gap_q;
    if (pop_o)              gap_d = GapW'(Period - 1);
    else if (gap_q != '0)   gap_d = gap_q - GapW'(1);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) gap_q <= '0;
    else         gap_q <= gap_d;
  end

endmodule
