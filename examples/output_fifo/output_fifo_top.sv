// output_fifo_top: rtl/systolic_top, unchanged, behind an output buffer that holds FifoDepth rows and gives out one
// row every DrainPeriod cycles, with the flow control of docs/ARCHITECTURE.md section 13: a_ready_o = 0 stops the
// array (its clock is gated) until the buffer is sure to have room for every row the array can deliver. The
// transaction-level contract holds; the cycle contract does not (the rows come later and at another rate).
//
//   clk_i -> u_cg: ofifo_clock_gate, enabled by a_ready_o -> core_clk
//   ports -> u_core: systolic_top on core_clk, a row Rows + Cols + 1 array cycles after its beat
//         -> u_fifo: ofifo_row_fifo, FifoDepth rows {addr, data, acc}
//         -> u_pacer: ofifo_pacer, one pop every DrainPeriod cycles -> u_out: systolic_out (o_*_q)
//   u_flow: ofifo_flow, a_ready_o from the buffer's fill and the row that may be on its way
//
// Why the whole array stops rather than seeing idle cycles (section 13, "freeze the array"): the command stream
// writes some weights and parameters after the beats they serve (section 5, rules 2 and 3: the next N-tile's first
// rows are issued up to Rows cycles before its parameters, and requantized after them). An idle cycle between the
// two would let such a beat reach the requantizer before its parameters; frozen with the program, the array keeps
// every distance of the stream in its own cycles, and only the buffer behind it runs on. A beat taken in cycle t leaves as a row in cycle t + Rows + Cols + 3 at the earliest (the array's
// latency, a cycle in the buffer, the output register), later when the array stalls or rows queue.
// Parameters: those of systolic_top (Rows, Cols, AccDepth, RoundingModes) and FifoDepth (1..64), DrainPeriod (1..16).
`include "int8cosim_assert.svh"
`include "int8cosim_ports.svh"

module output_fifo_top #(
  `INT8COSIM_PARAMS,
  parameter int FifoDepth     = 4,  // rows the output buffer holds
  parameter int DrainPeriod   = 2,  // cycles per row out of the buffer
  localparam int AddrW   = $clog2(AccDepth),
  localparam int RowBits = AddrW + 8 * Cols + 32 * Cols  // one row in the buffer: {addr, data, acc}
) (
  // flow control (section 13): the array takes this cycle's inputs, and runs
  output logic a_ready_o,
  `INT8COSIM_PORTS  // the ports of docs/ARCHITECTURE.md section 3, rendered from hw-sim/contract
);

  `ASSERT_STATIC(g_bad_fifo_depth, FifoDepth >= 1 && FifoDepth <= 64,
                 ("output_fifo_top: FifoDepth must be in [1, 64], got %0d", FifoDepth))
  `ASSERT_STATIC(g_bad_drain, DrainPeriod >= 1 && DrainPeriod <= 16,
                 ("output_fifo_top: DrainPeriod must be in [1, 16], got %0d", DrainPeriod))

  // ---------------------------------------------------------------------------------------------------------
  // The array's clock: running in the cycles with a_ready_o = 1 only
  // ---------------------------------------------------------------------------------------------------------
  logic ready;
  logic core_clk;

  ofifo_clock_gate u_cg (
    .clk_i(clk_i),
    .en_i (ready),
    .clk_o(core_clk)
  );

  // ---------------------------------------------------------------------------------------------------------
  // The array of rtl/, unchanged
  // ---------------------------------------------------------------------------------------------------------
  `INT8COSIM_OUTPUT_SIGNALS(core_)

  systolic_top #(
    `INT8COSIM_PASS_PARAMS
  ) u_core (
    .clk_i (core_clk),
    .rst_ni(rst_ni),
    `INT8COSIM_CONNECT_INPUTS
    `INT8COSIM_CONNECT_OUTPUTS(core_)
  );

  // ---------------------------------------------------------------------------------------------------------
  // Output buffer, drained one row every DrainPeriod cycles
  // ---------------------------------------------------------------------------------------------------------
  localparam int CntW = $clog2(FifoDepth + 1);

  // ran_q: the array ran in the previous cycle, so what its output registers show is new (a row shown while the
  // array is stopped entered the buffer in the cycle it first showed)
  logic ran_q;
  logic push;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) ran_q <= 1'b0;
    else         ran_q <= ready;
  end

  assign push = core_valid && ran_q;

  logic [RowBits-1:0] head;
  logic [CntW-1:0]    count;
  logic [CntW-1:0]    count_next;
  logic               pop;

  ofifo_row_fifo #(
    .Width(RowBits),
    .Depth(FifoDepth)
  ) u_fifo (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .push_i      (push),
    .wdata_i     ({core_addr, core_data, core_acc}),
    .pop_i       (pop),
    .head_o      (head),
    .count_o     (count),
    .count_next_o(count_next)
  );

  ofifo_pacer #(
    .Period(DrainPeriod)
  ) u_pacer (
    .clk_i  (clk_i),
    .rst_ni (rst_ni),
    .avail_i(count != '0),
    .pop_o  (pop)
  );

  // the head row, as the output registers take it
  logic [AddrW-1:0]   head_addr;
  logic [8*Cols-1:0]  head_data;
  logic [32*Cols-1:0] head_acc;
  assign {head_addr, head_data, head_acc} = head;

  // ---------------------------------------------------------------------------------------------------------
  // Flow control: the array runs only when the buffer has room for its next row
  // ---------------------------------------------------------------------------------------------------------
  ofifo_flow #(
    .Depth(FifoDepth)
  ) u_flow (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .count_next_i(count_next),
    .ready_o     (ready)
  );

  // ---------------------------------------------------------------------------------------------------------
  // Output registers (rtl/systolic_out, systolic_top's own): a popped row is on o_* for one cycle; data and
  // address hold otherwise
  // ---------------------------------------------------------------------------------------------------------
  systolic_out #(
    .Cols    (Cols),
    .AccDepth(AccDepth)
  ) u_out (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .valid_i  (pop),
    .addr_i   (head_addr),
    .data_i   (head_data),
    .acc_i    (head_acc),
    .o_valid_o(o_valid_o),
    .o_addr_o (o_addr_o),
    .o_data_o (o_data_o),
    .o_acc_o  (o_acc_o)
  );

  assign a_ready_o = ready;

  `ASSERT_KNOWN(AReadyKnown_A, a_ready_o, clk_i, rst_ni)
  `ASSERT_KNOWN(OValidKnown_A, o_valid_o, clk_i, rst_ni)
  `ASSERT_KNOWN(OAddrKnown_A, o_addr_o, clk_i, rst_ni)
  `ASSERT_KNOWN(ODataKnown_A, o_data_o, clk_i, rst_ni)
  `ASSERT_KNOWN(OAccKnown_A, o_acc_o, clk_i, rst_ni)

endmodule
