// Processing element of the weight-stationary systolic array (docs/ARCHITECTURE.md, sections 4 and 6).
//
// Holds two int8 weight banks. Each cycle it passes the activation (with its valid and bank bits) one PE to the
// right and the partial sum one PE down:
//   a_d = a_i; v_d = v_i; bank_d = bank_i; psum_d = v_i ? wrap32(psum_i + a_i * w[bank_i]) : 0.
// The flop names (w0_q, w1_q, a_q, v_q, bank_q, psum_q) are the deep-mode contract: keep them.
//
// Planted fault (harness self-test only, never in a normal build): with +define+INT8COSIM_FAULT and the integer
// defines INT8COSIM_FAULT_ROW, INT8COSIM_FAULT_COL, INT8COSIM_FAULT_CYCLE, the PE at (Row, Col) inverts bit 0 of
// psum_d in the cycle whose index (rising edges since reset was released; the first cycle after reset is 0)
// equals INT8COSIM_FAULT_CYCLE.
module systolic_pe #(
  // Row and Col name this PE; only the planted-fault hook reads them.
  /* verilator lint_off UNUSEDPARAM */
  parameter int Row = 0,
  parameter int Col = 0
  /* verilator lint_on UNUSEDPARAM */
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // weight write into this PE (row decode done by the array)
  input  logic               w_en_i,
  input  logic               w_bank_i,
  input  logic signed [7:0]  w_data_i,
  // from the left neighbour (or the input skew)
  input  logic signed [7:0]  a_i,
  input  logic               v_i,
  input  logic               bank_i,
  // from the PE above (0 for row 0)
  input  logic signed [31:0] psum_i,
  // to the right neighbour and the PE below
  output logic signed [7:0]  a_o,
  output logic               v_o,
  output logic               bank_o,
  output logic signed [31:0] psum_o
);

  logic signed [7:0]  w0_q;
  logic signed [7:0]  w1_q;
  logic               w0_en, w1_en;
  logic signed [7:0]  a_q, a_d;
  logic               v_q, v_d;
  logic               bank_q, bank_d;
  logic signed [31:0] psum_q, psum_d;

  logic signed [7:0]  weight;
  logic signed [31:0] product;
  logic signed [31:0] mac;
  logic               fault_flip;

  assign weight  = bank_i ? w1_q : w0_q;
  // int8 x int8, both sign-extended to 32 bits first: the exact product needs 16 bits, its upper 16 are sign
  // copies. At 32 bits the Verilated model does one multiply and one add with no 16-bit masking and re-extension
  // (the whole 8x8 model 1.2x faster); synthesis still maps an 8x8 multiplier (Yosys's wreduce drops the copies).
  assign product = 32'(a_i) * 32'(weight);
  assign mac     = psum_i + product;                  // wraps modulo 2^32

  // The weight banks load w_data_i only when written (an enable flop, not a d mux: Verilator then evaluates the
  // write only at the clock edge, not with every input change).
  assign w0_en = w_en_i && !w_bank_i;
  assign w1_en = w_en_i &&  w_bank_i;

  always_comb begin
    a_d    = a_i;
    v_d    = v_i;
    bank_d = bank_i;
    psum_d = (v_i ? mac : 32'sd0) ^ $signed({31'd0, fault_flip});
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      w0_q   <= '0;
      w1_q   <= '0;
      a_q    <= '0;
      v_q    <= 1'b0;
      bank_q <= 1'b0;
      psum_q <= '0;
    end else begin
      if (w0_en) w0_q <= w_data_i;
      if (w1_en) w1_q <= w_data_i;
      a_q    <= a_d;
      v_q    <= v_d;
      bank_q <= bank_d;
      psum_q <= psum_d;
    end
  end

  assign a_o    = a_q;
  assign v_o    = v_q;
  assign bank_o = bank_q;
  assign psum_o = psum_q;

`ifdef INT8COSIM_FAULT
  if (Row == `INT8COSIM_FAULT_ROW && Col == `INT8COSIM_FAULT_COL) begin : g_fault
    logic [31:0] fault_cycle_q, fault_cycle_d;
    assign fault_cycle_d = fault_cycle_q + 32'd1;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) fault_cycle_q <= '0;
      else         fault_cycle_q <= fault_cycle_d;
    end
    assign fault_flip = (fault_cycle_q == 32'(`INT8COSIM_FAULT_CYCLE));
  end else begin : g_no_fault
    assign fault_flip = 1'b0;
  end
`else
  assign fault_flip = 1'b0;
`endif

endmodule
