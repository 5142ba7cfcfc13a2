// ofifo_flow: the flow control of output_fifo_top (docs/ARCHITECTURE.md section 13). ready_o is a_ready_o: it
// comes from a flop and says whether the array runs in this cycle (takes this cycle's inputs and moves every row
// in flight one stage on). When it runs in cycle t, a row may come out of it after that cycle's edge and enter the
// buffer at the next edge, so the array may run in cycle t only when the buffer is sure to have room for that row
// in cycle t + 1, counting every row that can enter the buffer before it:
//
//   ready in cycle t+1  =  rows held after cycle t (count_i after its push and pop: the buffer's count_d)
//                          + 1 if the array ran in cycle t (its row, if any, enters in cycle t+1)
//                          < Depth
//
// Pops are not counted ahead (the one that may happen in cycle t+1 is not known yet), so the rule is safe whatever
// the drain does. Out of reset the buffer is empty and the array ready.

module ofifo_flow #(
  parameter int Depth = 4,
  localparam int CntW = $clog2(Depth + 1),
  localparam int SumW = $clog2(Depth + 2)
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic [CntW-1:0] count_next_i,  // the buffer's count after this cycle's push and pop
  output logic            ready_o
);

  logic            ready_q, ready_d;
  logic [SumW-1:0] committed;

  // rows held after this cycle, plus the one the array may deliver next cycle since it ran in this one
  assign committed = SumW'(count_next_i) + SumW'(ready_q);
  assign ready_d   = committed < SumW'(Depth);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) ready_q <= 1'b1;
    else         ready_q <= ready_d;
  end

  assign ready_o = ready_q;

endmodule
