// ofifo_row_fifo: a first-in first-out buffer of Depth output rows (Width bits each), held in flops.
//
// push_i writes wdata_i at the tail; pop_i takes the head (head_o, valid while count_o > 0). Both may happen in
// one cycle. As lowRISC's prim_fifo_sync, a full buffer takes no row, even in a cycle that pops (the entry being
// read is not written in the same cycle): a push while full is an overflow, which the writer (here the flow
// control of output_fifo_top, ofifo_flow) must never let happen. The row is then lost and the simulation stops
// with NoOverflow_A; popping an empty buffer stops it with NoUnderflow_A.
// The storage is not reset (an SRAM has no reset); every other flop resets to 0.
`include "int8cosim_assert.svh"

module ofifo_row_fifo #(
  parameter int Width = 8,
  parameter int Depth = 4,
  localparam int PtrW = (Depth > 1) ? $clog2(Depth) : 1,
  localparam int CntW = $clog2(Depth + 1)
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             push_i,
  input  logic [Width-1:0] wdata_i,
  input  logic             pop_i,
  output logic [Width-1:0] head_o,
  output logic [CntW-1:0]  count_o,
  output logic [CntW-1:0]  count_next_o  // count_o after this cycle's push and pop
);

  `ASSERT_STATIC(g_bad_params, Width >= 1 && Depth >= 1 && Depth <= 64,
                 ("ofifo_row_fifo: need Width >= 1 and Depth in [1, 64], got Width=%0d Depth=%0d", Width, Depth))

  logic [Width-1:0] mem_q [Depth];
  logic [PtrW-1:0]  wr_ptr_q, wr_ptr_d;
  logic [PtrW-1:0]  rd_ptr_q, rd_ptr_d;
  logic [CntW-1:0]  count_q, count_d;
  logic             full, empty, wr_en, rd_en;

  assign full  = count_q == CntW'(Depth);
  assign empty = count_q == '0;
  assign wr_en = push_i && !full;
  assign rd_en = pop_i && !empty;

  always_comb begin
    wr_ptr_d = wr_ptr_q;
    rd_ptr_d = rd_ptr_q;
    count_d  = count_q;
    if (wr_en) wr_ptr_d = (wr_ptr_q == PtrW'(Depth - 1)) ? '0 : wr_ptr_q + PtrW'(1);
    if (rd_en) rd_ptr_d = (rd_ptr_q == PtrW'(Depth - 1)) ? '0 : rd_ptr_q + PtrW'(1);
    unique case ({wr_en, rd_en})
      2'b10:   count_d = count_q + CntW'(1);
      2'b01:   count_d = count_q - CntW'(1);
      default: count_d = count_q;
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (wr_en) mem_q[wr_ptr_q] <= wdata_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_ptr_q <= '0;
      rd_ptr_q <= '0;
      count_q  <= '0;
    end else begin
      wr_ptr_q <= wr_ptr_d;
      rd_ptr_q <= rd_ptr_d;
      count_q  <= count_d;
    end
  end

  assign head_o  = mem_q[rd_ptr_q];
  assign count_o      = count_q;
  assign count_next_o = count_d;

  `ASSERT(NoOverflow_A, !(push_i && full), clk_i, rst_ni,
          ("ofifo_row_fifo: overflow, a row arrived while all %0d entries are held (the row is lost)", Depth))
  `ASSERT(NoUnderflow_A, !(pop_i && empty), clk_i, rst_ni, ("ofifo_row_fifo: pop of an empty buffer"))

endmodule
